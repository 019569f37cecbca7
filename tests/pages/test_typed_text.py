"""One rule for typed text: every string a user or a file supplies is shown as plain text, on every page.

Names of schools, rounds, roles and grade bands, goal titles, owners and milestones, comments, participant names,
rationales, file names and framework text all carry Markdown, HTML, bare URLs and plotly tags here
(tests/pages/hostile.py). The checks: the escaping helpers on their own; an AppTest pass over every page that reads
what each page hands Streamlit to draw as Markdown; and real Chromium crawling the running app, where no image,
link or script may come from those strings, nothing may be fetched from the trap address, and no name may turn bold.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import string

import pytest
import streamlit as st
from conftest import APP, CHROMIUM, TIMEOUT, settled, streamlit_server
from google.protobuf.json_format import MessageToDict
from hostile import (
    EVERY_STRING,
    FILE_NAME,
    HOSTILE_FRAMEWORK,
    PARTICIPANT,
    ROUND_2,
    SCHOOL,
    build_hostile_district,
    staff_file,
)
from hypothesis import given, settings
from hypothesis import strategies as hs
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from dashboard.components.text import WORD_JOINER, plain
from pl_core.present.charts import plain_label

FRAMEWORKS = ("dps-driver-model", HOSTILE_FRAMEWORK)
PAGES = (
    "views/overview.py",
    "views/distribution.py",
    "views/heatmap.py",
    "views/district.py",
    "views/workshop.py",
    "views/next_steps.py",
    "views/goals.py",
    "views/upload.py",
    "views/manage.py",
    "views/export.py",
    "views/framework_browser.py",
    "views/admin.py",
)


# --- the helpers --------------------------------------------------------------------------------------------------

COMMONMARK = MarkdownIt("commonmark")


def shown(markdown: str) -> str:
    """What CommonMark shows for `markdown`: the text of the rendered HTML, with the word joiners taken out."""
    rendered = COMMONMARK.render(markdown).strip()
    assert rendered.startswith("<p>") and rendered.endswith("</p>"), rendered
    inner = rendered[3:-4]
    assert "<" not in inner.replace("<br />", ""), rendered  # no tag: no link, image, emphasis or raw HTML
    return html.unescape(inner).replace(WORD_JOINER, "")


@settings(max_examples=400, deadline=None)
@given(hs.text(alphabet=string.punctuation + string.ascii_letters + string.digits + " \u00e9\u3000", max_size=40))
def test_plain_text_renders_as_exactly_the_text_typed(text):
    text = " ".join(text.split())  # Markdown folds runs of spaces, as a browser does
    if not text:
        return
    assert shown(plain(text)) == text


@pytest.mark.parametrize("text", EVERY_STRING)
def test_every_hostile_string_renders_as_itself(text):
    assert shown(plain(text)) == " ".join(text.split())


@pytest.mark.parametrize(
    "text",
    ["see http://127.0.0.1:9/x", "HTTPS://evil.example", "www.evil.example", "WWW.evil.example", "ada@evil.example"],
)
def test_bare_urls_and_emails_cannot_autolink(text):
    # GitHub-flavoured Markdown links these after escapes are resolved; a word joiner breaks each pattern
    escaped = plain(text)
    visible = escaped.replace("\\", "")
    assert not re.search(r"(?i)https?://|www\.|\w@\w", visible)
    assert visible.replace(WORD_JOINER, "") == text


def test_plot_labels_show_tags_entities_and_template_fields_as_typed():
    assert (
        plain_label("<b>B</b> & <a href='x'>%{y}</a>")
        == "&lt;b&gt;B&lt;/b&gt; &amp; &lt;a href='x'&gt;%\u200b{y}&lt;/a&gt;"
    )


# --- every page, through AppTest ----------------------------------------------------------------------------------

MARKDOWN_KEYS = {"body", "label", "help", "content"}  # what Streamlit draws as Markdown
AS_TEXT = {"html", "code", "text", "json", "selectbox", "multiselect", "dataframe", "arrow_data_frame", "plotly_chart"}


def markdown_strings(at: AppTest) -> list[tuple[str, str]]:
    """(element type, string) for every string the page hands Streamlit to draw as Markdown."""
    found = []

    def collect(kind: str, value) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                if key in MARKDOWN_KEYS and isinstance(inner, str):
                    found.append((kind, inner))
                elif isinstance(inner, dict | list):
                    collect(kind, inner)
        elif isinstance(value, list):
            for inner in value:
                collect(kind, inner)

    for node in at._tree:
        proto, kind = getattr(node, "proto", None), getattr(node, "type", "")
        if proto is not None and kind not in AS_TEXT:
            collect(kind, MessageToDict(proto))
    return found


def plot_strings(at: AppTest) -> list[str]:
    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for inner in value.values():
                yield from strings(inner)
        elif isinstance(value, list):
            for inner in value:
                yield from strings(inner)

    return [s for chart in at.get("plotly_chart") for s in strings(json.loads(chart.proto.spec))]


def unsafe(markdown: str) -> list[str]:
    """What in a Markdown string would not show as typed: a hostile string left as it is, or an autolink."""
    problems = [h for h in EVERY_STRING if h in markdown]
    # autolinks are found after escapes are resolved; links, images and HTML only when not escaped
    problems += re.findall(r"(?i)https?:|www\.|\w@\w", markdown.replace("\\", ""))
    problems += re.findall(r"(?<!\\)\]\(|(?<!\\)<(?:img|a|b|i|script)\b", markdown)
    return problems


@pytest.fixture(scope="module")
def hostile_district(tmp_path_factory):
    return build_hostile_district(tmp_path_factory.mktemp("hostile"))


@pytest.fixture
def hostile_app(hostile_district, tmp_path, monkeypatch):
    db = tmp_path / "hostile.db"
    shutil.copy(hostile_district.db, db)
    shutil.copytree(hostile_district.data_dir, tmp_path / "data")
    monkeypatch.setenv("PL_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("PL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PL_FRAMEWORKS_PATH", str(hostile_district.frameworks_dir))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield AppTest.from_file(APP, default_timeout=TIMEOUT)
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_no_page_hands_streamlit_typed_text_as_markdown(hostile_app, framework):
    at = hostile_app
    at.run()
    assert at.session_state["ctx_school"] == SCHOOL and at.session_state["ctx_round"] == ROUND_2
    at.session_state["ctx_framework"] = framework
    problems = {}
    for page in PAGES:
        at.switch_page(page)
        at.run()
        assert not at.exception, (page, [e.value for e in at.exception])
        strings = markdown_strings(at)
        assert strings, page
        bad = [(kind, s[:90], unsafe(s)) for kind, s in strings if unsafe(s)]
        bad += [("plotly", s[:90], "tag") for s in plot_strings(at) if re.search(r"<(?:img|a|b|script)\b", s)]
        if bad:
            problems[page] = bad
    assert problems == {}, json.dumps(problems, indent=1)


# --- every page, in Chromium --------------------------------------------------------------------------------------

playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")

TRAP = re.compile(r"127\.0\.0\.1:9\b|evil\.example")
# Anything on the page that links, loads or runs, and that came from a hostile string; and any name made bold.
DOM_CHECK = r"""() => {
  const bad = [];
  for (const el of document.querySelectorAll('img, a, script, iframe, image, object, embed, video, audio, source')) {
    const ref = ['src', 'href', 'xlink:href', 'data', 'srcset']
      .map(name => el.getAttribute(name) || '').join(' ').replace(/(^| )#\S*/g, '');
    if (/127\.0\.0\.1:9|evil|mailto:|javascript:/i.test(ref)) bad.push(el.outerHTML.slice(0, 160));
    if (el.tagName.toLowerCase() === 'script' && /alert\(1\)/.test(el.textContent)) bad.push('script: ' + el.outerHTML);
  }
  for (const el of document.querySelectorAll('b, strong, i, em, u, tspan')) {
    const style = el.tagName.toLowerCase() === 'tspan' ? (el.getAttribute('style') || '') : 'markup';
    if (/^(B0LD|it|T|R|RED)$/.test(el.textContent.trim()) && /markup|bold|italic/.test(style))
      bad.push('formatted: ' + el.outerHTML.slice(0, 120));
  }
  // Streamlit's own Markdown extras: colour and icon directives, and LaTeX
  for (const el of document.querySelectorAll('.stMarkdownColoredText, .katex, [aria-label="home icon"]'))
    if (/RED|x\^2|home/.test(el.textContent) || el.classList.contains('katex'))
      bad.push('directive: ' + el.outerHTML.slice(0, 120));
  const text = document.body.textContent;
  const bold = (text.match(/B0LD/g) || []).length, literal = (text.match(/<b>B0LD<\/b>/g) || []).length;
  if (bold !== literal) bad.push(`B0LD shown ${bold} times, as the typed <b>B0LD</b> only ${literal}`);
  for (const el of document.querySelectorAll('[data-testid="stException"]')) bad.push('exception: ' + el.textContent);
  return bad;
}"""


@pytest.fixture(scope="module")
def hostile_server(hostile_district, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile-server")
    db = folder / "hostile.db"
    shutil.copy(hostile_district.db, db)
    shutil.copytree(hostile_district.data_dir, folder / "data")
    mp = pytest.MonkeyPatch()
    mp.setenv("PL_FRAMEWORKS_PATH", str(hostile_district.frameworks_dir))
    try:
        with streamlit_server(db, folder) as url:
            yield url
    finally:
        mp.undo()


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
        )
        yield chromium
        chromium.close()


class Crawl:
    """One browser page that records what it fetched and what each state of the app showed."""

    def __init__(self, browser, url: str):
        self.context = browser.new_context(viewport={"width": 1440, "height": 900})
        self.fetched: list[str] = []
        self.context.on("request", lambda r: self.fetched.append(r.url) if TRAP.search(r.url) else None)
        self.page = self.context.new_page()
        self.url = url
        self.problems: dict[str, list[str]] = {}
        self.states: list[str] = []

    def open(self, path: str, framework: str) -> None:
        self.page.goto(f"{self.url}/{path}?framework={framework}")
        self.check(f"{framework} {path or 'overview'}")

    def check(self, state: str, *, wait_for: str | None = None) -> None:
        if wait_for is not None:
            self.page.wait_for_selector(wait_for, timeout=60_000)
        settled(self.page)
        self.page.wait_for_timeout(300)  # plotly draws its SVG after the element settles
        self.states.append(state)
        found = self.page.evaluate(DOM_CHECK)
        if found:
            self.problems[state] = found

    def click(self, role: str, name, state: str, *, wait_for: str | None = None) -> None:
        self.page.get_by_role(role, name=name).first.click()
        self.check(state, wait_for=wait_for)


def test_no_typed_string_becomes_a_link_an_image_a_script_or_markup_in_the_browser(
    hostile_district, hostile_server, browser
):
    from pl_core.frameworks import load_framework

    frameworks = {
        "dps-driver-model": load_framework("dps-driver-model"),
        HOSTILE_FRAMEWORK: load_framework(str(hostile_district.frameworks_dir / f"{HOSTILE_FRAMEWORK}.yaml")),
    }
    crawl = Crawl(browser, hostile_server)
    page = crawl.page
    for framework in FRAMEWORKS:
        for path in ("", "distribution", "district", "next_steps", "export", "manage", "framework_browser", "admin"):
            crawl.open(path, framework)

        crawl.open("heatmap", framework)
        for view in ("Grade bands", "Rounds", "Schools"):
            crawl.click(
                "radio", view, f"{framework} heatmap {view}", wait_for=f'[aria-checked="true"]:has-text("{view}")'
            )
        crawl.click("radio", "vs leadership", f"{framework} heatmap vs leadership")

        crawl.open("goals", framework)
        crawl.click("button", "Delete", f"{framework} goal delete dialog", wait_for='[role="dialog"]')

        crawl.open("workshop", framework)
        if framework == "dps-driver-model":  # the open workshop: its live panel names who joined
            crawl.click("button", re.compile("^Resume"), "workshop live panel", wait_for="text=2 joined:")
            crawl.page.goto(f"{hostile_server}/join?code={hostile_district.open_code}")  # the join link
            settled(page)
            page.get_by_label("Your name (as the team knows you)").fill(PARTICIPANT)
            crawl.click("button", "Join", "workshop participant view", wait_for="text=The team's votes on")

        crawl.open("upload", framework)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            files=[{"name": FILE_NAME, "mimeType": "text/csv", "buffer": staff_file(frameworks[framework], seed=7)}]
        )
        crawl.check(f"{framework} upload checked", wait_for='button:has-text("Import")')
        crawl.click("button", re.compile("^Import"), f"{framework} upload imported", wait_for="text=Imported")

    assert crawl.problems == {}, json.dumps(crawl.problems, indent=1)
    assert crawl.fetched == []  # nothing was ever requested from the trap address
    assert len(crawl.states) >= 30
    crawl.context.close()
