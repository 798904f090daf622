"""`gallery import`: every format a student holds, read, cut into parts and placed into a run that validates.

The fixtures in tests/fixtures/imports/ follow the real formats' published structure (see that
folder's README): a ChatGPT data export and a Claude.ai data export (each with reasoning kept
apart, a regenerated reply the user did not keep and an attachment), a saved ChatGPT share page
(KaTeX math, a code block, an uploaded image), a PDF print (running title, address and page
counters on every page, a formula split one symbol per line) and a browser exporter's Markdown.
Every one holds the same chat: parts (a) and (b) in one reply, a follow-up on (b), then (c).
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import VALID_TREE
from gallery.contribute.conversation import (
    ImportFormatError,
    clean_pdf_pages,
    kept_branch,
    read_conversation,
    read_file,
)
from gallery.contribute.importer import GUESS_MARK, LEFTOVERS_FILE, import_file
from gallery.contribute.scaffold import ContributeError
from gallery.rules import load_repository

IMPORTS = Path(__file__).parent / "fixtures" / "imports"
GALLERY = str(Path(sys.executable).with_name("gallery"))
FORMATS = {
    "chatgpt-conversations.json": ("ChatGPT data export", "HW0 question 1"),
    "claude-conversations.json": ("Claude data export", None),
    "chatgpt-share-page.html": ("saved share page", None),
    "chat-print.pdf": ("PDF print", None),
    "browser-exporter.md": ("Markdown or plain text", None),
}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(VALID_TREE, root)
    return root


# -- readers ------------------------------------------------------------------------------------


def test_chatgpt_export_follows_the_kept_branch_and_keeps_reasoning_apart() -> None:
    conversation = read_conversation(IMPORTS / "chatgpt-conversations.json", "HW0 question 1")
    assert not isinstance(conversation, str)
    roles = [m.role for m in conversation.messages]
    assert roles == ["user", "assistant", "user", "assistant", "user", "assistant"]
    first_reply = conversation.messages[1]
    assert first_reply.text.startswith("I will go part by part.")  # not the regenerated "**(a)** 60 numbers"
    assert "k(m+l) numbers" in first_reply.thinking and "k(m+l) numbers" not in first_reply.text
    assert conversation.model == "gpt-5-thinking"
    assert conversation.date == "2025-11-13"
    assert [(a.name, a.kind) for a in conversation.attachments] == [("hw0-q1.png", "image")]
    aside = " | ".join(what for _, what in conversation.set_aside)
    assert "did not keep" in aside and "hw0-q1.png" in aside


def test_a_conversation_is_picked_by_title_or_id_and_several_need_a_choice() -> None:
    with pytest.raises(ImportFormatError, match=r"holds 2 conversations.*'Dinner ideas'"):
        read_conversation(IMPORTS / "chatgpt-conversations.json")
    by_id = read_conversation(IMPORTS / "chatgpt-conversations.json", "c-hw0")
    assert not isinstance(by_id, str) and by_id.title == "HW0 question 1"
    with pytest.raises(ImportFormatError, match="no conversation with the title or id 'nope'"):
        read_conversation(IMPORTS / "chatgpt-conversations.json", "nope")


def test_the_export_zip_is_read_as_its_conversations_json(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("user.json", "{}")
        z.write(IMPORTS / "chatgpt-conversations.json", "conversations.json")
    conversation = read_conversation(archive, "HW0 question 1")
    assert not isinstance(conversation, str) and len(conversation.messages) == 6
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as z:
        z.writestr("user.json", "{}")
    with pytest.raises(ImportFormatError, match="holds no conversations.json"):
        read_conversation(empty)


def test_a_broken_branch_is_reported_not_guessed() -> None:
    mapping = {"a": {"id": "a", "parent": "missing", "children": [], "message": None}}
    with pytest.raises(KeyError):
        kept_branch(mapping, "a")


def test_claude_export_drops_the_regenerated_reply_and_keeps_thinking_apart() -> None:
    conversation = read_conversation(IMPORTS / "claude-conversations.json")
    assert not isinstance(conversation, str)
    assert [m.role for m in conversation.messages] == ["user", "assistant", "user", "assistant", "user", "assistant"]
    assert conversation.messages[1].text.startswith("**(a)** The factors take")
    assert "k(m+l) numbers of 4 bytes" in conversation.messages[1].thinking
    assert [(a.name, a.kind) for a in conversation.attachments] == [("hw0.pdf", "pdf")]
    assert conversation.date == "2025-11-14"
    assert any("did not keep" in what for _, what in conversation.set_aside)


def test_share_page_keeps_math_and_code_and_drops_the_interface() -> None:
    read = read_file(IMPORTS / "chatgpt-share-page.html")
    assert read.format == "saved share page"
    assert "$k(m+l) = 60$" in read.text
    assert "$$\n4k(m+l) = 240 \\ \\text{bytes}\n$$" in read.text
    assert "```python\nA = torch.zeros(m, k)" in read.text
    assert "`A @ B == 0`" in read.text
    for residue in ("Copy code", "2/2", "You said", "ChatGPT said", "window.__oai", "KaTeX_Main"):
        assert residue not in read.text
    assert "k(m+l)=60" not in read.text  # KaTeX's MathML copy of the formula is not kept as text
    assert read.text.count("k(m+l) = 60") == 1


def test_pdf_print_loses_page_furniture_and_reports_split_math() -> None:
    read = read_file(IMPORTS / "chat-print.pdf")
    assert read.format == "PDF print"
    for furniture in ("ChatGPT - HW0 question 1", "https://chatgpt.com/c/c-hw0", "1/3", "3/3"):
        assert furniture not in read.text
    assert "(c) I cannot open links" in read.text
    split = [note for note in read.notes if "math split" in note]
    assert len(split) == 1
    first, last = map(int, re.findall(r"lines (\d+)-(\d+)", split[0])[0])
    lines = read.text.split("\n")
    assert [line.strip() for line in lines[first - 1 : last]] == ["4", "k", "(", "m", "+", "l", ")", "=", "240"]


def test_page_cleaning_keeps_a_line_that_is_not_on_most_pages() -> None:
    pages = ["Head\nfirst\n1/3", "Head\nsecond\n2/3", "Head\nthird\nsecond\n3/3"]
    cleaned = clean_pdf_pages(pages)
    assert cleaned.text.split("\n") == ["first", "second", "third", "second"]
    assert len(cleaned.removed) == 6


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.4 garbage", "read as a PDF, but pypdf could not read it"),
        (b'[{"title": 1', "read as JSON .* not valid JSON"),
        (b'[{"title": "x"}]', "neither `mapping` \\(ChatGPT\\) nor `chat_messages` \\(Claude\\)"),
        (b"<html><body><p>hello</p></body></html>", "no messages marked as a ChatGPT page"),
        (b"PK\x03\x04not a zip", "not a readable zip archive"),
        (b"\xff\xfe\x00bad", "is not UTF-8"),
    ],
)
def test_an_unreadable_file_names_the_file_the_format_and_what_is_missing(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "upload.bin"
    path.write_bytes(content)
    with pytest.raises(ImportFormatError, match=message) as error:
        read_file(path)
    assert str(path) in str(error.value)


# -- from each format to a run that validates ---------------------------------------------------


def _run_file(root: Path) -> Path:
    return root / "transcripts" / "hw0" / "imported" / "run.yaml"


def _finish_as_contributor(root: Path) -> None:
    """What is left for a person: confirm the guesses, fill what no file says, grade, place the leftovers."""
    run_file = _run_file(root)
    text = run_file.read_text(encoding="utf-8")
    text = re.sub(rf"\s*{re.escape(GUESS_MARK)}[^\n]*", "", text)
    fill = {
        "label": '"Imported chat"',
        "vendor": '"OpenAI"',
        "interface": "web-chat",
        "strategy": "mixed",
        "strategy_note": '"Parts (a) and (b) in one prompt, then (c)."',
        "modality": "screenshots",
        "contributor": '"A student"',
        "description": '"The whole chat."',
    }
    for key, value in fill.items():
        text = re.sub(rf"^(\s*){key}: null\b.*$", rf"\g<1>{key}: {value}", text, flags=re.M)
    text = re.sub(r"^date: null.*\n", "", text, flags=re.M)
    run_file.write_text(text, encoding="utf-8")
    sources = root / "sources" / "hw0" / "sources.yaml"
    described = re.sub(
        r"^(\s*)(title|form|description): null.*$",
        r'\1\2: "The imported chat."',
        sources.read_text(encoding="utf-8"),
        flags=re.M,
    )
    sources.write_text(described, encoding="utf-8")
    q1 = run_file.with_name("q1.yaml")
    q1_text = q1.read_text(encoding="utf-8")
    q1_text = re.sub(r"verdict: null.*", "verdict: correct", q1_text)
    q1_text = re.sub(r"reason: null.*", 'reason: "Checked by hand."', q1_text)
    q1.write_text(q1_text, encoding="utf-8")
    (run_file.parent / LEFTOVERS_FILE).unlink(missing_ok=True)


@pytest.mark.parametrize("fixture", sorted(FORMATS))
def test_each_format_becomes_a_validated_run(tree: Path, fixture: str) -> None:
    source_format, conversation = FORMATS[fixture]
    read, report, notes = import_file(
        tree, IMPORTS / fixture, "imported", homework="hw0", create=True, conversation=conversation
    )
    assert read.format == source_format
    assert [label for label, _ in report.placed] == ["1(a)", "1(b)", "1(c)"]
    assert [label for label, _, _ in report.followups] == ["1(b)"]  # the hint on (b): a follow-up, not an answer
    entries = {e.part: e for e in load_repository(tree).runs[("hw0", "imported")].questions[1].entries}
    assert "240" in (entries["1(a)"].answer or "")
    assert "zero" in (entries["1(b)"].answer or "") and "gradients vanish" not in (entries["1(b)"].answer or "")
    assert (entries["1(c)"].answer or "").startswith("**(c)**") or "(c) I cannot open links" in (
        entries["1(c)"].answer or ""
    )
    (followup,) = entries["1(b)"].followups  # carried to the part it is about, kind and grade left to a person
    assert followup.kind == "hint" and followup.review.verdict is None
    assert "gradients when both" in followup.prompt and "gradients vanish" in (followup.answer or "")
    leftovers = (_run_file(tree).parent / LEFTOVERS_FILE).read_text(encoding="utf-8")
    assert "A follow-up to 1(b)" not in leftovers  # placed, so not left over
    if fixture.endswith(".json"):
        assert "The model's reasoning" in leftovers and "k(m+l)" in leftovers
    run_text = _run_file(tree).read_text(encoding="utf-8")
    guessed = [line for line in run_text.split("\n") if GUESS_MARK in line]
    assert any(line.lstrip().startswith("strategy: mixed") for line in guessed), guessed
    if fixture in ("chatgpt-conversations.json", "chatgpt-share-page.html"):
        assert any(line.lstrip().startswith("modality: screenshots") for line in guessed)
    if fixture == "claude-conversations.json":
        assert any(line.lstrip().startswith("modality: pdf-upload") for line in guessed)
        assert any(line.lstrip().startswith('vendor: "Anthropic"') for line in guessed)
    if fixture == "chatgpt-conversations.json":
        assert any(line.lstrip().startswith('name: "gpt-5-thinking"') for line in guessed)
        assert any(line.lstrip().startswith('date: "2025-11-13"') for line in guessed)
    problems = load_repository(tree).problems
    assert {p.code for p in problems if p.path.endswith("imported/run.yaml")} >= {"GAL221"}
    assert "GAL019" in {p.code for p in problems}
    _finish_as_contributor(tree)
    assert [p.as_text() for p in load_repository(tree).problems if p.is_error] == []


def test_dry_run_prints_the_plan_and_writes_nothing(tree: Path) -> None:
    before = sorted(str(p.relative_to(tree)) for p in tree.rglob("*"))
    result = subprocess.run(
        [
            GALLERY,
            "--root",
            str(tree),
            "import",
            str(IMPORTS / "browser-exporter.md"),
            "--into",
            "demo-run",
            "--dry-run",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert sorted(str(p.relative_to(tree)) for p in tree.rglob("*")) == before
    assert "dry run: nothing written" in result.stdout
    assert re.search(r"1\(a\) already has an answer", result.stdout), result.stdout  # demo-run is filled in
    assert "lines" in result.stdout


def test_the_command_line_imports_into_a_new_run(tree: Path) -> None:
    result = subprocess.run(
        [
            GALLERY,
            "--root",
            str(tree),
            "import",
            str(IMPORTS / "chatgpt-conversations.json"),
            "--new-run",
            "imported",
            "--homework",
            "hw0",
            "--conversation",
            "HW0 question 1",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "placed 1(a) from lines" in result.stdout
    assert "FOLLOW-UP to 1(b)" in result.stdout
    assert "Next: gallery validate" in result.stdout
    bad = subprocess.run(
        [GALLERY, "--root", str(tree), "import", str(IMPORTS / "chatgpt-conversations.json"), "--into", "imported"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and "pick one with --conversation" in bad.stdout


def test_import_refuses_an_unknown_run_and_a_new_run_without_a_homework(tree: Path) -> None:
    with pytest.raises(ContributeError, match="no run 'nope'"):
        import_file(tree, IMPORTS / "browser-exporter.md", "nope")
    with pytest.raises(ContributeError, match="--new-run needs --homework"):
        import_file(tree, IMPORTS / "browser-exporter.md", "x", create=True)


def test_zip_of_a_claude_export(tmp_path: Path, tree: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("conversations.json", json.dumps(json.loads((IMPORTS / "claude-conversations.json").read_text())))
        z.writestr("users.json", "[]")
    archive = tmp_path / "claude-export.zip"
    archive.write_bytes(buffer.getvalue())
    _, report, _ = import_file(tree, archive, "imported", homework="hw0", create=True)
    assert [label for label, _ in report.placed] == ["1(a)", "1(b)", "1(c)"]


def test_a_data_export_keeps_only_the_chosen_conversation_as_provenance(tree: Path) -> None:
    import_file(
        tree, IMPORTS / "chatgpt-conversations.json", "imported", homework="hw0", create=True, conversation="c-hw0"
    )
    kept = sorted((tree / "sources" / "hw0").glob("chatgpt-conversations-*.json"))
    assert [p.name for p in kept] == ["chatgpt-conversations-c-hw0.json"]
    held = json.loads(kept[0].read_text(encoding="utf-8"))
    assert held["title"] == "HW0 question 1" and "Dinner ideas" not in kept[0].read_text(encoding="utf-8")
    run_text = _run_file(tree).read_text(encoding="utf-8")
    assert '- file: "chatgpt-conversations-c-hw0.json"' in run_text


def test_new_homework_lists_what_is_left_then_shows_on_the_site(tree: Path) -> None:
    from gallery.contribute.homework import new_homework
    from gallery.site.build import prepare, site_pages

    written = new_homework(tree, "hw12", "Homework 12", [1, 2], course="DEMO 101")
    assert [p.name for p in written] == ["homework.yaml", "q1.yaml", "q2.yaml"]
    problems = [p for p in load_repository(tree).problems if p.path.startswith("solutions/hw12/")]
    assert problems and all(p.is_error for p in problems)
    listed = " ".join(p.message for p in problems)
    for field_name in ("source", "summary", "statement", "prompt"):
        assert field_name in listed, field_name
    with pytest.raises(ContributeError, match="already exists"):
        new_homework(tree, "hw12", "Homework 12", [1])
    for path in written:
        text = path.read_text(encoding="utf-8")
        text = re.sub(
            r"^(\s*)(source|summary|statement|prompt|reference): null.*$", r"\1\2: Written.", text, flags=re.M
        )
        text = re.sub(r"^(\s*)(institution|term|title): null.*$", r'\1\2: "Written"', text, flags=re.M)
        path.write_text(text, encoding="utf-8")
    repo = load_repository(tree)
    assert [p.as_text() for p in repo.problems if p.path.startswith("solutions/hw12/")] == []
    pages, nav = site_pages(prepare(repo))
    assert "gallery/hw12/index.md" in pages
    assert any("Homework 12" in str(section) for section in nav)
    assert "Homework 12" in pages["gallery/index.md"]()
