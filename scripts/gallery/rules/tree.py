"""Rules that need more than one file: references between files and completeness.

Each rule yields problems located in the file that has to change; its `@tree_rule` decorator
registers its code and texts. Most take the loaded `Repository`. Those marked
`per="answers"` read only one run's answers to one question and that question (`Covered`):
they run once per version of the two files, so `mkdocs serve`, which keeps unchanged files
parsed, re-checks only what an edit touched. Files that failed to load are skipped here
(their own problems are already reported), so one mistake is not echoed by a cascade of
follow-on errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from gallery.data import codes, prose
from gallery.data.layout import (
    NOTEBOOK_DIR,
    homework_file_path,
    question_file_path,
    source_document_path,
    sources_file_path,
)
from gallery.data.load import LoadedFile
from gallery.data.models import (
    BooleanKey,
    ChoiceKey,
    CountKey,
    Entry,
    ExpressionKey,
    Followup,
    NumberKey,
    Part,
    QuestionFile,
    RunQuestionFile,
    label_question,
    label_slug,
)
from gallery.data.problems import Problem
from gallery.data.repository import Repository, Run
from gallery.data.yamlsafe import Mark, node_at
from gallery.grading import expressions
from gallery.grading.check import check_item, read_answer
from gallery.grading.extract import readable
from gallery.rules.content import FileContext, public_prose_fields

TREE_RULES: list[tuple[codes.Rule, Callable[..., Iterator[Problem]], dict[str, Any]]] = []  # by @tree_rule
tree_rule = codes.rule_decorator("tree", TREE_RULES)


class Covered(NamedTuple):
    """One run's answers to one question, with the question: all a `per="answers"` rule may read
    (its findings are kept for as long as these two files are unchanged)."""

    number: int
    question: QuestionFile
    run_question: RunQuestionFile
    loaded: LoadedFile  # the run's q<n>.yaml
    question_file: LoadedFile  # the homework's q<n>.yaml


def _at(loaded: LoadedFile, code: str, message: str, *path: Any) -> Problem:
    path = loaded.data_path(path)
    mark = Mark(1, 1)
    for cut in range(len(path), -1, -1):
        node = node_at(loaded.node, path[:cut])
        if node is not None:
            mark = node.mark
            break
    return Problem(loaded.rel, mark.line, mark.col, code, message)


def _run_file_for_messages(run: Run) -> LoadedFile | None:
    if run.meta_file is not None:
        return run.meta_file
    return next(iter(run.question_files.values()), None)


@tree_rule(
    "GAL301",
    "missing-homework",
    summary="Must have solutions/<hw>/homework.yaml for every homework",
    fix="Add the homework file, or fix the homework id.",
)
def rule_homework_exists(repo: Repository) -> Iterator[Problem]:
    """GAL301: every homework (of solutions or of a run) has its homework.yaml."""
    for hw_id, hw in sorted(repo.homeworks.items()):
        if hw.meta_file is None:
            if hw.question_files:
                first = next(iter(sorted(hw.question_files.items())))[1]
                yield _at(first, "GAL301", f"Must have {homework_file_path(hw_id)} beside this question")
            elif hw.sources_file is not None:
                yield _at(
                    hw.sources_file,
                    "GAL301",
                    f"Must describe the sources of a homework in solutions/: there is no {homework_file_path(hw_id)}",
                )
            else:
                for name in sorted(hw.source_files):
                    yield Problem(
                        source_document_path(hw_id, name),
                        1,
                        1,
                        "GAL301",
                        f"Must be a source of a homework in solutions/: there is no {homework_file_path(hw_id)}",
                    )
    for run in repo.runs.values():
        if run.homework not in repo.homeworks and (loaded := _run_file_for_messages(run)) is not None:
            yield _at(
                loaded,
                "GAL301",
                f"Must belong to a homework in solutions/: there is no {homework_file_path(run.homework)}",
            )


@tree_rule(
    "GAL302",
    "unknown-question",
    summary="Must only cover questions the homework has",
    fix="Remove the file or add the question to solutions/.",
)
def rule_runs_cover_known_questions(repo: Repository) -> Iterator[Problem]:
    """GAL302: a run only covers questions the homework has."""
    for run in repo.runs.values():
        hw = repo.homeworks.get(run.homework)
        if hw is None:
            continue
        for number, loaded in sorted(run.question_files.items()):
            if number not in hw.question_files:
                yield _at(
                    loaded,
                    "GAL302",
                    f"Must cover a question {run.homework} has: there is no {question_file_path(run.homework, number)}",
                    "question",
                )


def _covered(repo: Repository) -> Iterator[Covered]:
    """Every run's answers to a question the homework has, both files loaded."""
    for run in repo.runs.values():
        hw = repo.homeworks.get(run.homework)
        for number, run_question in sorted(run.questions.items()):
            question = hw.questions.get(number) if hw else None
            if hw is not None and question is not None:
                yield Covered(number, question, run_question, run.question_files[number], hw.question_files[number])


