"""Untrusted text renders safely and faithfully."""

from __future__ import annotations

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
def test_unsafe_links_keep_their_text_and_lose_their_target(url: str) -> None:
    html = render_markdown(f"[click]({url})")
    assert "href" not in html
    assert "click" in html and "<code>" in html


def test_safe_links_are_kept_with_rel() -> None:
    html = render_markdown("[ok](https://example.org/?a=1&b=2)")
    assert 'href="https://example.org/?a=1&amp;b=2"' in html and "noopener" in html


def test_images_become_text() -> None:
    html = render_markdown("![diagram](http://example.org/x.png)")
    assert "<img" not in html and "[image: diagram]" in html and "http://example.org/x.png" in html


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


def test_heading_text_escape_blocks_markdown_and_attr_list() -> None:
    assert (
        escape_markdown_inline("T {: onclick=x} [l](u) <b> & $y$")
        == "T \\{&#58; onclick&#61;x\\} \\[l\\](u) &lt;b\\> &amp; \\$y\\$"
    )
