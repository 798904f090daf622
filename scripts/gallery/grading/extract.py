"""Read what an answer states for each answer-key item, from the answer's own text.

The automatic check must not lean on values a reviewer typed: this module finds them in the
model's Markdown. Numbers are read in the forms the runs write them (`2.1e12`,
`2.1 \\times 10^{12}`, `7.1×10¹³`, `$2.1T`, "2.1 trillion", "3 640", "61,824", "200 TB",
"0.19 mW", "≈ 1 token per minute"), converted to the key item's unit; true/false answers by
the first yes/no word near the item's cues; choices by the signals the key gives each option;
formulas by translating each piece of math to calculator syntax and comparing it with the key.

Where an item is found is decided by its cues (words the answer uses when it states the item,
on the same line or the two lines before) and, for numbers, by the unit: only a result counts
(a value not immediately fed into an operator), so "3 640 × $18 ≈ $65 000" states $65 000,
not $18. Every value found keeps its line and column span in the answer, so a reader can see
the quote the check read. Nothing here knows about particular runs: only the key and the text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from gallery.data.models import BooleanKey, ChoiceKey, CountKey, ExpressionKey, KeyItem, NumberKey
from gallery.grading import expressions

CONTEXT_LINES = 2  # cues may sit on the value's line or this many non-empty lines before it


@dataclass(frozen=True)
class Found:
    """One value an answer states for a key item, and where."""

    value: float | bool | str | tuple[str, ...]  # numbers in the key's unit
    quote: str  # the text as the answer wrote it
    line: int  # 1-based, within the answer
    start: int  # 0-based column span within that line
    end: int
    with_unit: bool = True  # a number written with its unit (a bare number is weaker evidence)
    intermediate: bool = False  # the answer goes on to compute with it: a step, not a claim
    cue_on_line: bool = False  # one of the item's cues is on the value's own line


# --- units -------------------------------------------------------------------------------

_MONTH = 30.44 * 86400
# unit text (as answers write it, a regex) -> (dimension, size in the dimension's base unit)
UNIT_WORDS: tuple[tuple[str, str, float], ...] = (
    (r"petaFLOP(?:/s)?[- ]days?|PF[- ]?days?|pfs?-days?", "pfday", 1.0),
    (r"tokens?\s*/\s*min(?:ute)?|tokens?\s+per\s+min(?:ute)?|tokens?\s+min\^-1", "tokrate", 1.0),
    (r"tokens?\s*/\s*s(?:ec(?:ond)?)?\b|tokens?\s+per\s+second|tokens?\s+s\^-1", "tokrate", 60.0),
    (r"FLOPs?(?![/\w])|floating[- ]point operations", "flop", 1.0),
    (r"KiB", "bytes", 1024.0),
    (r"MiB", "bytes", 1024.0**2),
    (r"GiB", "bytes", 1024.0**3),
    (r"TiB", "bytes", 1024.0**4),
    (r"KB|kB", "bytes", 1e3),
    (r"MB", "bytes", 1e6),
    (r"GB", "bytes", 1e9),
    (r"TB", "bytes", 1e12),
    (r"PB", "bytes", 1e15),
    (r"bytes?|(?<=\s)B(?![a-zA-Z])(?!\s*param)", "bytes", 1.0),
    (r"USD|dollars?", "usd", 1.0),
    (r"(?:GPU|H200)[- ]hours?|GPU[- ]h\b|hours?|hrs?\b|h\b", "time", 3600.0),
    (r"ms\b|milliseconds?", "time", 1e-3),
    (r"min(?:utes?)?\b", "time", 60.0),
    (r"s\b|secs?\b|seconds?", "time", 1.0),
    (r"days?", "time", 86400.0),
    (r"months?", "time", _MONTH),
    (r"years?|yrs?\b", "time", 365.25 * 86400),
    (r"mJ\b", "energy", 1e-3),
    (r"J\b|joules?", "energy", 1.0),
    (r"mW\b|milliwatts?", "power", 1e-3),
    (r"kW\b|kilowatts?", "power", 1e3),
    (r"W\b|watts?", "power", 1.0),
    (r"%|percent", "percent", 1.0),
    (r"tokens?", "tokens", 1.0),
    (r"words?", "words", 1.0),
    (r"pages?", "pages", 1.0),
    (r"books?", "books", 1.0),
    (r"(?:H200\s+)?GPUs?|H200s", "gpus", 1.0),
    (r"essays?", "essays", 1.0),
    (r"burgers?", "burgers", 1.0),
    (r"times\b|(?<=\d)[×x](?![\w$(\\])", "times", 1.0),
)
_UNIT_RES = tuple((re.compile(rf"[ \t]*(?:{pattern})"), dim, size) for pattern, dim, size in UNIT_WORDS)
SCALE_WORDS: dict[str, float] = {
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "quadrillion": 1e15,
    "bn": 1e9,
    "k": 1e3,
    "K": 1e3,
    "M": 1e6,
    "B": 1e9,
    "T": 1e12,
}
_SCALE_RE = re.compile(r"[ \t]*((?i:thousand|million|billion|trillion|quadrillion)|bn|[kKMBT])(?![a-zA-Z])")


_WORD_AFTER = re.compile(r"[ \t]*([A-Za-z]{2,})")
_COMPOUND_AFTER = re.compile(r"-[A-Za-z]")
_PER_AFTER = re.compile(r"[ \t]*/[ \t]*[A-Za-z]+")
_PLAIN_WORDS = frozenset(
    "and or with to for in of per at on is are the a an so as by from which that gives if we it this each "
    "when while than then roughly about approximately overall total".split()
)


class UnknownUnit(ValueError):
    pass


@lru_cache(maxsize=1024)
def key_unit(unit: str) -> tuple[str, float]:
    """The dimension and size of a key item's unit ("" is a pure number)."""
    if not unit:
        return "", 1.0
    for regex, dim, size in _UNIT_RES:
        if regex.fullmatch(unit) or regex.fullmatch(" " + unit):
            return dim, size
    raise UnknownUnit(f"the unit {unit!r} is not one the extraction can read")


