"""The data export: `<homework>.json` (everything) and `<homework>-verdicts.csv` (one row per entry).

The export's shape is itself a set of models, so its JSON Schema is generated like the
data files' and a test validates every export against it. The site publishes the same
files under `data/`.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from gallery.data.models import (
    Annotation,
    Entry,
    Followup,
    FollowupKind,
    Given,
    HomeworkFile,
    KeyItem,
    Modality,
    ModelInfo,
    Strategy,
    Verdict,
    label_sort_key,
)
from gallery.data.repository import Repository, Run
from gallery.grading.assess import AssessedRepository, assess

EXPORT_FORMAT_VERSION = 1


class _Export(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ExportPart(_Export):
    label: str
    title: str
    prompt: str
    graded: bool
    optional: bool
    reference: str | None
    answer_key: list[KeyItem]
    notebooks: list[str]


class ExportQuestion(_Export):
    number: int
    title: str
    statement: str
    givens: list[Given]
    notes: str | None
    parts: list[ExportPart]


class ExportFlag(_Export):
    kind: str = Field(description="annotator-vs-review, auto-vs-review or auto-vs-annotator")
    first: Verdict = Field(description="The verdict of the first grader named in `kind`.")
    second: Verdict = Field(description="The verdict of the second grader named in `kind`.")


class ExportFollowup(_Export):
    kind: FollowupKind
    prompt: str
    answer: str | None
    answer_missing: str | None
    annotator_verdict: Verdict | None
    annotations: list[Annotation]
    review_verdict: Verdict
    review_reason: str
    auto_verdict: Verdict | None = Field(
        description="The automatic check's verdict from the values read in the answer text, or null."
    )
    flags: list[ExportFlag] = Field(description="Disagreements among annotator, review and auto-check.")
    answer_findings: list[str] = Field(
        description="What the automatic reading found in the answer itself: two values for one key item, mixed readings."
    )
    stated: dict[str, Any]
    tags: list[str]


class ExportEntry(_Export):
    part: str = Field(description="The part label as the homework writes it.")
    prompt: str | None
    answer: str | None
    answer_missing: str | None
    annotator_verdict: Verdict | None = Field(description="The first annotator verdict given, or null.")
    annotations: list[Annotation]
    review_verdict: Verdict
    review_reason: str
    followups: list[ExportFollowup]
    final_review_verdict: Verdict = Field(
        description="The review verdict after the last follow-up (or the first, if none)."
    )
    auto_verdict: Verdict | None = Field(
        description="The automatic check's verdict from the values read in the answer text, or null."
    )
    flags: list[ExportFlag] = Field(description="Disagreements among annotator, review and auto-check.")
    answer_findings: list[str] = Field(
        description="What the automatic reading found in the answer itself: two values for one key item, mixed readings."
    )
    tags: list[str]
    stated: dict[str, Any]


class ExportRun(_Export):
    id: str
    label: str
    model: ModelInfo
    interface: str
    date: str | None
    date_basis: str | None
    strategy: Strategy
    strategy_note: str
    modality: Modality
    contributor: str
    annotators: list[dict[str, str]]
    source_documents: list[str] = Field(description="File names of the documents the run was copied from.")
    repairs: list[str]
    notes: str | None
    entries: list[ExportEntry]


class Export(_Export):
    format_version: int
    homework: HomeworkFile
    questions: list[ExportQuestion]
    runs: list[ExportRun]


def export_schema() -> dict:
    schema = Export.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def _first_verdict(annotations: list[Annotation]) -> Verdict | None:
    return next((a.verdict for a in annotations if a.verdict is not None), None)


def _grades(repo: AssessedRepository, graded: Entry | Followup) -> dict[str, Any]:
    assessment = repo.assessment(graded)
    flags = [ExportFlag(kind=f.kind, first=f.first, second=f.second) for f in assessment.flags if "-vs-" in f.kind]
    findings = [f.text() for f in assessment.flags if "-vs-" not in f.kind]
    return {"auto_verdict": assessment.auto.verdict, "flags": flags, "answer_findings": findings}


def _run_export(repo: AssessedRepository, run: Run) -> ExportRun:
    meta = run.meta
    assert meta is not None
    entries = []
    for number in sorted(run.questions):
        for entry in sorted(run.questions[number].entries, key=lambda e: label_sort_key(e.part)):
            followups = [
                ExportFollowup(
                    kind=f.kind,
                    prompt=f.prompt,
                    answer=f.answer,
                    answer_missing=f.answer_missing,
                    annotator_verdict=_first_verdict(f.annotations),
                    annotations=f.annotations,
                    review_verdict=f.review.verdict,
                    review_reason=f.review.reason or "",
                    stated=f.stated,
                    tags=list(f.tags),
                    **_grades(repo, f),
                )
                for f in entry.followups
            ]
            entries.append(
                ExportEntry(
                    part=entry.part,
                    prompt=entry.prompt,
                    answer=entry.answer,
                    answer_missing=entry.answer_missing,
                    annotator_verdict=_first_verdict(entry.annotations),
                    annotations=entry.annotations,
                    review_verdict=entry.review.verdict,
                    review_reason=entry.review.reason or "",
                    followups=followups,
                    final_review_verdict=(followups[-1].review_verdict if followups else entry.review.verdict),
                    tags=list(entry.tags),
                    stated=entry.stated,
                    **_grades(repo, entry),
                )
            )
    return ExportRun(
        id=meta.run,
        label=meta.label,
        model=meta.model,
        interface=meta.interface,
        date=meta.date,
        date_basis=meta.date_basis,
        strategy=meta.strategy,
        strategy_note=meta.strategy_note,
        modality=meta.modality,
        contributor=meta.contributor,
        annotators=[a.model_dump() for a in meta.annotators],
        source_documents=[d.file for d in meta.source_documents],
        repairs=list(meta.repairs),
        notes=meta.notes,
        entries=entries,
    )


def _assessed(repo: Repository) -> AssessedRepository:
    return repo if isinstance(repo, AssessedRepository) else assess(repo)


def build_export(repo: Repository, homework: str) -> Export:
    """The whole homework as one export object (the repository must be free of problems)."""
    repo = _assessed(repo)
    hw = repo.homeworks[homework]
    assert hw.meta is not None
    questions = [
        ExportQuestion(
            number=q.question,
            title=q.title,
            statement=q.statement,
            givens=q.givens,
            notes=q.notes,
            parts=[
                ExportPart(
                    label=p.label,
                    title=p.title,
                    prompt=p.prompt,
                    graded=p.graded,
                    optional=p.optional,
                    reference=p.reference,
                    answer_key=p.answer_key,
                    notebooks=p.notebooks,
                )
                for p in q.parts
            ],
        )
        for _, q in sorted(hw.questions.items())
    ]
    runs = [_run_export(repo, run) for run in repo.runs_for(homework) if run.meta is not None]
    return Export(format_version=EXPORT_FORMAT_VERSION, homework=hw.meta, questions=questions, runs=runs)


CSV_COLUMNS = (
    "homework",
    "run",
    "run_label",
    "model",
    "vendor",
    "strategy",
    "modality",
    "question",
    "part",
    "graded",
    "review_verdict",
    "annotator_verdict",
    "auto_verdict",
    "flags",
    "followups",
    "final_review_verdict",
    "tags",
)


def export_json(export: Export) -> bytes:
    """The export as indented JSON, in UTF-8: the text of `json.dumps(..., indent=1, ensure_ascii=False)`.

    Bytes, encoded piece by piece, not one string: a single character outside the Basic
    Multilingual Plane (an emoji in an answer) makes Python store a whole string at four bytes
    per character, and a course's export is tens of megabytes.
    """
    out = io.BytesIO()
    pieces: list[str] = []
    for piece in json.JSONEncoder(indent=1, ensure_ascii=False).iterencode(export.model_dump(mode="json")):
        pieces.append(piece)
        if len(pieces) == 4096:
            out.write("".join(pieces).encode("utf-8"))
            pieces.clear()
    pieces.append("\n")
    out.write("".join(pieces).encode("utf-8"))
    return out.getvalue()


def export_csv(export: Export) -> str:
    graded = {p.label: p.graded for q in export.questions for p in q.parts}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for run in export.runs:
        for entry in run.entries:
            writer.writerow(
                [
                    export.homework.homework,
                    run.id,
                    run.label,
                    run.model.name,
                    run.model.vendor,
                    run.strategy,
                    run.modality,
                    entry.part.split("(")[0],
                    entry.part,
                    str(graded.get(entry.part, True)).lower(),
                    entry.review_verdict,
                    entry.annotator_verdict or "",
                    entry.auto_verdict or "",
                    ";".join(f"{f.kind}:{f.first}/{f.second}" for f in entry.flags),
                    len(entry.followups),
                    entry.final_review_verdict,
                    ";".join(entry.tags),
                ]
            )
    return buffer.getvalue()


SCHEMA_FILE = "export.schema.json"


def homework_export_names(homework: str) -> tuple[str, str]:
    """The JSON and CSV file names of one homework's export."""
    return f"{homework}.json", f"{homework}-verdicts.csv"


def export_homework(repo: Repository, homework: str) -> dict[str, bytes]:
    """File name -> UTF-8 content for one homework's export (its JSON and CSV files)."""
    export = build_export(_assessed(repo), homework)
    json_name, csv_name = homework_export_names(homework)
    return {json_name: export_json(export), csv_name: export_csv(export).encode("utf-8")}


def export_schema_text() -> str:
    return json.dumps(export_schema(), indent=2, ensure_ascii=False) + "\n"


def export_files(repo: Repository) -> dict[str, bytes]:
    """File name -> UTF-8 content for every homework's export."""
    repo = _assessed(repo)
    files: dict[str, bytes] = {}
    for homework in sorted(repo.homeworks):
        if repo.homeworks[homework].meta is None:
            continue
        files.update(export_homework(repo, homework))
    files[SCHEMA_FILE] = export_schema_text().encode("utf-8")
    return files


def write_export(repo: Repository, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in export_files(repo).items():
        path = out_dir / name
        path.write_bytes(data)
        written.append(path)
    return written
