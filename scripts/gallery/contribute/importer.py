"""`gallery import`: from the file a student holds to a run that `gallery validate` can check.

Any format `conversation.read_file` reads (ChatGPT or Claude data export, saved share page,
PDF print, Markdown or plain text) is turned into chat text, cut into the homework's parts and
placed into the run's empty answers. With `--new-run` the run is created first and run.yaml is
pre-filled from what the file says (model, date, interface, how the prompts were given, what was
attached); every value the importer guessed carries a `# guessed by gallery import` comment,
and `gallery validate` refuses the run until the contributor has checked each one and deleted
the comment (GAL221).

Nothing the contributor gave is dropped: text that could not be placed, replies that follow up
on a part, the model's reasoning and the attachments are written to the run's
`import-leftovers.md` with where each came from, and listed (GAL019 reminds that it is there).
`--dry-run` prints the whole plan and writes nothing.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from gallery.contribute.conversation import Conversation, ImportFormatError, ReadFile, read_file
from gallery.contribute.markdown_chat import ImportReport, place_chat_text, split_turns
from gallery.contribute.scaffold import ContributeError, new_run
from gallery.data.layout import IMPORT_LEFTOVERS, run_folder_path
from gallery.data.load import GUESS_MARK

LEFTOVERS_FILE = IMPORT_LEFTOVERS
VENDORS = {"ChatGPT data export": ("OpenAI", "ChatGPT"), "Claude data export": ("Anthropic", "Claude")}


@dataclass
class Guesses:
    """run.yaml values read or guessed from the file, each with how it was found."""

    values: dict[str, tuple[str, str]] = field(default_factory=dict)  # field -> (YAML value, how)


def guess_strategy(text: str, report: ImportReport) -> tuple[str, str] | None:
    """one-shot, part-by-part or mixed, from how many parts each reply answered."""
    if not report.placed:
        return None
    turns = [t for t in split_turns(text) if t.role == "response"]
    per_reply = []
    for turn in turns:
        first, last = turn.lines[0][0], turn.lines[-1][0]  # blank lines included, as the placed spans are
        per_reply.append(sum(1 for _, (start, _end) in report.placed if first <= start <= last))
    answered = [n for n in per_reply if n]
    if not answered:
        return None
    if all(n == 1 for n in answered):
        return "part-by-part", f"each of {len(answered)} replies answers one part"
    if len(answered) == 1:
        return "one-shot", f"one reply answers all {answered[0]} parts"
    return "mixed", f"{len(answered)} replies answering between {min(answered)} and {max(answered)} parts"


def guess_modality(conversation: Conversation | None) -> tuple[str, str]:
    if conversation is None:
        return "pasted-text", "no attachments can be seen in this format"
    kinds = {a.kind for a in conversation.attachments}
    if not kinds:
        return "pasted-text", "no prompt had an attachment"
    if kinds == {"image"}:
        return "screenshots", "the prompts attached images"
    if kinds == {"pdf"}:
        return "pdf-upload", "the prompts attached a PDF"
    return "mixed", f"the prompts attached {', '.join(sorted(kinds))} files"


def gather_guesses(read: ReadFile, report: ImportReport) -> Guesses:
    out = Guesses()
    conversation = read.conversation
    if conversation is not None and read.format in VENDORS:
        vendor, product = VENDORS[read.format]
        model = conversation.model
        if model:
            out.values["model.name"] = (_yaml(model), f"the export's model field ({product})")
        out.values["model.vendor"] = (_yaml(vendor), f"the file is a {product} export")
        out.values["interface"] = ("web-chat", "data exports come from the web chat")
    elif read.format == "saved share page":
        out.values["interface"] = ("web-chat", "a share page is the web chat's")
    if conversation is not None and conversation.date:
        out.values["date"] = (_yaml(conversation.date), "the first message's time in the file")
    strategy = guess_strategy(read.text, report)
    if strategy:
        out.values["strategy"] = (strategy[0], strategy[1])
    modality = guess_modality(conversation)
    out.values["modality"] = modality
    return out


def _yaml(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def prefill_run_file(path: Path, guesses: Guesses) -> list[str]:
    """Write each guessed value into run.yaml's placeholder line, marked for the contributor to confirm."""
    lines = path.read_text(encoding="utf-8").split("\n")
    filled = []
    for name, (value, how) in guesses.values.items():
        key = name.split(".")[-1]
        nested = "." in name
        for index, line in enumerate(lines):
            match = re.match(rf"^(\s*){re.escape(key)}:\s*(null\b.*|\"[^\"]*\".*)?$", line)
            if not match or (len(match.group(1)) > 0) != nested:
                continue
            if key == "name" and not nested:
                continue
            lines[index] = f"{match.group(1)}{key}: {value}  {GUESS_MARK} ({how}): check it, then delete this comment"
            filled.append(name)
            break
    path.write_text("\n".join(lines), encoding="utf-8")
    return filled


