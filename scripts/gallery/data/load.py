"""Read one data file: bytes -> text -> YAML nodes -> typed model, collecting problems.

Each stage is a pure function over the previous stage's output; `load_data_file` chains
them and stops at the first stage that leaves nothing to check further. Every problem is
located (`path:line:col`) and coded (`gallery.data.codes`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from gallery.data.layout import FileKind, schema_comment_for
from gallery.data.models import FILE_KINDS, StrictModel
from gallery.data.models import SALVAGEABLE as SALVAGEABLE_LISTS
from gallery.data.problems import Problem
from gallery.data.yamlsafe import (
    CONTROL_CHARACTERS,
    LoadIssue,
    Mark,
    Node,
    find_invisible,
    key_mark,
    load_yaml,
    locate,
    node_at,
)

MAX_FILE_BYTES = 1024 * 1024
MAX_SOURCE_BYTES = 8 * 1024 * 1024  # a source document: a chat export or a PDF's text, kept whole
MAX_CONTROL_REPORTS = 10

_CONTROL = CONTROL_CHARACTERS


@dataclass
class LoadedFile:
    """One data file after loading: its text, located node tree and model (if valid).

    When some items of a file's main list (a question's parts, a run's entries) fail the
    schema, `model` holds the file with only the valid items, `salvaged_from` maps each
    kept item's index to its index in the file, and `present_labels` still lists every
    label written, so later rules neither miss the valid items nor report the invalid ones
    as absent.
    """

    rel: str
    kind: FileKind
    text: str | None = None
    node: Node | None = None
    model: StrictModel | None = None
    problems: list[Problem] = field(default_factory=list)
    salvaged_from: list[int] | None = None
    present_labels: set[str] = field(default_factory=set)
    content_problems: list[Problem] | None = None  # the per-file content rules' findings, once computed
    # what later steps computed from this version of the file and others (tree rules, assessment), by step:
    # kept with the file, so `mkdocs serve`, which keeps unchanged files parsed, computes it once
    derived: dict[str, Any] = field(default_factory=dict)

    def data_path(self, path: tuple[Any, ...]) -> tuple[Any, ...]:
        """Translate a path into the (possibly salvaged) model into a path into the file."""
        if self.salvaged_from is None or len(path) < 2 or not isinstance(path[1], int):
            return path
        list_field = SALVAGEABLE_LISTS.get(self.kind, ("",))[0]
        if path[0] != list_field or path[1] >= len(self.salvaged_from):
            return path
        return (path[0], self.salvaged_from[path[1]], *path[2:])


def _position(text: bytes, offset: int) -> Mark:
    line = text.count(b"\n", 0, offset) + 1
    line_start = text.rfind(b"\n", 0, offset) + 1
    return Mark(line, offset - line_start + 1)


def _text_position(text: str, offset: int) -> Mark:
    line = text.count("\n", 0, offset) + 1
    return Mark(line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def decode_bytes(rel: str, data: bytes, *, max_bytes: int = MAX_FILE_BYTES) -> tuple[str | None, list[Problem]]:
    """Size cap, byte-order mark, UTF-8 and control characters: the checks before parsing."""
    if len(data) > max_bytes:
        return None, [
            Problem(rel, 1, 1, "GAL001", f"Must not be larger than {max_bytes:,} bytes; this file has {len(data):,}")
        ]
    if data.startswith(b"\xef\xbb\xbf"):
        return None, [Problem(rel, 1, 1, "GAL011", "Must not start with a byte-order mark")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        mark = _position(data, error.start)
        return None, [
            Problem(
                rel,
                mark.line,
                mark.col,
                "GAL002",
                f"Must be valid UTF-8: byte 0x{data[error.start]:02x} at offset {error.start} is not",
            )
        ]
    problems = []
    for count, match in enumerate(_CONTROL.finditer(text)):
        line = text.count("\n", 0, match.start()) + 1
        col = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        if count == MAX_CONTROL_REPORTS:
            remaining = sum(1 for _ in _CONTROL.finditer(text)) - MAX_CONTROL_REPORTS
            problems.append(
                Problem(rel, line, col, "GAL003", f"Must not contain control characters: {remaining} more from here on")
            )
            break
        name = "carriage return" if match.group() == "\r" else f"U+{ord(match.group()):04X}"
        problems.append(Problem(rel, line, col, "GAL003", f"Must not contain the control character {name}"))
    for count, match in enumerate(find_invisible(text)):
        if count == MAX_CONTROL_REPORTS:
            break
        mark = _text_position(text, match.start())
        problems.append(
            Problem(
                rel,
                mark.line,
                mark.col,
                "GAL016",
                f"Must not contain the invisible character U+{ord(match.group()):04X}",
            )
        )
    if not text.strip():
        problems.append(Problem(rel, 1, 1, "GAL004", "Must not be empty"))
    return (None if problems else text), problems


def check_schema_comment(rel: str, text: str, kind: FileKind) -> list[Problem]:
    expected = schema_comment_for(rel, kind)
    first = text.split("\n", 1)[0].rstrip()
    if first == expected:
        return []
    return [Problem(rel, 1, 1, "GAL015", f"Must start with the line `{expected}`")]


GUESS_MARK = "# guessed by gallery import"


def check_guess_marks(rel: str, text: str, kind: FileKind) -> list[Problem]:
    """GAL221: every value `gallery import` guessed carries its comment until a person has checked it."""
    if kind != "run":
        return []
    out = []
    for number, line in enumerate(text.split("\n"), start=1):
        column = line.find(GUESS_MARK)
        if column >= 0:
            field = line.split(":", 1)[0].strip() or "a value"
            out.append(
                Problem(
                    rel,
                    number,
                    column + 1,
                    "GAL221",
                    f"Must confirm the imported guess for `{field}`, then delete its comment",
                )
            )
    return out


def _issues_to_problems(rel: str, issues: list[LoadIssue]) -> list[Problem]:
    return [Problem(rel, i.mark.line, i.mark.col, i.code, i.message) for i in issues]


def _dotted(loc: tuple[Any, ...], node: Node | None) -> str:
    """A readable data path: entries[3].review.verdict (union tags dropped)."""
    out = ""
    current = node
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            current = node_at(current, (part,)) if current else None
            continue
        if current is not None and current.mapping is not None and part not in current.mapping and part != loc[-1]:
            continue  # discriminated-union tag
        out += f".{part}" if out else str(part)
        current = node_at(current, (part,)) if current else None
    return out or "(top level)"


def _expected_from_type(error_type: str) -> str:
    return {
        "string_type": "text",
        "int_type": "a whole number",
        "float_type": "a number",
        "bool_type": "true or false",
        "dict_type": "a mapping",
        "list_type": "a list",
        "model_type": "a mapping",
        "model_attributes_type": "a mapping",
        "none_required": "nothing (null)",
    }.get(error_type, "another type")


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def pydantic_problems(rel: str, error: ValidationError, node: Node | None) -> list[Problem]:
    """Map pydantic's errors onto located, coded problems."""
    problems = []
    for err in error.errors(include_url=False):
        loc = tuple(err["loc"])
        where = _dotted(loc, node)
        kind = err["type"]
        mark, _ = locate(node, loc)
        if kind == "extra_forbidden":
            at = key_mark(node, loc) or mark
            problems.append(
                Problem(
                    rel, at.line, at.col, "GAL101", f"Must not have the key `{where}`: the schema has no such field"
                )
            )
        elif kind == "missing":
            problems.append(Problem(rel, mark.line, mark.col, "GAL102", f"Must have the key `{where}`"))
        elif kind in ("literal_error", "enum", "union_tag_invalid"):
            expected = err.get("ctx", {}).get("expected") or err.get("ctx", {}).get("expected_tags", "")
            got = err.get("input")
            if kind == "union_tag_invalid":
                got = err.get("ctx", {}).get("tag")
            found = "it is empty" if got is None else f"got {got!r}"
            problems.append(
                Problem(rel, mark.line, mark.col, "GAL105", f"Must set `{where}` to one of {expected}; {found}")
            )
        elif kind == "union_tag_not_found":
            problems.append(
                Problem(
                    rel,
                    mark.line,
                    mark.col,
                    "GAL102",
                    f"Must have the key `{where}.{err['ctx']['discriminator'].strip(chr(39))}`",
                )
            )
        elif kind.endswith("_type") or kind in ("model_attributes_type", "none_required"):
            located = node_at(node, loc)
            raw = located.raw if located is not None else None
            if err.get("input") is None:
                problems.append(
                    Problem(
                        rel,
                        mark.line,
                        mark.col,
                        "GAL103",
                        f"Must fill in `{where}`: it is empty, and must be {_expected_from_type(kind)}",
                    )
                )
            elif kind == "string_type" and located is not None and located.style is None and raw is not None:
                problems.append(
                    Problem(
                        rel,
                        mark.line,
                        mark.col,
                        "GAL104",
                        f"Must quote `{where}`: YAML reads {raw} as {_describe(err.get('input'))}, not text",
                    )
                )
            else:
                problems.append(
                    Problem(
                        rel,
                        mark.line,
                        mark.col,
                        "GAL103",
                        f"Must give `{where}` {_expected_from_type(kind)}, not {_describe(err.get('input'))}",
                    )
                )
        else:
            message = err["msg"]
            message = message.removeprefix("Value error, ")
            problems.append(
                Problem(rel, mark.line, mark.col, "GAL106", f"Must give `{where}` a valid value: {message}")
            )
    return problems


