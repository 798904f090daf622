"""The synthetic 100x data (the real runs copied a hundred times) validates within memory."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import synthetic_tree

pytestmark = pytest.mark.slow

MAX_RSS_MB = 2048  # the machine has 24 GiB; a validator needing more than 2 GiB for this would be a bug


def test_hundred_times_the_data_validates_within_memory(tmp_path: Path) -> None:
    runs = synthetic_tree(tmp_path, 100)
    assert runs == 600
    wrapper = (
        "import resource, subprocess, sys\n"
        f"r = subprocess.run([{str(Path(sys.executable).with_name('gallery'))!r}, '--root', {str(tmp_path)!r}, 'validate'], capture_output=True, text=True)\n"
        "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)\n"
        "print(r.stdout[-300:])\n"
    )
    result = subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True, timeout=600)
    code, rss_mb = result.stdout.split("\n")[0].split()
    assert code == "0", result.stdout
    summary = re.search(r"(\d+) problems \((\d+) warnings, not blocking\) in (\d+) files", result.stdout)
    assert "No problems in 2714 files." in result.stdout or (
        summary is not None and summary[1] == summary[2] and summary[3] == "2714"
    ), result.stdout  # the only problems are warnings (the cross-check's), none blocks
    assert int(rss_mb) < MAX_RSS_MB
