"""What the MkDocs hook keeps between `mkdocs serve` rebuilds, and which hand-written pages an edit touches.

The hook module is re-imported with every configuration `mkdocs serve` loads; this module
is not, so state that must survive a rebuild lives here.
"""

from __future__ import annotations

from gallery.site.build import PARTIALS

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


class HookState:
    """What the MkDocs hook keeps between events and rebuilds (the hook module itself is
    re-imported with every configuration `mkdocs serve` loads; this module is not)."""

    serving = False
    written: list[str] = []
    notebook_files: dict[str, bytes] = {}  # path in the site -> a stylesheet or image taken out of a notebook page


HOOK_STATE = HookState()
