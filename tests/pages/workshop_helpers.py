"""What the workshop browser tests share: Chromium, phones, settling after a click, picking a level, this machine's
network address, reading the figures a page drew, and optional screenshots (PL_TEST_SCREENSHOTS=<folder>)."""

from __future__ import annotations

import base64
import os
import re
import socket
import subprocess
from pathlib import Path

import pytest
from conftest import CHROMIUM, settled

playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
        )
        yield chromium
        chromium.close()


def phone(browser):
    """A new phone (its own browser context: its own cookies and storage, as another person's phone)."""
    return browser.new_context(**PHONE).new_page()


def desktop(browser):
    return browser.new_context(viewport=DESKTOP).new_page()


def no_exception(page) -> None:
    errors = page.locator('[data-testid="stException"]')
    assert errors.count() == 0, errors.first.inner_text()


def wait_text(page, text: str, timeout: int = 30_000) -> None:
    """Wait until `text` is on the page, then until the app has settled."""
    page.get_by_text(text, exact=False).first.wait_for(timeout=timeout)
    settled(page)


def pick(page, level_text: str) -> None:
    """Tap a level on the ballot (the whole option is the target, as a finger would)."""
    exact = re.compile("^" + re.escape(level_text) + "$")
    page.locator('[data-testid="stRadioOption"]').filter(has_text=exact).click()


def machine_address() -> str | None:
    """A non-loopback IPv4 address of this machine (what a phone on the network would use), if it has one."""
    try:
        out = subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=5).stdout.split()
    except (OSError, subprocess.SubprocessError):
        out = []
    for address in out:
        if "." in address and not address.startswith("127."):
            return address
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
            address = s.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


def _values(spec) -> list:
    """A trace's x or y as the figure carries it: a list, or plotly 7's base64 typed array ({dtype, bdata})."""
    if isinstance(spec, dict) and "bdata" in spec:
        import numpy as np

        return np.frombuffer(base64.b64decode(spec["bdata"]), dtype=np.dtype(spec["dtype"])).tolist()
    return list(spec or [])


def plotly_traces(page) -> list[dict]:
    """Every trace of every plotly figure on the page, as the browser received it: name, x and y."""
    raw = page.evaluate(
        """() => Array.from(document.querySelectorAll('.js-plotly-plot')).flatMap(gd => (gd.data || []).map(t => ({
            name: t.name || null,
            x: (t.x && t.x.bdata) ? {dtype: t.x.dtype, bdata: t.x.bdata} : Array.from(t.x || []),
            y: (t.y && t.y.bdata) ? {dtype: t.y.dtype, bdata: t.y.bdata} : Array.from(t.y || []),
        })))"""
    )
    return [{"name": t["name"], "x": _values(t["x"]), "y": _values(t["y"])} for t in raw]


def screenshot(page, name: str, *, full: bool = False) -> None:
    """Save a screenshot when PL_TEST_SCREENSHOTS names a folder (to look at, not to compare)."""
    folder = os.environ.get("PL_TEST_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    size = dict(page.viewport_size)
    if full:  # Streamlit scrolls inside its main block: grow the window to show all of it, then restore it
        height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
        page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 8000)})
    page.screenshot(path=str(Path(folder) / f"{name}.png"))
    page.set_viewport_size(size)