def _salvage(kind: FileKind, value: dict[str, Any]) -> tuple[StrictModel, list[int]] | None:
    """The file with only its valid list items, if the rest of it is valid."""
    if kind not in SALVAGEABLE_LISTS:
        return None
    list_field, item_class = SALVAGEABLE_LISTS[kind]
    items = value.get(list_field)
    if not isinstance(items, list):
        return None
    kept = []
    for index, item in enumerate(items):
        try:
            item_class.model_validate(item)
        except ValidationError:
            continue
        kept.append(index)
    if not kept:
        return None
    try:
        model = FILE_KINDS[kind].model_validate({**value, list_field: [items[i] for i in kept]})
    except ValidationError:
        return None
    return model, kept


def validate_model(
    rel: str, kind: FileKind, value: Any, node: Node | None
) -> tuple[StrictModel | None, list[Problem], list[int] | None]:
    """The model, the schema problems, and (when salvaged) the kept items' original indexes."""
    model_class = FILE_KINDS[kind]
    if not isinstance(value, dict):
        mark = node.mark if node else Mark(1, 1)
        problem = Problem(
            rel, mark.line, mark.col, "GAL103", f"Must be a mapping at the top level, not {_describe(value)}"
        )
        return None, [problem], None
    try:
        return model_class.model_validate(value), [], None
    except ValidationError as error:
        problems = pydantic_problems(rel, error, node)
    salvaged = _salvage(kind, value)
    if salvaged is None:
        return None, problems, None
    return salvaged[0], problems, salvaged[1]


