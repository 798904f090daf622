"""The automatic check of stated values against answer keys, and the flags where graders disagree.

For every entry (and follow-up) whose part has an answer key, each value the answer states
is compared with its key item: numbers within their tolerance (or one of the values the key
also accepts), true/false, the set of chosen options, exact counts, and formulas evaluated
at random points. The automatic verdict is `correct` when every key item is stated and
matches, `incorrect` when no stated value matches, and `partial` otherwise (some match, or
some key items are not stated at all); with nothing stated there is none.
Every comparison explains itself (stated value, key value, tolerance), so a reader can check
the checker. Nothing here knows about particular runs or mistakes: it only reads the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gallery.data.models import (
    BooleanKey,
    ChoiceKey,
    CountKey,
    Entry,
    ExpressionKey,
    Followup,
    KeyItem,
    NumberKey,
    Part,
)
from gallery.data.verdicts import BY_NAME, verdict_from_check
from gallery.grading import expressions


@dataclass(frozen=True)
class ItemCheck:
    item_id: str
    matches: bool
    stated: str
    key: str
    rule: str  # the tolerance or comparison used

    def explanation(self) -> str:
        outcome = "matches" if self.matches else "does not match"
        return f"{self.item_id}: stated {self.stated} {outcome} key {self.key} ({self.rule})"


@dataclass(frozen=True)
class AutoCheck:
    verdict: str | None
    checks: tuple[ItemCheck, ...]
    not_stated: tuple[str, ...]  # key items the answer states no value for


def _number(value: float) -> str:
    return f"{value:.4g}"


def check_number(item: NumberKey, stated: float) -> ItemCheck:
    tolerance = item.tolerance
    candidates = [item.value, *item.also_accept]

    def within(target: float) -> bool:
        if tolerance.absolute is not None:
            return abs(stated - target) <= tolerance.absolute
        if tolerance.relative is not None:
            return abs(stated - target) <= tolerance.relative * abs(target)
        factor = tolerance.factor or 1.0
        if target == 0 or stated == 0 or (target > 0) != (stated > 0):
            return stated == target
        return (
            target / factor <= stated <= target * factor if target > 0 else target * factor <= stated <= target / factor
        )

    if tolerance.absolute is not None:
        rule = f"± {_number(tolerance.absolute)}"
    elif tolerance.relative is not None:
        rule = f"± {tolerance.relative * 100:g}%"
    else:
        rule = f"within a factor of {tolerance.factor:g}"
    key = _number(item.value) + (f" (or {', '.join(_number(v) for v in item.also_accept)})" if item.also_accept else "")
    unit = f" {item.unit}" if item.unit else ""
    return ItemCheck(item.id, any(within(t) for t in candidates), _number(stated) + unit, key + unit, rule)


def check_item(item: KeyItem, stated: Any) -> ItemCheck:
    """Compare one stated value with its key item (the validator has checked its kind)."""
    if isinstance(item, NumberKey):
        return check_number(item, float(stated))
    if isinstance(item, CountKey):
        return ItemCheck(item.id, int(stated) == item.value, str(stated), str(item.value), "exact")
    if isinstance(item, BooleanKey):
        return ItemCheck(item.id, bool(stated) is item.value, str(stated).lower(), str(item.value).lower(), "exact")
    if isinstance(item, ChoiceKey):
        chosen = stated if isinstance(stated, list) else [stated]
        return ItemCheck(
            item.id,
            set(chosen) == set(item.correct),
            " + ".join(map(str, chosen)),
            " + ".join(item.correct),
            "same options",
        )
    if isinstance(item, ExpressionKey):
        same = expressions.equivalent(str(stated), item.value, item.variables)
        return ItemCheck(item.id, same, str(stated), item.value, "equal at 12 random points")
    raise TypeError(item)  # pragma: no cover


def auto_check(part: Part, stated: dict[str, Any]) -> AutoCheck:
    items = {item.id: item for item in part.answer_key}
    checks = tuple(check_item(items[item_id], value) for item_id, value in stated.items() if item_id in items)
    not_stated = tuple(item_id for item_id in items if item_id not in stated)
    if not checks:
        return AutoCheck(None, (), not_stated)
    matched = sum(check.matches for check in checks)
    return AutoCheck(verdict_from_check(matched, len(checks), complete=not not_stated), checks, not_stated)


@dataclass(frozen=True)
class Flag:
    """Two graders of the same answer who disagree."""

    kind: str  # "annotator-vs-review", "auto-vs-review", "auto-vs-annotator"
    first: str
    second: str

    def text(self) -> str:
        a, b = self.kind.split("-vs-")
        return f"{a} says {self.first}, {b} says {self.second}"


def annotator_verdicts(graded: Entry | Followup) -> list[str]:
    return [a.verdict for a in graded.annotations if a.verdict is not None]


def _both_without_answer(one: str, other: str) -> bool:
    """ "skipped" against "not asked": both say there is no answer to grade, which is no disagreement."""
    return not BY_NAME[one].needs_answer and not BY_NAME[other].needs_answer


def flags_for(graded: Entry | Followup, auto: str | None) -> tuple[Flag, ...]:
    """Every disagreement among the annotator's, the review's and the automatic verdict of one answer."""
    review = graded.review.verdict
    if review is None:
        return ()
    out: list[Flag] = []
    for verdict in dict.fromkeys(annotator_verdicts(graded)):
        if verdict != review and not _both_without_answer(verdict, review):
            out.append(Flag("annotator-vs-review", verdict, review))
    if auto is not None and auto != review:
        out.append(Flag("auto-vs-review", auto, review))
    if auto is not None:
        for verdict in dict.fromkeys(annotator_verdicts(graded)):
            if verdict != auto:
                out.append(Flag("auto-vs-annotator", auto, verdict))
    return tuple(out)
