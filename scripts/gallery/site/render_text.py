"""Turn data text into safe HTML: Markdown fields, one-line titles, and heading text.

All text in the data is untrusted (model answers, annotators' notes, titles, model
names). It is rendered here, by the generator, never by MkDocs, so the site is safe with
any engine and no MkDocs extension (attr_list, md_in_html) ever sees it:

* Markdown is rendered with raw HTML and entities switched off, so `<script>` or
  `&amp;` written in an answer is shown as those characters, not interpreted;
* headings inside an answer become bold paragraphs, so an answer cannot add entries to
  the page's table of contents or break its heading outline;
* math is wrapped by arithmatex (`<span class="arithmatex">\\(...\\)</span>`) and
  typeset later by KaTeX with `trust` off;
* the result goes through nh3 (Ammonia) with a small allowlist as a second line of
  defence: only http, https and mailto links survive, and no attribute but a few
  classes, `href`, `title` and table alignment.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from functools import lru_cache

import markdown
import nh3
from markdown.inlinepatterns import ImageInlineProcessor, InlineProcessor, LinkInlineProcessor
from markdown.treeprocessors import Treeprocessor

from gallery.data import prose

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "del",
    "ins",
    "sub",
    "sup",
    "code",
    "pre",
    "kbd",
    "blockquote",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "a",
    "span",
    "div",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
# nh3 filters `class` values per tag here (and then `class` must not be in ALLOWED_ATTRIBUTES)
ALLOWED_CLASSES = {
    "span": {"arithmatex", "literal-markup"},
    "div": {"arithmatex"},
    "p": {"answer-heading"},
    "code": {
        "language-" + name
        for name in (
            "python",
            "py",
            "text",
            "bash",
            "sh",
            "latex",
            "tex",
            "math",
            "json",
            "yaml",
            "c",
            "cpp",
            "java",
            "javascript",
            "js",
            "r",
            "matlab",
            "plaintext",
        )
    },
}
URL_SCHEMES = {"http", "https", "mailto"}


class _DemoteHeadings(Treeprocessor):
    """h1-h6 inside untrusted text -> <p class="answer-heading"><strong>...</strong></p>."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
                strong = etree.Element("strong")
                strong.text, element.text = element.text, None
                strong.extend(list(element))
                for child in list(element):
                    element.remove(child)
                element.tag = "p"
                element.attrib.clear()
                element.set("class", "answer-heading")
                element.append(strong)


def _is_allowed_url(url: str) -> bool:
    scheme = re.match(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):", url)
    return scheme is None or scheme.group(1).lower() in URL_SCHEMES


class _LinksAndImagesAsText(Treeprocessor):
    """Keep what a reader should see of a link or image the site will not follow or load.

    A link with a scheme other than http, https or mailto (javascript:, data:, vbscript:)
    becomes its text followed by the URL in code; an image (the site loads no image from
    data) becomes "[image: alt]" followed by its URL in code. Nothing is silently dropped.
    """

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag == "img":
                    replacement = etree.Element("span")
                    replacement.text = f"[image: {child.get('alt', '')}] "
                    code = etree.SubElement(replacement, "code")
                    code.text = child.get("src", "")
                elif child.tag == "a" and not _is_allowed_url(child.get("href", "")):
                    replacement = etree.Element("span")
                    replacement.text = child.text
                    replacement.extend(list(child))
                    code = etree.SubElement(replacement, "code")
                    code.text = child.get("href", "")
                    code.tail = None
                    if len(replacement) > 1:
                        replacement[-2].tail = (replacement[-2].tail or "") + " "
                    else:
                        replacement.text = (replacement.text or "") + " "
                else:
                    continue
                replacement.tail = child.tail
                parent.remove(child)
                parent.insert(index, replacement)


_FOLLOWABLE = re.compile(r"^[^\s<>\"'`\\]*$")


