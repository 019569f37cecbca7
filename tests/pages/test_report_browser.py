"""The school report end to end in real Chromium.

Downloaded from the Overview of the running app, it is the same file `pl-diag report` writes; opened in
Chromium, no text of any chart lies outside its chart or its cell, at a desk, on a phone and as printed;
printed to Letter it takes at most 12 pages; and axe-core finds no WCAG 2.1 A/AA violation.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from conftest import APP, CHROMIUM, settled, streamlit_server

from pl_core.domain.goals import Goal, Milestone
from pl_core.frameworks import load_framework
from pl_core.services.access import LOCAL
from pl_core.services.imports import save_import as import_upload
from pl_core.services.reports import build_report
from pl_core.store import make_engine, upgrade
from pl_core.store import workshops as workshop_store
from pl_core.store.goals import save_goal

playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")

ROOT = Path(APP).parents[1]
MAX_PAGES = 12
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Letter minus the report's 12 mm side margins, in CSS pixels: the width Chromium lays a printed page out at
PRINT_WIDTH = 725
SCHOOLS = [  # every sample school's latest round: each prints within the budget
    ("Aspen Elementary", "dps-driver-model"),  # roles hidden for most groups, two goals, comments
    ("Birch Elementary", "dps-driver-model"),
    ("Cedar Elementary", "dps-driver-model"),
    ("Dogwood Middle", "dps-driver-model"),
    ("Elm Middle", "dps-driver-model"),
    ("Fir High", "dps-driver-model"),
    ("Harbor K-8", "pillars-of-pl"),
]


@pytest.fixture(scope="module")
def served(seeded_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("report-browser")
    db = folder / "pl.db"
    shutil.copy(seeded_db, db)
    with streamlit_server(db, folder) as url:
        yield SimpleNamespace(url=url, db=db, folder=folder)


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (make test installs it where it can: see tests/browser_setup.py)")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
        )
        yield chromium
        chromium.close()


def download(browser, url: str, folder: Path, *, appendices: bool = False) -> tuple[str, bytes]:
    """Click 'Download the school report' on the Overview as a coach would; the file's name and bytes."""
    page = browser.new_page(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    page.goto(url)
    settled(page)
    button = page.get_by_role("button", name="Download the school report")
    button.wait_for(timeout=60_000)
    if appendices:
        page.get_by_text("Add the appendices to the report").click()
        settled(page)
    with page.expect_download(timeout=120_000) as info:
        button.click()
    name = info.value.suggested_filename
    path = folder / name
    info.value.save_as(path)
    page.close()
    return name, path.read_bytes()


def cli_report(served, school: str, round_name: str, out: Path, *extra: str, framework: str | None = None) -> bytes:
    """`pl-diag report` for the same database, run as its own process from this checkout."""
    args = [sys.executable, "-m", "pl_core.cli", "report", "--school", school, "--round", round_name]
    args += ["--out", str(out), "--db", f"sqlite:///{served.db}", *extra]
    if framework:
        args += ["--framework", framework]
    env = dict(os.environ, PL_DATA_DIR=str(served.folder / "data"))
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return out.read_bytes()


def pdf_pages(pdf: bytes) -> int:
    """Pages in a PDF Chromium wrote (its page objects are plain dictionaries, never in object streams)."""
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf, re.S)]
    assert pages and (not counts or max(counts) == pages)
    return pages


# Every text node inside a chart (figure.chart) must lie within the chart's box and within its own table cell,
# and every shape of a chart's drawings within its SVG: anything outside is cut off or drawn over a neighbour.
OUTSIDE = """() => {
  const eps = 1.0, problems = [];
  let texts = 0;
  const inside = (r, b) => r.left >= b.left - eps && r.right <= b.right + eps && r.top >= b.top - eps
                           && r.bottom <= b.bottom + eps;
  const figures = [...document.querySelectorAll('figure.chart')];
  figures.forEach((figure, i) => {
    const box = figure.getBoundingClientRect();
    const walker = document.createTreeWalker(figure, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      if (!node.textContent.trim()) continue;
      const holder = node.parentElement;
      if (getComputedStyle(holder).display === 'none' || holder.closest('[aria-hidden="true"]')) continue;
      const cell = holder.closest('th, td');
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        if (r.width === 0 && r.height === 0) continue;
        texts += 1;
        const where = `chart ${i + 1}: "${node.textContent.trim().slice(0, 40)}"`;
        if (!inside(r, box)) problems.push(`${where} outside its chart`);
        if (cell && !inside(r, cell.getBoundingClientRect())) problems.push(`${where} outside its cell`);
      }
    }
    for (const svg of figure.querySelectorAll('svg')) {
      const frame = svg.getBoundingClientRect();
      for (const shape of svg.querySelectorAll('rect, circle, path, line')) {
        if (shape.closest('svg') !== svg && shape.closest('svg').closest('svg') !== svg) continue;
        if (!inside(shape.getBoundingClientRect(), frame)) {
          problems.push(`chart ${i + 1}: a ${shape.tagName} outside its drawing`);
        }
      }
    }
  });
  return {figures: figures.length, texts, problems, overflow: document.documentElement.scrollWidth - innerWidth};
}"""


