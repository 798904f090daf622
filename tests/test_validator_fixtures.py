"""One failing fixture (at least) per rule code, each asserting the exact problems it causes.

Each case under tests/fixtures/invalid/ is an overlay on the valid tree: files it adds or
replaces, and files it deletes. `expected.txt` lists every `path:line:col: CODE` the
validator must report for it, no more and no fewer.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import gallery.rules  # noqa: F401  (registers every rule)
from conftest import FIXTURES, VALID_TREE, overlay
from gallery.data.codes import RULES
from gallery.rules import load_repository

CASES = sorted((FIXTURES / "invalid").iterdir())


def test_valid_tree_has_no_problems() -> None:
    repo = load_repository(VALID_TREE)
    assert repo.problems == []
    assert repo.files_checked == 6


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_invalid_case_reports_exactly_its_problems(case: Path, tmp_path: Path) -> None:
    tree = tmp_path / "repo"
    shutil.copytree(VALID_TREE, tree)
    overlay(tree, case)
    got = [f"{p.path}:{p.line}:{p.col}: {p.code}" for p in load_repository(tree).problems]
    expected = (case / "expected.txt").read_text(encoding="utf-8").split("\n")
    assert got == [line for line in expected if line]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_invalid_case_reports_its_own_code(case: Path) -> None:
    code = case.name.split("-", 1)[0]
    assert code in RULES, f"case {case.name} is named after an unknown code"
    assert f": {code}" in (case / "expected.txt").read_text(encoding="utf-8")


def test_every_rule_has_a_failing_fixture() -> None:
    covered = {case.name.split("-", 1)[0] for case in CASES}
    missing = sorted(set(RULES) - covered - {"GAL001"})  # GAL001 needs a >1 MiB file: test_limits makes one
    assert missing == []


def test_at_least_forty_hostile_fixtures() -> None:
    assert len(CASES) >= 40


def test_every_rule_function_registers_its_code() -> None:
    from gallery.rules import content, tree

    for module, registered in ((content, content.CONTENT_RULES), (tree, tree.TREE_RULES)):
        functions = {name for name in vars(module) if name.startswith("rule_")}
        decorated = {function.__name__ for _, function, _ in registered}
        assert functions == decorated, f"undecorated rule functions in {module.__name__}"
        for rule, function, _ in registered:
            assert (function.__doc__ or "").startswith(rule.code) or rule.code in (function.__doc__ or "")


def test_a_code_registered_twice_is_refused() -> None:
    from gallery.data.codes import Rule, register

    with pytest.raises(RuntimeError, match="registered twice"):
        register(Rule("GAL201", "another-name", "content", "Must differ", "Fix it."))
