"""Resolve the `run:` and `source:` links of our own prose on a generated page.

`render_prose` (gallery.site.render_text) leaves each such link as an `<a>` whose href is a
`#gallery-ref:` placeholder, because the rendered HTML is cached and shared between pages.
Here, once per page, each placeholder becomes a relative URL from that page, and an empty
link text becomes the run's label or the document's title: readers see labels and titles,
never ids or file names (gallery.data.prose).

A link whose target does not exist (the validator's GAL314 refuses it in a strict build,
but a preview may still show one) is shown as its words, or its target, without a link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gallery.data.prose import fragment_question
from gallery.site.pages.common import answer_anchor, link, run_page
from gallery.site.pages.sources import source_anchor, sources_page
from gallery.site.plan import PlannedRepository, answer_page
from gallery.site.render_text import REFERENCE_MARK, escape

_PLACEHOLDER = re.compile(
    '<a href="' + re.escape(REFERENCE_MARK) + r"(?P<scheme>run|source):(?P<target>[A-Za-z0-9._-]+)"
    r'(?::(?P<fragment>[a-z0-9-]+))?"[^>]*>(?P<text>.*?)</a>',
    re.S,
)
_PAGE_HOMEWORK = re.compile(r"^gallery/([^/]+)/")


@dataclass(frozen=True)
class Target:
    url: str
    label: str  # plain text: the run's label or the document's title


def resolve_target(
    repo: PlannedRepository, homework: str, page: str, scheme: str, target: str, fragment: str | None
) -> Target | None:
    if scheme == "run":
        run = repo.runs.get((homework, target))
        if run is None or run.meta is None or homework not in repo.plans:
            return None
        if fragment is None:
            return Target(link(page, run_page(homework, target)), run.label)
        number = fragment_question(fragment)
        if number is None or number not in run.questions:
            return None
        return Target(
            link(page, answer_page(repo, homework, number, target), answer_anchor(fragment, target)), run.label
        )
    hw = repo.homeworks.get(homework)
    documents = {d.file: d for d in hw.sources.documents} if hw and hw.sources else {}
    document = documents.get(target)
    if document is None:
        return None
    return Target(link(page, sources_page(homework), source_anchor(target)), document.title)


def resolve_links(html_text: str, page: str, repo: PlannedRepository) -> str:
    """The page with every placeholder link made a real, relative link (pure)."""
    if REFERENCE_MARK not in html_text:
        return html_text
    found = _PAGE_HOMEWORK.match(page)
    homework = found.group(1) if found else ""

    def replace(match: re.Match[str]) -> str:
        resolved = resolve_target(repo, homework, page, match["scheme"], match["target"], match["fragment"])
        words = match["text"]
        if resolved is None:
            return f'<span class="unresolved-link">{words or escape(match["target"])}</span>'
        return f'<a href="{escape(resolved.url)}">{words or escape(resolved.label)}</a>'

    return _PLACEHOLDER.sub(replace, html_text)
