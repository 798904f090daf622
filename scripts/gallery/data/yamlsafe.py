"""Load untrusted YAML into plain Python values, keeping every node's line and column.

PyYAML's loaders silently keep the last of two duplicate keys, share aliased nodes (an
alias bomb expands once anything walks the tree), construct arbitrary types from tags, and
read `no` as False and `1.10` as 1.1. This module reads the event stream of libyaml's
parser itself and builds the values with its own rules:

* anchors, aliases and explicit tags are refused;
* a key repeated in one mapping is refused at its second occurrence;
* plain scalars resolve with the YAML 1.2 core schema, and any plain scalar that YAML 1.1
  would read differently (yes/no/on/off, 012, 1:20, 1_000, dates) is refused, so the data
  means the same to every YAML reader;
* node count and nesting depth are capped.

Problems are collected, not raised, so one pass reports all of them. Each value carries a
`Node` with its position so later stages (the schema, content rules) can point at it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # libyaml is ~17x faster; fall back to the pure-Python parser where it is missing
    from yaml import CSafeLoader as _EventLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _EventLoader  # type: ignore[assignment]

# C0 controls but tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Invisible characters: code points that show nothing, or are not characters at all: noncharacters (U+FDD0-U+FDEF and
# the last two of every plane), and the invisible format characters (soft hyphen, zero-width
# space and non-joiner, directional marks, word joiner, invisible operators, the BOM inside a
# file, interlinear annotation, tags). A zero-width joiner stays allowed: it joins emoji.
_INVISIBLE_CANDIDATES = re.compile(  # one class of single code points is fast; the rare astral ones are checked below
    "[\u00ad\u061c\u180e\u200b\u200c\u200e\u200f\u2060-\u2064\u206a-\u206f\ufeff\ufff9-\ufffb"
    "\ufdd0-\ufdef\ufffe\uffff\U0001fffe-\U0010ffff]"
)


def find_invisible(text: str) -> Iterator[re.Match[str]]:
    """Each invisible character or noncharacter in `text` (see the comment above)."""
    for match in _INVISIBLE_CANDIDATES.finditer(text):
        code = ord(match.group())
        if code < 0x10000 or (code & 0xFFFE) == 0xFFFE or 0xE0000 <= code <= 0xE007F:
            yield match


MAX_NODES = 200_000
MAX_DEPTH = 64
MAX_ALIAS_REPORTS = 5


@dataclass(frozen=True, slots=True)  # slots: a course's data holds millions of marks and nodes
class Mark:
    """A 1-based position in the file."""

    line: int
    col: int


@dataclass(slots=True)
class Node:
    """A located value: scalars keep their raw text and style, containers their children."""

    mark: Mark
    value: Any = None
    raw: str | None = None  # scalar source text
    style: str | None = None  # None = plain, or one of ' " | >
    items: list[Node] | None = None  # sequence children
    mapping: dict[str, tuple[Mark, Node]] | None = None  # key -> (key mark, value node)


@dataclass
class LoadIssue:
    """A problem found while loading; turned into a `Problem` by the caller, who knows the path."""

    code: str
    mark: Mark
    message: str


@dataclass
class LoadResult:
    value: Any = None
    node: Node | None = None
    issues: list[LoadIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues


# YAML 1.2 core schema
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL_TRUE = re.compile(r"^(?:true|True|TRUE)$")
_BOOL_FALSE = re.compile(r"^(?:false|False|FALSE)$")
_INT_DEC = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_INT_OCT = re.compile(r"^0o[0-7]+$")
_INT_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_FLOAT_SPECIAL = re.compile(r"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")

# Plain scalars that YAML 1.1 (PyYAML, many editors) reads as something else than YAML 1.2
_AMBIGUOUS = (
    (re.compile(r"^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$"), "a boolean"),
    (re.compile(r"^[-+]?0[0-9_]+$"), "an octal number"),
    (re.compile(r"^[-+]?0b[0-1_]+$"), "a binary number"),
    (re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$"), "a base-60 number"),
    (re.compile(r"^[-+]?(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][-+][0-9]+)?$"), "a number with underscores"),
    (re.compile(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+).*)?$"), "a date"),
    (re.compile(r"^=$"), "a YAML 1.1 value key"),
)


# What YAML 1.1 (PyYAML) reads as a float; YAML 1.2 floats outside it (1e9) are text to PyYAML
_FLOAT_11 = re.compile(
    r"^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|[-+]?\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)


def _ambiguity(raw: str) -> str | None:
    for pattern, meaning in _AMBIGUOUS:
        if pattern.match(raw) and (meaning != "a number with underscores" or "_" in raw):
            return meaning
    return None


def _float_spelling_problem(raw: str) -> str | None:
    """A YAML 1.2 float that YAML 1.1 reads as text, with the spelling both read alike."""
    if _FLOAT_11.match(raw) or _INT_DEC.match(raw):
        return None
    if (_FLOAT.match(raw) and any(ch.isdigit() for ch in raw)) or _INT_OCT.match(raw):
        value = float(raw) if not _INT_OCT.match(raw) else float(int(raw[2:], 8))
        if not math.isfinite(value):
            return None  # refused as GAL017 instead
        mantissa, _, exponent = f"{value:.15e}".partition("e")
        mantissa = mantissa.rstrip("0")
        mantissa = mantissa + "0" if mantissa.endswith(".") else mantissa
        sign = "-" if exponent.startswith("-") else "+"
        return f"{mantissa}e{sign}{int(exponent.lstrip('+-'))}"
    return None


def resolve_plain(raw: str) -> Any:
    """Resolve a plain (unquoted) scalar with the YAML 1.2 core schema."""
    if _NULL.match(raw):
        return None
    if _BOOL_TRUE.match(raw):
        return True
    if _BOOL_FALSE.match(raw):
        return False
    if _INT_DEC.match(raw):
        return int(raw)
    if _INT_OCT.match(raw):
        return int(raw[2:], 8)
    if _INT_HEX.match(raw):
        return int(raw[2:], 16)
    if _FLOAT.match(raw) and any(ch.isdigit() for ch in raw):
        return float(raw)
    if _FLOAT_SPECIAL.match(raw):
        return float(raw.replace(".", "", 1))
    return raw


def _mark(event_mark: Any) -> Mark:
    return Mark(event_mark.line + 1, event_mark.column + 1)


class _Builder:
    def __init__(self, text: str) -> None:
        self.loader = _EventLoader(text)
        self.issues: list[LoadIssue] = []
        self.nodes = 0
        self.too_big = False
        self.alias_reports = 0

    def issue(self, code: str, mark: Mark, message: str) -> None:
        if code == "GAL007":  # an alias bomb would otherwise list every alias
            self.alias_reports += 1
            if self.alias_reports > MAX_ALIAS_REPORTS:
                return
            if self.alias_reports == MAX_ALIAS_REPORTS:
                message += "; further anchors and aliases in this file are not listed"
        self.issues.append(LoadIssue(code, mark, message))

    def next_event(self) -> Any:
        return self.loader.get_event()

    def check_anchor_and_tag(self, event: Any) -> None:
        mark = _mark(event.start_mark)
        if getattr(event, "anchor", None):
            self.issue("GAL007", mark, f"Must not define the anchor &{event.anchor}; write the value out in full")
        tag = getattr(event, "tag", None)
        if tag is not None:
            self.issue("GAL009", mark, f"Must not use the explicit tag {tag}; the schema decides the type")

    def build(self, event: Any, depth: int) -> Node:
        self.nodes += 1
        mark = _mark(event.start_mark)
        if self.nodes > MAX_NODES or depth > MAX_DEPTH:
            if not self.too_big:
                limit = f"{MAX_NODES:,} nodes" if self.nodes > MAX_NODES else f"{MAX_DEPTH} levels of nesting"
                self.issue("GAL012", mark, f"Must stay within {limit}; the file is refused here")
                self.too_big = True
            raise _StopLoading
        if isinstance(event, yaml.AliasEvent):
            self.issue("GAL007", mark, f"Must not use the alias *{event.anchor}; write the value out in full")
            return Node(mark)
        if isinstance(event, yaml.ScalarEvent):
            self.check_anchor_and_tag(event)
            raw = event.value
            style = event.style or None  # libyaml reports plain style as ""
            control = CONTROL_CHARACTERS.search(raw)
            if control is not None:  # written as an escape such as "\u202e" in a quoted scalar
                self.issue(
                    "GAL003",
                    mark,
                    f"Must not contain the control character U+{ord(control.group()):04X} (written as an escape)",
                )
            invisible = next(find_invisible(raw), None)
            if invisible is not None:  # written as an escape such as "\ufffe"
                self.issue(
                    "GAL016",
                    mark,
                    f"Must not contain the invisible character U+{ord(invisible.group()):04X} (written as an escape)",
                )
            if style is None and event.tag is None:
                resolved = resolve_plain(raw)
                if isinstance(resolved, float) and not math.isfinite(resolved):
                    what = (
                        "is not a number"
                        if math.isnan(resolved)
                        else "is infinite"
                        if raw.lstrip("+-").startswith(".")
                        else "overflows to infinity"
                    )
                    self.issue("GAL017", mark, f"Must be a finite number: {raw!r} {what}")
                    return Node(mark, raw, raw=raw, style=None)
                meaning = _ambiguity(raw)
                spelling = _float_spelling_problem(raw) if meaning is None else None
                if spelling is not None:
                    self.issue(
                        "GAL008",
                        mark,
                        f"Must write the number {raw!r} as {spelling}: YAML 1.1 reads {raw!r} as text",
                    )
                    return Node(mark, resolve_plain(raw), raw=raw, style=None)
                if meaning is not None:
                    self.issue(
                        "GAL008",
                        mark,
                        f"Must quote {raw!r}: YAML 1.1 reads it as {meaning}, YAML 1.2 does not",
                    )
                    return Node(mark, raw, raw=raw, style=None)
                return Node(mark, resolve_plain(raw), raw=raw, style=None)
            return Node(mark, raw, raw=raw, style=style)
        if isinstance(event, yaml.SequenceStartEvent):
            self.check_anchor_and_tag(event)
            items: list[Node] = []
            while True:
                child = self.next_event()
                if isinstance(child, yaml.SequenceEndEvent):
                    break
                items.append(self.build(child, depth + 1))
            return Node(mark, [item.value for item in items], items=items)
        if isinstance(event, yaml.MappingStartEvent):
            self.check_anchor_and_tag(event)
            mapping: dict[str, tuple[Mark, Node]] = {}
            while True:
                key_event = self.next_event()
                if isinstance(key_event, yaml.MappingEndEvent):
                    break
                key_node = self.build(key_event, depth + 1)
                value_node = self.build(self.next_event(), depth + 1)
                key = key_node.value
                if isinstance(key, str) and (key_node.style in ("|", ">") or "\n" in key):
                    self.issue("GAL014", key_node.mark, f"Must use one line of text for every key, not {key!r}")
                    continue
                if not isinstance(key, str) or key_node.items is not None or key_node.mapping is not None:
                    shown = repr(key_node.raw) if key_node.raw is not None else "a collection"
                    self.issue("GAL014", key_node.mark, f"Must use text for every key, not {shown}; quote it")
                    continue
                if key in mapping:
                    first = mapping[key][0]
                    self.issue(
                        "GAL006",
                        key_node.mark,
                        f"Must not repeat the key {key!r} (first at line {first.line})",
                    )
                    continue
                mapping[key] = (key_node.mark, value_node)
            value = {key: child.value for key, (_, child) in mapping.items()}
            return Node(mark, value, mapping=mapping)
        raise AssertionError(f"unexpected YAML event {event!r}")  # pragma: no cover


class _StopLoading(Exception):
    pass


def load_yaml(text: str) -> LoadResult:
    """Parse one YAML document from text; never raises on bad input."""
    builder = _Builder(text)
    result = LoadResult()
    try:
        builder.next_event()  # StreamStart
        event = builder.next_event()
        if isinstance(event, yaml.StreamEndEvent):
            result.issues.append(LoadIssue("GAL004", Mark(1, 1), "Must not be empty: the file holds no YAML document"))
            return result
        root = builder.build(builder.next_event(), 0)
        builder.next_event()  # DocumentEnd
        following = builder.next_event()
        if isinstance(following, yaml.DocumentStartEvent):
            builder.issue(
                "GAL010", _mark(following.start_mark), "Must hold one YAML document; a second one starts here"
            )
        result.node, result.value = root, root.value
    except _StopLoading:
        result.node = result.value = None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = _mark(mark) if mark is not None else Mark(1, 1)
        problem = (error.problem or "syntax error").strip()
        context = f" ({error.context.strip()})" if error.context else ""
        builder.issue("GAL005", where, f"Must be well-formed YAML: {problem}{context}")
        result.node = result.value = None
    except yaml.reader.ReaderError as error:  # a character YAML cannot read: located by its offset
        offset = error.position if isinstance(error.position, int) else 0
        line = text.count("\n", 0, offset) + 1
        where = Mark(line, offset - (text.rfind("\n", 0, offset) + 1) + 1)
        builder.issue(
            "GAL005",
            where,
            f"Must be well-formed YAML: character U+{error.character:04X} cannot be read"
            if isinstance(error.character, int)
            else "Must be well-formed YAML: a character cannot be read",
        )
        result.node = result.value = None
    except yaml.YAMLError as error:  # pragma: no cover - libyaml reports the rest as marked errors
        builder.issue("GAL005", Mark(1, 1), f"Must be well-formed YAML: {type(error).__name__}")
        result.node = result.value = None
    finally:
        builder.loader.dispose()
    result.issues = builder.issues + result.issues
    return result


def locate(node: Node | None, path: tuple[Any, ...]) -> tuple[Mark, bool]:
    """Find the position of `path` (a pydantic error location) in a node tree.

    Returns the deepest mark reached and whether the whole path exists. Location parts
    that are not in the data (pydantic adds the tag of a discriminated union) are skipped.
    A missing last key yields its parent mapping's mark.
    """
    if node is None:
        return Mark(1, 1), False
    current = node
    for index, part in enumerate(path):
        if current.mapping is not None and isinstance(part, str):
            if part in current.mapping:
                current = current.mapping[part][1]
                continue
            if index == len(path) - 1:
                return current.mark, False
            continue  # a union tag such as "number" in ('answer_key', 0, 'number', 'value')
        if current.items is not None and isinstance(part, int) and 0 <= part < len(current.items):
            current = current.items[part]
            continue
        if index == len(path) - 1:
            return current.mark, False
        continue
    return current.mark, True


def key_mark(node: Node | None, path: tuple[Any, ...]) -> Mark | None:
    """The mark of the key at the end of `path` (for unknown-key errors), if present."""
    if not path:
        return None
    parent = node_at(node, path[:-1])
    last = path[-1]
    if parent is not None and parent.mapping is not None and isinstance(last, str) and last in parent.mapping:
        return parent.mapping[last][0]
    return None


def node_at(node: Node | None, path: tuple[Any, ...]) -> Node | None:
    """The node at an exact data path (keys and indexes only), or None."""
    current = node
    for part in path:
        if current is None:
            return None
        if current.mapping is not None and isinstance(part, str):
            entry = current.mapping.get(part)
            current = entry[1] if entry else None
        elif current.items is not None and isinstance(part, int) and 0 <= part < len(current.items):
            current = current.items[part]
        else:
            return None
    return current
