"""Rules about one data file that the schema cannot express: one function per rule.

Each rule takes a `FileContext` (a file that passed the schema) and yields problems. Its
`@content_rule` decorator registers its code, name, summary, fix text and the file kinds it
applies to; `check_file` runs the rules registered for the file's kind. Positions point into the YAML:
the offending item's node, or the exact line and column inside a Markdown block.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, cast

from gallery.data import codes, prose
from gallery.data.layout import DataPath, FileKind
from gallery.data.load import LoadedFile
from gallery.data.models import (
    GRADED_VERDICTS,
    ChoiceKey,
    Entry,
    ExpressionKey,
    Followup,
    HomeworkFile,
    NumberKey,
    QuestionFile,
    RunFile,
    RunQuestionFile,
    SourcesFile,
    label_question,
    label_sort_key,
)
from gallery.data.problems import Problem
from gallery.data.verdicts import NOT_ASKED
from gallery.data.yamlsafe import Mark, node_at
from gallery.grading import expressions, extract
from gallery.rules.mathcheck import math_issues

LOOSE_RELATIVE_TOLERANCE = 0.10


@dataclass
class FileContext:
    where: DataPath
    loaded: LoadedFile

    @property
    def rel(self) -> str:
        return self.loaded.rel

    @property
    def model(self) -> Any:
        return self.loaded.model

    def mark(self, *path: Any) -> Mark:
        """The position of a data path, falling back to the nearest existing parent."""
        path = self.loaded.data_path(path)
        for cut in range(len(path), -1, -1):
            node = node_at(self.loaded.node, path[:cut])
            if node is not None:
                return node.mark
        return Mark(1, 1)

    def problem(self, code: str, message: str, *path: Any) -> Problem:
        mark = self.mark(*path)
        return Problem(self.rel, mark.line, mark.col, code, message)

    def text_mark(self, path: tuple[Any, ...], offset: int) -> Mark:
        """Line and column of a character inside a scalar: exact for literal blocks, else the scalar's start."""
        node = node_at(self.loaded.node, self.loaded.data_path(path))
        if node is None:
            return self.mark(*path)
        value = node.value if isinstance(node.value, str) else ""
        if node.style != "|" or self.loaded.text is None:
            return node.mark
        lines = self.loaded.text.split("\n")
        first_content_line = node.mark.line + 1  # the block starts on the line after `key: |`
        if first_content_line - 1 >= len(lines):
            return node.mark
        sample = lines[first_content_line - 1]
        indent = len(sample) - len(sample.lstrip(" "))
        line_in_value = value.count("\n", 0, offset)
        col_in_line = offset - (value.rfind("\n", 0, offset) + 1)
        return Mark(first_content_line + line_in_value, indent + col_in_line + 1)


Rule = Callable[[FileContext], Iterator[Problem]]
CONTENT_RULES: list[tuple[codes.Rule, Rule, dict[str, Any]]] = []  # filled by @content_rule, in file order
content_rule = codes.rule_decorator("content", CONTENT_RULES)


# -- ids -----------------------------------------------------------------------------------


@content_rule(
    "GAL201",
    "id-mismatch",
    summary="Must have ids that agree with the file's name and folder",
    fix="Rename the file or fix the id inside it; the file name is the id.",
    kinds=("homework", "question", "run", "run-question"),
)
def rule_ids_match_path(ctx: FileContext) -> Iterator[Problem]:
    """GAL201: the file name (and folder) is the id."""
    model, where = ctx.model, ctx.where
    if isinstance(model, (HomeworkFile, QuestionFile, RunFile)) and model.homework != where.homework:
        yield ctx.problem(
            "GAL201", f"Must name homework {where.homework!r} (its folder), not {model.homework!r}", "homework"
        )
    if isinstance(model, (QuestionFile, RunQuestionFile)) and model.question != where.question:
        yield ctx.problem(
            "GAL201",
            f"Must be question {where.question} to be named q{where.question}.yaml, not {model.question}",
            "question",
        )
    if isinstance(model, (RunFile,)) and model.run != where.run:
        yield ctx.problem("GAL201", f"Must have run id {where.run!r} (its folder), not {model.run!r}", "run")
    if isinstance(model, RunQuestionFile) and model.run != where.run:
        yield ctx.problem("GAL201", f"Must have run id {where.run!r} (its folder), not {model.run!r}", "run")


