"""Benchmark: build the school report for a sample school (target: under 5 s).

Run: `.venv/bin/python benchmarks/bench_report.py [--school "Aspen Elementary" --round "Fall 2026" --runs 5]`
Loads the sample district into a throwaway SQLite database, then prints the first (cold) build,
the median of the following builds, and how that time splits between reading data and rendering
(with and without the appendices).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--school", default="Aspen Elementary")
    parser.add_argument("--round", default="Fall 2026")
    parser.add_argument("--framework", default="dps-driver-model")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="pl-bench-report-"))
    os.environ["PL_DATA_DIR"] = str(folder)  # the respondent secret goes here, not into the user's data folder
    from pl_core import store
    from pl_core.fixtures import sample
    from pl_core.frameworks import load_framework
    from pl_core.present.report import render_report
    from pl_core.services.access import LOCAL
    from pl_core.services.reports import gather_report

    engine = store.make_engine(f"sqlite:///{folder / 'bench.db'}")
    store.upgrade(engine)
    sample.load_sample_district(engine)
    framework = load_framework(args.framework)
    today = dt.date(2026, 11, 22)

    gather, render, render_all, total, size, size_all = [], [], [], [], 0, 0
    for _ in range(args.runs + 1):
        t0 = time.perf_counter()
        data = gather_report(engine, LOCAL, school=args.school, round=args.round, framework=framework, today=today)
        t1 = time.perf_counter()
        html = render_report(data)
        t2 = time.perf_counter()
        with_appendices = render_report(data, appendices=True)
        t3 = time.perf_counter()
        gather.append(t1 - t0)
        render.append(t2 - t1)
        render_all.append(t3 - t2)
        total.append(t2 - t0)
        size, size_all = len(html.encode("utf-8")), len(with_appendices.encode("utf-8"))
    print(
        f"report for {args.school} \u00b7 {args.round} ({framework.short_name}): {size / 1e3:.0f} kB, "
        f"{size_all / 1e3:.0f} kB with the appendices"
    )
    print(f"first build (cold: templates compiled) {total[0]:.2f} s")
    print(
        f"median of {args.runs} further builds: {statistics.median(total[1:]):.2f} s "
        f"(read and compute {statistics.median(gather[1:]):.2f} s, render {statistics.median(render[1:]):.2f} s; "
        f"rendering with the appendices {statistics.median(render_all[1:]):.2f} s); target < 5 s"
    )


if __name__ == "__main__":
    main()
