"""Answer keys of HW11 Question 5 (Fermi estimation), recomputed from the question's givens.

Every number item is recomputed with explicit arithmetic on `givens` (never by reading the
key's own value) and compared at a tight tolerance (the keys are rounded to four significant
figures). The set of recomputed ids must equal the set of number/count items in the file, so
no item goes unchecked. The two expression items of 5(b) are evaluated with the project's
calculator and compared with plain Python. Finally, each key's tolerance is exercised: the
slips the seeds show (a power of ten, a wrong reading) must fall outside it, and the
roundings a careful answer would give must fall inside.
"""

from __future__ import annotations

import math
from pathlib import Path

from gallery.grading.expressions import evaluate

ROOT = Path(__file__).resolve().parents[1]
QUESTION = 5
FILE = "solutions/hw11/q5.yaml"

# unit definitions (decimal, as the question states), not givens of the homework
MB, GB, TB = 1e6, 1e9, 1e12
SECONDS_PER_HOUR, SECONDS_PER_DAY, HOURS_PER_YEAR = 3600.0, 86400.0, 24.0 * 365.0
PETA = 1e15
KG_PER_TONNE = 1000.0


def recompute(g: dict[str, float]) -> dict[tuple[str, str], float]:
    """Every number item of question 5, from the givens."""
    out: dict[tuple[str, str], float] = {}

    # 5(b) Chinchilla optimum from the loss fit
    a, b, A, B, C0 = g["chin_alpha"], g["chin_beta"], g["chin_A"], g["chin_B"], g["C0"]
    G = (a * A / (b * B)) ** (1.0 / (a + b))
    n_exp, d_exp = b / (a + b), a / (a + b)
    out["5(b)", "n-opt-exponent"] = n_exp
    out["5(b)", "d-opt-exponent"] = d_exp
    out["5(b)", "n-opt-coefficient"] = G * C0 ** (-n_exp)
    out["5(b)", "d-opt-coefficient"] = (1.0 / G) * C0 ** (-d_exp)

    # 5(c) direct fits: N = kN C^e  =>  C = (N/kN)^(1/e)
    e = g["fit_exponent"]
    C = (g["N_gpt6"] / g["fit_N_coef"]) ** (1.0 / e)
    D = g["fit_D_coef"] * C**e
    out["5(c)", "training-compute"] = C
    out["5(c)", "training-tokens"] = D

    # 5(d) tokens -> words -> pages -> books
    words = g["tokens_for_books"] / g["tokens_per_word"]
    pages = words / g["words_per_page"]
    books = pages / g["pages_per_book"]
    out["5(d)", "words"] = words
    out["5(d)", "pages"] = pages
    out["5(d)", "books"] = books
    out["5(d)", "library-of-congress-multiple"] = books / g["books_library_of_congress"]
    out["5(d)", "google-books-multiple"] = books / g["books_google"]

    # 5(e) 16-bit parameter memory (literal 1T reading is the key value)
    out["5(e)", "memory-1b"] = g["N_1b"] * g["bytes_per_param"] / GB
    out["5(e)", "memory-gpt6"] = g["N_1t"] * g["bytes_per_param"] / TB
    out["5(e)", "h200-count"] = g["N_1t"] * g["bytes_per_param"] / (g["h200_memory"] * GB)
    # the other reading of 5(e): GPT-6 as the 100-trillion-parameter model of the rest of the question
    out["5(e)", "memory-gpt6-100t"] = g["N_gpt6"] * g["bytes_per_param"] / TB
    out["5(e)", "h200-count-100t"] = g["N_gpt6"] * g["bytes_per_param"] / (g["h200_memory"] * GB)

    # 5(f) storage cost of the 100T model
    gpt6_bytes = g["N_gpt6"] * g["bytes_per_param"]
    out["5(f)", "model-size"] = gpt6_bytes / MB
    out["5(f)", "ssd-cost"] = gpt6_bytes / MB * g["ssd_price"]
    out["5(f)", "dram-cost"] = gpt6_bytes / MB * g["dram_price"]

    # 5(g) bandwidth-bound latency and GPT-3 activations
    bw = g["h200_bandwidth"] * TB
    t6 = gpt6_bytes / bw
    t3 = g["gpt3_memory"] * GB / bw
    out["5(g)", "gpt6-latency"] = t6
    out["5(g)", "gpt6-tokens-per-minute"] = 60.0 / t6
    out["5(g)", "gpt3-latency"] = t3
    out["5(g)", "gpt3-tokens-per-minute"] = 60.0 / t3
    act_bytes = g["gpt3_layers"] * g["gpt3_heads"] * g["gpt3_head_dim"] * g["bytes_per_param"]
    out["5(g)", "activation-per-token"] = act_bytes / MB
    out["5(g)", "activation-batch"] = g["gpt3_memory"] * GB / act_bytes

    # 5(h) petaFLOP-days, rental cost, wall clock
    pf_day = PETA * SECONDS_PER_DAY
    h200_hours = pf_day / (g["h200_flops"] * SECONDS_PER_HOUR)
    cost_pf_day = h200_hours * g["h200_price"]
    gpt6_pf_days = C / pf_day
    out["5(h)", "flop-per-petaflop-day"] = pf_day
    out["5(h)", "h200-hours-per-petaflop-day"] = h200_hours
    out["5(h)", "cost-per-petaflop-day"] = cost_pf_day
    out["5(h)", "gpt3-cost"] = g["gpt3_train_pfdays"] * cost_pf_day
    out["5(h)", "gpt6-petaflop-days"] = gpt6_pf_days
    out["5(h)", "gpt6-cost"] = gpt6_pf_days * cost_pf_day
    out["5(h)", "gpt6-wall-clock"] = C / (g["cluster_h200s"] * g["h200_flops"]) / SECONDS_PER_DAY

    # 5(j) inference cost and payback
    flop = g["inference_flop_per_param"] * g["N_gpt5"] * g["tokens_batch"]
    secs = flop / g["h200_flops"]
    tokens = g["dev_cost"] / g["api_price"] * 1e6
    out["5(j)", "inference-flop"] = flop
    out["5(j)", "h200-seconds"] = secs
    out["5(j)", "cost-per-million-tokens"] = secs / SECONDS_PER_HOUR * g["h200_price"]
    out["5(j)", "tokens-to-recoup"] = tokens
    out["5(j)", "essays"] = tokens / (g["essay_words"] * g["tokens_per_word"])

    # 5(k) Landauer limit
    e_flop = g["bits_erased_per_flop"] * g["landauer_j_per_bit"]
    p_min = e_flop * g["h200_flops"]
    out["5(k)", "energy-per-flop"] = e_flop
    out["5(k)", "landauer-power"] = p_min
    out["5(k)", "efficiency-gap"] = g["h200_power"] / p_min

    # 5(l) carbon
    carbon = g["gpt3_co2"] * g["carbon_price"]
    out["5(l)", "carbon-cost"] = carbon
    out["5(l)", "carbon-share"] = 100.0 * carbon / g["gpt3_a100_cost"]
    out["5(l)", "burgers"] = g["gpt3_co2"] * KG_PER_TONNE / (g["beef_co2_per_kg"] * g["burger_beef"])
    return out


