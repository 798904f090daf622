"""The repository's own data passes the validator."""

from __future__ import annotations

from conftest import REPO_ROOT
from gallery.rules import load_repository


def test_repository_data_has_no_problems() -> None:
    repo = load_repository(REPO_ROOT)
    assert [p.as_text() for p in repo.problems] == []
    assert "hw11" in repo.homeworks
