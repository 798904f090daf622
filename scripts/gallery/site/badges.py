"""Verdict badges: the one place that turns a verdict into HTML.

A badge is a CSS class per verdict (its colours in light and dark palettes come from
`gallery.data.verdicts`, like everything else about a verdict), an icon and a word, so it reads without colour. Asking for a
verdict or a source that does not exist raises: the build fails instead of printing a
blank badge.
"""

from __future__ import annotations

from gallery.data.verdicts import UnknownVerdict, VerdictKind, verdict_kind
from gallery.site.render_text import escape

SOURCES: dict[str, str] = {
    "review": "Review",
    "annotator": "Annotator",
    "auto": "Auto-check",
    "after": "After follow-up",
}


class UnknownBadge(ValueError):
    pass


def _style(verdict: str) -> VerdictKind:
    try:
        return verdict_kind(verdict)
    except UnknownVerdict as error:
        raise UnknownBadge(str(error)) from None


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
    return _style(verdict).icon


def verdict_word(verdict: str) -> str:
    return _style(verdict).word
