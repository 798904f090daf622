"""Unbalanced math delimiters, outside code."""

from __future__ import annotations

import pytest

from gallery.rules.mathcheck import math_issues


@pytest.mark.parametrize(
    "text",
    [
        "inline $x$ and display $$y$$",
        "\\(a\\) and \\[b\\]",
        "money written \\$5 and \\$10",
        "code `$x` and fence:\n```\n$ ls -l\n```\n",
        "~~~\n$\n~~~\n",
        "$$\n\\frac{1}{2}\n$$",
    ],
)
def test_balanced_text_passes(text: str) -> None:
    assert math_issues(text) == []


@pytest.mark.parametrize(
    ("text", "offset", "message"),
    [
        ("costs $5 today", 6, "Must close the math opened with $"),
        ("see $$x$ here", 7, "Must not mix $ inside math opened with $$"),
        ("open \\( never closed", 5, "Must close the math opened with \\("),
        ("stray \\] closer", 6, "Must not close math with \\] that was never opened"),
    ],
)
def test_unbalanced_text_is_reported_at_its_offset(text: str, offset: int, message: str) -> None:
    issues = math_issues(text)
    assert issues[0].offset == offset
    assert issues[0].message == message
