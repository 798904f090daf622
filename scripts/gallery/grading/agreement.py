"""How well the extraction reads the answers, measured against the values reviewers typed.

The typed `stated:` values are a hand transcription of what each answer says; the extraction
(`gallery.grading.extract`) reads the same answers on its own. Comparing the two, item by item,
says how far the automatic check can be trusted and where it is blind. `make bench` writes the
table to docs/figures.md; nothing here changes a verdict.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from gallery.data.models import ExpressionKey, KeyItem, NumberKey
from gallery.data.repository import Repository
from gallery.grading import expressions, extract
from gallery.grading.assess import answers_of
from gallery.grading.check import read_answer

SAME_NUMBER = 0.05  # relative: a typed 1.4 and a read 1.44 are the same statement, rounded


@dataclass
class Agreement:
    typed: Counter[str] = field(default_factory=Counter)  # by item kind
    found: Counter[str] = field(default_factory=Counter)
    same: Counter[str] = field(default_factory=Counter)
    unreadable: Counter[str] = field(default_factory=Counter)  # typed, but the key gives the check no way in
    found_untyped: Counter[str] = field(default_factory=Counter)
    answers_checked: int = 0
    auto_equals_review: int = 0
    auto_verdicts: int = 0


def _same(item: KeyItem, typed: object, read: object) -> bool:
    if isinstance(item, NumberKey):
        return math.isclose(float(typed), float(read), rel_tol=SAME_NUMBER)  # type: ignore[arg-type]
    if isinstance(item, ExpressionKey):
        return expressions.equivalent(str(typed), str(read), item.variables)
    if isinstance(read, tuple):
        return set(read) == set(typed if isinstance(typed, list) else [typed])
    if isinstance(typed, list):
        return set(typed) == {read}
    return bool(typed == read)


def measure(repo: Repository) -> Agreement:
    """Every answer read by the extraction, compared with its typed values."""
    out = Agreement()
    for run in repo.runs.values():
        for part, graded in answers_of(repo, run):
            if part is None or not part.answer_key or not graded.answer:
                continue
            question = repo.question(run.homework, int(part.label.split("(")[0]))
            assert question is not None
            related = [item for p in question.parts for item in p.answer_key]
            out.answers_checked += 1
            check = read_answer(part, graded.answer, question.givens, related)
            if check.verdict is not None:
                out.auto_verdicts += 1
                out.auto_equals_review += check.verdict == graded.review.verdict
            for item in part.answer_key:
                found = extract.find(item, graded.answer)
                if item.id not in graded.stated:
                    out.found_untyped[item.kind] += bool(found)
                    continue
                typed = graded.stated[item.id]
                out.typed[item.kind] += 1
                if not extract.readable(item):
                    out.unreadable[item.kind] += 1
                    continue
                if found:
                    out.found[item.kind] += 1
                    values = [tuple(str(f.value) for f in found)] if item.kind == "choice" else [f.value for f in found]
                    out.same[item.kind] += any(_same(item, typed, value) for value in values)
    return out


def _pct(part: int, whole: int) -> str:
    return f"{part} ({100 * part / whole:.0f}%)" if whole else "0"


def agreement_table(agreement: Agreement) -> str:
    """The Markdown table of the measurement, by kind of key item and in total."""
    kinds = sorted(set(agreement.typed) | set(agreement.found_untyped))
    rows = [
        "| key items | typed values | the key gives no way to read them | found in the answer text | "
        "found with the same value | found where nothing was typed |",
        "|---|---|---|---|---|---|",
    ]
    for kind in [*kinds, "all"]:

        def get(counter: Counter[str], kind: str = kind) -> int:
            return sum(counter.values()) if kind == "all" else counter[kind]

        typed = get(agreement.typed)
        label = "**all**" if kind == "all" else kind
        rows.append(
            f"| {label} | {typed} | {get(agreement.unreadable)} | {_pct(get(agreement.found), typed)} | "
            f"{_pct(get(agreement.same), typed)} | {get(agreement.found_untyped)} |"
        )
    verdicts = (
        f"The automatic check gave a verdict on {agreement.auto_verdicts} of {agreement.answers_checked} answers "
        f"to parts with an answer key; it agrees with our review on "
        f"{_pct(agreement.auto_equals_review, agreement.auto_verdicts)} of them."
    )
    return "\n".join(rows) + "\n\n" + verdicts + "\n"