@lru_cache(maxsize=1024)
def given_unit(unit: str) -> tuple[str, float] | None:
    """The dimension and size a given's value is in, read from the start of its unit ("USD/MB" is USD)."""
    if not unit:
        return "", 1.0
    for regex, dim, size in _UNIT_RES:
        if regex.match(unit):
            return dim, size
    return None


# --- normalising a line of Markdown and LaTeX, keeping where each character came from ----

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_REPLACEMENTS: tuple[tuple[str, str], ...] = (
    (r"\\(?:mathbf|textbf|text|mathrm|operatorname|boldsymbol|textrm)\{", ""),
    (r"\\left|\\right|\\!|\\displaystyle", ""),
    (r"\\[dt]?frac", " "),
    (r"\}\s*\{", " / "),  # \frac{a}{b} reads as a / b
    (r"\\times|\\cdot", "×"),
    (r"\\approx|\\sim(?![a-z])|≃|≅", "≈"),
    (r"\\\$", "$"),
    (r"\\%", "%"),
    (r"(?<=\d)(?:\\,|\\ |\u202f|\u2009|\u00a0|~|\{,\})(?=\d{3}(?!\d))", ""),
    (r"\\,|\\;|\\:|\\quad|\\qquad|\\ |\u202f|\u2009|\u00a0", " "),
    (r"<sup>", "^"),
    (r"\*\*|__|</sup>|<sub>|</sub>|[{}]", ""),
    (r"[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+", "^SUP"),
    (r"\\to(?![a-zA-Z])|\\rightarrow|\\Rightarrow|⇒|⟹", "→"),
    (r"−|–", "-"),
)
_NORMALISE_RE = re.compile("|".join(f"(?P<r{i}>{pattern})" for i, (pattern, _) in enumerate(_REPLACEMENTS)))


_MATH_SPAN = re.compile(r"(?<!\\)(\$\$?)(.+?)(?<!\\)\1")


def _blank_math_delimiters(line: str) -> str:
    """Math delimiters become spaces (same length), so `$` stays a currency sign only where it is one."""

    def blank(match: re.Match[str]) -> str:
        body = match.group(2)
        if match.group(1) == "$$" or re.search(r"[\\^_{}=]", body):
            return " " * len(match.group(1)) + body + " " * len(match.group(1))
        return match.group(0)

    return _MATH_SPAN.sub(blank, line)


