"""Answer keys of HW11 Question 4 (learning rate versus batch size).

Question 4 is a notebook question with no given numbers, so its key has no number or count
items: the set of recomputed ids is empty and must stay equal to the file's (empty) set of
number/count items. The key is three choice items, checked here. The references quote
results of the reference notebook `q4-lr-batch-size` (fitted log-log slopes, critical batch
sizes); those quotes are recomputed from the notebook's saved outputs, so a rerun of the
notebook that changes them makes this test fail until the references are updated.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
QUESTION = 4
FILE = "solutions/hw11/q4.yaml"
NOTEBOOK = ROOT / "docs" / "notebooks" / "q4-lr-batch-size.ipynb"

LINEAR = "grows about linearly with B (eta*/B roughly constant)"
SUBLINEAR = "grows, but clearly more slowly than linearly (log-log slope well below 1, e.g. about sqrt(B))"
FLAT = "stays roughly constant (independent of B)"
DECREASING = "decreases as B grows"


@pytest.fixture(scope="module")
def refs(question):
    return {p.label: p.reference or "" for p in question.parts}


@pytest.fixture(scope="module")
def notebook_text() -> str:
    """All text outputs of the reference notebook, joined."""
    if not NOTEBOOK.exists():
        pytest.fail(f"reference notebook missing: {NOTEBOOK}")
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    chunks = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            if "text" in out:
                chunks.append("".join(out["text"]))
    return "\n".join(chunks)


def recompute_numbers(givens: dict[str, float]) -> dict[str, float]:
    """Every number/count item of question 4: there are none (the homework gives no numbers)."""
    assert givens == {}
    return {}


def test_file_has_no_problems(repo):
    assert [p for p in repo.problems if p.path == FILE] == []


def test_parts_and_notebook_links(question):
    assert [p.label for p in question.parts] == ["4(a)", "4(b)", "4(c)"]
    for part in question.parts:
        assert part.graded and not part.optional
        assert "**Answer.**" in part.reference and "**Mistakes seen in the runs.**" in part.reference
        assert part.notebooks == ["q4-lr-batch-size"]
    assert NOTEBOOK.exists()


def test_number_and_count_items(question):
    recomputed = recompute_numbers({g.name: g.value for g in question.givens})
    keyed = {item.id for part in question.parts for item in part.answer_key if item.kind in ("number", "count")}
    assert set(recomputed) == keyed


def test_choice_answers(question):
    items = {item.id: item for part in question.parts for item in part.answer_key}
    assert set(items) == {"sgd-scaling", "mlp-sgd-scaling", "adam-scaling"}
    for item in items.values():
        assert item.kind == "choice"
        assert item.options == [LINEAR, SUBLINEAR, FLAT, DECREASING]
    assert items["sgd-scaling"].correct == [LINEAR]
    assert items["mlp-sgd-scaling"].correct == [LINEAR]
    assert items["adam-scaling"].correct == [SUBLINEAR]


def _slopes(text: str) -> dict[tuple[str, str], tuple[float, float, float]]:
    rows = re.findall(
        r"^(linear regression|MLP)\s+(SGD|Adam)\s+(-?\d+\.\d+)\s+(-?\d+\.\d+)\s+(-?\d+\.\d+)\s*$", text, re.M
    )
    return {(m, o): (float(a), float(b), float(c)) for m, o, a, b, c in rows}


def _bcrit(text: str) -> dict[str, tuple[float, float]]:
    rows = re.findall(r"SGD, (linear regression|MLP): .*?B_crit = (\d+), eta_max = (\d+\.\d+)", text)
    return {m: (float(b), float(e)) for m, b, e in rows}


def _eta(text: str) -> dict[tuple[str, str], list[float]]:
    rows = re.findall(r"^(linear|MLP)\s+(SGD|Adam)\s+eta\*\s+([\d. ]+)$", text, re.M)
    return {(m, o): [float(x) for x in vals.split()] for m, o, vals in rows}


def test_notebook_supports_the_laws(notebook_text):
    slopes = _slopes(notebook_text)
    assert len(slopes) == 4, slopes
    # SGD: slope ~1 at small B, bending over at large B
    for model in ("linear regression", "MLP"):
        small, _, large = slopes[model, "SGD"]
        assert abs(small - 1) < 0.1 and large < 0.5, (model, slopes[model, "SGD"])
    # Adam: clearly sublinear at small B, yet not flat
    for model in ("linear regression", "MLP"):
        small = slopes[model, "Adam"][0]
        assert 0.3 < small < 0.85, (model, small)
        assert small < slopes[model, "SGD"][0] - 0.2
    eta = _eta(notebook_text)
    for model in ("linear", "MLP"):
        adam = eta[model, "Adam"]
        assert max(adam) / adam[0] > 20  # far from independent of B
    # MLP saturates at a smaller batch than the linear problem
    crit = _bcrit(notebook_text)
    assert crit["MLP"][0] < crit["linear regression"][0] / 3


def test_references_quote_the_notebook(notebook_text, refs):
    slopes = _slopes(notebook_text)
    crit = _bcrit(notebook_text)
    eta = _eta(notebook_text)
    a, b, c = refs["4(a)"], refs["4(b)"], refs["4(c)"]
    assert f"is {slopes['linear regression', 'SGD'][0]:.2f}" in a
    assert f"(slope {slopes['linear regression', 'SGD'][2]:.2f} between" in a
    assert f"near {round(crit['linear regression'][0], -1):.0f}" in a
    assert f"about {eta['linear', 'SGD'][0]:.3f} at $B = 1$" in a
    assert f"about {eta['linear', 'SGD'][7]:.2f} at" in a  # B = 128
    assert f"$B \\le 16$ is {slopes['MLP', 'SGD'][0]:.2f}" in b
    assert f"(slope {slopes['MLP', 'SGD'][1]:.2f} between" in b
    assert f"near {round(crit['MLP'][0], -1):.0f}" in b
    assert f"from about {eta['MLP', 'SGD'][0]:.3f} to {eta['MLP', 'SGD'][4]:.2f}" in b  # B = 1 .. 16
    ratio = crit["linear regression"][0] / crit["MLP"][0]
    assert f"about {round(ratio):.0f} times smaller" in b.replace("six", "6")
    assert f"is {slopes['MLP', 'Adam'][0]:.2f} for the MLP" in c
    assert f"{slopes['linear regression', 'Adam'][0]:.2f} for linear" in c
    spread = [max(eta[m, "Adam"]) / eta[m, "Adam"][0] for m in ("linear", "MLP")]
    quoted = re.search(r"factor of (\d+) to (\d+)", c)
    assert quoted, "4(c) should quote how far Adam's optimum moves across the sweep"
    lo, hi = float(quoted.group(1)), float(quoted.group(2))
    assert lo <= min(spread) * 1.1 and hi >= max(spread) / 1.1 and lo >= min(spread) / 1.5, (lo, hi, spread)