# -- Markdown ------------------------------------------------------------------------------


def _markdown_fields(model: Any) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every Markdown field of a file, with its data path."""
    if isinstance(model, HomeworkFile):
        yield ("source",), model.source
        yield ("summary",), model.summary
    elif isinstance(model, QuestionFile):
        yield ("statement",), model.statement
        if model.notes:
            yield ("notes",), model.notes
        for i, part in enumerate(model.parts):
            yield ("parts", i, "prompt"), part.prompt
            if part.reference:
                yield ("parts", i, "reference"), part.reference
    elif isinstance(model, RunFile):
        yield ("strategy_note",), model.strategy_note
        if model.notes:
            yield ("notes",), model.notes
    elif isinstance(model, RunQuestionFile):
        for i, entry in enumerate(model.entries):
            yield from _graded_markdown(("entries", i), entry)
            if entry.prompt:
                yield ("entries", i, "prompt"), entry.prompt
            for j, followup in enumerate(entry.followups):
                yield ("entries", i, "followups", j, "prompt"), followup.prompt
                yield from _graded_markdown(("entries", i, "followups", j), followup)


def _graded_markdown(base: tuple[Any, ...], graded: Entry | Followup) -> Iterator[tuple[tuple[Any, ...], str]]:
    if graded.answer:
        yield base + ("answer",), graded.answer
    for k, annotation in enumerate(graded.annotations):
        if annotation.note:
            yield base + ("annotations", k, "note"), annotation.note


@content_rule(
    "GAL202",
    "unbalanced-math",
    summary="Must close every math delimiter it opens (`$`, `$$`, `\\(`, `\\[`)",
    fix="Close the formula, or write a literal dollar sign as `\\$`.",
    kinds=("homework", "question", "run", "run-question"),
)
def rule_balanced_math(ctx: FileContext) -> Iterator[Problem]:
    """GAL202: every math delimiter is closed."""
    for path, text in _markdown_fields(ctx.model):
        for issue in math_issues(text):
            mark = ctx.text_mark(path, issue.offset)
            in_file = ctx.loaded.data_path(path)
            where = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in in_file).replace(".[", "[")
            yield Problem(ctx.rel, mark.line, mark.col, "GAL202", f"{issue.message} (in `{where}`)")


# -- labels --------------------------------------------------------------------------------


def _labels(model: Any) -> list[tuple[tuple[Any, ...], str]]:
    if isinstance(model, QuestionFile):
        return [(("parts", i, "label"), part.label) for i, part in enumerate(model.parts)]
    if isinstance(model, RunQuestionFile):
        return [(("entries", i, "part"), entry.part) for i, entry in enumerate(model.entries)]
    return []


@content_rule(
    "GAL203",
    "label-question-mismatch",
    summary='Must label parts with their own question\'s number ("1(a)" in question 1)',
    fix="Fix the label.",
    kinds=("question", "run-question"),
)
def rule_labels_belong_to_question(ctx: FileContext) -> Iterator[Problem]:
    """GAL203: a part of question N is labelled N(...)."""
    for path, label in _labels(ctx.model):
        if label_question(label) != ctx.model.question:
            yield ctx.problem(
                "GAL203",
                f"Must label parts of question {ctx.model.question} as {ctx.model.question}(...), not {label!r}",
                *path,
            )


@content_rule(
    "GAL204",
    "duplicate-label",
    summary="Must not list the same part twice",
    fix="Merge the two entries or fix a label.",
    kinds=("question", "run-question"),
)
def rule_no_duplicate_labels(ctx: FileContext) -> Iterator[Problem]:
    """GAL204: each part appears once."""
    seen: dict[str, Mark] = {}
    for path, label in _labels(ctx.model):
        if label in seen:
            yield ctx.problem("GAL204", f"Must list part {label} once (first at line {seen[label].line})", *path)
        else:
            seen[label] = ctx.mark(*path)


@content_rule(
    "GAL205",
    "part-order",
    summary="Must list parts in homework order",
    fix="Move the part to its place: 1(a) before 1(b), 2(c)(i) before 2(c)(ii).",
    kinds=("question", "run-question"),
)
@content_rule(
    "GAL204",
    "duplicate-label",
    summary="Must not list the same part twice",
    fix="Merge the two entries or fix a label.",
    kinds=("question", "run-question"),
)
def rule_parts_in_order(ctx: FileContext) -> Iterator[Problem]:
    """GAL205: parts in homework order (repeats are GAL204's and are left out here)."""
    seen: set[str] = set()
    labels = []
    for path, label in _labels(ctx.model):
        if label not in seen:
            seen.add(label)
            labels.append((path, label))
    for (_, previous), (path, label) in zip(labels, labels[1:]):
        if label_sort_key(label) < label_sort_key(previous):
            yield ctx.problem("GAL205", f"Must list {label} before {previous} (homework order)", *path)


# -- grading -------------------------------------------------------------------------------


def _graded_items(model: RunQuestionFile) -> Iterator[tuple[tuple[Any, ...], str, Entry | Followup]]:
    for i, entry in enumerate(model.entries):
        yield ("entries", i), entry.part, entry
        for j, followup in enumerate(entry.followups):
            yield ("entries", i, "followups", j), f"{entry.part} (follow-up {j + 1})", followup


@content_rule(
    "GAL206",
    "missing-review-verdict",
    summary="Must have a review verdict for every entry and follow-up",
    fix="Set review.verdict to correct, partial, incorrect, skipped or not-asked.",
    kinds=("run-question",),
)
def rule_review_verdict_present(ctx: FileContext) -> Iterator[Problem]:
    """GAL206: every entry and follow-up has our review verdict."""
    for path, what, graded in _graded_items(ctx.model):
        if graded.review.verdict is None:
            yield ctx.problem("GAL206", f"Must have a review verdict for {what}", *path, "review", "verdict")


@content_rule(
    "GAL207",
    "missing-review-reason",
    summary="Must give a one-line reason with every review verdict",
    fix="Say why in review.reason, and why it differs from the annotator's verdict if it does.",
    kinds=("run-question",),
)
def rule_review_reason_present(ctx: FileContext) -> Iterator[Problem]:
    """GAL207: every review verdict comes with its reason."""
    for path, what, graded in _graded_items(ctx.model):
        if not (graded.review.reason or "").strip():
            yield ctx.problem("GAL207", f"Must give a one-line review reason for {what}", *path, "review", "reason")


@content_rule(
    "GAL208",
    "missing-answer",
    summary="Must have the answer text (or say why it is missing) when the verdict grades an answer",
    fix="Paste the answer, or set answer_missing to what happened to it.",
    kinds=("run-question",),
)
def rule_graded_answer_present(ctx: FileContext) -> Iterator[Problem]:
    """GAL208: a graded verdict needs the answer it grades, or a word on why it is missing."""
    for path, what, graded in _graded_items(ctx.model):
        if graded.review.verdict in GRADED_VERDICTS and not graded.answer and not graded.answer_missing:
            yield ctx.problem(
                "GAL208",
                f"Must have the answer for {what} (graded {graded.review.verdict}) or say why in answer_missing",
                *path,
            )


@content_rule(
    "GAL209",
    "answer-on-not-asked",
    summary="Must not have an answer for a part the run did not ask",
    fix="Use skipped if it was asked and not answered, or grade the answer.",
    kinds=("run-question",),
)
def rule_not_asked_has_no_answer(ctx: FileContext) -> Iterator[Problem]:
    """GAL209: not-asked means there is nothing to show."""
    for path, what, graded in _graded_items(ctx.model):
        if graded.review.verdict == NOT_ASKED and graded.answer:
            yield ctx.problem("GAL209", f"Must not have an answer for {what}: it is marked not-asked", *path, "answer")


@content_rule(
    "GAL213",
    "empty-annotation",
    summary="Must give a verdict or a note in every annotation",
    fix="Remove the empty annotation.",
    kinds=("run-question",),
)
def rule_annotations_not_empty(ctx: FileContext) -> Iterator[Problem]:
    """GAL213: an annotation says something."""
    for path, what, graded in _graded_items(ctx.model):
        for k, annotation in enumerate(graded.annotations):
            if annotation.verdict is None and not annotation.verdict_text and not annotation.note:
                yield ctx.problem(
                    "GAL213", f"Must give a verdict or a note in annotation {k + 1} of {what}", *path, "annotations", k
                )


# -- answer keys ---------------------------------------------------------------------------


@content_rule(
    "GAL211",
    "duplicate-key-item",
    summary="Must not repeat an answer-key item id within a part",
    fix="Give each item its own id.",
    kinds=("question",),
)
def rule_unique_key_items(ctx: FileContext) -> Iterator[Problem]:
    """GAL211: item ids are unique within a part."""
    for i, part in enumerate(ctx.model.parts):
        seen: set[str] = set()
        for j, item in enumerate(part.answer_key):
            if item.id in seen:
                yield ctx.problem(
                    "GAL211",
                    f"Must not repeat the answer-key item {item.id!r} in {part.label}",
                    "parts",
                    i,
                    "answer_key",
                    j,
                    "id",
                )
            seen.add(item.id)


@content_rule(
    "GAL212",
    "missing-reference",
    summary="Must have a reference solution for every graded part",
    fix="Write the reference, or mark the part graded: false if it is reading only.",
    kinds=("question",),
)
def rule_graded_parts_have_reference(ctx: FileContext) -> Iterator[Problem]:
    """GAL212: every graded part has our reference solution."""
    for i, part in enumerate(ctx.model.parts):
        if part.graded and not (part.reference or "").strip():
            yield ctx.problem("GAL212", f"Must have a reference solution for part {part.label}", "parts", i)


@content_rule(
    "GAL214",
    "bad-tolerance",
    summary="Must give a number key exactly one positive tolerance, and a reason when it is loose",
    fix="Use one of absolute, relative, factor; explain tolerances over 10% or factors in tolerance_reason.",
    kinds=("question",),
)
def rule_tolerances(ctx: FileContext) -> Iterator[Problem]:
    """GAL214: one positive tolerance; loose ones explained."""
    for i, part in enumerate(ctx.model.parts):
        for j, item in enumerate(part.answer_key):
            if not isinstance(item, NumberKey):
                continue
            path = ("parts", i, "answer_key", j, "tolerance")
            given = {k: v for k, v in item.tolerance.model_dump().items() if v is not None}
            if len(given) != 1:
                yield ctx.problem(
                    "GAL214",
                    f"Must give {item.id!r} exactly one of absolute, relative, factor (has {len(given)})",
                    *path,
                )
                continue
            ((kind, amount),) = given.items()
            if amount <= 0 or (kind == "factor" and amount <= 1):
                yield ctx.problem(
                    "GAL214",
                    f"Must give {item.id!r} a {kind} tolerance {'above 1' if kind == 'factor' else 'above 0'}, not {amount}",
                    *path,
                )
            loose = kind == "factor" or (kind == "relative" and amount > LOOSE_RELATIVE_TOLERANCE)
            if loose and not item.tolerance_reason:
                yield ctx.problem(
                    "GAL214", f"Must explain the loose tolerance of {item.id!r} in tolerance_reason", *path
                )


@content_rule(
    "GAL215",
    "bad-choice",
    summary="Must pick correct choices from the item's own options",
    fix="Make every entry of `correct` one of `options`.",
    kinds=("question",),
)
def rule_choices(ctx: FileContext) -> Iterator[Problem]:
    """GAL215: correct choices come from the item's options."""
    for i, part in enumerate(ctx.model.parts):
        for j, item in enumerate(part.answer_key):
            if isinstance(item, ChoiceKey):
                for wrong in [c for c in item.correct if c not in item.options]:
                    yield ctx.problem(
                        "GAL215",
                        f"Must pick {wrong!r} from the options of {item.id!r}",
                        "parts",
                        i,
                        "answer_key",
                        j,
                        "correct",  # the choice key's field, not a verdict
                    )
                if len(set(item.options)) != len(item.options):
                    yield ctx.problem(
                        "GAL215", f"Must not repeat an option of {item.id!r}", "parts", i, "answer_key", j, "options"
                    )


@content_rule(
    "GAL216",
    "bad-expression",
    summary="Must write expressions in the calculator syntax with only the listed variables",
    fix="Use + - * / ** ( ) numbers and the names in `variables`.",
    kinds=("question",),
)
def rule_expressions(ctx: FileContext) -> Iterator[Problem]:
    """GAL216: expressions parse and use only their variables."""
    for i, part in enumerate(ctx.model.parts):
        for j, item in enumerate(part.answer_key):
            if not isinstance(item, ExpressionKey):
                continue
            path = ("parts", i, "answer_key", j, "value")
            try:
                unknown = expressions.names(item.value) - set(item.variables)
            except expressions.ExpressionError as error:
                yield ctx.problem("GAL216", f"Must write {item.id!r} as a formula: it {error}", *path)
                continue
            if unknown:
                yield ctx.problem(
                    "GAL216", f"Must list {', '.join(sorted(unknown))} in the variables of {item.id!r}", *path
                )


@content_rule(
    "GAL217",
    "duplicate-given",
    summary="Must not define the same given twice",
    fix="Rename one.",
    kinds=("question",),
)
def rule_unique_givens(ctx: FileContext) -> Iterator[Problem]:
    """GAL217: each given is defined once."""
    seen: set[str] = set()
    for i, given in enumerate(ctx.model.givens):
        if given.name in seen:
            yield ctx.problem("GAL217", f"Must define the given {given.name!r} once", "givens", i, "name")
        seen.add(given.name)


# -- our public prose --------------------------------------------------------------------


def public_prose_fields(model: Any) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every field of our own words that the site shows readers, with its data path.

    Model answers, prompts and annotators' notes are quoted data, never listed here: they are
    shown as they were written, whatever they say.
    """
    if isinstance(model, HomeworkFile):
        yield ("source",), model.source
        yield ("summary",), model.summary
    elif isinstance(model, QuestionFile):
        yield ("title",), model.title
        yield ("statement",), model.statement
        if model.notes:
            yield ("notes",), model.notes
        for i, given in enumerate(model.givens):
            yield ("givens", i, "description"), given.description
        for i, part in enumerate(model.parts):
            yield ("parts", i, "title"), part.title
            yield ("parts", i, "prompt"), part.prompt
            if part.reference:
                yield ("parts", i, "reference"), part.reference
            for j, item in enumerate(part.answer_key):
                yield ("parts", i, "answer_key", j, "description"), item.description
                if isinstance(item, NumberKey) and item.tolerance_reason:
                    yield ("parts", i, "answer_key", j, "tolerance_reason"), item.tolerance_reason
    elif isinstance(model, RunFile):
        yield ("label",), model.label
        yield ("strategy_note",), model.strategy_note
        if model.notes:
            yield ("notes",), model.notes
        for i, repair in enumerate(model.repairs):
            yield ("repairs", i), repair
        for i, cited in enumerate(model.source_documents):
            yield ("source_documents", i, "description"), cited.description
    elif isinstance(model, RunQuestionFile):
        for path, _, graded in _graded_items(model):
            if graded.review.reason:
                yield path + ("review", "reason"), graded.review.reason
            if graded.answer_missing:
                yield path + ("answer_missing",), graded.answer_missing
    elif isinstance(model, SourcesFile):
        for i, document in enumerate(model.documents):
            yield ("documents", i, "title"), document.title
            yield ("documents", i, "form"), document.form
            yield ("documents", i, "description"), document.description


@content_rule(
    "GAL218",
    "internal-name-in-prose",
    summary="Must cite runs and source documents by link, not by file name or as a seed, in public text",
    fix="Write [](run:RUN_ID) for a run (its label is shown), [](run:RUN_ID#5h) for its answer to a part, "
    "or [](source:FILE) for a source document (its title is shown, linked to the Sources page).",
    kinds=("homework", "question", "run", "run-question", "sources"),
)
def rule_no_internal_names(ctx: FileContext) -> Iterator[Problem]:
    """GAL218: readers know runs by their labels and documents by their titles."""
    for path, text in public_prose_fields(ctx.model):
        for finding in prose.internal_names(text):
            mark = ctx.text_mark(path, finding.offset)
            yield Problem(
                ctx.rel,
                mark.line,
                mark.col,
                "GAL218",
                f"Must not say {finding.words!r} to readers: link the run or the source document instead",
            )


@content_rule(
    "GAL219",
    "schema-word-in-prose",
    summary="Must not use the data format's field names in public text",
    fix="Say it in the reader's words; a note for maintainers goes in a YAML comment.",
    kinds=("homework", "question", "run", "run-question", "sources"),
)
def rule_no_schema_words(ctx: FileContext) -> Iterator[Problem]:
    """GAL219: readers do not know the file format's vocabulary."""
    for path, text in public_prose_fields(ctx.model):
        for finding in prose.schema_words(text):
            mark = ctx.text_mark(path, finding.offset)
            yield Problem(
                ctx.rel, mark.line, mark.col, "GAL219", f"Must not say {finding.words!r} to readers (a field name)"
            )


def rules_for(kind: FileKind) -> list[Rule]:
    """The registered content rules that apply to a file kind, each function once, in order."""
    seen: dict[Rule, None] = {}  # insertion-ordered set
    for _, function, options in CONTENT_RULES:
        if kind in options["kinds"]:
            seen.setdefault(function, None)
    return list(seen)


def check_file(where: DataPath, loaded: LoadedFile) -> list[Problem]:
    ctx = FileContext(where, loaded)
    return [problem for rule in rules_for(cast(FileKind, where.kind)) for problem in rule(ctx)]


@content_rule(
    "GAL220",
    "unreadable-key-unit",
    summary="Must give number key items a unit the automatic check can read in answers",
    fix='Use one of the units listed in the schema docs (e.g. "MB", "USD", "s", "tokens/min", "times"), or "".',
    kinds=("question",),
)
def rule_key_units_readable(ctx: FileContext) -> Iterator[Problem]:
    """GAL220: the extraction converts answers' numbers to each number item's unit, so it must know it."""
    for i, part in enumerate(ctx.model.parts):
        for j, item in enumerate(part.answer_key):
            if isinstance(item, NumberKey):
                try:
                    extract.key_unit(item.unit)
                except extract.UnknownUnit:
                    yield ctx.problem(
                        "GAL220",
                        f"Must give {item.id!r} of {part.label} a unit the check can read, not {item.unit!r}",
                        "parts",
                        i,
                        "answer_key",
                        j,
                        "unit",
                    )
