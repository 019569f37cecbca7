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


def test_a_merge_that_would_misplace_answers_is_refused_on_the_page_with_nothing_changed(app, tmp_path):
    """One of Birch's people answered in another school's import (written around the app): merged into Cedar,
    those answers would belong to a third school. The merge's check refuses; the page says why."""
    import sqlite3

    with sqlite3.connect(tmp_path / "pl.db") as conn:
        person = conn.execute(
            "SELECT r.id FROM respondents r JOIN schools s ON s.id = r.school_id WHERE s.name = 'Birch Elementary'"
        ).fetchone()[0]
        batch = conn.execute(
            "SELECT b.id FROM import_batches b JOIN schools s ON s.id = b.school_id WHERE s.name = 'Aspen Elementary'"
        ).fetchone()[0]
        conn.execute(
            "INSERT INTO responses (batch_id, respondent_id, item, level) VALUES (?, ?, 'culture', 1)", (batch, person)
        )
    at = open_page(app, "views/manage.py")
    next(s for s in at.selectbox if s.key == "manage_merge_source").set_value("Birch Elementary")
    next(s for s in at.selectbox if s.key == "manage_merge_target").set_value("Cedar Elementary")
    next(c for c in at.checkbox if c.label.startswith("Yes, merge them")).check()
    next(b for b in at.button if b.label == "Merge").click().run()
    assert not at.exception
    [error] = [e.value.replace("\\", "") for e in at.error]
    assert error.startswith("merging 'Birch Elementary' into 'Cedar Elementary': 1 stored answer(s) point nowhere")
    assert "Birch Elementary" in at.selectbox(key="ctx_school").options  # not merged away
