"""Every generated page renders, without MkDocs: the real data, the data at scale, and two homeworks.

These run in the fast tier, so a renderer that raises on some data fails `make test-fast`;
the strict MkDocs build of the same trees is in the slow tier (test_site_static.py).
"""

from __future__ import annotations

import inspect
import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO_ROOT, VALID_TREE, copy_repository, synthetic_tree
from gallery.rules import load_repository
from gallery.site import build
from gallery.site.pages import analysis, overview, question, reference, run
from gallery.site.pages.common import RUNS_PER_MODEL_PAGE

RENDERER_MODULES = (analysis, overview, question, reference, run)


def rendered(root: Path) -> tuple[dict[str, str], list[object], set[str]]:
    """Every generated file of a tree, its nav, and the names of the renderers that made them."""
    repo = load_repository(root)
    assert [p.as_text() for p in repo.problems if p.is_error] == []
    pages, nav = build.site_pages(build.prepare(repo))
    unwrapped = [inspect.unwrap(render) for render in pages.values()]  # past the link resolution
    used = {getattr(getattr(render, "func", render), "__name__", "") for render in unwrapped}
    out = {src: render() for src, render in pages.items()}
    for src, text in out.items():
        assert text.strip(), f"{src} rendered empty"
        if src.endswith(".md") and "/partials/" not in src:
            assert text.startswith("---\ntitle: "), f"{src} has no title"
    return out, nav, used


def nav_pages(nav: object) -> set[str]:
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, dict):
        return set().union(*(nav_pages(v) for v in nav.values()))
    if isinstance(nav, list):
        return set().union(*(nav_pages(v) for v in nav)) if nav else set()
    return set()


def test_every_page_of_the_real_data_renders_and_is_in_the_nav() -> None:
    pages, nav, _ = rendered(REPO_ROOT)
    in_nav = nav_pages(nav)
    assert "gallery/hw11/index.md" in in_nav
    unlisted = {src for src in pages if src.endswith(".md") and "/partials/" not in src and "/reference/" not in src}
    unlisted -= in_nav | {"gallery/index.md", "gallery/data/index.md"}
    assert unlisted == set()


