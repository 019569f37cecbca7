"""Submission times as exports write them, read both ways when the day and month could be swapped.

Google Forms' CSV writes `2024/09/10 8:00:05 AM GMT-6` (year first, so never ambiguous); a Google Sheets
download writes the spreadsheet's locale (`9/10/2024 8:00:05` in the US, `10/09/2024 08:00:05` in the UK);
Microsoft Forms and Google Sheets workbooks hold real dates; Qualtrics writes ISO. Each distinct text is
read once, both month-first and day-first; which order the file uses is decided afterwards, from values
that only make sense one way, or by the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

# One pattern for the numeric layouts: a, b and c are the date's three numbers in the order written.
# Written without spaces or flags so that Python's `re` and pyarrow's RE2 read it the same way.
_PATTERN = (
    r"^\s*(?P<a>\d{1,4})[/.\-](?P<b>\d{1,2})[/.\-](?P<c>\d{1,4})\.?"
    r"(?:(?:\s+|T|,\s*)(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?:(?P<p>[AaPp])\.?\s?[Mm]\.?)?)?"
    r"\s*(?:(?:GMT|UTC)\s*(?:[+\-\x{2212}]\s*\d{1,2}(?::?\d{2})?)?|Z|[+\-]\d{2}:?\d{2}|[A-Za-z]{2,5})?\s*$"
)
_STAMP = re.compile(_PATTERN.replace(r"\x{2212}", "\u2212"))
_GROUPS = ("a", "b", "c", "H", "M", "S", "p")
# Spreadsheet serial dates (days since 1899-12-30) that reached us as numbers: 1927 to 2173.
_SERIAL = re.compile(r"^\s*\d{5}(?:\.\d+)?\s*$")
_EXCEL_EPOCH = np.datetime64("1899-12-30T00:00:00", "us")
_NAT = np.datetime64("NaT", "us")

try:  # pyarrow (with Streamlit) runs the pattern over all distinct values at once
    import pyarrow as _pa
    import pyarrow.compute as _pc
except ImportError:  # pragma: no cover - the Python loop below does the same
    _pa = None


@dataclass(frozen=True)
class StampReading:
    """Every record's submission time read month-first and day-first (equal where the order cannot matter).

    The text of record i is `categories[codes[i]]`; only a few are ever turned into Python strings, for
    messages.
    """

    categories: pd.Index
    codes: np.ndarray
    blank: np.ndarray  # no text at all
    month_first: np.ndarray  # datetime64[us], NaT where unreadable that way
    day_first: np.ndarray
    year_first: np.ndarray  # written year first (ISO, Google Forms' CSV): never ambiguous

    def text(self, i: int) -> str:
        return str(self.categories[self.codes[i]]).strip()

    @property
    def ambiguous(self) -> np.ndarray:
        """Readable both ways, as two different moments ("03/10/2025")."""
        both = ~np.isnat(self.month_first) & ~np.isnat(self.day_first)
        return both & (self.month_first != self.day_first)

    @property
    def only_day_first(self) -> np.ndarray:
        """Readable only day-first ("13/10/2025")."""
        return np.isnat(self.month_first) & ~np.isnat(self.day_first)

    @property
    def only_month_first(self) -> np.ndarray:
        return ~np.isnat(self.month_first) & np.isnat(self.day_first)

    def read(self, dayfirst: bool) -> np.ndarray:
        return self.day_first if dayfirst else self.month_first


def read_stamps(values: pd.Series | pd.Categorical) -> StampReading:
    """Read a column of submission times (any text; categoricals are read once per distinct value)."""
    if isinstance(values, pd.Categorical):
        values = pd.Series(values)
    if isinstance(values.dtype, pd.CategoricalDtype):
        categories = pd.Index(values.cat.categories, dtype="str")
        codes = values.cat.codes.to_numpy()
    else:
        codes, uniques = pd.factorize(values.astype("str").fillna(""))
        categories = pd.Index(uniques, dtype="str")
    if len(categories) == 0:
        categories = pd.Index([""], dtype="str")
        codes = np.zeros(len(values), dtype=np.int64)
    stripped = pd.Series(categories, dtype="str").str.strip().fillna("")
    mf, df, yf = _read_distinct(stripped)
    blank = np.append(stripped.eq("").to_numpy(dtype=bool), True)
    mf, df, yf = np.append(mf, _NAT), np.append(df, _NAT), np.append(yf, False)
    return StampReading(categories, codes, blank[codes], mf[codes], df[codes], yf[codes])


def _groups(texts: pd.Series) -> dict[str, np.ndarray]:
    """The pattern's groups for every text: numbers as floats (NaN where absent), `p` as 0/1 (NaN: no AM/PM)."""
    n = len(texts)
    if _pa is not None:
        found = _pc.extract_regex(_pa.array(texts.array, type=_pa.string()), _PATTERN)
        out = {}
        for name in _GROUPS:
            part = _pc.struct_field(found, name)
            if name == "p":
                pm = _pc.match_substring_regex(part, "^[Pp]$")
                value = _pc.if_else(_pc.equal(part, ""), None, _pc.cast(pm, _pa.float64()))
            else:
                value = _pc.cast(_pc.if_else(_pc.equal(part, ""), None, part), _pa.float64())
            out[name] = value.to_numpy(zero_copy_only=False)
        out["matched"] = found.is_valid().to_numpy(zero_copy_only=False)
        for name in ("a", "c"):
            length = _pc.utf8_length(_pc.struct_field(found, name))
            out[f"{name}_len"] = _pc.fill_null(length, 0).to_numpy(zero_copy_only=False)
        return out
    out = {name: np.full(n, np.nan) for name in _GROUPS}
    out["matched"] = np.zeros(n, dtype=bool)
    out["a_len"] = np.zeros(n, dtype=np.int64)
    out["c_len"] = np.zeros(n, dtype=np.int64)
    for i, text in enumerate(texts):
        m = _STAMP.match(text) if text else None
        if not m:
            continue
        out["matched"][i] = True
        for name in _GROUPS:
            g = m.group(name)
            if g:
                out[name][i] = (1.0 if g in "Pp" else 0.0) if name == "p" else float(g)
        out["a_len"][i], out["c_len"][i] = len(m.group("a")), len(m.group("c"))
    return out


