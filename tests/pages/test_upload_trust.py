"""Upload does exactly what the person chose: names checked as typed, principals use existing rounds, and a
database that cannot save says so instead of showing a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import CHROMIUM, open_page, settled, streamlit_server, texts
from sqlalchemy import text
from test_access import PRINCIPAL, shared, signed_in  # noqa: F401 - the fixture is used by name

from pl_core import settings, store
from pl_core.services import catalog

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "uploads"
DOGWOOD = (SAMPLE / "dogwood-middle-fall-2026-google-forms.csv").read_bytes()


def upload(at, school: str | None, round_name: str | None, data: bytes = DOGWOOD, name: str = "dogwood.csv"):
    """Choose (or type: AppTest sets a new option through session state) the school and round, then the file."""
    for key, value in (("upload_school", school), ("upload_round", round_name)):
        if value is not None:
            at.session_state[key] = value
    return at.file_uploader[0].set_value((name, data, "text/csv")).run()


def import_buttons(at) -> list:
    return [b for b in at.button if b.key == "upload_import"]


def test_a_principal_picks_an_existing_round_and_cannot_type_a_new_one(shared):  # noqa: F811
    at = signed_in(shared, PRINCIPAL)
    open_page(at, "views/upload.py")
    picker = at.selectbox(key="upload_round")
    assert picker.proto.accept_new_options is False
    assert list(picker.options) == store.list_rounds(store.make_engine(settings.database_url()))
    assert "A new round is created by your coach or district admin" in texts(at)
    upload(at, "Aspen Elementary", "Fall 2026")
    at.button(key="upload_import").click().run()
    assert not at.exception
    assert "Imported" in texts(at) and "Aspen Elementary \u00b7 Fall 2026" in texts(at)


def test_the_local_user_may_type_a_new_round(app):
    at = open_page(app, "views/upload.py")
    assert at.selectbox(key="upload_round").proto.accept_new_options is True
    assert "created by your coach" not in texts(at)


def test_a_name_typed_on_upload_is_checked_as_it_is_typed(seeded_db, tmp_path):
    """In Chromium (AppTest cannot type a new option): a 130-character school name is refused before any import."""
    playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    db = tmp_path / "pl.db"
    shutil.copy(seeded_db, db)
    with streamlit_server(db, tmp_path) as url, playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
        )
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(f"{url}/upload")
        settled(page)
        school = page.get_by_test_id("stSelectbox").filter(has_text="School").last
        school.click()
        page.keyboard.type("Z" * 130)
        page.keyboard.press("Enter")
        page.wait_for_selector("text=the school name is 130 characters long", timeout=60_000)
        settled(page)
        assert page.get_by_test_id("stAlertContentError").count() == 1
        assert page.locator('button:has-text("Import")').count() == 0
        browser.close()
    assert "Z" * 130 not in store.list_schools(store.make_engine(f"sqlite:///{db}"))


def test_a_read_only_database_opens_and_an_import_says_why_nothing_was_saved(app, tmp_path, monkeypatch):
    db = tmp_path / "pl.db"
    monkeypatch.setenv("PL_DATABASE_URL", f"sqlite:///file:{db}?mode=ro&uri=true")
    at = open_page(app, "views/upload.py")
    upload(at, "Dogwood Middle", "Fall 2026")
    at.button(key="upload_import").click().run()
    assert not at.exception
    [error] = [e.value for e in at.error]
    assert "is read-only, so nothing was saved" in error.replace("\\", "") and "writable by the user" in error


def test_a_full_disk_during_an_import_says_so_and_keeps_nothing(app, monkeypatch):
    real_make_engine = catalog.store.make_engine

    def capped(url=None):
        engine = real_make_engine(url)
        with engine.connect() as conn:
            pages = conn.execute(text("PRAGMA page_count")).scalar_one()

        from sqlalchemy import event

        @event.listens_for(engine, "connect")
        def _cap(dbapi_connection, _record):
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 1}")

        engine.dispose()
        return engine

    monkeypatch.setattr(catalog.store, "make_engine", capped)
    before = store.import_history(real_make_engine(settings.database_url()))
    at = open_page(app, "views/upload.py")
    upload(at, "Dogwood Middle", "Fall 2026")
    at.button(key="upload_import").click().run()
    assert not at.exception
    [error] = [e.value for e in at.error]
    assert "is full, so nothing was saved" in error.replace("\\", "") and "Free some space" in error
    assert len(store.import_history(real_make_engine(settings.database_url()))) == len(before)


def test_an_empty_respondent_key_file_stops_an_upload_with_what_to_do(app, tmp_path):
    key = tmp_path / "data" / "respondent.key"
    key.parent.mkdir(parents=True, exist_ok=True)
    key.write_text("")  # as the old race left it on some installs
    at = open_page(app, "views/upload.py")
    upload(at, "Dogwood Middle", "Fall 2026")
    assert not at.exception
    [error] = [e.value for e in at.error]
    assert "respondent\\-key secret" in error and "empty" in error and "Restore it from your backup" in error
    assert import_buttons(at) == []


def test_an_import_its_own_check_refuses_says_so_in_the_browser_with_the_spinner_gone(seeded_db, tmp_path, monkeypatch):
    """In Chromium, on a server whose imports are bent (tests/pages/bent_import) to store the first person's answers
    under a person of another school: after the import has run, its check refuses, the page says nothing was saved,
    and the saving spinner is gone (stopping the run inside the spinner once left it spinning beside the message)."""
    import sqlite3

    playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    db = tmp_path / "pl.db"
    shutil.copy(seeded_db, db)
    with sqlite3.connect(db) as conn:
        other = conn.execute(
            "SELECT r.id FROM respondents r JOIN schools s ON s.id = r.school_id WHERE s.name = 'Birch Elementary'"
        ).fetchone()[0]
        batches = conn.execute("SELECT count(*) FROM import_batches").fetchone()[0]
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).with_name("bent_import")))
    monkeypatch.setenv("PL_TEST_BEND_TO", str(other))
    with streamlit_server(db, tmp_path) as url, playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
        )
        for width, height in ((1440, 900), (390, 844)):
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(f"{url}/upload")
            settled(page)
            page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
                files=[{"name": "dogwood.csv", "mimeType": "text/csv", "buffer": DOGWOOD}]
            )
            page.wait_for_selector('button:has-text("Import")', timeout=60_000)
            settled(page)
            page.locator('button:has-text("Import")').last.click()
            page.wait_for_selector("text=14 stored answer(s) point nowhere", timeout=60_000)
            settled(page)
            [error] = page.get_by_test_id("stAlertContentError").all_inner_texts()
            assert "importing 'dogwood.csv'" in error and "nothing was saved" in error
            assert page.get_by_test_id("stSpinner").count() == 0
            page.close()
        browser.close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM import_batches").fetchone()[0] == batches
