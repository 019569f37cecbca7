"""AppTest fixtures: the app against a seeded temporary database, or an empty one."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from pl_core import store
from pl_core.fixtures import sample

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
TIMEOUT = 60


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory) -> Path:
    """The sample district loaded once per test run; tests get copies."""
    folder = tmp_path_factory.mktemp("seeded")
    path = folder / "pl.db"
    secret_dir = folder / "data"
    mp = pytest.MonkeyPatch()
    mp.setenv("PL_DATA_DIR", str(secret_dir))
    engine = store.make_engine(f"sqlite:///{path}")
    store.upgrade(engine)
    sample.load_sample_district(engine)
    engine.dispose()  # closing the last connection checkpoints the WAL into the file
    mp.undo()
    return path


def _isolate(monkeypatch, folder: Path, db: Path) -> None:
    monkeypatch.setenv("PL_DATA_DIR", str(folder / "data"))
    monkeypatch.setenv("PL_DATABASE_URL", f"sqlite:///{db}")
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def app(seeded_db, tmp_path, monkeypatch):
    """A fresh AppTest on a private copy of the seeded database."""
    db = tmp_path / "pl.db"
    shutil.copy(seeded_db, db)
    _isolate(monkeypatch, tmp_path, db)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    yield at
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def empty_app(tmp_path, monkeypatch):
    """A fresh AppTest on an empty database."""
    _isolate(monkeypatch, tmp_path, tmp_path / "empty.db")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    yield at
    st.cache_data.clear()
    st.cache_resource.clear()


def open_page(at: AppTest, page: str, **state) -> AppTest:
    """Run the app once, then switch to `page` (e.g. "views/heatmap.py") with optional session state."""
    at.run()
    for key, value in state.items():
        at.session_state[key] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    """Everything the page wrote as markdown, captions, info and the like, joined."""
    parts = []
    for kind in ("markdown", "caption", "info", "success", "warning", "error", "title", "subheader", "header"):
        parts += [str(e.value) for e in at.get(kind)]
    return "\n".join(parts)


CHROMIUM = "/usr/bin/chromium"
READY = '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(
    db: Path | str, folder: Path, *, port: int | None = None, cwd: Path | None = None, host: str = "127.0.0.1"
):
    """Serve the app on `db` (a SQLite file, or a database URL) in a subprocess; yields its base URL."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (make test installs it where it can: see tests/browser_setup.py)")
    port = port or free_port()
    env = dict(
        os.environ,
        PL_DATABASE_URL=db if isinstance(db, str) else f"sqlite:///{db}",
        PL_DATA_DIR=str(folder / "data"),
        STREAMLIT_SERVER_PORT=str(port),
        STREAMLIT_SERVER_HEADLESS="true",
        STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
    )
    root = Path(APP).parents[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", APP],
        env=env,
        cwd=cwd or root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://{host}:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    proc.kill()
                    pytest.fail("the Streamlit server did not start:\n" + proc.stdout.read().decode()[-2000:])
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def settled(page) -> None:
    """Wait until the script has finished and nothing on the page is stale."""
    page.wait_for_selector(READY, timeout=60_000)
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=60_000)


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def launch_chromium(playwright):
    """Debian's Chromium, never a downloaded one (see tests/browser_setup.py)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


STYLED = """() => ['17px', '21px'].includes(getComputedStyle(document.documentElement).fontSize)
  && !document.querySelector('[data-testid="stSkeleton"]')"""


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A and AA violations on the page as people see it, every rule on (none excluded).

    It waits first for the app's own CSS (components/theme.py sets the base font size) to be in effect:
    on a busy machine a settled script can still be a moment away from its styles.
    """
    from axe_playwright_python.sync_playwright import Axe

    settled(page)
    page.wait_for_function(STYLED, timeout=60_000)

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    return result.response["violations"]


def describe(violations: list[dict]) -> str:
    """Violations as lines a person can act on: rule, count, first elements and why."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({len(v['nodes'])}): {v['help']}")
        for node in v["nodes"][:3]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '')[:200]}")
    return "\n".join(lines)


@contextmanager
def shared_mode_server(db: Path, folder: Path, provider_url: str):
    """The app in shared mode (an [auth] section pointing at `provider_url`), served from a folder of its own."""
    port = free_port()
    # A working folder of its own, so the test's [auth] secrets never touch a developer's .streamlit/
    streamlit_dir = folder / ".streamlit"
    streamlit_dir.mkdir(exist_ok=True)
    shutil.copy(Path(APP).parents[1] / ".streamlit" / "config.toml", streamlit_dir / "config.toml")
    (streamlit_dir / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
        'cookie_secret = "test-cookie-secret-for-the-browser-test"\n'
        'client_id = "pl-diagnostics"\n'
        'client_secret = "pl-diagnostics-secret"\n'
        f'server_metadata_url = "{provider_url}/.well-known/openid-configuration"\n'
    )
    # browse on the redirect_uri's host name, or the sign-in cookie does not come back
    with streamlit_server(db, folder, port=port, cwd=folder, host="localhost") as url:
        yield url


def sign_in(page, url: str, email: str) -> None:
    """Sign in through the mock OIDC provider as its predefined user `email`."""
    page.goto(url)
    settled(page)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/oauth2/authorize**", timeout=30_000)
    page.get_by_role("button", name=email).click()
    page.wait_for_url(f"{url}/**", timeout=30_000)
    settled(page)
