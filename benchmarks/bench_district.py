"""Benchmark: import, scoring, the district heatmap, the school report and every page, small and district size.

Run: `.venv/bin/python benchmarks/bench_district.py [--schools 200 --staff 60 --rounds 3] [--pages-only PAGE ...]`

It loads the fictional sample district and builds a synthetic one (pl_core.bigsample) into temporary
SQLite files, then prints one table. Page times drive the real app through streamlit.testing.v1.AppTest:
"cold" is the page's first run after clearing Streamlit's caches, "warm" the run after it. Pages draw
their default state (the sidebar's first school and latest round), in a fresh interpreter per dataset
whose peak memory (ru_maxrss) is the app's alone; the benchmark process's own peak includes every
step above, load_responses of all 504k answers among them.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pl_core import scoring, store  # noqa
from pl_core.domain import district  # noqa
from pl_core.fixtures import bigsample, sample  # noqa: E402
from pl_core.frameworks import load_framework  # noqa: E402

APP = ROOT / "dashboard" / "app.py"
VIEWS = ROOT / "dashboard" / "views"
SAMPLE_CSV = ROOT / "sample_data" / "uploads" / "aspen-elementary-fall-2025-google-forms.csv"
FRAMEWORK = "dps-driver-model"
IMPORT_ROWS = 5_000
TARGETS = {"page_warm": 2.0, "page_cold": 5.0, "report": 5.0, "import": 3.0, "memory_mb": 500}


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def google_forms_csv(rows: int, seed: int = 1) -> bytes:
    """A Google Forms export with `rows` submissions: the sample's headers, answers drawn from its own labels."""
    with SAMPLE_CSV.open(encoding="utf-8") as fh:
        table = list(csv.reader(fh))
    header, body = table[0], table[1:]
    answer_columns = range(4, len(header) - 1)  # Timestamp, Email, role, grade band ... items ... comments
    labels = {c: sorted({r[c] for r in body if r[c]}) for c in answer_columns}
    roles = sorted({r[2] for r in body})
    bands = sorted({r[3] for r in body})
    rng = np.random.default_rng(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for i in range(rows):
        minute = 7 * 60 + i % 600  # 7:00 AM to 4:59 PM, a new day every 600 submissions
        hour = minute // 60
        stamp = (
            f"2026/10/{5 + i // 600 % 20:02d} {(hour - 1) % 12 + 1}:{minute % 60:02d}:00 {'AM' if hour < 12 else 'PM'}"
        )
        writer.writerow(
            [
                f"{stamp} GMT-6",
                f"staff{i}@bench.example.org",
                roles[rng.integers(len(roles))],
                bands[rng.integers(len(bands))],
                *[labels[c][rng.integers(len(labels[c]))] for c in answer_columns],
                "",
            ]
        )
    return out.getvalue().encode("utf-8")


def bench_import(engine, round_name: str, secret: bytes) -> float:
    """read_upload + save_import of a 5,000-row Google Forms export into a new school."""
    from pl_core.ingest import read_upload

    framework = load_framework(FRAMEWORK)
    data = google_forms_csv(IMPORT_ROWS)

    def run():
        parsed = read_upload(data, "bench-5000.csv", framework, secret=secret)
        assert parsed.report.valid, [e.message for e in parsed.report.errors[:3]]
        return store.save_import(engine, parsed, school="Benchmark School", round=round_name, framework=framework)

    seconds, result = timed(run)
    assert result.respondents == IMPORT_ROWS, result
    return seconds


def bench_core(engine) -> dict[str, object]:
    """Scoring, the district heatmap query and the report, each timed once on a warm process."""
    framework = load_framework(FRAMEWORK)
    rounds = store.list_rounds(engine)
    latest = rounds[-1]
    found: dict[str, object] = {}
    found["load_responses (all)"], responses = timed(lambda: store.load_responses(engine, FRAMEWORK))
    found["answers"] = len(responses)
    found["score_items (all)"], _ = timed(lambda: scoring.score_items(responses, framework))

    def heatmap():
        frame = store.load_responses(engine, FRAMEWORK, rounds=[latest])
        scores = scoring.score_items(frame, framework, min_group=5)
        order = district.school_order(scores, framework, latest)
        return district.items_by_school(scores, framework, latest, schools=order, min_group=5)

    found["district heatmap (load + table)"], table = timed(heatmap)
    found["heatmap shape"] = "x".join(map(str, table.values.shape))

    def heatmap_from_counts():  # what the District page does: the database sums answers per level
        scores = district.district_scores(engine, framework, rounds=[latest], min_group=5)
        order = district.school_order(scores, framework, latest)
        return district.items_by_school(scores, framework, latest, schools=order, min_group=5)

    found["district heatmap (district_scores + table)"], _ = timed(heatmap_from_counts)
    found["district_scores (all rounds)"], _ = timed(lambda: district.district_scores(engine, framework, min_group=5))
    try:
        from pl_core.report import build_report
    except ImportError:
        found["report (build_report)"] = "n/a (not built yet)"
    else:
        school = store.list_schools(engine)[0]
        try:
            seconds, html = timed(lambda: build_report(engine, school=school, round=latest, framework=framework))
        except Exception as exc:  # noqa: BLE001 - another module's failure is a finding to print, not a crash
            found["report (build_report)"] = f"error: {type(exc).__name__}"
        else:
            found["report (build_report)"] = seconds
            found["report size"] = f"{len(html) / 1e6:.1f} MB"
    return found


def bench_app() -> Path:
    """The app's entry point, with any page in dashboard/views that it does not register yet added to it."""
    source = APP.read_text(encoding="utf-8")
    missing = sorted(p.name for p in VIEWS.glob("*.py") if f'"{p.name}"' not in source)
    if not missing:
        return APP
    folder = Path(tempfile.mkdtemp(prefix="pl-bench-app-"))
    (folder / "views").symlink_to(VIEWS, target_is_directory=True)
    source = source.replace('VIEWS = Path(__file__).parent / "views"', f"VIEWS = Path({str(VIEWS)!r})")
    source = source.replace("ROOT = Path(__file__).resolve().parents[1]", f"ROOT = Path({str(ROOT)!r})")
    extra = ", ".join(f'st.Page(VIEWS / "{name}")' for name in missing)
    source = source.replace(
        "page = st.navigation(PAGES)", f'PAGES["Not registered yet"] = [{extra}]\npage = st.navigation(PAGES)'
    )
    (folder / "app.py").write_text(source, encoding="utf-8")
    print(f"  (app.py does not register {', '.join(missing)} yet: timing them through a copy that does)")
    return folder / "app.py"


def bench_pages(app: Path, pages: list[str]) -> dict[str, tuple[float, float, str]]:
    """Cold and warm run time of each page, and the first exception it raised (if any)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    found = {}
    for name in pages:
        at = AppTest.from_file(str(app), default_timeout=300)
        at.run()  # the default page; page switching needs one run first
        st.cache_data.clear()
        st.cache_resource.clear()
        at.switch_page(f"views/{name}")
        cold, _ = timed(at.run)
        warm, _ = timed(at.run)
        error = ""
        if at.exception:  # the message may be redacted; the last line of the trace says what failed
            trace = [line for line in at.exception[0].stack_trace if line.strip()]
            error = (trace[-1] if trace else at.exception[0].value).strip()[:100]
        found[name] = (cold, warm, error)
    st.cache_data.clear()
    st.cache_resource.clear()
    return found


def _pages_child(app: str, pages: list[str]) -> tuple[dict[str, tuple[float, float, str]], float]:
    return bench_pages(Path(app), pages), own_peak_mb()


def own_peak_mb() -> float:
    """This process's resident high-water mark (VmHWM); ru_maxrss would carry the parent's peak over exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return peak_mb()


def pages_in_app_process(app: Path, pages: list[str]) -> tuple[dict[str, tuple[float, float, str]], float]:
    """bench_pages in a fresh interpreter, so its peak memory is the app's alone, as on a server."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(_pages_child, (str(app), pages))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def dataset(name: str, url: str, build: Callable[[object], str], pages: list[str], app: Path) -> dict[str, object]:
    engine = store.make_engine(url)
    store.upgrade(engine)
    results: dict[str, object] = {}
    results["build"], detail = timed(lambda: build(engine))
    print(f"{name}: built in {results['build']:.1f} s ({detail})", flush=True)
    results.update(bench_core(engine))
    print(f"{name}: core done", flush=True)
    os.environ["PL_DATABASE_URL"] = url  # the page process inherits it
    timings, app_peak = pages_in_app_process(app, pages)
    for page, (cold, warm, error) in timings.items():
        results[f"page {page} cold"] = cold
        results[f"page {page} warm"] = warm
        if error:
            results[f"page {page} error"] = error
    print(f"{name}: pages done", flush=True)
    # last, because it adds a 5,000-person school to the district
    from pl_core import settings

    results["import 5,000 rows (read_upload + save_import)"] = bench_import(
        engine, store.list_rounds(engine)[-1], settings.respondent_secret()
    )
    results["peak memory, app process (MB)"] = app_peak
    results["peak memory, benchmark process (MB)"] = peak_mb()
    engine.dispose()
    return results


def verdict(key: str, value: object) -> str:
    if not isinstance(value, float):
        return ""
    limit = None
    if key.startswith("page ") and key.endswith(" warm"):
        limit = TARGETS["page_warm"]
    elif key.startswith("page ") and key.endswith(" cold"):
        limit = TARGETS["page_cold"]
    elif key.startswith("report"):
        limit = TARGETS["report"]
    elif key.startswith("import"):
        limit = TARGETS["import"]
    elif key.startswith("peak memory, app"):
        limit = TARGETS["memory_mb"]
    if limit is None:
        return ""
    return "ok" if value <= limit else f"MISS (> {limit:g})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schools", type=int, default=200)
    parser.add_argument("--staff", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pages", nargs="*", help="page files to time (default: every dashboard/views/*.py)")
    parser.add_argument("--skip-small", action="store_true", help="only the synthetic district")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="pl-bench-"))
    os.environ["PL_DATA_DIR"] = str(work / "data")
    os.environ.pop("PL_MIN_GROUP_SIZE", None)
    pages = args.pages or sorted(p.name for p in VIEWS.glob("*.py"))
    app = bench_app()
    mem_total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), "
        f"{mem_total:.1f} GiB RAM, Python {platform.python_version()}"
    )

    def small(engine) -> str:
        loaded = sample.load_sample_district(engine)
        return f"{loaded.uploads} uploads, {loaded.answers:,} answers"

    def big(engine) -> str:
        built = bigsample.build_district(engine, schools=args.schools, staff=args.staff, rounds=args.rounds)
        return f"{built.schools} schools, {built.respondents:,} staff, {built.answers:,} answers"

    columns = {}
    try:
        if not args.skip_small:
            columns["sample district"] = dataset("sample", f"sqlite:///{work / 'small.db'}", small, pages, app)
        label = f"{args.schools} x {args.staff} x {args.rounds}"
        columns[label] = dataset("district", f"sqlite:///{work / 'big.db'}", big, pages, app)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if app != APP:
            shutil.rmtree(app.parent, ignore_errors=True)

    keys = list(dict.fromkeys(k for c in columns.values() for k in c))
    width = max(len(k) for k in keys)
    names = list(columns)
    print()
    print(f"| {'measure':<{width}} | " + " | ".join(f"{n:>22}" for n in names) + " | target |")
    print(f"| {'-' * width} | " + " | ".join("-" * 22 for _ in names) + " | --- |")
    for key in keys:
        cells = []
        for n in names:
            value = columns[n].get(key, "")
            if isinstance(value, float):
                text = f"{value:.0f}" if key.startswith("peak") else f"{value:.2f} s"
            else:
                text = str(value)
            mark = verdict(key, value)
            cells.append(f"{text + (' ' + mark if mark.startswith('MISS') else ''):>22}")
        print(f"| {key:<{width}} | " + " | ".join(cells) + f" | {target_text(key)} |")


def target_text(key: str) -> str:
    if key.startswith("page ") and key.endswith(" warm"):
        return "< 2 s"
    if key.startswith("page ") and key.endswith(" cold"):
        return "< 5 s"
    if key.startswith("report ("):
        return "< 5 s"
    if key.startswith("import"):
        return "< 3 s"
    if key.startswith("peak memory, app"):
        return "< 500 MB"
    return ""


if __name__ == "__main__":
    main()
