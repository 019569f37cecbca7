"""The Manage imports page: the history with who and when, and undo, delete and rename through the page."""

from __future__ import annotations

from conftest import open_page, texts

from dashboard.components.text import plain
from pl_core import settings, store
from pl_core.services import imports
from pl_core.services.access import LOCAL


def test_the_history_lists_every_import_with_who_and_when(app):
    at = open_page(app, "views/manage.py")
    [table] = at.dataframe
    assert len(table.value) == 21 and set(table.value["Status"]) == {"active"}
    assert set(table.value["By"]) == {"sample district"}


def test_undo_through_the_page_stops_the_import_counting(app):
    at = open_page(app, "views/manage.py")
    [table] = at.dataframe
    newest = int(table.value["Import"].iloc[0])
    form_select = next(s for s in at.selectbox if s.label == "Import")
    form_select.set_value(newest)
    next(b for b in at.button if b.label == "Undo this import").click().run()
    assert f"Undid import #{newest}." in texts(at).replace("\\", "")
    engine = store.make_engine(settings.database_url())
    history = imports.import_history(engine, LOCAL).set_index("batch_id")
    assert history.loc[newest, "status"] == "undone"
    engine.dispose()


def test_renaming_a_school_through_the_page_moves_the_sidebar_with_it(app):
    at = open_page(app, "views/manage.py")
    next(s for s in at.selectbox if s.key == "manage_rename_old").set_value("Birch Elementary")
    next(t for t in at.text_input if t.label == "New name").input("Birch Elementary School")
    next(b for b in at.button if b.label == "Rename").click().run()
    assert plain("Birch Elementary School") in texts(at)
    assert "Birch Elementary School" in at.selectbox(key="ctx_school").options
