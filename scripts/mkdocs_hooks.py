"""MkDocs hooks for the gallery. They only dispatch: all the work is in `gallery.site.build`.

MkDocs loads this file by path, so it imports the installed `gallery` package rather
than anything relative. Another engine (Zensical, ProperDocs) can build the same pages
after `gallery build`; only the nav splicing and the `serve` conveniences live here.
"""

from __future__ import annotations

import logging
from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from gallery.data.problems import errors, format_problems
from gallery.data.repository import remember_parsed_files
from gallery.site.build import build_pages, splice_nav
from gallery.site.notebook_pages import clean_notebook_page
from gallery.site.serve import HOOK_STATE, SERVE_TEMPLATE_CACHE, pages_to_refresh

log = logging.getLogger("mkdocs.plugins.gallery")

# -- Start of MkDocs hooks -------------------------------------------------------------------


def on_startup(command: str, dirty: bool) -> None:
    HOOK_STATE.serving = command == "serve"
    remember_parsed_files(HOOK_STATE.serving)


def on_pre_build(config: MkDocsConfig) -> None:
    root = Path(config.config_file_path).resolve().parent
    result = build_pages(root, preview=HOOK_STATE.serving)
    if result.pending:  # a preview: every problem of the runs in progress is worth seeing
        for problem in result.problems:
            log.warning("gallery: %s", problem.as_text())
    else:  # warnings do not block the build, so they must not fail `mkdocs build --strict` either
        notes = [problem for problem in result.problems if not problem.is_error]
        if notes:
            log.info("gallery: %d warning(s), not blocking; `gallery validate` lists them", len(notes))
    if result.pending:
        log.warning("gallery: preview without the runs still in progress: %s", ", ".join(result.pending))
    elif errors(result.problems):
        raise PluginError(
            "The gallery's data has problems; fix them (or run `gallery validate`):\n"
            + format_problems(result.problems, "text", files_checked=result.files_checked)
        )
    config.nav = splice_nav(config.nav, result.nav)
    HOOK_STATE.written = result.written
    if result.skipped:
        log.info("gallery: %d page(s) up to date", result.unchanged)
    else:
        log.info(
            "gallery: %d page(s) written, %d unchanged, %d removed",
            len(result.written),
            result.unchanged,
            len(result.removed),
        )


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for src_uri in pages_to_refresh(HOOK_STATE.written):
        page = files.get_file_from_path(src_uri)
        if page is not None:
            page.content_string = page.content_string  # marks it modified for `serve --dirty`
    return files


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    if not page.file.src_uri.endswith(".ipynb"):
        return output
    depth = page.url.rstrip("/").count("/") + 1 if page.url else 0
    output, files = clean_notebook_page(output, "../" * depth)
    HOOK_STATE.notebook_files.update(files)
    return output


def on_post_build(config: MkDocsConfig) -> None:
    for name, data in sorted(HOOK_STATE.notebook_files.items()):
        target = Path(config.site_dir) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    if HOOK_STATE.serving:  # keep compiled theme templates across serve rebuilds
        env.bytecode_cache = SERVE_TEMPLATE_CACHE.cache
    return env


# -- End of MkDocs hooks ---------------------------------------------------------------------
