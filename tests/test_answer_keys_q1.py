"""Recompute every checkable result of hw11 question 1 (LoRA) from the question's givens.

Question 1 gives no concrete matrix sizes, so its key has no number or count items: the
memory results of 1(d) are expression items, checked here against plain Python arithmetic at
several sample points. The illustrative numbers quoted in the references are checked too.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from gallery.data.models import QuestionFile
from gallery.grading.expressions import evaluate

ROOT = Path(__file__).resolve().parents[1]
QUESTION = 1
REL = "solutions/hw11/q1.yaml"
SAMPLE_POINTS = [
    {"k": 8.0, "m": 4096.0, "l": 4096.0},
    {"k": 4.0, "m": 768.0, "l": 3072.0},
    {"k": 16.0, "m": 1000.0, "l": 1000.0},
    {"k": 2.5, "m": 7.0, "l": 3.5},
]


def _items(question: QuestionFile) -> dict[str, tuple[str, object]]:
    return {item.id: (part.label, item) for part in question.parts for item in part.answer_key}


def _part(question: QuestionFile, label: str):
    return next(p for p in question.parts if p.label == label)


def test_file_has_no_problems(repo):
    mine = [p for p in repo.problems if p.path == REL]
    assert mine == [], mine


def test_parts_are_the_homeworks(question):
    assert [p.label for p in question.parts] == ["1(a)", "1(b)", "1(c)", "1(d)"]
    assert all(p.graded and not p.optional and p.reference for p in question.parts)
    for part in question.parts:
        assert "**Answer.**" in part.reference and "**Mistakes seen in the runs.**" in part.reference


def recompute_numbers(givens: dict[str, float]) -> dict[str, float]:
    """Every number/count item of question 1, recomputed from the givens (there are none)."""
    assert givens["bytes_per_float"] == 4
    return {}


def test_number_and_count_items(question, givens):
    recomputed = recompute_numbers(givens)
    keyed = {iid: item for iid, (_, item) in _items(question).items() if item.kind in ("number", "count")}
    assert set(recomputed) == set(keyed)
    for iid, value in recomputed.items():
        assert math.isclose(keyed[iid].value, value, rel_tol=1e-9), iid


def expected_expressions(givens: dict[str, float]):
    b = givens["bytes_per_float"]
    return {
        "lora-bytes": lambda k, m, l: b * (m * k + k * l),
        "full-bytes": lambda k, m, l: b * m * l,
        "memory-ratio": lambda k, m, l: (b * (m * k + k * l)) / (b * m * l),
    }


def test_expression_items(question, givens):
    expected = expected_expressions(givens)
    keyed = {iid: item for iid, (_, item) in _items(question).items() if item.kind == "expression"}
    assert set(keyed) == set(expected)
    for iid, item in keyed.items():
        assert set(item.variables) <= {"k", "m", "l"}, iid
        for point in SAMPLE_POINTS:
            got = evaluate(item.value, point)
            want = expected[iid](point["k"], point["m"], point["l"])
            assert math.isclose(got, want, rel_tol=1e-12), (iid, point, got, want)


def test_lora_is_smaller_when_rank_is_small(givens):
    f = expected_expressions(givens)
    for m, l in [(4096, 4096), (768, 3072)]:
        breakeven = m * l / (m + l)
        assert f["memory-ratio"](breakeven, m, l) == pytest.approx(1.0)
        assert f["memory-ratio"](8, m, l) < 0.05


def test_illustrations_in_references(question, givens):
    b = int(givens["bytes_per_float"])
    m = l = 4096
    k = 8
    ref_d = _part(question, "1(d)").reference
    lora = b * k * (m + l)
    full = b * m * l
    assert f"{lora:,}".replace(",", "{,}") in ref_d
    assert f"{full:,}".replace(",", "{,}") in ref_d
    assert lora == 256 * 1024 and full == 64 * 1024 * 1024 and full // lora == 256
    assert "256 times less" in ref_d
    # 1(c): Xavier variances 2/(m+k) and 2/(k+l) give Var((AB)_ij) = 4k/((m+k)(k+l)).
    ref_c = _part(question, "1(c)").reference
    var = (2 / (m + k)) * (2 / (k + l)) * k
    assert f"{var / 1e-6:.2f} \\times 10^{{-6}}" in ref_c
    assert math.isclose(m * l * var, 4 * k, rel_tol=0.01)  # E||AB||_F^2 ~ 4k = 32
    assert "(predicted $32$)" in ref_c
    # relative output change for isotropic inputs ~ 2 sqrt(k/m)
    assert round(100 * 2 * math.sqrt(k / 4096)) == 9 and round(100 * 2 * math.sqrt(k / 1024)) == 18


def test_choice_answers(question):
    items = _items(question)
    assert items["adjustment"][1].correct == ["Increase the rank k"]
    assert items["zero-init-effect"][1].correct[0].startswith("Both gradients are zero")
    assert items["xavier-problem"][1].correct[0].startswith("AB is a non-zero random matrix")
