"""Handing MkDocs the generated pages' HTML as it is gives the same pages as converting them."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from mkdocs.config import load_config

from conftest import REPO_ROOT
from gallery.rules import load_repository
from gallery.site import prerendered
from gallery.site.build import generate, prepare
from test_xss import generate_tree, load_payloads


@pytest.fixture(scope="module")
def converter() -> markdown.Markdown:
    config = load_config(str(REPO_ROOT / "mkdocs.yml"))
    return markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])


def _pages(root: Path) -> dict[str, str]:
    files = generate(prepare(load_repository(root)))
    return {src: text.split("\n---\n", 1)[-1] for src, text in files.items() if src.endswith(".md")}


@pytest.fixture(scope="module", params=["real data", "hostile data"])
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    if request.param == "real data":
        return _pages(REPO_ROOT)
    root = tmp_path_factory.mktemp("hostile") / "repo"
    generate_tree(root, load_payloads())  # every payload of the XSS corpus in every field
    return _pages(root)


def test_every_generated_page_converts_to_the_same_html_with_its_blocks_set_aside(
    converter: markdown.Markdown, generated: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO_ROOT)  # the snippets extension reads from docs/
    assert len(generated) > 20
    for src, text in sorted(generated.items()):
        whole = converter.reset().convert(text)
        aside = prerendered.set_aside(text, "t1")
        assert aside.blocks or prerendered.HTML_START not in text, src
        converted = converter.reset().convert(aside.markdown)
        fast = prerendered.put_back(converted, prerendered.unpack(prerendered.pack(aside)))  # as the hook keeps them
        assert fast == whole, src


def test_the_anchors_inside_the_blocks_are_found() -> None:
    page = "## Part {#a}\n" + prerendered.raw_block('<div id="x"><a name="y" href="#a">a</a><p>id="no"</p></div>')
    aside = prerendered.set_aside(page, "n")
    assert prerendered.anchor_ids(aside) == {"x", "y"}
    assert prerendered.pack(aside).anchors == {"x", "y"}
    assert prerendered.HTML_START not in aside.markdown and "<div" not in aside.markdown


def test_a_page_that_contains_a_placeholder_is_left_whole() -> None:
    page = "gallery-prerendered-n- in a heading\n" + prerendered.raw_block("<p>x</p>")
    assert prerendered.set_aside(page, "n").markdown == page


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>a <b>b</b></p><div>c</div>", "<p>a <b>b</b></p>\n<div>c</div>"),
        ("<p>a</p>  \n  <p>b</p>", "<p>a</p>\n<p>b</p>"),
        ("<pre><code>x\n\n<b>y</b></code></pre><hr><p>z</p>", "<pre><code>x\n\n<b>y</b></code></pre>\n<hr>\n<p>z</p>"),
        ("<!-- c --><p>t</p>", "<!-- c -->\n<p>t</p>"),
        ("<p>unbalanced</div></p>", "<p>unbalanced</div></p>"),
    ],
)
def test_top_level_elements_go_on_lines_of_their_own_and_nothing_else_changes(html: str, expected: str) -> None:
    assert prerendered.one_element_per_line(html) == expected
