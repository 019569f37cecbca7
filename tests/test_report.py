"""The school report: sections, offline-only resources, and every typed field escaped (XSS)."""

from __future__ import annotations

import argparse
import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from types import SimpleNamespace

import pandas as pd
import pytest

from pl_core import scoring
from pl_core.cli import UserError
from pl_core.cli.common import db_option
from pl_core.cli.report import add_parsers as add_report_parser
from pl_core.domain.goals import Goal, Milestone
from pl_core.domain.recommend import recommend
from pl_core.frameworks import load_framework
from pl_core.present.report import SECTIONS, render_report
from pl_core.services.access import LOCAL
from pl_core.services.reports import ReportError, build_report, gather_report
from pl_core.store import load_responses, make_engine, save_import, upgrade
from pl_core.store import workshops as workshop
from pl_core.store.goals import save_goal

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
TODAY = date(2026, 11, 22)


def hostile(label: str) -> str:
    """A field value that would run script if it reached the page unescaped; `label` says which field it is."""
    return f"{label} {SCRIPT} {IMG}"


SCHOOL = hostile("school")
EARLIER, LATER = hostile("Fall 2025 round"), hostile("Fall 2026 round")
ROLE_SHOWN, ROLE_SMALL = hostile("role-a"), hostile("role-b")  # 6 and 2 respondents: the second is suppressed
TYPED_FIELDS = [
    "school",
    "Fall 2026 round",
    "comment-question",
    "comment",
    "rationale",
    "evidence",
    "goal-title",
    "owner",
    "statement",
    "milestone",
    "goal-step",
]
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "header", "footer", "nav", "section", "article",
    "figure", "figcaption", "div", "p", "h1", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "sub", "span",
    "a", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "script",
}  # fmt: skip


def upload(levels: dict[str, dict[str, int]], roles: dict[str, str], file_name: str, comments: list) -> SimpleNamespace:
    """A stand-in for pl_core.ingest's ParsedUpload, shaped as docs/architecture.md describes."""
    rows = [
        {
            "respondent": person,
            "role": roles[person],
            "grade_band": pd.NA,
            "submitted_at": pd.NaT,
            "source_row": n + 2,
            "item": item,
            "level": level,
        }
        for n, (person, answers) in enumerate(levels.items())
        for item, level in answers.items()
    ]
    responses = pd.DataFrame(rows).astype({"level": "Int64"})
    report = SimpleNamespace(
        valid=True,
        file_name=file_name,
        file_hash=file_name,
        format="template-long",
        rows_read=len(levels),
        respondents=len(levels),
        answers=len(rows),
        missing_answers=0,
        superseded=0,
    )
    comment_frame = pd.DataFrame(comments, columns=["respondent", "column", "text"])
    return SimpleNamespace(report=report, responses=responses, comments=comment_frame)


def staff_answers(dps, shift: int) -> dict[str, dict[str, int]]:
    people = [f"person-{i}" for i in range(8)]
    return {
        p: {item.id: min(4, 1 + (i + j + shift) % 4) for j, item in enumerate(dps.items)} for i, p in enumerate(people)
    }


@pytest.fixture(scope="module")
def dps():
    return load_framework("dps-driver-model")


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory, dps):
    """A school where every field a person types holds script: two rounds, roles, comments, workshop, goal."""
    url = f"sqlite:///{tmp_path_factory.mktemp('report') / 'pl.db'}"
    engine = make_engine(url)
    upgrade(engine)
    roles = {f"person-{i}": ROLE_SHOWN if i < 6 else ROLE_SMALL for i in range(8)}
    comments = [("person-0", hostile("comment-question"), hostile("comment"))]
    for round_name, shift in ((EARLIER, 0), (LATER, 1)):
        parsed = upload(staff_answers(dps, shift), roles, f"staff-{shift}.csv", comments)
        save_import(engine, parsed, school=SCHOOL, round=round_name, framework=dps, district="Test District")
    held = workshop.import_workshop(
        engine,
        school=SCHOOL,
        round=LATER,
        framework=dps,
        held_at=datetime(2026, 10, 20, 15, 30, tzinfo=UTC),
        votes={hostile("participant"): {"culture": 3.0, "mindset": 4.0}},
        consensus={"culture": 3.0, "mindset": 4.0},
        facilitator=hostile("facilitator"),
    )
    workshop.record_consensus(
        engine, held.id, "culture", 3.5, rationale=hostile("rationale"), evidence=hostile("evidence")
    )
    save_goal(
        engine,
        Goal(
            school=SCHOOL,
            framework_id=dps.id,
            item_id="culture",
            baseline_level=2.0,
            target_level=3.5,
            start_date=date(2025, 9, 1),
            target_date=date(2027, 6, 1),
            owner=hostile("owner"),
            title=hostile("goal-title"),
            steps=(hostile("goal-step"),),
            milestones=(Milestone(date(2026, 1, 15), hostile("milestone")),),
            statement=hostile("statement"),
            baseline_round=EARLIER,
        ),
    )
    yield SimpleNamespace(engine=engine, url=url)
    engine.dispose()


