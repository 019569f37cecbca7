"""Parse speed and memory of `read_upload` alone on generated Google Forms exports (5k, 50k, 500k rows).

The files are generated first, into a temporary folder. Each size is then parsed in a fresh interpreter
that imports pl_core, reads the file's bytes and calls `read_upload` once (timed), then once more under
tracemalloc. Printed per size: file size, seconds (wall) and CPU seconds (all threads; steadier than wall
time on a shared machine), rows per second, the process's peak resident memory
(`ru_maxrss`: interpreter, libraries, the file's bytes and the parse), how far the parse raised it above
the resident size just before `read_upload`, tracemalloc's peak (Python and numpy allocations; pyarrow's
are not traced) and the size of the tidy responses returned.

    .venv/bin/python benchmarks/bench_parse.py                 # 5000 50000 500000
    .venv/bin/python benchmarks/bench_parse.py --rows 50000
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FRAMEWORK = "dps-driver-model"  # 14 items, two scales, as in the sample district
SIZES = (5_000, 50_000, 500_000)
RESUBMITTED = 0.1  # a tenth of the submissions are someone's second
SECRET = b"benchmark-secret"


def google_forms_csv(rows: int, seed: int = 7) -> bytes:
    """A Google Forms CSV download: the sample's headers and labels, Forms timestamps, some resubmissions."""
    from pl_core.frameworks import load_framework

    framework = load_framework(FRAMEWORK)
    rng = np.random.default_rng(seed)
    header = ["Timestamp", "Email Address", "Your role", "Grade band you teach"]
    answers = []
    for item in framework.items:
        group = "foundational practice" if item.scale.id == "foundational" else "driver"
        header.append(f"Where is our school on each {group}? [{item.name}]")
        if item.scale.id == "foundational":
            labels = [lv.label for lv in item.scale.levels]
        else:
            labels = [f"{lv.number} - {lv.label}" for lv in item.scale.levels]
        answers.append(np.array([*labels, "Don't know", ""], dtype=object))
    header.append("Anything else you would like to share?")
    weights = np.array([0.2, 0.27, 0.27, 0.2, 0.04, 0.02])
    picks = [rng.choice(len(a), size=rows, p=weights) for a in answers]
    people = int(rows * (1 - RESUBMITTED))
    person = np.concatenate([np.arange(people), rng.integers(0, people, rows - people)])
    roles = np.array(["Classroom teacher", "Instructional coach", "Paraprofessional", "Administrator"], dtype=object)
    bands = np.array(["K-2", "3-5", "6-8", "9-12"], dtype=object)
    role = roles[rng.integers(0, len(roles), rows)]
    band = bands[rng.integers(0, len(bands), rows)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for i in range(rows):
        day, second = divmod(i * 7, 36_000)  # ten hours of submissions a day, from 7 AM
        hour, rest = divmod(second, 3600)
        hour += 7
        stamp = (
            f"2026/{9 + day // 30:02d}/{1 + day % 30:02d} {(hour - 1) % 12 + 1}:{rest // 60:02d}:{rest % 60:02d} "
            f"{'AM' if hour < 12 else 'PM'} GMT-6"
        )
        comment = "Coaching time would help." if i % 50 == 0 else ""
        writer.writerow(
            [stamp, f"staff{person[i]}@district.example.org", role[i], band[i]]
            + [a[p[i]] for a, p in zip(answers, picks, strict=True)]
            + [comment]
        )
    return out.getvalue().encode("utf-8")


def _resident_mb() -> float:
    """The process's resident size now (Linux); the peak so far where /proc is not available."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * resource.getpagesize() / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_one(path: Path, rows: int) -> dict:
    from pl_core.frameworks import load_framework
    from pl_core.ingest import read_upload

    framework = load_framework(FRAMEWORK)
    data = path.read_bytes()
    before = _resident_mb()
    cpu_start = time.process_time()
    start = time.perf_counter()
    parsed = read_upload(data, f"bench-{rows}.csv", framework, secret=SECRET)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert parsed.report.valid, parsed.report.summary()[:2000]
    assert parsed.report.respondents == int(rows * (1 - RESUBMITTED)), parsed.report.respondents
    tracemalloc.start()
    read_upload(data, f"bench-{rows}.csv", framework, secret=SECRET)
    traced = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return {
        "rows": rows,
        "file_mb": len(data) / 1e6,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "rows_per_s": rows / seconds,
        "answers": parsed.report.answers + parsed.report.missing_answers,
        "peak_rss_mb": peak,
        "rise_mb": peak - before,
        "traced_mb": traced,
        "output_mb": parsed.responses.memory_usage(deep=True).sum() / 2**20,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(Path(args.one[0]), int(args.one[1]))))
        return
    folder = Path(tempfile.mkdtemp(prefix="bench-parse-"))
    print(
        f"{'rows':>8} {'file MB':>8} {'seconds':>8} {'CPU s':>6} {'rows/s':>9} {'answers':>9} "
        f"{'peak RSS MB':>11} {'rise MB':>8} {'traced MB':>9} {'output MB':>9}"
    )
    for rows in args.rows:
        path = folder / f"google-forms-{rows}.csv"
        path.write_bytes(google_forms_csv(rows))
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(path), str(rows)], capture_output=True, text=True, cwd=ROOT
        )
        path.unlink()
        if done.returncode:
            sys.exit(done.stderr)
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"{r['rows']:>8,} {r['file_mb']:>8.1f} {r['seconds']:>8.2f} {r['cpu_seconds']:>6.2f} "
            f"{r['rows_per_s']:>9,.0f} {r['answers']:>9,} "
            f"{r['peak_rss_mb']:>11.0f} {r['rise_mb']:>8.0f} {r['traced_mb']:>9.0f} {r['output_mb']:>9.0f}"
        )
    folder.rmdir()


if __name__ == "__main__":
    main()