def _labels_written(kind: FileKind, value: Any) -> set[str]:
    key = {"question": ("parts", "label"), "run-question": ("entries", "part")}.get(kind)
    if key is None or not isinstance(value, dict) or not isinstance(value.get(key[0]), list):
        return set()
    return {item[key[1]] for item in value[key[0]] if isinstance(item, dict) and isinstance(item.get(key[1]), str)}


def load_data_text(rel: str, kind: FileKind, data: bytes, *, max_bytes: int = MAX_FILE_BYTES) -> LoadedFile:
    """Every per-file stage that needs no other file, from raw bytes."""
    loaded = LoadedFile(rel, kind)
    text, problems = decode_bytes(rel, data, max_bytes=max_bytes)
    loaded.problems.extend(problems)
    if text is None:
        return loaded
    loaded.text = text
    loaded.problems.extend(check_schema_comment(rel, text, kind))
    loaded.problems.extend(check_guess_marks(rel, text, kind))
    result = load_yaml(text)
    loaded.problems.extend(_issues_to_problems(rel, result.issues))
    loaded.node = result.node
    if result.node is None:
        return loaded
    loaded.model, problems, loaded.salvaged_from = validate_model(rel, kind, result.value, result.node)
    loaded.present_labels = _labels_written(kind, result.value)
    # a value already refused while parsing (an ambiguous scalar) is not reported again as a type error
    refused = {(i.mark.line, i.mark.col) for i in result.issues}
    loaded.problems.extend(p for p in problems if (p.line, p.col) not in refused)
    return loaded


def load_data_file(root: Path, rel: str, kind: FileKind, *, max_bytes: int = MAX_FILE_BYTES) -> LoadedFile:
    path = root / rel
    size = path.stat().st_size
    if size > max_bytes:  # refuse before reading a byte of it
        loaded = LoadedFile(rel, kind)
        loaded.problems.append(
            Problem(rel, 1, 1, "GAL001", f"Must not be larger than {max_bytes:,} bytes; this file has {size:,}")
        )
        return loaded
    return load_data_text(rel, kind, path.read_bytes(), max_bytes=max_bytes)
