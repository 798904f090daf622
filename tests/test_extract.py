"""The extraction reads values from answer text in the forms the runs write them."""

from __future__ import annotations

import math

import pytest

from gallery.data.models import BooleanKey, ChoiceKey, CountKey, ExpressionKey, NumberKey, Part, Tolerance
from gallery.grading import expressions, extract
from gallery.grading.check import read_answer


def number(unit: str, value: float = 1.0, cues: list[str] | None = None, **extra: object) -> NumberKey:
    return NumberKey(
        id="x",
        kind="number",
        description="x",
        value=value,
        unit=unit,
        tolerance=Tolerance(factor=1.5),
        tolerance_reason="test",
        cues=cues or [],
        **extra,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("Total: 2.1e12 USD", "USD", 2.1e12),
        ("Cost $\\approx 2.1 \\times 10^{12}$ USD", "USD", 2.1e12),
        ("about **\\$2.1T**", "USD", 2.1e12),
        ("roughly \\$2.1 trillion", "USD", 2.1e12),
        ("that is \\$210 Billion", "USD", 2.1e11),
        ("the weights take 200 TB", "MB", 2e8),
        ("= 350,000 MB", "GB", 350.0),
        ("≈ 7.1×10¹³ tokens", "tokens", 7.1e13),
        ("≈ 3 640 petaFLOP-days", "petaFLOP-days", 3640.0),
        ("→ ≈ **1 token per minute**", "tokens/min", 1.0),
        ("≈ 14 tokens s<sup>-1</sup>", "tokens/min", 840.0),
        ("$\\approx 1.9 \\times 10^{-4} \\text{ W} = \\mathbf{0.19 \\text{ mW}}$", "W", 1.9e-4),
        ("≈ 4 650 hours", "days", 4650 / 24),
        ("costs ≈ 1.03\\%", "%", 1.03),
        ("≈ 61,824 dollars", "USD", 61824.0),
    ],
)
def test_numbers_are_read_in_the_forms_the_runs_write_them(text: str, unit: str, expected: float) -> None:
    found = extract.find_numbers(number(unit), text)
    assert found, text
    assert math.isclose(found[-1].value, expected, rel_tol=1e-6), (text, found)


def test_an_operand_is_not_a_result() -> None:
    found = extract.find_numbers(number("USD"), "Cost: $3\\,640 \\times \\$18 \\approx$ **\\$65 000**")
    assert [f.value for f in found] == [65000.0]


def test_a_unit_definition_is_not_a_result() -> None:
    assert extract.find_numbers(number("GB"), "Convert with $1 \\text{ GB} = 10^3 \\text{ MB}$.") == []


def test_bytes_and_billions_are_told_apart_by_the_key_unit() -> None:
    assert [f.value for f in extract.find_numbers(number("GB"), "each one takes 2 B")] == [2e-9]
    assert [f.value for f in extract.find_numbers(number("USD"), "about \\$0.15 B")] == [1.5e8]
    assert extract.find_numbers(number("GB"), "GPT-3 has 175B params") == []


def test_a_quote_keeps_its_line_and_span() -> None:
    text = "First line\nthe total is 42 s here"
    (found,) = extract.find_numbers(number("s"), text)
    assert found.line == 2
    assert text.splitlines()[1][found.start : found.end].strip() == found.quote == "42 s"


def test_cues_pick_the_line_that_states_the_item() -> None:
    text = "GPT-3 cost ≈ \\$66 000\nGPT-6 cost ≈ \\$210 billion"
    found = extract.find_numbers(number("USD", cues=["gpt-6"]), text)
    assert [f.value for f in found] == [2.1e11]


def test_an_absurd_exponent_in_untrusted_text_is_ignored() -> None:
    assert extract.find_numbers(number(""), "x = 10^{99999}") == []


def test_booleans_choices_counts_and_formulas() -> None:
    boolean = BooleanKey(id="b", kind="boolean", description="b", value=False)
    assert [f.value for f in extract.find_booleans(boolean, "**False.** Tuning one prompt ...")] == [False]
    choice = ChoiceKey(
        id="c",
        kind="choice",
        description="c",
        options=["linear", "square root"],
        correct=["square root"],
        signals={"square root": [r"\\sqrt\{?B"], "linear": [r"linear"]},
    )
    assert [f.value for f in extract.find_choices(choice, "It grows like $\\sqrt{B}$.")] == ["square root"]
    count = CountKey(id="n", kind="count", description="n", value=22, cues=["positions"])
    assert [f.value for f in extract.find_numbers(count, "That is 22 positions in all.")] == [22]
    formula = ExpressionKey(
        id="f", kind="expression", description="f", value="4*k*(m+l)", variables=["k", "m", "l"], latex="4k(m+l)"
    )
    found = extract.find_formulas(formula, "Memory: $4k(m + l)$ bytes.")
    assert found and found[0].value == "4*k*(m+l)"


def test_latex_is_translated_to_calculator_syntax() -> None:
    same = expressions.equivalent
    assert same(
        extract.latex_to_calculator("\\frac{\\alpha A}{\\beta B}"), "alpha*A/(beta*B)", ["alpha", "A", "beta", "B"]
    )
    assert same(extract.latex_to_calculator("C_0^{\\beta}"), "C0**beta", ["C0", "beta"])
    assert same(extract.latex_to_calculator("4k(m + l)"), "4*k*(m+l)", ["k", "m", "l"])
    with pytest.raises(extract.NotAFormula):
        extract.latex_to_calculator("a, b")


def _part(*items: object) -> Part:
    return Part(label="1(a)", title="t", prompt="p", reference="r", answer_key=list(items))  # type: ignore[arg-type]


def test_two_values_for_one_item_are_reported_not_resolved() -> None:
    item = number("TB", 2.0)
    check = read_answer(_part(item), "The model takes 2 TB.\n\nIn short: 200 TB in total.")
    assert check.inconsistent == ("x",)
    assert check.verdict == "partial"


def test_an_unasked_item_never_makes_an_answer_partial_by_its_absence() -> None:
    asked = number("TB", 2.0)
    unasked = NumberKey(**{**number("pages", 10.0).model_dump(), "id": "y", "asked": False, "cues": ["pages"]})
    assert read_answer(_part(asked, unasked), "It takes 2 TB.").verdict == "correct"
    assert read_answer(_part(asked, unasked), "It takes 2 TB, or 99 pages.").verdict == "partial"


def test_an_answer_that_mixes_readings_is_flagged() -> None:
    def item(id_: str, value: float, unit: str, reading: str, cues: list[str]) -> NumberKey:
        return NumberKey(**{**number(unit, value, cues).model_dump(), "id": id_, "reading": reading})

    part = _part(
        item("mem", 2.0, "TB", "small", ["1 trillion"]),
        item("gpus", 20.0, "GPUs", "small", ["gpu"]),
        item("mem-big", 200.0, "TB", "big", ["100 trillion"]),
        item("gpus-big", 2000.0, "GPUs", "big", ["gpu"]),
    )
    clean = read_answer(part, "100 trillion parameters take 200 TB.\n\nThat needs 2000 GPUs.")
    assert clean.verdict == "correct" and not clean.mixed_readings
    mixed = read_answer(part, "100 trillion parameters take 200 TB.\n\nThat needs 20 GPUs.")
    assert mixed.mixed_readings and mixed.verdict != "correct"