@tree_rule(
    "GAL303",
    "missing-entry",
    summary="Must have an entry for every part of a question the run covers",
    fix="Add the entry; use not-asked for parts outside the run.",
    per="answers",
)
def rule_every_part_has_entry(covered: Covered) -> Iterator[Problem]:
    """GAL303: a run covering a question has an entry for each of its parts."""
    have = covered.loaded.present_labels  # invalid entries are reported by the schema, not as missing
    for part in covered.question.parts:
        if part.label not in have:
            yield _at(
                covered.loaded,
                "GAL303",
                f"Must have an entry for part {part.label} (use not-asked if the run did not ask it)",
                "entries",
            )


@tree_rule(
    "GAL304",
    "orphan-entry",
    summary="Must only have entries for parts the question has",
    fix="Fix the label or remove the entry.",
    per="answers",
)
def rule_no_orphan_entries(covered: Covered) -> Iterator[Problem]:
    """GAL304: entries only for parts that exist."""
    labels = covered.question_file.present_labels
    for i, entry in enumerate(covered.run_question.entries):
        if entry.part not in labels and label_question(entry.part) == covered.number:
            yield _at(
                covered.loaded,
                "GAL304",
                f"Must not have an entry for {entry.part}: question {covered.number} has no such part",
                "entries",
                i,
                "part",
            )


@tree_rule(
    "GAL305",
    "duplicate-id",
    summary="Must use an id only once across the repository",
    fix="Rename one of the two runs or questions.",
)
def rule_unique_run_ids_and_labels(repo: Repository) -> Iterator[Problem]:
    """GAL305: run ids are unique across homeworks; run labels within a homework."""
    first_by_id: dict[str, Run] = {}
    first_by_label: dict[tuple[str, str], Run] = {}
    for (hw_id, run_id), run in sorted(repo.runs.items()):
        loaded = _run_file_for_messages(run)
        if loaded is None:
            continue
        if run_id in first_by_id:
            yield _at(
                loaded, "GAL305", f"Must use a run id once: {run_id!r} is also {first_by_id[run_id].folder_rel}", "run"
            )
        else:
            first_by_id[run_id] = run
        if run.meta is not None:
            key = (hw_id, run.meta.label)
            if key in first_by_label:
                yield _at(
                    loaded,
                    "GAL305",
                    f"Must use a label once per homework: {run.meta.label!r} is also {first_by_label[key].folder_rel}",
                    "label",
                )
            else:
                first_by_label[key] = run


def _stated_kind_problem(item: Any, value: Any) -> str | None:
    if isinstance(item, NumberKey) and (isinstance(value, bool) or not isinstance(value, (int, float))):
        return f"a number in {item.unit or 'no unit'}"
    if isinstance(item, CountKey) and (isinstance(value, bool) or not isinstance(value, int)):
        return "a whole number"
    if isinstance(item, BooleanKey) and not isinstance(value, bool):
        return "true or false"
    if isinstance(item, ChoiceKey):
        chosen = value if isinstance(value, list) else [value]
        if not all(isinstance(c, str) and c in item.options for c in chosen):
            return "one of the options " + ", ".join(repr(o) for o in item.options)
    if isinstance(item, ExpressionKey):
        if not isinstance(value, str):
            return "a formula written as text"
        try:
            unknown = expressions.names(value) - set(item.variables)
        except expressions.ExpressionError:
            return "a formula in calculator syntax"
        if unknown:
            return "a formula in " + ", ".join(item.variables)
    return None


def _graded_with_paths(entries: list[Entry]) -> Iterator[tuple[tuple[Any, ...], Entry, Entry | Followup]]:
    for i, entry in enumerate(entries):
        yield ("entries", i), entry, entry
        for j, followup in enumerate(entry.followups):
            yield ("entries", i, "followups", j), entry, followup


