"""`gallery new-homework`: scaffold solutions/HW/ so that `gallery validate` lists what is left to write.

It writes homework.yaml and one q<N>.yaml per question, every field a maintainer must write left
`null` with a comment saying what goes there, and one placeholder part per question. The files
do not validate until they are written; once they do, the site shows the homework (its section
in the navigation, its grid, and a line on the Homeworks page) with no other change.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from gallery.contribute.scaffold import ContributeError
from gallery.data.layout import homework_file_path, question_file_path, schema_comment_for
from gallery.data.models import HOMEWORK_ID_PATTERN

HOMEWORK_TEMPLATE = """\
{schema_comment}
# Fill in every `null` below; `gallery validate` lists what is still missing.
homework: {homework}
course: {course}  # e.g. "CS182/282A: Deep Neural Networks"
institution: {institution}
term: {term}  # e.g. "Fall 2025"
title: {title}
source: null  # where the homework comes from and how its text reached us (Markdown)
summary: null  # what the homework covers, in a sentence or two
"""

QUESTION_TEMPLATE = """\
{schema_comment}
# Fill in every `null`; add one entry under `parts` per part the homework asks.
homework: {homework}
question: {number}
title: null  # the question's own title
statement: null  # the shared setup, in our own words, keeping every given (Markdown)
givens: []  # e.g. - {{name: m, value: 10, unit: "", description: "rows"}}
parts:
  - label: "{number}(a)"
    title: null  # a few words naming what the part asks
    prompt: null  # the part's statement, in our own words (Markdown)
    reference: null  # our reference solution, with its derivation (Markdown)
    answer_key: []  # checkable results: see the contributing guide, "Writing answer keys the check can read"
"""


def _quote(value: str | None) -> str:
    return json.dumps(value, ensure_ascii=False) if value else "null"


def new_homework(
    root: Path,
    homework: str,
    title: str,
    questions: list[int],
    *,
    course: str | None = None,
    institution: str | None = None,
    term: str | None = None,
) -> list[Path]:
    if not re.fullmatch(HOMEWORK_ID_PATTERN, homework) or len(homework) > 32:
        raise ContributeError(f"homework id {homework!r} must be lowercase letters and digits, e.g. hw12")
    folder = root / "solutions" / homework
    if folder.exists():
        raise ContributeError(f"solutions/{homework}/ already exists")
    if not title.strip() or "\n" in title:
        raise ContributeError("--title must be one line, e.g. 'Homework 12'")
    folder.mkdir(parents=True)
    written = []
    path = root / homework_file_path(homework)
    path.write_text(
        HOMEWORK_TEMPLATE.format(
            schema_comment=schema_comment_for(homework_file_path(homework), "homework"),
            homework=homework,
            course=_quote(course),
            institution=_quote(institution),
            term=_quote(term),
            title=_quote(title.strip()),
        ),
        encoding="utf-8",
    )
    written.append(path)
    for number in questions:
        rel = question_file_path(homework, number)
        path = root / rel
        path.write_text(
            QUESTION_TEMPLATE.format(
                schema_comment=schema_comment_for(rel, "question"), homework=homework, number=number
            ),
            encoding="utf-8",
        )
        written.append(path)
    return written
