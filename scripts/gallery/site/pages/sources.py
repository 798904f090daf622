"""The Sources page of a homework: every source document described once, with the runs made from it.

Elsewhere a document is cited by a link to its entry here (`source_anchor`), never by its
file name; the file name appears here only, as a detail, with a link to the file itself.
"""

from __future__ import annotations

from gallery.data.repository import Run
from gallery.site.pages.common import (
    GENERATED_DIR,
    front_matter,
    h,
    homework_page,
    link,
    page_heading,
    raw_block,
    run_page,
)
from gallery.site.plan import PlannedRepository
from gallery.site.render_text import render_prose


def sources_page(homework: str) -> str:
    return f"{GENERATED_DIR}/{homework}/sources.md"


def source_file_url(homework: str, file: str) -> str:
    """Where the site publishes a source document's text, beside the Sources page.

    Always as a `.txt` file, so MkDocs copies it as it is and a browser shows it as plain text:
    a contributor's `chat.md` or `page.html` must never become a page of the site.
    """
    return f"{GENERATED_DIR}/{homework}/sources/{file}" + ("" if file.endswith(".txt") else ".txt")


def source_anchor(file: str) -> str:
    return "source-" + "".join(ch if ch.isalnum() else "-" for ch in file.lower()).strip("-")


def source_link(from_page: str, homework: str, file: str, text: str) -> str:
    """A link to a document's entry on the Sources page, with `text` (already HTML) as its words."""
    return f'<a href="{h(link(from_page, sources_page(homework), source_anchor(file)))}">{text}</a>'


def runs_citing(repo: PlannedRepository, homework: str) -> dict[str, list[Run]]:
    out: dict[str, list[Run]] = {}
    for run in repo.plans[homework].runs:
        assert run.meta is not None
        for document in run.meta.source_documents:
            out.setdefault(document.file, []).append(run)
    return out


def render_sources_page(repo: PlannedRepository, homework: str, published: frozenset[str] = frozenset()) -> str:
    """`published`: the documents whose text the site carries (those that are UTF-8 text)."""
    hw = repo.homeworks[homework]
    assert hw.meta is not None
    page = sources_page(homework)
    citing = runs_citing(repo, homework)
    items = []
    for document in hw.sources.documents if hw.sources else []:
        facts = [f"<dt>What it is</dt><dd>{h(document.form)}</dd>"]
        if document.author:
            facts.append(f"<dt>Author</dt><dd>{h(document.author)}</dd>")
        if document.date:
            facts.append(f"<dt>Date</dt><dd>{h(document.date)}</dd>")
        if document.derived_from:
            facts.append(
                f"<dt>Made from</dt><dd>{source_link(page, homework, document.derived_from, 'the document above it')}</dd>"
            )
        runs = citing.get(document.file, [])
        listed = (
            ", ".join(f'<a href="{h(link(page, run_page(homework, r.id)))}">{h(r.label)}</a>' for r in runs) or "none"
        )
        facts.append(f"<dt>Runs made from it</dt><dd>{listed}</dd>")
        if document.file in published:
            file_href = link(page, source_file_url(homework, document.file))
            facts.append(f'<dt>File</dt><dd><a href="{h(file_href)}"><code>{h(document.file)}</code></a></dd>')
        else:
            facts.append(
                f"<dt>File</dt><dd><code>{h(document.file)}</code> (in the repository; not text, so not on the site)</dd>"
            )
        items.append(
            f'<section class="source-document" id="{h(source_anchor(document.file))}"><h2>{h(document.title)}</h2>'
            f"{render_prose(document.description)}<dl>{''.join(facts)}</dl></section>"
        )
    intro = (
        f"<p>The documents the runs of {h(hw.meta.title)} were copied from, each kept as it reached us. "
        f"Every run names the documents it came from; the answers on its page are quoted from them. "
        f'<a href="{h(link(page, homework_page(homework)))}">Back to {h(hw.meta.title)}</a>.</p>'
    )
    body = intro + ("".join(items) or "<p>No source documents yet.</p>")
    return (
        front_matter(f"Sources of {hw.meta.title}", f"Where the runs of {hw.meta.title} come from")
        + page_heading(f"Sources of {hw.meta.title}")
        + raw_block(body)
    )
