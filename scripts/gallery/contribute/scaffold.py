"""`gallery new-run`: scaffold a run so that `gallery validate` lists exactly what is left to fill in.

It writes run.yaml and one q<N>.yaml per chosen question with an entry for every part,
answers empty and verdicts not yet given.
"""

from __future__ import annotations

import re
from pathlib import Path

from gallery.data.layout import run_folder_path, schema_comment_for
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
source_documents:
  - {{file: "chat.md", description: "the chat export"}}
repairs: []
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


def new_run(root: Path, homework: str, run: str, model: str, questions: list[int] | None) -> list[Path]:
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
    folder.mkdir(parents=True)
    rel = run_folder_path(homework, run)
    written = []
    run_file = folder / "run.yaml"
    run_file.write_text(
        RUN_TEMPLATE.format(
            schema_comment=schema_comment_for(f"{rel}/run.yaml", "run"),
            run=run,
            homework=homework,
            label=_quote(model[:28]),
            model=_quote(model),
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