def also_accept_expected(g: dict[str, float]) -> dict[tuple[str, str], list[float]]:
    """The other readings: (C/6) prefactors in 5(b), the 100T model in 5(e)."""
    a, b, A, B = g["chin_alpha"], g["chin_beta"], g["chin_A"], g["chin_B"]
    G = (a * A / (b * B)) ** (1.0 / (a + b))
    return {
        ("5(b)", "n-opt-coefficient"): [G],
        ("5(b)", "d-opt-coefficient"): [1.0 / G],
    }


def matches(item, stated: float) -> bool:
    """Whether a stated number matches a key under its tolerance (any accepted reading)."""
    tol = item.tolerance
    for value in [item.value, *item.also_accept]:
        if tol.absolute is not None and abs(stated - value) <= tol.absolute:
            return True
        if tol.relative is not None and abs(stated - value) <= tol.relative * abs(value):
            return True
        if tol.factor is not None and value / tol.factor <= stated <= value * tol.factor:
            return True
    return False


def test_file_has_no_problems(repo):
    assert [p for p in repo.problems if p.path == FILE] == []


def test_parts_and_structure(question):
    labels = [p.label for p in question.parts]
    assert labels == [f"5({c})" for c in "abcdefghijkl"]
    for part in question.parts:
        assert part.graded == (part.label not in ("5(a)", "5(i)")), part.label
        assert not part.optional
        if part.graded:
            assert "**Answer.**" in part.reference and "**Mistakes seen in the runs.**" in part.reference
        else:
            assert not part.answer_key


