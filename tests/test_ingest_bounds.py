"""Hostile files end in a clear, structured error within seconds and without a memory spike.

Each file is generated here (small on disk, or a zip of a few kilobytes that unpacks to millions of
cells), and each test measures the time and the Python/numpy memory (tracemalloc) of the refusal. The
limits are named constants in `pl_core.ingest.limits`; every message quotes the one it hit.
"""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from pl_core.frameworks import FrameworkError, read_framework_file
from pl_core.frameworks.loader import parse_framework
from pl_core.ingest import LabelMapError, load_label_map, read_upload
from pl_core.ingest import limits as ingest_limits

HERE = Path(__file__).parent
MINI = read_framework_file(HERE / "fixtures" / "frameworks" / "mini.yaml")
SECRET = b"test-secret"
SECONDS = 5.0  # generous for a loaded CI machine; each refusal takes well under one second here
TRACED_MB = 100  # far under the ~500 MB budget: a refusal should cost next to nothing


def refused(data: bytes, **kwargs):
    """read_upload under a stopwatch and tracemalloc; returns the report, seconds and peak MB."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        report = read_upload(data, "hostile", MINI, secret=SECRET, **kwargs).report
    finally:
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return report, seconds, peak


# -- workbooks -------------------------------------------------------------------------------------------------

_NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_PARTS = {
    "[Content_Types].xml": b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml"'
    b' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    b'"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    b'worksheet+xml"/></Types>',
    "_rels/.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
    b'2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": b'<?xml version="1.0" encoding="UTF-8"?><workbook ' + _NS + b' xmlns:r="http://schemas.'
    b'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Responses" sheetId="1" r:id="rId1"/>'
    b"</sheets></workbook>",
    "xl/_rels/workbook.xml.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}


def workbook(rows: int, cols: int, *, dimension: str | None = None, prolog: bytes = b"") -> bytes:
    """A real .xlsx whose one sheet has rows x cols cells, written without openpyxl (so it can be huge)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, part in _PARTS.items():
            z.writestr(name, part)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8"?>' + prolog + b"<worksheet " + _NS + b">")
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            header = b"".join(b'<c t="inlineStr"><is><t>%s</t></is></c>' % h for h in _headers(cols))
            sheet.write(b"<row>" + header + b"</row>")
            row = b"<row>" + b"<c><v>3</v></c>" * cols + b"</row>"
            for _ in range(rows - 1):
                sheet.write(row)
            sheet.write(b"</sheetData></worksheet>")
    return buf.getvalue()


def _headers(cols: int) -> list[bytes]:
    names = [b"Culture", b"Relationships", b"Mindset"]
    return [names[i] if i < len(names) else b"Question %d" % i for i in range(cols)]


def test_the_hand_built_workbook_is_a_real_one():
    report, _s, _mb = refused(workbook(3, 3))
    assert report.valid, report.summary()
    assert (report.rows_read, report.answers) == (2, 6)


@pytest.mark.parametrize("dimension", ["A1:CV40000", None], ids=["declared", "undeclared"])
def test_a_small_zip_of_four_million_cells_is_refused_before_it_is_parsed(dimension):
    data = workbook(40_000, 100, dimension=dimension)
    assert len(data) < 500_000  # a few hundred kilobytes on disk
    report, seconds, peak = refused(data)
    assert report.error_locations() == [(None, None, "too-many-cells")]
    assert f"{ingest_limits.MAX_XLSX_CELLS:,}" in report.errors[0].message
    assert "CSV" in report.errors[0].hint
    assert seconds < SECONDS and peak < TRACED_MB


