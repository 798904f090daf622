"""Recompute every checkable result of hw11 question 2 (transformer interpretability).

The givens hold the four 3x3 W_QK matrices of 2(c)(ii), entry by entry. From them this test
rebuilds each matrix, recomputes the attention scores S_ij = X_i^T W_QK X_j with plain Python
and compares them with the expression items at sample points, recomputes the count items
(rank of the second matrix, number of sign-flipped features of the third), and re-derives the
worked example (scores and softmax weights) quoted in the 2(c)(ii) reference.
"""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import pytest

from gallery.data.models import QuestionFile
from gallery.grading.expressions import evaluate

ROOT = Path(__file__).resolve().parents[1]
QUESTION = 2
REL = "solutions/hw11/q2.yaml"
LABELS = [
    "2(a)(i)",
    "2(a)(ii)",
    "2(b)(i)",
    "2(b)(ii)",
    "2(c)(i)",
    "2(c)(ii)",
    "2(d)(i)",
    "2(d)(ii)",
    "2(d)(iii)",
    "2(e)(i)",
    "2(e)(ii)",
    "2(e)(iii)",
    "2(e)(iv)",
    "2(e)(v)",
]
SAMPLE_POINTS = [
    (1.0, 2.0, 3.0, -1.0, 0.5, 4.0),
    (-2.5, 0.0, 1.5, 3.0, -1.0, -2.0),
    (0.3, -0.7, 2.2, 1.1, 1.9, -0.4),
    (1.5, 2.5, 9.5, 7.0, 3.25, 8.0),
]


@pytest.fixture(scope="module")
def matrices(givens) -> dict[int, list[list[float]]]:
    d = int(givens["d_model"])
    return {n: [[givens[f"WQK{n}_{r + 1}{c + 1}"] for c in range(d)] for r in range(d)] for n in (1, 2, 3, 4)}


def _items(question: QuestionFile):
    return {item.id: (part.label, item) for part in question.parts for item in part.answer_key}


def _part(question: QuestionFile, label: str):
    return next(p for p in question.parts if p.label == label)


def bilinear(x: list[float], m: list[list[float]], y: list[float]) -> float:
    return sum(x[r] * m[r][c] * y[c] for r in range(len(x)) for c in range(len(y)))


