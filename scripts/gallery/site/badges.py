"""Verdict badges: the one place that turns a verdict into HTML.

A badge is a CSS class per verdict (colour in light and dark palettes, see
docs/assets/gallery.css), an icon and a word, so it reads without colour. Asking for a
verdict or a source that does not exist raises: the build fails instead of printing a
blank badge.
"""

from __future__ import annotations

from dataclasses import dataclass

from gallery.data.models import VERDICT_MEANINGS
from gallery.site.render_text import escape


@dataclass(frozen=True)
class VerdictStyle:
    icon: str
    word: str
    short: str  # for grid cells


VERDICT_STYLES: dict[str, VerdictStyle] = {
    "correct": VerdictStyle("✓", "correct", "✓"),
    "partial": VerdictStyle("◐", "partial", "◐"),
    "incorrect": VerdictStyle("✗", "incorrect", "✗"),
    "skipped": VerdictStyle("∅", "skipped", "∅"),
    "not-asked": VerdictStyle("–", "not asked", "–"),
}

SOURCES: dict[str, str] = {
    "review": "Review",
    "annotator": "Annotator",
    "auto": "Auto-check",
    "after": "After follow-up",
}

if set(VERDICT_STYLES) != set(VERDICT_MEANINGS):  # pragma: no cover - guards edits to the vocabulary
    raise RuntimeError("every verdict needs a badge style")


class UnknownBadge(ValueError):
    pass


def _style(verdict: str) -> VerdictStyle:
    try:
        return VERDICT_STYLES[verdict]
    except KeyError:
        raise UnknownBadge(f"unknown verdict {verdict!r}; known: {', '.join(VERDICT_STYLES)}") from None


def badge(verdict: str, source: str = "review", *, label: bool = True) -> str:
    """`<span class="verdict verdict--correct">` with an icon and the word; `source` names whose verdict it is."""
    if source not in SOURCES:
        raise UnknownBadge(f"unknown verdict source {source!r}; known: {', '.join(SOURCES)}")
    style = _style(verdict)
    prefix = f'<span class="verdict-source">{escape(SOURCES[source])}</span> ' if label else ""
    return (
        f'<span class="verdict verdict--{verdict}" title="{escape(SOURCES[source])}: {escape(style.word)}">'
        f'{prefix}<span class="verdict-icon" aria-hidden="true">{style.icon}</span> {escape(style.word)}</span>'
    )


def verdict_class(verdict: str) -> str:
    _style(verdict)
    return f"verdict--{verdict}"


def verdict_icon(verdict: str) -> str:
    return _style(verdict).short


def verdict_word(verdict: str) -> str:
    return _style(verdict).word
