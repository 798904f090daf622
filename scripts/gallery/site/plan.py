"""The site's plan: which runs go on which page, computed once per build.

`plan(repo)` takes an assessed repository and adds, per homework, the published runs, how
they are split over question pages and grid pages, which page holds each run's answers,
every graded answer with its place (for the analysis pages), and the flagged ones. Page
renderers look these up; none of them recomputes them. The list of generated pages and the
navigation are both derived from this plan in one pass (`gallery.site.build.site_pages`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import NamedTuple

from gallery.data.models import Entry, Followup, Part, QuestionFile
from gallery.data.repository import Run
from gallery.grading.assess import AssessedRepository
from gallery.grading.check import Flag
from gallery.site.pages.common import RUNS_PER_GRID_PAGE, RUNS_PER_QUESTION_PAGE, chunks, question_page


class Row(NamedTuple):  # a tuple: tens of thousands are made on every rebuild at course scale
    """One graded answer in the homework: where it is and what was said of it."""

    run: Run
    question: QuestionFile
    part: Part
    entry: Entry
    graded: Entry | Followup  # the entry itself or one of its follow-ups
    followup: int | None  # 1-based follow-up number, or None for the first answer


@dataclass
class HomeworkPlan:
    runs: list[Run]  # published runs (with a run.yaml that loaded), in id order
    question_chunks: dict[int, list[list[Run]]]  # per question, the runs of each of its pages
    answer_pages: dict[tuple[int, str], str]  # (question, run id) -> the question page holding its answers
    grid_chunks: list[list[Run]]  # the runs of each grid page (the first is on the home page)
    rows: list[Row]  # every answer to a part the question has, first answers and follow-ups
    audit: list[tuple[Row, tuple[Flag, ...]]]  # the answers whose graders disagree


@dataclass
class PlannedRepository(AssessedRepository):
    """An assessed repository with the site's plan for each homework."""

    plans: dict[str, HomeworkPlan] = field(default_factory=dict, repr=False)


def _rows(repo: AssessedRepository, homework: str, runs: list[Run]) -> list[Row]:
    rows = []
    for run in runs:
        for number, run_question in sorted(run.questions.items()):
            question = repo.question(homework, number)
            if question is None:
                continue
            parts = {p.label: p for p in question.parts}
            for entry in run_question.entries:
                part = parts.get(entry.part)
                if part is None:
                    continue
                rows.append(Row(run, question, part, entry, entry, None))
                rows += [Row(run, question, part, entry, f, i + 1) for i, f in enumerate(entry.followups)]
    return rows


def plan_homework(repo: AssessedRepository, homework: str) -> HomeworkPlan:
    runs = [run for run in repo.runs_for(homework) if run.meta is not None]
    hw = repo.homeworks[homework]
    question_chunks = {
        n: chunks([run for run in runs if n in run.questions], RUNS_PER_QUESTION_PAGE) for n in sorted(hw.questions)
    }
    answer_pages = {
        (n, run.id): question_page(homework, n, index)
        for n, pages in question_chunks.items()
        for index, chunk in enumerate(pages)
        for run in chunk
    }
    rows = _rows(repo, homework, runs)
    audit = [(row, flags) for row in rows if (flags := repo.assessment(row.graded).flags)]
    return HomeworkPlan(runs, question_chunks, answer_pages, chunks(runs, RUNS_PER_GRID_PAGE), rows, audit)


def plan(repo: AssessedRepository) -> PlannedRepository:
    planned = PlannedRepository(**{f.name: getattr(repo, f.name) for f in fields(AssessedRepository)})
    planned.plans = {
        homework: plan_homework(repo, homework)
        for homework, hw in sorted(repo.homeworks.items())
        if hw.meta is not None
    }
    return planned


def question_chunks(repo: PlannedRepository, homework: str, number: int) -> list[list[Run]]:
    """The runs covering a question, split into the pages of that question (at least one page)."""
    return repo.plans[homework].question_chunks.get(number, [[]])


def answer_page(repo: PlannedRepository, homework: str, number: int, run_id: str) -> str:
    """The question page that holds a run's answers to a question."""
    return repo.plans[homework].answer_pages.get((number, run_id), question_page(homework, number))
