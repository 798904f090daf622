"""A contributor's pull request, end to end, in a temporary copy of the repository.

Runs the guide's commands as a contributor would: scaffold a run, import a chat, fill in
the verdicts, validate, build the site, and find the new run on the home grid, on its
question page and on its own page. Then a broken fill, which must fail with file, line and
code.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, build_site, copy_repository
from gallery.rules import load_repository
from gallery.site.build import prepare
from gallery.site.pages.common import page_url
from gallery.site.plan import answer_page

pytestmark = pytest.mark.slow

RUN = "e2e-example-2"
BIN = Path(sys.executable).parent


def gallery(tree: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "gallery"), *args], cwd=tree, capture_output=True, text=True, timeout=120)


def fill_in(tree: Path) -> None:
    """What a contributor types into the scaffold."""
    run_yaml = tree / "transcripts" / "hw11" / RUN / "run.yaml"
    text = run_yaml.read_text(encoding="utf-8")
    for key, value in {
        "  vendor": '"Example Labs"',
        "interface": "web-chat",
        "strategy": "one-shot",
        "strategy_note": '"All four parts in one prompt."',
        "modality": "pasted-text",
        "contributor": '"E. Tester"',
    }.items():
        text = re.sub(rf"^{key}: null.*$", f"{key}: {value}", text, count=1, flags=re.MULTILINE)
    text = re.sub(r"^    description: null.*$", '    description: "the chat export"', text, count=1, flags=re.MULTILINE)
    run_yaml.write_text(text, encoding="utf-8")
    sources = tree / "sources" / "hw11" / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    for key, value in {
        "title": '"An example chat"',
        "form": '"a Markdown chat export"',
        "description": '"Question 1, answered."',
    }.items():
        text = re.sub(rf"^    {key}: null.*$", f"    {key}: {value}", text, count=1, flags=re.MULTILINE)
    sources.write_text(text, encoding="utf-8")
    q1 = tree / "transcripts" / "hw11" / RUN / "q1.yaml"
    text = q1.read_text(encoding="utf-8")
    text = text.replace("verdict: null", "verdict: correct").replace("reason: null", 'reason: "Matches the reference."')
    q1.write_text(text, encoding="utf-8")


def test_contributor_flow_from_scaffold_to_site(tmp_path: Path) -> None:
    tree = copy_repository(tmp_path / "repo")
    chat = FIXTURES / "chats" / "hw11-q1-example.md"
    created = gallery(tree, "new-run", "hw11", RUN, "--model", "Example-2", "--questions", "1", "--source", str(chat))
    assert created.returncode == 0, created.stdout + created.stderr
    scaffold_check = gallery(tree, "validate")
    assert scaffold_check.returncode == 1
    assert re.search(
        rf"transcripts/hw11/{RUN}/q1\.yaml:\d+:\d+: GAL206 Must have a review verdict for 1\(a\)", scaffold_check.stdout
    )

    assert (
        tree / "sources" / "hw11" / chat.name
    ).read_bytes() == chat.read_bytes()  # the original is kept as provenance
    imported = gallery(tree, "import-chat", str(chat), "--into", RUN)
    assert "placed 1(a)" in imported.stdout and "placed 1(d)" in imported.stdout, imported.stdout

    fill_in(tree)
    valid = gallery(tree, "validate")
    assert valid.returncode == 0, valid.stdout

    site = build_site(tree, tmp_path / "site").site_dir
    question_src = answer_page(
        prepare(load_repository(tree)), "hw11", 1, RUN
    )  # runs beyond the first five go on page 2
    question_url = page_url(question_src)
    home = (site / "index.html").read_text(encoding="utf-8")
    grid_pages = [home] + [p.read_text(encoding="utf-8") for p in sorted(site.glob("gallery/hw11/grid-*/index.html"))]
    assert any(f'gallery/hw11/runs/{RUN}/"' in grid for grid in grid_pages)  # a column of the grid
    assert any(f'{question_url.split("gallery/", 1)[1]}#1a--{RUN}"' in grid for grid in grid_pages)  # a cell
    question = (site / question_url / "index.html").read_text(encoding="utf-8")
    assert f'id="1a--{RUN}"' in question and "raise the rank" in question
    run_page = (site / f"gallery/hw11/runs/{RUN}/index.html").read_text(encoding="utf-8")
    assert "Example Labs" in run_page and "All four parts in one prompt." in run_page

    q1 = tree / "transcripts" / "hw11" / RUN / "q1.yaml"
    broken = q1.read_text(encoding="utf-8").replace("verdict: correct", "verdict: corect", 1)
    q1.write_text(broken, encoding="utf-8")
    line = next(n for n, text in enumerate(broken.split("\n"), 1) if "verdict: corect" in text)
    failed = gallery(tree, "validate")
    assert failed.returncode == 1
    assert re.search(
        rf"^transcripts/hw11/{RUN}/q1\.yaml:{line}:\d+: GAL105 Must set `entries\[0\]\.review\.verdict`",
        failed.stdout,
        re.MULTILINE,
    ), failed.stdout
    build = subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "-d", str(tmp_path / "site2")],
        cwd=tree,
        capture_output=True,
        text=True,
    )
    assert (
        build.returncode != 0
        and "GAL105" in build.stdout + build.stderr
        and "Traceback" not in build.stdout + build.stderr
    )