def leftovers_text(read: ReadFile, report: ImportReport, source: Path) -> str:
    """Everything the import did not place, with where it came from, as Markdown for the contributor."""
    text_lines = read.text.split("\n")
    out = [
        f"# What `gallery import` did not place from {source.name}",
        "",
        f"Read as: {read.format}. Line numbers are those of `gallery import --dry-run`'s chat text.",
        "Place each piece by hand (or discard it), then delete this file: `gallery validate` reminds you",
        "while it is here (GAL019).",
        "",
    ]
    for (first, last), why in report.unplaced:
        out += [f"## Lines {first}-{last}: {why}", ""]
        if first:
            out += ["```text", *text_lines[first - 1 : last], "```", ""]
    for label, (p1, p2), (r1, r2) in report.followups:
        if label in report.followups_inserted:
            continue
        out += [f"## A follow-up to {label} (prompt lines {p1}-{p2}, reply lines {r1}-{r2})", ""]
        out += ["Add it under the entry's `followups:` with its kind (hint, correction, extra-prompt or retry).", ""]
        out += ["```text", *text_lines[p1 - 1 : r2], "```", ""]
    conversation = read.conversation
    if conversation is not None:
        for message in conversation.messages:
            if message.thinking:
                out += [f"## The model's reasoning before the reply from {message.origin}", ""]
                out += ["Kept apart from the answer; quote it in the run's notes if it matters.", ""]
                out += ["```text", *message.thinking.split("\n"), "```", ""]
    if read.notes:
        out += ["## Set aside while reading the file", ""]
        out += [f"- {note}" for note in read.notes]
        out.append("")
    return "\n".join(out)


def provenance_file(source: Path, read: ReadFile, scratch: Path) -> Path:
    """The file to keep in sources/: the chat as given, or, from a whole-account data export, only this
    conversation's own object (the export's other chats are the contributor's private business)."""
    conversation = read.conversation
    if conversation is not None and conversation.raw is not None:
        ident = re.sub(r"[^A-Za-z0-9._-]+", "-", conversation.id or conversation.title or "conversation").strip("-")
        kept = scratch / f"{re.sub(r'[^A-Za-z0-9._-]+', '-', source.stem)}-{ident[:60]}.json"
        kept.write_text(json.dumps(conversation.raw, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return kept
    if not re.fullmatch(r"[A-Za-z0-9._-]+", source.name):
        kept = scratch / re.sub(r"[^A-Za-z0-9._-]+", "-", source.name)
        kept.write_bytes(source.read_bytes())
        return kept
    return source


def import_file(
    root: Path,
    source: Path,
    run: str,
    *,
    homework: str | None = None,
    create: bool = False,
    conversation: str | None = None,
    dry_run: bool = False,
) -> tuple[ReadFile, ImportReport, list[str]]:
    """Read `source`, optionally create the run, place the answers; returns what was read, the report, notes."""
    try:
        read = read_file(source, conversation)
    except ImportFormatError as error:
        raise ContributeError(str(error)) from None
    notes: list[str] = []
    if create:
        if homework is None:
            raise ContributeError("--new-run needs --homework (the homework the chat answers)")
        model = (read.conversation.model if read.conversation else None) or "unknown"
        if dry_run:
            notes.append(f"would create the run {run!r} of {homework} (model {model!r})")
            return read, ImportReport(), notes
        with tempfile.TemporaryDirectory() as scratch:
            kept = provenance_file(source, read, Path(scratch))
            written = new_run(root, homework, run, model, None, kept)
        notes += [f"wrote {path}" for path in written]
    report = place_chat_text(root, read.text, run, dry_run=dry_run)
    if create and not dry_run:
        assert homework is not None
        run_file = root / run_folder_path(homework, run) / "run.yaml"
        filled = prefill_run_file(run_file, gather_guesses(read, report))
        if filled:
            notes.append(f"pre-filled in run.yaml, each marked to confirm: {', '.join(filled)}")
    leftover = leftovers_text(read, report, source)
    has_leftovers = bool(
        report.unplaced
        or report.followups
        or read.notes
        or (read.conversation and any(m.thinking for m in read.conversation.messages))
    )
    if has_leftovers and not dry_run:
        repo_homework = homework or _homework_of(root, run)
        path = root / run_folder_path(repo_homework, run) / LEFTOVERS_FILE
        path.write_text(leftover, encoding="utf-8")
        notes.append(f"wrote {path} (what was not placed, with its origin)")
    notes += read.notes
    return read, report, notes


def _homework_of(root: Path, run: str) -> str:
    for folder in sorted((root / "transcripts").glob(f"*/{run}")):
        return folder.parent.name
    raise ContributeError(f"no run {run!r} in transcripts/")
