"""Problems found in the data, and the three ways the validator prints them.

A problem is where (path, line, column), which rule (a code from `gallery.data.codes`) and a
message written as the rule the data broke. Formatting is pure: a list of problems in,
text out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from gallery.data.codes import RULES

OutputFormat = Literal["text", "github", "json"]


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    col: int
    code: str
    message: str

    def __post_init__(self) -> None:
        if self.code not in RULES:
            raise ValueError(f"unknown rule code {self.code!r}: register it (gallery.data.codes)")

    @property
    def severity(self) -> str:
        return RULES[self.code].severity

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def as_text(self) -> str:
        level = "" if self.is_error else "warning: "
        return f"{shown_path(self.path)}:{self.line}:{self.col}: {self.code} {level}{one_line(self.message)}"


_SAFE_PATH = re.compile(r"^[A-Za-z0-9._/-]+$")
_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def shown_path(path: str) -> str:
    """A path as printed: as it is when it is plain, else quoted, so no name can forge an output line."""
    return path if _SAFE_PATH.match(path) else json.dumps(path)


def one_line(text: str) -> str:
    """A message on one line whatever it quotes: control characters and line breaks escaped."""
    return _LINE_BREAKS.sub(lambda m: json.dumps(m.group())[1:-1], text)


def problems_under(problems: Iterable[Problem], root: Path, paths: list[Path]) -> list[Problem]:
    """The problems located in the given files or folders (absolute paths under root)."""

    def selected(rel: str) -> bool:
        target = root / rel
        return any(target == path or path in target.parents for path in paths)

    return [p for p in problems if selected(p.path)]


def errors(problems: Iterable[Problem]) -> list[Problem]:
    """The problems that block validation and the build (warnings do not)."""
    return [p for p in problems if p.is_error]


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(set(problems))


def _github_escape(value: str, *, is_property: bool) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if is_property:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_problems(problems: list[Problem], output: OutputFormat, *, files_checked: int) -> str:
    """Render problems for a terminal, for GitHub Actions annotations, or as JSON."""
    if output == "json":
        return json.dumps(
            {
                "files_checked": files_checked,
                "problems": [{**asdict(p), "severity": p.severity, "fix": RULES[p.code].fix} for p in problems],
            },
            indent=2,
            ensure_ascii=False,
        )
    if output == "github":
        lines = [
            "::{} file={},line={},col={},title={}::{}".format(
                p.severity,
                _github_escape(p.path, is_property=True),
                p.line,
                p.col,
                _github_escape(f"{p.code} {RULES[p.code].name}", is_property=True),
                _github_escape(p.message, is_property=False),
            )
            for p in problems
        ]
    else:
        lines = [p.as_text() for p in problems]
        lines += fix_hints(problems)
    lines.append(summary_line(problems, files_checked))
    return "\n".join(lines)


def fix_hints(problems: list[Problem]) -> list[str]:
    """One "how to fix" line per code that occurs, for the terminal (the site's error-code page says the same)."""
    codes = sorted({p.code for p in problems})
    if not codes:
        return []
    return ["", "How to fix:"] + [f"  {code} {RULES[code].name}: {RULES[code].fix}" for code in codes] + [""]


def summary_line(problems: list[Problem], files_checked: int) -> str:
    files = f"{files_checked} file{'s' if files_checked != 1 else ''}"
    if not problems:
        return f"No problems in {files}."
    warnings = len(problems) - len(errors(problems))
    noun = "problem" if len(problems) == 1 else "problems"
    detail = f" ({warnings} warning{'s' if warnings != 1 else ''}, not blocking)" if warnings else ""
    return f"{len(problems)} {noun}{detail} in {files}."
