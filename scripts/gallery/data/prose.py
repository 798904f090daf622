"""Our own prose: how it cites runs and source documents, and words it must not use.

Public text that we write (statements, notes, references, review reasons, provenance)
names a run by a link, never by an id or a file name, so that what a reader sees is the
run's label and a link to it:

* `[](run:004-kimi-k2-screenshots)` -> the run's label, linked to its page;
* `[](run:004-kimi-k2-screenshots#5h)` -> the label, linked to that run's answer to 5(h)
  (the fragment is the part's anchor: "5h", "2c-ii");
* `[](source:000_404782558b61c13d.txt)` -> the document's title, linked to its entry on
  the homework's Sources page;
* `[other words](run:...)` / `[other words](source:...)` -> those words, with the same link.

The validator checks every such link (GAL314) and refuses source file names, "seed NNN"
and schema words in that prose (GAL218, GAL219); the site resolves the links per page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

SCHEMES = ("run", "source")

_TARGET = r"(?P<scheme>run|source):(?P<target>[A-Za-z0-9._-]+)(?:#(?P<fragment>[a-z0-9-]+))?"
TARGET = re.compile(f"^{_TARGET}$")  # a link's target: run:id#fragment or source:file
REFERENCE = re.compile(r"\[(?P<text>[^\]\n]*)\]\(" + _TARGET + r"\)")  # the whole link; its text may be empty


@dataclass(frozen=True)
class Reference:
    scheme: str  # "run" or "source"
    target: str  # a run id, or a source document's file name
    fragment: str | None  # a part's anchor ("5h", "2c-ii"), runs only
    text: str  # the link's own words; empty means "the run's label" / "the document's title"
    offset: int  # where the link starts in the text


def references(text: str) -> Iterator[Reference]:
    for match in REFERENCE.finditer(text):
        yield Reference(match["scheme"], match["target"], match["fragment"], match["text"], match.start())


def fragment_question(fragment: str) -> int | None:
    """The question number of a part anchor: "5h" -> 5, "2c-ii" -> 2."""
    match = re.match(r"^([1-9][0-9]?)[a-z]", fragment)
    return int(match.group(1)) if match else None


# A source document's file name as the documents here are named (NNN_<16 hex>), with or without
# an extension, or a "seed NNN" / "seeds 000 and 001" mention: maintainers' words for a document.
_FILE_NAME = r"\b[0-9]{3}_[0-9a-f]{16}(?:\.[A-Za-z0-9.-]+)?\b"
_SEED = r"\b[Ss]eeds?\s+(?:[0-9]{3}|documents?)\b|\b[Tt]he seeds?\b|\b(?:[Ee]very|[Nn]o|[Ee]ach|[Aa]ny) seeds?\b"
INTERNAL_NAMES = re.compile(f"{_FILE_NAME}|{_SEED}")

# Field and schema words a reader of the site does not know
SCHEMA_WORDS = re.compile(
    r"\balso_accept\b|\banswer_key\b|\banswer_missing\b|\bstated:|\bkey items?\b|\bexpression items?\b"
    r"|`optional`|\bauto_verdict\b"
)


@dataclass(frozen=True)
class Finding:
    offset: int
    words: str


def _outside_references(pattern: re.Pattern[str], text: str) -> Iterator[Finding]:
    spans = [(m.start(), m.end()) for m in REFERENCE.finditer(text)]
    for match in pattern.finditer(text):
        if any(start <= match.start() < end for start, end in spans):
            continue  # a file name inside a source: link is how it should be written
        yield Finding(match.start(), match.group())


def internal_names(text: str) -> Iterator[Finding]:
    """Source file names and "seed" mentions outside `source:` links."""
    return _outside_references(INTERNAL_NAMES, text)


def schema_words(text: str) -> Iterator[Finding]:
    return _outside_references(SCHEMA_WORDS, text)
