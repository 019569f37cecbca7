"""Formula neutralisation in exports, checked against an independent statement of the rule with hypothesis."""

from __future__ import annotations

import csv
import io
import unicodedata
from decimal import Decimal, InvalidOperation

import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from pl_core.present import export

SIGNS = "=+-@\uff1d\uff0b\uff0d\uff20"


def is_number(text: str) -> bool:
    """Plain decimal notation, as a spreadsheet reads a number (no inf, nan, underscores or hex)."""
    if not text or not set(text) <= set("0123456789+-.eE"):
        return False
    try:
        return Decimal(text).is_finite()
    except InvalidOperation:
        return False


def must_quote(text: str) -> bool:
    """The rule, written apart from the code: what a spreadsheet could run as a formula."""
    if text[:1] in ("\t", "\r", "\n"):
        return True
    rest = text.lstrip("".join(c for c in set(text) if c.isspace() or unicodedata.category(c) in ("Cc", "Cf")))
    return rest[:1] in set(SIGNS) and not is_number(rest.rstrip())


@pytest.mark.parametrize(
    "text",
    [
        "\n=1+1",  # a leading line feed
        "\n5",
        " =1+1",  # a space before =
        "\u3000=1+1",  # an ideographic space
        "\u00a0+1+1",  # a no-break space
        "\x01=1+1",  # a control character
        "\x00@SUM(A1)",
        "\u200b=1+1",  # a zero-width space (format character)
        "\ufeff-1+1",  # a byte-order mark
        " \t \uff1dSUM(A1)",  # mixed, then a full-width =
        "  -2+3",
        "\r\n=1",
    ],
)
def test_cells_that_hid_a_formula_behind_a_leading_character_are_quoted(text):
    assert export.neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["-1.5", " -1.5", "\u3000+3", "1e5", "-2E-3", "plain = text", "x-1", "", "5"])
def test_numbers_and_ordinary_text_are_untouched(text):
    assert export.neutralise(text) == text


@settings(max_examples=600, deadline=None)
@given(
    st.text(
        alphabet=st.one_of(
            st.sampled_from(list(SIGNS + "\t\r\n \u3000\u00a0\u2028\x00\x01\x1b\u200b\ufeff0123456789.eE'\"")),
            st.characters(),
        ),
        max_size=12,
    )
)
@example("\n=1")
@example("\u3000=1+1")
def test_neutralise_quotes_exactly_what_could_run_as_a_formula(text):
    out = export.neutralise(text)
    if must_quote(text):
        assert out == "'" + text
    else:
        assert out == text


@settings(max_examples=200, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False) | st.integers(min_value=-(10**12), max_value=10**12))
def test_numbers_stay_numbers_as_values_and_as_text(number):
    assert export.neutralise(number) == number
    text = repr(number)
    assert export.neutralise(text) == text  # "-1.5", "1e-05", "-3": a number typed as text is still a number


def csv_cells(data: bytes) -> list[str]:
    return [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")) for c in row]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list(SIGNS + " \u3000\n\r\t\x01ab1.")), max_size=6), max_size=5))
def test_no_written_cell_can_start_a_formula_in_csv_or_xlsx(texts):
    frame = pd.DataFrame({"text": texts, "n": range(len(texts))})
    for cell in csv_cells(export.to_csv(frame)):
        assert cell.startswith("'") or not must_quote(cell), repr(cell)
    sheet = load_workbook(io.BytesIO(export.to_xlsx(frame))).active
    for row in sheet.iter_rows(min_row=2):
        text_cell, number_cell = row
        assert number_cell.data_type == "n"
        if isinstance(text_cell.value, str):
            assert text_cell.data_type == "s"
            value = text_cell.value
            assert value.startswith("'") or not must_quote(value), repr(value)
