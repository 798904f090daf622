"""The published runs are faithful to the source documents they cite, and the curated ones complete.

* Every annotator's note and verdict words appear verbatim (whitespace aside) in the run's
  source documents: nothing is invented or "fixed".
* Every answer's prose matches the source text: its word 4-grams (math removed, since
  extraction split formulas) are found in the source. A paraphrase or an invented answer
  shares almost none; repaired extraction damage costs a little.
* Each run covers the questions the seeds show, with the follow-ups the seeds record, and
  the counts of entries per verdict are those reviewed (a change to a verdict shows here).

Fidelity is checked for every run (a contributed run too), against the documents in
sources/<hw>/ that it cites; the coverage and verdict tables name the curated runs.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import pytest

from conftest import REPO_ROOT
from gallery.data.layout import source_document_path
from gallery.data.repository import Run
from gallery.rules import load_repository

MATH = re.compile(r"\$\$.*?\$\$|\$[^$]*\$|\\\(.*?\\\)|\\\[.*?\\\]", re.DOTALL)
MIN_ANSWER_COVERAGE = 0.40
MIN_RUN_COVERAGE = 0.85

REPO = load_repository(REPO_ROOT)
RUNS = {run.id: run for run in REPO.runs.values() if run.meta is not None}


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def grams(text: str, n: int = 4, *, strip_math: bool = True) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z]+", (MATH.sub(" ", text) if strip_math else text).lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def source_text(run: Run) -> str:
    assert run.meta is not None
    texts = []
    for document in run.meta.source_documents:
        path = REPO_ROOT / source_document_path(run.homework, document.file)
        assert path.is_file(), f"{run.id} cites {document.file}, which is not in sources/{run.homework}/"
        texts.append(path.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(texts)


def graded_items(run: Run):  # type: ignore[no-untyped-def]
    for number, question in sorted(run.questions.items()):
        for entry in question.entries:
            yield entry.part, entry
            for index, followup in enumerate(entry.followups, 1):
                yield f"{entry.part} follow-up {index}", followup


@pytest.mark.parametrize("run_id", sorted(RUNS))
def test_annotations_are_verbatim_from_the_sources(run_id: str) -> None:
    run = RUNS[run_id]
    source = normalise(source_text(run))
    missing = [
        (where, text[:80])
        for where, graded in graded_items(run)
        for annotation in graded.annotations
        for text in (annotation.note, annotation.verdict_text)
        if text and normalise(text) not in source
    ]
    assert missing == []


@pytest.mark.parametrize("run_id", sorted(RUNS))
def test_answers_are_copied_from_the_sources(run_id: str) -> None:
    run = RUNS[run_id]
    source = source_text(run)
    # seeds use "$" for money too, so their 4-grams are taken both with and without math removed
    source_grams = grams(source, strip_math=False) | grams(source)
    matched = total = 0
    weak = []
    for where, graded in graded_items(run):
        if not graded.answer:
            continue
        answer_grams = grams(graded.answer)
        if len(answer_grams) < 10:  # too short to judge by 4-grams
            continue
        found = len(answer_grams & source_grams)
        matched, total = matched + found, total + len(answer_grams)
        if found / len(answer_grams) < MIN_ANSWER_COVERAGE:
            weak.append((where, round(found / len(answer_grams), 2)))
    assert weak == []
    assert total and matched / total >= MIN_RUN_COVERAGE, (
        f"{run_id}: {matched / total:.2f} of answer 4-grams found in the sources"
    )


def test_a_paraphrase_would_be_caught() -> None:
    """The coverage measure can fail: our own reference text is not found in any seed."""
    run = RUNS["004-kimi-k2-screenshots"]
    reference = REPO.question("hw11", 1).parts[0].reference  # type: ignore[union-attr]
    source = source_text(run)
    coverage = len(grams(reference) & (grams(source, strip_math=False) | grams(source))) / len(grams(reference))
    assert coverage < MIN_ANSWER_COVERAGE


EXPECTED_QUESTIONS = {
    "000-unknown-model": [1, 2, 5, 6],
    "001-chatgpt-one-time": [1, 2],
    "001-chatgpt-turn-by-turn": [1, 2],
    "001-chatgpt-mixed": [5, 6, 7],
    "002-chatgpt": [1, 2, 4, 5, 6, 7],
    "004-kimi-k2-screenshots": [1, 2, 5, 6],
}


def test_every_curated_run_is_published_with_its_questions() -> None:
    assert {
        run_id: sorted(RUNS[run_id].questions) for run_id in EXPECTED_QUESTIONS if run_id in RUNS
    } == EXPECTED_QUESTIONS


@pytest.mark.parametrize("run_id", sorted(RUNS))
def test_every_part_has_an_entry_with_a_review_verdict(run_id: str) -> None:
    run = RUNS[run_id]
    for number, run_question in run.questions.items():
        question = REPO.question(run.homework, number)
        assert question is not None
        assert [e.part for e in run_question.entries] == [p.label for p in question.parts]
        assert all(e.review.verdict and e.review.reason for e in run_question.entries)


def followups(run_id: str) -> dict[str, list[str]]:
    return {
        entry.part: [f.kind for f in entry.followups]
        for question in RUNS[run_id].questions.values()
        for entry in question.entries
        if entry.followups
    }


def test_follow_ups_in_the_seeds_are_recorded() -> None:
    kimi = followups("004-kimi-k2-screenshots")
    assert kimi["2(c)(ii)"] == ["correction"]  # misread the matrices from a screenshot
    assert all(kimi[part] == ["hint"] for part in ("5(c)", "5(d)", "5(f)", "6(c)(ii)"))
    assert followups("000-unknown-model")["1(b)"] == ["extra-prompt"]
    one_time = followups("001-chatgpt-one-time")
    assert all(
        kinds == ["retry"] for part, kinds in one_time.items() if part.startswith("2(")
    )  # the empty first Q2 attempt
    first_q2 = RUNS["001-chatgpt-one-time"].questions[2].entries[0]
    assert first_q2.answer is None and first_q2.answer_missing and first_q2.review.verdict == "skipped"


def test_the_misread_matrix_is_tagged_and_corrected() -> None:
    entry = next(e for e in RUNS["004-kimi-k2-screenshots"].questions[2].entries if e.part == "2(c)(ii)")
    assert "misread-input" in entry.tags
    assert entry.followups[0].review.verdict == "correct"


def verdict_counts() -> dict[str, dict[str, int]]:
    return {
        run_id: dict(sorted(Counter(e.review.verdict for q in run.questions.values() for e in q.entries).items()))  # type: ignore[arg-type]
        for run_id, run in sorted(RUNS.items())
        if run_id in EXPECTED_VERDICTS
    }


# The reviewed verdicts, per run: a change to any review verdict must change this table too.
EXPECTED_VERDICTS: dict[str, dict[str, int]] = {
    "000-unknown-model": {"correct": 32, "partial": 5},
    "001-chatgpt-mixed": {"correct": 12, "not-asked": 21, "partial": 2},
    "001-chatgpt-one-time": {"correct": 4, "skipped": 14},
    "001-chatgpt-turn-by-turn": {"correct": 17, "partial": 1},
    "002-chatgpt": {"correct": 49, "incorrect": 1, "not-asked": 2, "partial": 4},
    "004-kimi-k2-screenshots": {"correct": 25, "incorrect": 4, "not-asked": 2, "partial": 6},
}


def test_counts_per_run_and_verdict() -> None:
    assert verdict_counts() == EXPECTED_VERDICTS