def rank(m: list[list[float]]) -> int:
    rows = [[Fraction(v).limit_denominator() for v in row] for row in m]
    r = 0
    for col in range(len(rows[0])):
        pivot = next((i for i in range(r, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        for i in range(len(rows)):
            if i != r and rows[i][col] != 0:
                f = rows[i][col] / rows[r][col]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[r])]
        r += 1
    return r


def is_diagonal(m: list[list[float]]) -> bool:
    return all(m[r][c] == 0 for r in range(len(m)) for c in range(len(m)) if r != c)


def softmax(scores: list[float]) -> list[float]:
    top = max(scores)
    e = [math.exp(s - top) for s in scores]
    return [v / sum(e) for v in e]


def test_file_has_no_problems(repo):
    mine = [p for p in repo.problems if p.path == REL]
    assert mine == [], mine


def test_parts_are_the_homeworks(question):
    assert [p.label for p in question.parts] == LABELS
    assert all(p.graded and not p.optional and p.reference for p in question.parts)
    for part in question.parts:
        assert "**Answer.**" in part.reference and "**Mistakes seen in the runs.**" in part.reference


def test_givens_are_the_four_matrices(givens, matrices):
    assert givens["d_model"] == 3
    assert set(givens) == {"d_model"} | {f"WQK{n}_{r}{c}" for n in (1, 2, 3, 4) for r in (1, 2, 3) for c in (1, 2, 3)}
    # the matrices shown in the statement and in the 2(c)(ii) prompt are the givens
    assert all(is_diagonal(m) for m in matrices.values())
    assert [m[k][k] for m in matrices.values() for k in range(3)] == [1, 1, 1, 1, 0, 0, 1, 1, -1, -1, -1, -1]


def _bmatrix(m: list[list[float]]) -> str:
    rows = " \\\\ ".join(" & ".join(str(int(v)) for v in row) for row in m)
    return f"\\begin{{bmatrix}} {rows} \\end{{bmatrix}}"


def test_statement_and_prompt_show_the_givens(question, matrices):
    for n, m in matrices.items():
        assert _bmatrix(m) in question.statement, n
    prompt = _part(question, "2(c)(ii)").prompt
    assert _bmatrix(matrices[2]) in prompt and _bmatrix(matrices[3]) in prompt


def recompute_numbers(matrices) -> dict[str, int]:
    """Every number/count item of question 2, recomputed from the givens."""
    m3 = matrices[3]
    assert is_diagonal(m3)
    return {
        # features that can change the score of W_QK^(2) = the rank of the (diagonal) matrix
        "features-read-second": rank(matrices[2]),
        # features on which W_QK^(3) rewards opposite signs = its negative diagonal entries
        "flipped-features-third": sum(1 for k in range(len(m3)) if m3[k][k] < 0),
    }


def test_number_and_count_items(question, matrices):
    recomputed = recompute_numbers(matrices)
    keyed = {iid: item for iid, (_, item) in _items(question).items() if item.kind in ("number", "count")}
    assert set(recomputed) == set(keyed)
    for iid, value in recomputed.items():
        assert keyed[iid].value == value, iid
    assert rank(matrices[1]) == 3 and rank(matrices[4]) == 3


SCORE_ITEMS = {"score-identity": 1, "score-first-feature": 2, "score-flip-third": 3, "score-negative-identity": 4}


def test_score_expressions(question, matrices):
    keyed = {iid: item for iid, (_, item) in _items(question).items() if item.kind == "expression"}
    assert set(keyed) == set(SCORE_ITEMS)
    for iid, n in SCORE_ITEMS.items():
        item = keyed[iid]
        for point in SAMPLE_POINTS:
            xi, xj = list(point[:3]), list(point[3:])
            values = {"xi1": xi[0], "xi2": xi[1], "xi3": xi[2], "xj1": xj[0], "xj2": xj[1], "xj3": xj[2]}
            assert math.isclose(evaluate(item.value, values), bilinear(xi, matrices[n], xj), abs_tol=1e-12), (
                iid,
                point,
            )


def test_worked_example_table(question, matrices):
    """The score (softmax weight) cells of the 2(c)(ii) table, recomputed."""
    ref = _part(question, "2(c)(ii)").reference
    query = [1.0, 1.0, 1.0]
    keys = [[1, 1, 1], [1, 1, -1], [1, -1, 0], [-1, -1, -1]]
    for n in (1, 2, 3, 4):
        scores = [bilinear(query, matrices[n], k) for k in keys]
        weights = softmax(scores)
        for s, w in zip(scores, weights):
            cell = f"${int(s)}$ (${w:.3f}$)"
            assert cell in ref, (n, cell)
    # which key each head picks
    best = {n: max(range(4), key=lambda j: bilinear(query, matrices[n], keys[j])) for n in (1, 3, 4)}
    assert best == {1: 0, 3: 1, 4: 3}


def test_kimi_skew_sign_claim(matrices):
    """The reference says Kimi K2's skew-symmetric misreading has score x_i1 x_j2 - x_i2 x_j1."""
    skew = [[0, 1, 0], [-1, 0, 0], [0, 0, 0]]
    xi, xj = [0.3, -1.2, 2.0], [1.7, 0.4, -0.5]
    assert math.isclose(bilinear(xi, skew, xj), xi[0] * xj[1] - xi[1] * xj[0])
    assert not math.isclose(bilinear(xi, skew, xj), xi[1] * xj[0] - xi[0] * xj[1])


def test_choice_answers(question):
    items = _items(question)
    assert items["logits"][1].correct == ["W_U W_E T"]
    assert items["w-qk"][1].correct == ["W_QK = W_Q^T W_K"]
    assert items["construction"][1].correct[0].startswith("Place the W_O^h side by side")
    assert items["final-stream"][1].correct == ["X^0 + sum over heads of W_OV^h X^0 (A^h)^T"]
    assert (
        items["negative-identity-softmax"][1]
        .correct[0]
        .startswith("Attention concentrates on the tokens most opposite")
    )
