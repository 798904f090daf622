"""`mkdocs serve` for the gallery: one rebuild (`serve_build`), what survives between rebuilds, and the watcher.

The hook module is re-imported with every configuration `mkdocs serve` loads; this module
is not, so state that must survive a rebuild lives here (`HOOK_STATE`): the last build's inputs,
the pages reading every run that render in the background (`DeferredPages`), the theme's
listing and compiled templates (`keep_theme_between_builds`). The data folders are watched by
file-system events rather than MkDocs' polling (`watch_by_events`), and hand-written pages that
include generated partials are rebuilt with them (`pages_to_refresh`).
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gallery.site.build import (
    GENERATED_DIR,
    PARTIALS,
    BuildResult,
    Content,
    Previous,
    build_pages,
    inputs_changed,
    write_changed,
)
from gallery.site.prerendered import Packed

log = logging.getLogger("mkdocs.plugins.gallery")

# Hand-written pages that include generated partials (pymdownx.snippets). `mkdocs serve
# --dirty` cannot see that dependency, so the hook marks a page modified when one of its
# partials was rewritten.
PAGES_WITH_PARTIALS: dict[str, tuple[str, ...]] = {
    "index.md": (f"{PARTIALS}/home.md",),
    "about.md": (f"{PARTIALS}/verdicts.md",),
    "contributing.md": (f"{PARTIALS}/verdicts.md", f"{PARTIALS}/file-format.md", f"{PARTIALS}/error-codes.md"),
}


def pages_to_refresh(written: list[str]) -> list[str]:
    """Hand-written pages whose included partials were just rewritten."""
    return [page for page, partials in PAGES_WITH_PARTIALS.items() if any(p in written for p in partials)]


class TemplateCache:
    """A Jinja bytecode cache kept in memory for the life of the process.

    `mkdocs serve` builds a new theme environment on every rebuild and so recompiles every
    template; with this cache only the first build compiles them. Used under serve only, so
    `mkdocs build` is measured as MkDocs itself would run it.
    """

    def __init__(self) -> None:
        import jinja2

        class _Memory(jinja2.BytecodeCache):
            def __init__(self) -> None:
                self.store: dict[str, bytes] = {}

            def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
                if bucket.key in self.store:
                    bucket.bytecode_from_string(self.store[bucket.key])

            def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
                self.store[bucket.key] = bucket.bytecode_to_string()

        self.cache = _Memory()


SERVE_TEMPLATE_CACHE = TemplateCache()


def keep_theme_between_builds() -> None:
    """Under `mkdocs serve`, list the theme's files and compile its templates once, not on every rebuild.

    Each build walks every file of the theme (Material ships 14,000, most of them icons) and
    matches each against MkDocs' patterns to find its static files, and compiles the templates
    the search plugin translates its labels with: about a third of a second that a one-page
    edit paid every time. The theme does not change while the server runs, so the listing per
    set of folders, the static files per filter, and compiled templates are kept.
    """
    import jinja2
    from mkdocs.theme import Theme

    if getattr(jinja2.FileSystemLoader.list_templates, "kept_by_gallery", False):
        return
    listing = jinja2.FileSystemLoader.list_templates
    filtering = jinja2.Environment.list_templates
    get_env = Theme.get_env
    kept: dict[tuple[str, ...], list[str]] = {}
    kept_filtered: dict[tuple[object, ...], list[str]] = {}

    def list_templates(self: jinja2.FileSystemLoader) -> list[str]:
        folders = tuple(str(folder) for folder in self.searchpath)
        if folders not in kept:
            kept[folders] = listing(self)
        return list(kept[folders])

    def list_filtered(
        self: jinja2.Environment, extensions: Any = None, filter_func: Callable[[str], bool] | None = None
    ) -> list[str]:
        loader = self.loader
        if extensions is not None or filter_func is None or not isinstance(loader, jinja2.FileSystemLoader):
            return filtering(self, extensions, filter_func)
        key = (tuple(str(folder) for folder in loader.searchpath), filter_func.__code__, _closure_key(filter_func))
        if key not in kept_filtered:
            kept_filtered[key] = filtering(self, extensions, filter_func)
        return list(kept_filtered[key])

    def theme_env(self: Theme) -> jinja2.Environment:
        env = get_env(self)
        env.bytecode_cache = SERVE_TEMPLATE_CACHE.cache
        return env

    list_templates.kept_by_gallery = True  # type: ignore[attr-defined]
    jinja2.FileSystemLoader.list_templates = list_templates  # type: ignore[method-assign]
    jinja2.Environment.list_templates = list_filtered  # type: ignore[method-assign]
    Theme.get_env = theme_env  # type: ignore[method-assign]


def _closure_key(function: Callable[..., Any]) -> tuple[object, ...]:
    """What a filter's result depends on besides the file name: for MkDocs' theme filter, the
    configuration's `theme.static_templates` (the configuration object is new on every rebuild)."""
    key: list[object] = []
    for cell in function.__closure__ or ():
        theme = getattr(cell.cell_contents, "theme", None)
        key.append(tuple(getattr(theme, "static_templates", ())) if theme is not None else id(cell.cell_contents))
    return tuple(key)