def test_givens_as_the_homework_states_them(givens):
    assert (givens["chin_A"], givens["chin_B"], givens["chin_alpha"], givens["chin_beta"]) == (406.4, 410.7, 0.34, 0.28)
    assert givens["chin_L0"] == 1.69 and givens["C0"] == 6
    assert (givens["fit_N_coef"], givens["fit_D_coef"], givens["fit_exponent"]) == (0.1, 1.7, 0.5)
    assert givens["N_gpt6"] == 1e14 and givens["N_1t"] == 1e12 and givens["N_gpt5"] == 1e12
    assert (givens["h200_memory"], givens["h200_bandwidth"], givens["h200_flops"], givens["h200_price"]) == (
        100,
        4.8,
        1.98e15,
        1.5,
    )
    assert (givens["ssd_price"], givens["dram_price"]) == (5e-5, 4e-3)
    assert (givens["gpt3_layers"], givens["gpt3_heads"], givens["gpt3_head_dim"]) == (96, 96, 128)
    # GPT-3's 350 GB is its 175B parameters at 2 bytes
    assert givens["N_gpt3"] * givens["bytes_per_param"] / GB == givens["gpt3_memory"]
    # the homework's Landauer figure rounds k_B T ln 2 at its room temperature
    kT_ln2 = 1.380649e-23 * givens["room_temperature"] * math.log(2)
    assert abs(kT_ln2 / givens["landauer_j_per_bit"] - 1) < 0.05


def test_every_number_item_is_recomputed(question, givens, items):
    recomputed = recompute(givens)
    keyed = {k: it for k, it in items.items() if it.kind in ("number", "count")}
    assert set(recomputed) == set(keyed)
    for key, value in recomputed.items():
        assert math.isclose(keyed[key].value, value, rel_tol=1e-3), (key, keyed[key].value, value)


def test_also_accept_is_the_other_reading(givens, items):
    expected = also_accept_expected(givens)
    having = {k for k, it in items.items() if getattr(it, "also_accept", None)}
    assert having == set(expected)
    for key, values in expected.items():
        got = items[key].also_accept
        assert len(got) == len(values)
        for x, y in zip(got, values):
            assert math.isclose(x, y, rel_tol=1e-3), (key, x, y)


