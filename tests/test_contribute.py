"""Contributor tools: the scaffold, the chat importer and the YAML writer they share."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from conftest import FIXTURES
from gallery.contribute import parse_questions
from gallery.contribute.markdown_chat import import_chat, split_turns
from gallery.contribute.scaffold import ContributeError, new_run
from gallery.data.yaml_write import dump, scalar
from gallery.data.yamlsafe import load_yaml
from gallery.rules import load_repository

CHATS = FIXTURES / "chats"


def problems_of(tree: Path, run: str) -> list[str]:
    return [f"{p.path}:{p.code}" for p in load_repository(tree).problems if f"/{run}/" in p.path]


def test_scaffold_lists_exactly_what_is_left_to_fill(valid_tree: Path) -> None:
    new_run(valid_tree, "hw0", "new-run", "Example-2", None)
    problems = load_repository(valid_tree).problems
    mine = [(p.path.rsplit("/", 1)[1], p.line, p.code) for p in problems]
    assert all("/new-run/" in p.path for p in problems)
    # every entry: its verdict and its reason, each at its own line
    entries = [m for m in mine if m[0] == "q1.yaml"]
    assert [code for _, _, code in entries] == ["GAL206", "GAL207"] * 3
    assert len({line for _, line, _ in entries}) == 6
    # run.yaml: each field still null, named
    run_messages = sorted(p.message.split("`")[1] for p in problems if p.path.endswith("run.yaml"))
    assert run_messages == [
        "contributor",
        "interface",
        "modality",
        "model.vendor",
        "source_documents[0].description",
        "source_documents[0].file",
        "strategy",
        "strategy_note",
    ]


def test_scaffold_refuses_bad_input(valid_tree: Path) -> None:
    with pytest.raises(ContributeError, match="no homework"):
        new_run(valid_tree, "hw9", "x", "M", None)
    with pytest.raises(ContributeError, match="lowercase words"):
        new_run(valid_tree, "hw0", "Bad_Id", "M", None)
    with pytest.raises(ContributeError, match="already exists"):
        new_run(valid_tree, "hw0", "demo-run", "M", None)
    with pytest.raises(ContributeError, match="no question 7"):
        new_run(valid_tree, "hw0", "x", "M", [1, 7])


def test_import_places_each_part_and_reports_the_rest(valid_tree: Path) -> None:
    new_run(valid_tree, "hw0", "new-run", "Example-2", [1])
    report = import_chat(valid_tree, CHATS / "hw0-prompt-response.md", "new-run")
    assert [label for label, _ in report.placed] == ["1(a)", "1(b)", "1(c)"]
    reasons = [why for _, why in report.unplaced]
    assert any("annotator's note" in why for why in reasons)  # never placed into an answer
    assert report.residue == [16]  # "Copy code"
    run_question = load_repository(valid_tree).runs[("hw0", "new-run")].questions[1]
    answers = {e.part: e.answer for e in run_question.entries}
    # the reply's shared opening goes with the first part it answers
    assert answers["1(a)"].startswith("Sure. I will go part by part.\n\n**(a)** The two factors hold $k(m+l)")
    assert "Initialise one factor to zero" in answers["1(b)"]
    assert answers["1(c)"].startswith("I cannot open links")


def test_import_accounts_for_every_line(valid_tree: Path) -> None:
    """Every non-blank line is placed, reported as not placed, a marker, or residue: nothing is dropped."""
    new_run(valid_tree, "hw0", "new-run", "Example-2", [1])
    chat = CHATS / "hw0-prompt-response.md"
    report = import_chat(valid_tree, chat, "new-run")
    lines = chat.read_text(encoding="utf-8").split("\n")
    covered: set[int] = set(report.residue)
    for _, (a, b) in report.placed:
        covered |= set(range(a, b + 1))
    for (a, b), _ in report.unplaced:
        covered |= set(range(a, b + 1))
    prompts = {n for t in split_turns(chat.read_text(encoding="utf-8")) if t.role == "prompt" for n, _ in t.lines}
    markers = {n for n, line in enumerate(lines, 1) if re.match(r"^#{1,6} (Prompt|Response)$", line)}
    missing = [n for n, line in enumerate(lines, 1) if line.strip() and n not in covered | prompts | markers]
    assert missing == []


def test_import_never_overwrites_an_answer(valid_tree: Path) -> None:
    new_run(valid_tree, "hw0", "new-run", "Example-2", [1])
    import_chat(valid_tree, CHATS / "hw0-prompt-response.md", "new-run")
    again = import_chat(valid_tree, CHATS / "hw0-prompt-response.md", "new-run")
    assert again.placed == []
    assert sum("already has an answer" in why for _, why in again.unplaced) == 3


def test_import_reads_chatgpt_copies_with_thought_lines(valid_tree: Path) -> None:
    new_run(valid_tree, "hw0", "new-run", "Example-2", [1])
    report = import_chat(valid_tree, CHATS / "hw0-chatgpt-copy.md", "new-run")
    assert [label for label, _ in report.placed] == ["1(a)", "1(b)"]
    entries = {e.part: e for e in load_repository(valid_tree).runs[("hw0", "new-run")].questions[1].entries}
    assert entries["1(a)"].prompt.startswith("Question 1, part (a)")
    assert report.residue == [3, 9]


def test_import_into_unknown_run_is_refused(valid_tree: Path) -> None:
    with pytest.raises(ContributeError, match="no run"):
        import_chat(valid_tree, CHATS / "hw0-chatgpt-copy.md", "nope")


@pytest.mark.parametrize(
    "value",
    [
        {
            "a": "plain",
            "b": "two\nlines\n",
            "c": "  leading spaces\nx",
            "d": "no newline at end\nsecond",
            "e": "trailing\n\n\n",
        },
        {
            "n": [1, 2.5, 1.0e-7, 6.0e23, -3.0, True, False, None],
            "s": ["yes", "no", "1.10", "2025-01-01", "a: b", "#x", "'q'", '"dq"'],
        },
        {"deep": [{"x": [{"y": "z"}]}, {"empty": [], "map": {}}], "unicode": "π ≈ 3.14 — “quotes” ✓"},
        {"long": "word " * 40},
    ],
)
def test_writer_round_trips_through_the_strict_loader(value: dict) -> None:
    result = load_yaml(dump(value))
    assert result.issues == []
    assert result.value == value


def test_scalar_numbers_read_alike_in_yaml_1_1() -> None:
    import yaml

    for number in (1.5e-9, 6.02e23, 0.1, 1e16):
        assert yaml.safe_load(scalar(number)) == number
    assert math.isnan(yaml.safe_load(scalar(float("nan"))))


@pytest.mark.parametrize(
    ("text", "numbers"),
    [("1,2,5", [1, 2, 5]), ("q1,q2", [1, 2]), ("1-3", [1, 2, 3]), ("Q1, 3-4,", [1, 3, 4]), ("1,", [1])],
)
def test_question_lists_in_the_forms_people_type(text: str, numbers: list[int]) -> None:
    assert parse_questions(text) == numbers


@pytest.mark.parametrize("text", ["one", "3-1", "0", ",", "1-x", "100"])
def test_a_bad_question_list_is_a_usage_error_not_a_traceback(
    text: str, valid_tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from gallery.cli import main

    assert main(["--root", str(valid_tree), "new-run", "hw0", "r", "--model", "m", "--questions", text]) == 2
    assert "--questions" in capsys.readouterr().out


def test_new_run_keeps_the_original_file_in_sources(valid_tree: Path, tmp_path: Path) -> None:
    chat = tmp_path / "my-chat.md"
    chat.write_text("### Prompt\n\n(a)\n\n### Response\n\nYes.\n", encoding="utf-8")
    new_run(valid_tree, "hw0", "with-source", "Some model", [1], chat)
    assert (valid_tree / "sources" / "hw0" / "my-chat.md").read_bytes() == chat.read_bytes()
    problems = [p.as_text() for p in load_repository(valid_tree).problems if p.path.startswith("sources/")]
    assert any("sources/hw0/sources.yaml" in p and "GAL103" in p for p in problems)  # title/form/description to fill in
    run_text = (valid_tree / "transcripts" / "hw0" / "with-source" / "run.yaml").read_text(encoding="utf-8")
    assert 'file: "my-chat.md"' in run_text


# -- the import never fails silently and never rewrites what is there -------------------------


def snapshot(tree: Path) -> dict[str, bytes]:
    return {p.relative_to(tree).as_posix(): p.read_bytes() for p in sorted(tree.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("conversations.json", b'[{"title": "HW", "mapping": {}}]', "JSON"),
        ("chat.html", b"<!DOCTYPE html><html><body>hi</body></html>", "saved web page"),
        ("chat.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF"),
        ("chat.md", b"\xff\xfe(a) latin", "not UTF-8"),
    ],
)
def test_a_file_it_cannot_read_is_refused_by_name_and_nothing_changes(
    name: str, content: bytes, said: str, valid_tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from gallery.cli import main

    new_run(valid_tree, "hw0", "new-run", "Example-2", None)
    chat = tmp_path / name
    chat.write_bytes(content)
    before = snapshot(valid_tree)
    assert main(["--root", str(valid_tree), "import-chat", str(chat), "--into", "new-run"]) == 2
    out = capsys.readouterr().out
    assert name in out and said in out
    assert snapshot(valid_tree) == before


def test_nothing_placed_exits_non_zero_and_leaves_the_files(
    valid_tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from gallery.cli import main

    new_run(valid_tree, "hw0", "new-run", "Example-2", None)
    chat = tmp_path / "chat.md"
    chat.write_text("_Prompt_: tell me a joke\n\n_Response_: Why did the chicken cross the road?\n", encoding="utf-8")
    before = snapshot(valid_tree)
    assert main(["--root", str(valid_tree), "import-chat", str(chat), "--into", "new-run"]) == 1
    assert "Nothing from" in capsys.readouterr().out
    assert snapshot(valid_tree) == before


def test_importing_into_a_curated_run_changes_no_line_of_it(tmp_path: Path) -> None:
    """Every part already has an answer, a verdict or is not asked: the files stay byte for byte."""
    from conftest import copy_repository

    tree = copy_repository(tmp_path / "repo")
    chat = tmp_path / "chat.md"
    chat.write_text(
        "### Prompt\n\nQuestion 1, all parts.\n\n### Response\n\n(a) Raise the rank.\n\n(b) Yes.\n", encoding="utf-8"
    )
    before = snapshot(tree)
    report = import_chat(tree, chat, "000-unknown-model")
    assert report.placed == [] and report.files == []
    assert all("not overwritten" in why or "not-asked" in why for _, why in report.unplaced)
    assert snapshot(tree) == before


def test_a_new_answer_is_inserted_and_every_other_line_is_kept(valid_tree: Path, tmp_path: Path) -> None:
    new_run(valid_tree, "hw0", "new-run", "Example-2", None)
    q1 = valid_tree / "transcripts" / "hw0" / "new-run" / "q1.yaml"
    q1.write_text(
        q1.read_text(encoding="utf-8").replace("reason: null  # one line: why", "reason: null  # keep me", 1),
        encoding="utf-8",
    )
    before = q1.read_text(encoding="utf-8").split("\n")
    chat = tmp_path / "chat.md"
    chat.write_text("### Prompt\n\nQuestion 1 (a)\n\n### Response\n\nIt takes 240 bytes.\n", encoding="utf-8")
    report = import_chat(valid_tree, chat, "new-run")
    assert [label for label, _ in report.placed] == ["1(a)"]
    after = q1.read_text(encoding="utf-8").split("\n")
    import difflib

    removed = [line[2:] for line in difflib.ndiff(before, after) if line.startswith("- ")]
    assert removed == ["    answer: null  # paste the answer as a block: `answer: |` then the text indented below"]
    assert (
        "    answer: |" in after and "      It takes 240 bytes." in after and "      reason: null  # keep me" in after
    )


def test_a_not_asked_part_is_never_filled(valid_tree: Path, tmp_path: Path) -> None:
    new_run(valid_tree, "hw0", "new-run", "Example-2", None)
    q1 = valid_tree / "transcripts" / "hw0" / "new-run" / "q1.yaml"
    text = q1.read_text(encoding="utf-8")
    q1.write_text(text.replace("verdict: null", "verdict: not-asked", 1), encoding="utf-8")
    chat = tmp_path / "chat.md"
    chat.write_text("### Prompt\n\nQuestion 1 (a)\n\n### Response\n\nIt takes 240 bytes.\n", encoding="utf-8")
    report = import_chat(valid_tree, chat, "new-run")
    assert report.placed == [] and any("not-asked" in why for _, why in report.unplaced)


def test_human_assistant_turns_keep_each_prompt_out_of_the_answer_before() -> None:
    turns = split_turns("Human: Solve 1(a).\nAssistant: It is 240 bytes.\nHuman: Now 1(b).\nAssistant: Yes, smaller.\n")
    assert [(t.role, t.text) for t in turns] == [
        ("prompt", "Solve 1(a)."),
        ("response", "It is 240 bytes."),
        ("prompt", "Now 1(b)."),
        ("response", "Yes, smaller."),
    ]


def test_limits_are_checked_where_the_text_comes_in(valid_tree: Path, tmp_path: Path) -> None:
    new_run(valid_tree, "hw0", "new-run", "Example-2", None)
    big = tmp_path / "big.md"
    big.write_text("### Prompt\n\n(a)\n\n### Response\n\n" + "x" * 1_200_000, encoding="utf-8")
    with pytest.raises(ContributeError, match="more than one run can hold"):
        import_chat(valid_tree, big, "new-run")
    image = tmp_path / "image.md"
    image.write_text(
        "### Prompt\n\nQuestion 1 (a)\n\n### Response\n\n![plot](data:image/png;base64," + "A" * 76_000 + ")\n",
        encoding="utf-8",
    )
    report = import_chat(valid_tree, image, "new-run")
    assert report.placed == [] and any("embedded image" in why for _, why in report.unplaced)


def test_a_run_in_progress_previews_with_its_problems_and_a_strict_build_still_refuses(tmp_path: Path) -> None:
    from conftest import copy_repository
    from gallery.site.build import FINGERPRINT, build_pages

    tree = copy_repository(tmp_path / "repo")
    new_run(tree, "hw11", "in-progress", "Some model", [1])
    strict = build_pages(tree)
    assert strict.problems and not strict.written, "a published build must refuse"
    preview = build_pages(tree, preview=True)
    assert preview.pending == ["hw11/in-progress"]
    page = (tree / "docs" / "gallery" / "hw11" / "runs" / "in-progress.md").read_text(encoding="utf-8")
    assert "still in progress" in page and "GAL206" in page and "transcripts/hw11/in-progress/q1.yaml:" in page
    assert (tree / "docs" / "gallery" / "hw11" / "questions" / "q1.md").is_file()  # the references to grade against
    assert not (tree / "docs" / FINGERPRINT).exists()
    assert build_pages(tree).problems and not build_pages(tree).skipped  # validated again, refused again
    (tree / "solutions" / "hw11" / "q1.yaml").write_text("broken: [\n", encoding="utf-8")
    assert build_pages(tree, preview=True).pending == []  # a problem in the references: no preview
