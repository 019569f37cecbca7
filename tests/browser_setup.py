"""Make sure headless Chromium is there for the browser test, installing Debian's package when we can.

Run by `make test` before pytest. Never downloads a browser build of its own (no `playwright install`):
it uses the system's /usr/bin/chromium. When it cannot install one (not root, no apt-get, no network),
it says so and the browser test is skipped with that reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

CHROMIUM = "/usr/bin/chromium"


def main() -> int:
    if os.path.exists(CHROMIUM):
        return 0
    if os.environ.get("PL_SKIP_BROWSER_INSTALL"):
        print("browser setup: PL_SKIP_BROWSER_INSTALL is set; the browser test will be skipped")
        return 0
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        print(
            f"browser setup: {CHROMIUM} is missing and cannot be installed here (needs root and apt-get); "
            "the browser test will be skipped"
        )
        return 0
    print("browser setup: installing Debian's chromium for the end-to-end test\u2026", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        result = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=900)
        if result.returncode != 0:
            print(f"browser setup: `{' '.join(cmd)}` failed; the browser test will be skipped\n{result.stderr[-800:]}")
            return 0
    print("browser setup: chromium installed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