def test_a_sheet_declaring_gigabytes_of_xml_is_refused_from_the_zip_directory():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, part in _PARTS.items():
            z.writestr(name, part)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b" " * (1 << 20)
            for _ in range(ingest_limits.MAX_XLSX_SHEET_XML // len(chunk) + 8):
                sheet.write(chunk)
    data = buf.getvalue()
    report, seconds, peak = refused(data)
    assert report.error_locations() == [(None, None, "too-many-cells")]
    assert seconds < SECONDS and peak < TRACED_MB


def test_a_workbook_declaring_xml_entities_is_refused():
    bomb = b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    report, seconds, _mb = refused(workbook(3, 2, prolog=bomb))
    assert report.error_locations() == [(None, None, "not-a-table")]
    assert "entities" in report.errors[0].message
    assert seconds < SECONDS


def test_a_zip_of_many_thousand_files_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, part in _PARTS.items():
            z.writestr(name, part)
        for i in range(ingest_limits.MAX_XLSX_MEMBERS + 1):
            z.writestr(f"xl/media/{i}.bin", b"")
    report, seconds, _mb = refused(buf.getvalue())
    assert report.error_locations() == [(None, None, "not-a-table")]
    assert seconds < SECONDS


# -- text files ------------------------------------------------------------------------------------------------


def test_a_csv_with_100000_columns_is_refused_from_its_first_line():
    header = ",".join(f"Question {i}" for i in range(100_000))
    data = (header + "\n" + ",".join(["3"] * 100_000) + "\n").encode()
    report, seconds, peak = refused(data)
    assert report.error_locations() == [(None, None, "too-many-columns")]
    assert f"{ingest_limits.MAX_COLUMNS:,}" in report.errors[0].message
    assert seconds < SECONDS and peak < TRACED_MB


def test_a_csv_whose_later_row_has_100000_fields_is_refused():
    data = b"respondent,Culture\nA,3\n" + b"B" + b",3" * 100_000 + b"\n"
    report, seconds, peak = refused(data)
    assert report.error_locations() == [(None, None, "too-many-columns")]
    assert seconds < SECONDS and peak < TRACED_MB


def test_a_200_mb_csv_is_refused_by_its_size_without_reading_it():
    data = b"respondent,Culture\n" + b"someone,3\n" * 20_000_000
    assert len(data) > 200_000_000
    report, seconds, peak = refused(data)
    assert report.error_locations() == [(None, None, "file-too-large")]
    assert "180 MB" in report.errors[0].message
    assert seconds < SECONDS and peak < TRACED_MB


def test_a_csv_of_two_million_rows_is_refused_by_its_line_count():
    data = b"respondent,Culture\n" + b"a,3\n" * 2_000_000
    report, seconds, peak = refused(data)
    assert report.error_locations() == [(None, None, "too-many-rows")]
    assert f"{ingest_limits.MAX_ROWS:,}" in report.errors[0].message
    assert seconds < SECONDS and peak < TRACED_MB


def test_a_csv_of_too_many_cells_is_refused(monkeypatch):
    # The cell limit (20 million) would need a file near the size limit to reach; a smaller limit shows the
    # check with a small file.
    monkeypatch.setattr(ingest_limits, "MAX_CELLS", 100_000)
    data = ("respondent," + ",".join(f"Q{i}" for i in range(99)) + "\n").encode() + b"a" + b",3" * 99 * 1 + b"\n"
    data += (b"a" + b",3" * 99 + b"\n") * 2_000
    report, seconds, _mb = refused(data)
    assert report.error_locations() == [(None, None, "too-many-cells")]
    assert "100,000" in report.errors[0].message
    assert seconds < SECONDS


# -- YAML: labels files and framework files --------------------------------------------------------------------------

BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
)
DEEP_MAPPING = "".join("  " * i + f"level{i}:\n" for i in range(200)) + "  " * 200 + "bottom\n"
DEEP_FLOW = "Sometimes: " + "[" * 100_000 + "]" * 100_000 + "\n"


def timed(fn):
    tracemalloc.start()
    start = time.perf_counter()
    try:
        fn()
    finally:
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return seconds, peak


@pytest.mark.parametrize(
    ("text", "needle", "line"),
    [
        (BILLION_LAUGHS, "expands to more than", 6),
        (DEEP_MAPPING, "nested more than", 5),
        (DEEP_FLOW, "nested more than", 1),
    ],
    ids=["billion-laughs", "deep-mapping", "deep-flow"],
)
def test_hostile_labels_files_are_refused_quickly_with_the_line(tmp_path, text, needle, line):
    path = tmp_path / "labels.yaml"
    path.write_text(text, encoding="utf-8")
    caught = []

    def load():
        with pytest.raises(LabelMapError) as exc:
            load_label_map(path)
        caught.append(str(exc.value))

    seconds, peak = timed(load)
    assert caught[0].startswith(f"{path}:{line}: ")
    assert needle in caught[0]
    assert seconds < SECONDS and peak < TRACED_MB


def test_a_labels_file_too_large_to_be_one_is_refused(tmp_path):
    path = tmp_path / "labels.yaml"
    path.write_bytes(b"# padding\n" * 200_000)
    with pytest.raises(LabelMapError, match="at most"):
        load_label_map(path)


@pytest.mark.parametrize(
    ("text", "needle", "path", "line"),
    [
        (BILLION_LAUGHS, "expands to more than", "f[0]", 6),
        (DEEP_MAPPING, "nested more than 32 levels", ".".join(f"level{i}" for i in range(32)), 33),
        (DEEP_FLOW, "nested more than 32 levels", "Sometimes" + "[0]" * 32, 1),
    ],
    ids=["billion-laughs", "deep-mapping", "deep-flow"],
)
def test_hostile_framework_files_are_refused_with_a_located_problem(text, needle, path, line):
    caught = []

    def load():
        with pytest.raises(FrameworkError) as exc:
            parse_framework(text, "hostile.yaml")
        caught.extend(exc.value.problems)

    seconds, peak = timed(load)
    (problem,) = caught
    assert (problem.file, problem.path, problem.line) == ("hostile.yaml", path, line)
    assert needle in problem.message
    assert seconds < SECONDS and peak < TRACED_MB


def test_anchors_that_stay_small_are_still_allowed_in_framework_files():
    text = (HERE / "fixtures" / "frameworks" / "mini.yaml").read_text(encoding="utf-8")
    shared = text.replace("levels: []", "levels: &none []", 1).replace("levels: []", "levels: *none")
    assert "*none" in shared
    assert parse_framework(shared, "mini.yaml").id == "mini"