def test_chinchilla_expressions(givens, items):
    g = givens
    for C in (1e21, 5.76e23, 1e30):
        point = {
            "alpha": g["chin_alpha"],
            "beta": g["chin_beta"],
            "A": g["chin_A"],
            "B": g["chin_B"],
            "C": C,
            "C0": g["C0"],
        }
        n = evaluate(items["5(b)", "n-opt-formula"].value, point)
        d = evaluate(items["5(b)", "d-opt-formula"].value, point)
        a, b = g["chin_alpha"], g["chin_beta"]
        n_py = (a * g["chin_A"] / (b * g["chin_B"])) ** (1 / (a + b)) * (C / g["C0"]) ** (b / (a + b))
        d_py = C / (g["C0"] * n_py)  # the budget fixes D once N is chosen
        assert math.isclose(n, n_py, rel_tol=1e-12) and math.isclose(d, d_py, rel_tol=1e-9)
        # the numeric forms in the key reproduce the formulas
        n_num = items["5(b)", "n-opt-coefficient"].value * C ** items["5(b)", "n-opt-exponent"].value
        assert math.isclose(n_num, n, rel_tol=5e-3)

        # and the optimum really is a minimum of the loss along the budget
        def loss(N: float, a: float = a, b: float = b, C: float = C) -> float:
            return g["chin_A"] * N**-a + g["chin_B"] * (C / (g["C0"] * N)) ** -b + g["chin_L0"]

        assert loss(n) < loss(n * 1.1) and loss(n) < loss(n / 1.1)
    # at an arbitrary point too (the formulas are general, not only for these constants)
    pt = {"alpha": 0.5, "beta": 0.3, "A": 2.0, "B": 7.0, "C": 9.0, "C0": 3.0}
    n = evaluate(items["5(b)", "n-opt-formula"].value, pt)
    d = evaluate(items["5(b)", "d-opt-formula"].value, pt)
    assert math.isclose(pt["C0"] * n * d, pt["C"], rel_tol=1e-12)
    assert math.isclose(n, (0.5 * 2.0 / (0.3 * 7.0)) ** (1 / 0.8) * (9.0 / 3.0) ** (0.3 / 0.8), rel_tol=1e-12)


def test_tolerances_separate_the_slips_seen_in_the_runs(items):
    fail = [
        (("5(c)", "training-compute"), 3.8e28),  # seed 004's own fit constants
        (("5(c)", "training-tokens"), 7.1e13),
        (("5(d)", "books"), 4.2e8),  # seed 004 converted 71T tokens
        (("5(f)", "ssd-cost"), 1.0e7),  # seed 004's 2e11 MB slip
        (("5(f)", "dram-cost"), 8.0e8),
        (("5(g)", "activation-per-token"), 23.6),  # seeds 000/004: every intermediate tensor
        (("5(g)", "activation-batch"), 14830.0),
        (("5(h)", "gpt6-petaflop-days"), 1.16e11),  # seed 004's power-of-ten slip
        (("5(h)", "gpt6-cost"), 2.1e12),
        (("5(h)", "gpt6-cost"), 7.0e11),  # realistic 30% utilisation is not what 5(h) asks
        (("5(b)", "n-opt-exponent"), 0.5),  # the direct fit's exponent
        (("5(k)", "energy-per-flop"), 64 * 3e-21),  # 64 bits erased
        (("5(e)", "memory-1b"), 16.0),  # bits/bytes confusion
        (("5(b)", "n-opt-coefficient"), 1.29),  # Kimi K2's prefactors do not follow from its own ratio 1.188
        (("5(b)", "d-opt-coefficient"), 0.78),  # (that gives 1.32 and 0.757): a second slip, not rounding
    ]
    for key, stated in fail:
        assert not matches(items[key], stated), (key, stated)
    pass_ = {
        ("5(b)", "n-opt-coefficient"): 1.34,  # the (C/6) form, rounded to three figures
        ("5(b)", "d-opt-coefficient"): 0.74,
        ("5(b)", "n-opt-exponent"): 0.45,
        ("5(f)", "ssd-cost"): 10485.76,  # seed 004's retry with 1024^2 MB per TB
        ("5(f)", "dram-cost"): 838860.8,
        ("5(e)", "memory-gpt6-100t"): 200.0,  # the 100T reading, its own items
        ("5(e)", "h200-count-100t"): 2000.0,
        ("5(g)", "activation-per-token"): 2 * 96 * 12288 * 2 / MB,  # KV cache only
        ("5(g)", "gpt6-tokens-per-minute"): 1.0,
        ("5(h)", "gpt6-wall-clock"): 182.0,  # "about six months"
        ("5(k)", "efficiency-gap"): 700 / (32 * 1.380649e-23 * 300 * math.log(2) * 1.98e15),
        ("5(l)", "carbon-share"): 1.0,
        ("5(l)", "burgers"): 1e5,
    }
    for key, stated in pass_.items():
        assert matches(items[key], stated), (key, stated)


