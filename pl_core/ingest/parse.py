"""`read_upload`: bytes in, a validated `ParsedUpload` out, with every problem collected first.

The steps: open the bytes within the limits (`grid`), choose the sheet (`sheets`), recognise the export
and read it into the canonical table (`sources`), then, the same for every export: skip blank rows,
match columns to items and fields, key respondents, read submission times and settle their date order,
keep each respondent's latest submission, turn answers into levels, and report.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..frameworks.model import Framework, FrameworkItem
from . import sources
from .canonical import IDENTITY_FIELDS, TIME_FIELDS, CanonicalTable, SourceColumn, column_letter
from .categoricals import categorical, without_unused
from .columns import ItemIndex, check_duplicates, match_source_columns
from .grid import UnreadableFile, blank_mask, open_upload, release_memory
from .levels import LevelParser, is_missing_token, normalise, scale_text
from .report import (
    ColumnMatch,
    ImportIssue,
    ImportReport,
    IssueList,
    LabelToMap,
    Option,
    ParsedUpload,
    empty_comments,
    empty_responses,
)
from .respondents import identity_keys, latest_mask
from .sheets import choose_sheet
from .timestamps import StampReading, read_stamps

_NAT = np.datetime64("NaT", "us")


def read_upload(
    data: bytes,
    file_name: str,
    framework: Framework,
    *,
    secret: bytes,
    label_map: Mapping[str, int | None] | None = None,
    column_overrides: Mapping[str, str] | None = None,
    dayfirst: bool | None = None,
    block: int | None = None,
    sheet: str | None = None,
    scale_labels: Mapping[str, Mapping[str, int | None]] | None = None,
) -> ParsedUpload:
    """Read a survey export (our template; Google Forms or Sheets; Microsoft Forms; Qualtrics; SurveyMonkey).

    `dayfirst` settles dates such as 03/10/2025 when the file cannot (the report asks for it with an
    `ambiguous-date-order` error only when the order decides which submission counts); `block` picks
    which of several repeated question blocks is the self-assessment (`ambiguous-block`); `sheet` picks a
    workbook's sheet (`ambiguous-sheet`). Each such error carries the keyword in `choice` and the values
    in `options`.

    `label_map` maps answers to levels on every scale; `scale_labels` maps them on one scale only
    (`{scale id: {answer: level}}`, winning over `label_map`), for frameworks whose items use different scales.
    """
    file_hash = hashlib.sha256(data).hexdigest()
    base: dict = {"file_name": file_name, "file_hash": file_hash}
    try:
        upload = open_upload(data)
        base["sheets"] = upload.sheets
        grid = upload.grid(choose_sheet(upload, framework, sheet))
    except UnreadableFile as exc:
        return ParsedUpload(ImportReport(valid=False, format=None, errors=(exc.issue,), **base))
    base |= {"encoding": grid.encoding, "delimiter": grid.delimiter, "sheet": grid.sheet}
    table = sources.detect(grid).read(grid)
    del grid, upload  # the table holds what is needed
    release_memory()
    base |= {"source": table.source, "source_label": table.label, "header_rows": table.header_rows}
    if table.errors:
        report = ImportReport(
            valid=False, format=table.format, errors=tuple(table.errors), warnings=tuple(table.warnings), **base
        )
        return ParsedUpload(report)
    options = _Options(
        secret,
        file_hash,
        dict(label_map or {}),
        dict(column_overrides or {}),
        dayfirst,
        block,
        {scale: dict(labels) for scale, labels in (scale_labels or {}).items()},
    )
    return _Import(table, framework, options, base).run()


@dataclass(frozen=True)
class _Options:
    """What the caller said about this upload."""

    secret: bytes
    file_hash: str
    label_map: dict
    overrides: dict
    dayfirst: bool | None
    block: int | None
    scale_labels: dict


def _looks_like(table: CanonicalTable) -> str:
    rows = f" with {table.header_rows} header rows" if table.header_rows > 1 else ""
    return f"This looks like {table.label}{rows}"


class _Import:
    """One upload after its source reader: the shared steps, and the issues found so far."""

    def __init__(self, table: CanonicalTable, framework: Framework, options: _Options, base: dict):
        self.t = table
        self.framework = framework
        self.o = options
        self.base = base
        self.errors = IssueList()
        self.warnings = IssueList()
        for w in table.warnings:
            self.warnings.add(w)
        self.rows_in_file = len(table.rows) + sum(len(r) for r in table.skipped.values())
        self.item_order = {item.id: i for i, item in enumerate(framework.items)}
        self._parsers: dict[str, LevelParser] = {}
        self.facts: dict = {}
        self._to_map: dict[tuple[str, str], list] = {}  # (scale, value) -> [problem, cells, columns]

    # -- the steps ------------------------------------------------------------------------------------

    def run(self) -> ParsedUpload:
        t = self.t
        self.skip_blank_rows()
        if len(t.rows) == 0:
            message = "The file has a header row but no responses."
            if t.source != sources.template.ID:
                message = f"{_looks_like(t)}, but it has no responses below its header."
            issue = ImportIssue(
                "no-rows",
                None,
                None,
                None,
                message,
                "Check that the export was made after people answered, then upload it again.",
            )
            return self.reject(issue)
        matches, errors, warnings = match_source_columns(
            t.columns, self.framework, self.o.overrides, long_form=t.long_form, duplicates=False
        )
        for issue in errors:
            self.errors.add(issue)
        for issue in warnings:
            self.warnings.add(issue)
        self.choose_block(matches)
        errors, warnings = check_duplicates(matches, self.framework)
        for issue in errors:
            self.errors.add(issue)
        for issue in warnings:
            self.warnings.add(issue)
        self.matches = matches
        if t.long_form:
            return self.long_form()
        items = [(col, m) for col, m in zip(t.columns, matches, strict=True) if m.kind == "item"]
        if not items and not self.errors:
            return self.reject(self.no_items_issue(), columns=matches)
        fields = self.fields()
        keys, identified = self.keys(fields)
        release_memory()
        submitted = self.submitted(fields, keys, identified)
        release_memory()
        key_codes = keys.codes.astype(np.int64)
        kept = latest_mask(key_codes, submitted, t.rows) | ~identified
        superseded = self.note_superseded(kept, "submission")
        items.sort(key=lambda cm: self.item_order[cm[1].item])
        levels = [self.levels_for(col, self.framework.item(m.item)) for col, m in items]
        role, grade = self.text_field(fields, "role"), self.text_field(fields, "grade_band")
        comments = self.comments(keys, kept)
        # Everything the output needs is in hand: let the raw columns go before building it.
        for col in t.columns:
            col.values = col.values.iloc[:0]
        release_memory()
        responses = self.wide_responses(keys, role, grade, submitted, kept, [m.item for _, m in items], levels)
        return self.finish(responses, comments, superseded)

    def reject(self, issue: ImportIssue, columns: list[ColumnMatch] | None = None) -> ParsedUpload:
        self.errors.add(issue)
        report = ImportReport(
            valid=False,
            format=None if issue.type in ("no-items", "not-a-table") else self.t.format,
            rows_read=self.rows_in_file,
            errors=tuple(self.sorted(self.errors)),
            warnings=tuple(self.sorted(self.warnings)),
            columns=tuple(columns or ()),
            **self.report_facts(),
            **self.base,
        )
        return ParsedUpload(report)

    def skip_blank_rows(self) -> None:
        t = self.t
        if not t.columns or not len(t.rows):
            return
        blank = np.ones(len(t.rows), dtype=bool)
        for col in t.columns:
            blank &= blank_mask(col.values)
        if not blank.any():
            return
        rows = t.rows[blank]
        t.skipped["blank"] = tuple(int(r) for r in rows)
        t.keep(~blank)
        listed = ", ".join(map(str, rows[:10])) + (" ..." if len(rows) > 10 else "")
        self.warnings.add(
            ImportIssue(
                "blank-rows",
                int(rows[0]),
                None,
                None,
                f"{len(rows)} blank row{'s' if len(rows) > 1 else ''} skipped (row{'s' if len(rows) > 1 else ''} "
                f"{listed}); a cleared row is not a respondent.",
                None,
                rows=tuple(int(r) for r in rows),
            )
        )

    def no_items_issue(self) -> ImportIssue:
        t = self.t
        if len(t.columns) == 1:
            return ImportIssue(
                "not-a-table",
                None,
                None,
                None,
                "This file has a single column of text, not a table of responses.",
                "Upload the CSV or Excel export of the form, with one column per item.",
            )
        names = ", ".join(i.name for i in self.framework.items)
        if t.source == sources.template.ID:
            message = f"No column matches an item of {self.framework.name}."
        else:
            message = f"{_looks_like(t)}, but no question in it matches an item of {self.framework.name}."
        return ImportIssue(
            "no-items",
            1,
            None,
            None,
            message,
            f"name the questions (or a grid's rows) after the items ({names}), or map the columns to items "
            "on the Upload page",
        )

    # -- repeated question blocks -----------------------------------------------------------------------

    def choose_block(self, matches: list[ColumnMatch]) -> None:
        """Several blocks over the same statements (`Culture`, `Culture2`): keep the one chosen, ask if none."""
        t = self.t
        blocks: dict[int, list[int]] = {}
        for i, (col, m) in enumerate(zip(t.columns, matches, strict=True)):
            if col.block is not None and m.kind == "item" and m.how != "override":
                blocks.setdefault(col.block, []).append(i)
        if len(blocks) < 2:
            return
        labels = {b: self.block_label(b, idx) for b, idx in sorted(blocks.items())}
        self.facts["blocks"] = tuple(labels.values())
        chosen = self.o.block
        if chosen not in blocks:
            listed = "; ".join(labels.values())
            asked = f"There is no block {chosen!r}. " if chosen is not None else ""
            self.errors.add(
                ImportIssue(
                    "ambiguous-block" if chosen is None else "unknown-block",
                    1,
                    t.columns[blocks[min(blocks)][0]].header,
                    None,
                    f"{asked}{_looks_like(t)} with {len(blocks)} questions over the same statements ({listed}); "
                    "which one is the self-assessment?",
                    f"Choose the block: pass block={min(blocks)} (or {', '.join(map(str, sorted(blocks)[1:]))}), "
                    "or pick it on the Upload page.",
                    choice="block",
                    options=tuple(Option(b, label) for b, label in labels.items()),
                )
            )
            chosen = min(blocks)
        else:
            self.facts["block"] = chosen
        for b, idx in blocks.items():
            if b != chosen:
                for i in idx:
                    matches[i] = ColumnMatch(matches[i].header, "ignored", None, "other-block")

    def block_label(self, block: int, idx: list[int]) -> str:
        cols = [self.t.columns[i] for i in idx]
        span = f"{cols[0].header!r}" + (f" ... {cols[-1].header!r}" if len(cols) > 1 else "")
        return f"block {block}: {span} ({len(cols)} columns from column {column_letter(cols[0].position)})"

    # -- fields: identity, times, role, grade band ---------------------------------------------------------

    def fields(self) -> dict[str, SourceColumn]:
        out: dict[str, SourceColumn] = {}
        for col, m in zip(self.t.columns, self.matches, strict=True):
            if m.kind == "metadata" and m.item and m.item not in out:
                out[m.item] = col
        return out

    def keys(self, fields: dict[str, SourceColumn]) -> tuple[pd.Categorical, np.ndarray]:
        order = self.t.identity_order + tuple(f for f in IDENTITY_FIELDS if f not in self.t.identity_order)
        identities = [fields[f].values for f in order if f in fields]
        return identity_keys(identities, self.t.rows, secret=self.o.secret, file_hash=self.o.file_hash)

    def submitted(self, fields: dict[str, SourceColumn], keys: pd.Categorical, identified: np.ndarray) -> np.ndarray:
        order = self.t.time_order + tuple(f for f in TIME_FIELDS if f not in self.t.time_order)
        cols = [fields[f] for f in order if f in fields]
        if not cols:
            return np.full(len(self.t.rows), _NAT)
        reading = read_stamps(_first_filled([c.values for c in cols]))
        return self.date_order(reading, cols[0].header, keys, identified)

    def date_order(
        self, reading: StampReading, header: str, keys: pd.Categorical, identified: np.ndarray
    ) -> np.ndarray:
        """Day-first or month-first: chosen by the caller, else settled by the file, else asked when it matters."""
        rows = self.t.rows
        text = reading.text
        only_day, only_month, ambiguous = reading.only_day_first, reading.only_month_first, reading.ambiguous
        readable = ~np.isnat(reading.month_first) | ~np.isnat(reading.day_first)
        dayfirst = False
        if self.o.dayfirst is not None:
            dayfirst = bool(self.o.dayfirst)
            self.set_order("day-first" if dayfirst else "month-first", f"chosen: dayfirst={dayfirst}")
        elif only_day.any() and only_month.any():
            d, m = int(np.argmax(only_day)), int(np.argmax(only_month))
            self.ask_date_order(
                header,
                text(d),
                (int(rows[d]), int(rows[m])),
                f"Row {rows[d]} has {text(d)!r}, which reads only day-first, and row {rows[m]} has "
                f"{text(m)!r}, which reads only month-first, so the dates cannot all be read one way.",
            )
        elif only_day.any() or only_month.any():
            dayfirst = bool(only_day.any())
            i = int(np.argmax(only_day if dayfirst else only_month))
            order = "day-first" if dayfirst else "month-first"
            self.set_order(order, f"decided by the file: {text(i)!r} in row {rows[i]} can only be read {order}")
        elif not ambiguous.any():
            if readable.any():
                order = "year-first" if reading.year_first[readable].all() else "month-first"
                self.set_order(order, "no date in the file can be read two ways")
        else:
            involved = self.resubmitted_ambiguous(keys, identified, ambiguous)
            if involved.any():
                i = int(np.argmax(involved & ambiguous))
                people = len(np.unique(keys.codes[involved]))
                self.ask_date_order(
                    header,
                    text(i),
                    tuple(int(r) for r in rows[involved]),
                    f"Dates such as {text(i)!r} can be read day-first ({_day(reading.day_first[i])}) or month-first "
                    f"({_day(reading.month_first[i])}), and {people} {'people' if people > 1 else 'person'} "
                    "submitted more than once, so which submission is the latest depends on the order.",
                    (_day(reading.day_first[i]), _day(reading.month_first[i], month_first=True)),
                )
            else:
                i = int(np.argmax(ambiguous))
                self.set_order("month-first", "assumed: no date settles it and no resubmission depends on it")
                self.warnings.add(
                    ImportIssue(
                        "assumed-date-order",
                        None,
                        header,
                        text(i),
                        f"Dates such as {text(i)!r} could be day-first or month-first and nothing in the file "
                        "settles it; nobody submitted twice, so they were read month-first.",
                        "If the file is day-first (31/12/2025), import it with dayfirst=True (CLI --dayfirst).",
                    )
                )
        submitted = reading.read(dayfirst)
        bad = np.flatnonzero(np.isnat(submitted) & ~reading.blank)
        self.cell_issues(
            self.warnings,
            "bad-timestamp",
            header,
            bad,
            lambda i: (
                text(i),
                f"{text(i)!r} is not a date and time we can read"
                + (" in the date order used" if readable[i] else "")
                + "; row order decides resubmissions.",
            ),
        )
        return submitted

    def resubmitted_ambiguous(self, keys: pd.Categorical, identified: np.ndarray, ambiguous: np.ndarray) -> np.ndarray:
        """Rows of people who submitted more than once where some date of theirs reads two ways."""
        codes = keys.codes.astype(np.int64)
        n = len(keys.categories)
        counts = np.bincount(codes[identified], minlength=n)
        unclear = np.bincount(codes[identified & ambiguous], minlength=n) > 0
        return identified & ((counts > 1) & unclear)[codes]

    def set_order(self, order: str, reason: str) -> None:
        self.facts["date_order"] = order
        self.facts["date_order_reason"] = reason

    def ask_date_order(
        self, header: str, value: str, rows: tuple[int, ...], message: str, readings: tuple[str, str] | None = None
    ) -> None:
        """An error asking for the date order; the options show `value` read each way when it reads both ways."""
        day, month = readings or ("3 October 2025", "March 10, 2025")
        example = value if readings else "03/10/2025"
        if self.t.source != sources.template.ID:
            message = f"{_looks_like(self.t)}. {message}"
        self.errors.add(
            ImportIssue(
                "ambiguous-date-order",
                rows[0],
                header,
                str(value),
                message,
                "Choose the date order: day-first (31/12/2025) with dayfirst=True (CLI --dayfirst), or month-first "
                "(12/31/2025) with dayfirst=False (CLI --monthfirst).",
                rows=rows,
                choice="dayfirst",
                options=(
                    Option(True, f"day-first: {example} is {day}"),
                    Option(False, f"month-first: {example} is {month}"),
                ),
            )
        )

    def text_field(self, fields: dict[str, SourceColumn], name: str) -> pd.Categorical:
        """A categorical of stripped text for a field, NA where blank (or everywhere, without the field)."""
        n = len(self.t.rows)
        if name not in fields:
            return categorical(np.full(n, -1), [])
        values = fields[name].values
        stripped = pd.Series(values.cat.categories, dtype="str").str.strip().fillna("")
        codes_new, uniques = pd.factorize(stripped.where(stripped.ne("")))
        lookup = np.append(codes_new, -1)
        return categorical(lookup[values.cat.codes.to_numpy()], uniques)

    def note_superseded(self, kept: np.ndarray, what: str) -> int:
        dropped = np.flatnonzero(~kept)
        self.cell_issues(
            self.warnings,
            "superseded",
            None,
            dropped,
            lambda i: (None, f"This {what} was replaced by a later submission from the same respondent."),
        )
        return len(dropped)

    def cell_issues(self, issues: IssueList, type_: str, column: str | None, positions, describe, records=None) -> None:
        """One issue per position, up to the listing limit; the rest are only counted.

        `positions` index the records, or `records` when given (a subset of the records, as in the long form).
        """
        room = issues.room(type_, column)
        for i in positions[:room]:
            value, message, *hint = describe(i)
            record = records[i] if records is not None else i
            row = int(self.t.rows[record])
            issues.add(ImportIssue(type_, row, column, value, message, hint[0] if hint else None))
        if len(positions) > room:
            issues.count(type_, column, len(positions) - room)

    # -- levels ---------------------------------------------------------------------------------------

    def parser(self, item: FrameworkItem) -> LevelParser:
        if item.scale.id not in self._parsers:
            labels = {**self.o.label_map, **self.o.scale_labels.get(item.scale.id, {})}
            self._parsers[item.scale.id] = LevelParser(item.scale, labels)
        return self._parsers[item.scale.id]

    def levels_for(self, col: SourceColumn, item: FrameworkItem) -> np.ndarray:
        """Level of each record (-1 = missing), parsing each distinct answer once and reporting bad cells."""
        return self.levels_of(col.values, col.header, item)

    def levels_of(self, values: pd.Series, header: str, item: FrameworkItem, records=None) -> np.ndarray:
        parser = self.parser(item)
        categories = [str(c) for c in values.cat.categories]
        results = [parser.parse(c) for c in categories]
        lookup = np.array([r.level if r.level is not None else -1 for r in results] + [-1], dtype=np.int16)
        codes = values.cat.codes.to_numpy()
        bad = [i for i, r in enumerate(results) if r.problem]
        if bad:
            self.note_labels_to_map(header, item, categories, results, codes)
        for problem in sorted({results[i].problem for i in bad}):
            which = [i for i in bad if results[i].problem == problem]
            where = np.flatnonzero(np.isin(codes, which))
            self.cell_issues(
                self.warnings if problem == "multiple-levels" else self.errors,
                problem,
                header,
                where,
                lambda i, problem=problem: self.level_issue(problem, categories[codes[i]], item),
                records,
            )
        return lookup[codes]

    def note_labels_to_map(self, header: str, item: FrameworkItem, categories, results, codes) -> None:
        cells = np.bincount(codes[codes >= 0], minlength=len(categories))
        for i, r in enumerate(results):
            if r.problem in ("unknown-label", "level-out-of-range") and cells[i]:
                key = (item.scale.id, categories[i].strip())
                entry = self._to_map.setdefault(key, [r.problem, 0, []])
                entry[1] += int(cells[i])
                if header not in entry[2]:
                    entry[2].append(header)

    def level_issue(self, kind: str, value: str, item: FrameworkItem) -> tuple:
        scale = item.scale
        if kind == "multiple-levels":
            return (
                value,
                f"{value!r} ticks more than one level of {item.name!r}; it counts as a missing answer.",
                "A checkbox grid lets people tick several levels; a multiple-choice grid (one per row) does not.",
            )
        if kind == "level-out-of-range":
            hint = f"the scale is {scale_text(scale)}"
            if self.t.numeric_recodes:
                tool = self.t.label.split(" ", 1)[1]
                hint = (
                    f"This {tool} holds numeric recode values; if {value.strip()} is the recode of "
                    f'a choice such as "Don\'t know", add `"{value.strip()}": null` to a labels file '
                    "(--labels FILE) so it counts as a missing answer"
                )
            recode = " (a numeric recode, not a level)" if self.t.numeric_recodes else ""
            message = f"{value!r}{recode} is outside the scale of {item.name!r} ({scale.low} to {scale.high})."
            return (value, message, hint)
        return (
            value,
            f"{value!r} is not a level of {item.name!r}; the scale is {scale_text(scale)}.",
            f"add `{value.strip()}: N` (N one of {', '.join(map(str, scale.numbers))}) to a labels file and pass "
            "--labels FILE, or map it on the Upload page",
        )

    # -- output ---------------------------------------------------------------------------------------

    def wide_responses(
        self,
        keys: pd.Categorical,
        role: pd.Categorical,
        grade: pd.Categorical,
        submitted: np.ndarray,
        kept: np.ndarray,
        item_ids: list[str],
        levels: list[np.ndarray],
    ) -> pd.DataFrame:
        """One row per kept submission and item, in file order then framework order (no per-cell Python)."""
        rows = np.flatnonzero(kept)
        n = len(item_ids)
        if not n or not len(rows):
            return empty_responses()
        matrix = np.empty((len(rows), n), dtype=np.int16)
        for j, lv in enumerate(levels):
            matrix[:, j] = lv[rows]
        flat = matrix.ravel()
        missing = flat < 0
        level = pd.arrays.IntegerArray(np.where(missing, 0, flat).astype(np.int64), missing)
        frame = pd.DataFrame(
            {
                "respondent": _repeat(keys, rows, n, prune=False),  # every key has a kept submission
                "role": _repeat(role, rows, n),
                "grade_band": _repeat(grade, rows, n),
                "submitted_at": np.repeat(submitted[rows], n),
                "source_row": np.repeat(self.t.rows[rows], n),
                "item": _item_column(item_ids, len(rows)),
                "level": level,
            },
            copy=False,
        )
        return frame

    def comments(self, keys: pd.Categorical, kept: np.ndarray) -> pd.DataFrame:
        pieces = []
        for col, m in zip(self.t.columns, self.matches, strict=True):
            if m.kind != "comments":
                continue
            categories = pd.Series(col.values.cat.categories, dtype="str").str.strip().fillna("")
            useful = np.append((categories.ne("") & ~categories.map(is_missing_token).astype(bool)).to_numpy(), False)
            codes = col.values.cat.codes.to_numpy()
            take = np.flatnonzero(kept & useful[codes])
            if not len(take):
                continue
            pieces.append(
                pd.DataFrame(
                    {
                        "respondent": np.asarray(keys.categories)[keys.codes[take]],
                        "column": col.header,
                        "text": categories.to_numpy()[codes[take]],
                        "_row": self.t.rows[take],
                    }
                )
            )
        if not pieces:
            return empty_comments()
        out = pd.concat(pieces, ignore_index=True).sort_values("_row", kind="stable").drop(columns="_row")
        return out.drop_duplicates().astype("str").reset_index(drop=True)

    def sorted(self, issues: IssueList) -> list[ImportIssue]:
        # Read order, like a person scanning the sheet: by row, then left to right.
        position: dict[str, int] = {}
        for col in self.t.columns:
            position.setdefault(col.header, col.position)
        return issues.finished(lambda e: (e.row or 0, position.get(e.column, -1) if e.column else -1))

    def report_facts(self) -> dict:
        skipped = tuple((reason, len(rows)) for reason, rows in self.t.skipped.items())
        return {
            "blank_rows": len(self.t.skipped.get("blank", ())),
            "skipped_rows": skipped,
            "date_order": self.facts.get("date_order"),
            "date_order_reason": self.facts.get("date_order_reason"),
            "block": self.facts.get("block"),
            "blocks": self.facts.get("blocks", ()),
            "labels_to_map": tuple(
                LabelToMap(scale, value, problem, cells, tuple(columns))
                for (scale, value), (problem, cells, columns) in sorted(self._to_map.items())
            ),
        }

    def finish(self, responses: pd.DataFrame, comments: pd.DataFrame, superseded: int) -> ParsedUpload:
        errors = self.sorted(self.errors)
        level = responses["level"]
        report = ImportReport(
            valid=not errors,
            format=self.t.format,
            rows_read=self.rows_in_file,
            respondents=int(responses["respondent"].nunique()),
            answers=int(level.notna().sum()),
            missing_answers=int(level.isna().sum()),
            superseded=superseded,
            errors=tuple(errors),
            warnings=tuple(self.sorted(self.warnings)),
            columns=tuple(self.matches),
            **self.report_facts(),
            **self.base,
        )
        if errors:
            return ParsedUpload(report)
        return ParsedUpload(report, responses.reset_index(drop=True), comments)

    # -- one row per answer (our long template) ---------------------------------------------------------------

    def long_form(self) -> ParsedUpload:
        t = self.t
        fields = self.fields()
        order = t.identity_order + tuple(f for f in IDENTITY_FIELDS if f not in t.identity_order)
        if not any(f in fields for f in order):
            self.errors.add(
                ImportIssue(
                    "missing-column",
                    1,
                    None,
                    None,
                    "A file with one row per answer needs a `respondent` column saying whose answer each row is.",
                    "add a respondent column (any id or name; it is stored only as a keyed hash)",
                )
            )
        item_col, level_col = fields["item"], fields["level"]
        index = ItemIndex(self.framework)
        item_texts = [str(c).strip() for c in item_col.values.cat.categories]
        item_ids = [index.lookup(text)[0] for text in item_texts]
        codes = item_col.values.cat.codes.to_numpy()
        row_item = np.array([self.item_order[i] if i else -1 for i in item_ids] + [-1], dtype=np.int64)[codes]
        unknown = np.flatnonzero(row_item < 0)

        def unknown_item(i):
            value = item_texts[codes[i]]
            guess = index.close_match(value) if value else None
            return (
                value,
                f"{value!r} is not an item of {self.framework.name}." if value else "The item is blank.",
                f"did you mean {index.names[guess]!r}?" if guess else f"item ids are {', '.join(index.names)}",
            )

        self.cell_issues(self.errors, "unknown-item", item_col.header, unknown, unknown_item)
        levels = np.full(len(t.rows), -1, dtype=np.int16)
        items = self.framework.items
        for k in np.unique(row_item[row_item >= 0]):
            where = np.flatnonzero(row_item == k)
            sub = without_unused(level_col.values[where].reset_index(drop=True))
            levels[where] = self.levels_of(sub, level_col.header, items[k], where)
        keys, identified = self.keys(fields)
        submitted = self.submitted(fields, keys, identified)
        valid = row_item >= 0
        # The same person answering the same item twice: the later answer replaces the earlier one.
        answer_codes = keys.codes.astype(np.int64) * (len(items) + 1) + (row_item + 1)
        kept = latest_mask(answer_codes, submitted, t.rows) | ~valid
        superseded = self.note_superseded(kept, "answer")
        use = np.flatnonzero(kept & valid)
        role, grade = self.text_field(fields, "role"), self.text_field(fields, "grade_band")
        missing = levels[use] < 0
        responses = pd.DataFrame(
            {
                "respondent": _take(keys, use),
                "role": _take(role, use),
                "grade_band": _take(grade, use),
                "submitted_at": submitted[use],
                "source_row": t.rows[use],
                "item": without_unused(categorical(row_item[use], [i.id for i in items])),
                "level": pd.arrays.IntegerArray(np.where(missing, 0, levels[use]).astype(np.int64), missing),
            }
        )
        if len(responses):
            order = np.lexsort((row_item[use], t.rows[use]))
            responses = responses.iloc[order].reset_index(drop=True)
        else:
            responses = empty_responses()
        comments = self.comments(keys, kept)
        return self.finish(responses, comments, superseded)


def _item_column(item_ids: list[str], records: int) -> pd.Categorical:
    # Two columns may hold one item when the upload is already rejected for it; categories stay unique.
    codes, uniques = pd.factorize(pd.Index(item_ids, dtype="str"))
    return pd.Categorical.from_codes(
        np.tile(codes.astype(np.int8), records), categories=pd.Index(uniques, dtype="str"), validate=False
    )


def _first_filled(columns: list[pd.Series]) -> pd.Categorical:
    """Per record, the first column's value that is not blank (categoricals in, a categorical out)."""
    n = len(columns[0])
    codes = np.full(n, -1, dtype=np.int64)
    categories: list[str] = []
    for values in columns:
        own = values.cat.codes.to_numpy()
        usable = ~blank_mask(values)
        fill = (codes < 0) & usable
        codes[fill] = own[fill] + len(categories)
        categories += [str(c) for c in values.cat.categories]
    categories.append("")
    codes[codes < 0] = len(categories) - 1
    unique_codes, uniques = pd.factorize(pd.Index(categories, dtype="str"))
    return categorical(unique_codes[codes], uniques)


def _repeat(values: pd.Categorical, rows: np.ndarray, n: int, prune: bool = True) -> pd.Categorical:
    """Each record's value `n` times (once per item), as a categorical without unused categories."""
    codes = np.repeat(values.codes[rows], n)
    out = categorical(codes, values.categories)
    return without_unused(out) if prune else out


def _take(values: pd.Categorical, rows: np.ndarray) -> pd.Categorical:
    return without_unused(categorical(values.codes[rows], values.categories))


def _day(value: np.datetime64, month_first: bool = False) -> str:
    """A date as people who write it that way say it: '9 October 2024', or 'October 9, 2024'."""
    stamp = pd.Timestamp(value)
    return f"{stamp:%B} {stamp.day}, {stamp.year}" if month_first else f"{stamp.day} {stamp:%B %Y}"


__all__ = ["read_upload", "normalise"]
