"""Make mkdocs-jupyter's notebook pages light and offline.

mkdocs-jupyter inlines about 600 KB of Jupyter CSS into every notebook page, adds an empty
`<script src="">` (its MathJax URL option left blank), a MathJax configuration, and a
module script that imports mermaid from a CDN. `clean_notebook_page` takes the CSS out into
one shared stylesheet (named by its content's hash, so all notebooks share one cached file)
and drops the scripts the site does not use; notebook math is typeset by KaTeX instead
(see gallery.js). Pure functions; the MkDocs hook calls them and writes the stylesheet.
"""

from __future__ import annotations

import ast
import hashlib
import re

_STYLE = re.compile(r"<style[^>]*>(.*?)</style>\s*", re.DOTALL)
_EMPTY_SCRIPT = re.compile(r'<script src="">\s*</script>\s*')
_MATHJAX_CONFIG = re.compile(r'<script type="text/x-mathjax-config">.*?</script>\s*', re.DOTALL)
_CDN_MODULE = re.compile(
    r'<script type="module">(?:(?!</script>).)*?https://cdnjs\.cloudflare\.com.*?</script>\s*', re.DOTALL
)
_JUPYTER_MARKERS = ("jupyter-wrapper", "jp-", "linenos", "highlight")
# mkdocs-jupyter's template writes `<clipboard-copy for="cell-1", aria-label=...>`: the stray comma
# becomes an attribute named "," and aria-label sits on an element with no role; both are invalid
_CLIPBOARD = re.compile(r"<clipboard-copy\b([^>]*)>")
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')


def _fix_clipboard(match: re.Match[str]) -> str:
    attributes = dict(_ATTRIBUTE.findall(match.group(1)))
    target, label = attributes.get("for", ""), attributes.get("aria-label", "Copy to Clipboard")
    return f'<clipboard-copy for="{target}" role="button" tabindex="0" aria-label="{label}">'


def _css_text(block: str) -> str:
    """A style block's CSS; mkdocs-jupyter sometimes writes a Python list of CSS strings instead."""
    text = block.strip()
    if text.startswith("['") and text.endswith("']"):
        try:
            return "\n".join(str(item) for item in ast.literal_eval(text))
        except (ValueError, SyntaxError):
            return ""
    return text


def stylesheet_name(css: str) -> str:
    return f"assets/notebooks/{hashlib.sha256(css.encode('utf-8')).hexdigest()[:16]}.css"


_DATA_IMAGE = re.compile(r'src="data:image/(png|jpeg|gif|webp);base64,([A-Za-z0-9+/=\s]+)"')


def _extract_images(html: str, site_root_prefix: str) -> tuple[str, dict[str, bytes]]:
    """Inline base64 images -> files named by their content's hash (base64 neither compresses nor caches)."""
    import base64

    files: dict[str, bytes] = {}

    def replace(match: re.Match[str]) -> str:
        data = base64.b64decode(re.sub(r"\s", "", match.group(2)))
        name = f"assets/notebooks/{hashlib.sha256(data).hexdigest()[:16]}.{match.group(1)}"
        files[name] = data
        return f'src="{site_root_prefix}{name}"'

    return _DATA_IMAGE.sub(replace, html), files


def clean_notebook_page(html: str, site_root_prefix: str) -> tuple[str, dict[str, bytes]]:
    """(the page without its Jupyter CSS, inline images and unused scripts; the files they
    became, by path in the site). `site_root_prefix` leads from the page to the site root,
    e.g. "../../"."""
    blocks = [m for m in _STYLE.finditer(html) if any(marker in m.group(1) for marker in _JUPYTER_MARKERS)]
    css = "\n".join(_css_text(m.group(1)) for m in blocks)
    if blocks:
        link = f'<link rel="stylesheet" href="{site_root_prefix}{stylesheet_name(css)}">\n'
        pieces, last = [], 0
        for index, match in enumerate(blocks):
            pieces.append(html[last : match.start()])
            if index == 0:
                pieces.append(link)
            last = match.end()
        pieces.append(html[last:])
        html = "".join(pieces)
    for pattern in (_EMPTY_SCRIPT, _MATHJAX_CONFIG, _CDN_MODULE):
        html = pattern.sub("", html)
    html = _CLIPBOARD.sub(_fix_clipboard, html)
    html, files = _extract_images(html, site_root_prefix)
    if css:
        files[stylesheet_name(css)] = css.encode("utf-8")
    return html, files