@lru_cache(maxsize=65536)
def normalise(line: str) -> tuple[str, tuple[int, ...]]:
    """A plain-text form of one line, and for each of its characters the column it came from."""
    line = _blank_math_delimiters(line)
    out: list[str] = []
    where: list[int] = []
    position = 0
    for match in _NORMALISE_RE.finditer(line):
        out.append(line[position : match.start()])
        where.extend(range(position, match.start()))
        index = int(next(name for name, value in match.groupdict().items() if value is not None)[1:])
        replacement = _REPLACEMENTS[index][1]
        if replacement == "^SUP":
            replacement = "^" + match.group(0).translate(_SUPERSCRIPTS)
        out.append(replacement)
        where.extend([match.start()] * len(replacement))
        position = match.end()
    out.append(line[position:])
    where.extend(range(position, len(line)))
    where.append(len(line))
    return "".join(out), tuple(where)


# --- numbers -----------------------------------------------------------------------------

_NUMBER_RE = re.compile(
    r"(?<![\w.^/])(?<![A-Za-z]-)(?P<cur>\$\s?)?"
    r"(?:(?P<pow>10\^(?P<p2>[-+]?\d+))"
    r"|(?P<mant>-?(?:\d{1,3}(?:[ ,]\d{3})+(?![\d])|\d+)(?:\.\d+)?|-?\.\d+)"
    r"(?:\s?[eE](?P<e>[-+]?\d+)|\s?[×x·*]\s?10\^(?P<p>[-+]?\d+))?)"
)
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]\s+)?\d+[.)]\s")
_RANGE_AFTER = re.compile(r"\s*(?:-{1,2}|–|to)\s*\$?\d")
_ASSIGNED_BEFORE = re.compile(r"(?:[=≈~→:]|\b(?:about|roughly|approximately|around|is|gives|of))\s*$", re.IGNORECASE)
_DEFINITION_AFTER = re.compile(r"\s*[=≈]")
_COEFFICIENT_AFTER = re.compile(r"\s*[×·*]?\s*\(?\s*[A-Za-z\\]")
_OPERATOR_AFTER = re.compile(r"\s*(?:[×·*/÷+^]|-\s|x\s|per\b)")
_OPERATOR_BEFORE = re.compile(r"(?:[×·*/÷+]|\s-|\^)\s*\$?\s*$")


@dataclass(frozen=True)
class Quantity:
    value: float  # in the base unit of its dimension
    dimension: str  # "" when no unit follows
    line: int
    start: int  # columns in the original line
    end: int
    result: bool  # not an operand of an arithmetic operator
    number: float = 0.0  # as written, before its unit or scale word
    assigned: bool = False  # written after "=", "≈", "about" ...: the value of something
    coefficient: bool = False  # "≈ 1.29 × (C/6)^0.452": assigned, then multiplied by an expression


def _number_value(match: re.Match[str]) -> float:
    """The number written (NaN when its exponent is out of any sensible range: the text is untrusted)."""
    exponent = int(match.group("p2") or match.group("e") or match.group("p") or 0)
    if abs(exponent) > 300:
        return math.nan
    if match.group("pow"):
        return 10.0**exponent
    return float(match.group("mant").replace(",", "").replace(" ", "")) * 10.0**exponent


def _unit_after(text: str, position: int, currency: bool, want: str) -> tuple[str, float, int]:
    """The dimension, size and end of the unit written at `position` (a scale word may come first)."""
    scale, end = 1.0, position
    if _COMPOUND_AFTER.match(text, position):
        return "other", 1.0, position  # "2-bit", "16-bit": an adjective, not a quantity of the item
    scale_match = _SCALE_RE.match(text, position)
    bytes_first = not currency and want == "bytes"
    if scale_match and not bytes_first:
        word = scale_match.group(1)
        scale, end = SCALE_WORDS.get(word, SCALE_WORDS.get(word.lower(), 1.0)), scale_match.end()
    for regex, dim, size in _UNIT_RES:
        unit_match = regex.match(text, end)
        if unit_match:
            if dim == "bytes" and (currency or (scale != 1.0 and unit_match.group(0).strip() == "B")):
                continue
            if dim not in {"tokrate", "pfday"} and (per := _PER_AFTER.match(text, unit_match.end())):
                return "other", scale * size, per.end()  # "J/FLOP", "USD/MB": a rate the key does not use
            return dim, scale * size, unit_match.end()
    if scale_match and bytes_first:  # "2 T tokens" read for a byte item: still a scale
        return _unit_after(text, position, currency, "")
    if currency:
        return "usd", scale, end
    word = _WORD_AFTER.match(text, end)
    if word and word.group(1).lower() not in _PLAIN_WORDS:
        return "other", scale, end  # "96 heads", "175B params": a unit the key does not use
    return "", scale, end


