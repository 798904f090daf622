"""Two builds of the same commit are byte-identical (with SOURCE_DATE_EPOCH set, as CI does)."""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest

from conftest import REPO_ROOT, build_site

pytestmark = pytest.mark.slow


def all_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    epoch = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01; MkDocs refuses 0
    first = build_site(REPO_ROOT, tmp_path / "one", extra_env=epoch).site_dir
    shutil.rmtree(REPO_ROOT / "docs" / "gallery")  # the second build generates every page again
    second = build_site(REPO_ROOT, tmp_path / "two", extra_env=epoch).site_dir
    one, two = all_files(first), all_files(second)
    assert sorted(one) == sorted(two)
    differing = [name for name in one if one[name] != two[name]]
    assert differing == []
    assert filecmp.cmp(first / "sitemap.xml.gz", second / "sitemap.xml.gz", shallow=False)
