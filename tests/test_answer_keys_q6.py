"""Answer keys of HW11 Question 6 (soft prompting), recomputed from the question's givens.

Every number/count item is recomputed here with explicit arithmetic on `givens` (never by
reading the key's own value), and the set of recomputed ids must equal the set of number and
count items in the file, so a new item cannot go unchecked.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gallery.grading.expressions import evaluate

ROOT = Path(__file__).resolve().parents[1]
QUESTION = 6
FILE = "solutions/hw11/q6.yaml"


def recompute(g: dict[str, float]) -> dict[tuple[str, str], float]:
    """6(a): the outputs whose targets are the reasoning tokens, the answer and the newline."""
    # Targets are the inputs shifted by one; the homework's example: answer at input 71, target 70.
    shift = int(g["answer_pos"]) - int(g["answer_target_pos"])
    supervised_inputs = list(range(int(g["cot_first"]), int(g["cot_last"]) + 1))
    supervised_inputs.append(int(g["answer_pos"]))
    supervised_inputs.append(int(g["newline_pos"]))
    outputs = [position - shift for position in supervised_inputs]
    return {
        ("6(a)", "first-loss-position"): min(outputs),
        ("6(a)", "last-loss-position"): max(outputs),
        ("6(a)", "num-loss-positions"): len(outputs),
    }


def test_givens_describe_a_consistent_layout(givens):
    g = givens
    assert g["answer_pos"] - g["answer_target_pos"] == 1
    assert g["prompt_last"] - g["prompt_first"] + 1 == g["num_prompt_vectors"] == 5
    assert g["question_first"] == g["prompt_last"] + 1
    assert g["cot_first"] == g["question_last"] + 1
    assert g["answer_pos"] == g["cot_last"] + 1
    assert g["newline_pos"] == g["answer_pos"] + 1
    assert g["padding_first"] == g["newline_pos"] + 1
    assert g["seq_len"] == 100


def test_every_number_and_count_item_is_recomputed(items, givens):
    keyed = {key for key, item in items.items() if item.kind in ("number", "count")}
    assert set(recompute(givens)) == keyed


def test_number_and_count_items_match_recomputation(items, givens):
    for key, expected in recompute(givens).items():
        item = items[key]
        if item.kind == "count":
            assert item.value == expected, key
        else:
            assert item.value == pytest.approx(expected, rel=1e-9), key


def test_loss_range_against_literal_arithmetic(items):
    # A second, literal check: 20 reasoning tokens + answer + newline, each predicted one step early.
    assert items[("6(a)", "first-loss-position")].value == 51 - 1
    assert items[("6(a)", "last-loss-position")].value == 72 - 1
    assert items[("6(a)", "num-loss-positions")].value == (70 - 51 + 1) + 1 + 1


def test_trainable_parameter_expression(items, givens):
    item = items[("6(b)", "trainable-params")]
    assert item.kind == "expression"
    assert item.variables == ["E"]
    for embed_width in (768.0, 1024.0, 12288.0):
        expected = givens["num_prompt_vectors"] * embed_width
        assert evaluate(item.value, {"E": embed_width}) == pytest.approx(expected)


def test_true_false_items(items):
    expected = {
        ("6(c)(i)", "precompute-prompt-states"): True,
        ("6(c)(ii)", "soft-at-least-hard"): True,
        ("6(c)(iii)", "full-finetune-always-better"): False,
        ("6(c)(iv)", "forgetting-across-prompts"): False,
    }
    assert {key for key, item in items.items() if item.kind == "boolean"} == set(expected)
    for key, value in expected.items():
        assert items[key].value is value, key


def test_parts_are_the_homeworks(question):
    labels = [part.label for part in question.parts]
    assert labels == ["6(a)", "6(b)", "6(c)(i)", "6(c)(ii)", "6(c)(iii)", "6(c)(iv)", "6(d)"]
    for part in question.parts:
        assert part.graded and part.reference and "**Answer.**" in part.reference


def test_question_file_has_no_problems(repo):
    assert [p.as_text() for p in repo.problems if p.path == FILE] == []
