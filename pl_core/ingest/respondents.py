"""Respondent identity without keeping who they are: keyed hashes, timestamps, resubmissions."""

from __future__ import annotations

import hashlib
import hmac
import re

import pandas as pd

KEY_LENGTH = 32
ANONYMOUS = frozenset({"", "anonymous", "anon", "n/a", "na", "none"})
# "2025/10/03 9:14:22 AM GMT-6": the zone suffix stops the parser; every row of one export shares it.
_KNOWN_FORMATS = (
    "%m/%d/%Y %H:%M:%S",  # Google Sheets (US) and Microsoft Forms CSV
    "%Y/%m/%d %I:%M:%S %p",  # Google Forms CSV download
    "%Y-%m-%d %H:%M:%S",  # ISO, and Excel cells read by openpyxl
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M",
)
_ZONE_SUFFIX = re.compile(r"\s*(?:GMT|UTC)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?\s*$", re.IGNORECASE)


def respondent_key(secret: bytes, identity: str) -> str:
    """HMAC-SHA256 of the normalised identity (stripped, case-folded), hex, first 32 characters."""
    message = identity.strip().casefold().encode("utf-8")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:KEY_LENGTH]


def row_key(secret: bytes, file_hash: str, row: int) -> str:
    """A key for an anonymous row: stable for the same file, never shared with another row."""
    return hmac.new(secret, f"{file_hash}:{row}".encode(), hashlib.sha256).hexdigest()[:KEY_LENGTH]


def usable_identity(values: pd.Series) -> pd.Series:
    """The identity text where it names someone; NA where blank or 'anonymous'."""
    cleaned = values.astype("str").str.strip()
    return cleaned.where(~cleaned.str.casefold().isin(ANONYMOUS))


def assign_keys(
    identities: list[pd.Series], source_rows: pd.Series, *, secret: bytes, file_hash: str
) -> tuple[pd.Series, pd.Series]:
    """Key every row from the first usable identity column (email, then name, then respondent), else per row.

    Returns the keys and a boolean Series that is True where the key came from an identity (so it can
    repeat, and resubmissions can be detected).
    """
    chosen = pd.Series(pd.NA, index=source_rows.index, dtype="object")
    for values in identities:
        ident = usable_identity(values)
        chosen = chosen.where(chosen.notna(), ident.str.strip().str.casefold())
    identified = chosen.notna()
    # Hash each distinct identity once; a 5,000-row file has far fewer people than cells.
    distinct = chosen[identified].unique()
    hashed = {v: respondent_key(secret, v) for v in distinct}
    keys = chosen.map(hashed).astype("object")
    anonymous = ~identified
    if anonymous.any():
        keys[anonymous] = [row_key(secret, file_hash, int(r)) for r in source_rows[anonymous]]
    return keys.astype("str"), identified


def parse_timestamps(values: pd.Series) -> pd.Series:
    """Parse export timestamps month-first ('10/3/2025 9:14:22', '2025/10/03 9:14:22 AM GMT-6', ISO); NaT if not."""
    text = values.astype("str").str.strip()
    cleaned = text.str.replace(_ZONE_SUFFIX, "", regex=True)
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    todo = cleaned.ne("")
    # Each export uses one format, so a vectorised pass per known format is fast; the slow
    # per-value parser only sees whatever is left.
    for fmt in _KNOWN_FORMATS:
        if not todo.any():
            break
        got = pd.to_datetime(cleaned[todo], format=fmt, errors="coerce")
        parsed[todo] = got
        todo &= parsed.isna()
    if todo.any():
        parsed[todo] = pd.to_datetime(cleaned[todo], format="mixed", dayfirst=False, errors="coerce")
    return parsed


def latest_submissions(keys: pd.Series, submitted_at: pd.Series, source_rows: pd.Series) -> pd.Series:
    """True for the submission that counts for each key: the latest timestamp, then the latest row."""
    order = pd.DataFrame({"key": keys, "at": submitted_at, "row": source_rows})
    # NaT sorts first so a dated submission beats an undated one; rows break ties in file order.
    order = order.sort_values(["at", "row"], na_position="first", kind="stable")
    kept = ~order.duplicated("key", keep="last")
    return kept.reindex(keys.index)
