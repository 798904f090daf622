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
