"""Parsed files are kept between loads only when asked (by the `mkdocs serve` hook)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gallery.data import repository


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files actually parsed, in order, across the loads of one test."""
    seen: list[str] = []
    real = repository.load_data_file

    def counting(root: Path, rel: str, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        seen.append(rel)
        return real(root, rel, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(repository, "load_data_file", counting)
    yield seen
    repository.remember_parsed_files(False)


def test_serve_reparses_only_the_edited_file(valid_tree: Path, parses: list[str]) -> None:
    repository.remember_parsed_files(True)
    first = repository.read_repository(valid_tree)
    assert not first.problems and len(parses) == 5
    run = valid_tree / "transcripts/hw0/demo-run/run.yaml"
    run.write_text(run.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    parses.clear()
    second = repository.read_repository(valid_tree)
    assert parses == ["transcripts/hw0/demo-run/run.yaml"]
    assert not second.problems


def test_a_one_off_build_keeps_nothing(valid_tree: Path, parses: list[str]) -> None:
    repository.remember_parsed_files(False)
    repository.read_repository(valid_tree)
    repository.read_repository(valid_tree)
    assert len(parses) == 10
    assert not repository._LOADED


def test_forgetting_drops_what_was_kept(valid_tree: Path, parses: list[str]) -> None:
    repository.remember_parsed_files(True)
    repository.read_repository(valid_tree)
    assert repository._LOADED
    repository.remember_parsed_files(False)
    assert not repository._LOADED


def test_answers_rules_run_again_only_when_the_answers_or_their_question_change(
    valid_tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under serve the rules reading one run's answers and their question keep their findings per version."""
    from gallery.rules import load_repository, tree

    checked: list[str] = []
    real = tree._typed_against_answer

    def counting(covered: tree.Covered):  # type: ignore[no-untyped-def]
        checked.append(covered.loaded.rel)
        return real(covered)

    monkeypatch.setattr(tree, "_typed_against_answer", counting)
    repository.remember_parsed_files(True)
    try:
        assert not load_repository(valid_tree).problems
        assert checked == ["transcripts/hw0/demo-run/q1.yaml"]

        run = valid_tree / "transcripts/hw0/demo-run/run.yaml"  # not the answers: their findings are kept
        run.write_text(run.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        checked.clear()
        assert not load_repository(valid_tree).problems
        assert checked == []

        question = valid_tree / "solutions/hw0/q1.yaml"  # the question: the unchanged answers are checked again
        question.write_text(
            question.read_text(encoding="utf-8").replace('label: "1(b)"', 'label: "1(c)"'), encoding="utf-8"
        )
        problems = load_repository(valid_tree).problems
        assert checked == ["transcripts/hw0/demo-run/q1.yaml"]
        assert ("transcripts/hw0/demo-run/q1.yaml", "GAL304") in {(p.path, p.code) for p in problems}  # 1(b) gone
        repository.remember_parsed_files(False)
        assert problems == load_repository(valid_tree).problems  # the same as reading everything afresh
    finally:
        repository.remember_parsed_files(False)


def test_an_edited_answer_key_is_assessed_again_on_unchanged_answers(valid_tree: Path) -> None:
    from gallery.grading.assess import assess
    from gallery.rules import load_repository

    def verdicts() -> list[tuple[str, str | None]]:
        repo = assess(load_repository(valid_tree))
        run = repo.runs[("hw0", "demo-run")]
        return [(entry.part, repo.assessment(entry).auto.verdict) for entry in run.questions[1].entries]

    repository.remember_parsed_files(True)
    try:
        before = verdicts()
        assert ("1(a)", "correct") in before
        question = valid_tree / "solutions/hw0/q1.yaml"
        question.write_text(question.read_text(encoding="utf-8").replace("value: 240", "value: 320"), encoding="utf-8")
        after = verdicts()
        assert ("1(a)", "correct") not in after
        repository.remember_parsed_files(False)
        assert after == verdicts()  # the same as reading everything afresh
    finally:
        repository.remember_parsed_files(False)
