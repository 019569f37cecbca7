"""Header matching, shared by every source: which column is which item, which is a field, which is comments."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

import pandas as pd

from ..frameworks.model import Framework
from .canonical import SourceColumn
from .levels import normalise
from .report import ColumnMatch, ImportIssue

# Normalised header -> metadata field. Tools and our template spell these differently.
METADATA_HEADERS: dict[str, str] = {
    "timestamp": "timestamp",
    "submittedat": "timestamp",
    "submissiontime": "timestamp",
    "emailaddress": "email",
    "email": "email",
    "youremail": "email",
    "youremailaddress": "email",
    "username": "username",
    "name": "name",
    "fullname": "name",
    "yourname": "name",
    "respondentname": "name",
    "respondent": "respondent",
    "respondentid": "respondent",
    "id": "id",
    "starttime": "start_time",
    "completiontime": "completion_time",
    "lastmodifiedtime": "last_modified",
    "role": "role",
    "gradeband": "grade_band",
    "gradebands": "grade_band",
}
# Anchored, so that an item such as "Grade-Level Standards: ..." is not taken for the grade band.
_ROLE = re.compile(r"^(?:whatis|whats|what)?(?:your)?(?:current)?(?:role|position|jobrole|jobtitle)(?:atschool)?$")
_GRADE = re.compile(
    r"^(?:whatis|what|which)?(?:your)?(?:grade|grades)(?:band|bands|level|levels|span)?"
    r"(?:doyouteach|youteach|taught|doyouworkwith)?$"
)
# Free text is kept as staff comments only from a column that says it is one ("Comments", "Anything else
# you'd like to share?") or that the caller marks; any other column (a principal's own "Notes") is ignored.
_COMMENT_HEADER = re.compile(r"^(?:any)?(?:other|additional|general|final)?comments?$|^anythingelse")
OVERRIDE_KINDS = {
    "ignore": ("ignored", None),
    "comments": ("comments", None),
    "role": ("metadata", "role"),
    "grade_band": ("metadata", "grade_band"),
    "respondent": ("metadata", "respondent"),
    "email": ("metadata", "email"),
    "name": ("metadata", "name"),
    "timestamp": ("metadata", "timestamp"),
}
_GRID = re.compile(r"^(.*?)\s*\[([^\[\]]+)\]\s*$")
# Microsoft Forms puts explanation after the statement: "Relationships: students know ..." or "Culture - ...".
_HEAD_SPLIT = re.compile(r"\s*(?:[:?(\u2013\u2014]|\s-\s|\.\s)")
_ENUMERATION = re.compile(r"^\s*(?:q(?:uestion)?\s*)?\d+\s*[.):-]\s*", re.IGNORECASE)
MISSPELLING_CUTOFF = 0.8
_FREE_TEXT_MIN_CHARS = 25


class ItemIndex:
    """Framework items by normalised name and id, for header and long-form lookups."""

    def __init__(self, framework: Framework):
        self.by_key: dict[str, str] = {}
        self.names: dict[str, str] = {}
        for item in framework.items:
            self.by_key.setdefault(normalise(item.id), item.id)
            self.by_key.setdefault(normalise(item.name), item.id)
            self.names[item.id] = item.name
        self._choices = list(self.by_key)

    def lookup(self, text: str) -> tuple[str | None, str]:
        """Item id for a header/cell text and how it matched (`id` or `name`), or (None, "")."""
        key = normalise(text)
        item_id = self.by_key.get(key)
        if item_id is None:
            return None, ""
        # Names win ties ("Culture" vs id "culture"): a person wrote the header after the name.
        return item_id, "name" if key == normalise(self.names[item_id]) else "id"

    def close_match(self, text: str) -> str | None:
        """The item id a misspelled name most likely meant, if any is close enough."""
        key = normalise(text)
        if len(key) < 3:
            return None
        found = difflib.get_close_matches(key, self._choices, n=1, cutoff=MISSPELLING_CUTOFF)
        return self.by_key[found[0]] if found else None

    def mentions(self, header: str, statement: str | None = None) -> str | None:
        """The item a header names by any of the ways a header can name one (for choosing a sheet)."""
        for text, _how in _item_candidates(header, statement):
            item_id, _ = self.lookup(text)
            if item_id:
                return item_id
        return None


def metadata_field(header: str) -> str | None:
    """The metadata field a header names (timestamp, email, name, role, grade_band, ...), if any."""
    # "Your role (teacher, coach, ...)" names the field in its head; the rest is explanation.
    for text in dict.fromkeys((header, _HEAD_SPLIT.split(header, maxsplit=1)[0])):
        key = normalise(text)
        if key in METADATA_HEADERS:
            return METADATA_HEADERS[key]
        if _ROLE.match(key):
            return "role"
        if _GRADE.match(key):
            return "grade_band"
    return None


def is_comment_header(header: str) -> bool:
    """True for headers that say the column holds comments ("Comments", "Anything else ...?")."""
    stripped = _ENUMERATION.sub("", header)
    head = _HEAD_SPLIT.split(stripped, maxsplit=1)[0]
    return any(_COMMENT_HEADER.search(normalise(text)) for text in dict.fromkeys((stripped, head)) if text)


def _item_candidates(header: str, statement: str | None = None) -> list[tuple[str, str]]:
    """Texts in a header that could name an item, each with how it would match."""
    out: list[tuple[str, str]] = []
    if statement:
        out.append((statement, "statement"))
    grid = _GRID.match(header)
    if grid:
        out.append((grid.group(2), "grid-row"))
    out.append((header, ""))
    stripped = _ENUMERATION.sub("", header)
    head = _HEAD_SPLIT.split(stripped, maxsplit=1)[0]
    if head and head != header:
        out.append((head, "prefix"))
    return out


def _is_free_text(values: pd.Series) -> bool:
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = pd.Series(values.cat.categories, dtype="str")
    filled = values[values.str.strip().ne("")]
    if filled.empty:
        return False
    long_text = filled.str.len().ge(_FREE_TEXT_MIN_CHARS) & filled.str.contains(" ", regex=False)
    return bool(long_text.mean() >= 0.5)


def match_columns(
    headers: tuple[str, ...],
    cells: pd.DataFrame,
    framework: Framework,
    overrides: Mapping[str, str] | None = None,
) -> tuple[list[ColumnMatch], list[ImportIssue], list[ImportIssue]]:
    """Match every header of a one-row-per-respondent table; returns the matches, errors and warnings."""
    columns = [
        SourceColumn(pos, header, cells[pos] if pos in cells.columns else pd.Series([], dtype="str"))
        for pos, header in enumerate(headers)
    ]
    return match_source_columns(columns, framework, overrides)


def match_source_columns(
    columns: list[SourceColumn],
    framework: Framework,
    overrides: Mapping[str, str] | None = None,
    *,
    long_form: bool = False,
    duplicates: bool = True,
) -> tuple[list[ColumnMatch], list[ImportIssue], list[ImportIssue]]:
    """Match the columns of a canonical table; what a source reader already matched stays, unless overridden.

    With `duplicates=False` the check for two columns holding one item is left to the caller (who may
    first set aside repeated question blocks) through `check_duplicates`.
    """
    index = ItemIndex(framework)
    overrides = dict(overrides or {})
    headers = {c.header for c in columns}
    # Exact headers first; the forgiving match only for keys that name no header exactly, so that
    # overriding "culture" does not also catch "Culture" beside it.
    override_by_norm = {normalise(k): v for k, v in overrides.items() if k not in headers}
    matches: list[ColumnMatch] = []
    errors: list[ImportIssue] = []
    warnings: list[ImportIssue] = []
    for col in columns:
        header = col.header
        override = overrides.get(header, override_by_norm.get(normalise(header)))
        if override is not None:
            match = _apply_override(header, override, index, errors)
        elif col.match is not None:
            match = col.match
        elif long_form:
            match = _match_long_form_field(header)
        else:
            match = _match_one(col, index)
        if match.kind == "ignored" and match.how == "unknown":
            guess = None if long_form else _misspelling(col, index)
            if guess:
                errors.append(
                    ImportIssue(
                        "unknown-item",
                        1,
                        header,
                        header,
                        f"Column {header!r} does not match any item of {framework.name}.",
                        f"did you mean {index.names[guess]!r}?",
                    )
                )
            else:
                hint = "Map it to an item on the Upload page if it is one."
                if _is_free_text(col.values):
                    hint = (
                        "It looks like typed text; if staff wrote it in answer to the survey, map it to comments "
                        "(column_overrides={" + repr(header) + ": 'comments'}) to keep it."
                    )
                warnings.append(
                    ImportIssue(
                        "unknown-column",
                        1,
                        header,
                        None,
                        f"Column {header!r} is not an item or a known field; it was ignored.",
                        hint,
                    )
                )
        matches.append(match)
    if duplicates:
        _check_duplicates(matches, index, errors, warnings)
    return matches, errors, warnings


def check_duplicates(matches: list[ColumnMatch], framework: Framework) -> tuple[list[ImportIssue], list[ImportIssue]]:
    """Two columns holding one item is an error; a repeated field keeps the first column, with a warning."""
    errors: list[ImportIssue] = []
    warnings: list[ImportIssue] = []
    _check_duplicates(matches, ItemIndex(framework), errors, warnings)
    return errors, warnings


def _match_one(col: SourceColumn, index: ItemIndex) -> ColumnMatch:
    header = col.header
    text_header = col.base_header or header
    candidates = _item_candidates(text_header, col.statement)
    # A statement, a grid row or the whole header naming an item is the strongest signal; then metadata;
    # then a prefix, so that "Your role: ..." stays metadata while "Relationships: ..." becomes an item.
    for text, how in candidates:
        item_id, by = index.lookup(text) if how != "prefix" else (None, "")
        if item_id:
            return ColumnMatch(header, "item", item_id, how or by)
    field = metadata_field(header)
    if field:
        return ColumnMatch(header, "metadata", field, "header")
    for text, how in candidates:
        item_id, _ = index.lookup(text) if how == "prefix" else (None, "")
        if item_id:
            return ColumnMatch(header, "item", item_id, "prefix")
    if is_comment_header(header):
        return ColumnMatch(header, "comments", None, "header")
    return ColumnMatch(header, "ignored", None, "unknown")


def _match_long_form_field(header: str) -> ColumnMatch:
    field = metadata_field(header)
    if field:
        return ColumnMatch(header, "metadata", field, "header")
    if is_comment_header(header):
        return ColumnMatch(header, "comments", None, "header")
    return ColumnMatch(header, "ignored", None, "unknown")


def _misspelling(col: SourceColumn, index: ItemIndex) -> str | None:
    for text, _how in _item_candidates(col.base_header or col.header, col.statement):
        guess = index.close_match(text)
        if guess:
            return guess
    return None


def _apply_override(header: str, target: str, index: ItemIndex, errors: list[ImportIssue]) -> ColumnMatch:
    key = target.strip()
    if key.casefold() in OVERRIDE_KINDS:
        kind, field = OVERRIDE_KINDS[key.casefold()]
        return ColumnMatch(header, kind, field, "override")
    item_id, _ = index.lookup(key)
    if item_id:
        return ColumnMatch(header, "item", item_id, "override")
    options = ", ".join(sorted(OVERRIDE_KINDS))
    errors.append(
        ImportIssue(
            "bad-override",
            1,
            header,
            target,
            f"Column {header!r} is mapped to {target!r}, which is not an item id or a field.",
            f"map it to an item id ({', '.join(index.names)}) or one of: {options}",
        )
    )
    return ColumnMatch(header, "ignored", None, "override")


def _check_duplicates(
    matches: list[ColumnMatch], index: ItemIndex, errors: list[ImportIssue], warnings: list[ImportIssue]
) -> None:
    seen_items: dict[str, str] = {}
    seen_fields: dict[str, str] = {}
    for i, m in enumerate(matches):
        if m.kind == "item" and m.item:
            if m.item in seen_items:
                errors.append(
                    ImportIssue(
                        "duplicate-column",
                        1,
                        m.header,
                        None,
                        f"Columns {seen_items[m.item]!r} and {m.header!r} both hold item {index.names[m.item]!r}.",
                        "Delete one of them, or map one to another item or to 'ignore' on the Upload page.",
                    )
                )
            else:
                seen_items[m.item] = m.header
        elif m.kind == "metadata" and m.item:
            if m.item in seen_fields:
                # A second email/role column adds nothing we can trust more than the first; keep the first.
                matches[i] = ColumnMatch(m.header, "ignored", None, f"duplicate-{m.item}")
                warnings.append(
                    ImportIssue(
                        "duplicate-column",
                        1,
                        m.header,
                        None,
                        f"Column {m.header!r} repeats field {m.item!r} already read from {seen_fields[m.item]!r}; "
                        "it was ignored.",
                        None,
                    )
                )
            else:
                seen_fields[m.item] = m.header
