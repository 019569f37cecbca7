"""`read_upload`: bytes in, a validated `ParsedUpload` out, with every problem collected first."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..frameworks.model import Framework, FrameworkItem
from .columns import ItemIndex, match_columns, metadata_field
from .levels import LevelParser, is_missing_token, normalise, scale_text
from .readers import RawTable, UnreadableFile, read_table
from .report import ColumnMatch, ImportIssue, ImportReport, ParsedUpload, empty_comments, empty_responses
from .respondents import assign_keys, latest_submissions, parse_timestamps

_LONG_ITEM = frozenset({"item", "itemid", "itemname"})
_LONG_LEVEL = frozenset({"level", "rating", "score", "answer", "response"})
_IDENTITY_FIELDS = ("email", "name", "respondent")
_TIME_FIELDS = ("timestamp", "completion_time", "start_time")


def read_upload(
    data: bytes,
    file_name: str,
    framework: Framework,
    *,
    secret: bytes,
    label_map: Mapping[str, int | None] | None = None,
    column_overrides: Mapping[str, str] | None = None,
) -> ParsedUpload:
    """Read a CSV or Excel upload (our template, Google Forms or Microsoft Forms) into tidy responses."""
    file_hash = hashlib.sha256(data).hexdigest()
    base = {"file_name": file_name, "file_hash": file_hash}
    try:
        table = read_table(data)
    except UnreadableFile as exc:
        return ParsedUpload(ImportReport(valid=False, format=None, errors=(exc.issue,), **base))
    base |= {"encoding": table.encoding, "delimiter": table.delimiter, "sheet": table.sheet}
    if table.cells.empty:
        issue = ImportIssue(
            "no-rows",
            None,
            None,
            None,
            "The file has a header row but no responses.",
            "Check that the export was made after people answered, then upload it again.",
        )
        return ParsedUpload(ImportReport(valid=False, format=None, errors=(issue,), **base))
    ctx = _Context(table, framework, secret, file_hash, dict(label_map or {}))
    if _is_long_form(table.headers, column_overrides):
        return ctx.long_form(base)
    return ctx.wide(base, column_overrides)


def _is_long_form(headers: tuple[str, ...], overrides: Mapping[str, str] | None) -> bool:
    keys = {normalise(h) for h in headers if not (overrides and h in overrides)}
    return bool(keys & _LONG_ITEM) and bool(keys & _LONG_LEVEL)


def _detect_format(matches: list[ColumnMatch]) -> str:
    fields = {m.item for m in matches if m.kind == "metadata"}
    if "id" in fields and fields & {"start_time", "completion_time"}:
        return "microsoft-forms"
    if "timestamp" in fields or any(m.how == "grid-row" for m in matches):
        return "google-forms"
    return "template-wide"


def _text_or_na(values: pd.Series) -> pd.Series:
    cleaned = values.str.strip()
    return cleaned.where(cleaned.ne("")).astype("str")


class _Context:
    """One upload being parsed: the table, the framework and the issues found so far."""

    def __init__(self, table: RawTable, framework: Framework, secret: bytes, file_hash: str, label_map: dict):
        self.table = table
        self.cells = table.cells
        self.framework = framework
        self.secret = secret
        self.file_hash = file_hash
        self.label_map = label_map
        self.errors: list[ImportIssue] = []
        self.warnings: list[ImportIssue] = []
        self.rows = pd.Series(range(table.first_row, table.first_row + len(table.cells)), index=table.cells.index)
        self._parsers: dict[str, LevelParser] = {}
        self.item_order = {item.id: i for i, item in enumerate(framework.items)}

    # -- shared steps -------------------------------------------------------------------------------

    def parser(self, item: FrameworkItem) -> LevelParser:
        if item.scale.id not in self._parsers:
            self._parsers[item.scale.id] = LevelParser(item.scale, self.label_map)
        return self._parsers[item.scale.id]

    def level_issue(self, kind: str, row: int, column: str, value: str, item: FrameworkItem) -> ImportIssue:
        scale = item.scale
        if kind == "level-out-of-range":
            return ImportIssue(
                kind,
                row,
                column,
                value,
                f"{value!r} is outside the scale of {item.name!r} ({scale.low} to {scale.high}).",
                f"the scale is {scale_text(scale)}",
            )
        return ImportIssue(
            kind,
            row,
            column,
            value,
            f"{value!r} is not a level of {item.name!r}; the scale is {scale_text(scale)}.",
            f"add `{value.strip()}: N` (N one of {', '.join(map(str, scale.numbers))}) to a labels file and pass "
            "--labels FILE, or map it on the Upload page",
        )

    def timestamps(self, fields: dict[str, int]) -> pd.Series:
        for name in _TIME_FIELDS:
            if name in fields:
                raw = self.cells[fields[name]]
                parsed = parse_timestamps(raw)
                bad = parsed.isna() & raw.str.strip().ne("")
                header = self.table.headers[fields[name]]
                for idx in bad[bad].index:
                    self.warnings.append(
                        ImportIssue(
                            "bad-timestamp",
                            int(self.rows[idx]),
                            header,
                            raw[idx],
                            f"{raw[idx]!r} is not a date and time we can read; row order decides resubmissions.",
                            None,
                        )
                    )
                return parsed
        return pd.Series(pd.NaT, index=self.cells.index, dtype="datetime64[us]")

    def keys(self, fields: dict[str, int]) -> tuple[pd.Series, pd.Series]:
        identities = [self.cells[fields[f]] for f in _IDENTITY_FIELDS if f in fields]
        return assign_keys(identities, self.rows, secret=self.secret, file_hash=self.file_hash)

    def metadata(self, fields: dict[str, int], name: str) -> pd.Series:
        if name in fields:
            return _text_or_na(self.cells[fields[name]])
        return pd.Series(pd.NA, index=self.cells.index, dtype="str")

    def note_superseded(self, kept: pd.Series, what: str) -> int:
        dropped = kept[~kept].index
        for idx in dropped:
            self.warnings.append(
                ImportIssue(
                    "superseded",
                    int(self.rows[idx]),
                    None,
                    None,
                    f"This {what} was replaced by a later submission from the same respondent.",
                    None,
                )
            )
        return len(dropped)

    def finish(
        self,
        base: dict,
        fmt: str,
        columns: list[ColumnMatch],
        responses: pd.DataFrame,
        comments: pd.DataFrame,
        superseded: int,
    ) -> ParsedUpload:
        # Read order, like a person scanning the sheet: by row, then left to right.
        position = {h: i for i, h in reversed(list(enumerate(self.table.headers)))}

        def where(issue: ImportIssue) -> tuple[int, int]:
            return (issue.row or 0, position.get(issue.column, -1) if issue.column else -1)

        errors = sorted(self.errors, key=where)
        warnings = sorted(self.warnings, key=where)
        report = ImportReport(
            valid=not errors,
            format=fmt,
            rows_read=len(self.cells),
            respondents=int(responses["respondent"].nunique()),
            answers=int(responses["level"].notna().sum()),
            missing_answers=int(responses["level"].isna().sum()),
            superseded=superseded,
            errors=tuple(errors),
            warnings=tuple(warnings),
            columns=tuple(columns),
            **base,
        )
        if errors:
            return ParsedUpload(report)
        return ParsedUpload(report, responses.reset_index(drop=True), comments.reset_index(drop=True))

    # -- one row per respondent -----------------------------------------------------------------------

    def wide(self, base: dict, overrides: Mapping[str, str] | None) -> ParsedUpload:
        headers = self.table.headers
        matches, errors, warnings = match_columns(headers, self.cells, self.framework, overrides)
        self.errors += errors
        self.warnings += warnings
        item_cols = [(pos, m) for pos, m in enumerate(matches) if m.kind == "item"]
        if not item_cols and not errors:
            if len(headers) == 1:
                issue = ImportIssue(
                    "not-a-table",
                    None,
                    None,
                    None,
                    "This file has a single column of text, not a table of responses.",
                    "Upload the CSV or Excel export of the form, with one column per item.",
                )
            else:
                names = ", ".join(i.name for i in self.framework.items)
                issue = ImportIssue(
                    "no-items",
                    1,
                    None,
                    None,
                    f"No column matches an item of {self.framework.name}.",
                    f"name the columns after the items ({names}), or map them on the Upload page",
                )
            return ParsedUpload(ImportReport(valid=False, format=None, errors=(issue,), columns=tuple(matches), **base))
        fields = {m.item: pos for pos, m in enumerate(matches) if m.kind == "metadata" and m.item}
        submitted = self.timestamps(fields)
        keys, identified = self.keys(fields)
        role, grade = self.metadata(fields, "role"), self.metadata(fields, "grade_band")

        kept = pd.Series(True, index=self.cells.index)
        if identified.any():
            kept = latest_submissions(keys, submitted, self.rows) | ~identified
        superseded = self.note_superseded(kept, "submission")

        pieces = []
        item_cols.sort(key=lambda pm: self.item_order[pm[1].item])
        for pos, match in item_cols:
            item = self.framework.item(match.item)
            levels = self.levels_for(self.cells[pos], item, match.header)
            pieces.append(
                pd.DataFrame(
                    {
                        "respondent": keys[kept],
                        "role": role[kept],
                        "grade_band": grade[kept],
                        "submitted_at": submitted[kept],
                        "source_row": self.rows[kept],
                        "item": item.id,
                        "level": levels[kept],
                    }
                )
            )
        responses = _tidy(pd.concat(pieces, ignore_index=True), self.item_order) if pieces else empty_responses()
        comment_cols = [pos for pos, m in enumerate(matches) if m.kind == "comments"]
        comments = self.comments_from(comment_cols, keys, kept)
        return self.finish(base, _detect_format(matches), matches, responses, comments, superseded)

    def levels_for(self, values: pd.Series, item: FrameworkItem, header: str) -> pd.Series:
        """Parse one item column by its distinct values, recording an issue for every bad cell."""
        parser = self.parser(item)
        # Parse each distinct value once, then spread the results back with the factorised codes.
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
        results = [parser.parse(str(v)) for v in uniques]
        numbers = pd.array([r.level for r in results], dtype="Int64")
        levels = pd.Series(numbers.take(codes), index=values.index)
        bad_codes = [i for i, r in enumerate(results) if r.problem]
        if bad_codes:
            for pos in np.flatnonzero(np.isin(codes, bad_codes)):
                result, value = results[codes[pos]], str(uniques[codes[pos]])
                row = int(self.rows.iloc[0]) + int(values.index[pos] - self.cells.index[0])
                self.errors.append(self.level_issue(result.problem, row, header, value, item))
        return levels

    def comments_from(self, positions: list[int], keys: pd.Series, kept: pd.Series) -> pd.DataFrame:
        pieces = []
        for pos in positions:
            text = self.cells[pos].str.strip()
            keep = kept & text.ne("") & ~text.map(is_missing_token).astype(bool)
            pieces.append(
                pd.DataFrame(
                    {
                        "respondent": keys[keep],
                        "column": self.table.headers[pos],
                        "text": text[keep],
                        "_row": self.rows[keep],
                    }
                )
            )
        if not pieces:
            return empty_comments()
        out = pd.concat(pieces, ignore_index=True).sort_values("_row", kind="stable").drop(columns="_row")
        return out.drop_duplicates().astype("str")

    # -- one row per answer -----------------------------------------------------------------------------

    def long_form(self, base: dict) -> ParsedUpload:
        headers = self.table.headers
        index = ItemIndex(self.framework)
        matches: list[ColumnMatch] = []
        fields: dict[str, int] = {}
        item_pos = level_pos = None
        comment_cols = []
        for pos, header in enumerate(headers):
            key = normalise(header)
            if key in _LONG_ITEM and item_pos is None:
                item_pos = pos
                matches.append(ColumnMatch(header, "metadata", "item", "long-form"))
            elif key in _LONG_LEVEL and level_pos is None:
                level_pos = pos
                matches.append(ColumnMatch(header, "metadata", "level", "long-form"))
            elif (field := metadata_field(header)) and field not in fields:
                fields[field] = pos
                matches.append(ColumnMatch(header, "metadata", field, "header"))
            elif "comment" in key or "note" in key:
                comment_cols.append(pos)
                matches.append(ColumnMatch(header, "comments", None, "header"))
            else:
                matches.append(ColumnMatch(header, "ignored", None, "unknown"))
                self.warnings.append(
                    ImportIssue(
                        "unknown-column",
                        1,
                        header,
                        None,
                        f"Column {header!r} is not a known field of the long form; it was ignored.",
                        None,
                    )
                )
        if not any(f in fields for f in _IDENTITY_FIELDS):
            self.errors.append(
                ImportIssue(
                    "missing-column",
                    1,
                    None,
                    None,
                    "A file with one row per answer needs a `respondent` column saying whose answer each row is.",
                    "add a respondent column (any id or name; it is stored only as a keyed hash)",
                )
            )
        item_header = headers[item_pos]
        item_text = self.cells[item_pos].str.strip()
        distinct = {v: index.lookup(v)[0] for v in item_text.unique()}
        item_ids = item_text.map(distinct)
        for idx in item_ids[item_ids.isna()].index:
            value = item_text[idx]
            guess = index.close_match(value) if value else None
            self.errors.append(
                ImportIssue(
                    "unknown-item",
                    int(self.rows[idx]),
                    item_header,
                    value,
                    f"{value!r} is not an item of {self.framework.name}." if value else "The item is blank.",
                    f"did you mean {index.names[guess]!r}?" if guess else f"item ids are {', '.join(index.names)}",
                )
            )
        levels = pd.Series(pd.NA, index=self.cells.index, dtype="Int64")
        raw_levels = self.cells[level_pos]
        for item_id in [i for i in item_ids.dropna().unique()]:
            rows = item_ids.eq(item_id).fillna(False).astype(bool)
            item = self.framework.item(item_id)
            levels[rows] = self.levels_for(raw_levels[rows], item, headers[level_pos])
        submitted = self.timestamps(fields)
        keys, _identified = self.keys(fields)
        valid_rows = item_ids.notna()
        # The same person answering the same item twice: the later answer replaces the earlier one.
        answer_keys = keys + "|" + item_ids.fillna("")
        kept = latest_submissions(answer_keys, submitted, self.rows) | ~valid_rows
        superseded = self.note_superseded(kept, "answer")
        use = kept & valid_rows
        responses = pd.DataFrame(
            {
                "respondent": keys[use],
                "role": self.metadata(fields, "role")[use],
                "grade_band": self.metadata(fields, "grade_band")[use],
                "submitted_at": submitted[use],
                "source_row": self.rows[use],
                "item": item_ids[use],
                "level": levels[use],
            }
        )
        responses = _tidy(responses, self.item_order)
        comments = self.comments_from(comment_cols, keys, kept)
        return self.finish(base, "template-long", matches, responses, comments, superseded)


def _tidy(responses: pd.DataFrame, item_order: dict[str, int]) -> pd.DataFrame:
    if responses.empty:
        return empty_responses()
    order = responses["item"].map(item_order)
    responses = responses.assign(_order=order).sort_values(["source_row", "_order"], kind="stable")
    return (
        responses.drop(columns="_order")
        .astype(
            {
                "respondent": "str",
                "role": "str",
                "grade_band": "str",
                "submitted_at": "datetime64[us]",
                "source_row": "int64",
                "item": "str",
                "level": "Int64",
            }
        )
        .reset_index(drop=True)
    )