@tree_rule(
    "GAL306",
    "unknown-key-item",
    summary="Must only state values for items in the part's answer key",
    fix="Use an item id from the part's answer_key, or remove the value.",
    per="answers",
)
@tree_rule(
    "GAL307",
    "stated-value-kind",
    summary="Must state a value of the kind the answer-key item expects",
    fix="number: a number; count: a whole number; boolean: true/false; choice: an option; expression: text.",
    per="answers",
)
def rule_stated_values_match_key(covered: Covered) -> Iterator[Problem]:
    """GAL306 and GAL307: stated values name real key items and have their kind."""
    loaded = covered.loaded
    reported = {(p.line, p.col) for p in loaded.problems}
    parts: dict[str, Part] = {part.label: part for part in covered.question.parts}
    for path, entry, graded in _graded_with_paths(covered.run_question.entries):
        part = parts.get(entry.part)
        if part is None:
            continue
        items: dict[str, Any] = {}
        for item in part.answer_key:
            items.setdefault(item.id, item)  # a repeated id is reported in the question file
        for item_id, value in graded.stated.items():
            if item_id not in items:
                known = ", ".join(items) or "none"
                yield _at(
                    loaded,
                    "GAL306",
                    f"Must state values only for answer-key items of {part.label} ({known}), not {item_id!r}",
                    *path,
                    "stated",
                    item_id,
                )
            elif (expected := _stated_kind_problem(items[item_id], value)) is not None:
                problem = _at(
                    loaded,
                    "GAL307",
                    f"Must state {item_id!r} of {part.label} as {expected}",
                    *path,
                    "stated",
                    item_id,
                )
                if (problem.line, problem.col) not in reported:  # e.g. a non-finite number, already refused
                    yield problem


@tree_rule(
    "GAL308",
    "missing-run-file",
    summary="Must have run.yaml in every run folder",
    fix="Run `gallery new-run` or copy run.yaml from another run.",
)
def rule_run_has_metadata(repo: Repository) -> Iterator[Problem]:
    """GAL308: every run folder has run.yaml."""
    for run in repo.runs.values():
        if run.meta_file is None:
            loaded = next(iter(sorted(run.question_files.items())))[1]
            yield _at(loaded, "GAL308", f"Must have {run.folder_rel}/run.yaml beside this file")


@tree_rule(
    "GAL309",
    "empty-run",
    summary="Must cover at least one question",
    fix="Add a q<N>.yaml file.",
)
def rule_run_not_empty(repo: Repository) -> Iterator[Problem]:
    """GAL309: a run covers at least one question."""
    for run in repo.runs.values():
        if run.meta_file is not None and not run.question_files:
            yield _at(run.meta_file, "GAL309", "Must cover at least one question: add a q<N>.yaml beside run.yaml")


@tree_rule(
    "GAL310",
    "missing-notebook",
    summary="Must only link notebooks that exist under docs/notebooks/",
    fix="Fix the name or add the notebook.",
)
def rule_notebooks_exist(repo: Repository) -> Iterator[Problem]:
    """GAL310: linked notebooks exist."""
    for hw in repo.homeworks.values():
        for number, question in sorted(hw.questions.items()):
            for i, part in enumerate(question.parts):
                for j, name in enumerate(part.notebooks):
                    notebook = repo.root / NOTEBOOK_DIR / f"{name}.ipynb"
                    if notebook.is_symlink() or any(
                        parent.is_symlink() for parent in notebook.parents if repo.root in parent.parents
                    ):
                        yield _at(
                            hw.question_files[number],
                            "GAL018",
                            f"Must link a notebook that is a file in the repository: {NOTEBOOK_DIR}/{name}.ipynb is a symbolic link",
                            "parts",
                            i,
                            "notebooks",
                            j,
                        )
                    elif not notebook.is_file():
                        yield _at(
                            hw.question_files[number],
                            "GAL310",
                            f"Must link an existing notebook: there is no {NOTEBOOK_DIR}/{name}.ipynb",
                            "parts",
                            i,
                            "notebooks",
                            j,
                        )


@tree_rule(
    "GAL210",
    "unknown-annotator",
    summary="Must name an annotator listed in run.yaml",
    fix="Add the annotator to run.yaml's annotators, or fix the id.",
)
def rule_annotators_known(repo: Repository) -> Iterator[Problem]:
    """GAL210: annotations are by annotators listed in run.yaml."""
    for run in repo.runs.values():
        if run.meta is None:
            continue
        known = {annotator.id for annotator in run.meta.annotators}
        for number, run_question in sorted(run.questions.items()):
            loaded = run.question_files[number]
            for path, entry, graded in _graded_with_paths(run_question.entries):
                for k, annotation in enumerate(graded.annotations):
                    if annotation.by not in known:
                        listed = ", ".join(sorted(known)) or "none listed"
                        yield _at(
                            loaded,
                            "GAL210",
                            f"Must name an annotator from run.yaml ({listed}), not {annotation.by!r}",
                            *path,
                            "annotations",
                            k,
                            "by",
                        )