def open_report(browser, path: Path, width: int, height: int = 900, media: str = "screen"):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.emulate_media(media=media)
    page.goto(path.resolve().as_uri())
    page.wait_for_load_state("load")
    return page


@pytest.fixture(scope="module")
def downloaded(served, browser, tmp_path_factory):
    folder = tmp_path_factory.mktemp("downloads")
    name, data = download(browser, served.url, folder)
    return SimpleNamespace(name=name, data=data, path=folder / name, folder=folder)


def test_the_overview_download_is_the_file_pl_diag_report_writes(served, downloaded, tmp_path):
    assert downloaded.name == "aspen-elementary-fall-2026-report.html"  # the Overview opens on Aspen, Fall 2026
    written = cli_report(served, "Aspen Elementary", "Fall 2026", tmp_path / "cli.html")
    assert downloaded.data.startswith(b"<!DOCTYPE html>")
    assert written == downloaded.data  # byte for byte: one build, no difference between the two doors


def test_the_appendices_download_is_the_file_pl_diag_report_appendices_writes(served, browser, tmp_path):
    name, data = download(browser, served.url, tmp_path, appendices=True)
    assert name == "aspen-elementary-fall-2026-report-with-appendices.html"
    assert b'id="appendix-descriptors"' in data
    assert cli_report(served, "Aspen Elementary", "Fall 2026", tmp_path / "cli.html", "--appendices") == data


@pytest.mark.parametrize(
    ("width", "media"), [(1440, "screen"), (390, "screen"), (PRINT_WIDTH, "print")], ids=["desk", "phone", "print"]
)
def test_no_chart_text_lies_outside_its_chart(browser, downloaded, width, media):
    page = open_report(browser, downloaded.path, width, media=media)
    found = page.evaluate(OUTSIDE)
    page.close()
    assert found["figures"] >= 8 and found["texts"] > 300  # the charts are there and hold their labels
    assert found["problems"] == []
    assert found["overflow"] <= 0  # nothing pushes the page wider than the screen


def test_the_report_prints_to_at_most_12_letter_pages(browser, downloaded):
    page = open_report(browser, downloaded.path, 1000)
    pdf = page.pdf(format="Letter")
    page.close()
    assert 4 <= pdf_pages(pdf) <= MAX_PAGES


@pytest.mark.parametrize(("school", "framework"), SCHOOLS, ids=[s for s, _ in SCHOOLS])
def test_every_sample_school_prints_within_the_budget_with_nothing_cut_off(
    served, browser, tmp_path, school, framework
):
    path = tmp_path / "report.html"
    cli_report(served, school, "Fall 2026", path, framework=framework)
    page = open_report(browser, path, PRINT_WIDTH, media="print")
    found = page.evaluate(OUTSIDE)
    page.emulate_media(media="null")  # page.pdf lays out with print rules unless another medium is forced
    pdf = page.pdf(format="Letter")
    page.close()
    assert found["problems"] == []
    assert pdf_pages(pdf) <= MAX_PAGES


def test_axe_finds_no_wcag_2_1_aa_violation_on_screen_or_in_print(browser, downloaded):
    from axe_playwright_python.sync_playwright import Axe

    found = {}
    for media, width in (("screen", 1440), ("screen", 390), ("print", PRINT_WIDTH)):
        page = open_report(browser, downloaded.path, width, media=media)
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
        found[f"{media} {width}"] = [
            (v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]
        ]
        page.close()
    assert found == {key: [] for key in found}


def test_the_report_names_its_language_and_never_skips_a_heading_level(browser, downloaded):
    page = open_report(browser, downloaded.path, 1440)
    lang = page.evaluate("document.documentElement.lang")
    levels = page.evaluate("[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])")
    headers = page.evaluate(
        "[...document.querySelectorAll('th')].filter(th => !['col', 'row', 'colgroup', 'rowgroup']"
        ".includes(th.getAttribute('scope'))).length"
    )
    charts = page.evaluate(
        "[...document.querySelectorAll('figure.chart')].map(f => [f.querySelector('figcaption h3')?.textContent,"
        " f.querySelectorAll('svg.plot').length,"
        " [...f.querySelectorAll('svg')].filter(s => !s.closest('[aria-hidden=true]')).length])"
    )
    page.close()
    assert lang == "en"
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    assert headers == 0  # every header cell says what it heads
    # every chart has a title and its drawings are hidden from screen readers (its table gives the figures)
    assert charts and all(title and hidden == 0 for title, _, hidden in charts)


