"""Our prose cites runs and source documents by link: parsing, resolving, and what readers see."""

from __future__ import annotations

import re

import pytest

from conftest import REPO_ROOT
from gallery.data import prose
from gallery.rules import load_repository
from gallery.site.build import generate, prepare
from gallery.site.links import resolve_links
from gallery.site.render_text import render_markdown, render_prose, render_prose_line


def test_references_are_found_with_their_parts() -> None:
    text = "As [](run:a-run#5h) says, [the chat](source:000_x.txt) and [](run:b) do not."
    found = list(prose.references(text))
    assert [(r.scheme, r.target, r.fragment, r.text) for r in found] == [
        ("run", "a-run", "5h", ""),
        ("source", "000_x.txt", None, "the chat"),
        ("run", "b", None, ""),
    ]
    assert text[found[1].offset :].startswith("[the chat]")
    assert prose.fragment_question("2c-ii") == 2
    assert prose.fragment_question("nonsense") is None


@pytest.mark.parametrize(
    "text, words",
    [
        ("as seed 000 summarises it", ["seed 000"]),
        ("Seeds 000 and 002 agree", ["Seeds 000"]),
        ("the seed cuts the answer off", ["the seed"]),
        ("No seed reports it", ["No seed"]),
        ("see `002_5176d623403ae4bf.utf8-repaired.txt`", ["002_5176d623403ae4bf.utf8-repaired.txt"]),
        ("see [the print](source:002_5176d623403ae4bf.txt)", []),  # a link is how it should be written
        ("averaging over seeds helps", []),  # a random seed is not a document
    ],
)
def test_internal_names_are_found_outside_links(text: str, words: list[str]) -> None:
    assert [finding.words for finding in prose.internal_names(text)] == words


def test_schema_words_are_found() -> None:
    text = "the key items also_accept 2; flip `optional` on them"
    assert [f.words for f in prose.schema_words(text)] == ["key items", "also_accept", "`optional`"]


def test_prose_links_become_placeholders_and_other_text_shows_them_as_written() -> None:
    assert 'href="#gallery-ref:run:a-run:5h"' in render_prose("See [](run:a-run#5h).")
    untrusted = render_markdown("See [](run:a-run#5h).")
    assert "gallery-ref" not in untrusted and "[](run:a-run#5h)" in untrusted
    assert render_prose_line("why: $x^2$ and [](run:r)").startswith("why: <span")  # inline, no paragraph


@pytest.fixture(scope="module")
def real_repo():  # type: ignore[no-untyped-def]
    return prepare(load_repository(REPO_ROOT))


def test_links_resolve_to_labels_answers_and_the_sources_page(real_repo) -> None:  # type: ignore[no-untyped-def]
    page = "gallery/hw11/questions/q5.md"
    html_text = render_prose(
        "[](run:004-kimi-k2-screenshots#5h), [its write-up](source:004_aa634730837e9106.txt), "
        "[](source:004_aa634730837e9106.txt) and [](run:002-chatgpt)"
    )
    resolved = resolve_links(html_text, page, real_repo)
    assert '<a href="#5h--004-kimi-k2-screenshots">Kimi K2 · screenshots</a>' in resolved
    assert '<a href="../../sources/#source-004-aa634730837e9106-txt">its write-up</a>' in resolved
    assert ">HW11 writing -- KIMI K2</a>" in resolved
    assert '<a href="../../runs/002-chatgpt/">ChatGPT · PDF, one-shot</a>' in resolved
    assert "gallery-ref" not in resolved


def test_a_link_to_nothing_shows_its_words_without_a_link(real_repo) -> None:  # type: ignore[no-untyped-def]
    resolved = resolve_links(render_prose("[the lost run](run:gone) and [](run:gone)"), "gallery/hw11/x.md", real_repo)
    assert '<span class="unresolved-link">the lost run</span>' in resolved
    assert '<span class="unresolved-link">gone</span>' in resolved


def test_no_public_page_names_a_source_file_or_a_seed(real_repo) -> None:  # type: ignore[no-untyped-def]
    """Readers see run labels and document titles; the Sources page alone gives file names."""
    file_name = re.compile(r"\b[0-9]{3}_[0-9a-f]{16}\b")
    for src, text in generate(real_repo).items():
        if not src.endswith(".md") or src.endswith("/sources.md") or "/sources/" in src or "/data/" in src:
            continue
        visible = re.sub(r'(?:href|id)="[^"]*"', "", text)  # link targets and anchors may hold the name
        assert not file_name.search(visible), f"{src} names a source file"
        assert not re.search(r"\b[Ss]eeds? [0-9]{3}\b", visible), f"{src} says 'seed NNN'"
        assert "gallery-ref" not in text, f"{src} has an unresolved link"
