"""Benchmark: score a district-size frame vs a bare pandas groupby over the same frame.

Run: `.venv/bin/python benchmarks/bench_scoring.py [--schools 2000 --staff 60 --items 14 --rounds 3]`
(2,000 schools: 5,040,000 answers.) `score_items` counts the rows per level (`count_levels`) and scores
the counts (`score_counts`, the one calculation). Prints the median of several runs for each, and the ratio
against a bare pandas groupby measured in the same run (target: at most 1.5x).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pl_core import scoring  # noqa: E402
from pl_core.frameworks import load_framework  # noqa: E402


def district_frame(framework, schools: int, staff: int, items: int, rounds: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    item_ids = list(framework.item_ids[:items])
    n = schools * staff * len(item_ids) * rounds
    school = np.repeat([f"School {i:03d}" for i in range(schools)], staff * len(item_ids) * rounds)
    rnd = np.tile(np.repeat([f"Round {r}" for r in range(rounds)], staff * len(item_ids)), schools)
    respondent = np.tile(np.repeat([f"r{s}" for s in range(staff)], len(item_ids)), schools * rounds)
    item = np.tile(item_ids, schools * staff * rounds)
    level = pd.array(rng.integers(1, 5, n), dtype="Int64")
    level[rng.random(n) < 0.03] = pd.NA
    return pd.DataFrame(
        {
            "school": school,
            "round": rnd,
            "respondent": respondent,
            "role": "teacher",
            "grade_band": "K-5",
            "item": item,
            "level": level,
        }
    )


def bare_groupby(df: pd.DataFrame) -> pd.DataFrame:
    keys = ["school", "round", "item"]
    stats = df.groupby(keys)["level"].agg(["count", "mean", "std"])
    counts = df.groupby([*keys, "level"]).size().unstack(fill_value=0)
    return stats.join(counts)


def timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schools", type=int, default=2000)
    parser.add_argument("--staff", type=int, default=60)
    parser.add_argument("--items", type=int, default=14)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    fw = load_framework("leap-learning-framework")  # any framework with >= 14 items
    df = district_frame(fw, args.schools, args.staff, args.items, args.rounds)
    score = timed(lambda: scoring.score_items(df, fw), args.repeat)
    bare = timed(lambda: bare_groupby(df), args.repeat)
    print(f"answers: {len(df):,}  groups: {args.schools * args.rounds * args.items:,}")
    print(f"score_items     median {score * 1000:8.1f} ms")
    print(f"bare groupby    median {bare * 1000:8.1f} ms")
    print(f"ratio           {score / bare:8.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()
