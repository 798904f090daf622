"""Where data lives in the repository, and what each path means.

The file name is the id: `solutions/hw11/q5.yaml` is question 5 of hw11, and
`transcripts/hw11/kimi-k2-screenshots/q2.yaml` is that run's entries for question 2.
`sources/hw11/` holds the source documents the runs were copied from, as they reached us,
and `sources/hw11/sources.yaml` says what each one is. This module is the only one that
builds data paths; it only reads paths and never opens a file.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Final, Literal

FileKind = Literal["homework", "question", "run", "run-question", "sources"]
SOURCE_DOCUMENT: Final = (
    "source-document"  # a file under sources/<hw>/ other than sources.yaml: kept as it is, never parsed
)

SOLUTIONS = "solutions"
TRANSCRIPTS = "transcripts"
SOURCES = "sources"
SOURCES_FILE = "sources.yaml"
DATA_ROOTS = (SOLUTIONS, TRANSCRIPTS, SOURCES)
SCHEMA_DIR = "schemas"
NOTEBOOK_DIR = "docs/notebooks"

SCHEMA_FILES: dict[FileKind, str] = {
    "homework": "homework.schema.json",
    "question": "question.schema.json",
    "run": "run.schema.json",
    "run-question": "run-question.schema.json",
    "sources": "sources.schema.json",
}

_QUESTION_FILE = re.compile(r"^q([1-9][0-9]?)\.yaml$")
# README files explain the folders to contributors; they are not data
_ALLOWED_NON_DATA = {"solutions/README.md", "transcripts/README.md", "sources/README.md"}


@dataclass(frozen=True)
class DataPath:
    """What a data file's path says about it."""

    rel: str
    kind: FileKind | Literal["source-document"]
    homework: str
    run: str | None = None
    question: int | None = None


@lru_cache(maxsize=65536)  # asked of every data file on every `mkdocs serve` rebuild
def _parts(rel: str) -> tuple[str, ...]:
    return PurePosixPath(rel).parts


def classify(rel: str) -> DataPath | None:
    """Map a repository-relative POSIX path to its file kind and ids, or None if unknown."""
    parts = _parts(rel)
    if any(part.startswith(".") for part in parts):
        return None  # hidden: never data, always reported
    if len(parts) == 3 and parts[0] == SOLUTIONS:
        if parts[2] == "homework.yaml":
            return DataPath(rel, "homework", parts[1])
        if match := _QUESTION_FILE.match(parts[2]):
            return DataPath(rel, "question", parts[1], question=int(match.group(1)))
    if len(parts) == 3 and parts[0] == SOURCES:
        return DataPath(rel, "sources" if parts[2] == SOURCES_FILE else SOURCE_DOCUMENT, parts[1])
    if len(parts) == 4 and parts[0] == TRANSCRIPTS:
        if parts[3] == "run.yaml":
            return DataPath(rel, "run", parts[1], run=parts[2])
        if match := _QUESTION_FILE.match(parts[3]):
            return DataPath(rel, "run-question", parts[1], run=parts[2], question=int(match.group(1)))
    return None


IMPORT_LEFTOVERS = "import-leftovers.md"


def is_import_leftovers(rel: str) -> bool:
    """`gallery import`'s notes of what it could not place, beside the run they belong to."""
    parts = _parts(rel)
    return len(parts) == 4 and parts[0] == TRANSCRIPTS and parts[3] == IMPORT_LEFTOVERS


def is_ignorable(rel: str) -> bool:
    return rel in _ALLOWED_NON_DATA or _parts(rel)[-1:] == (".gitkeep",)


def schema_comment_for(rel: str, kind: FileKind) -> str:
    """The `# yaml-language-server` line a data file must start with."""
    depth = len(PurePosixPath(rel).parts) - 1
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMA_DIR}/{SCHEMA_FILES[kind]}"


def discover(root: Path, paths: list[Path] | None = None) -> list[str]:
    """Every entry under the data roots (or under the given paths), as sorted relative POSIX paths.

    Symbolic links are listed but never followed (the loader refuses them, GAL018), so a link
    cannot pull a file from outside the repository in, nor loop. Hidden files are listed too:
    every file under the data roots is either data or a reported problem.
    """
    root = root.resolve()
    targets = [root / name for name in DATA_ROOTS] if not paths else [p.absolute() for p in paths]
    found: set[str] = set()
    for target in targets:
        if target.is_symlink() or target.is_file():
            found.add(_relative(root, target))
        elif target.is_dir():
            # strings, not Path objects: under `mkdocs serve` this runs on every rebuild, over every file
            for folder, dirs, files in os.walk(target, followlinks=False):
                prefix = _relative(root, Path(folder)) + "/"
                found.update(prefix + name for name in dirs if os.path.islink(os.path.join(folder, name)))
                found.update(prefix + name for name in files)
    return sorted(found)


def _relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


SAFE_NAME = re.compile(r"^[A-Za-z0-9._-]+$")


def unsafe_part(rel: str) -> str | None:
    """The first part of a path that is not letters, digits, '.', '_' and '-', if any."""
    return next((part for part in _parts(rel) if not SAFE_NAME.match(part)), None)


def source_document_path(homework: str, file: str) -> str:
    """Where a source document of a homework lives."""
    return f"{SOURCES}/{homework}/{file}"


def sources_file_path(homework: str) -> str:
    return f"{SOURCES}/{homework}/{SOURCES_FILE}"


def homework_file_path(homework: str) -> str:
    return f"{SOLUTIONS}/{homework}/homework.yaml"


def question_file_path(homework: str, number: int) -> str:
    return f"{SOLUTIONS}/{homework}/q{number}.yaml"


def run_folder_path(homework: str, run: str) -> str:
    return f"{TRANSCRIPTS}/{homework}/{run}"


def run_question_file_path(homework: str, run: str, number: int) -> str:
    return f"{run_folder_path(homework, run)}/q{number}.yaml"


class NoRepository(ValueError):
    """No gallery checkout holds the current folder, and no --root was given."""


def repository_root(given: str | None, start: Path | None = None) -> Path:
    """The repository to work on: `--root` as given, else the nearest folder upward from `start`
    (the current folder) that has mkdocs.yml and a data folder, so a command run inside a run
    folder still sees the whole tree."""
    if given is not None:
        return Path(given).resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file() and any((folder / name).is_dir() for name in DATA_ROOTS):
            return folder
    raise NoRepository("no repository here or above: run from inside the gallery's checkout, or pass --root")
