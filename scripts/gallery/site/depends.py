"""What each generated page is rendered from, so that a rebuild re-renders only what an edit touches.

Every data file has a key, a path in a small hierarchy (`file_key`):

    (hw, "homework")              solutions/<hw>/homework.yaml
    (hw, "question", n)           solutions/<hw>/q<n>.yaml
    (hw, "sources")               sources/<hw>/sources.yaml and every source document
    (hw, "run", run, "meta")      transcripts/<hw>/<run>/run.yaml
    (hw, "run", run, n)           transcripts/<hw>/<run>/q<n>.yaml
    (hw, "run", run, "other")     any other file in a run's folder (import leftovers)

A page declares what it reads as key prefixes (`gallery.site.build.site_map` does it where it
declares the page): `(hw,)` is every file of the homework, `(hw, "run", run)` every file of one
run. A page is re-rendered when the key of a changed file starts with one of its prefixes
(`affected_pages`). What the keys cannot express makes every page stale: the generator's code
and the renderers' versions, a file the layout does not know, and any change to the navigation
or to the set of pages (every page carries the navigation); the caller checks those.

Pages that read every run of a homework, or more runs than a grid page shows (analysis pages,
model pages, the data downloads), are *aggregates*: under `mkdocs serve` they are re-rendered after the pages an edit is about, so
the edited answer shows first (`is_aggregate`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from gallery.data.layout import SOURCE_DOCUMENT, classify, is_ignorable
from gallery.site.pages.common import RUNS_PER_GRID_PAGE

Key = tuple[str | int, ...]


# -- keys of data files, and the prefixes pages declare ---------------------------------------------


def everything_of(homework: str) -> Key:
    return (homework,)


def homework_meta(homework: str) -> Key:
    return (homework, "homework")


def all_questions(homework: str) -> Key:
    return (homework, "question")


def question(homework: str, number: int) -> Key:
    return (homework, "question", number)


def sources_of(homework: str) -> Key:
    return (homework, "sources")


def all_runs(homework: str) -> Key:
    return (homework, "run")


def whole_run(homework: str, run: str) -> Key:
    return (homework, "run", run)


def run_meta(homework: str, run: str) -> Key:
    return (homework, "run", run, "meta")


def run_answers(homework: str, run: str, number: int) -> Key:
    return (homework, "run", run, number)


def file_key(rel: str) -> Key | None:
    """The key of a data file (a repository-relative path), or None if the layout does not know it."""
    where = classify(rel)
    if where is None:
        return None
    if where.kind == "homework":
        return homework_meta(where.homework)
    if where.kind == "question" and where.question is not None:
        return question(where.homework, where.question)
    if where.kind in ("sources", SOURCE_DOCUMENT):
        return sources_of(where.homework)
    if where.run is None:
        return None
    if where.kind == "run":
        return run_meta(where.homework, where.run)
    if where.kind == "run-question" and where.question is not None:
        return run_answers(where.homework, where.run, where.question)
    return (*whole_run(where.homework, where.run), "other")


def run_folder_key(rel: str) -> Key | None:
    """A file in a run's folder that is not one of its data files (leftovers of an import)."""
    parts = rel.split("/")
    if len(parts) == 4 and parts[0] == "transcripts":
        return (*whole_run(parts[1], parts[2]), "other")
    return None


# -- which pages an edit touches -----------------------------------------------------------------------


def reads(prefixes: Iterable[Key], key: Key) -> bool:
    """Whether a page declaring `prefixes` reads the file whose key is `key`."""
    return any(key[: len(prefix)] == prefix for prefix in prefixes)


def affected_pages(inputs: Mapping[str, frozenset[Key]], changed: Iterable[str]) -> set[str] | None:
    """The pages that read any of the `changed` files (repository-relative paths).

    None when a changed file has no key: then no page can be trusted and all are re-rendered.
    """
    keys = []
    for rel in changed:
        if is_ignorable(rel):  # the folders' README files: read by nobody
            continue
        key = file_key(rel) or run_folder_key(rel)
        if key is None:
            return None
        keys.append(key)
    return {page for page, prefixes in inputs.items() if any(reads(prefixes, key) for key in keys)}


def is_aggregate(prefixes: Iterable[Key], most_runs: int = RUNS_PER_GRID_PAGE) -> bool:
    """Whether a page reads every run of a homework, or more runs than `most_runs` (a grid page's worth)."""
    prefixes = list(prefixes)
    if any(len(prefix) == 1 or prefix[1:] == ("run",) for prefix in prefixes):
        return True
    return len({prefix[:3] for prefix in prefixes if len(prefix) >= 3 and prefix[1] == "run"}) > most_runs
