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

import math
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from gallery.data.models import (
    BooleanKey,
    ChoiceKey,
    CountKey,
    Entry,
    ExpressionKey,
    Followup,
    Given,
    KeyItem,
    NumberKey,
    Part,
)
from gallery.data.verdicts import BY_NAME, verdict_from_check
from gallery.grading import expressions, extract
from gallery.grading.extract import Found


@dataclass(frozen=True)
class ItemCheck:
    item_id: str
    matches: bool
    stated: str
    key: str
    rule: str  # the tolerance or comparison used
    quotes: tuple[Found, ...] = ()  # where the answer states it (empty for a typed value)
    inconsistent: bool = False  # the answer states values that match and values that do not

    def explanation(self) -> str:
        if self.inconsistent:
            return f"{self.item_id}: the answer states both {self.stated}; key {self.key} ({self.rule})"
        outcome = "matches" if self.matches else "does not match"
        return f"{self.item_id}: stated {self.stated} {outcome} key {self.key} ({self.rule})"


@dataclass(frozen=True)
class AutoCheck:
    verdict: str | None
    checks: tuple[ItemCheck, ...]
    not_stated: tuple[str, ...]  # asked key items the answer states no value for
    mixed_readings: bool = False  # one reading of the part partly matched, partly contradicted

    @property
    def inconsistent(self) -> tuple[str, ...]:
        return tuple(check.item_id for check in self.checks if check.inconsistent)


def _number(value: float) -> str:
    return f"{value:.4g}"


def _within(item: NumberKey, stated: float, target: float) -> bool:
    tolerance = item.tolerance
    if tolerance.absolute is not None:
        return abs(stated - target) <= tolerance.absolute
    if tolerance.relative is not None:
        return abs(stated - target) <= tolerance.relative * abs(target)
    factor = tolerance.factor or 1.0
    if target == 0 or stated == 0 or (target > 0) != (stated > 0):
        return stated == target
    return target / factor <= stated <= target * factor if target > 0 else target * factor <= stated <= target / factor


def number_matches(item: NumberKey, stated: float) -> bool:
    return any(_within(item, stated, target) for target in (item.value, *item.also_accept))


def _rule(item: NumberKey) -> str:
    tolerance = item.tolerance
    if tolerance.absolute is not None:
        return f"± {_number(tolerance.absolute)}"
    if tolerance.relative is not None:
        return f"± {tolerance.relative * 100:g}%"
    return f"within a factor of {tolerance.factor:g}"


def check_number(item: NumberKey, stated: float) -> ItemCheck:
    key = _number(item.value) + (f" (or {', '.join(_number(v) for v in item.also_accept)})" if item.also_accept else "")
    unit = f" {item.unit}" if item.unit else ""
    return ItemCheck(item.id, number_matches(item, stated), _number(stated) + unit, key + unit, _rule(item))


def check_item(item: KeyItem, stated: Any) -> ItemCheck:
    """Compare one stated value with its key item (the validator has checked its kind)."""
    if isinstance(item, NumberKey):
        return check_number(item, float(stated))
    if isinstance(item, CountKey):
        return ItemCheck(item.id, int(stated) == item.value, str(stated), str(item.value), "exact")
    if isinstance(item, BooleanKey):
        return ItemCheck(item.id, bool(stated) is item.value, str(stated).lower(), str(item.value).lower(), "exact")
    if isinstance(item, ChoiceKey):
        chosen = stated if isinstance(stated, list | tuple) else [stated]
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
    """The check of typed values (a reviewer's transcription) against the key: the cross-check's half."""
    items = {item.id: item for item in part.answer_key}
    checks = tuple(check_item(items[item_id], value) for item_id, value in stated.items() if item_id in items)
    not_stated = tuple(item.id for item in part.answer_key if item.asked and item.id not in stated and not item.reading)
    if not checks:
        return AutoCheck(None, (), not_stated)
    matched = sum(check.matches for check in checks)
    return AutoCheck(verdict_from_check(matched, len(checks), complete=not not_stated), checks, not_stated)


# --- the independent check: values read from the answer's own text --------------------------


