"""The repository's own data passes the validator."""

from __future__ import annotations

from conftest import REPO_ROOT
from gallery.rules import load_repository

CROSS_CHECK_CODES = {"GAL315", "GAL316"}  # the answer-text check disagreeing with a typed value: for review


def test_repository_data_has_no_problems() -> None:
    """No errors; the only warnings are the cross-check's (typed values the extraction reads otherwise or not at all)."""
    repo = load_repository(REPO_ROOT)
    assert [p.as_text() for p in repo.problems if p.is_error] == []
    assert {p.code for p in repo.problems} <= CROSS_CHECK_CODES
    assert "hw11" in repo.homeworks