def check_tree(repo: Repository) -> list[Problem]:
    # a function with two codes runs once
    whole = dict.fromkeys(function for _, function, options in TREE_RULES if options.get("per") != "answers")
    per_answers = tuple(
        dict.fromkeys(function for _, function, options in TREE_RULES if options.get("per") == "answers")
    )
    problems = [problem for rule in whole for problem in rule(repo)]
    for covered in _covered(repo):
        problems += _answers_problems(covered, per_answers)
    return problems


def _answers_problems(covered: Covered, rules: tuple[Callable[[Covered], Iterator[Problem]], ...]) -> list[Problem]:
    """The `per="answers"` rules' problems for one run's answers, once per version of them and of the question."""
    kept = covered.loaded.derived.get("tree")
    if kept is not None and kept[0] is covered.question_file and kept[1] == rules:
        return kept[2]
    found = [problem for rule in rules for problem in rule(covered)]
    covered.loaded.derived["tree"] = (covered.question_file, rules, found)
    return found


@tree_rule(
    "GAL311",
    "unknown-source-document",
    summary="Must cite only source documents that sources/<hw>/sources.yaml describes",
    fix="Add the document to sources/<hw>/ and describe it in sources.yaml, or fix the file name.",
)
def rule_cited_sources_are_described(repo: Repository) -> Iterator[Problem]:
    """GAL311: a run's source documents are in the homework's sources."""
    for run in repo.runs.values():
        hw = repo.homeworks.get(run.homework)
        if run.meta is None or run.meta_file is None or hw is None:
            continue
        described = {document.file for document in hw.sources.documents} if hw.sources else set()
        for i, document in enumerate(run.meta.source_documents):
            if document.file not in described:
                yield _at(
                    run.meta_file,
                    "GAL311",
                    f"Must cite a source document described in {sources_file_path(run.homework)}, not {document.file!r}",
                    "source_documents",
                    i,
                    "file",
                )


@tree_rule(
    "GAL312",
    "missing-source-file",
    summary="Must describe only source documents that are in sources/<hw>/",
    fix="Add the file beside sources.yaml, exactly as it reached you, or remove its description.",
)
def rule_described_sources_exist(repo: Repository) -> Iterator[Problem]:
    """GAL312: every described document is there, and so is what it was derived from."""
    for hw_id, hw in sorted(repo.homeworks.items()):
        if hw.sources is None or hw.sources_file is None:
            continue
        for i, document in enumerate(hw.sources.documents):
            if document.file not in hw.source_files:
                yield _at(
                    hw.sources_file,
                    "GAL312",
                    f"Must describe a file that is in sources/{hw_id}/: there is no {document.file}",
                    "documents",
                    i,
                    "file",
                )
            if document.derived_from and document.derived_from not in hw.source_files:
                yield _at(
                    hw.sources_file,
                    "GAL312",
                    f"Must be derived from a file in sources/{hw_id}/: there is no {document.derived_from}",
                    "documents",
                    i,
                    "derived_from",
                )


@tree_rule(
    "GAL313",
    "undescribed-source-file",
    summary="Must describe every file in sources/<hw>/ in its sources.yaml",
    fix="Add an entry for the file to sources.yaml (what it is, who wrote it, when), or remove the file.",
)
def rule_source_files_are_described(repo: Repository) -> Iterator[Problem]:
    """GAL313: no source document is there without saying what it is."""
    for hw_id, hw in sorted(repo.homeworks.items()):
        described = {document.file for document in hw.sources.documents} if hw.sources else set()
        for name in sorted(hw.source_files - described):
            where = (
                "its sources.yaml" if hw.sources_file is not None else f"a {sources_file_path(hw_id)} (there is none)"
            )
            yield Problem(source_document_path(hw_id, name), 1, 1, "GAL313", f"Must be described in {where}")


