"""Build the site with an engine that runs no hooks and no plugins: a plain MkDocs or Zensical.

MkDocs with `scripts/mkdocs_hooks.py` is the default engine: the hook generates the pages and
splices their navigation in. A successor engine (Zensical reads `mkdocs.yml` but runs neither
hooks nor plugins) gets the same site from the generator's output instead: `gallery build`
writes the pages, and `hookless_config` writes a copy of `mkdocs.yml` with the hook and the
notebook plugin removed, the generated navigation written out, and the notebooks rendered to
pages by the generator (nbconvert, as mkdocs-jupyter does) instead of by a plugin.
`make build ENGINE=zensical` and the benchmark's plain-MkDocs build use it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from gallery.data.repository import Repository
from gallery.site.build import nav_sections, prepare, splice_nav

NOTEBOOK_PAGES = "gallery/notebooks"  # under docs/: generated pages holding the rendered notebooks


def _strip_top_level(text: str, key: str) -> str:
    """`text` without the top-level YAML block `key:` (its line and every indented line after it)."""
    return re.sub(rf"^{key}:.*\n(?:(?:[ \t].*|)\n)*?(?=^\S)", "", text, flags=re.MULTILINE)


def render_notebook_page(notebook: Path) -> str:
    """A Markdown page holding a notebook rendered to HTML (outputs as saved; nothing is executed)."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="basic")
    body, _ = exporter.from_notebook_node(nbformat.read(str(notebook), as_version=4))
    title = next(
        (
            line.lstrip("# ").strip()
            for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
            if cell["cell_type"] == "markdown"
            for line in "".join(cell["source"]).split("\n")
            if line.startswith("# ")
        ),
        notebook.stem,
    )
    return f'---\ntitle: {json.dumps(title)}\n---\n\n<div class="jupyter-wrapper" markdown="0">\n{body}\n</div>\n'


def write_notebook_pages(root: Path) -> dict[str, str]:
    """Render every notebook under docs/notebooks/ to docs/gallery/notebooks/<name>.md; old -> new nav path."""
    out: dict[str, str] = {}
    folder = root / "docs" / NOTEBOOK_PAGES
    folder.mkdir(parents=True, exist_ok=True)
    for notebook in sorted((root / "docs" / "notebooks").glob("*.ipynb")):
        page = folder / f"{notebook.stem}.md"
        text = render_notebook_page(notebook)
        if not page.exists() or page.read_text(encoding="utf-8") != text:
            page.write_text(text, encoding="utf-8")
        out[f"notebooks/{notebook.name}"] = f"{NOTEBOOK_PAGES}/{notebook.stem}.md"
    return out


def _replace_paths(nav: Any, renames: dict[str, str]) -> Any:
    if isinstance(nav, list):
        return [_replace_paths(item, renames) for item in nav]
    if isinstance(nav, dict):
        return {key: _replace_paths(value, renames) for key, value in nav.items()}
    if isinstance(nav, str):
        return renames.get(nav, nav)
    return nav


def hookless_config(root: Path, repo: Repository, out: Path, *, site_dir: Path, notebooks: bool) -> Path:
    """Write `out`: mkdocs.yml without hooks (and, with `notebooks`, without the notebook plugin), its nav
    written out as the hook would splice it. The generated pages must already be in docs/."""
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    head, _, nav_text = text.partition("\nnav:\n")
    original_nav = yaml.safe_load("nav:\n" + nav_text)["nav"]
    nav = splice_nav(original_nav, nav_sections(prepare(repo)))
    head = _strip_top_level(head + "\n", "hooks")
    head = _strip_top_level(head, "watch")
    if notebooks:
        head = re.sub(r"^  - mkdocs-jupyter:\n(?:    .*\n)+", "", head, flags=re.MULTILINE)
        nav = _replace_paths(nav, write_notebook_pages(root))
        head = head.replace("exclude_docs: |\n", "exclude_docs: |\n  /notebooks/\n", 1)
    # paths relative to the config, which stays at the root: Zensical wants docs and site inside its project
    head += f"site_dir: {json.dumps(site_dir.resolve().relative_to(out.parent.resolve()).as_posix())}\n"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(head + yaml.safe_dump({"nav": nav}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out
