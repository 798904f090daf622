"""The successor engine: Zensical builds the same site from `gallery build`'s output, page for page."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO_ROOT, BuiltSite
from gallery.rules import load_repository
from gallery.site.engines import hookless_config

BIN = Path(sys.executable).parent
COPY_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "site", "site-*", "node_modules", "test-results", ".bench", "build"
)


def _copy_repository(dest: Path) -> Path:
    shutil.copytree(REPO_ROOT, dest, ignore=COPY_IGNORE)
    shutil.rmtree(dest / "docs" / "gallery", ignore_errors=True)
    return dest


def article_text(page: Path) -> str:
    """What a reader reads on a page: the article's text, tags and scripts removed, whitespace normalised."""
    source = page.read_text(encoding="utf-8")
    match = re.search(r"<article[^>]*>(.*?)</article>", source, re.DOTALL)
    body = match.group(1) if match else ""
    body = re.sub(r"<(script|style)\b[^>]*>.*?</\1>", " ", body, flags=re.DOTALL)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def test_the_hookless_config_runs_no_hook_or_plugin_and_writes_the_nav_out(tmp_path: Path) -> None:
    root = _copy_repository(tmp_path / "repo")
    subprocess.run([str(BIN / "gallery"), "--root", str(root), "build"], check=True, capture_output=True, timeout=300)
    config = hookless_config(
        root, load_repository(root), root / "mkdocs.zensical.yml", site_dir=root / "out", notebooks=True
    )
    text = config.read_text(encoding="utf-8")
    assert "hooks:" not in text and "mkdocs-jupyter" not in text and "\nwatch:" not in text
    assert re.search(r"^site_dir: \"out\"$", text, flags=re.MULTILINE)
    flat = yaml.safe_dump(yaml.safe_load("nav:\n" + text.partition("\nnav:\n")[2]))
    assert "gallery/hw11/questions/q1.md" in flat and "gallery/notebooks/q7-pruning-quantization.md" in flat
    assert ".ipynb" not in flat
    page = (root / "docs" / "gallery" / "notebooks" / "q7-pruning-quantization.md").read_text(encoding="utf-8")
    assert page.startswith('---\ntitle: "HW11 Q7 reference notebook') and "<img" in page  # outputs kept


@pytest.mark.slow
def test_zensical_builds_the_same_pages_as_mkdocs(built_site: BuiltSite, tmp_path: Path) -> None:
    root = _copy_repository(tmp_path / "repo")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # the recipe of `make build ENGINE=zensical`, run with this environment's executables
    recipe = re.search(
        r"ifeq \(\$\(ENGINE\),zensical\)\n((?:\t.*\n)+)", (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    )
    assert recipe is not None
    for line in recipe.group(1).strip().split("\n"):
        command = line.strip().replace("$(BIN)/", f"{BIN}/").split()
        result = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stdout + result.stderr
    zensical_site = root / "site"
    mkdocs_pages = {str(p.relative_to(built_site.site_dir)) for p in built_site.site_dir.rglob("index.html")}
    zensical_pages = {str(p.relative_to(zensical_site)) for p in zensical_site.rglob("index.html")}
    renamed = {
        f"notebooks/{n}/index.html": f"gallery/notebooks/{n}/index.html"
        for n in ("q4-lr-batch-size", "q7-pruning-quantization")
    }
    assert {renamed.get(p, p) for p in mkdocs_pages} == zensical_pages
    differing = [
        page
        for page in sorted(mkdocs_pages - set(renamed))
        if article_text(built_site.site_dir / page) != article_text(zensical_site / page)
    ]
    assert differing == []
    assert len(mkdocs_pages) > 40
