"""The command line: exit codes, output formats, path filtering."""

from __future__ import annotations

import json

import pytest

from conftest import FIXTURES, VALID_TREE
from gallery.cli import main


def test_valid_tree_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(VALID_TREE), "validate"]) == 0
    assert capsys.readouterr().out.strip() == "No problems in 4 files."


def test_github_format_emits_annotations(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(FIXTURES / "broken-tree"), "validate", "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("::error file=solutions/hw0/q1.yaml,line=27,col=20,title=GAL214 bad-tolerance::Must explain")
    assert lines[-1] == "11 problems in 6 files."


def test_json_format_is_machine_readable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(FIXTURES / "broken-tree"), "validate", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["files_checked"] == 6
    assert {p["code"] for p in report["problems"]} >= {"GAL006", "GAL008", "GAL105", "GAL302"}
    assert all({"path", "line", "col", "code", "message"} <= p.keys() for p in report["problems"])


def test_paths_filter_reports_but_still_loads_the_whole_tree(capsys: pytest.CaptureFixture[str]) -> None:
    tree = FIXTURES / "broken-tree"
    assert main(["--root", str(tree), "validate", str(tree / "transcripts/hw0/demo-run/run.yaml")]) == 1
    out = capsys.readouterr().out.splitlines()
    assert all(line.startswith("transcripts/hw0/demo-run/run.yaml:") for line in out[:-1])
    assert out[-1] == "2 problems in 1 file."


def test_missing_path_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(VALID_TREE), "validate", "no/such/file.yaml"]) == 2
