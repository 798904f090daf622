"""The whole data tree, loaded: every homework with its questions, every run with its entries.

`read_repository(root)` never raises on bad data: it reads every file it can and keeps the
located problems (bytes, YAML, schema) of those it cannot. It runs no rule beyond the
schema: `gallery.rules.load_repository` reads and then checks. Everything downstream
(validator, grading, export, site) takes a `Repository`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from gallery.data.gcpolicy import bulk_allocation
from gallery.data.layout import (
    SOURCE_DOCUMENT,
    DataPath,
    FileKind,
    classify,
    discover,
    is_ignorable,
    is_import_leftovers,
    run_folder_path,
    unsafe_part,
)
from gallery.data.load import MAX_FILE_BYTES, MAX_SOURCE_BYTES, LoadedFile, load_data_file
from gallery.data.models import HomeworkFile, Part, QuestionFile, RunFile, RunQuestionFile, SourcesFile, label_sort_key
from gallery.data.problems import Problem


@dataclass
class Run:
    """One run: its metadata and its entries, question by question."""

    homework: str
    id: str
    meta: RunFile | None = None
    meta_file: LoadedFile | None = None
    questions: dict[int, RunQuestionFile] = field(default_factory=dict)
    question_files: dict[int, LoadedFile] = field(default_factory=dict)
    folder_rel: str = ""

    @property
    def label(self) -> str:
        return self.meta.label if self.meta else self.id


@dataclass
class Homework:
    id: str
    meta: HomeworkFile | None = None
    meta_file: LoadedFile | None = None
    questions: dict[int, QuestionFile] = field(default_factory=dict)
    question_files: dict[int, LoadedFile] = field(default_factory=dict)
    sources: SourcesFile | None = None
    sources_file: LoadedFile | None = None
    source_files: set[str] = field(default_factory=set)  # the file names under sources/<hw>/, besides sources.yaml
    source_texts: dict[str, str] = field(default_factory=dict)  # those that are UTF-8 text (a PDF is not), by name


@dataclass
class Repository:
    root: Path
    homeworks: dict[str, Homework] = field(default_factory=dict)
    runs: dict[tuple[str, str], Run] = field(default_factory=dict)
    files_checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    files: dict[str, tuple[DataPath, LoadedFile]] = field(default_factory=dict)  # every data file read, by path

    def question(self, homework: str, number: int) -> QuestionFile | None:
        hw = self.homeworks.get(homework)
        return hw.questions.get(number) if hw else None

    def runs_for(self, homework: str) -> list[Run]:
        return [run for (hw, _), run in sorted(self.runs.items()) if hw == homework]

    def parts(self, homework: str) -> list[tuple[QuestionFile, Part]]:
        """Every part of the homework, in homework order, with its question."""
        hw = self.homeworks.get(homework)
        if not hw:
            return []
        out = []
        for number in sorted(hw.questions):
            question = hw.questions[number]
            for part in sorted(question.parts, key=lambda p: label_sort_key(p.label)):
                out.append((question, part))
        return out


def _add_file(repo: Repository, where: DataPath, loaded: LoadedFile) -> None:
    if where.kind == "sources":
        hw = repo.homeworks.setdefault(where.homework, Homework(where.homework))
        hw.sources_file = loaded
        hw.sources = loaded.model  # type: ignore[assignment]
        return
    if where.kind in ("homework", "question"):
        hw = repo.homeworks.setdefault(where.homework, Homework(where.homework))
        if where.kind == "homework":
            hw.meta_file = loaded
            hw.meta = loaded.model  # type: ignore[assignment]
        else:
            assert where.question is not None
            hw.question_files[where.question] = loaded
            if loaded.model is not None:
                hw.questions[where.question] = loaded.model  # type: ignore[assignment]
        return
    assert where.run is not None
    run = repo.runs.setdefault(
        (where.homework, where.run),
        Run(where.homework, where.run, folder_rel=run_folder_path(where.homework, where.run)),
    )
    if where.kind == "run":
        run.meta_file = loaded
        run.meta = loaded.model  # type: ignore[assignment]
    else:
        assert where.question is not None
        run.question_files[where.question] = loaded
        if loaded.model is not None:
            run.questions[where.question] = loaded.model  # type: ignore[assignment]


# Files already parsed in this process, by path, with the (mtime, size) they were read at:
# under `mkdocs serve` each rebuild re-reads only the files that changed. Only kept when
# asked for (the serve hook does): in a one-off build the parsed data would stay alive
# through MkDocs' whole build, and every full garbage collection MkDocs triggers would
# traverse it (1.2 s a collection at 100x the real data).
_LOADED: dict[tuple[Path, str, int], tuple[int, int, LoadedFile]] = {}
_REMEMBER_PARSED = [False]


def remember_parsed_files(remember: bool) -> None:
    """Keep parsed files between loads (for `mkdocs serve`), or forget them (the default)."""
    _REMEMBER_PARSED[0] = remember
    if not remember:
        _LOADED.clear()


def _load_cached(root: Path, rel: str, kind: FileKind, max_bytes: int) -> LoadedFile:
    stat = os.stat(os.path.join(root, rel))
    key = (root, rel, max_bytes)
    cached = _LOADED.get(key)
    if cached is not None and cached[0] == stat.st_mtime_ns and cached[1] == stat.st_size:
        return cached[2]
    loaded = load_data_file(root, rel, kind, max_bytes=max_bytes)
    if _REMEMBER_PARSED[0]:
        _LOADED[key] = (stat.st_mtime_ns, stat.st_size, loaded)
    return loaded


def read_repository(root: Path, *, max_bytes: int = MAX_FILE_BYTES) -> Repository:
    """Read every data file under `root` into a `Repository` (problems: reading and schema only)."""
    with bulk_allocation():
        root = root.resolve()
        repo = Repository(root)
        for rel in discover(root):
            if is_ignorable(rel):
                continue
            if is_import_leftovers(rel):  # the contributor's working notes: listed, never published
                repo.problems.append(
                    Problem(
                        rel,
                        1,
                        1,
                        "GAL019",
                        "Must place or discard what the import could not place, then delete this file",
                    )
                )
                continue
            repo.files_checked += 1
            path = root / rel
            if os.path.islink(path):  # checked before anything reads it: a link could point anywhere
                repo.problems.append(
                    Problem(rel, 1, 1, "GAL018", "Must be a file in the repository, not a symbolic link")
                )
                continue
            if (bad := unsafe_part(rel)) is not None:
                repo.problems.append(
                    Problem(
                        rel,
                        1,
                        1,
                        "GAL013",
                        f"Must name files and folders with letters, digits, '.', '_' and '-' only, not {bad!r}",
                    )
                )
                continue
            where = classify(rel)
            if where is None:
                hidden = any(part.startswith(".") for part in PurePosixPath(rel).parts)
                what = (
                    "Must not hide a file or folder here (a leading dot)"
                    if hidden
                    else "Must be a data file the layout knows"
                )
                repo.problems.append(Problem(rel, 1, 1, "GAL013", f"{what}; see the file-format page"))
                continue
            if where.kind == SOURCE_DOCUMENT:  # kept as it reached us, never parsed; read only to publish its text
                size = path.stat().st_size
                homework = repo.homeworks.setdefault(where.homework, Homework(where.homework))
                if size <= MAX_SOURCE_BYTES:
                    try:
                        homework.source_texts[PurePosixPath(rel).name] = path.read_bytes().decode("utf-8")
                    except UnicodeDecodeError:
                        pass  # a PDF or other binary file: kept in the repository, not published as text
                else:
                    repo.problems.append(
                        Problem(
                            rel,
                            1,
                            1,
                            "GAL001",
                            f"Must not be larger than {MAX_SOURCE_BYTES:,} bytes; this file has {size:,}",
                        )
                    )
                homework.source_files.add(PurePosixPath(rel).name)
                continue
            loaded = _load_cached(root, rel, where.kind, max_bytes)
            repo.problems.extend(loaded.problems)
            repo.files[rel] = (where, loaded)
            _add_file(repo, where, loaded)
        return repo


def forget_locations(repo: Repository) -> None:
    """Drop every file's text and YAML nodes, kept only to locate problems, once they are all found.

    They are close to half of the loaded data's memory; a one-off build needs the models alone
    after validation. Not under `mkdocs serve`, whose rebuilds check unchanged files again.
    """
    for _, loaded in repo.files.values():
        loaded.text = None
        loaded.node = None