def _is_followable(url: str) -> bool:
    """A URL the site may link to as it is: an allowed scheme (or none), and nothing the sanitiser would strip."""
    return _is_allowed_url(url) and bool(_FOLLOWABLE.match(url))


class _LiteralUnlessFollowable(LinkInlineProcessor):
    """An inline link whose target the site will not follow is shown exactly as written.

    `[x](javascript:f('a'))` stays those characters, title-like quotes and all, instead of a
    link, a dead link, or a link text with part of its target lost.
    """

    def __init__(self, pattern: str, md: markdown.Markdown, *, prose: bool) -> None:
        super().__init__(pattern, md)
        self.prose = prose

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element | str | None, int | None, int | None]:
        element, start, end = super().handleMatch(m, data)
        if element is None or start is None or end is None:
            return element, start, end
        if self.prose and (reference := prose.TARGET.match(element.get("href", ""))):
            # resolved per page by gallery.site.links, which knows where the page is
            fragment = f":{reference['fragment']}" if reference["fragment"] else ""
            element.set("href", f"{REFERENCE_MARK}{reference['scheme']}:{reference['target']}{fragment}")
            return element, start, end
        if _is_followable(element.get("href", "")):
            return element, start, end
        return _literal(data[start:end]), start, end


# `run:` and `source:` links in our own prose (gallery.data.prose) become `#gallery-ref:...`
# placeholders here; any other text shows them as written, like any link the site will not follow.
REFERENCE_MARK = "#gallery-ref:"


