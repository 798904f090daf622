"""How close an unassisted import of a source write-up comes to the run we curated from it by hand.

For a curated run, a scratch copy of the repository gets a fresh run with the same questions;
the source document's raw text is imported into it with no hand edits; and each part's imported
answer is compared with the curated answer. A part counts as matching when the two texts agree
once whitespace is normalised, to a similarity of `MATCH` (difflib's ratio over words): the
curated answers fix extraction damage (and say so), so an exact match is not expected.
`make bench` writes the figure to docs/figures.md.
"""

from __future__ import annotations

import difflib
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from gallery.contribute.conversation import read_file
from gallery.contribute.markdown_chat import place_chat_text
from gallery.contribute.scaffold import new_run
from gallery.data.layout import DATA_ROOTS, source_document_path
from gallery.rules import load_repository

MATCH = 0.9


@dataclass
class ImportMatch:
    run: str
    source: str
    parts: int = 0  # curated parts with an answer
    matched: int = 0
    misses: list[tuple[str, float]] = field(default_factory=list)  # (part, similarity)


def similarity(imported: str, curated: str) -> float:
    def words(text: str) -> list[str]:
        return re.findall(r"\S+", text)

    return difflib.SequenceMatcher(None, words(imported), words(curated), autojunk=False).ratio()


def measure_import(root: Path, homework: str, run: str) -> ImportMatch:
    """Import `run`'s first source document into a fresh run and compare it part by part."""
    repo = load_repository(root)
    curated = repo.runs[(homework, run)]
    assert curated.meta is not None
    source = curated.meta.source_documents[0].file
    result = ImportMatch(curated.meta.label, source)
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch)
        for name in DATA_ROOTS:
            shutil.copytree(root / name, copy / name)
        new_run(copy, homework, "measured-import", "unknown", sorted(curated.questions))
        read = read_file(root / source_document_path(homework, source))
        place_chat_text(copy, read.text, "measured-import")
        imported = load_repository(copy).runs[(homework, "measured-import")]
        for number, question in sorted(curated.questions.items()):
            mine = {e.part: e for e in imported.questions[number].entries}
            for entry in question.entries:
                if not entry.answer:
                    continue
                result.parts += 1
                got = mine[entry.part].answer or ""
                score = similarity(got, entry.answer)
                if score >= MATCH:
                    result.matched += 1
                else:
                    result.misses.append((entry.part, round(score, 2)))
    return result


def import_table(results: list[ImportMatch]) -> str:
    rows = [
        f"| run | source format | parts with a curated answer | imported answer matches (≥ {MATCH:.0%} similar) | parts that do not |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        misses = ", ".join(f"{part} ({score:.0%})" for part, score in r.misses) or "none"
        share = f"{r.matched} ({100 * r.matched / r.parts:.0f}%)" if r.parts else "0"
        rows.append(f"| {r.run} | {_form(r.source)} | {r.parts} | {share} | {misses} |")
    total = sum(r.parts for r in results)
    matched = sum(r.matched for r in results)
    if total:
        rows.append(f"| **all** | | {total} | {matched} ({100 * matched / total:.0f}%) | |")
    return "\n".join(rows) + "\n"


def _form(name: str) -> str:
    return "text extracted from a PDF" if name.endswith(".txt") else name.rsplit(".", 1)[-1]