@lru_cache(maxsize=4096)
def quantities(text: str, want: str = "") -> tuple[Quantity, ...]:
    """Every number in `text` with its unit, read for an item whose dimension is `want`."""
    out: list[Quantity] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line, where = normalise(raw)
        marker = _LIST_MARKER.match(line)
        definition = False  # after "1 GB = ...", the rest of the line defines a unit
        for match in _NUMBER_RE.finditer(line, marker.end() if marker else 0):
            currency = bool(match.group("cur"))
            dim, size, end = _unit_after(line, match.end(), currency, want)
            if currency:
                dim = "usd"
            written = _number_value(match)
            if not math.isfinite(written):
                continue
            if written == 1 and dim and _DEFINITION_AFTER.match(line, end):
                definition = True
            before = line[: match.start()]
            result = (
                not definition
                and not _OPERATOR_AFTER.match(line, end)
                and not _RANGE_AFTER.match(line, end)
                and not _OPERATOR_BEFORE.search(before)
            )
            assigned = bool(_ASSIGNED_BEFORE.search(before))
            coefficient = assigned and not dim and bool(_COEFFICIENT_AFTER.match(line, end))
            out.append(
                Quantity(
                    written * size,
                    dim,
                    number,
                    where[match.start()],
                    where[end],
                    result,
                    written,
                    assigned,
                    coefficient,
                )
            )
    return tuple(out)


def _context_lines(lines: Sequence[str], line: int) -> str:
    """The line (1-based) and up to CONTEXT_LINES non-empty lines before it, lower-cased."""
    picked = [lines[line - 1]]
    index = line - 2
    while index >= 0 and len(picked) <= CONTEXT_LINES:
        if lines[index].strip():
            picked.append(lines[index])
        index -= 1
    return "\n".join(picked).lower()


def _cued(item: KeyItem, lines: Sequence[str], line: int, *, same_line: bool = False) -> bool:
    context = lines[line - 1].lower() if same_line else _context_lines(lines, line)
    return not item.cues or any(cue.lower() in context for cue in item.cues)


def find_numbers(item: NumberKey | CountKey, text: str) -> list[Found]:
    """Every result the answer states for a number or count item, in the item's unit."""
    want, size = key_unit(item.unit) if isinstance(item, NumberKey) else ("", 1.0)
    lines = text.splitlines()
    found = []
    every = quantities(text, want)
    for index, quantity in enumerate(every):
        if not quantity.result and not (want == "" and quantity.coefficient):
            continue
        if want and not quantity.dimension:
            later_on_line = any(other.line == quantity.line for other in every[index + 1 :])
            if not quantity.assigned or later_on_line:
                continue  # a bare number stands for a unit-bearing item only as the final value of its line
        value = quantity.value
        with_unit = bool(quantity.dimension) and quantity.dimension == want
        if quantity.dimension != want:
            if want == "" and quantity.dimension == "percent":
                value, with_unit = value / 100, True
            elif quantity.dimension == "":
                pass  # a bare number ("186" as a multiple, "≈ 10^{30}" as a compute): the unit is left to the words
            elif isinstance(item, CountKey) and quantity.dimension in {"tokens", "gpus", "words", "times", "other"}:
                with_unit = quantity.dimension != "other"  # "22 positions" reads as a count, but weakly
            else:
                continue
        if isinstance(item, CountKey) and value != int(value):
            continue
        # a bare number needs its cue on its own line: a line or two away it is as likely another quantity
        if not _cued(item, lines, quantity.line, same_line=not with_unit or not want):
            continue
        raw = lines[quantity.line - 1]
        quote = raw[quantity.start : quantity.end].strip()
        reused = any(
            not later.result and math.isclose(later.number, quantity.number, rel_tol=1e-3)
            for later in every[index + 1 :]
        )
        in_key_unit = value if not quantity.dimension else value / size  # a bare number is read in the key's unit
        on_line = bool(item.cues) and _cued(item, lines, quantity.line, same_line=True)
        found.append(Found(in_key_unit, quote, quantity.line, quantity.start, quantity.end, with_unit, reused, on_line))
    return found


