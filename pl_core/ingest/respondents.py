"""Respondent identity without keeping who they are: keyed hashes, and which submission counts."""

from __future__ import annotations

import hashlib
import hmac

import numpy as np
import pandas as pd

from .categoricals import categorical
from .timestamps import parse_timestamps

KEY_LENGTH = 32
ANONYMOUS = frozenset({"", "anonymous", "anon", "n/a", "na", "none"})

__all__ = [
    "ANONYMOUS",
    "KEY_LENGTH",
    "identity_keys",
    "latest_mask",
    "latest_submissions",
    "parse_timestamps",
    "respondent_key",
    "row_key",
]


def respondent_key(secret: bytes, identity: str) -> str:
    """HMAC-SHA256 of the normalised identity (stripped, case-folded), hex, first 32 characters."""
    message = identity.strip().casefold().encode("utf-8")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:KEY_LENGTH]


def row_key(secret: bytes, file_hash: str, row: int) -> str:
    """A key for an anonymous row: stable for the same file, never shared with another row."""
    return hmac.new(secret, f"{file_hash}:{row}".encode(), hashlib.sha256).hexdigest()[:KEY_LENGTH]


def _normalised(categories: pd.Index) -> pd.Series:
    """Distinct identity texts stripped and case-folded, NA where they name nobody ("anonymous", blank).

    Vectorised; Python's casefold (which differs from lowercasing for a few letters such as "ß") is
    applied only to values with non-ASCII characters, so keys stay exactly those of `respondent_key`.
    """
    text = pd.Series(categories, dtype="str").str.strip()
    folded = text.str.lower()
    special = text.str.contains(r"[^\x00-\x7f]", regex=True).fillna(False).to_numpy(dtype=bool)
    if special.any():
        folded = folded.astype(object)
        folded[special] = [v.casefold() for v in text[special]]
        folded = folded.astype("str")
    return folded.where(~folded.isin(ANONYMOUS))


def identity_keys(
    identities: list[pd.Series], source_rows: np.ndarray, *, secret: bytes, file_hash: str
) -> tuple[pd.Categorical, np.ndarray]:
    """Key every record from its first usable identity column (in the order given), else per row.

    `identities` are categorical text columns. Each distinct identity is normalised and hashed once, so
    a 500,000-row file costs as many hashes as it has people. Returns the keys (a categorical of hex
    strings) and a boolean array, True where the key came from an identity (so it can repeat, and
    resubmissions can be detected).
    """
    n = len(source_rows)
    normalised = [_normalised(values.cat.categories) for values in identities]
    # One numbering of identities across the columns: the same person by email in one and name in another
    # (or the same text in both) is one identity.
    numbers, names = pd.factorize(pd.concat(normalised, ignore_index=True)) if normalised else ([], [])
    chosen = np.full(n, -1, dtype=np.int64)
    offset = 0
    for values, norm in zip(identities, normalised, strict=True):
        lookup = np.append(np.asarray(numbers[offset : offset + len(norm)], dtype=np.int64), -1)
        offset += len(norm)
        found = lookup[values.cat.codes.to_numpy()]
        fill = (chosen < 0) & (found >= 0)
        chosen[fill] = found[fill]
    identified = chosen >= 0
    # Hash only the identities some record uses (a second-choice column may name people already keyed).
    used, inverse = np.unique(chosen[identified], return_inverse=True)
    # The names are already stripped and case-folded, so this is respondent_key with the key's padding
    # computed once (copying a keyed HMAC halves the time for half a million people).
    keyed = hmac.new(secret, digestmod=hashlib.sha256)
    hashed = []
    for name in pd.Index(names)[used].tolist() if len(used) else []:
        h = keyed.copy()
        h.update(name.encode("utf-8"))
        hashed.append(h.hexdigest()[:KEY_LENGTH])
    anonymous_rows = source_rows[~identified]
    keys = hashed + [row_key(secret, file_hash, int(r)) for r in anonymous_rows]
    codes = np.empty(n, dtype=np.int64)
    codes[identified] = inverse
    codes[~identified] = len(hashed) + np.arange(len(anonymous_rows))
    return categorical(codes, keys), identified


def latest_mask(key_codes: np.ndarray, submitted_at: np.ndarray, source_rows: np.ndarray) -> np.ndarray:
    """True for the record that counts for each key: the latest time, then the latest row.

    Undated records sort before dated ones, so a dated submission beats an undated one.
    """
    n = len(key_codes)
    if n == 0:
        return np.zeros(0, dtype=bool)
    at = submitted_at.astype("datetime64[us]").view("int64")  # NaT is the smallest int64
    order = np.lexsort((source_rows, at, key_codes))
    ordered = key_codes[order]
    last = np.ones(n, dtype=bool)
    last[:-1] = ordered[:-1] != ordered[1:]
    kept = np.zeros(n, dtype=bool)
    kept[order[last]] = True
    return kept


def latest_submissions(keys: pd.Series, submitted_at: pd.Series, source_rows: pd.Series) -> pd.Series:
    """True for the submission that counts for each key: the latest timestamp, then the latest row."""
    codes, _ = pd.factorize(keys)
    kept = latest_mask(
        np.asarray(codes),
        submitted_at.to_numpy(dtype="datetime64[us]"),
        source_rows.to_numpy(dtype=np.int64),
    )
    return pd.Series(kept, index=keys.index)
