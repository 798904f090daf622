"""MkDocs hooks for the gallery. They only dispatch: all the work is in `gallery.site`.

MkDocs loads this file by path, so it imports the installed `gallery` package rather
than anything relative. Another engine (Zensical, ProperDocs) can build the same pages
after `gallery build`; only the nav splicing and the dirty-serve hint live here.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files

from gallery.problems import format_problems
from gallery.site import PAGES_WITH_PARTIALS, build_pages, nav_sections, splice_nav

log = logging.getLogger("mkdocs.plugins.gallery")

# -- Start of MkDocs hooks -------------------------------------------------------------------


def on_pre_build(config: MkDocsConfig) -> None:
    root = Path(config.config_file_path).resolve().parent
    result = build_pages(root)
    if result.problems:
        raise PluginError(
            "The gallery's data has problems; fix them (or run `gallery validate`):\n"
            + format_problems(result.problems, "text", files_checked=result.files_checked)
        )
    assert result.repo is not None
    config.nav = splice_nav(config.nav, nav_sections(result.repo))
    log.info("gallery: %d page(s) written, %d unchanged, %d removed", len(result.written), result.unchanged, len(result.removed))


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for src_uri in PAGES_WITH_PARTIALS:
        page = files.get_file_from_path(src_uri)
        if page is not None:
            page.content_string = page.content_string  # marks it modified for `serve --dirty`
    return files


# -- End of MkDocs hooks ---------------------------------------------------------------------
