"""The school report: sections, offline-only resources, and every typed field escaped (XSS)."""

from __future__ import annotations

import argparse
import re
from dataclasses import replace
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
from pl_core.domain.summary import ItemFigure
from pl_core.frameworks import load_framework
from pl_core.present.report import (
    CORE_COMMENTS,
    CORE_GOALS,
    SECTIONS,
    SOFT_HYPHEN,
    STATUS_COLOURS,
    ScaleView,
    _segments,
    continuous_colour,
    continuum_groups,
    contrast,
    css_string,
    ink_on,
    render_report,
    role_heatmap,
    scale_view,
    soft_hyphens,
)
from pl_core.services.access import LOCAL
from pl_core.services.imports import save_import as import_upload
from pl_core.services.reports import ReportError, build_report, gather_report
from pl_core.store import load_responses, make_engine, upgrade
from pl_core.store import workshops as workshop
from pl_core.store.goals import save_goal

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
TODAY = date(2026, 11, 22)


def hostile(label: str) -> str:
    """A field value that would run script if it reached the page unescaped; `label` says which field it is."""
    return f"{label} {SCRIPT} {IMG}"


SCHOOL = hostile("school")
# Round names are at most 60 characters (pl_core.domain.names): the script alone fits beside the season.
EARLIER, LATER = f"Fall 2025 {IMG}", f"Fall 2026 {SCRIPT}"
ROLE_SHOWN, ROLE_SMALL = hostile("role-a"), hostile("role-b")  # 6 and 2 respondents: the second is suppressed
TYPED_FIELDS = [
    "school",
    "comment-question",
    "comment",
    "rationale",
    "evidence",
    "goal-title",
    "owner",
    "statement",
    "milestone",
    "goal-step",
    "role-a",
    "role-b",
]
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "header", "footer", "nav", "section", "article",
    "figure", "figcaption", "div", "p", "h1", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "sub", "span",
    "a", "table", "colgroup", "col", "thead", "tbody", "tr", "th", "td", "dl", "dt", "dd",
    "svg", "rect", "circle", "path", "line",
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
        import_upload(engine, LOCAL, parsed, school=SCHOOL, round=round_name, framework=dps, district="Test District")
    workshop.import_workshop(
        engine,
        school=SCHOOL,
        round=LATER,
        framework=dps,
        held_at=datetime(2026, 10, 20, 15, 30, tzinfo=UTC),
        votes={hostile("participant"): {"culture": 3.0, "mindset": 4.0}},
        consensus={"culture": 3.5, "mindset": 4.0},
        facilitator=hostile("facilitator"),
        notes={"culture": (hostile("rationale"), hostile("evidence"))},  # a closed workshop is read-only after
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
    missing = [f for f in [*map(hostile, TYPED_FIELDS), LATER] if f not in text]
    assert missing == []


def test_typed_role_names_reach_the_role_heatmap_as_text(page):
    heatmap = Page(page).visible("heatmaps")
    assert hostile("role-a") in heatmap and hostile("role-b") in heatmap


def test_the_report_has_no_script_and_no_event_handler(page):
    parsed = Page(page)
    assert parsed.scripts == [] and "script" not in parsed.tags
    assert [(tag, name) for tag, name, _ in parsed.attrs if name.lower().startswith("on")] == []
    assert set(parsed.tags) <= ALLOWED_TAGS


def test_nothing_is_fetched_from_the_network(page):
    parsed = Page(page)
    assert [(tag, name) for tag, name, _ in parsed.attrs if name in ("src", "srcset", "data")] == []
    links = [value for tag, name, value in parsed.attrs if name == "href"]
    assert links and all(value.startswith("#") for value in links)  # in-page links only
    assert "link" not in parsed.tags and "iframe" not in parsed.tags
    assert not any(re.search(r"url\(|@import", style) for style in parsed.styles)
    assert "http://" not in page and "https://" not in page


def test_the_xss_checks_catch_a_renderer_without_autoescape(hostile_db, dps, monkeypatch):
    """The checks above can fail: the same templates rendered without autoescape let the script through."""
    from pl_core.present import report

    unsafe = report.environment().overlay(autoescape=False)
    monkeypatch.setattr(report, "environment", lambda: unsafe)
    html = build_report(hostile_db.engine, LOCAL, school=SCHOOL, round=LATER, framework=dps, today=TODAY)
    assert SCRIPT in html and "script" in Page(html).tags


def test_report_has_every_section_in_order_with_the_how_to_read_part(page):
    parsed = Page(page)
    assert list(parsed.sections) == [anchor for anchor, _ in SECTIONS]  # no appendix unless asked for
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


def test_the_appendices_describe_every_level_and_mark_the_current_and_next(hostile_db, dps):
    data = gather_report(hostile_db.engine, LOCAL, school=SCHOOL, round=LATER, framework=dps, today=TODAY)
    parsed = Page(render_report(data, appendices=True))
    assert list(parsed.sections) == [a for a, _ in SECTIONS] + ["appendix-heatmaps", "appendix-descriptors"]
    section = parsed.visible("appendix-descriptors")
    for item in dps.items:
        stage = int(scoring.stage_of(data.now.set_index("item").loc[item.id, "mean"], 1, 4))
        for level in item.scale.numbers:
            assert item.descriptors(level)[0] in section
        assert f"{item.scale.marked_label(stage, short=True)} (now)" in section
        if stage < 4:
            assert f"{item.scale.marked_label(stage + 1, short=True)} (next)" in section
    assert "Whole-school mean level by round" in parsed.visible("appendix-heatmaps")


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
    written = out.read_bytes()
    assert written == build_report(
        hostile_db.engine,
        LOCAL,
        school=SCHOOL,
        round=LATER,
        framework=load_framework("dps-driver-model"),
        today=date.today(),
    ).encode("utf-8")
    assert written.startswith(b"<!DOCTYPE html>") and b'<svg class="plot"' in written and SCRIPT.encode() not in written
    assert str(out) in capsys.readouterr().out
    assert b"appendix-descriptors" not in written


def test_cli_report_adds_the_appendices_when_asked(hostile_db, tmp_path):
    out = tmp_path / "report.html"
    args = report_args("--school", SCHOOL, "--round", LATER, "--db", hostile_db.url, "--out", str(out), "--appendices")
    assert args.func(args) == 0
    assert 'id="appendix-descriptors"' in out.read_text(encoding="utf-8")


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
    assert report_file_name("Aspen Elementary", "Fall 2026", True) == (
        "aspen-elementary-fall-2026-report-with-appendices.html"
    )
    assert re.fullmatch(r"[a-z0-9-]+\.html", report_file_name(SCHOOL, LATER))


def test_comments_appear_only_with_enough_respondents_and_without_who_wrote_them(tmp_path, dps):
    engine = make_engine(f"sqlite:///{tmp_path / 'pl.db'}")
    upgrade(engine)
    everyone = staff_answers(dps, 0)
    few = {p: a for p, a in list(everyone.items())[:4]}
    comments = [("person-0", "Anything else?", "Zoned planning time"), ("person-1", "Anything else?", "Advisory works")]
    for school, people in (("Small School", few), ("Big School", everyone)):
        parsed = upload(people, {p: "Specialist" for p in people}, f"{school}.csv", comments)
        import_upload(engine, LOCAL, parsed, school=school, round=LATER, framework=dps, district="Test District")
    small = gather_report(engine, LOCAL, school="Small School", round=LATER, framework=dps)
    assert small.comments is None
    html = render_report(small)
    assert "Zoned planning time" not in html and "fewer than 5 staff responded" in html
    big = gather_report(engine, LOCAL, school="Big School", round=LATER, framework=dps)
    assert list(big.comments.columns) == ["text", "column"]
    assert big.comments["text"].tolist() == ["Advisory works", "Zoned planning time"]  # sorted, not in file order


# ---------------------------------------------------------------- what the report shows, hand-checked


@pytest.fixture(scope="module")
def gathered(hostile_db, dps):
    return gather_report(hostile_db.engine, LOCAL, school=SCHOOL, round=LATER, framework=dps, today=TODAY)


def test_the_cover_shows_the_overviews_summary_not_a_figure_of_its_own(gathered, dps):
    # a summary whose figures the scores would not give: the report must print these, not recompute them
    summary = replace(
        gathered.summary,
        respondents=7,
        expected_staff=10,
        overall_mean=2.345,
        overall_before=2.0,
        strongest=ItemFigure("mindset", "Mindset", 3.9, 4, "Advanced"),
        weakest=ItemFigure("strategic-time", "Strategic Time", 1.2, 1, "Teacher Driven"),
        held_back=3,
    )
    header = Page(render_report(replace(gathered, summary=summary)).split('<section id="continuum"')[0]).visible()
    assert "7 of 10 expected (70%)" in header
    assert "2.35" in header and "+0.35 since" in header
    assert "Mindset" in header and "mean 3.90 \u00b7 Advanced" in header
    assert "Strategic Time" in header and "mean 1.20 \u00b7 Teacher Driven" in header
    assert "3 staff member(s) answered or changed their answers" in header


def hidden_scores(now: pd.DataFrame) -> pd.DataFrame:
    """Whole-school rows as the disclosure control will publish them for a school of 4: blank and `suppressed`."""
    figures = [c for c in now.columns if c in ("n", "missing", "mean", "median", "sd", "stage", "agreement")]
    figures += [c for c in now.columns if c.startswith(("count_", "share_"))]
    blank = now.copy()
    for column in figures:
        blank[column] = float("nan")
    blank["suppressed"] = True
    return blank


def test_hidden_whole_school_figures_are_said_plainly_and_never_drawn(gathered):
    data = replace(
        gathered,
        now=hidden_scores(gathered.now),
        summary=replace(gathered.summary, respondents=None, overall_mean=None, strongest=None, weakest=None),
        comparison=gathered.comparison.assign(staff_mean=float("nan"), staff_n=float("nan"), suppressed=True),
        growth=None,
        comments=None,
    )
    html = render_report(data)
    parsed = Page(html)
    assert "Staff who answered hidden" in " ".join(parsed.visible().split())
    continuum = parsed.visible("continuum")
    assert "Staff figures for" in continuum and "are hidden" in continuum
    assert continuum.count("hidden") >= len(gathered.framework.items)
    # no staff diamond anywhere, the leadership bars still drawn
    section = html.split('<section id="continuum"')[1].split("</section>")[0]
    assert "M0 -8L8 0" not in section and 'height="24"' in section
    assert "hidden: too few staff answered" in parsed.visible("distributions")
    whole = [row[0] for _, rows in role_heatmap(data).groups for _, row in rows]
    assert {c.text for c in whole} == {"hidden"}
    assert "Comments are not shown" in parsed.visible("comments")


def test_labels_that_are_ours_are_marked_and_footnoted(page, dps):
    parsed = Page(page)
    foundational = dps.scales["foundational"]
    footnote = foundational.footnote()
    assert footnote and "Developing*" in parsed.visible() and "Beginning*" not in parsed.visible()
    for section in ("continuum", "growth", "distributions"):
        text = parsed.visible(section)
        assert "Developing*" in text.replace(SOFT_HYPHEN, "") and footnote in text, section


def test_the_cover_footnotes_a_stage_label_of_ours(gathered, dps):
    ours = dps.scales["foundational"]
    summary = replace(
        gathered.summary,
        strongest=ItemFigure("culture", "Culture", 3.2, 3, "Proficient"),
        weakest=ItemFigure("relationships", "Relationships", 1.2, 1, "Beginning"),
    )
    cover = Page(render_report(replace(gathered, summary=summary)).split('<section id="continuum"')[0]).visible()
    assert "mean 3.20 \u00b7 Proficient*" in cover and ours.footnote() in cover
    plain = replace(summary, strongest=replace(summary.strongest, item_id="relationships", stage=4))
    cover = Page(render_report(replace(gathered, summary=plain)).split('<section id="continuum"')[0]).visible()
    assert ours.footnote() not in cover


def test_recommendations_footnote_exactly_the_labels_of_ours_they_name(gathered, dps):
    text = Page(render_report(gathered)).visible("next-steps")
    named = {dps.item(r.item_id).scale.footnote([r.stage]) for r in gathered.recommendations} - {None}
    every = {s.footnote() for s in dps.scales.values()} - {None}
    assert named and all(note in text for note in named)
    assert not any(note in text for note in every - named)


def test_a_mean_sits_where_its_value_is_on_the_levels(gathered, dps):
    group = next(g for g in continuum_groups(gathered) if g.title == "Foundational Practices")
    row = next(r for r in group.rows if r.item == "Culture")
    culture = gathered.now.set_index("item").loc["culture"]
    # four bands from 0.5 to 4.5: a mean m sits at (m - 0.5) / 4 of the width
    assert row.mean_x == pytest.approx((culture["mean"] - 0.5) / 4 * 100, abs=0.01)
    assert row.lead_x == pytest.approx((3.5 - 0.5) / 4 * 100)
    assert ScaleView((), None, 1, 4).x(1.0) == 12.5 and ScaleView((), None, 1, 4).x(4.0) == 87.5


def test_diverging_bars_start_at_the_centre_line(dps):
    scale = dps.scales["driver"]
    view = scale_view(scale)
    # shares 10/20/30/40 %: levels 1-2 go left of 50 %, 3-4 right; half a percent of width per percent of staff
    segments = _segments([10.0, 20.0, 30.0, 40.0], scale, view)
    assert [(s.x, s.width) for s in segments] == [(40.0, 10.0), (35.0, 5.0), (50.0, 15.0), (65.0, 20.0)]
    five = replace(
        scale,
        levels=(*scale.levels, replace(scale.levels[-1], number=5, label="Beyond", short_label="Beyond")),
    )
    # a middle level (3 of 1-5) is split across the centre line
    segments = _segments([10.0, 10.0, 20.0, 20.0, 40.0], five, scale_view(five))
    assert [(s.x, s.width) for s in segments] == [
        (45.0, 5.0),
        (40.0, 5.0),
        (35.0, 5.0),
        (50.0, 5.0),
        (55.0, 10.0),
        (65.0, 20.0),
    ]


def test_the_role_heatmap_labels_every_hidden_cell(gathered):
    heatmap = role_heatmap(gathered)
    cells = [c for _, rows in heatmap.groups for _, row in rows for c in row]
    assert heatmap.columns[0] == "Whole school"
    assert sum(c.text == "n<5" for c in cells) == heatmap.hidden == int(gathered.by_role["suppressed"].sum()) > 0
    assert heatmap.all_hidden  # both roles are hidden here (the pair, and the six as its complement)


def test_comments_and_goals_beyond_the_core_go_to_an_appendix(gathered):
    many = pd.DataFrame({"text": [f"comment {i:02d}" for i in range(CORE_COMMENTS + 5)], "column": "Anything else?"})
    goals = [replace(gathered.goals[0], goal=replace(gathered.goals[0].goal, title=f"goal {i}")) for i in range(6)]
    data = replace(gathered, comments=many, goals=goals)
    core = Page(render_report(data))
    assert "comment 19" in core.visible("comments") and "comment 20" not in core.visible()
    assert "the first 20 of 25" in core.visible("comments")
    assert core.visible("goals").count("Action steps") == CORE_GOALS
    assert all(f"goal {i}" in core.visible("goals") for i in range(6))  # every goal is on the timeline
    full = Page(render_report(data, appendices=True))
    assert "comment 24" in full.visible("appendix-more") and "comment 19" not in full.visible("appendix-more")
    assert full.visible("appendix-more").count("Action steps") == 6 - CORE_GOALS


def test_the_same_data_gives_the_same_bytes(hostile_db, dps):
    def build():
        return build_report(hostile_db.engine, LOCAL, school=SCHOOL, round=LATER, framework=dps, today=TODAY)

    assert build() == build()


def test_colours_with_text_on_them_read_at_4_5_to_1():
    assert all(contrast(colour, "#ffffff") >= 4.5 for colour in STATUS_COLOURS.values())
    for i in range(101):  # every heatmap colour, with the ink chosen for it
        fill = continuous_colour(i / 100)
        assert contrast(fill, ink_on(fill)) >= 4.5, fill
    for muted in ("#595959", "#444444"):  # captions on white, on the how-to-read panel and table heads
        assert min(contrast(muted, bg) for bg in ("#ffffff", "#f4f6fa", "#eef1f5")) >= 4.5


def test_soft_hyphens_only_add_break_points_and_css_strings_cannot_break_out():
    for text in ("Paraprofessional", "Instructional coach", hostile("role-a"), "More Learner Centered*"):
        assert soft_hyphens(text).replace(SOFT_HYPHEN, "") == text
    assert soft_hyphens("Paraprofessional") == SOFT_HYPHEN.join(["Para", "pro", "fes", "sio", "nal"])
    escaped = str(css_string('a " } </style> \\ b'))
    assert re.fullmatch(r'"[A-Za-z0-9\\]*"', escaped)
