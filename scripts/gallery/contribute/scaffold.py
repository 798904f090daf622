"""`gallery new-run`: scaffold a run so that `gallery validate` lists exactly what is left to fill in.

It writes run.yaml and one q<N>.yaml per chosen question with an entry for every part,
answers empty and verdicts not yet given.
"""

from __future__ import annotations

import re
from pathlib import Path

from gallery.data.layout import run_folder_path, schema_comment_for, source_document_path, sources_file_path
from gallery.data.models import SLUG_PATTERN, QuestionFile
from gallery.rules import load_repository

# -- new-run ---------------------------------------------------------------------------------

RUN_TEMPLATE = """\
{schema_comment}
# Fill in every `null` below; `gallery validate` lists what is still missing.
run: {run}
homework: {homework}
label: {label}  # short column label, at most 28 characters
model:
  name: {model}  # as the chat interface showed it, or "unknown"
  vendor: null  # e.g. "OpenAI", "Moonshot AI", or "unknown"
interface: null  # web-chat | api | app | unknown
date: null  # "YYYY-MM-DD" (quoted) if known; else delete the line
strategy: null  # one-shot | part-by-part | mixed
strategy_note: null  # how you gave the prompts, in a sentence or two
modality: null  # pasted-text | screenshots | pdf-upload | mixed
contributor: null  # your name or handle
annotators: []  # e.g. - {{id: author, name: "Your Name", role: "ran the session and marked each part"}}
source_documents:  # the files in sources/{homework}/ the answers are copied from
  - file: {source}
    description: null  # what this file holds for this run
repairs: []
"""

SOURCE_TEMPLATE = """\
  - file: {file}
    title: null  # what readers should call it, e.g. the write-up's title
    form: null  # what the file is, e.g. "a ChatGPT data export" or "text copied from a chat"
    description: null  # what it holds, in a sentence or two
"""

SOURCES_HEADER = """\
{schema_comment}
# The documents the {homework} runs were copied from, each kept here exactly as it reached us.
homework: {homework}
documents:
"""


def scaffold_run_question(run: str, question: QuestionFile) -> str:
    """A q<N>.yaml with one entry per part, answer and verdict left empty."""
    lines = [
        f"run: {run}",
        f"question: {question.question}",
        "entries:",
    ]
    for part in question.parts:
        lines += [
            f'  - part: "{part.label}"',
            "    answer: null  # paste the answer as a block: `answer: |` then the text indented below",
            "    review:",
            "      verdict: null  # correct | partial | incorrect | skipped | not-asked",
            "      reason: null  # one line: why",
        ]
    return "\n".join(lines) + "\n"


class ContributeError(Exception):
    pass


def add_source_document(root: Path, homework: str, source: Path, described: set[str]) -> list[Path]:
    """Copy a contributor's original file into sources/<hw>/ and add its entry (to fill in) to sources.yaml."""
    if source.is_symlink() or not source.is_file():
        raise ContributeError(f"{source} is not a regular file")
    name = source.name
    if not re.match(r"^[A-Za-z0-9._-]+$", name) or len(name) > 120:
        raise ContributeError(f"rename {source.name!r} to letters, digits, '.', '_' and '-' only (at most 120) first")
    target = root / source_document_path(homework, name)
    if target.exists() and target.read_bytes() != source.read_bytes():
        raise ContributeError(
            f"{source_document_path(homework, name)} already exists with other content: rename your file"
        )
    written = []
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
        written.append(target)
    if name not in described:
        sources_file = root / sources_file_path(homework)
        text = (
            sources_file.read_text(encoding="utf-8")
            if sources_file.exists()
            else SOURCES_HEADER.format(
                schema_comment=schema_comment_for(sources_file_path(homework), "sources"), homework=homework
            )
        )
        if not text.endswith("\n"):
            text += "\n"
        sources_file.write_text(text + SOURCE_TEMPLATE.format(file=_quote(name)), encoding="utf-8")
        written.append(sources_file)
    return written


def new_run(
    root: Path, homework: str, run: str, model: str, questions: list[int] | None, source: Path | None = None
) -> list[Path]:
    repo = load_repository(root)
    if homework not in repo.homeworks or repo.homeworks[homework].meta is None:
        known = ", ".join(sorted(repo.homeworks)) or "none"
        raise ContributeError(f"no homework {homework!r} in solutions/ (known: {known})")
    if not re.match(SLUG_PATTERN, run) or len(run) > 64:
        raise ContributeError(f"run id {run!r} must be lowercase words joined by hyphens, e.g. gpt-5-pdf-one-shot")
    folder = root / "transcripts" / homework / run
    if folder.exists() or any(run_id == run for (_, run_id) in repo.runs):
        raise ContributeError(f"a run called {run!r} already exists")
    available = repo.homeworks[homework].questions
    chosen = sorted(available) if not questions else questions
    unknown = [n for n in chosen if n not in available]
    if unknown:
        raise ContributeError(
            f"{homework} has no question {', '.join(map(str, unknown))} (it has {', '.join(map(str, sorted(available)))})"
        )
    sources = repo.homeworks[homework].sources
    written = (
        add_source_document(root, homework, source, {d.file for d in sources.documents} if sources else set())
        if source is not None
        else []
    )
    folder.mkdir(parents=True)
    rel = run_folder_path(homework, run)
    run_file = folder / "run.yaml"
    run_file.write_text(
        RUN_TEMPLATE.format(
            schema_comment=schema_comment_for(f"{rel}/run.yaml", "run"),
            run=run,
            homework=homework,
            label=_quote(model[:28]),
            model=_quote(model),
            source=_quote(source.name) if source is not None else "null",
        ),
        encoding="utf-8",
    )
    written.append(run_file)
    for number in chosen:
        path = folder / f"q{number}.yaml"
        path.write_text(
            schema_comment_for(f"{rel}/q{number}.yaml", "run-question")
            + "\n"
            + scaffold_run_question(run, available[number]),
            encoding="utf-8",
        )
        written.append(path)
    return written


def _quote(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)
