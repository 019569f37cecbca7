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

_STAMP = re.compile(
    r"""^\s*(?P<a>\d{1,4})[/.\-](?P<b>\d{1,2})[/.\-](?P<c>\d{1,4})\.?
    (?:(?:\s+|T|,\s*)(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2})(?:[.,]\d+)?)?
       \s*(?:(?P<p>[AaPp])\.?\s?[Mm]\.?)?)?
    \s*(?:(?:GMT|UTC)\s*(?:[+\-\u2212]\s*\d{1,2}(?::?\d{2})?)?|Z|[+\-]\d{2}:?\d{2}|[A-Za-z]{2,5})?\s*$""",
    re.VERBOSE,
)
# Spreadsheet serial dates (days since 1899-12-30) that reached us as numbers: 1954 to 2119.
_SERIAL = re.compile(r"^\s*\d{5}(?:\.\d+)?\s*$")
_EXCEL_EPOCH = np.datetime64("1899-12-30T00:00:00", "us")


@dataclass(frozen=True)
class StampReading:
    """Every row's submission time read month-first and day-first (equal where the order cannot matter)."""

    text: np.ndarray  # the raw text of each row
    month_first: np.ndarray  # datetime64[us], NaT where unreadable that way
    day_first: np.ndarray
    year_first: np.ndarray  # written year first (ISO, Google Forms' CSV): never ambiguous

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
    """Read a column of submission times (any text Series; categoricals are read per distinct value)."""
    if isinstance(values, pd.Categorical):
        values = pd.Series(values)
    if isinstance(values.dtype, pd.CategoricalDtype):
        categories = pd.Series(values.cat.categories, dtype="str")
        codes = values.cat.codes.to_numpy()
    else:
        codes, uniques = pd.factorize(values.astype("str").fillna(""))
        categories = pd.Series(uniques, dtype="str")
    texts = categories.str.strip().fillna("").to_numpy(dtype=object)
    if len(texts) == 0:
        texts = np.array([""], dtype=object)
        codes = np.zeros(len(values), dtype=np.int64)
    mf, df, yf = _read_distinct(texts)
    return StampReading(texts[codes], mf[codes], df[codes], yf[codes])


def _read_distinct(texts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = len(texts)
    a = np.full(n, np.nan)
    b = np.full(n, np.nan)
    c = np.full(n, np.nan)
    hour = np.zeros(n)
    minute = np.zeros(n)
    second = np.zeros(n)
    year_first = np.zeros(n, dtype=bool)
    matched = np.zeros(n, dtype=bool)
    bad_time = np.zeros(n, dtype=bool)
    for i, text in enumerate(texts):
        m = _STAMP.match(text) if text else None
        if not m:
            continue
        matched[i] = True
        ga, gb, gc = m.group("a"), m.group("b"), m.group("c")
        a[i], b[i], c[i] = int(ga), int(gb), int(gc)
        year_first[i] = len(ga) >= 3
        if not year_first[i] and len(gc) <= 2:
            c[i] += 2000  # "9/10/24"
        if m.group("H") is not None:
            h = int(m.group("H"))
            if m.group("p"):
                if not 1 <= h <= 12:
                    bad_time[i] = True
                h = h % 12 + (12 if m.group("p") in "Pp" else 0)
            hour[i], minute[i] = h, int(m.group("M"))
            second[i] = int(m.group("S") or 0)
    # Year first (ISO, Google Forms' CSV): y-m-d, whichever way round the file's locale writes days.
    year = np.where(year_first, a, c)
    mf_month, mf_day = np.where(year_first, b, a), np.where(year_first, c, b)
    df_month, df_day = np.where(year_first, b, b), np.where(year_first, c, a)
    month_first = _datetimes(year, mf_month, mf_day, hour, minute, second)
    day_first = _datetimes(year, df_month, df_day, hour, minute, second)
    month_first[bad_time] = np.datetime64("NaT")
    day_first[bad_time] = np.datetime64("NaT")
    # Anything else ("Oct 3, 2025 9:14 AM", spreadsheet serial numbers): the general parser, both ways.
    rest = np.flatnonzero(~matched & (texts != ""))
    if len(rest):
        other = pd.Series(texts[rest], dtype="str")
        serial = other.str.match(_SERIAL).fillna(False).to_numpy(dtype=bool)
        for dayfirst, out in ((False, month_first), (True, day_first)):
            parsed = pd.to_datetime(other, format="mixed", dayfirst=dayfirst, errors="coerce")
            got = parsed.to_numpy(dtype="datetime64[us]")
            if serial.any():
                days = pd.to_numeric(other[serial], errors="coerce").to_numpy()
                got[serial] = _EXCEL_EPOCH + (days * 86_400_000_000).astype("timedelta64[us]")
            out[rest] = got
    return month_first, day_first, year_first


def _datetimes(year, month, day, hour, minute, second) -> np.ndarray:
    frame = pd.DataFrame({"year": year, "month": month, "day": day, "hour": hour, "minute": minute, "second": second})
    ok = frame.notna().all(axis=1) & frame["month"].between(1, 12) & frame["day"].between(1, 31)
    ok &= frame["hour"].between(0, 23) & frame["minute"].between(0, 59) & frame["second"].between(0, 59)
    out = np.full(len(frame), np.datetime64("NaT"), dtype="datetime64[us]")
    if ok.any():
        got = pd.to_datetime(frame[ok].astype("int64"), errors="coerce")
        out[ok.to_numpy()] = got.to_numpy(dtype="datetime64[us]")
    return out


def parse_timestamps(values: pd.Series, dayfirst: bool = False) -> pd.Series:
    """Parse export timestamps ('10/3/2025 9:14:22', '2025/10/03 9:14:22 AM GMT-6', ISO); NaT if not.

    Dates whose day and month could be swapped are read month-first unless `dayfirst` is True.
    """
    reading = read_stamps(values.astype("str").fillna(""))
    return pd.Series(reading.read(dayfirst), index=values.index, dtype="datetime64[us]")
