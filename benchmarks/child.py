"""Run one command as its own process and measure it as a whole: wall seconds and its own peak memory."""

from __future__ import annotations

import os
import subprocess
import time


def run_measured(argv: list[str], **popen) -> tuple[float, float]:
    """(wall seconds, peak resident MB) of `argv`, run to its end; exits with the command if it fails.

    The peak is this child's own (`wait4`), not RUSAGE_CHILDREN's largest child so far.
    """
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, **popen)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code:
        raise SystemExit(f"{' '.join(argv[:4])} ... failed with status {code}")
    return seconds, usage.ru_maxrss / 1024
