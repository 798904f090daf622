"""Untrusted text renders safely and faithfully."""

from __future__ import annotations

import markdown
import pytest

from gallery.site.render_text import escape_markdown_inline, render_markdown


def test_raw_html_is_shown_as_text() -> None:
    html = render_markdown("<script>alert(1)</script> and <b>bold</b>")
    assert "<script" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_ampersands_and_entities_display_literally() -> None:
    html = render_markdown("a & b, &amp; and `x &amp; y`")
    assert "a &amp; b, &amp;amp; and <code>x &amp;amp; y</code>" in html


def test_less_than_in_code_and_math_is_escaped_not_lost() -> None:
    html = render_markdown("`a < b` and $x < y$")
    assert "<code>a &lt; b</code>" in html
    assert '<span class="arithmatex">\\(x &lt; y\\)</span>' in html


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>x</b>", "vbscript:msgbox(1)"]
)
def test_unsafe_links_lose_their_target_and_show_as_written(url: str) -> None:
    html = render_markdown(f"[click]({url})")
    assert "href" not in html
    assert f'<span class="literal-markup">[click]({url.replace("<", "&lt;").replace(">", "&gt;")})</span>' in html


def test_safe_links_are_kept_with_rel() -> None:
    html = render_markdown("[ok](https://example.org/?a=1&b=2)")
    assert 'href="https://example.org/?a=1&amp;b=2"' in html and "noopener" in html


def test_images_become_the_markdown_that_was_written() -> None:
    html = render_markdown("![diagram](http://example.org/x.png)")
    assert html == '<p><span class="literal-markup">![diagram](http://example.org/x.png)</span></p>'


def test_attr_list_syntax_is_inert() -> None:
    html = render_markdown("**x**{ onclick=alert(1) }")
    assert "onclick=" not in html.replace("{ onclick=alert(1) }", "")
    assert "{ onclick=alert(1) }" in html


def test_headings_are_demoted() -> None:
    html = render_markdown("# Title\n\n## Sub")
    assert "<h1" not in html and "<h2" not in html
    assert '<p class="answer-heading"><strong>Title</strong></p>' in html


def test_display_math_and_tables_survive() -> None:
    html = render_markdown("$$\n\\frac{a}{b}\n$$\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert '<div class="arithmatex">' in html and "<table>" in html


HEADING_PAYLOADS = [
    "T {: onclick=x} [l](u) <b> & $y$",
    "\ufffe*x*{onmouseover=alert(1)}",
    "\ufffe[x](javascript:alert(1))",
    "x {tabindex=0 autofocus onfocus=alert(1)}",
    "**bold** `code` ~~s~~ :smile: | a | b | ^sup^ ==mark==",
]


@pytest.mark.parametrize("text", HEADING_PAYLOADS)
def test_heading_text_is_shown_as_written_by_markdown_with_attr_list(text: str) -> None:
    """What MkDocs does with a generated heading: the text comes out as written, with no markup."""
    import html as html_module

    md = markdown.Markdown(extensions=["attr_list", "toc", "pymdownx.arithmatex", "tables", "pymdownx.emoji"])
    rendered = md.convert("## " + escape_markdown_inline(text) + " {#fixed}")
    assert rendered.startswith('<h2 id="fixed">') and rendered.endswith("</h2>")
    inner = rendered[len('<h2 id="fixed">') : -len("</h2>")]
    assert "<" not in inner.replace("&lt;", "")  # no element at all inside the heading
    assert html_module.unescape(inner) == text


@pytest.mark.parametrize("title", ["\ufffe*x*{onmouseover=alert(1)}", "a\x85b\u2028c", "Q1: $x^2$ & <b>", "\x07bell"])
def test_front_matter_is_valid_yaml_whatever_the_title(title: str) -> None:
    """A title YAML cannot hold raw would make MkDocs read the front matter as page text."""
    import yaml

    from gallery.site.pages.common import front_matter
    from gallery.site.render_text import escape

    block = front_matter(title, "d").split("---\n")[1]
    assert yaml.safe_load(block)["title"] == escape(title)


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:f('a'))",
        '[x](javascript:f("a"))',
        "[x](http://a b)",
        "[**b**](data:text/html,<b>)",
        "![diagram](http://example.org/x.png)",
        "[x](vbscript:msgbox(1) 'title')",
    ],
)
def test_a_link_the_site_will_not_follow_is_shown_exactly_as_written(source: str) -> None:
    import html as html_module
    import re

    rendered = render_markdown(source)
    assert "<a " not in rendered and "<img" not in rendered
    text = html_module.unescape(re.sub(r"<[^>]+>", "", rendered))
    assert text == source


def test_a_followable_link_keeps_its_title_and_target() -> None:
    rendered = render_markdown('[x](https://example.org/a_b "the title")')
    assert 'href="https://example.org/a_b"' in rendered and 'title="the title"' in rendered


def test_character_references_show_as_written_whatever_private_use_characters_the_text_holds() -> None:
    import html as html_module
    import re

    source = "&lt; and &amp; " + "".join(chr(c) for c in range(0xE000, 0xE010))
    rendered = render_markdown(source)
    assert html_module.unescape(re.sub(r"<[^>]+>", "", rendered)) == source


def test_display_math_inside_a_paragraph_keeps_no_dollar_sign() -> None:
    """`$$...$$` within a line is display math; nothing of its delimiters shows as text."""
    html = render_markdown("With linear quantization\n$$r = S\\,(q - Z),$$\nwhere $S$ is the scale.")
    assert '<span class="arithmatex">\\[r = S\\,(q - Z),\\]</span>' in html
    assert "$" not in html
