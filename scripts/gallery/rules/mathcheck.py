"""Find unbalanced math delimiters in Markdown text, outside code.

The site typesets `$...$`, `$$...$$`, `\\(...\\)` and `\\[...\\]`. A delimiter left open
swallows the rest of the answer into one broken formula, so the validator refuses it. A
literal dollar sign is written `\\$`. Code spans and fenced code blocks are skipped: a
shell prompt's `$` in code is not math.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class MathIssue:
    offset: int
    message: str


_FENCED_BLOCK = re.compile(
    r"^[ \t]*(`{3,}|~{3,})[^\n]*\n(?:.*?\n)?[ \t]*\1[`~]*[ \t]*$|^[ \t]*(`{3,}|~{3,})[^\n]*(?:\n.*)?\Z",
    re.MULTILINE | re.DOTALL,
)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_TOKEN = re.compile(r"\\[\s\S]|\$\$|\$")


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def _mask_code(text: str) -> str:
    """Replace fenced blocks and inline code spans with spaces, keeping offsets and newlines."""
    return _CODE_SPAN.sub(_blank, _FENCED_BLOCK.sub(_blank, text))


def math_issues(text: str) -> list[MathIssue]:
    """Every unclosed or stray math delimiter, by character offset."""
    if "$" not in text and "\\" not in text:
        return []
    masked = _mask_code(text)
    issues: list[MathIssue] = []
    open_kind: str | None = None
    open_at = 0
    closers = {"$": "$", "$$": "$$", "\\(": "\\)", "\\[": "\\]"}
    for match in _TOKEN.finditer(masked):
        token, i = match.group(0), match.start()
        if token[0] == "\\":
            if token in ("\\(", "\\[") and open_kind is None:
                open_kind, open_at = token, i
            elif token in ("\\)", "\\]"):
                if open_kind is not None and closers[open_kind] == token:
                    open_kind = None
                elif open_kind is None:
                    issues.append(MathIssue(i, f"Must not close math with {token} that was never opened"))
            continue  # other escapes, such as \$, are plain text
        if open_kind is None:
            open_kind, open_at = token, i
        elif open_kind == token:
            open_kind = None
        elif open_kind in ("$", "$$"):
            issues.append(MathIssue(i, f"Must not mix {token} inside math opened with {open_kind}"))
            open_kind = None
    if open_kind is not None:
        issues.append(MathIssue(open_at, f"Must close the math opened with {open_kind}"))
    return issues