def test_reference_figures(question, givens):
    """Numbers the references quote that are not key items."""
    g = givens
    ref = {p.label: p.reference or "" for p in question.parts}
    # 5(b): the loss-fit optimum at 1e30 FLOP quoted in the notes
    a, b = g["chin_alpha"], g["chin_beta"]
    G = (a * g["chin_A"] / (b * g["chin_B"])) ** (1 / (a + b))
    n30 = G * (1e30 / g["C0"]) ** (b / (a + b))
    assert 2.0e13 < n30 < 2.2e13 and 7.5e15 < 1e30 / (g["C0"] * n30) < 8.5e15
    assert "2\\times10^{13}" in question.notes and "8\\times10^{15}" in question.notes
    # 5(f): renting the 2000 H200s that hold 200 TB for a year, vs the DRAM bill
    gpus = g["N_gpt6"] * g["bytes_per_param"] / (g["h200_memory"] * GB)
    rent = gpus * g["h200_price"] * HOURS_PER_YEAR
    assert round(rent / 1e6, 1) == 26.3 and "2.6\\times10^{7}" in ref["5(f)"]
    assert 30 <= rent / (g["N_gpt6"] * g["bytes_per_param"] / MB * g["dram_price"]) < 35
    # 5(e): Adam training state at 16 bytes per parameter
    assert g["N_gpt6"] * 16 / (g["h200_memory"] * GB) == 16000 and "16,000 H200s" in ref["5(e)"]
    # 5(g): tensor-parallel latency over the 2000 GPUs
    assert round(1000 * g["N_gpt6"] * g["bytes_per_param"] / (g["h200_bandwidth"] * TB) / gpus) == 21
    # 5(h): cluster power and the megaproject ratios
    assert g["cluster_h200s"] * g["h200_power"] == 2.1e10 and "21 GW" in ref["5(h)"]
    cost = 1e30 / (g["h200_flops"] * SECONDS_PER_HOUR) * g["h200_price"]
    assert round(cost / g["cost_apollo"], 1) == 1.2 and round(cost / g["cost_manhattan"]) == 9
    assert round(cost / g["cost_three_gorges"]) == 7
    nearest = min(
        ("iPhone 1", g["cost_iphone1"]),
        ("a typical 5 nm chip", g["cost_5nm_chip"]),
        ("Airbus A380", g["cost_a380"]),
        ("Manhattan Project", g["cost_manhattan"]),
        ("Three Gorges Dam", g["cost_three_gorges"]),
        ("Apollo Program", g["cost_apollo"]),
        key=lambda kv: abs(math.log(cost / kv[1])),
    )
    assert nearest[0] == "Apollo Program"
    # 5(i): restarts and utilisation applied to the ideal cost
    assert round(cost * g["restart_factor"] / 1e11) == 6 and round(cost / 0.3 / 1e11) == 7
    # 5(j): batch-1 memory time vs compute time for the 1T model
    mem_t = g["N_gpt5"] * g["bytes_per_param"] / (g["h200_bandwidth"] * TB)
    comp_t = g["inference_flop_per_param"] * g["N_gpt5"] / g["h200_flops"]
    assert round(mem_t, 2) == 0.42 and 400 <= mem_t / comp_t < 420
    assert (
        round(
            g["api_price"]
            / (g["inference_flop_per_param"] * g["N_gpt5"] * 1e6 / g["h200_flops"] / SECONDS_PER_HOUR * g["h200_price"])
        )
        == 285
    )


def test_closest_project_choice(items):
    item = items["5(h)", "closest-project"]
    assert item.correct == ["Apollo Program"]
