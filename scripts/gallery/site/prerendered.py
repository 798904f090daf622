"""Hand MkDocs the generated pages' HTML as it is, instead of having Python-Markdown parse it again.

The generator writes each page as Markdown headings (for the table of contents) between blocks of
HTML it has already rendered, each between `HTML_START` and `HTML_END` comments (`raw_block`).
Any engine converts such a page correctly: Python-Markdown passes raw HTML through. But to do so
it parses every block with an HTML parser, twice (MkDocs looks for anchors, Python-Markdown for
where the block ends), and that was most of a build's conversion time.

The MkDocs hook sets each block aside before conversion (`set_aside`: a placeholder paragraph
takes its place), and puts it back into the converted page (`put_back`). The result is the same
HTML, byte for byte (a test converts every page both ways); the anchors inside the blocks are
given back to MkDocs' link validation (`anchor_ids`). MkDocs converts every page before it
renders any; the blocks wait in between compressed (`pack`), and are put back just before the
page is rendered, so a build never holds every page's HTML at once. Pure functions; the hook
calls them.
"""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass, field

HTML_START = "<!-- gallery:html -->"
HTML_END = "<!-- /gallery:html -->"

_BLOCK = re.compile(re.escape(HTML_START) + r"\n.*?\n" + re.escape(HTML_END), re.DOTALL)
_PLACEHOLDER = "gallery-prerendered-{}-{}"
_ANCHOR = re.compile(r"<[a-zA-Z][^>]*?\s(?:id|name)=\"([^\"]+)\"")


_TAG = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(/?)>", re.DOTALL)
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


def one_element_per_line(html_text: str) -> str:
    """The HTML with a line break between top-level elements, where Python-Markdown would put one.

    Python-Markdown passes each top-level element of a raw block through on a line of its own;
    writing the block that way means the HTML is the same whether or not Markdown parses it.
    """
    depth, previous_end, cuts = 0, -1, []  # cuts: the gaps between top-level elements, replaced by "\n"
    for match in _TAG.finditer(html_text):
        closing, name, self_closing = match.groups()
        if closing:
            depth -= 1
            if depth < 0:  # unbalanced: leave the block as it is
                return html_text
        else:
            if depth == 0 and previous_end >= 0:
                gap = html_text[previous_end : match.start()]
                if not gap or gap.isspace():
                    cuts.append((previous_end, match.start()))
            if not (name is None or self_closing or name.lower() in _VOID):
                depth += 1
        previous_end = match.end()
    if not cuts:
        return html_text
    out, last = [], 0
    for start, end in cuts:
        out += [html_text[last:start], "\n"]
        last = end
    out.append(html_text[last:])
    return "".join(out)


def raw_block(html_text: str) -> str:
    """A block of rendered HTML as Markdown sees it: starting a line, surrounded by blank lines."""
    return f"\n{HTML_START}\n{one_element_per_line(html_text.strip(chr(10)))}\n{HTML_END}\n\n"


@dataclass
class SetAside:
    """A page's Markdown with its HTML blocks replaced by placeholders, and the blocks."""

    markdown: str
    blocks: dict[str, str] = field(default_factory=dict)  # placeholder paragraph's HTML -> the block


def set_aside(markdown: str, nonce: str) -> SetAside:
    """Replace each HTML block by a placeholder paragraph. `nonce` makes placeholders unique to the page;
    if the page's own text contains one (it never should), nothing is set aside."""
    if _PLACEHOLDER.format(nonce, "") in markdown:
        return SetAside(markdown)
    aside = SetAside("")
    pieces, last = [], 0
    for index, match in enumerate(_BLOCK.finditer(markdown)):
        token = _PLACEHOLDER.format(nonce, index)
        pieces += [markdown[last : match.start()], token]
        aside.blocks[f"<p>{token}</p>"] = match.group(0)
        last = match.end()
    pieces.append(markdown[last:])
    aside.markdown = "".join(pieces)
    return aside


def put_back(html: str, aside: SetAside) -> str:
    """The converted page with each placeholder paragraph replaced by its block.

    Python-Markdown follows a raw block's closing comment with a blank line; so does this.
    """
    if not aside.blocks:
        return html
    return re.sub(
        "(" + "|".join(re.escape(token) for token in aside.blocks) + ")(\n?)",
        lambda match: aside.blocks[match.group(1)] + ("\n\n" if match.group(2) else ""),
        html,
    )


def anchor_ids(aside: SetAside) -> set[str]:
    """The `id` (and `name`) attributes inside the blocks: targets of links MkDocs validates."""
    return {found for block in aside.blocks.values() for found in _ANCHOR.findall(block)}


@dataclass(frozen=True)
class Packed:
    """A page's blocks, compressed, and their anchors: what waits between conversion and rendering."""

    anchors: frozenset[str]
    blocks: bytes


def pack(aside: SetAside) -> Packed:
    return Packed(frozenset(anchor_ids(aside)), zlib.compress(json.dumps(aside.blocks).encode("ascii"), 1))


def unpack(packed: Packed) -> SetAside:
    """The blocks of `pack` (the Markdown is not kept: `put_back` needs only the blocks)."""
    return SetAside("", json.loads(zlib.decompress(packed.blocks)))