# --- true/false --------------------------------------------------------------------------

_YES = re.compile(r"\b(?:true|yes|correct)\b", re.IGNORECASE)
_NO = re.compile(r"\b(?:false|no|incorrect|not true|not necessarily)\b", re.IGNORECASE)


def find_booleans(item: BooleanKey, text: str) -> list[Found]:
    """The first yes/true or no/false the answer writes on a cued line."""
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip() or not _cued(item, lines, number):
            continue
        yes, no = _YES.search(line), _NO.search(line)
        first = min((m for m in (yes, no) if m), key=lambda m: m.start(), default=None)
        if first is not None:
            value = first is yes
            return [Found(value, first.group(0), number, first.start(), first.end())]
    return []


# --- choices -----------------------------------------------------------------------------


def find_choices(item: ChoiceKey, text: str) -> list[Found]:
    """Every option whose signals the answer writes (on cued lines)."""
    lines = text.splitlines()
    found = []
    for option, patterns in item.signals.items():
        for pattern in patterns:
            regex = re.compile(pattern, re.IGNORECASE)
            hit = next(
                (
                    (number, match)
                    for number, line in enumerate(lines, start=1)
                    if _cued(item, lines, number)
                    for match in [regex.search(normalise(line)[0])]
                    if match
                ),
                None,
            )
            if hit:
                number, match = hit
                _, where = normalise(lines[number - 1])
                start, end = where[match.start()], where[match.end()]
                found.append(Found(option, lines[number - 1][start:end], number, start, end))
                break
    return found


# --- formulas ----------------------------------------------------------------------------

_MATH_RE = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$|\\\((.+?)\\\)|\\\[(.+?)\\\]", re.DOTALL)
_LATEX_TOKEN = re.compile(
    r"\\frac|\\sqrt|\\(?:alpha|beta|gamma|eta|theta|lambda|mu|sigma)\b|\\[a-zA-Z]+|\d+(?:\.\d+)?|[A-Za-z]|[-+*/^()_{}\[\],=]|\S"
)
_IGNORED_COMMANDS = {"\\left", "\\right", "\\cdot", "\\times", "\\text", "\\mathrm", "\\quad", "\\,", "\\displaystyle"}


class NotAFormula(ValueError):
    pass


def latex_to_calculator(latex: str) -> str:
    """Calculator syntax for simple LaTeX: fractions, roots, powers, implicit products, subscripts."""
    tokens = [t for t in _LATEX_TOKEN.findall(latex.replace("\\left", "").replace("\\right", "")) if t.strip()]
    position = 0

    def group() -> str:
        nonlocal position
        if position < len(tokens) and tokens[position] == "{":
            position += 1
            inner = sequence("}")
            position += 1
            return f"({inner})"
        return atom()

    def subscript() -> str:
        nonlocal position
        if position < len(tokens) and tokens[position] == "_":
            position += 1
            if position < len(tokens) and tokens[position] == "{":
                depth, out = 0, []
                while position < len(tokens):
                    token = tokens[position]
                    position += 1
                    depth += token == "{"
                    depth -= token == "}"
                    if depth == 0:
                        break
                    if token not in "{},":
                        out.append(token.lstrip("\\"))
                return "".join(out)
            if position < len(tokens):
                position += 1
                return tokens[position - 1].lstrip("\\")
        return ""

    def atom() -> str:
        nonlocal position
        if position >= len(tokens):
            raise NotAFormula("ends early")
        token = tokens[position]
        position += 1
        if token == "\\frac":
            return f"({group()})/({group()})"
        if token == "\\sqrt":
            return f"sqrt({group()})"
        if token in "([":
            inner = sequence(")]")
            position += 1
            return f"({inner})"
        if token == "{":
            inner = sequence("}")
            position += 1
            return f"({inner})"
        if re.fullmatch(r"\d+(?:\.\d+)?", token):
            return token
        if re.fullmatch(r"[A-Za-z]|\\[a-z]+", token) and token not in _IGNORED_COMMANDS:
            return token.lstrip("\\") + subscript()
        raise NotAFormula(f"cannot read {token!r}")

    def sequence(closers: str) -> str:
        nonlocal position
        out: list[str] = []
        previous_was_operand = False
        while position < len(tokens) and tokens[position] not in closers:
            token = tokens[position]
            if token in _IGNORED_COMMANDS:
                if token in {"\\cdot", "\\times"}:
                    out.append("*")
                    previous_was_operand = False
                position += 1
                continue
            if token in "+-*/":
                out.append(token)
                position += 1
                previous_was_operand = False
                continue
            if token == "^":
                position += 1
                out.append("**" + group())
                continue
            if token in ",=":
                raise NotAFormula("not a single formula")
            if previous_was_operand:
                out.append("*")
            out.append(atom())
            previous_was_operand = True
        return "".join(out)

    result = sequence("")
    if position != len(tokens) or not result:
        raise NotAFormula("unbalanced")
    return result


