"""The dependency map: every page an edit changes is among the pages the map says read the edited file.

Each case edits one data file of a copy of the real data (three copies of every run, so questions
span several pages and the grid has a second page), renders every page from scratch, and compares
with the pages rendered before the edit. A page whose text changed but that the map does not list
would stay stale under `mkdocs serve`; that is the failure these tests look for. They also check
the map is narrow enough to be worth having: an answer edit does not re-render other runs' pages.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import synthetic_tree
from gallery.data.problems import errors
from gallery.rules import load_repository
from gallery.site import depends
from gallery.site.build import prepare, site_map
from gallery.site.pages.common import question_page, run_page

COPIES = 3
TOKEN = "Dependency-probe-7f3a"


@dataclass
class Rendered:
    files: dict[str, str]
    nav: list[object]
    inputs: dict[str, frozenset[depends.Key]]


def render(root: Path) -> Rendered:
    repo = load_repository(root)
    assert not errors(repo.problems), [p.as_text() for p in errors(repo.problems)][:5]
    site = site_map(prepare(repo))
    return Rendered({src: as_text(page()) for src, page in site.pages.items()}, site.nav, site.inputs)


def as_text(content: str | bytes) -> str:
    """A generated file as text (the data downloads are rendered as UTF-8 bytes)."""
    return content.decode("utf-8") if isinstance(content, bytes) else content


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Rendered]:
    root = tmp_path_factory.mktemp("depends") / "repo"
    root.mkdir()
    synthetic_tree(root, COPIES)
    return root, render(root)


def _insert_after(pattern: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        edited, count = re.subn(pattern, lambda m: m.group(0) + f"{TOKEN} ", text, count=1, flags=re.MULTILINE)
        assert count == 1, pattern
        return edited

    return edit


def _append_line(text: str) -> str:
    return text + f"\n{TOKEN}\n"


EDITS: dict[str, tuple[str, Callable[[str], str]]] = {
    "an answer's reason": ("transcripts/hw11/000-unknown-model/q5.yaml", _insert_after(r'reason: "')),
    "an answer of a run on the second grid page": (
        "transcripts/hw11/004-kimi-k2-screenshots-x002/q5.yaml",
        _insert_after(r'reason: "'),
    ),
    "a run's notes": ("transcripts/hw11/000-unknown-model/run.yaml", _insert_after(r"^notes: \|\n  ")),
    "a reference solution": ("solutions/hw11/q5.yaml", _insert_after(r"^    reference: \|\n      ")),
    "the homework's summary": ("solutions/hw11/homework.yaml", _insert_after(r"^summary: \|\n  ")),
    "a source's description": ("sources/hw11/sources.yaml", _insert_after(r"^    description: \|\n      ")),
    "a source document": ("sources/hw11/004_aa634730837e9106.txt", _append_line),
}


def edited_copy(root: Path, tmp_path: Path, rel: str, edit: Callable[[str], str]) -> Path:
    copy = tmp_path / "edited"
    shutil.copytree(root, copy)
    path = copy / rel
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return copy


@pytest.mark.parametrize("case", sorted(EDITS))
def test_every_page_an_edit_changes_is_in_the_map(case: str, baseline: tuple[Path, Rendered], tmp_path: Path) -> None:
    root, before = baseline
    rel, edit = EDITS[case]
    after = render(edited_copy(root, tmp_path, rel, edit))
    assert after.nav == before.nav and after.files.keys() == before.files.keys()
    changed = {src for src, text in after.files.items() if before.files[src] != text}
    assert changed, f"editing {rel} changed no page: the probe is not rendered anywhere"
    assert any(TOKEN in after.files[src] for src in changed)
    listed = depends.affected_pages(after.inputs, [rel])
    assert listed is not None
    assert changed <= listed, f"pages that changed but the map does not tie to {rel}: {sorted(changed - listed)}"


def test_an_answer_edit_touches_only_its_own_run_and_question_pages(baseline: tuple[Path, Rendered]) -> None:
    _, before = baseline
    listed = depends.affected_pages(before.inputs, ["transcripts/hw11/000-unknown-model/q5.yaml"])
    assert listed is not None
    runs = {src for src in before.inputs if "/runs/" in src}
    questions = {src for src in before.inputs if "/questions/" in src}
    assert listed & runs == {run_page("hw11", "000-unknown-model")}
    assert listed & questions == {question_page("hw11", 5)}
    direct = {src for src in listed if not depends.is_aggregate(before.inputs[src])}
    model = "gallery/models/unknown.md"  # three runs: few enough to render with the edit
    assert direct == {
        run_page("hw11", "000-unknown-model"),
        question_page("hw11", 5),
        "gallery/partials/home.md",
        model,
    }
    assert depends.is_aggregate(before.inputs["gallery/models/chatgpt.md"], most_runs=4)


def test_a_file_the_layout_does_not_know_makes_every_page_stale(baseline: tuple[Path, Rendered]) -> None:
    _, before = baseline
    assert depends.affected_pages(before.inputs, ["transcripts/hw11/stray.txt"]) is None
    assert depends.affected_pages(before.inputs, ["transcripts/README.md"]) == set()


def test_keys_of_data_files() -> None:
    assert depends.file_key("solutions/hw11/q5.yaml") == ("hw11", "question", 5)
    assert depends.file_key("solutions/hw11/homework.yaml") == ("hw11", "homework")
    assert depends.file_key("sources/hw11/sources.yaml") == ("hw11", "sources")
    assert depends.file_key("sources/hw11/000_x.txt") == ("hw11", "sources")
    assert depends.file_key("transcripts/hw11/r1/run.yaml") == ("hw11", "run", "r1", "meta")
    assert depends.file_key("transcripts/hw11/r1/q5.yaml") == ("hw11", "run", "r1", 5)
    assert depends.run_folder_key("transcripts/hw11/r1/import-leftovers.md") == ("hw11", "run", "r1", "other")
    assert depends.reads([("hw11", "run", "r1")], ("hw11", "run", "r1", 5))
    assert not depends.reads([("hw11", "run", "r1")], ("hw11", "run", "r10", 5))
    assert not depends.reads([("hw11", "question", 5)], ("hw11", "question", 6))
    assert depends.is_aggregate([("hw11",)]) and depends.is_aggregate([("hw11", "run")])
    assert not depends.is_aggregate([("hw11", "run", "r1"), ("hw11", "question")])
    assert depends.is_aggregate([("hw11", "run", f"r{i}") for i in range(13)])
    assert not depends.is_aggregate([("hw11", "run", f"r{i}", 5) for i in range(12)])
