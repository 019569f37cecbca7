"""Exports for spreadsheets and data teams (CSV, XLSX), safe to open in Excel, and online SQLite backups.

Every export is a tidy table built from what the app already computes (`scoring`, `workshop`,
`goals`), then written by `write()`, which neutralises spreadsheet formula injection (OWASP
"CSV Injection"): a text cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return,
or their full-width forms, gets a leading ``'`` so Excel, LibreOffice and Google Sheets show it
as text instead of running it. Numbers (and text that is exactly a number, such as "-1.5") are
left alone, so numeric columns stay numeric.

Staff answers leave only as aggregates: `responses_table` gives level counts per school x round x
item, overall and by role and grade band, suppressed by `pl_core.privacy` (groups under
PL_MIN_GROUP_SIZE, and any group that could be worked out from the others), over the schools the
viewer may see (`pl_core.auth`).
The row-level pseudonymous answers (`response_rows`) are for a district data team and are only
offered by the command line (`pl-diag export responses --row-level`).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import re
import sqlite3
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy import Engine
from sqlalchemy.engine import URL

from . import auth, goals, privacy, scoring, store
from .frameworks import Framework
from .workshop import item_votes

KINDS = ("scores", "responses", "votes", "goals", "district")
FORMATS = ("csv", "xlsx")
MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# OWASP's list plus the full-width forms, which some spreadsheet apps normalise to ASCII before parsing.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
NOT_GIVEN = "(not given)"  # the group of respondents who left role or grade band blank
DECIMALS = 4
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_STATS = ["respondents", "n", "missing", "mean", "median", "sd", "stage", "agreement", "within_one"]


# --- writing -----------------------------------------------------------------------------------------------------


def neutralise(value):
    """The value, with a leading ' if it is text a spreadsheet could read as a formula (numbers untouched)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text cell (and header) neutralised; numeric, boolean and date columns kept."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series):
            continue  # booleans count as numeric here; none of these can hold text
        out[column] = series.astype(object).map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def to_csv(frame: pd.DataFrame) -> bytes:
    """CSV bytes (UTF-8 with a byte-order mark, so Excel reads accents right), formula-safe."""
    # CRLF as RFC 4180 says; it also makes the writer quote a cell holding a lone "\r", which would split the row.
    return neutralise_frame(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _xlsx_value(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)  # Excel has no time zones; exports are in UTC
    if isinstance(value, str):
        # openpyxl refuses control characters; drop them first, then neutralise what is left.
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def to_xlsx(frame: pd.DataFrame, sheet: str = "export") -> bytes:
    """XLSX bytes with one sheet: a bold, frozen header row; text neutralised, numbers as numeric cells."""
    book = Workbook(write_only=True)
    ws = book.create_sheet(re.sub(r"[\[\]:*?/\\]", "-", sheet)[:31] or "export")
    ws.freeze_panes = "A2"
    for i, column in enumerate(frame.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(max(len(str(column)) + 2, 10), 40)
    bold = Font(bold=True)
    header = []
    for column in frame.columns:
        cell = WriteOnlyCell(ws, value=_xlsx_value(str(column)))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for row in frame.itertuples(index=False, name=None):
        ws.append([_xlsx_value(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write(frame: pd.DataFrame, fmt: str, sheet: str = "export") -> bytes:
    """The frame as a CSV or XLSX file's bytes."""
    if fmt == "csv":
        return to_csv(frame)
    if fmt == "xlsx":
        return to_xlsx(frame, sheet)
    raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")


def format_for(path: str | Path) -> str:
    """The export format a file name asks for (its extension); ValueError for anything else."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ValueError(f"cannot tell the format of {Path(path).name!r}: name it .csv or .xlsx")
    return suffix


def file_name(kind: str, fmt: str, framework_id: str, school: str | None = None, round: str | None = None) -> str:
    """A descriptive download name such as pl-scores-dps-driver-model-aspen-elementary-fall-2026.csv."""
    parts = ["pl", kind, framework_id, school or "", round or ""]
    slug = "-".join(p for p in (re.sub(r"[^a-z0-9]+", "-", x.lower()).strip("-") for x in parts) if p)
    return f"{slug}.{fmt}"


# --- tables ------------------------------------------------------------------------------------------------------


def _only(value: str | None) -> list[str] | None:
    return None if value is None else [value]


def _stage_labels(frame: pd.DataFrame, framework: Framework) -> list[str | None]:
    return [
        None if pd.isna(stage) else framework.item(item).scale.label(int(stage))
        for item, stage in zip(frame["item"], frame["stage"], strict=True)
    ]


def _tidy_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts back to whole numbers (suppression made them floats) and statistics rounded for reading."""
    for column in frame.columns:
        if column in ("respondents", "n", "missing", "stage") or column.startswith("count_"):
            frame[column] = frame[column].astype("Float64").round().astype("Int64")
        elif column in ("mean", "median", "sd", "agreement", "within_one") or column.startswith("share_"):
            frame[column] = frame[column].astype(float).round(DECIMALS)
    return frame


def scores_table(
    engine: Engine, viewer: auth.Viewer, framework: Framework, *, school: str | None = None, round: str | None = None
) -> pd.DataFrame:
    """Whole-school item scores per school x round, for the viewer's schools (all rounds unless narrowed)."""
    scores = auth.item_scores(engine, viewer, framework, schools=_only(school), rounds=_only(round))
    scores = _round_order(engine, scores)
    scores.insert(0, "framework", framework.id)
    scores["stage_label"] = _stage_labels(scores, framework)
    counts = [f"count_{k}" for k in scoring.level_numbers(framework)]
    columns = ["framework", "school", "round", "domain", "domain_name", "item", "item_name", *_STATS]
    columns = [*columns[: columns.index("stage") + 1], "stage_label", *columns[columns.index("stage") + 1 :]]
    return _tidy_numbers(scores[[*columns, *counts]].reset_index(drop=True))


def group_scores(
    engine: Engine,
    viewer: auth.Viewer,
    framework: Framework,
    *,
    school: str | None = None,
    round: str | None = None,
    min_group: int | None = None,
) -> pd.DataFrame:
    """Long format: one row per school x round x item x group (the whole school, then each role and grade band).

    Breakdowns are suppressed by pl_core.privacy (small groups and the complements that would give them
    away) at PL_MIN_GROUP_SIZE, or `min_group` when higher; the whole school is shown whatever its size.
    """
    # One read of the answers serves all three tables; auth checks the viewer may use the schools named.
    responses = auth.responses(engine, viewer, framework.id, schools=_only(school), rounds=_only(round))
    threshold = max(privacy.min_group_size(), min_group or 0)
    # score_items' own "group" (the framework's grouping of items) would clash with the respondent group here.
    whole = scoring.score_items(responses, framework)
    parts = [whole.drop(columns="group").assign(breakdown="all", **{"group": "all"})]
    for breakdown in scoring.BREAKDOWNS:
        table = scoring.score_items(responses, framework, by=("school", "round", breakdown))
        table = privacy.suppress_breakdown(table, breakdown, threshold, whole)
        table = table.drop(columns="group").rename(columns={breakdown: "group"})
        parts.append(table.assign(breakdown=breakdown, group=table["group"].astype(object).fillna(NOT_GIVEN)))
    combined = pd.concat(parts, ignore_index=True)
    combined["suppressed"] = combined["suppressed"].astype(bool)
    order = {b: i for i, b in enumerate(("all", *scoring.BREAKDOWNS))}
    combined["_b"] = combined["breakdown"].map(order)
    combined = combined.sort_values(["school", "round", "item_order", "_b", "group"], kind="stable")
    return _round_order(engine, combined.drop(columns="_b")).reset_index(drop=True)


def _round_order(engine: Engine, frame: pd.DataFrame) -> pd.DataFrame:
    """Rounds in time order rather than alphabetically (Fall 2025, Spring 2026, Fall 2026)."""
    ordinal = {name: i for i, name in enumerate(store.list_rounds(engine))}
    position = frame["round"].map(ordinal).fillna(len(ordinal))
    return frame.assign(_r=position).sort_values(["school", "_r"], kind="stable").drop(columns="_r")


def responses_table(
    engine: Engine,
    viewer: auth.Viewer,
    framework: Framework,
    *,
    school: str | None = None,
    round: str | None = None,
    min_group: int | None = None,
) -> pd.DataFrame:
    """Staff answers as level counts per school x round x item x group, small groups suppressed (no one's answers)."""
    table = group_scores(engine, viewer, framework, school=school, round=round, min_group=min_group)
    table.insert(0, "framework", framework.id)
    counts = [f"count_{k}" for k in scoring.level_numbers(framework)]
    columns = ["framework", "school", "round", "domain", "item", "item_name", "breakdown", "group", "n", "missing"]
    return _tidy_numbers(table[[*columns, *counts, "suppressed"]].copy())


def district_table(
    engine: Engine,
    viewer: auth.Viewer,
    framework: Framework,
    *,
    school: str | None = None,
    round: str | None = None,
    min_group: int | None = None,
) -> pd.DataFrame:
    """The data team's tidy file: n, mean, sd, stage, agreement and level counts per school x round x item x group."""
    table = group_scores(engine, viewer, framework, school=school, round=round, min_group=min_group)
    table.insert(0, "framework", framework.id)
    table["stage_label"] = _stage_labels(table, framework)
    counts = [f"count_{k}" for k in scoring.level_numbers(framework)]
    columns = [
        "framework",
        "school",
        "round",
        "domain",
        "domain_name",
        "item",
        "item_name",
        "breakdown",
        "group",
        "n",
        "missing",
        "mean",
        "median",
        "sd",
        "stage",
        "stage_label",
        "agreement",
        *counts,
        "suppressed",
    ]
    return _tidy_numbers(table[columns].copy())


def response_rows(
    engine: Engine, viewer: auth.Viewer, framework: Framework, *, school: str | None = None, round: str | None = None
) -> pd.DataFrame:
    """Row-level pseudonymous answers (respondent key, role, grade band, item, level): for a district data team only.

    Only a district administrator (or the command line's local user) may have them; schools never do.
    """
    auth.require_role(viewer, auth.DISTRICT_ADMIN)
    frame = store.load_responses(engine, framework.id, schools=_only(school), rounds=_only(round))
    frame.insert(0, "framework", framework.id)
    return frame[["framework", "school", "round", "respondent", "role", "grade_band", "item", "level"]]


def _half_steps(framework: Framework) -> list[float]:
    levels = scoring.level_numbers(framework)
    return [levels[0] + i / 2 for i in range(2 * (levels[-1] - levels[0]) + 1)]


def votes_table(
    engine: Engine, viewer: auth.Viewer, framework: Framework, *, school: str | None = None, round: str | None = None
) -> pd.DataFrame:
    """Leadership workshops per item: how many votes each level got, the consensus and why; never who voted what."""
    steps = _half_steps(framework)
    vote_columns = [f"votes_{s:g}" for s in steps]
    rows = []
    for w in auth.list_workshops(engine, viewer, school=school, round=round, framework_id=framework.id):
        for iv in item_votes(engine, w.id, framework):
            # An open workshop's hidden votes stay hidden until the facilitator reveals them.
            hidden = w.status == "open" and not iv.revealed
            tally = {s: 0 for s in steps}
            for vote in iv.votes:
                tally[vote] = tally.get(vote, 0) + 1
            item = framework.item(iv.item)
            rows.append(
                {
                    "framework": framework.id,
                    "workshop_id": w.id,
                    "school": w.school,
                    "round": w.round,
                    "held_on": w.opened_at.date(),
                    "workshop_status": w.status,
                    "domain": item.domain,
                    "item": iv.item,
                    "item_name": item.name,
                    "revealed": iv.revealed,
                    "voters": iv.voters,
                    **{c: (None if hidden else tally[s]) for c, s in zip(vote_columns, steps, strict=True)},
                    "mean": None if hidden or iv.mean is None else float(np.round(iv.mean, DECIMALS)),
                    "median": None if hidden else iv.median,
                    "spread": None if hidden else iv.spread,
                    "needs_discussion": None if hidden else iv.needs_discussion,
                    "consensus": iv.consensus,
                    "rationale": iv.rationale,
                    "evidence": iv.evidence,
                }
            )
    columns = [
        "framework",
        "workshop_id",
        "school",
        "round",
        "held_on",
        "workshop_status",
        "domain",
        "item",
        "item_name",
        "revealed",
        "voters",
        *vote_columns,
        "mean",
        "median",
        "spread",
        "needs_discussion",
        "consensus",
        "rationale",
        "evidence",
    ]
    frame = _round_order(engine, pd.DataFrame(rows, columns=columns)).reset_index(drop=True)
    for column in [*vote_columns, "voters", "workshop_id"]:
        frame[column] = frame[column].astype("Int64")
    for column in ("mean", "median", "spread", "consensus"):
        frame[column] = frame[column].astype(float)
    return frame


def goals_table(
    engine: Engine,
    viewer: auth.Viewer,
    framework: Framework,
    *,
    school: str | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Goals with their progress status, one row per milestone (a goal without milestones gets one row)."""
    today = today or dt.date.today()
    rows = []
    for goal in auth.goals(engine, viewer, school=school, framework_id=framework.id):
        measured = auth.measurements(engine, viewer, framework.id, goal.school, goal.item_id)
        progress = goals.progress(goal, measured, today)
        latest = progress.checkpoints[-1] if progress.checkpoints else None
        overdue = set(progress.overdue)
        base = {
            "framework": framework.id,
            "goal_id": goal.id,
            "school": goal.school,
            "item": goal.item_id,
            "item_name": framework.item(goal.item_id).name,
            "title": goal.title,
            "owner": goal.owner,
            "status": goal.status,
            "progress": progress.status,
            "baseline_round": goal.baseline_round,
            "baseline_level": goal.baseline_level,
            "target_level": goal.target_level,
            "start_date": goal.start_date,
            "target_date": goal.target_date,
            "latest_round": latest.round if latest else None,
            "latest_measured": round(latest.measured, DECIMALS) if latest else None,
            "latest_planned": round(latest.planned, DECIMALS) if latest else None,
            "steps": "\n".join(goal.steps),
            "statement": goal.statement,
        }
        if not goal.milestones:
            rows.append({**base, "milestone_due": None, "milestone": None, "milestone_done": None})
        for m in goal.milestones:
            state = "done" if m.done else ("overdue" if m in overdue else "upcoming")
            rows.append(
                {**base, "milestone_due": m.due, "milestone": m.description, "milestone_done": m.done, "state": state}
            )
    columns = [
        "framework",
        "goal_id",
        "school",
        "item",
        "item_name",
        "title",
        "owner",
        "status",
        "progress",
        "baseline_round",
        "baseline_level",
        "target_level",
        "start_date",
        "target_date",
        "latest_round",
        "latest_measured",
        "latest_planned",
        "steps",
        "statement",
        "milestone_due",
        "milestone",
        "milestone_done",
        "state",
    ]
    frame = pd.DataFrame(rows, columns=columns).rename(columns={"state": "milestone_state"})
    frame["goal_id"] = frame["goal_id"].astype("Int64")
    for column in ("baseline_level", "target_level", "latest_measured", "latest_planned"):
        frame[column] = frame[column].astype(float)
    return frame


def export_table(
    engine: Engine,
    viewer: auth.Viewer,
    kind: str,
    framework: Framework,
    *,
    school: str | None = None,
    round: str | None = None,
    row_level: bool = False,
) -> pd.DataFrame:
    """The table for one export kind (see KINDS) over the viewer's schools; `row_level` only for responses."""
    if kind not in KINDS:
        raise ValueError(f"unknown export {kind!r}; use one of {', '.join(KINDS)}")
    if row_level and kind != "responses":
        raise ValueError("row-level output applies to the responses export only")
    scope = {"school": school, "round": round}
    if kind == "scores":
        return scores_table(engine, viewer, framework, **scope)
    if kind == "responses":
        if row_level:
            return response_rows(engine, viewer, framework, **scope)
        return responses_table(engine, viewer, framework, **scope)
    if kind == "votes":
        return votes_table(engine, viewer, framework, **scope)
    if kind == "goals":
        return goals_table(engine, viewer, framework, school=school)  # goals span rounds: no round filter
    return district_table(engine, viewer, framework, **scope)


def export_bytes(
    engine: Engine,
    viewer: auth.Viewer,
    kind: str,
    framework: Framework,
    fmt: str,
    *,
    school: str | None = None,
    round: str | None = None,
) -> bytes:
    """An aggregate export as file bytes, ready for a download button (never row-level)."""
    return write(export_table(engine, viewer, kind, framework, school=school, round=round), fmt, sheet=kind)


# --- backups -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    tables: dict[str, int]


class BackupNotSupported(Exception):
    """This database is not backed up by the app; the message says what to run instead."""


def pg_dump_command(url: str, out: str | Path) -> str:
    """The pg_dump command line that backs up a PostgreSQL database URL (password left to PGPASSWORD or ~/.pgpass)."""
    import shlex

    parsed = store.normalise_url(url)
    # Never echo a password into a terminal or a log: pg_dump reads it from PGPASSWORD or ~/.pgpass.
    target = URL.create(
        "postgresql",
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query=parsed.query,
    )
    dsn = target.render_as_string(hide_password=False)
    return f"pg_dump --format=custom --file={shlex.quote(str(out))} {shlex.quote(dsn)}"


def backup_database(
    url: str, out: str | Path, tables: Sequence[str] = ("schools", "responses", "workshops", "goals")
) -> BackupResult:
    """Copy a SQLite database to `out` with SQLite's online backup API, safe while the app writes to it.

    The copy is written beside `out` and renamed into place, so a failed backup never leaves a
    half-written file under the final name. PostgreSQL raises BackupNotSupported naming the
    pg_dump command to run instead.
    """
    parsed = store.normalise_url(url)
    if parsed.get_backend_name() == "postgresql":
        raise BackupNotSupported(
            "PostgreSQL is backed up with pg_dump, not by pl-diag; run:\n"
            f"  {pg_dump_command(url, out)}\n"
            "(the password comes from PGPASSWORD or ~/.pgpass; restore with pg_restore)"
        )
    source_path = parsed.database
    if source_path in (None, "", ":memory:"):
        raise ValueError("an in-memory SQLite database cannot be backed up")
    source_path = Path(source_path).expanduser()
    if not source_path.is_file():
        raise FileNotFoundError(f"no SQLite database at {source_path}")
    out = Path(out).expanduser()
    if out.resolve() == source_path.resolve():
        raise ValueError("the backup file must not be the database itself")
    fd, temp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)  # mkstemp made it 0600, which the copy keeps: it holds the staff's (pseudonymous) answers
    try:
        source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=30)
        target = sqlite3.connect(temp_name)
        try:
            # One step (pages=-1) copies a consistent snapshot; WAL lets writers carry on meanwhile.
            source.backup(target, pages=-1)
            target.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file, no -wal beside it
            if target.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("the backup failed SQLite's integrity check")
            counts = {}
            for table in tables:
                try:
                    counts[table] = target.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
                except sqlite3.OperationalError:  # a database not yet migrated that far
                    continue
        finally:
            target.close()
            source.close()
        os.replace(temp_name, out)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return BackupResult(out, out.stat().st_size, counts)


__all__ = [
    "FORMATS",
    "KINDS",
    "MIME",
    "BackupNotSupported",
    "BackupResult",
    "backup_database",
    "district_table",
    "export_bytes",
    "export_table",
    "file_name",
    "format_for",
    "goals_table",
    "group_scores",
    "neutralise",
    "neutralise_frame",
    "pg_dump_command",
    "response_rows",
    "responses_table",
    "scores_table",
    "to_csv",
    "to_xlsx",
    "votes_table",
    "write",
]