class DeferredPages:
    """Aggregate pages (analysis, models, data downloads) re-rendered after an edit's own pages are served.

    Under `mkdocs serve`, a rebuild renders the pages an edit is about and hands them to MkDocs;
    then `start` renders the pages that read every run of the homework in a background thread
    and writes them all at once, which makes MkDocs rebuild those. The next rebuild first calls
    `stop`: the thread is cancelled (what it rendered from the old data is dropped) and the pages
    it had not written are returned, for that rebuild to render from the new data. Only one of
    the rebuild and the thread renders at a time, so the renderers never run concurrently.
    """

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None
        self._cancel = threading.Event()
        self._pending: list[str] = []
        self.done = threading.Event()  # set when the last deferral has written its pages (tests wait on it)
        self.done.set()

    def start(self, docs_dir: Path, renderers: dict[str, Callable[[], Content]]) -> None:
        if not renderers:
            return
        self._cancel.clear()
        self.done.clear()
        self._pending = sorted(renderers)
        self._thread = threading.Thread(
            target=self._run, args=(docs_dir, renderers), name="gallery-deferred-pages", daemon=True
        )
        self._thread.start()

    def _run(self, docs_dir: Path, renderers: dict[str, Callable[[], Content]]) -> None:
        try:
            files = {}
            for src, render in sorted(renderers.items()):
                if self._cancel.is_set():
                    return
                files[src] = render()
            if not self._cancel.is_set():
                write_changed(docs_dir, files, None)
                self._pending = []
        finally:
            self.done.set()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self) -> frozenset[str]:
        """Cancel the thread; the pages it has not written, for the next rebuild to render."""
        self._cancel.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        left, self._pending = frozenset(self._pending), []
        return left


class HookState:
    """What the MkDocs hook keeps between events and rebuilds (the hook module itself is
    re-imported with every configuration `mkdocs serve` loads; this module is not)."""

    serving = False
    dirty = False  # `serve --dirty`: MkDocs rebuilds only the pages that changed
    written: list[str] = []
    whole_site = False  # the last build rendered every page: every page of the site is stale
    removed: list[str] = []  # generated pages the last build deleted
    previous = Previous()  # what the last serve build saw and made
    deferred = DeferredPages()
    deferred_renderers: dict[str, Callable[[], Content]] = {}
    notebook_files: dict[str, bytes] = {}  # path in the site -> a stylesheet or image taken out of a notebook page
    rebuilt_urls: set[str] = set()  # the pages this build converted (a dirty build converts only some)
    set_aside: dict[str, Packed] = {}  # page -> its HTML blocks, between Markdown conversion and rendering
    nonce = secrets.token_hex(6)  # makes the placeholders of set-aside blocks unguessable to page text
    watcher: Any = None  # the event observer of the data folders (`watch_by_events`), if the system gave one


HOOK_STATE = HookState()


def site_path_of(src_uri: str) -> str:
    """Where MkDocs writes a generated file (directory URLs): `gallery/hw11/runs/000.md` -> `gallery/hw11/runs/000/index.html`."""
    if not src_uri.endswith(".md"):
        return src_uri
    stem = src_uri[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return stem + ".html"
    return stem + "/index.html"


def serve_build(root: Path) -> BuildResult:
    """One `mkdocs serve` rebuild of the generated pages (see `build_pages`).

    The watcher also sees the pages this server writes, and rebuilds for them. When nothing the
    pages are made from changed, such a rebuild generates nothing and leaves the pages reading
    every run to go on rendering; otherwise it takes over what they had not written.
    """
    state = HOOK_STATE
    if state.deferred.running and not inputs_changed(root, state.previous):
        assert state.previous.nav is not None
        return BuildResult(
            root / "docs" / GENERATED_DIR, skipped=True, unchanged=len(state.previous.inputs), nav=state.previous.nav
        )
    left = state.deferred.stop()
    return build_pages(
        root,
        preview=True,
        previous=state.previous,
        defer_aggregates=state.dirty,  # a full rebuild would convert every page twice
        also=left,
    )


def watch_by_events(server: Any, config: Any) -> Any | None:
    """Have `mkdocs serve` watch the data folders by file-system events instead of polling them.

    MkDocs polls every watched folder twice a second: an edit waits a quarter of a second on
    average before the rebuild starts, and at course scale each poll walks thousands of files.
    The folders of mkdocs.yml's `watch:` are scheduled on an event observer (inotify on Linux,
    FSEvents on macOS) with MkDocs' own rebuild trigger, for changes only (reading a file is not
    a change); `docs/` and mkdocs.yml stay polled. Returns the observer, or None if the system
    refused it (then MkDocs polls those folders as usual).
    """
    from watchdog.events import (
        DirDeletedEvent,
        DirMovedEvent,
        FileClosedEvent,
        FileCreatedEvent,
        FileDeletedEvent,
        FileModifiedEvent,
        FileMovedEvent,
    )
    from watchdog.observers import Observer

    changes = [FileClosedEvent, FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent]
    changes += [DirDeletedEvent, DirMovedEvent]  # a run folder taken away at once

    class ChangesObserver(Observer):  # type: ignore[misc,valid-type]
        def schedule(self, event_handler: Any, path: Any, *, recursive: bool = False, **options: Any) -> Any:
            trigger = event_handler.on_any_event

            def on_any_event(event: Any) -> None:
                # MkDocs' trigger ignores folders; polling would have seen the folder's files go
                trigger(FileDeletedEvent(event.src_path) if event.is_directory else event)

            event_handler.on_any_event = on_any_event
            return super().schedule(event_handler, path, recursive=recursive, event_filter=changes)

    folders = [item for item in config.watch if os.path.isdir(item)]
    observer = ChangesObserver()
    polling, server.observer = server.observer, observer  # `server.watch` schedules on `server.observer`
    watched: list[str] = []
    try:
        for folder in folders:
            server.watch(folder)
            watched.append(folder)
        observer.start()
    except OSError as error:  # e.g. the system's limit of inotify watches
        for folder in watched:
            server.unwatch(folder)
        log.info("gallery: watching %s by polling (%s)", ", ".join(folders), error)
        return None
    finally:
        server.observer = polling
    config.watch[:] = [item for item in config.watch if item not in folders]
    return observer
