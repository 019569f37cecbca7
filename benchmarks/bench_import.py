"""Benchmark: importing district-size staff files, whole process, on SQLite and PostgreSQL.

Run: `.venv/bin/python benchmarks/bench_import.py [--rows 5000 50000 500000] [--databases sqlite postgresql]`

Each size is a generated Google Forms export (benchmarks/bench_parse.py: 14 items, a tenth of the rows
resubmissions, some "Don't know"), imported for one school and round by `pl-diag import` in its own process
into a new database, exactly as a district data engineer would run it: reading, checking, storing every
answer (COPY on PostgreSQL) and deciding the round's first release of figures, in one transaction.
Printed per size and database: wall seconds, rows per second and the process's peak resident memory
(ru_maxrss of the child), against the targets (5,000 rows/s or more, at most 1 GB).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))
from child import run_measured  # noqa: E402

POSTGRES = os.environ.get("PL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def database(kind: str, folder: Path) -> tuple[str, callable]:
    """A fresh database URL of `kind` and a function that drops it afterwards."""
    if kind == "sqlite":
        return f"sqlite:///{folder / f'import-{uuid.uuid4().hex[:8]}.db'}", lambda: None
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    plain = POSTGRES.replace("+psycopg", "")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')

    def drop() -> None:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')

    return f"{POSTGRES}?options=-csearch_path%3D{schema}", drop


def run(file: Path, url: str, folder: Path) -> tuple[float, float]:
    """(wall seconds, peak MB) of one `pl-diag import` process."""
    env = dict(os.environ, PL_DATA_DIR=str(folder / "data"), PL_RESPONDENT_SECRET="b" * 64)
    argv = [sys.executable, "-m", "pl_core.cli", "import", str(file), "--school", "District High",
            "--round", "Fall 2026", "--db", url]  # fmt: skip
    subprocess.run([sys.executable, "-m", "pl_core.cli", "db", "upgrade", "--db", url], env=env, cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    return run_measured(argv, env=env, cwd=ROOT)


def main() -> None:
    from bench_parse import google_forms_csv

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[5_000, 50_000, 500_000])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; targets: >= 5,000 rows/s, <= 1,024 MB")
    print("| rows | database | seconds | rows/s | peak MB |")
    print("| ---: | --- | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory(prefix="pl-import-") as tmp:
        folder = Path(tmp)
        for rows in args.rows:
            file = folder / f"staff-{rows}.csv"
            file.write_bytes(google_forms_csv(rows))
            for kind in args.databases:
                url, drop = database(kind, folder)
                try:
                    seconds, peak = run(file, url, folder)
                finally:
                    drop()
                print(f"| {rows:,} | {kind} | {seconds:.1f} | {rows / seconds:,.0f} | {peak:,.0f} |", flush=True)


if __name__ == "__main__":
    main()
