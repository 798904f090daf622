"""Answer keys of HW11 Question 7 (pruning and quantization), recomputed from the givens.

Every number/count item is recomputed here with explicit arithmetic on `givens` (never by
reading the key's own value), and the set of recomputed ids must equal the set of number and
count items in the file, so a new item cannot go unchecked.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gallery.grading.expressions import evaluate

ROOT = Path(__file__).resolve().parents[1]
QUESTION = 7
FILE = "solutions/hw11/q7.yaml"
NOTEBOOK = ROOT / "docs" / "notebooks" / "q7-pruning-quantization.ipynb"


def recompute(g: dict[str, float]) -> dict[tuple[str, str], float]:
    keep = 1.0 - g["channel_prune_ratio"]  # fraction of channels kept on each side of a conv
    remaining = keep * keep  # MACs ~ C_in * C_out, both shrink by `keep`
    return {
        ("7(a)(vi)", "compute-remaining-fraction"): remaining,
        ("7(a)(vi)", "compute-reduction"): 1.0 - remaining,
        ("7(b)(i)", "unique-values-4bit"): 2 ** int(g["kmeans_bits"]),
        ("7(b)(ii)", "unique-values-2bit"): 2 ** int(g["low_bits"]),
    }


def test_givens(givens):
    assert givens["channel_prune_ratio"] == 0.3
    assert givens["claimed_compute_reduction"] == 0.5
    assert givens["kmeans_bits"] == 4
    assert givens["low_bits"] == 2


def test_every_number_and_count_item_is_recomputed(items, givens):
    keyed = {key for key, item in items.items() if item.kind in ("number", "count")}
    assert set(recompute(givens)) == keyed


def test_number_and_count_items_match_recomputation(items, givens):
    for key, expected in recompute(givens).items():
        item = items[key]
        if item.kind == "count":
            assert item.value == expected, key
        else:
            assert item.value == pytest.approx(expected, abs=1e-9), key


def test_compute_reduction_is_roughly_the_homeworks_half(items, givens):
    item = items[("7(a)(vi)", "compute-reduction")]
    # The homework's "roughly 50 percent" must lie within the key's tolerance.
    assert abs(givens["claimed_compute_reduction"] - item.value) <= item.tolerance.absolute


def test_vgg_channel_pruning_macs_quoted_in_the_reference(question):
    """The reference quotes ~606 M -> ~305 M MACs for the lab's VGG; recompute them."""
    widths = [64, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"]
    convs = [w for w in widths if w != "M"]

    def macs(out_channels: list[int]) -> int:
        size, c_in, total, i = 32, 3, 0, 0
        for w in widths:
            if w == "M":
                size //= 2
                continue
            total += c_in * out_channels[i] * 9 * size * size
            c_in = out_channels[i]
            i += 1
        return total + c_in * 10  # classifier

    kept = [int(round(c * 0.7)) for c in convs[:-1]] + [convs[-1]]
    assert kept == [45, 90, 179, 179, 358, 358, 358, 512]
    dense, pruned = macs(convs), macs(kept)
    assert round(dense / 1e6) == 606 and round(pruned / 1e6) == 305
    assert round(pruned / dense, 3) == 0.504
    reference = next(p.reference for p in question.parts if p.label == "7(a)(vi)")
    for text in ("606 M", "305 M", "0.504", "49.6 percent", "45, 90, 179, 179, 358, 358, 358, 512"):
        assert text in reference, text


def test_layer_sizes_quoted_in_7av(question):
    sizes = {
        "conv0": 3 * 64 * 9,
        "conv1": 64 * 128 * 9,
        "conv2": 128 * 256 * 9,
        "conv3": 256 * 256 * 9,
        "conv4": 256 * 512 * 9,
        "conv5": 512 * 512 * 9,
        "classifier": 512 * 10,
    }
    reference = next(p.reference for p in question.parts if p.label == "7(a)(v)")
    for n in sizes.values():
        assert f"{n:,}" in reference, n


def test_linear_quantization_example():
    """The worked example in 7(b)(iv)-(v): 8-bit signed, r in [-1, 3]."""
    q_min, q_max, r_min, r_max = -128, 127, -1.0, 3.0
    scale = (r_max - r_min) / (q_max - q_min)
    zero = int(round(q_min - r_min / scale))
    assert scale == pytest.approx(4 / 255) and round(scale, 5) == 0.01569
    assert q_min - r_min / scale == pytest.approx(-64.25)
    assert zero == -64
    assert round(r_min / scale) + zero == q_min
    assert round(r_max / scale) + zero == q_max
    assert round(0.0 / scale) + zero == zero


def test_nbit_expression(items):
    item = items[("7(b)(ii)", "unique-values-nbit")]
    assert item.kind == "expression" and item.variables == ["n"]
    for n in (1, 2, 3, 4, 8):
        assert evaluate(item.value, {"n": float(n)}) == pytest.approx(2.0**n)


def test_choice_items(items):
    expected = {
        ("7(a)(iii)", "accuracy-trend"): ["Accuracy decreases as sparsity increases"],
        ("7(a)(v)", "most-sensitive-layer"): ["The first convolution layer (conv0)"],
        ("7(a)(ix)", "smartphone-method"): ["Channel (structured) pruning"],
        ("7(b)(iv)", "scale-formula"): ["S = (r_max - r_min)/(q_max - q_min)"],
        ("7(b)(v)", "zero-point-formula"): ["Z = int(round(q_min - r_min/S))"],
    }
    assert {key for key, item in items.items() if item.kind == "choice"} == set(expected)
    for key, correct in expected.items():
        assert items[key].correct == correct, key
        assert set(correct) <= set(items[key].options), key
    assert items[("7(a)(iv)", "same-sensitivity")].value is False


def test_parts_and_optional_flags(question):
    labels = [p.label for p in question.parts]
    assert labels == [f"7(a)({r})" for r in ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix")] + [
        f"7(b)({r})" for r in ("i", "ii", "iii", "iv", "v", "vi", "vii")
    ]
    optional = {p.label for p in question.parts if p.optional}
    assert optional == {"7(a)(vi)", "7(a)(vii)", "7(a)(viii)", "7(a)(ix)", "7(b)(vi)", "7(b)(vii)"}
    for part in question.parts:
        assert part.graded and part.reference and "**Answer.**" in part.reference


def test_question_file_has_no_problems(repo):
    problems = [p for p in repo.problems if p.path == FILE]
    if not NOTEBOOK.is_file():  # the linked reference notebook is written separately
        problems = [p for p in problems if p.code != "GAL310"]
    assert [p.as_text() for p in problems] == []