def _read_distinct(texts: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    g = _groups(texts)
    a, b, c = g["a"], g["b"], g["c"]
    year_first = g["matched"] & (g["a_len"] >= 3)
    # "9/10/24": a two-digit year at the end is this century's.
    c = np.where(~year_first & (g["c_len"] <= 2), c + 2000, c)
    hour = np.nan_to_num(g["H"])
    has_ampm = ~np.isnan(g["p"])
    bad_time = has_ampm & ((hour < 1) | (hour > 12))
    hour = np.where(has_ampm, hour % 12 + 12 * np.nan_to_num(g["p"]), hour)
    minute, second = np.nan_to_num(g["M"]), np.nan_to_num(g["S"])
    # Year first (ISO, Google Forms' CSV) is always y-m-d; otherwise a/b is month/day or day/month.
    year = np.where(year_first, a, c)
    month_first = _datetimes(year, np.where(year_first, b, a), np.where(year_first, c, b), hour, minute, second)
    day_first = _datetimes(year, b, np.where(year_first, c, a), hour, minute, second)
    month_first[bad_time] = _NAT
    day_first[bad_time] = _NAT
    # Anything else ("Oct 3, 2025 9:14 AM", spreadsheet serial numbers): the general parser, both ways.
    rest = np.flatnonzero(~g["matched"] & texts.ne("").to_numpy(dtype=bool))
    if len(rest):
        other = pd.Series(texts.to_numpy(dtype=object)[rest], dtype="str")
        serial = other.str.match(_SERIAL.pattern).fillna(False).to_numpy(dtype=bool)
        for dayfirst, out in ((False, month_first), (True, day_first)):
            got = np.array(
                pd.to_datetime(other, format="mixed", dayfirst=dayfirst, errors="coerce"), dtype="datetime64[us]"
            )
            if serial.any():
                days = pd.to_numeric(other[serial], errors="coerce").to_numpy(dtype=float)
                got[serial] = _EXCEL_EPOCH + (days * 86_400_000_000).astype("timedelta64[us]")
            out[rest] = got
    return month_first, day_first, year_first


def _datetimes(year, month, day, hour, minute, second) -> np.ndarray:
    """Whole arrays of date parts to datetime64[us]; NaT where the parts are not a real moment."""
    out = np.full(len(year), _NAT, dtype="datetime64[us]")
    ok = ~(np.isnan(year) | np.isnan(month) | np.isnan(day))
    ok &= (year >= 1) & (year <= 9999) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= 31)
    ok &= (hour >= 0) & (hour <= 23) & (minute >= 0) & (minute <= 59) & (second >= 0) & (second <= 59)
    if not ok.any():
        return out
    y, m, d = year[ok].astype(np.int64), month[ok].astype(np.int64), day[ok].astype(np.int64)
    first_of_month = ((y - 1970) * 12 + (m - 1)).astype("datetime64[M]")
    date = first_of_month.astype("datetime64[D]") + (d - 1).astype("timedelta64[D]")
    real = date.astype("datetime64[M]") == first_of_month  # 31 April rolls into May: not a date
    seconds = (hour[ok] * 3600 + minute[ok] * 60 + second[ok]).astype(np.int64)
    moment = date.astype("datetime64[us]") + (seconds * 1_000_000).astype("timedelta64[us]")
    out[np.flatnonzero(ok)[real]] = moment[real]
    return out


def parse_timestamps(values: pd.Series, dayfirst: bool = False) -> pd.Series:
    """Parse export timestamps ('10/3/2025 9:14:22', '2025/10/03 9:14:22 AM GMT-6', ISO); NaT if not.

    Dates whose day and month could be swapped are read month-first unless `dayfirst` is True.
    """
    reading = read_stamps(values.astype("str").fillna(""))
    return pd.Series(reading.read(dayfirst), index=values.index, dtype="datetime64[us]")