def test_at_scale_every_page_renderer_is_used(tmp_path: Path) -> None:
    """13 copies of each run: a second grid page, second question pages, a second audit page."""
    synthetic_tree(tmp_path, 13)
    pages, _, used = rendered(tmp_path)
    assert "gallery/hw11/grid-2.md" in pages
    assert "gallery/hw11/questions/q1-2.md" in pages
    assert "gallery/hw11/analysis/audit-2.md" in pages
    # ChatGPT's 4 runs x 13 copies: its model page is split like the grid, each page listing its own runs
    chatgpt = [src for src in pages if re.fullmatch(r"gallery/models/chatgpt(/[0-9]+)?\.md", src)]
    assert len(chatgpt) == -(-52 // RUNS_PER_MODEL_PAGE)
    first, second, last = pages["gallery/models/chatgpt.md"], pages["gallery/models/chatgpt/2.md"], pages[chatgpt[-1]]
    assert "52 runs." in first and "Failure tags" in first and "Failure tags" not in second
    run_links = re.compile(r'href="[./]*hw11/runs/[^"]+/">')
    assert len(run_links.findall(first)) == len(run_links.findall(second)) == RUNS_PER_MODEL_PAGE
    assert len(run_links.findall(last)) == (52 % RUNS_PER_MODEL_PAGE or RUNS_PER_MODEL_PAGE)
    assert 'href="../">runs 1–12</a>' in second and '<strong aria-current="page">runs 13–24</strong>' in second
    renderers = {
        name
        for module in RENDERER_MODULES
        for name in vars(module)
        if name.startswith("render_") and name.endswith(("_page", "_partial", "_index"))
    }
    preview_only = {"render_pending_run_page"}  # made by build_pages(preview=True); see test_contribute.py
    assert renderers - used - preview_only == set(), "page renderers that no generated page uses"


@pytest.fixture
def two_homeworks(tmp_path: Path) -> Path:
    """The real repository plus the small hw0 homework of the fixtures, with its run."""
    tree = copy_repository(tmp_path / "repo")
    shutil.copytree(VALID_TREE / "solutions" / "hw0", tree / "solutions" / "hw0", dirs_exist_ok=True)
    shutil.copytree(VALID_TREE / "transcripts" / "hw0", tree / "transcripts" / "hw0", dirs_exist_ok=True)
    shutil.copytree(VALID_TREE / "sources" / "hw0", tree / "sources" / "hw0", dirs_exist_ok=True)
    return tree


def test_a_second_homework_gets_its_pages_nav_and_export(two_homeworks: Path) -> None:
    pages, nav, _ = rendered(two_homeworks)
    assert [next(iter(section)) for section in nav] == ["Homework 0", "Homework 11", "Models"]
    in_nav = nav_pages(nav)
    for homework in ("hw0", "hw11"):
        assert f"gallery/{homework}/index.md" in in_nav
        assert f"gallery/data/{homework}.json" in pages
    assert "gallery/hw0/runs/demo-run.md" in in_nav
    assert "hw0" in pages["gallery/index.md"] and "hw11" in pages["gallery/index.md"]
    assert pages["gallery/partials/home.md"].count('class="gallery-table-wrap grid"') == 2


def test_a_model_page_lists_its_runs_on_every_homework(two_homeworks: Path) -> None:
    """The fixture's run uses the same model name as a real run: its page covers both homeworks."""
    run_file = two_homeworks / "transcripts" / "hw0" / "demo-run" / "run.yaml"
    text = run_file.read_text(encoding="utf-8")
    assert 'name: "Demo-1"' in text
    run_file.write_text(text.replace('name: "Demo-1"', 'name: "Kimi K2"'), encoding="utf-8")
    pages, nav, _ = rendered(two_homeworks)
    kimi = pages["gallery/models/kimi-k2.md"]
    assert "../../hw0/runs/demo-run/" in kimi and "../../hw11/runs/004-kimi-k2-screenshots/" in kimi
    assert kimi.count("scores by question") == 2 and kimi.count("every answer") == 2
    leaderboard = pages["gallery/models/index.md"]
    names = [name for name in ("ChatGPT", "Kimi K2", "Unknown model") if name in leaderboard]
    assert len(names) == 3


def test_the_placeholder_nav_item_becomes_the_homework_sections() -> None:
    sections = [{"Homework 11": ["gallery/hw11/index.md"]}, {"Homework 0": ["gallery/hw0/index.md"]}]
    nav = [{"Home": "index.md"}, {"Homeworks": "gallery/index.md"}, {"About": "about.md"}]
    assert build.splice_nav(nav, sections) == [
        {"Home": "index.md"},
        {"Homeworks": "gallery/index.md"},
        *sections,
        {"About": "about.md"},
    ]
    assert build.splice_nav([{"Home": "index.md"}], sections) == [{"Home": "index.md"}]


def test_the_sources_page_describes_every_document_once_and_runs_cite_it() -> None:
    from gallery.site.pages.sources import source_anchor

    pages, _, _ = rendered(REPO_ROOT)
    sources = pages["gallery/hw11/sources.md"]
    described = load_repository(REPO_ROOT).homeworks["hw11"].sources
    assert described is not None
    for document in described.documents:
        assert sources.count(f'id="{source_anchor(document.file)}"') == 1
        assert f"gallery/hw11/sources/{document.file}" in pages  # its text, published as it is
    run = pages["gallery/hw11/runs/004-kimi-k2-screenshots.md"]
    assert "004_aa634730837e9106.txt" not in run  # cited through the Sources page, not by file name
    assert f"sources/#{source_anchor('004_aa634730837e9106.txt')}" in run


def test_a_source_document_is_published_as_plain_text_never_as_a_page(two_homeworks: Path) -> None:
    (two_homeworks / "sources" / "hw0" / "demo.txt").rename(two_homeworks / "sources" / "hw0" / "chat.md")
    for path in (
        two_homeworks / "sources" / "hw0" / "sources.yaml",
        two_homeworks / "transcripts" / "hw0" / "demo-run" / "run.yaml",
    ):
        path.write_text(path.read_text(encoding="utf-8").replace("demo.txt", "chat.md"), encoding="utf-8")
    pages, _, _ = rendered(two_homeworks)
    assert "gallery/hw0/sources/chat.md.txt" in pages and "gallery/hw0/sources/chat.md" not in pages
