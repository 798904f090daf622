"""Find unbalanced math delimiters in Markdown text, outside code.

The site typesets `$...$`, `$$...$$`, `\\(...\\)` and `\\[...\\]`. A delimiter left open
swallows the rest of the answer into one broken formula, so the validator refuses it. A
literal dollar sign is written `\\$`. Code spans and fenced code blocks are skipped: a
shell prompt's `$` in code is not math.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")


@dataclass(frozen=True)
class MathIssue:
    offset: int
    message: str


def _mask_code(text: str) -> str:
    """Replace fenced blocks and inline code spans with spaces, keeping offsets."""
    out = list(text)
    lines = text.split("\n")
    offset = 0
    fence: str | None = None
    for line in lines:
        match = _FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)[0] * len(match.group(1))
            masked = True
        elif fence is not None:
            masked = True
            if match and match.group(1).startswith(fence):
                fence = None
        else:
            masked = False
        if masked:
            for i in range(offset, offset + len(line)):
                out[i] = " "
        offset += len(line) + 1
    masked_text = "".join(out)
    # inline code spans: a run of N backticks closed by the next run of exactly N
    result = list(masked_text)
    i = 0
    while i < len(masked_text):
        if masked_text[i] == "`":
            j = i
            while j < len(masked_text) and masked_text[j] == "`":
                j += 1
            ticks = masked_text[i:j]
            close = re.compile(r"(?<!`)" + ticks + r"(?!`)").search(masked_text, j)
            if close:
                for k in range(i, close.end()):
                    result[k] = " "
                i = close.end()
                continue
            i = j
            continue
        i += 1
    return "".join(result)


def math_issues(text: str) -> list[MathIssue]:
    """Every unclosed or stray math delimiter, by character offset."""
    masked = _mask_code(text)
    issues: list[MathIssue] = []
    open_kind: str | None = None
    open_at = 0
    i = 0
    closers = {"$": "$", "$$": "$$", "\\(": "\\)", "\\[": "\\]"}
    while i < len(masked):
        ch = masked[i]
        if ch == "\\" and i + 1 < len(masked):
            pair = masked[i : i + 2]
            if pair in ("\\(", "\\[") and open_kind is None:
                open_kind, open_at = pair, i
            elif pair in ("\\)", "\\]"):
                if open_kind is not None and closers[open_kind] == pair:
                    open_kind = None
                elif open_kind is None:
                    issues.append(MathIssue(i, f"Must not close math with {pair} that was never opened"))
            i += 2  # skips escaped characters such as \$ too
            continue
        if ch == "$":
            token = "$$" if masked.startswith("$$", i) else "$"
            if open_kind is None:
                open_kind, open_at = token, i
            elif open_kind == token:
                open_kind = None
            elif open_kind in ("$", "$$"):
                issues.append(MathIssue(i, f"Must not mix {token} inside math opened with {open_kind}"))
                open_kind = None
            i += len(token)
            continue
        i += 1
    if open_kind is not None:
        issues.append(MathIssue(open_at, f"Must close the math opened with {open_kind}"))
    return issues