@pytest.fixture(scope="module")
def page(hostile_db, dps) -> str:
    return build_report(hostile_db.engine, LOCAL, school=SCHOOL, round=LATER, framework=dps, today=TODAY)


class Page(HTMLParser):
    """Elements, attributes, script and style bodies, and the visible text per section of an HTML page."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.text: list[str] = []
        self.sections: dict[str, list[str]] = {}
        self._inside: str | None = None
        self._section: str | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, name, value) for name, value in attrs]
        if tag in ("script", "style"):
            self._inside = tag
            (self.scripts if tag == "script" else self.styles).append("")
        if tag == "section":
            self._section = dict(attrs).get("id")
            self.sections[self._section] = []

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._inside = None
        if tag == "section":
            self._section = None

    def handle_data(self, data):
        if self._inside == "script":
            self.scripts[-1] += data
        elif self._inside == "style":
            self.styles[-1] += data
        else:
            self.text.append(data)
            if self._section:
                self.sections[self._section].append(data)

    def visible(self, section: str | None = None) -> str:
        return " ".join(self.sections[section] if section else self.text)


NEW_PLOT = re.compile(
    r"\s*window\.PLOTLYENV=window\.PLOTLYENV \|\| \{\};\s*"
    r"if \(document\.getElementById\(\"figure-\d+\"\)\) \{\s*Plotly\.newPlot\(.*\)\s*\};\s*",
    re.S,
)


def is_plotlys_own(script: str) -> bool:
    """plotly's bundle, its config line, or one of its Plotly.newPlot calls, as plotly's to_html writes them."""
    return (
        script.lstrip().startswith("/**\n* plotly.js v")
        or script.strip() == "window.PlotlyConfig = {MathJaxConfig: 'local'};"
        or NEW_PLOT.fullmatch(script) is not None
    )


def test_typed_script_never_reaches_the_page_unescaped(page):
    assert SCRIPT not in page
    assert IMG not in page
    assert "alert(1)</script>" not in page.lower()


def test_every_typed_field_is_shown_as_plain_text(page):
    text = Page(page).visible()
    missing = [f for f in TYPED_FIELDS if hostile(f) not in text]
    assert missing == []


def test_typed_names_reach_the_charts_as_entities(page):
    scripts = "".join(Page(page).scripts)
    # plotly reads a few tags inside labels, so the report hands it '<' as '&lt;'; its JSON escapes the rest
    assert "role-a" in scripts and "&lt;script&gt;alert(1)&lt;\\u002fscript&gt;" in scripts
    assert "\\u003cscript\\u003ealert" not in scripts and "\\u003cimg src" not in scripts


def test_the_only_scripts_are_plotlys_and_no_element_has_an_event_handler(page):
    parsed = Page(page)
    assert parsed.scripts and all(is_plotlys_own(s) for s in parsed.scripts)
    figures = sum(
        1 for tag, name, value in parsed.attrs if tag == "div" and name == "class" and value == "plotly-graph-div"
    )
    assert sum(bool(NEW_PLOT.fullmatch(s)) for s in parsed.scripts) == figures > 0
    assert [(tag, name) for tag, name, _ in parsed.attrs if name.lower().startswith("on")] == []
    assert set(parsed.tags) <= ALLOWED_TAGS


def test_plotly_js_is_embedded_once_and_nothing_is_fetched_from_the_network(page):
    parsed = Page(page)
    assert sum("* plotly.js v" in s for s in parsed.scripts) == 1
    assert [(tag, name) for tag, name, _ in parsed.attrs if name == "src"] == []  # no script, image or frame loads
    links = [value for tag, name, value in parsed.attrs if name == "href"]
    assert links and all(value.startswith("#") for value in links)  # in-page links only
    assert "link" not in parsed.tags
    assert not any(re.search(r"url\(|@import", style) for style in parsed.styles)
    # outside plotly's bundle (whose map attributions mention sites it never loads for these charts)
    bundle = next(s for s in parsed.scripts if "* plotly.js v" in s)
    rest = page.replace(bundle, "")
    assert 'src="http' not in rest and 'href="http' not in rest and "src='http" not in rest


def test_report_has_every_section_in_order_with_the_how_to_read_part(page):
    parsed = Page(page)
    assert list(parsed.sections) == [anchor for anchor, _ in SECTIONS]
    assert "How to read this report" in parsed.visible()
    header = page[: page.index('<section id="continuum">')]
    assert "DPS Driver Model" in Page(header).visible() or "Driver Model" in Page(header).visible()
    assert "November 22, 2026" in Page(header).visible()


def test_next_steps_name_the_recommended_items_with_their_reasons_and_sources(page, hostile_db, dps):
    responses = load_responses(hostile_db.engine, dps.id, schools=[SCHOOL], rounds=[LATER])
    now = scoring.score_items(responses, dps)
    lead = workshop.leadership_ratings(hostile_db.engine, dps.id, schools=[SCHOOL], rounds=[LATER])
    expected = recommend(dps, now, lead, top=3)
    section = Page(page).visible("next-steps")
    assert len(expected) == 3
    for rec in expected:
        assert f"{rec.rank}. {rec.item_name}" in section
        assert rec.reason in section
        assert f"Source: {rec.plan.source}" in section


def test_role_breakdown_hides_the_small_group_and_its_complement(hostile_db, dps):
    # 6 and 2 people: the pair is small, and the six beside the whole school's 8 would give the pair by subtraction
    data = gather_report(hostile_db.engine, LOCAL, school=SCHOOL, round=LATER, framework=dps, today=TODAY)
    by_role = data.by_role.set_index("role")
    assert by_role["suppressed"].all()
    assert by_role["mean"].isna().all() and by_role["n"].isna().all()


def test_growth_compares_with_the_previous_round(hostile_db, dps):
    data = gather_report(hostile_db.engine, LOCAL, school=SCHOOL, round=LATER, framework=dps, today=TODAY)
    assert data.rounds == (EARLIER, LATER) and data.previous_round == EARLIER
    growth = data.growth.set_index("item")
    first = staff_answers(dps, 0)
    later = staff_answers(dps, 1)
    before = sum(a["culture"] for a in first.values()) / 8
    after = sum(a["culture"] for a in later.values()) / 8
    assert growth.loc["culture", "growth"] == pytest.approx(after - before)
    assert (data.summary.respondents, data.summary.respondents_before) == (8, 8)


def test_leadership_notes_and_goals_are_gathered(hostile_db, dps):
    data = gather_report(hostile_db.engine, LOCAL, school=SCHOOL, round=LATER, framework=dps, today=TODAY)
    note = data.consensus["culture"]
    assert (note.level, note.rationale, note.evidence, note.votes) == (
        3.5,
        hostile("rationale"),
        hostile("evidence"),
        (3.0,),
    )
    gaps = data.comparison.set_index("item")["gap"]
    assert gaps["culture"] == pytest.approx(3.5 - data.now.set_index("item").loc["culture", "mean"])
    [goal] = data.goals
    assert goal.goal.title == hostile("goal-title")
    assert [c.round for c in goal.checkpoints] == [LATER]  # the baseline round is the baseline, not a checkpoint
    assert [m.description for m in goal.overdue] == [hostile("milestone")]


def test_descriptors_show_the_current_and_next_level(page, hostile_db, dps):
    data = gather_report(hostile_db.engine, LOCAL, school=SCHOOL, round=LATER, framework=dps, today=TODAY)
    section = Page(page).visible("descriptors")
    for item in dps.items:
        stage = int(scoring.stage_of(data.now.set_index("item").loc[item.id, "mean"], 1, 4))
        assert item.descriptors(stage)[0] in section
        if stage < 4:
            assert item.descriptors(stage + 1)[0] in section


def test_an_earlier_round_leaves_later_rounds_out(hostile_db, dps):
    data = gather_report(hostile_db.engine, LOCAL, school=SCHOOL, round=EARLIER, framework=dps, today=TODAY)
    assert data.rounds == (EARLIER,) and data.previous_round is None and data.growth is None
    # the goal's baseline round is EARLIER: with LATER left out, nothing has measured it yet
    assert [c.round for c in data.goals[0].checkpoints] == []
    assert data.goals[0].status == "not yet measured"
    assert data.leadership.empty


def test_a_school_with_only_a_leadership_consensus_still_gets_a_report(hostile_db, dps):
    workshop.import_workshop(
        hostile_db.engine,
        school="Oak Primary",
        round=LATER,
        framework=dps,
        held_at=datetime(2026, 10, 21, 15, 30, tzinfo=UTC),
        votes={"Principal": {"culture": 2.0}},
        consensus={"culture": 2.0},
        district="Test District",
    )
    parsed = Page(build_report(hostile_db.engine, LOCAL, school="Oak Primary", round=LATER, framework=dps, today=TODAY))
    assert "No staff answers for" in parsed.visible("continuum")
    assert "1. Culture" in parsed.visible("next-steps")
    assert "Culture" in parsed.visible("leadership")


@pytest.mark.parametrize(
    ("school", "round_name", "problem"),
    [("Nowhere School", LATER, "no school"), (SCHOOL, "Winter 1999", "no round")],
)
def test_unknown_school_or_round_is_a_report_error(hostile_db, dps, school, round_name, problem):
    with pytest.raises(ReportError, match=problem):
        build_report(hostile_db.engine, LOCAL, school=school, round=round_name, framework=dps)


def report_args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="pl-diag")
    add_report_parser(parser.add_subparsers(dest="command", required=True), db_option())
    return parser.parse_args(["report", *argv])


def test_cli_report_writes_the_file(hostile_db, tmp_path, capsys):
    out = tmp_path / "report.html"
    args = report_args("--school", SCHOOL, "--round", LATER, "--db", hostile_db.url, "--out", str(out))
    assert args.func(args) == 0
    written = out.read_text(encoding="utf-8")
    assert written.startswith("<!DOCTYPE html>") and "Plotly.newPlot" in written and SCRIPT not in written
    assert str(out) in capsys.readouterr().out


def test_cli_report_for_an_unknown_school_is_a_user_error(hostile_db, tmp_path):
    args = report_args(
        "--school", "Nowhere", "--round", LATER, "--db", hostile_db.url, "--out", str(tmp_path / "r.html")
    )
    with pytest.raises(UserError, match="no school 'Nowhere'"):
        args.func(args)
    assert not (tmp_path / "r.html").exists()


def test_report_file_name_is_safe_whatever_the_school_is_called():
    from dashboard.components.report_button import report_file_name

    assert report_file_name("Aspen Elementary", "Fall 2026") == "aspen-elementary-fall-2026-report.html"
    assert re.fullmatch(r"[a-z0-9-]+\.html", report_file_name(SCHOOL, LATER))


def test_comments_appear_only_with_enough_respondents_and_without_who_wrote_them(tmp_path, dps):
    engine = make_engine(f"sqlite:///{tmp_path / 'pl.db'}")
    upgrade(engine)
    everyone = staff_answers(dps, 0)
    few = {p: a for p, a in list(everyone.items())[:4]}
    comments = [("person-0", "Anything else?", "Zoned planning time"), ("person-1", "Anything else?", "Advisory works")]
    for school, people in (("Small School", few), ("Big School", everyone)):
        parsed = upload(people, {p: "Specialist" for p in people}, f"{school}.csv", comments)
        save_import(engine, parsed, school=school, round=LATER, framework=dps, district="Test District")
    small = gather_report(engine, LOCAL, school="Small School", round=LATER, framework=dps)
    assert small.comments is None
    html = render_report(small)
    assert "Zoned planning time" not in html and "fewer than 5 staff responded" in html
    big = gather_report(engine, LOCAL, school="Big School", round=LATER, framework=dps)
    assert list(big.comments.columns) == ["text", "column"]
    assert big.comments["text"].tolist() == ["Advisory works", "Zoned planning time"]  # sorted, not in file order