def _explained_elsewhere(item: KeyItem, value: float, related: Sequence[KeyItem], givens: Sequence[Given]) -> bool:
    """A number that restates a given, or another key item's value in the question, is not this item's statement.

    Items of another reading of the same part do not explain a value away: an answer that pairs one
    reading's memory with the other's GPU count has mixed them, and must be seen to.
    """
    related = [o for o in related if o.id != item.id and not (o.reading and item.reading and o.reading != item.reading)]
    if not isinstance(item, NumberKey):
        return any(isinstance(o, CountKey) and o.value == value for o in related)
    if not extract.readable(item):
        return False
    dimension, size = extract.key_unit(item.unit)
    for given in givens:
        read = extract.given_unit(given.unit)
        if read is None:
            continue
        given_dimension, given_size = read
        if given_dimension == dimension and math.isclose(given.value * given_size, value * size, rel_tol=0.01):
            return True
    for other in related:
        if not isinstance(other, NumberKey):
            continue
        try:
            other_dimension, other_size = extract.key_unit(other.unit)
        except extract.UnknownUnit:
            continue
        if other_dimension == dimension and number_matches(other, value * size / other_size):
            return True
    return False


def _read_item(item: KeyItem, text: str, related: Sequence[KeyItem], givens: Sequence[Given]) -> ItemCheck | None:
    found = extract.find(item, text)
    if isinstance(item, NumberKey | CountKey):
        found = [
            f
            for f in found
            if check_item(item, f.value).matches or not _explained_elsewhere(item, float(f.value), related, givens)  # type: ignore[arg-type]
        ]
    if not found:
        return None
    if isinstance(item, ChoiceKey):
        chosen = tuple(dict.fromkeys(str(f.value) for f in found))
        return replace(check_item(item, list(chosen)), quotes=tuple(found))
    if isinstance(item, BooleanKey):
        return replace(check_item(item, found[0].value), quotes=(found[0],))
    if isinstance(item, ExpressionKey):
        same = [f for f in found if check_item(item, f.value).matches]
        if same:
            return replace(check_item(item, same[0].value), stated=same[0].quote, quotes=(same[0],))
        # a formula in other letters is some other step of the working; one in the key's letters is an answer
        key_names = expressions.names(item.value)
        others = [o for o in related if isinstance(o, ExpressionKey) and o.id != item.id]
        rivals = [
            f
            for f in found
            if expressions.names(str(f.value)) == key_names
            and not any(expressions.equivalent(str(f.value), o.value, o.variables) for o in others)
        ]
        if not rivals:
            return None
        return replace(check_item(item, rivals[-1].value), stated=rivals[-1].quote, quotes=(rivals[-1],))
    if any(f.cue_on_line for f in found):  # a value beside its cue outranks one that only follows it
        found = [f for f in found if f.cue_on_line]
    outcomes = [(f, check_item(item, f.value)) for f in found]
    good = [f for f, c in outcomes if c.matches]
    bad = [(f, c) for f, c in outcomes if not c.matches and f.with_unit and not f.intermediate]
    if (
        good and any(f.with_unit for f in good) and bad
    ):  # reported, not resolved: the check does not pick one of the answer's values
        first_good = next(c for _, c in outcomes if c.matches)
        shown = " and ".join(dict.fromkeys([first_good.stated, *(c.stated for _, c in bad)]))
        return replace(
            first_good, matches=False, stated=shown, quotes=(good[0], *(f for f, _ in bad)), inconsistent=True
        )
    if good:  # bare numbers around a matching value are more likely other quantities than a second answer
        return replace(next(c for _, c in outcomes if c.matches), quotes=tuple(good))
    return replace(outcomes[-1][1], quotes=tuple(found))


# The validator's cross-check and the assessment read the same answers, and `mkdocs serve` reads them again
# on every rebuild; the loader keeps unchanged files' models, so a reading is kept per (part object, text).
# Each entry holds its part (and givens), so an id in a key is never reused by another object while cached.
_READINGS: OrderedDict[tuple[int, int, int, str], tuple[object, object, object, AutoCheck]] = OrderedDict()
MAX_READINGS = 20_000