def staff_upload(answers: dict[str, dict[str, int]], roles: dict[str, str], name: str, comments: list):
    """The shape of pl_core.ingest's ParsedUpload that the store saves (as tests/test_report.py builds it)."""
    rows = [
        {"respondent": p, "role": roles[p], "grade_band": pd.NA, "submitted_at": pd.NaT, "source_row": i + 2,
         "item": item, "level": level}
        for i, (p, levels) in enumerate(answers.items())
        for item, level in levels.items()
    ]  # fmt: skip
    report = SimpleNamespace(
        valid=True, file_name=name, file_hash=name, format="template-long", rows_read=len(answers),
        respondents=len(answers), answers=len(rows), missing_answers=0, superseded=0,
    )  # fmt: skip
    return SimpleNamespace(
        report=report,
        responses=pd.DataFrame(rows).astype({"level": "Int64"}),
        comments=pd.DataFrame(comments, columns=["respondent", "column", "text"]),
    )


def test_the_longest_framework_with_everything_typed_at_length_still_prints_within_12_pages(browser, tmp_path):
    """LEAP (18 items named in whole sentences), five roles, two rounds, a consensus with notes on every item,
    many goals with milestones and twenty long comments: the core report keeps to the page budget."""
    fw = load_framework("leap-learning-framework")
    engine = make_engine(f"sqlite:///{tmp_path / 'pl.db'}")
    upgrade(engine)
    rng = random.Random(1)
    roles = ["Classroom teacher"] * 20 + ["Paraprofessional"] * 6 + ["Specialist"] * 5 + ["Coach"] * 2 + ["Admin"] * 2
    people = {f"person-{i}": role for i, role in enumerate(roles)}
    said = "We have started this in some classrooms, but the schedule makes it hard to sustain across grade levels."
    for n, round_name in enumerate(("Fall 2025", "Fall 2026")):
        answers = {p: {i.id: rng.choice([1, 2, 2, 3, 3, 4]) for i in fw.items} for p in people}
        comments = [(p, "Anything else you would like to share?", f"{said} ({k})") for k, p in enumerate(people)]
        parsed = staff_upload(answers, people, f"staff-{n}.csv", comments[:20])
        import_upload(
            engine, LOCAL, parsed, school="Long Name Community School", round=round_name, framework=fw, district="D"
        )
    note = (
        "Most classrooms show this weekly; the team saw it in walkthroughs and in student work.",
        "Walkthrough notes from September; two grade-level PLC agendas.",
    )
    workshop_store.import_workshop(
        engine,
        school="Long Name Community School",
        round="Fall 2026",
        framework=fw,
        held_at=dt.datetime(2026, 10, 1, 15, 30, tzinfo=dt.UTC),
        votes={f"member-{k}": {i.id: float(rng.choice([2, 3])) for i in fw.items} for k in range(6)},
        consensus={i.id: 3.0 for i in fw.items},
        notes={i.id: note for i in fw.items},  # a workshop held on paper is closed, so its notes come with it
    )
    for k in range(6):
        save_goal(
            engine,
            Goal(
                school="Long Name Community School", framework_id=fw.id, item_id=fw.items[k].id,
                baseline_level=2.0, target_level=3.2, target_date=dt.date(2027, 6, 1),
                # the last goal starts after the latest round: "not yet measured", the longest status
                start_date=dt.date(2025, 9, 1) if k < 5 else dt.date(2026, 11, 1),
                owner="A. Person (assistant principal)", title=f"Goal {k}: a goal title of a realistic length",
                steps=("A first action step, described in a sentence of some length.", "A second, of the same kind."),
                milestones=tuple(Milestone(dt.date(2026, m, 15), f"Milestone {m}, in a few words") for m in (1, 4, 9)),
                statement="By June 1, 2027, move the item from 2 to 3.2, led by the assistant principal.",
                baseline_round="Fall 2025",
            ),
        )  # fmt: skip
    path = tmp_path / "report.html"
    html = build_report(
        engine, LOCAL, school="Long Name Community School", round="Fall 2026", framework=fw, today=dt.date(2026, 11, 22)
    )
    path.write_text(html, encoding="utf-8")
    engine.dispose()
    page = open_report(browser, path, PRINT_WIDTH, media="print")
    found = page.evaluate(OUTSIDE)
    page.emulate_media(media="null")  # page.pdf lays out with print rules unless another medium is forced
    pdf = page.pdf(format="Letter")
    page.close()
    assert found["problems"] == []
    assert "in the report with appendices" in html  # what did not fit is named, not dropped
    assert pdf_pages(pdf) <= MAX_PAGES
