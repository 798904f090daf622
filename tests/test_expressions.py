"""The safe calculator used by expression answer keys."""

from __future__ import annotations

import pytest

from gallery.grading import expressions


def test_evaluates_arithmetic_and_allowed_functions() -> None:
    assert expressions.evaluate("4*k*(m+l)", {"k": 2, "m": 10, "l": 20}) == 240
    assert expressions.evaluate("sqrt(x)^2", {"x": 9}) == pytest.approx(9)


def test_equivalence_by_random_points() -> None:
    assert expressions.equivalent("4*k*(m+l)", "4*m*k + 4*k*l", ["k", "m", "l"])
    assert not expressions.equivalent("4*k*m", "4*k*(m+l)", ["k", "m", "l"])


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('id')",
        "x.__class__",
        "[x for x in y]",
        "lambda: 1",
        "x if y else z",
        "9**9**9",
        "a @ b",
    ],
)
def test_refuses_anything_but_arithmetic(text: str) -> None:
    with pytest.raises(expressions.ExpressionError):
        expressions.evaluate(text, {"x": 1, "y": 2, "z": 3, "a": 1, "b": 1})


def test_names_lists_variables_not_functions() -> None:
    assert expressions.names("sqrt(a) + b*c") == {"a", "b", "c"}
