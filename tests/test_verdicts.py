"""One record per verdict: every place that shows or counts verdicts derives from `gallery.data.verdicts`."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from conftest import REPO_ROOT
from gallery.data import verdicts
from gallery.data.models import Review
from gallery.site import charts
from gallery.site.badges import badge
from gallery.site.pages.common import Score

PACKAGE = REPO_ROOT / "scripts" / "gallery"
NAMES = {kind.name for kind in verdicts.VERDICTS}


def spelled_verdicts(path: Path) -> list[tuple[int, str]]:
    """String constants in a module that are exactly a verdict name (or its CSS class)."""
    source = path.read_text(encoding="utf-8")
    lines = source.split("\n")
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            value = node.value.removeprefix("verdict--")
            if value in NAMES and "not a verdict" not in lines[node.lineno - 1]:
                found.append((node.lineno, node.value))
    return found


def test_no_module_spells_a_verdict_name_itself() -> None:
    offenders = {
        path.relative_to(REPO_ROOT).as_posix(): hits
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "verdicts.py" and (hits := spelled_verdicts(path))
    }
    assert offenders == {}, "use gallery.data.verdicts instead of spelling verdict names"


def test_the_scan_finds_a_spelled_verdict(tmp_path: Path) -> None:
    planted = tmp_path / "planted.py"
    planted.write_text('if verdict == "partial":\n    pass\n', encoding="utf-8")
    assert spelled_verdicts(planted) == [(1, "partial")]


def test_the_hand_written_stylesheet_names_no_verdict() -> None:
    css = (REPO_ROOT / "docs" / "assets" / "gallery.css").read_text(encoding="utf-8")
    assert not re.findall(r"verdict--(" + "|".join(map(re.escape, NAMES)) + r")\b", css)
    assert not re.findall(r"--v-(" + "|".join(map(re.escape, NAMES)) + r")-", css)


def test_the_generated_stylesheet_colours_every_verdict_in_both_palettes() -> None:
    css = verdicts.verdict_stylesheet()
    for kind in verdicts.VERDICTS:
        assert f".verdict--{kind.name} " in css
        assert f"td.grid-cell.verdict--{kind.name} " in css
        assert css.count(f"--v-{kind.name}-bg:") == 2  # light and dark


def test_the_schema_accepts_exactly_the_recorded_verdicts() -> None:
    for name in NAMES:
        assert Review(verdict=name, reason="x").verdict == name
    with pytest.raises(ValueError):
        Review(verdict="half-right", reason="x")


@pytest.mark.parametrize("kind", verdicts.VERDICTS, ids=lambda k: k.name)
def test_badge_icon_and_word_come_from_the_record(kind: verdicts.VerdictKind) -> None:
    html = badge(kind.name)
    assert kind.icon in html and kind.word in html and f"verdict--{kind.name}" in html


def test_scores_use_the_recorded_weights() -> None:
    score = Score()
    for kind in verdicts.VERDICTS:
        score = score.add(kind.name)
    scored = [k for k in verdicts.VERDICTS if k.scored]
    assert score.graded == len(scored)
    assert score.points == sum(k.weight or 0 for k in scored)


def test_charts_draw_a_pattern_for_every_scored_verdict() -> None:
    svg = charts.verdict_stacks("c", "t", [("row", {name: 1 for name in verdicts.SCORED_VERDICTS})])
    for name in verdicts.SCORED_VERDICTS:
        assert f'id="c-{name}"' in svg and verdicts.BY_NAME[name].word in svg


def test_automatic_verdicts_follow_the_weights() -> None:
    assert verdicts.verdict_from_check(2, 2, complete=True) == max(
        verdicts.SCORED_VERDICTS, key=lambda n: verdicts.BY_NAME[n].weight or 0
    )
    assert verdicts.BY_NAME[verdicts.verdict_from_check(0, 2, complete=True)].weight == 0
    assert 0 < (verdicts.BY_NAME[verdicts.verdict_from_check(1, 2, complete=True)].weight or 0) < 1