def _reference_problem(repo: Repository, homework: str, reference: prose.Reference) -> str | None:
    hw = repo.homeworks.get(homework)
    if reference.scheme == "source":
        described = {document.file for document in hw.sources.documents} if hw and hw.sources else set()
        if reference.target not in described:
            return (
                f"Must link a source document described in {sources_file_path(homework)}: {reference.target!r} is not"
            )
        return None
    run = repo.runs.get((homework, reference.target))
    if run is None:
        return f"Must link a run of {homework}: there is no run {reference.target!r}"
    if reference.fragment is None:
        return None
    number = prose.fragment_question(reference.fragment)
    answered = {label_slug(entry.part) for q in run.questions.values() for entry in q.entries}
    if number is None or reference.fragment not in answered:
        return f"Must link a part that run {reference.target!r} answers: it has no answer to #{reference.fragment}"
    return None


@tree_rule(
    "GAL314",
    "unknown-link-target",
    summary="Must link only runs, parts and source documents that exist (`run:` and `source:` links)",
    fix="Fix the run id, the part's anchor (5h, 2c-ii) or the file name; `gallery validate` lists what exists.",
)
def rule_prose_links_resolve(repo: Repository) -> Iterator[Problem]:
    """GAL314: every `run:` and `source:` link in our prose names something of its homework."""
    for where, loaded in repo.files.values():
        if loaded.model is None or not where.homework:
            continue
        if "references" not in loaded.derived:  # what the file links to changes only with the file
            loaded.derived["references"] = [
                (path, reference)
                for path, text in public_prose_fields(loaded.model)
                for reference in prose.references(text)
            ]
        for path, reference in loaded.derived["references"]:
            message = _reference_problem(repo, where.homework, reference)
            if message:
                mark = FileContext(where, loaded).text_mark(path, reference.offset)
                yield Problem(loaded.rel, mark.line, mark.col, "GAL314", message)


def _typed_against_answer(covered: Covered) -> Iterator[tuple[LoadedFile, tuple[Any, ...], str, str, str | None]]:
    """(file, path, part label, item id, problem kind) for every typed value the answer text does not bear out."""
    question, loaded = covered.question, covered.loaded
    parts: dict[str, Part] = {part.label: part for part in question.parts}
    related = [item for part in question.parts for item in part.answer_key]
    for path, entry, graded in _graded_with_paths(covered.run_question.entries):
        part = parts.get(entry.part)
        if part is None or not graded.stated or not graded.answer:
            continue
        read = read_answer(part, graded.answer, question.givens, related)
        by_item = {check.item_id: check for check in read.checks}
        items = {item.id: item for item in part.answer_key}
        for item_id, value in graded.stated.items():
            if item_id not in items or _stated_kind_problem(items[item_id], value) is not None:
                continue  # GAL306/GAL307 report these
            if not readable(items[item_id]):
                continue  # a choice without signals: the check cannot read it, so it cannot disagree
            found = by_item.get(item_id)
            kind: str | None = "missing"
            if found is not None:
                typed = check_item(items[item_id], value)
                kind = "contradicts" if typed.matches != found.matches and not found.inconsistent else None
            yield loaded, path, part.label, item_id, kind


@tree_rule(
    "GAL315",
    "stated-not-in-answer",
    summary="Must type only values the answer text states (the automatic check could not find this one)",
    fix="Check the value against the answer; if the answer states it in a form the check cannot read, "
    "say so in the pull request so the extraction learns it, or add a cue to the key item.",
    severity="warning",
    per="answers",
)
@tree_rule(
    "GAL316",
    "stated-contradicts-answer",
    summary="Must not contradict what the automatic check reads in the answer",
    fix="Compare the typed value with the quote the check shows on the answer page; one of them is wrong.",
    severity="warning",
    per="answers",
)
def rule_stated_borne_out_by_answer(covered: Covered) -> Iterator[Problem]:
    """GAL315 and GAL316: a typed `stated` value is a transcription: the answer text must bear it out.

    GAL315: the check does not find the value in the answer. GAL316: the typed value matches the
    key when the answer's own value does not, or the reverse.
    """
    for loaded, path, label, item_id, kind in _typed_against_answer(covered):
        if kind == "missing":
            message = f"Must type only values the answer states: {item_id!r} of {label} is not found in the answer text"
            yield _at(loaded, "GAL315", message, *path, "stated", item_id)
        elif kind == "contradicts":
            message = (
                f"Must agree with the answer text: the typed {item_id!r} of {label} and the value read from the answer "
                "disagree on whether it matches the key"
            )
            yield _at(loaded, "GAL316", message, *path, "stated", item_id)
