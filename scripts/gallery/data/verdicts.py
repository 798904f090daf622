"""Every verdict kind, once: its name in the data, the word and icon readers see, its colours,
its weight in a score, and the sentence the legends print.

Everything else is derived from `VERDICTS`: the schema's `Verdict` type, the badges, the grid
cells, the chart patterns, the scores, the legends and the generated verdict stylesheet. A
test fails when a module spells a verdict name itself instead of asking this one, so a new
kind added here shows everywhere or the build fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal


@dataclass(frozen=True)
class VerdictKind:
    name: str  # as written in the data
    word: str  # as shown to readers
    icon: str  # a glyph, so a verdict never relies on colour alone
    weight: float | None  # points in a score; None: left out of scores
    needs_answer: bool  # the verdict grades an answer's content, so the answer text must be there
    meaning: str  # the legend's sentence
    light: tuple[str, str]  # (text colour, background) in the light palette
    dark: tuple[str, str]  # the same in the dark palette
    chart_pattern: str  # SVG drawn over the fill in charts, in a 6x6 cell ("" for a plain fill)
    chart_rotate: int = 0  # degrees the chart pattern is turned

    @property
    def scored(self) -> bool:
        return self.weight is not None


VERDICTS: tuple[VerdictKind, ...] = (
    VerdictKind(
        "correct",
        "correct",
        "✓",
        1.0,
        True,
        "The final answer and the reasoning that supports it are right.",
        ("#0b5a1f", "#d9f2e0"),
        ("#a5ecbb", "#173d24"),
        "",
    ),
    VerdictKind(
        "partial",
        "partial",
        "◐",
        0.5,
        True,
        "Some of what the part asks is right and some is wrong or missing.",
        ("#6b4300", "#ffedc2"),
        ("#ffd98a", "#4a3608"),
        '<rect width="2" height="6" class="chart-ink"/>',
        45,
    ),
    VerdictKind(
        "incorrect",
        "incorrect",
        "✗",
        0.0,
        True,
        "The final answer is wrong, or the reasoning does not support it.",
        ("#8f1616", "#fde0de"),
        ("#ffb3ad", "#4d1915"),
        '<path d="M0 0L6 6M6 0L0 6" class="chart-stroke"/>',
    ),
    VerdictKind(
        "skipped",
        "skipped",
        "∅",
        0.0,
        False,
        "The part was asked and the model gave no answer to it.",
        ("#3d3d80", "#e6e6f7"),
        ("#c8c8ff", "#2b2b52"),
        '<circle cx="3" cy="3" r="1.2" class="chart-ink"/>',
    ),
    VerdictKind(
        "not-asked",
        "not asked",
        "–",
        None,
        False,
        "The run never asked this part.",
        ("#4a4a4a", "#ececec"),
        ("#d0d0d0", "#3a3a3a"),
        "",
    ),
)

BY_NAME: dict[str, VerdictKind] = {kind.name: kind for kind in VERDICTS}
if len(BY_NAME) != len(VERDICTS):  # pragma: no cover - guards edits to the table
    raise RuntimeError("duplicate verdict name in gallery.data.verdicts")

if TYPE_CHECKING:  # a Literal built at run time is opaque to type checkers
    Verdict = str
else:
    Verdict = Literal[tuple(BY_NAME)]
VERDICT_MEANINGS: dict[str, str] = {kind.name: kind.meaning for kind in VERDICTS}
# Verdicts that grade an answer's content (the answer text must be there)
GRADED_VERDICTS: tuple[str, ...] = tuple(kind.name for kind in VERDICTS if kind.needs_answer)
# Verdicts that count in a score, in the order charts stack them
SCORED_VERDICTS: tuple[str, ...] = tuple(kind.name for kind in VERDICTS if kind.scored)
NOT_ASKED: str = next(kind.name for kind in VERDICTS if not kind.scored)


class UnknownVerdict(ValueError):
    pass


def verdict_kind(name: str) -> VerdictKind:
    """The record of a verdict; an unknown name raises, so a page never prints a blank badge."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise UnknownVerdict(f"unknown verdict {name!r}; known: {', '.join(BY_NAME)}") from None


def verdict_from_check(matched: int, checked: int, complete: bool) -> str:
    """The automatic check's verdict from how many checked items matched (the scored kinds by weight)."""
    best = max(SCORED_VERDICTS, key=lambda name: BY_NAME[name].weight or 0.0)
    worst = min((n for n in SCORED_VERDICTS if BY_NAME[n].needs_answer), key=lambda name: BY_NAME[name].weight or 0.0)
    middle = next(n for n in SCORED_VERDICTS if n not in (best, worst) and BY_NAME[n].needs_answer)
    if matched == 0:
        return worst
    if matched == checked and complete:
        return best
    return middle


def verdict_stylesheet() -> str:
    """CSS for every verdict: badges, grid cells, chart fills, in both palettes."""
    light = "\n".join(f"  --v-{k.name}-fg: {k.light[0]}; --v-{k.name}-bg: {k.light[1]};" for k in VERDICTS)
    dark = "\n".join(f"  --v-{k.name}-fg: {k.dark[0]}; --v-{k.name}-bg: {k.dark[1]};" for k in VERDICTS)
    rules = []
    for k in VERDICTS:
        colours = f"color: var(--v-{k.name}-fg); background: var(--v-{k.name}-bg);"
        rules.append(f".verdict--{k.name} {{ {colours} }}")
        rules.append(f".md-typeset .grid table td.grid-cell.verdict--{k.name} {{ {colours} }}")
        rules.append(f".chart-fill--{k.name} {{ fill: var(--v-{k.name}-bg); }}")
    return (
        "/* Generated from gallery/data/verdicts.py: do not edit. */\n"
        f":root {{\n{light}\n}}\n"
        f'[data-md-color-scheme="slate"] {{\n{dark}\n}}\n' + "\n".join(rules) + "\n"
    )
