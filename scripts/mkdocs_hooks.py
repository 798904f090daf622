"""MkDocs hooks for the gallery. They only dispatch: all the work is in `gallery.site.build`.

MkDocs loads this file by path, so it imports the installed `gallery` package rather
than anything relative. Another engine (Zensical, ProperDocs) can build the same pages
after `gallery build`; only the nav splicing and the `serve` conveniences live here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from gallery.data.problems import errors, format_problems
from gallery.data.repository import remember_parsed_files
from gallery.site.build import build_pages, splice_nav
from gallery.site.notebook_pages import clean_notebook_page
from gallery.site.pages.common import GENERATED_DIR
from gallery.site.prerendered import pack, put_back, set_aside, unpack
from gallery.site.search_index import add_title_entry, merge_after_dirty_build
from gallery.site.serve import (
    HOOK_STATE,
    keep_theme_between_builds,
    pages_to_refresh,
    serve_build,
    site_path_of,
    watch_by_events,
)

log = logging.getLogger("mkdocs.plugins.gallery")

# -- Start of MkDocs hooks -------------------------------------------------------------------


def on_startup(command: str, dirty: bool) -> None:
    HOOK_STATE.serving = command == "serve"
    HOOK_STATE.dirty = dirty
    remember_parsed_files(HOOK_STATE.serving)
    if HOOK_STATE.serving:
        keep_theme_between_builds()


def on_pre_build(config: MkDocsConfig) -> None:
    root = Path(config.config_file_path).resolve().parent
    result = serve_build(root) if HOOK_STATE.serving else build_pages(root)
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
    HOOK_STATE.whole_site, HOOK_STATE.removed = result.whole_site, result.removed
    HOOK_STATE.deferred_renderers = result.deferred
    if result.skipped:
        log.info("gallery: %d page(s) up to date", result.unchanged)
    else:
        log.info(
            "gallery: %d page(s) written, %d unchanged, %d removed%s",
            len(result.written),
            result.unchanged,
            len(result.removed),
            f"; {len(result.deferred)} page(s) reading every run follow" if result.deferred else "",
        )


def on_files(files: Files, config: MkDocsConfig) -> Files:
    if HOOK_STATE.serving and HOOK_STATE.whole_site:  # new navigation: every page of a dirty build is stale
        stale = list(files.documentation_pages())
    else:
        stale = [file for src in pages_to_refresh(HOOK_STATE.written) if (file := files.get_file_from_path(src))]
    for file in stale:
        file.is_modified = _always  # type: ignore[method-assign]  # rebuilt by `serve --dirty`, its source untouched
    return files


def _always() -> bool:
    return True


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not page.file.src_uri.startswith(f"{GENERATED_DIR}/"):
        return markdown
    aside = set_aside(markdown, HOOK_STATE.nonce)
    HOOK_STATE.set_aside[page.file.src_uri] = pack(aside)
    return aside.markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    HOOK_STATE.rebuilt_urls.add(page.url)
    if (page.meta.get("search") or {}).get("exclude") and page.file.src_uri.startswith(f"{GENERATED_DIR}/"):
        add_title_entry(config.plugins, page.url, page.meta)
    packed = HOOK_STATE.set_aside.get(page.file.src_uri)
    if packed is not None and page.present_anchor_ids is not None:
        page.present_anchor_ids |= packed.anchors
    return html


@event_priority(100)  # before the search plugin reads the page's text
def on_page_context(context: TemplateContext, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
    packed = HOOK_STATE.set_aside.pop(page.file.src_uri, None)
    if packed is None or page.content is None:
        return context
    page.content = put_back(page.content, unpack(packed))
    if HOOK_STATE.nonce in page.content:
        raise PluginError(f"gallery: a block of {page.file.src_uri} was not put back into the page")
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    if page.file.src_uri.startswith(f"{GENERATED_DIR}/"):
        page.content = None  # written: held to the end of the build, every page's HTML would be in memory at once
    if not page.file.src_uri.endswith(".ipynb"):
        return output
    depth = page.url.rstrip("/").count("/") + 1 if page.url else 0
    output, files = clean_notebook_page(output, "../" * depth)
    HOOK_STATE.notebook_files.update(files)
    return output


@event_priority(100)  # before the search plugin writes its index
def on_post_build(config: MkDocsConfig) -> None:
    site_dir = Path(config.site_dir)
    for name, data in sorted(HOOK_STATE.notebook_files.items()):
        target = site_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    if HOOK_STATE.serving:
        merge_after_dirty_build(config.plugins, HOOK_STATE.rebuilt_urls, whole_site=HOOK_STATE.whole_site)
        HOOK_STATE.rebuilt_urls = set()
        for src_uri in HOOK_STATE.removed:  # a dirty build leaves a deleted page's HTML behind
            (site_dir / site_path_of(src_uri)).unlink(missing_ok=True)
        HOOK_STATE.deferred.start(Path(config.docs_dir), HOOK_STATE.deferred_renderers)
        HOOK_STATE.deferred_renderers = {}


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: Callable[..., None]) -> LiveReloadServer:
    HOOK_STATE.watcher = watch_by_events(server, config)
    return server


def on_shutdown() -> None:
    HOOK_STATE.deferred.stop()  # let a deferred render end before the process does
    if HOOK_STATE.watcher is not None:
        HOOK_STATE.watcher.stop()


# -- End of MkDocs hooks ---------------------------------------------------------------------