class _ImageAsLiteral(ImageInlineProcessor):
    """The site loads no image from the data: an image is shown as the Markdown that was written."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element | str | None, int | None, int | None]:
        element, start, end = super().handleMatch(m, data)
        if element is None or start is None or end is None:
            return element, start, end
        return _literal(data[start:end]), start, end


class _InlineDisplayMath(InlineProcessor):
    """`$$...$$` inside a paragraph: display math, as its author meant, not `$` + inline math + `$`.

    arithmatex only takes `$$` as display math when it stands in a block of its own; within a
    line its inline pattern would typeset the inside and leave a literal `$` on each side.
    """

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:
        element = etree.Element("span")
        element.set("class", "arithmatex")
        element.text = markdown.util.AtomicString(f"\\[{m.group(1)}\\]")
        return element, m.start(0), m.end(0)


INLINE_DISPLAY_MATH = r"(?<!\\)\$\$(?!\$)(.+?)(?<!\\)\$\$"


def _literal(source: str) -> etree.Element:
    span = etree.Element("span")
    span.set("class", "literal-markup")
    span.text = markdown.util.AtomicString(source)
    return span


def _new_markdown(*, prose: bool = False) -> markdown.Markdown:
    md = markdown.Markdown(
        extensions=["tables", "fenced_code", "sane_lists", "pymdownx.arithmatex", "pymdownx.tilde"],
        extension_configs={
            "pymdownx.arithmatex": {"generic": True},
            "pymdownx.tilde": {"subscript": False},
        },
        output_format="html",
    )
    # No raw HTML and no character references: "<b>" and "&amp;" in data are text.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.inlinePatterns.deregister("entity")
    md.inlinePatterns.register(_InlineDisplayMath(INLINE_DISPLAY_MATH, md), "inline-display-math", 189.95)
    md.inlinePatterns.register(_LiteralUnlessFollowable(markdown.inlinepatterns.LINK_RE, md, prose=prose), "link", 160)
    md.inlinePatterns.register(_ImageAsLiteral(markdown.inlinepatterns.IMAGE_LINK_RE, md), "image_link", 150)
    md.treeprocessors.register(_DemoteHeadings(md), "demote_headings", 5)
    md.treeprocessors.register(_LinksAndImagesAsText(md), "links_and_images_as_text", 4)
    return md


_MARKDOWN = _new_markdown()
_PROSE_MARKDOWN = _new_markdown(prose=True)


def sanitize(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )


# Python-Markdown leaves anything shaped like a character reference ("&amp;") unescaped in
# text, so "&amp;" written in an answer would show as "&". Every "&" is swapped for a
# private-use character before conversion and back to "&amp;" after, which is also the
# right escape inside code and math.
_AMPERSAND_STANDINS = tuple(chr(code) for code in range(0xE000, 0xF900))  # the private-use area: one is always free


@lru_cache(maxsize=8192)
def render_markdown(text: str, *, prose: bool = False) -> str:
    """Untrusted Markdown (with LaTeX) -> sanitized HTML fragment. Pure and cached.

    With `prose` (our own text: references, notes, reasons), `run:` and `source:` links are
    kept as placeholders for `gallery.site.links` to resolve; elsewhere they show as written.
    """
    standin = next((c for c in _AMPERSAND_STANDINS if c not in text), None) if "&" in text else None
    source = text.replace("&", standin) if standin else text
    md = _PROSE_MARKDOWN if prose else _MARKDOWN
    md.reset()
    rendered = md.convert(source)
    if standin:
        rendered = rendered.replace(standin, "&amp;")
    return sanitize(rendered)


def render_prose(text: str) -> str:
    """Our own Markdown (statements, references, notes): math, and links to runs and sources."""
    return render_markdown(text, prose=True)


def render_prose_line(text: str) -> str:
    """One line of our own text (a reason, a title, a description) as inline HTML: math and links, no paragraph."""
    rendered = render_markdown(text, prose=True).strip()
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        return rendered[3:-4]
    return rendered


def escape(text: str) -> str:
    """Plain text for an HTML context (element content or a quoted attribute)."""
    return html.escape(text, quote=True)


_PLAIN = re.compile(r"[A-Za-z0-9 ]|[^\x00-\x7f]")


def escape_markdown_inline(text: str) -> str:
    """Plain text for a Markdown heading: shown as written, never parsed as syntax.

    Every ASCII character but letters, digits and spaces is written as a numeric character
    reference, so no Markdown extension (emphasis, links, attribute lists, math, emoji,
    tables) can see a delimiter in it, whatever the text holds.
    """
    return "".join(ch if _PLAIN.match(ch) else f"&#{ord(ch)};" for ch in text)


# $...$ in a one-line title (a part's title may name a matrix: "Reading four toy $W_{QK}$ matrices")
_TITLE_MATH = re.compile(r"(?<!\\)\$([^$\n]+?)(?<!\\)\$")


def _title_pieces(text: str) -> list[tuple[bool, str]]:
    """(is math, text) pieces of a title; a `$` that does not close a formula stays text."""
    pieces, pos = [], 0
    for match in _TITLE_MATH.finditer(text):
        tex = match.group(1)
        if not tex.strip() or "\\)" in tex:
            continue
        pieces += [(False, text[pos : match.start()]), (True, tex)]
        pos = match.end()
    pieces.append((False, text[pos:]))
    return [(math, piece) for math, piece in pieces if piece]


def heading_markdown(text: str) -> str:
    """A title for a Markdown heading: text shown as written, `$...$` typeset as math (arithmatex reads `\\(...\\)`)."""
    return "".join(f"\\({piece}\\)" if math else escape_markdown_inline(piece) for math, piece in _title_pieces(text))


def heading_html(text: str) -> str:
    """A title as HTML (a raw h1, a table cell): text escaped, `$...$` as math for KaTeX."""
    return "".join(
        f'<span class="arithmatex">\\({escape(piece)}\\)</span>' if math else escape(piece)
        for math, piece in _title_pieces(text)
    )


def plain_title(text: str) -> str:
    """A title with its math as plain text, for a browser tab or a nav entry: "$W_{QK}$" -> "W_QK"."""
    return "".join(re.sub(r"[{}]", "", piece) if math else piece for math, piece in _title_pieces(text))
