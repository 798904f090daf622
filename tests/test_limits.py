"""Oversized and over-large input is refused before it is parsed."""

from __future__ import annotations

from pathlib import Path

from gallery.data.load import MAX_FILE_BYTES, load_data_file, load_data_text
from gallery.rules import load_repository

RQ = "transcripts/hw0/demo-run/q1.yaml"


def test_file_over_the_cap_is_refused_by_its_size(valid_tree: Path) -> None:
    path = valid_tree / RQ
    with path.open("ab") as handle:
        handle.write(b"#" * (MAX_FILE_BYTES + 1))
    problems = load_repository(valid_tree).problems
    assert [(p.path, p.code) for p in problems] == [(RQ, "GAL001")]


def test_hundred_megabyte_file_is_refused_without_being_read(valid_tree: Path) -> None:
    path = valid_tree / RQ
    with path.open("r+b") as handle:  # sparse: no 100 MB written to disk
        handle.truncate(100 * 1024 * 1024)
    loaded = load_data_file(valid_tree, RQ, "run-question")
    assert [p.code for p in loaded.problems] == ["GAL001"]
    assert "104,857,600" in loaded.problems[0].message
    assert loaded.text is None


def test_million_entries_are_refused(valid_tree: Path) -> None:
    entry = '  - {part: "1(a)", review: {verdict: correct, reason: ok}}\n'
    text = (
        "# yaml-language-server: $schema=../../../schemas/run-question.schema.json\nrun: demo-run\nquestion: 1\nentries:\n"
        + entry * 1_000_000
    )
    loaded = load_data_text(RQ, "run-question", text.encode())
    assert [p.code for p in loaded.problems] == ["GAL001"]


def test_node_count_is_capped_below_the_size_cap() -> None:
    text = "# yaml-language-server: $schema=../../../schemas/run-question.schema.json\nx: [" + "1," * 250_000 + "1]\n"
    assert len(text) < MAX_FILE_BYTES
    loaded = load_data_text(RQ, "run-question", text.encode())
    assert [p.code for p in loaded.problems] == ["GAL012"]


def test_a_build_never_reads_an_oversized_file_to_fingerprint_it(valid_tree: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The fingerprint of the inputs stats what the validator will refuse instead of reading it."""
    from gallery.site import build

    huge = valid_tree / "transcripts" / "hw0" / "demo-run" / "notes.bin"
    with huge.open("wb") as handle:  # sparse: 1.5 GB on paper, nothing on disk
        handle.truncate(1536 * 1024 * 1024)
    real = Path.read_bytes

    def guarded(self: Path) -> bytes:
        assert self != huge, "read a 1.5 GB file whole"
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", guarded)
    first = build.input_fingerprint(valid_tree)
    with huge.open("r+b") as handle:
        handle.truncate(1536 * 1024 * 1024 + 1)
    assert build.input_fingerprint(valid_tree) != first  # its size still counts
    assert [p.code for p in load_repository(valid_tree).problems] == ["GAL013"]
    result = build.build_pages(valid_tree)
    assert not result.written


def test_a_source_document_over_its_cap_is_refused_without_being_read(valid_tree: Path) -> None:
    from gallery.data.load import MAX_SOURCE_BYTES

    big = valid_tree / "sources" / "hw0" / "demo.txt"
    with big.open("r+b") as handle:
        handle.truncate(MAX_SOURCE_BYTES + 1)
    assert [(p.path, p.code) for p in load_repository(valid_tree).problems] == [("sources/hw0/demo.txt", "GAL001")]


def test_a_notebook_named_from_the_data_must_not_be_a_link(tmp_path: Path) -> None:
    from conftest import copy_repository

    tree = copy_repository(tmp_path / "repo")
    notebook = tree / "docs" / "notebooks" / "q4-lr-batch-size.ipynb"
    notebook.unlink()
    notebook.symlink_to("/etc/hostname")
    problems = [(p.path, p.code) for p in load_repository(tree).problems if p.is_error]
    assert problems and all(p == ("solutions/hw11/q4.yaml", "GAL018") for p in problems)
