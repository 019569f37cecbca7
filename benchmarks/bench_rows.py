"""Benchmark: the row-level export's read against a raw fetch of the same rows (the floor), in one run.

Run: `.venv/bin/python benchmarks/bench_rows.py [--schools 200] [--dir .bench]`

The only place answers are read row by row is the district data team's row-level export
(`services.exports.response_rows`). This times it against the floor: the same SQL executed on a bare
DB-API cursor (`sqlite3`), rows fetched as tuples, nothing else. The synthetic district is built with
`pl-diag sample --schools N` (60 staff, 3 rounds, 14 items) into --dir and reused.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build(schools: int, folder: Path) -> Path:
    db = folder / f"district-{schools}.db"
    if not db.exists():
        env = dict(os.environ, PL_DATA_DIR=str(folder / "data"))
        argv = [sys.executable, "-m", "pl_core.cli", "sample", "--db", f"sqlite:///{db}", "--schools", str(schools)]
        subprocess.run(argv, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return db


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=200)
    parser.add_argument("--dir", default=str(ROOT / ".bench"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    db = build(args.schools, folder)
    os.environ["PL_DATA_DIR"] = str(folder / "data")

    from sqlalchemy.dialects import sqlite

    from pl_core.frameworks import load_framework
    from pl_core.services import exports
    from pl_core.services.access import LOCAL
    from pl_core.store import make_engine
    from pl_core.store.queries import RESPONSE_COLUMNS, Response, _per_respondent

    framework = load_framework("dps-driver-model")
    engine = make_engine(f"sqlite:///{db}")
    stmt = _per_respondent(
        Response, Response.item, Response.level, framework_id=framework.id, schools=None, rounds=None
    )
    sql = str(stmt.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))

    def floor():
        with sqlite3.connect(db) as conn:
            return conn.execute(sql).fetchall()

    rows = len(floor())
    exported = exports.response_rows(engine, LOCAL, framework)
    assert len(exported) == rows and list(exported.columns)[1:] == [*RESPONSE_COLUMNS]
    t_floor = best(floor, args.repeat)
    t_export = best(lambda: exports.response_rows(engine, LOCAL, framework), args.repeat)
    print(f"row-level export at {args.schools} schools: {rows:,} answers")
    print(f"  raw fetch (floor)      {t_floor:6.2f} s")
    print(f"  response_rows          {t_export:6.2f} s   {t_export / t_floor:.2f}x the floor (target <= 2x)")


if __name__ == "__main__":
    main()
