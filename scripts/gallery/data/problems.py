"""Problems found in the data, and the three ways the validator prints them.

A problem is where (path, line, column), which rule (a code from `gallery.data.codes`) and a
message written as the rule the data broke. Formatting is pure: a list of problems in,
text out.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Iterable, Literal

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
            raise ValueError(f"unknown rule code {self.code!r}: add it to gallery.data.codes.RULES")

    def as_text(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}"


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
            {"files_checked": files_checked, "problems": [asdict(p) for p in problems]},
            indent=2,
            ensure_ascii=False,
        )
    if output == "github":
        lines = [
            "::error file={},line={},col={},title={}::{}".format(
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
    lines.append(summary_line(len(problems), files_checked))
    return "\n".join(lines)


def summary_line(problem_count: int, files_checked: int) -> str:
    files = f"{files_checked} file{'s' if files_checked != 1 else ''}"
    if problem_count == 0:
        return f"No problems in {files}."
    noun = "problem" if problem_count == 1 else "problems"
    return f"{problem_count} {noun} in {files}."
