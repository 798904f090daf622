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
from gallery.grading.assess import answers_of, assess_answer
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


def test_a_planted_wrong_value_in_the_answer_text_is_flagged(tmp_path: Path) -> None:
    """The check reads the answer: change a number in the model's text and the verdict and flags follow."""
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
            q = repo.question("hw11", number_)
            assert q is not None
            parts = {p.label: p for p in q.parts}
            for entry in question.entries:
                part = parts.get(entry.part)
                if part is None or entry.review.verdict != "correct" or not entry.answer:
                    continue
                check = assess_answer(part, entry, q).auto
                numbers = [
                    c
                    for c in check.checks
                    if c.matches and len(c.quotes) == 1 and isinstance(_item(part, c.item_id), NumberKey)
                ]
                if (
                    check.verdict == "correct"
                    and numbers
                    and (tree / "transcripts" / "hw11" / run.id / f"q{number_}.yaml")
                    .read_text(encoding="utf-8")
                    .count(numbers[0].quotes[0].quote)
                    == 1
                ):
                    target = (run, number_, entry, numbers[0])
                    break
            if target:
                break
        if target:
            break
    assert target is not None
    run, number_, entry, item_check = target
    quote = item_check.quotes[0].quote
    digits = re.search(r"\d[\d.,]*", quote)
    assert digits is not None
    planted_quote = quote[: digits.start()] + "987654" + quote[digits.end() :]
    path = tree / "transcripts" / "hw11" / run.id / f"q{number_}.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(quote) == 1
    path.write_text(text.replace(quote, planted_quote), encoding="utf-8")

    planted_repo = load_repository(tree)
    assert [p for p in planted_repo.problems if p.is_error] == []
    planted_entry = next(
        e for e in planted_repo.runs[("hw11", run.id)].questions[number_].entries if e.part == entry.part
    )
    q = planted_repo.question("hw11", number_)
    assert q is not None
    part = next(p for p in q.parts if p.label == entry.part)
    assessment = assess_answer(part, planted_entry, q)
    assert assessment.auto.verdict in ("partial", "incorrect")
    assert "auto-vs-review" in [f.kind for f in assessment.flags]
    if item_check.item_id in planted_entry.stated:  # the typed value no longer agrees with the text
        assert any(p.code in {"GAL316"} and p.path.endswith(f"{run.id}/q{number_}.yaml") for p in planted_repo.problems)
    audit = render_audit_page(prepare(planted_repo), "hw11")
    assert item_check.item_id in audit
    exported = json.loads(export_json(build_export(planted_repo, "hw11")))
    exported_entry = next(
        e for r in exported["runs"] if r["id"] == run.id for e in r["entries"] if e["part"] == entry.part
    )
    assert exported_entry["auto_verdict"] in ("partial", "incorrect")
    assert {"kind": "auto-vs-review", "first": exported_entry["auto_verdict"], "second": "correct"} in exported_entry[
        "flags"
    ]


def _item(part, item_id):  # type: ignore[no-untyped-def]
    return next(i for i in part.answer_key if i.id == item_id)


def test_the_check_needs_no_typed_values(tmp_path: Path) -> None:
    """Delete every `stated:` block from a copy of the data: the automatic verdicts and flags are unchanged."""
    tree = tmp_path / "repo"
    for name in DATA_ROOTS:
        shutil.copytree(REPO_ROOT / name, tree / name)
    before = prepare(load_repository(tree))
    stated_block = re.compile(r"^(\s*)stated:(?: \{[^\n]*\}|\n(?:\1  [^\n]*\n)+)", re.MULTILINE)
    removed = 0
    for path in (tree / "transcripts").rglob("q*.yaml"):
        text = path.read_text(encoding="utf-8")
        new, n = stated_block.subn(lambda m: "" if m.group(0).endswith("\n") else "", text)
        removed += n
        path.write_text(new, encoding="utf-8")
    assert removed > 100
    after_repo = load_repository(tree)
    assert not any(graded.stated for run in after_repo.runs.values() for _, graded in answers_of(after_repo, run))
    after = prepare(after_repo)

    def verdicts(assessed):  # type: ignore[no-untyped-def]
        out = []
        for run in assessed.runs.values():
            for part, graded in answers_of(assessed, run):
                a = assessed.assessment(graded)
                out.append((run.id, part.label if part else None, a.auto.verdict, [f.kind for f in a.flags]))
        return out

    got = verdicts(after)
    assert got == verdicts(before)
    assert sum(1 for _, _, verdict, _ in got if verdict is not None) > 80


def test_the_audit_of_the_real_data_lists_its_disagreements_with_evidence() -> None:
    repo = load_repository(REPO_ROOT)
    audit = render_audit_page(prepare(repo), "hw11")
    assert "annotator says incorrect, review says correct" in audit  # 000's 6(a)
    assert "does not match the key" in audit  # evidence from the automatic check


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
