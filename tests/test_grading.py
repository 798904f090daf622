"""The automatic check, the disagreement flags, the audit page and the charts."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO_ROOT, VALID_TREE
from gallery.data.layout import DATA_ROOTS
from gallery.data.models import BooleanKey, ChoiceKey, CountKey, ExpressionKey, NumberKey, Tolerance
from gallery.export import build_export, export_json
from gallery.grading.assess import assess_answer
from gallery.grading.check import auto_check, check_item
from gallery.rules import load_repository
from gallery.site.build import prepare
from gallery.site.charts import Bar, score_bars, verdict_stacks
from gallery.site.pages.analysis import render_audit_page


def number(value: float, **tolerance: float) -> NumberKey:
    return NumberKey(
        id="x",
        description="x",
        kind="number",
        value=value,
        unit="",
        tolerance=Tolerance(**tolerance),
        tolerance_reason="test",
    )


@pytest.mark.parametrize(
    ("key", "stated", "matches"),
    [
        (number(240, absolute=0.5), 240.4, True),
        (number(240, absolute=0.5), 241, False),
        (number(100, relative=0.1), 109, True),
        (number(100, relative=0.1), 111, False),
        (number(1e30, factor=3), 2.9e30, True),
        (number(1e30, factor=3), 3.1e29, False),
        (number(-8, factor=2), -5, True),
        (number(5, factor=2), -5, False),
        (
            NumberKey(
                id="x",
                description="x",
                kind="number",
                value=2,
                unit="TB",
                tolerance=Tolerance(relative=0.1),
                also_accept=[200],
            ),
            199,
            True,
        ),
        (CountKey(id="x", description="x", kind="count", value=16), 16, True),
        (CountKey(id="x", description="x", kind="count", value=16), 15, False),
        (BooleanKey(id="x", description="x", kind="boolean", value=False), False, True),
        (BooleanKey(id="x", description="x", kind="boolean", value=False), True, False),
        (ChoiceKey(id="x", description="x", kind="choice", options=["a", "b", "c"], correct=["b"]), "b", True),
        (ChoiceKey(id="x", description="x", kind="choice", options=["a", "b", "c"], correct=["b"]), ["b", "c"], False),
        (
            ExpressionKey(
                id="x", description="x", kind="expression", value="4*k*(m+l)", variables=["k", "m", "l"], latex="x"
            ),
            "4*m*k + 4*l*k",
            True,
        ),
        (
            ExpressionKey(
                id="x", description="x", kind="expression", value="4*k*(m+l)", variables=["k", "m", "l"], latex="x"
            ),
            "4*k*m*l",
            False,
        ),
    ],
)
def test_each_kind_of_key_item_is_checked(key: object, stated: object, matches: bool) -> None:
    check = check_item(key, stated)  # type: ignore[arg-type]
    assert check.matches is matches
    assert ("does not match" in check.explanation()) is not matches


def test_auto_verdict_from_the_fixture() -> None:
    repo = load_repository(VALID_TREE)
    part_b = repo.question("hw0", 1).parts[1]  # type: ignore[union-attr]
    entry = repo.runs[("hw0", "demo-run")].questions[1].entries[1]
    result = auto_check(part_b, entry.stated)
    assert result.verdict == "partial"  # "both zero" is wrong, the other two are right
    assert [c.item_id for c in result.checks if not c.matches] == ["init"]
    assert auto_check(part_b, {}).verdict is None
    assert auto_check(part_b, {"smaller": True}).verdict == "partial"  # two key items not stated
    assert auto_check(part_b, {"smaller": True, "init": "one factor zero", "parameters": 200}).verdict == "correct"
    kinds = [flag.kind for flag in assess_answer(part_b, entry).flags]
    assert kinds == ["annotator-vs-review", "auto-vs-annotator"]


def test_a_planted_wrong_value_graded_correct_is_flagged(tmp_path: Path) -> None:
    tree = tmp_path / "repo"
    for name in (*DATA_ROOTS, "docs"):
        shutil.copytree(
            REPO_ROOT / name,
            tree / name,
            ignore=lambda folder, names: ["gallery"] if folder == str(REPO_ROOT / "docs") else [],
        )
    repo = load_repository(tree)
    target = None
    for run in repo.runs_for("hw11"):
        for number_, question in run.questions.items():
            parts = {p.label: p for p in repo.question("hw11", number_).parts}  # type: ignore[union-attr]
            for entry in question.entries:
                numbers = [i for i in parts[entry.part].answer_key if isinstance(i, NumberKey) and i.id in entry.stated]
                if entry.review.verdict == "correct" and numbers and not assess_answer(parts[entry.part], entry).flags:
                    target = (run, number_, entry, numbers[0])
                    break
            if target:
                break
        if target:
            break
    assert target is not None
    run, number_, entry, item = target
    path = tree / "transcripts" / "hw11" / run.id / f"q{number_}.yaml"
    text = path.read_text(encoding="utf-8")
    planted = item.value * 1000 if item.value else 1000.0
    stated_line = re.compile(rf"^(\s*){re.escape(item.id)}: .*$", re.MULTILINE)
    inline = re.compile(rf"({re.escape(item.id)}: )([^,}}\n]+)")
    block_start = text.index(f'part: "{entry.part}"')
    block_end = text.find("\n  - part:", block_start + 1)
    block = text[block_start : block_end if block_end > 0 else len(text)]
    if stated_line.search(block):
        new_block = stated_line.sub(lambda m: f"{m.group(1)}{item.id}: {planted:.6e}", block, count=1)
    else:
        new_block = inline.sub(lambda m: f"{m.group(1)}{planted:.6e}", block, count=1)
    path.write_text(text.replace(block, new_block), encoding="utf-8")

    planted_repo = load_repository(tree)
    assert planted_repo.problems == []
    planted_entry = next(
        e for e in planted_repo.runs[("hw11", run.id)].questions[number_].entries if e.part == entry.part
    )
    part = next(p for p in planted_repo.question("hw11", number_).parts if p.label == entry.part)  # type: ignore[union-attr]
    flags = assess_answer(part, planted_entry).flags
    assert "auto-vs-review" in [f.kind for f in flags]
    audit = render_audit_page(prepare(planted_repo), "hw11")
    assert item.id in audit and "does not match" in audit
    exported = json.loads(export_json(build_export(planted_repo, "hw11")))
    exported_entry = next(
        e for r in exported["runs"] if r["id"] == run.id for e in r["entries"] if e["part"] == entry.part
    )
    assert exported_entry["auto_verdict"] in ("partial", "incorrect")
    assert {"kind": "auto-vs-review", "first": exported_entry["auto_verdict"], "second": "correct"} in exported_entry[
        "flags"
    ]


def test_the_audit_of_the_real_data_lists_its_disagreements_with_evidence() -> None:
    repo = load_repository(REPO_ROOT)
    audit = render_audit_page(prepare(repo), "hw11")
    assert "annotator says incorrect, review says correct" in audit  # 000's 6(a)
    assert "does not match key" in audit  # evidence from the automatic check


def test_charts_carry_their_numbers_as_text_and_patterns() -> None:
    bars = score_bars(
        "c1", "Score by run", [("Run A", Bar("Run A", 0.5, "5/10 (50%)"), Bar("Run A", 0.8, "8/10 (80%)"))]
    )
    assert 'role="img"' in bars and "<title" in bars and "5/10 (50%)" in bars and "8/10 (80%)" in bars
    assert 'fill="url(#c1-after)"' in bars
    stacks = verdict_stacks("c2", "Verdicts", [("Run A", {"correct": 7, "partial": 2, "incorrect": 1})])
    for verdict in ("correct", "partial", "incorrect", "skipped"):
        assert f'id="c2-{verdict}"' in stacks  # one pattern per verdict: readable without colour
    assert ">7<" in stacks and "10 graded" in stacks
