"""The command line: exit codes, output formats, path filtering."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import FIXTURES, VALID_TREE
from gallery.cli import main
from gallery.data.codes import RULES, Rule
from gallery.data.problems import Problem, errors, format_problems


def test_valid_tree_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(VALID_TREE), "validate"]) == 0
    assert capsys.readouterr().out.strip() == "No problems in 6 files."


def test_github_format_emits_annotations(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(FIXTURES / "broken-tree"), "validate", "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(
        "::error file=solutions/hw0/q1.yaml,line=27,col=20,title=GAL214 bad-tolerance::Must explain"
    )
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
    located = out[: out.index("")]
    assert len(located) == 2 and all(line.startswith("transcripts/hw0/demo-run/run.yaml:") for line in located)
    assert out[-1] == "2 problems in 1 file."


def test_text_output_says_how_to_fix_each_code_once(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(FIXTURES / "broken-tree"), "validate"]) == 1
    out = capsys.readouterr().out
    codes = sorted(
        {line.split(": ")[1].split()[0] for line in out.splitlines() if line.startswith(("solutions/", "transcripts/"))}
    )
    hints = out.split("How to fix:\n", 1)[1]
    for code in codes:
        assert hints.count(f"  {code} {RULES[code].name}: {RULES[code].fix}") == 1


def test_warnings_are_reported_but_do_not_fail(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(
        RULES, "GAL999", Rule("GAL999", "test-warning", "content", "Should be looked at", "Look at it.", "warning")
    )
    warning = Problem("transcripts/hw0/demo-run/q1.yaml", 3, 5, "GAL999", "Should be looked at")
    text = format_problems([warning], "text", files_checked=1)
    assert text.splitlines()[0] == "transcripts/hw0/demo-run/q1.yaml:3:5: GAL999 warning: Should be looked at"
    assert text.splitlines()[-1] == "1 problem (1 warning, not blocking) in 1 file."
    assert format_problems([warning], "github", files_checked=1).startswith("::warning file=")
    assert errors([warning]) == []
    assert json.loads(format_problems([warning], "json", files_checked=1))["problems"][0]["severity"] == "warning"


def test_missing_path_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(VALID_TREE), "validate", "no/such/file.yaml"]) == 2


def test_a_file_name_cannot_forge_an_output_line(valid_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    forged = valid_tree / "transcripts" / "hw0" / "x\nsolutions:1:1: GAL201 fake\nNo problems in 9 files."
    forged.mkdir()
    (forged / "run.yaml").write_text("run: x\n", encoding="utf-8")
    assert main(["--root", str(valid_tree), "validate"]) == 1
    out = capsys.readouterr().out.splitlines()
    located = [line for line in out if re.match(r"^\S+:\d+:\d+: GAL", line)]
    assert len(located) == 1 and located[0].startswith('"transcripts/hw0/x\\nsolutions:1:1: GAL201 fake')
    assert "GAL013" in located[0]
    assert not any(line.startswith("No problems") for line in out)


def test_validate_from_inside_a_run_folder_checks_the_whole_repository(
    valid_tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (valid_tree / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    (valid_tree / "solutions" / "hw0" / "q1.yaml").write_text("broken: [\n", encoding="utf-8")  # outside the run folder
    monkeypatch.chdir(valid_tree / "transcripts" / "hw0" / "demo-run")
    assert main(["validate"]) == 1
    out = capsys.readouterr().out
    assert "solutions/hw0/q1.yaml:" in out and "No problems" not in out


def test_validate_never_reports_success_over_no_files(
    valid_tree: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = valid_tree / "transcripts" / "hw0" / "empty"
    empty.mkdir()
    assert main(["--root", str(valid_tree), "validate", str(empty)]) == 2
    assert "no data files" in capsys.readouterr().err
    monkeypatch.chdir(tmp_path)  # not a repository at all
    assert main(["validate"]) == 2
    assert "no repository here" in capsys.readouterr().err
