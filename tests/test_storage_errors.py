"""The embedded database is private (0600 with its WAL and SHM), and a full disk or a read-only database says so."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import event, text
from test_auth import ASPEN, BIRCH, FW, parsed_upload

from pl_core.cli import main
from pl_core.services import catalog, imports
from pl_core.services.access import LOCAL
from pl_core.services.catalog import StorageError
from pl_core.store import list_schools, make_engine, upgrade
from pl_core.store.db import storage_problem

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "uploads"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- file modes ---------------------------------------------------------------------------------------------------


def test_a_new_database_and_its_wal_and_shm_files_are_owner_only(tmp_path):
    os.umask(old := os.umask(0o022))  # whatever the process's umask, the files must come out 0600
    db = tmp_path / "data" / "pl.db"
    engine = make_engine(f"sqlite:///{db}")
    try:
        upgrade(engine)
        imports.save_import(engine, LOCAL, parsed_upload(ASPEN), school="Aspen", round="Fall 2026", framework=FW)
        with engine.connect() as conn:  # a reader holds the WAL open, so both companion files exist now
            conn.execute(text("SELECT 1"))
            files = {p.name: mode(p) for p in db.parent.iterdir()}
    finally:
        engine.dispose()
    assert files == {"pl.db": 0o600, "pl.db-wal": 0o600, "pl.db-shm": 0o600}
    assert mode(db.parent) == 0o700  # a folder the app made is private too
    assert os.umask(old) == old  # the process's umask is left as it was


def test_an_existing_database_made_0644_is_made_private_when_an_engine_starts(tmp_path):
    db = tmp_path / "pl.db"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
        for path in tmp_path.iterdir():
            os.chmod(path, 0o644)  # as an older version left them
        again = make_engine(f"sqlite:///{db}")
        modes = {p.name: mode(p) for p in tmp_path.iterdir()}
        again.dispose()
    engine.dispose()
    assert modes == {"pl.db": 0o600, "pl.db-wal": 0o600, "pl.db-shm": 0o600}


def test_pl_diag_makes_the_configured_database_private(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("PL_DATABASE_URL", raising=False)
    file = SAMPLE / "aspen-elementary-fall-2025-google-forms.csv"
    assert main(["import", str(file), "--school", "Aspen", "--round", "Fall 2025"]) == 0
    data = tmp_path / "data"
    assert {p.name: mode(p) for p in data.iterdir() if not p.name.endswith(("-wal", "-shm"))} == {
        "pl-diagnostics.db": 0o600,
        "respondent.key": 0o600,
    }
    assert mode(data) == 0o700


# --- a full disk --------------------------------------------------------------------------------------------------


def cap_file_size(engine, extra_pages: int = 2) -> None:
    """Simulate a full disk: SQLite may grow the file by only `extra_pages` pages from now on."""
    with engine.connect() as conn:
        pages = conn.execute(text("PRAGMA page_count")).scalar_one()

    @event.listens_for(engine, "connect")
    def _cap(dbapi_connection, _record):
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + extra_pages}")

    engine.dispose()  # new connections only: each gets the cap


@pytest.fixture
def sqlite_engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'pl.db'}")
    upgrade(engine)
    imports.save_import(engine, LOCAL, parsed_upload(ASPEN), school="Aspen", round="Fall 2026", framework=FW)
    yield engine
    engine.dispose()


def test_a_full_disk_is_a_storage_error_that_says_what_to_do_and_keeps_nothing(sqlite_engine, tmp_path):
    cap_file_size(sqlite_engine)
    big = {f"p{i}": ("teacher", 1 + i % 4) for i in range(3000)}
    with pytest.raises(StorageError) as err:
        imports.save_import(
            sqlite_engine, LOCAL, parsed_upload(big, file_name="big.csv"), school="Birch", round="Fall 2026",
            framework=FW,
        )  # fmt: skip
    assert err.value.code == "disk-full"
    message = str(err.value)
    assert message.startswith(f"The disk holding the database ({tmp_path / 'pl.db'}) is full, so nothing was saved")
    assert "database or disk is full" in message and "Free some space" in message
    assert list_schools(sqlite_engine) == ["Aspen"]  # the failed import left nothing behind


def test_the_command_line_reports_a_full_disk_in_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PL_DATA_DIR", str(tmp_path / "data"))
    url = f"sqlite:///{tmp_path / 'pl.db'}"
    assert main(["import", str(SAMPLE / "birch-elementary-fall-2025-template.csv"), "--school", "Birch",
                 "--round", "Fall 2025", "--db", url]) == 0  # fmt: skip
    capsys.readouterr()
    real_make_engine = catalog.store.make_engine

    def capped(url=None):
        engine = real_make_engine(url)
        cap_file_size(engine, extra_pages=1)
        return engine

    monkeypatch.setattr(catalog.store, "make_engine", capped)
    code = main(["import", str(SAMPLE / "aspen-elementary-fall-2025-google-forms.csv"), "--school", "Aspen",
                 "--round", "Fall 2025", "--db", url])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 3
    assert err.startswith("error: The disk holding the database") and "is full, so nothing was saved" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


# --- a read-only database -----------------------------------------------------------------------------------------


def read_only_url(path: Path) -> str:
    """The database opened read-only by SQLite itself (works for root too, whom file modes do not stop)."""
    return f"sqlite:///file:{path}?mode=ro&uri=true"


def test_a_read_only_database_opens_for_reading_and_refuses_writes_clearly(sqlite_engine, tmp_path):
    sqlite_engine.dispose()
    engine = catalog.open_engine(read_only_url(tmp_path / "pl.db"))  # at the newest schema: nothing to write
    try:
        assert catalog.list_schools(engine, LOCAL) == ["Aspen"]
        with pytest.raises(StorageError) as err:
            imports.save_import(engine, LOCAL, parsed_upload(BIRCH), school="Birch", round="Fall 2026", framework=FW)
    finally:
        engine.dispose()
    assert err.value.code == "read-only"
    assert str(err.value).startswith(f"The database ({tmp_path / 'pl.db'}) is read-only, so nothing was saved")
    assert "writable by the user running PL Diagnostics" in str(err.value)


def test_the_command_line_reports_a_read_only_database_in_one_line(sqlite_engine, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PL_DATA_DIR", str(tmp_path / "data"))
    sqlite_engine.dispose()
    url = read_only_url(tmp_path / "pl.db")
    assert main(["rounds", "list", "--db", url]) == 0
    assert capsys.readouterr().out == "Fall 2026\n"
    code = main(["rounds", "add", "Spring 2027", "--db", url])
    err = capsys.readouterr().err
    assert code == 3 and err.startswith("error: The database (") and "is read-only" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("empty_db_url", ["postgresql"], indirect=True)
def test_a_read_only_postgresql_session_is_a_storage_error(db_url):
    # what a hot-standby replica does to every write; the fixture's URL already passes `options` (search_path)
    engine = make_engine(db_url.replace("options=", "options=-cdefault_transaction_read_only%3Don%20", 1))
    try:
        with pytest.raises(StorageError) as err:
            imports.save_import(engine, LOCAL, parsed_upload(ASPEN), school="Aspen", round="Fall 2026", framework=FW)
    finally:
        engine.dispose()
    assert err.value.code == "read-only" and "read-only replica" in str(err.value)


@pytest.mark.parametrize(
    ("sqlstate", "code"), [("53100", "disk-full"), ("25006", "read-only"), ("58030", "io-error"), ("23505", None)]
)
def test_postgresql_errors_map_by_sqlstate(sqlstate, code):
    error = psycopg.errors.lookup(sqlstate)("boom")
    assert storage_problem(error) == code


def test_a_backup_into_a_full_disk_says_so(sqlite_engine, tmp_path, monkeypatch):
    import errno
    import tempfile

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "mkstemp", full)
    with pytest.raises(StorageError) as err:
        catalog.backup(f"sqlite:///{tmp_path / 'pl.db'}", tmp_path / "backup.db")
    assert err.value.code == "disk-full"
    assert str(err.value).startswith(f"The disk holding the backup's folder ({tmp_path}) is full")
