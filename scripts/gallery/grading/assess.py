"""The one assessment step: every answer's automatic check, disagreement flags and final verdict, once.

`assess(repo)` walks every entry and follow-up of every run once and returns an
`AssessedRepository`: the same data plus, for each answer, what the automatic check found
and where its graders disagree. The export, the site and the analysis pages read these
results; none of them runs the check itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from gallery.data.models import Entry, Followup, Part, QuestionFile, RunQuestionFile
from gallery.data.repository import Repository, Run
from gallery.grading.check import AutoCheck, Flag, flags_for, read_answer

NO_CHECK = AutoCheck(None, (), ())


@dataclass(frozen=True)
class Assessment:
    """What the grading step concluded about one answer (a first answer or a follow-up's)."""

    part: Part | None
    auto: AutoCheck
    flags: tuple[Flag, ...]

    @property
    def disagreement(self) -> str | None:
        """What the graders of the answer disagree about, in words, or None."""
        return "; ".join(flag.text() for flag in self.flags) if self.flags else None


def final_verdict(entry: Entry) -> str | None:
    """The review verdict after the last follow-up, or the first one."""
    return entry.followups[-1].review.verdict if entry.followups else entry.review.verdict


def assess_answer(part: Part | None, graded: Entry | Followup, question: QuestionFile | None = None) -> Assessment:
    """The automatic check reads the answer text itself; typed `stated` values only cross-check it."""
    givens = question.givens if question is not None else []
    related = [item for p in question.parts for item in p.answer_key] if question is not None else []
    auto = read_answer(part, graded.answer, givens, related) if part is not None and graded.answer else NO_CHECK
    return Assessment(part, auto, flags_for(graded, auto))


@dataclass
class AssessedRepository(Repository):
    """A repository with every answer assessed (see `assess`)."""

    assessments: dict[int, Assessment] = field(default_factory=dict, repr=False)  # by id() of the entry or follow-up

    def assessment(self, graded: Entry | Followup) -> Assessment:
        try:
            return self.assessments[id(graded)]
        except KeyError:
            raise KeyError("this answer is not in the assessed repository") from None


def answers_of(repo: Repository, run: Run) -> list[tuple[Part | None, Entry | Followup]]:
    """Every answer of a run (first answers and follow-ups), with its part."""
    out: list[tuple[Part | None, Entry | Followup]] = []
    for number, run_question in sorted(run.questions.items()):
        question = repo.question(run.homework, number)
        parts = {p.label: p for p in question.parts} if question else {}
        for entry in run_question.entries:
            out.append((parts.get(entry.part), entry))
            out.extend((parts.get(entry.part), followup) for followup in entry.followups)
    return out


def _assess_question(question: QuestionFile | None, run_question: RunQuestionFile) -> dict[int, Assessment]:
    parts = {p.label: p for p in question.parts} if question else {}
    out = {}
    for entry in run_question.entries:
        part = parts.get(entry.part)
        answers: list[Entry | Followup] = [entry, *entry.followups]
        for graded in answers:
            out[id(graded)] = assess_answer(part, graded, question if part is not None else None)
    return out


def assess(repo: Repository) -> AssessedRepository:
    """Assess every answer in the repository once (once per version of its file and its question's, under serve)."""
    assessed = AssessedRepository(**{f.name: getattr(repo, f.name) for f in fields(Repository)})
    for run in repo.runs.values():
        hw = repo.homeworks.get(run.homework)
        for number, run_question in sorted(run.questions.items()):
            question_file = hw.question_files.get(number) if hw else None
            derived = run.question_files[number].derived
            kept = derived.get("assessments")
            if kept is None or kept[0] is not question_file:
                kept = derived["assessments"] = (
                    question_file,
                    _assess_question(repo.question(run.homework, number), run_question),
                )
            assessed.assessments.update(kept[1])
    return assessed


def is_retried_empty_reply(entry: Entry) -> bool:
    """The first reply was empty (tagged no-output) and the same prompt was simply sent again.

    Such a reply says nothing about how the model answers the part, only that one turn produced
    nothing: comparisons use the retry's answer instead, and say so.
    """
    return "no-output" in entry.tags and bool(entry.followups) and entry.followups[0].kind == "retry"


def first_real_verdict(entry: Entry) -> str | None:
    """The verdict of the first answer that has content: the retry's, after an empty first reply."""
    return entry.followups[0].review.verdict if is_retried_empty_reply(entry) else entry.review.verdict
