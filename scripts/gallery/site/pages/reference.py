"""Reference pages generated from the code: the error-code table and the data-file format.

Both come straight from the single sources of truth (`gallery.data.codes.RULES` and the models
in `gallery.data.models`), so the docs cannot drift from what the validator enforces.
"""

from __future__ import annotations

import types
import typing
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

import gallery.rules  # noqa: F401  (registers the content and tree rules' codes)
from gallery.data.codes import sorted_rules
from gallery.data.models import (
    FAILURE_TAGS,
    FOLLOWUP_MEANINGS,
    MODALITY_MEANINGS,
    STRATEGY_MEANINGS,
    VERDICT_MEANINGS,
    Annotation,
    Annotator,
    BooleanKey,
    ChoiceKey,
    CountKey,
    Entry,
    ExpressionKey,
    Followup,
    Given,
    HomeworkFile,
    ModelInfo,
    NumberKey,
    Part,
    QuestionFile,
    Review,
    RunFile,
    RunQuestionFile,
    SourceDocument,
    Tolerance,
)
from gallery.site.pages.common import front_matter, h, raw_block, table

SCOPE_WORDS = {
    "file": "reading the file",
    "schema": "the schema",
    "content": "one file's content",
    "tree": "across files",
}


def inline_code(text: str) -> str:
    """Plain text with `backticked` spans shown as code (rule texts mention delimiters and keys)."""
    parts = text.split("`")
    return "".join(f"<code>{h(part)}</code>" if index % 2 else h(part) for index, part in enumerate(parts))


def render_error_codes_table() -> str:
    rows = [
        [
            f'<code id="{rule.code.lower()}">{rule.code}</code>',
            f"<code>{h(rule.name)}</code>",
            h(SCOPE_WORDS[rule.scope]),
            h(rule.severity),
            inline_code(rule.summary),
            inline_code(rule.fix),
        ]
        for rule in sorted_rules()
    ]
    return table(["Code", "Name", "Checked in", "Level", "Rule", "How to fix"], rows, css="error-codes")


def render_error_codes_page() -> str:
    intro = (
        "<p><code>gallery validate</code> prints every problem as <code>path:line:col: CODE message</code>, "
        "all problems in one pass, then how to fix each code that occurred and a count, and exits with status 1 if there is any error. A "
        "warning asks you to look at something but does not block validation or the build. Codes are stable: "
        "a code never changes meaning and is never reused. <code>--format github</code> prints GitHub Actions "
        "annotations and <code>--format json</code> a JSON document for tools.</p>"
    )
    return (
        front_matter("Error codes", "Every rule the validator enforces")
        + "# Error codes\n"
        + raw_block(intro + render_error_codes_table())
    )


def render_verdict_table() -> str:
    """Each verdict with its badge and meaning (the grading guide's table)."""
    from gallery.site.badges import badge

    rows = [
        [badge(verdict, "review", label=False), f"<code>{h(verdict)}</code>", h(meaning)]
        for verdict, meaning in VERDICT_MEANINGS.items()
    ]
    return table(["Badge", "Verdict", "Meaning"], rows)


def type_name(annotation: Any) -> str:
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin is typing.Annotated:
        return type_name(args[0])
    if origin is Literal:
        return " | ".join(f'"{a}"' if isinstance(a, str) else str(a) for a in args)
    if origin in (Union, types.UnionType):
        names = [type_name(a) for a in args if a is not type(None)]
        return " | ".join(names) + (" | null" if type(None) in args else "")
    if origin is list:
        return f"list of {type_name(args[0])}"
    if origin is dict:
        return f"mapping of {type_name(args[0])} to {type_name(args[1])}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation.__name__
    return {str: "text", int: "whole number", float: "number", bool: "true/false", typing.Any: "value"}.get(
        annotation, str(annotation)
    )


def model_table(model: type[BaseModel], level: str = "###") -> str:
    """A Markdown heading and a raw-HTML table of the model's keys."""
    rows = []
    for name, field in model.model_fields.items():
        required = "required" if field.is_required() else "optional"
        rows.append([f"<code>{h(name)}</code>", h(type_name(field.annotation)), required, h(field.description or "")])
    doc = " ".join((model.__doc__ or "").strip().split("\n\n")[0].split())
    return f"{level} {model.__name__} {{#{model.__name__.lower()}}}\n" + raw_block(
        f"<p>{h(doc)}</p>" + table(["Key", "Type", "", "Meaning"], rows)
    )


def vocabulary(title: str, anchor: str, meanings: dict[str, str], level: str = "###") -> str:
    rows = [[f"<code>{h(k)}</code>", h(v)] for k, v in meanings.items()]
    return f"{level} {title} {{#{anchor}}}\n" + raw_block(table(["Value", "Meaning"], rows))


FILE_KIND_MODELS: list[tuple[str, str, list[type[BaseModel]]]] = [
    ("solutions/HW/homework.yaml", "homework", [HomeworkFile]),
    (
        "solutions/HW/qN.yaml",
        "question",
        [QuestionFile, Given, Part, NumberKey, Tolerance, BooleanKey, ChoiceKey, CountKey, ExpressionKey],
    ),
    ("transcripts/HW/RUN/run.yaml", "run", [RunFile, ModelInfo, Annotator, SourceDocument]),
    ("transcripts/HW/RUN/qN.yaml", "run-question", [RunQuestionFile, Entry, Review, Annotation, Followup]),
]


def render_file_format_body(level: int = 2) -> str:
    """Markdown for every file kind and vocabulary; headings start at `level`."""
    top, sub = "#" * level, "#" * (level + 1)
    out = []
    for path, anchor, models in FILE_KIND_MODELS:
        out.append(f"{top} `{path}` {{#{anchor}}}\n")
        out.extend(model_table(model, sub) for model in models)
    out.append(f"{top} Vocabularies {{#vocabularies}}\n")
    out.append(vocabulary("Verdicts", "verdicts", VERDICT_MEANINGS, sub))
    out.append(vocabulary("Failure tags", "failure-tags", FAILURE_TAGS, sub))
    out.append(vocabulary("Strategies", "strategies", STRATEGY_MEANINGS, sub))
    out.append(vocabulary("Input modalities", "modalities", MODALITY_MEANINGS, sub))
    out.append(vocabulary("Follow-up kinds", "followup-kinds", FOLLOWUP_MEANINGS, sub))
    return "\n".join(out)


def render_file_format_page() -> str:
    intro = (
        "<p>Generated from the typed models in <code>scripts/gallery/models.py</code>, the same models that "
        "generate the JSON Schemas in <code>schemas/</code> which editors use through each file's first line. "
        "Unknown keys are errors; nothing is coerced.</p>"
    )
    return (
        front_matter("File format", "The data files and every key they may hold")
        + "# File format\n"
        + raw_block(intro)
        + render_file_format_body()
    )
