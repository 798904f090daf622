"""A seeded, bounded mutation fuzzer over copies of the real data: no input raises, every problem is located.

Each mutant is a real data file changed in one way a contributor's editor, a bad paste or an
attacker could change it: bytes flipped, lines deleted or repeated, indentation shifted,
values swapped for other types, odd code points inserted, huge numbers, duplicate keys,
anchors and tags. Every mutant must load without an exception, and every problem it causes
must carry a known code, a line and column inside the file, and a one-line message. A
mutant that passes validation must still render. The seed is fixed, so a failure is
reproducible (the test id names the mutant).
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO_ROOT, VALID_TREE
from gallery.data.codes import RULES
from gallery.data.layout import classify
from gallery.data.load import load_data_text
from gallery.rules import content, load_repository
from gallery.site.build import prepare, site_pages

SEED = 20261202
MUTANTS_PER_FILE = 60
REAL_FILES = [
    "solutions/hw11/q5.yaml",
    "solutions/hw11/homework.yaml",
    "transcripts/hw11/004-kimi-k2-screenshots/run.yaml",
    "transcripts/hw11/004-kimi-k2-screenshots/q2.yaml",
    "transcripts/hw11/000-unknown-model/q1.yaml",
    "sources/hw11/sources.yaml",
]
ODD_TEXT = [
    "\ufffe",
    "\uffff",
    "\u202e",
    "\u200b",
    "\x00",
    "\x1b[31m",
    "\r\n",
    "\t",
    "é",
    "e\u0301",
    "👩\u200d💻",
    "\U0001fffe",
    "\\ud800",
    "\\ufffe",
    "&amp;",
    "<script>",
    "$",
    "$$",
    "\\(",
    "{onclick=x}",
    "[x](javascript:y)",
]
ODD_VALUES = [
    "1e999",
    "-1e999",
    ".nan",
    ".inf",
    "-.inf",
    "1" + "0" * 400,
    "0x1F",
    "0o17",
    "017",
    "1_000",
    "1:20",
    "no",
    "yes",
    "~",
    "null",
    "[]",
    "{}",
    "[[[[[]]]]]",
    "!!python/object:os.system x",
    "&a x",
    "*a",
    "? |\n  k\n",
    '"\\ufffe"',
    "2026-01-01",
    "true",
    "'unterminated",
    '"',
    "|",
    ">",
    "- a",
    "{a: 1, a: 2}",
]


KEY_LINE = re.compile(r"^\s*(?:- )?[a-z_]+:")


def mutate(text: str, rng: random.Random) -> tuple[str, str]:
    """One mutation of a file's text, and its name."""
    lines = text.split("\n")
    kind = rng.choice(["flip", "delete", "duplicate", "indent", "value", "insert", "key", "truncate"])
    i = rng.randrange(len(lines))
    if kind == "flip":
        data = bytearray(text.encode("utf-8"))
        j = rng.randrange(len(data))
        data[j] ^= 1 << rng.randrange(8)
        return data.decode("utf-8", errors="surrogateescape"), f"flip byte {j}"
    if kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "indent":
        lines[i] = (" " * rng.choice([1, 2, 3, 4])) + lines[i] if rng.random() < 0.5 else lines[i].lstrip()
    elif kind == "value":
        keyed = [n for n, line in enumerate(lines) if KEY_LINE.match(line)] or [i]
        i = rng.choice(keyed)
        head = lines[i].split(":", 1)[0]
        lines[i] = f"{head}: {rng.choice(ODD_VALUES)}"
    elif kind == "insert":
        j = rng.randrange(len(lines[i]) + 1)
        lines[i] = lines[i][:j] + rng.choice(ODD_TEXT) + lines[i][j:]
    elif kind == "key":
        lines.insert(i, lines[min(i + 1, len(lines) - 1)].split(":", 1)[0] + ": dup")
    else:
        return text[: rng.randrange(len(text))], "truncate"
    return "\n".join(lines), f"{kind} line {i + 1}"


def cases() -> list[tuple[str, int]]:
    return [(rel, n) for rel in REAL_FILES for n in range(MUTANTS_PER_FILE)]


def assert_well_formed(problems: list, rel: str, text: str) -> None:  # type: ignore[type-arg]
    lines = max(1, text.count("\n") + 1)
    for problem in problems:
        assert problem.code in RULES, problem
        assert problem.path == rel, problem
        assert 1 <= problem.line <= lines + 1 and problem.col >= 1, problem
        assert problem.message and "\n" not in problem.as_text(), problem


@pytest.mark.parametrize(("rel", "number"), cases(), ids=[f"{rel}#{n}" for rel, n in cases()])
def test_a_mutated_real_file_never_raises_and_every_problem_is_located(rel: str, number: int) -> None:
    rng = random.Random(f"{SEED}:{rel}:{number}")
    original = (REPO_ROOT / rel).read_text(encoding="utf-8")
    text, how = mutate(original, rng)
    where = classify(rel)
    assert where is not None and where.kind != "source-document"
    loaded = load_data_text(rel, where.kind, text.encode("utf-8", errors="surrogateescape"))  # type: ignore[arg-type]
    problems = list(loaded.problems)
    if loaded.model is not None:
        problems += content.check_file(where, loaded)
    assert_well_formed(problems, rel, text)


FIXTURE_FILES = ["solutions/hw0/q1.yaml", "transcripts/hw0/demo-run/q1.yaml", "transcripts/hw0/demo-run/run.yaml"]


@pytest.mark.parametrize("number", range(40))
def test_a_mutated_tree_validates_or_renders_without_raising(number: int, tmp_path: Path) -> None:
    """The whole pipeline on the small tree: load, every rule, and, when valid, every page."""
    rng = random.Random(f"{SEED}:tree:{number}")
    tree = tmp_path / "repo"
    shutil.copytree(VALID_TREE, tree)
    rel = rng.choice(FIXTURE_FILES)
    text, how = mutate((tree / rel).read_text(encoding="utf-8"), rng)
    (tree / rel).write_bytes(text.encode("utf-8", errors="surrogateescape"))
    repo = load_repository(tree)
    for problem in repo.problems:
        assert problem.code in RULES and problem.line >= 1 and problem.col >= 1, (how, problem)
        assert "\n" not in problem.as_text(), (how, problem)
    if not [p for p in repo.problems if p.is_error]:
        pages, _ = site_pages(prepare(repo))
        for render in pages.values():
            render()


def test_the_mutants_include_the_inputs_that_once_crashed_the_loader() -> None:
    """The seeded set is not toothless: it writes huge numbers, noncharacters and block keys as values."""
    seen = set()
    for rel, number in cases():
        text, _ = mutate((REPO_ROOT / rel).read_text(encoding="utf-8"), random.Random(f"{SEED}:{rel}:{number}"))
        original = (REPO_ROOT / rel).read_text(encoding="utf-8")
        seen.update(v for v in ("1e999", "-1e999", "\ufffe", ".nan", "? |") if v in text and v not in original)
    assert seen >= {"1e999", "\ufffe"}