def _formula_sides(math: str) -> Iterator[str]:
    for side in re.split(r"=|\\approx|≈|\\Rightarrow|\\to|\\quad|\\\\|&|\\text\{[^}]*\}", math):
        side = side.strip()
        if side:
            yield side


def find_formulas(item: ExpressionKey, text: str) -> list[Found]:
    """Every formula on a cued line, in calculator syntax, using only the item's variables."""
    lines = text.splitlines()
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    found = []
    for match in _MATH_RE.finditer(text):
        body = next(g for g in match.groups() if g is not None).strip().rstrip(".,;:").strip()
        number = next(i for i, offset in enumerate(offsets) if offset > match.start())
        if not _cued(item, lines, number):
            continue
        for side in _formula_sides(body):
            try:
                formula = latex_to_calculator(side)
                used = expressions.names(formula)
            except (NotAFormula, expressions.ExpressionError):
                continue
            renamed = _rename_to(item.variables, used)
            if renamed is None:
                continue
            for old, new in renamed.items():
                formula = re.sub(rf"\b{re.escape(old)}\b", new, formula)
            if not used or not math.isfinite(_probe(formula, item.variables)):
                continue
            column = match.start() - offsets[number - 1]
            found.append(Found(formula, side, number, column, column + len(match.group(0))))
    return found


_SYMBOL_NAMES = {"ell": "l"}


def _rename_to(variables: Sequence[str], used: set[str]) -> dict[str, str] | None:
    """How the answer's names map onto the key's variables (`\\ell` is l, `X_{i1}` is xi1), or None."""
    renames: dict[str, str] = {}
    for name in used:
        wanted = _SYMBOL_NAMES.get(name, name)
        if wanted in variables:
            renames[name] = wanted
            continue
        folded = [v for v in variables if v.lower() == wanted.lower()]
        if len(folded) != 1:
            return None
        renames[name] = folded[0]
    return {old: new for old, new in renames.items() if old != new}


def _probe(formula: str, variables: Sequence[str]) -> float:
    try:
        return expressions.evaluate(formula, dict.fromkeys(variables, 2.0))
    except expressions.ExpressionError:
        return math.nan


def readable(item: KeyItem) -> bool:
    """Whether the check can read this item at all (a choice needs signals, a number a known unit, a formula a
    valid key)."""
    if isinstance(item, NumberKey):
        try:
            key_unit(item.unit)
        except UnknownUnit:
            return False  # GAL220 reports it
        return True
    if isinstance(item, ExpressionKey):
        try:
            return expressions.names(item.value) <= set(item.variables)
        except expressions.ExpressionError:
            return False  # GAL216 reports it
    return not isinstance(item, ChoiceKey) or bool(item.signals)


def find(item: KeyItem, text: str) -> list[Found]:
    """Every value the answer states for one key item, in reading order."""
    if not readable(item):
        return []
    if isinstance(item, NumberKey | CountKey):
        return find_numbers(item, text)
    if isinstance(item, BooleanKey):
        return find_booleans(item, text)
    if isinstance(item, ChoiceKey):
        return find_choices(item, text)
    return find_formulas(item, text)
