"""Benchmark: how pages grow with the district, as a person feels them, in a real browser, with server memory.

Run: `.venv/bin/python benchmarks/bench_scale.py [--sizes 7,200,1000,5000] [--staff 60] [--rounds 3] [--dir DIR]`

For each size it builds a district into a SQLite file (7: the fictional sample district through the upload
path; otherwise the synthetic district of pl_core.fixtures.bigsample, releases of figures included), starts
the real app (`streamlit run dashboard/app.py`) on it and drives headless Chromium:

- a warm-up visit (the process loads its libraries), then the **no-data page** (Framework browser, which reads
  no answers) in a fresh browser context: the floor;
- the **District** page's first visit (its data caches cold) and a second visit (warm);
- the **Heatmap** page switched to its "Schools" view (first time);
- the **Overview** first visit;

each timed from navigation (or click) until the app has finished its run with nothing stale, as
NOTES-streamlit.md describes. Ratios are against the floor measured in the same server. The server's peak
resident memory is its VmHWM after the visits. The **report** is built by `pl-diag report` in its own process
(whole-process time and peak memory, as a coach would run it). Databases are kept in --dir and reused.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from child import run_measured  # the benchmarks folder: this script's own

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
CHROMIUM = "/usr/bin/chromium"
READY = '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'


def build(size: int, folder: Path, staff: int, rounds: int) -> Path:
    """The district's database file (built once, reused while it exists)."""
    db = folder / f"district-{size}.db"
    if db.exists():
        return db
    env = dict(os.environ, PL_DATA_DIR=str(folder / "data"))
    url = f"sqlite:///{db}"
    argv = [PYTHON, "-m", "pl_core.cli", "sample", "--db", url]
    if size != 7:
        argv += ["--schools", str(size), "--staff", str(staff), "--rounds", str(rounds)]
    started = time.perf_counter()
    subprocess.run(argv, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    print(f"  built {size} schools in {time.perf_counter() - started:.0f} s", flush=True)
    return db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(db: Path, folder: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = dict(
        os.environ,
        PL_DATABASE_URL=f"sqlite:///{db}",
        PL_DATA_DIR=str(folder / "data"),
        STREAMLIT_SERVER_PORT=str(port),
        STREAMLIT_SERVER_HEADLESS="true",
        STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
    )
    proc = subprocess.Popen(
        [PYTHON, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py")],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return proc, url
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise SystemExit("the Streamlit server did not start") from None
            time.sleep(0.3)


def peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def settled(page, timeout_ms: int = 300_000) -> None:
    page.wait_for_selector(READY, timeout=timeout_ms)
    stale = "document.querySelector('[data-stale=\"true\"]')"
    skeleton = "document.querySelector('[data-testid=\"stSkeleton\"]')"
    page.wait_for_function(f"() => !{stale} && !{skeleton}", timeout=timeout_ms)


def visit(browser, url: str) -> float:
    """Seconds from navigation until the page has settled, in a new browser context (a new session)."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url)
    settled(page)
    seconds = time.perf_counter() - started
    context.close()
    return seconds


def heatmap_schools(browser, url: str) -> float:
    """Seconds from choosing "Schools" on the Heatmap until the page has settled."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(f"{url}/heatmap")
    settled(page)
    started = time.perf_counter()
    page.get_by_role("radio", name="Schools", exact=True).click()
    page.wait_for_timeout(300)  # the rerun starts
    settled(page)
    seconds = time.perf_counter() - started
    context.close()
    return seconds


def report(db: Path, folder: Path) -> tuple[float, float]:
    """(seconds, peak MB) of `pl-diag report` for the first school and newest round, as its own process."""
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        school = conn.execute(text("SELECT name FROM schools ORDER BY name LIMIT 1")).scalar_one()
        round_name = conn.execute(text("SELECT name FROM rounds ORDER BY ordinal DESC LIMIT 1")).scalar_one()
    engine.dispose()
    out = folder / "report.html"
    return run_measured(
        [PYTHON, "-m", "pl_core.cli", "report", "--school", school, "--round", round_name, "--out", str(out),
         "--db", f"sqlite:///{db}"],
        env=dict(os.environ, PL_DATA_DIR=str(folder / "data")),
        cwd=ROOT,
    )  # fmt: skip


def measure(size: int, db: Path, folder: Path) -> dict:
    from playwright.sync_api import sync_playwright

    proc, url = serve(db, folder)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
            )
            visit(browser, f"{url}/framework_browser")  # warm-up: the process imports its libraries
            row = {"floor": visit(browser, f"{url}/framework_browser")}
            row["district_first"] = visit(browser, f"{url}/district")
            row["district_warm"] = visit(browser, f"{url}/district")
            row["heatmap_schools"] = heatmap_schools(browser, url)
            row["overview_first"] = visit(browser, f"{url}/overview")
            browser.close()
        row["server_peak_mb"] = peak_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    row["report_s"], row["report_peak_mb"] = report(db, folder)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="7,200,1000,5000", help="numbers of schools (7: the sample district)")
    parser.add_argument("--staff", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--dir", help="keep the databases here and reuse them (default: a temporary folder)")
    args = parser.parse_args()
    if not os.path.exists(CHROMIUM):
        raise SystemExit(f"{CHROMIUM} is not installed: make test installs it (tests/browser_setup.py)")
    folder = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="pl-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}; {args.staff} staff x {args.rounds} rounds per school")  # fmt: skip
    rows = {}
    for size in sizes:
        db = build(size, folder, args.staff, args.rounds)
        rows[size] = measure(size, db, folder)
        r = rows[size]
        print(
            f"{size:>5} schools: floor {r['floor']:.2f} s | District first {r['district_first']:.2f} s "
            f"({r['district_first'] / r['floor']:.1f}x floor), warm {r['district_warm']:.2f} s | Heatmap Schools "
            f"{r['heatmap_schools']:.2f} s ({r['heatmap_schools'] / r['floor']:.1f}x) | Overview "
            f"{r['overview_first']:.2f} s | server peak {r['server_peak_mb']:.0f} MB | report "
            f"{r['report_s']:.1f} s, {r['report_peak_mb']:.0f} MB",
            flush=True,
        )
    print("\n| schools | no-data page | District first | x floor | District warm | Heatmap Schools | x floor "
          "| Overview first | server peak | report (pl-diag) | report peak |")  # fmt: skip
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size, r in rows.items():
        print(
            f"| {size:,} | {r['floor']:.2f} s | {r['district_first']:.2f} s | {r['district_first'] / r['floor']:.1f} "
            f"| {r['district_warm']:.2f} s | {r['heatmap_schools']:.2f} s | {r['heatmap_schools'] / r['floor']:.1f} "
            f"| {r['overview_first']:.2f} s | {r['server_peak_mb']:.0f} MB | {r['report_s']:.1f} s "
            f"| {r['report_peak_mb']:.0f} MB |"
        )
    if not args.dir:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
