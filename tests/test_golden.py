"""Golden test: the complete output of `gallery validate` on a deliberately broken tree."""

from __future__ import annotations

import pytest

from conftest import FIXTURES
from gallery.cli import main


def test_broken_tree_output_is_exactly_the_golden_list(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--root", str(FIXTURES / "broken-tree"), "validate"])
    output = capsys.readouterr().out
    assert output == (FIXTURES / "broken-tree.expected.txt").read_text(encoding="utf-8")
    assert code == 1