def read_answer(part: Part, text: str, givens: Sequence[Given] = (), related: Sequence[KeyItem] = ()) -> AutoCheck:
    """The automatic check from the answer's own text (see `_read_answer`), remembered for unchanged data."""
    # `related` is rebuilt by each caller from the question that also holds `givens`: its length suffices
    key = (id(part), id(givens), len(related), text)
    hit = _READINGS.get(key)
    if hit is not None and hit[0] is part and hit[1] is givens:
        _READINGS.move_to_end(key)
        return hit[3]
    result = _read_answer(part, text, givens, related)
    _READINGS[key] = (part, givens, None, result)
    if len(_READINGS) > MAX_READINGS:
        _READINGS.popitem(last=False)
    return result


def _read_answer(part: Part, text: str, givens: Sequence[Given] = (), related: Sequence[KeyItem] = ()) -> AutoCheck:
    """The automatic check from the answer's own text: each key item read, then compared with the key.

    `givens` and `related` (every key item of the question, earlier parts' results included) are
    the values an answer may restate on its way without stating them as this part's result.
    """
    related = list(related) or list(part.answer_key)
    read = {item.id: _read_item(item, text, related, givens) for item in part.answer_key}
    readings: dict[str, list[KeyItem]] = {}
    for item in part.answer_key:
        if item.reading:
            readings.setdefault(item.reading, []).append(item)

    def matched(items: list[KeyItem]) -> int:
        return sum(1 for item in items if (c := read[item.id]) is not None and c.matches)

    mixed = any(
        matched(items) and any((c := read[i.id]) is not None and not c.matches for i in items)
        for items in readings.values()
    )
    chosen = max(readings, key=lambda name: matched(readings[name]), default=None)
    in_play = [item for item in part.answer_key if item.reading is None or item.reading == chosen]
    checks = tuple(c for item in in_play if (c := read[item.id]) is not None)
    not_stated = tuple(item.id for item in in_play if item.asked and read[item.id] is None)
    if not checks:
        return AutoCheck(None, (), not_stated, mixed)
    # an item stated two ways is neither right nor wrong: it keeps the answer from either end of the scale
    good = sum(check.matches or check.inconsistent for check in checks)
    complete = not not_stated and not mixed and not any(check.inconsistent for check in checks)
    return AutoCheck(verdict_from_check(good, len(checks), complete=complete), checks, not_stated, mixed)


FLAG_TITLES: dict[str, str] = {
    "annotator-vs-review": "annotator vs review",
    "auto-vs-review": "automatic check vs review",
    "auto-vs-annotator": "automatic check vs annotator",
    "inconsistent-answer": "the answer states two values for one item",
    "mixed-readings": "the answer mixes two readings of the part",
}


@dataclass(frozen=True)
class Flag:
    """Two graders of the same answer who disagree."""

    kind: str  # "annotator-vs-review", "auto-vs-review", "auto-vs-annotator", "inconsistent-answer", "mixed-readings"
    first: str
    second: str

    def text(self) -> str:
        if "-vs-" not in self.kind:
            return self.first
        a, b = self.kind.split("-vs-")
        return f"{a} says {self.first}, {b} says {self.second}"


def annotator_verdicts(graded: Entry | Followup) -> list[str]:
    return [a.verdict for a in graded.annotations if a.verdict is not None]


def _both_without_answer(one: str, other: str) -> bool:
    """ "skipped" against "not asked": both say there is no answer to grade, which is no disagreement."""
    return not BY_NAME[one].needs_answer and not BY_NAME[other].needs_answer


def answer_flags(check: AutoCheck) -> tuple[Flag, ...]:
    """What the automatic reading found wrong with the answer itself: two values for one item, mixed readings."""
    out = [Flag("inconsistent-answer", f"the answer states two values for {item}", "") for item in check.inconsistent]
    if check.mixed_readings:
        out.append(Flag("mixed-readings", "the answer mixes two readings of the part", ""))
    return tuple(out)


def flags_for(graded: Entry | Followup, check: AutoCheck) -> tuple[Flag, ...]:
    """Every disagreement among the annotator's, the review's and the automatic verdict of one answer."""
    auto = check.verdict
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
    return (*out, *answer_flags(check))
