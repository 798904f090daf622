"""Check that requirements/lock.txt holds, for every supported Python and platform, what a fresh resolve picks.

The lock is resolved once for all targets (`uv pip compile --universal`, see `make lock`).
This script resolves pyproject.toml again for each target alone (Python 3.11, 3.12 and
3.13 on Linux and macOS, and 3.11.2, the Python of a stock Debian 12) and fails if a package
that target needs is pinned differently in the lock, or missing from it. It needs the
package index, so CI runs it (`make lock-check`) but the test suite does not.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "lock.txt"
TARGETS = [
    (python, platform)
    for python in ("3.11.2", "3.11", "3.12", "3.13")
    for platform in ("x86_64-unknown-linux-gnu", "aarch64-apple-darwin")
]
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^ ;\\]+)")


def pins(text: str) -> set[tuple[str, str]]:
    return {(m.group(1).lower().replace("_", "-"), m.group(2)) for line in text.splitlines() if (m := PIN.match(line))}


def resolve(python: str, platform: str) -> set[tuple[str, str]]:
    command = [
        sys.executable,
        "-m",
        "uv",
        "pip",
        "compile",
        "pyproject.toml",
        "requirements/build.in",
        "--extra",
        "test",
        "--python-version",
        python,
        "--python-platform",
        platform,
        "--no-header",
        "--no-annotate",
        "--quiet",
        "-o",
        "-",
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"cannot resolve for Python {python} on {platform}:\n{result.stderr}")
    return pins(result.stdout)


def main() -> int:
    locked = pins(LOCK.read_text(encoding="utf-8"))
    failures = []
    for python, platform in TARGETS:
        missing = sorted(resolve(python, platform) - locked)
        status = "ok" if not missing else "differs: " + ", ".join(f"{n}=={v}" for n, v in missing)
        print(f"Python {python:6} {platform:26} {status}")
        failures += missing
    if failures:
        print("requirements/lock.txt is out of date: run `make lock`", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
