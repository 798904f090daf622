"""`gallery import-chat`: place a chat exported as Markdown into a run's entries.

It splits the chat into turns, finds part labels in each response, and puts each piece of
text into the matching entry's `answer` (never over an answer already there). Every line of
the chat ends up placed, reported as not placed (with its line numbers), or reported as
interface residue; nothing is silently dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gallery.contribute.scaffold import ContributeError
from gallery.data.layout import run_question_file_path
from gallery.data.repository import Repository
from gallery.data.verdicts import NOT_ASKED
from gallery.data.yamlsafe import Node
from gallery.rules import load_repository

# -- import-chat -----------------------------------------------------------------------------

ROLE_MARKER = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*)?\s*(prompt|response|user prompt|model response|user|assistant|human|you said|"
    r"chatgpt said|claude said|chatgpt|claude|gemini|kimi|you)\s*:?\s*(?:\*\*)?\s*:?\s*$",
    re.IGNORECASE,
)
THOUGHT_LINE = re.compile(r"^\s*(?:thought|reasoned|thinking) for [0-9][^\n]*$", re.IGNORECASE)
UI_RESIDUE = re.compile(r"^\s*(?:copy code|copy|edit|share|↑ share|regenerate|\d+/\d+)\s*$", re.IGNORECASE)
# A part marker at the start of a line: "(a)", "Part (b)", "**(c)**", "1(d)", "2(c)(ii)", "(ii)", "### (e)", "Question 2(a)"
PART_MARKER = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*)?\s*(?:(?:answer|solution)s?\s*(?:to|for)?\s*)?(?:part|question|q)?\s*([1-9][0-9]?)?\s*"
    r"(\((?:[a-z]|i{1,3}|iv|v|vi{0,3}|ix|x)\))(\((?:i{1,3}|iv|v|vi{0,3}|ix|x)\))?",
    re.IGNORECASE,
)
ANNOTATION_MARKER = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*)?\s*(?:annotation|annotator|my note|grader'?s? note)s?\s*:?\s*(?:\*\*)?\s*:?",
    re.IGNORECASE,
)
# A role and its first words on one line: "Human: Solve 1(a)", "**Assistant:** The answer ..."
INLINE_ROLE = re.compile(
    r"^\s*(?:\*\*|__|_|\*)?(human|assistant|user|you|chatgpt|claude|kimi|prompt|response)(?:\*\*|__|_|\*)?\s*:\s*(?:\*\*|__|_|\*)?\s*(\S.*)$",
    re.IGNORECASE,
)
PROMPT_ROLES = ("prompt", "user prompt", "user", "you said", "you", "human")
EMBEDDED_IMAGE = re.compile(r"data:image/[a-z+.-]+;base64,[A-Za-z0-9+/=\s]{200,}", re.IGNORECASE)
MAX_CHAT_BYTES = 1024 * 1024  # what one run-question file may hold at the most
MAX_ANSWER_CHARS = 64 * 1024  # one answer; far above any in the gallery (the longest is under 12,000)
QUESTION_MENTION = re.compile(r"\b(?:question|q)\s*#?\s*([1-9][0-9]?)", re.IGNORECASE)


@dataclass
class Turn:
    role: str  # "prompt" or "response"
    lines: list[tuple[int, str]] = field(default_factory=list)  # (1-based line number, text)

    @property
    def text(self) -> str:
        return "\n".join(text for _, text in self.lines).strip("\n")

    @property
    def span(self) -> tuple[int, int]:
        numbers = [n for n, text in self.lines if text.strip()]
        return (numbers[0], numbers[-1]) if numbers else (0, 0)


@dataclass
class ImportReport:
    placed: list[tuple[str, tuple[int, int]]] = field(default_factory=list)  # (label, line span)
    unplaced: list[tuple[tuple[int, int], str]] = field(default_factory=list)  # (span, why)
    residue: list[int] = field(default_factory=list)  # line numbers of interface residue
    files: list[Path] = field(default_factory=list)
    followups: list[tuple[str, tuple[int, int], tuple[int, int]]] = field(default_factory=list)  # (part, prompt, reply)
    followups_inserted: set[str] = field(default_factory=set)  # parts whose follow-ups went into the file
    prompts: int = 0
    replies: int = 0

    def lines(self) -> list[str]:
        out = [f"placed {label} from lines {a}-{b}" for label, (a, b) in self.placed]
        out += [
            f"FOLLOW-UP to {label}: prompt lines {p[0]}-{p[1]}, reply lines {r[0]}-{r[1]} "
            + (
                "(added under the entry's followups: set its kind and grade it)"
                if label in self.followups_inserted
                else "(add it under the entry's followups with its kind: hint, correction, extra-prompt or retry)"
            )
            for label, p, r in self.followups
        ]
        out += [f"NOT PLACED lines {a}-{b}: {why}" for (a, b), why in self.unplaced]
        if self.residue:
            out.append(f"interface residue left out (lines {', '.join(map(str, self.residue))})")
        return out


def split_turns(text: str) -> list[Turn]:
    """Prompt/response turns, from explicit role markers or from ChatGPT's "Thought for ..." lines."""
    lines = text.split("\n")
    has_markers = any(ROLE_MARKER.match(line) for line in lines)
    inline = not has_markers and sum(bool(INLINE_ROLE.match(line)) for line in lines) >= 2
    turns: list[Turn] = []
    if has_markers or inline:
        current: Turn | None = None
        for number, line in enumerate(lines, start=1):
            match = ROLE_MARKER.match(line) if has_markers else INLINE_ROLE.match(line)
            if match:
                role = "prompt" if match.group(1).lower() in PROMPT_ROLES else "response"
                current = Turn(role)
                turns.append(current)
                if inline:  # the turn's first words share the role's line
                    current.lines.append((number, match.group(2)))
                continue
            if current is None:
                current = Turn("prompt")
                turns.append(current)
            current.lines.append((number, line))
        return turns
    # No markers: each "Thought for ..." line opens a response; the paragraph just before it is its prompt.
    paragraphs: list[list[tuple[int, str]]] = [[]]
    for number, line in enumerate(lines, start=1):
        if THOUGHT_LINE.match(line):
            paragraphs.append([(number, line)])
            paragraphs.append([])
        elif not line.strip():
            paragraphs.append([])
        else:
            paragraphs[-1].append((number, line))
    paragraphs = [p for p in paragraphs if p]
    current = Turn("prompt")
    turns.append(current)
    for index, paragraph in enumerate(paragraphs):
        if THOUGHT_LINE.match(paragraph[0][1]):
            if turns[-1].role == "response" and turns[-1].lines:  # last paragraph of the response was the next prompt
                prompt_lines = turns[-1].lines[-_last_paragraph_len(turns[-1].lines) :]
                del turns[-1].lines[-len(prompt_lines) :]
                turns.append(Turn("prompt", prompt_lines))
            turns.append(Turn("response", [paragraph[0]]))
            continue
        turns[-1].lines.extend(paragraph + [(paragraph[-1][0] + 1, "")])
    return [t for t in turns if t.lines]


def _last_paragraph_len(lines: list[tuple[int, str]]) -> int:
    count = 0
    for _, text in reversed(lines):
        if not text.strip() and count:
            break
        count += 1
    return count


def _question_of(prompt: Turn | None, response: Turn, default: int | None) -> int | None:
    for turn in (prompt, response):
        if turn is None:
            continue
        match = QUESTION_MENTION.search(turn.text) or re.search(r"\b([1-9][0-9]?)\([a-z]\)", turn.text)
        if match:
            return int(match.group(1))
    return default


def _label_for(
    number: int, letter: str | None, sub: str | None, current_letter: str | None, labels: set[str]
) -> tuple[str | None, str | None]:
    """Resolve a marker into a label of question `number`; returns (label, letter now current)."""
    letter = letter.lower() if letter else None
    sub = sub.lower() if sub else None
    if letter and sub:
        label = f"{number}({letter})({sub})"
        return (label if label in labels else None), letter
    if letter and current_letter and f"{number}({current_letter})({letter})" in labels:
        return f"{number}({current_letter})({letter})", current_letter  # "(ii)" under "(c)"
    if letter and f"{number}({letter})" in labels:
        return f"{number}({letter})", letter
    if letter and f"{number}({letter})(i)" in labels:
        return f"{number}({letter})(i)", letter  # "(c)" whose first sub-part has no marker of its own
    return None, current_letter


def segment_response(
    response: Turn,
    number: int,
    labels: set[str],
    single: str | None,
    parent: str | None = None,
) -> tuple[dict[str, list[tuple[int, str]]], list[tuple[int, str]], list[int]]:
    """Split a response into pieces by part label. Returns (pieces by label, unplaced lines, residue lines).

    `parent` is the lettered part whose sub-parts the prompt asked for ("question 2(b)"): a bare
    "(i)" in the reply then means 2(b)(i), and a label of another part inside the reply ("(a) Read
    subspace" within 2(e)(iii)) is the reply's own list, not a part."""
    pieces: dict[str, list[tuple[int, str]]] = {}
    unplaced: list[tuple[int, str]] = []
    opening: list[tuple[int, str]] = []  # lines before the first part label
    residue: list[int] = []
    current: str | None = single
    current_letter: str | None = parent
    in_annotation = False
    for line_number, text in response.lines:
        if THOUGHT_LINE.match(text) or UI_RESIDUE.match(text):
            residue.append(line_number)
            continue
        if ANNOTATION_MARKER.match(text):
            in_annotation = True  # the contributor's own note, not the model's: reported, never placed
        if in_annotation:
            unplaced.append((line_number, text))
            continue
        match = PART_MARKER.match(text)
        if match:
            explicit_number = int(match.group(1)) if match.group(1) else None
            if explicit_number in (None, number):
                first = match.group(2)[1:-1]
                second = match.group(3)[1:-1] if match.group(3) else None
                label, letter_now = _label_for(number, first, second, current_letter, labels)
                if label and (parent is None or label.startswith(f"{number}({parent})(")):
                    current, current_letter = label, letter_now
        if current is None:
            opening.append((line_number, text))
        else:
            pieces.setdefault(current, []).append((line_number, text))
    if pieces and any(text.strip() for _, text in opening):
        # a shared opening (a greeting, the problem restated) goes with the first part the reply answers
        first = next(iter(pieces))
        pieces[first] = opening + pieces[first]
    else:
        unplaced.extend(opening)
    return pieces, unplaced, residue


PART_WORDS = re.compile(
    r"\b(?:question|q)\s*#?\s*([1-9][0-9]?)\s*,?\s*part\s*\(?([a-z])\)?(?:\s*\(?([ivx]+)\)?)?(?![a-z])"
    r"|\bpart\s*\(?([a-z])\)?(?:\s*\(?([ivx]+)\)?)?(?![a-z])",
    re.IGNORECASE,
)


def _labels_named(prompt: str, number: int, labels: set[str]) -> set[str]:
    """The parts of question `number` a prompt names: "2(c)(ii)", "part (a)", "(b)(i)", "question 5 part h"."""
    named = set()
    found = re.findall(r"(?<![A-Za-z0-9])([1-9][0-9]?)?\(([a-z])\)(?:\(([ivx]+)\))?", prompt)
    for match in PART_WORDS.finditer(prompt):
        explicit, letter, sub = (
            match.group(1) or "",
            (match.group(2) or match.group(4)).lower(),
            match.group(3) or match.group(5) or "",
        )
        found.append((explicit, letter, sub.lower()))
    for explicit, letter, sub in found:
        if explicit and int(explicit) != number:
            continue
        label = f"{number}({letter})" + (f"({sub})" if sub else "")
        if label in labels:
            named.add(label)
        elif not sub and f"{number}({letter})(i)" in labels:
            named.update(other for other in labels if other.startswith(f"{number}({letter})("))
    return named


def _unplaced_runs(unplaced: list[tuple[int, str]]) -> list[tuple[tuple[int, int], str]]:
    """Group unplaced lines into consecutive runs, each with the reason it was not placed."""
    runs: list[tuple[tuple[int, int], str]] = []
    group: list[tuple[int, str]] = []
    for item in unplaced + [(-1, "")]:
        if group and (item[0] != group[-1][0] + 1):
            nonblank = [n for n, t in group if t.strip()]
            if nonblank:
                first_text = next(t for _, t in group if t.strip())
                why = (
                    "an annotator's note, not the model's answer: add it under the entry's annotations"
                    if ANNOTATION_MARKER.match(first_text)
                    else "text before the first part label of the response"
                )
                runs.append(((nonblank[0], nonblank[-1]), why))
            group = []
        if item[0] != -1:
            group.append(item)
    return runs


NOT_MARKDOWN = (
    (b"%PDF", "a PDF"),
    (b"PK\x03\x04", "a zip archive (a data export?)"),
    (b"<!doctype html", "a saved web page"),
    (b"<html", "a saved web page"),
    (b"[", "JSON (a data export's conversations.json?)"),
    (b"{", "JSON (a data export's conversations.json?)"),
)


def read_chat(chat_file: Path) -> str:
    """The chat's text, or a ContributeError that names the file, what it looks like and what to do."""
    if chat_file.is_symlink() or not chat_file.is_file():
        raise ContributeError(f"{chat_file}: not a regular file")
    size = chat_file.stat().st_size
    if size > MAX_CHAT_BYTES:
        raise ContributeError(
            f"{chat_file}: {size:,} bytes is more than one run can hold ({MAX_CHAT_BYTES:,}); "
            "import the chat question by question, or leave out pasted images and attachments"
        )
    data = chat_file.read_bytes()
    head = data[:64].lstrip().lower()
    for signature, what in NOT_MARKDOWN:
        if head.startswith(signature.lower()):
            raise ContributeError(
                f"{chat_file}: read as Markdown, but it is {what}; save the chat as Markdown or plain text "
                "(the Prompt / Response layout, or text copied from the chat) and import that"
            )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ContributeError(
            f"{chat_file}: read as Markdown, but byte {error.start} is not UTF-8; re-save it as UTF-8 text"
        ) from None


def import_chat(root: Path, chat_file: Path, run: str) -> ImportReport:
    """`gallery import-chat`: a Markdown or plain-text chat placed into a run's entries."""
    return place_chat_text(root, read_chat(chat_file), run)


def place_chat_text(root: Path, text: str, run: str, *, dry_run: bool = False) -> ImportReport:
    """Split chat text into turns, cut each reply into parts, and fill the run's empty answers.

    With `dry_run`, everything is decided and reported but no file is written.
    """
    repo: Repository = load_repository(root)
    matches = [r for (_, run_id), r in repo.runs.items() if run_id == run]
    if not matches:
        raise ContributeError(f"no run {run!r}: create it first with `gallery new-run`")
    target = matches[0]
    if not target.questions:
        raise ContributeError(f"run {run!r} has no question file that loads; fix `gallery validate` errors first")
    turns = split_turns(text)
    report = ImportReport()
    files: dict[int, dict[str, Any]] = {
        n: q.model_dump(mode="json", exclude_defaults=True) for n, q in target.questions.items()
    }
    labels_by_question = {n: {e["part"] for e in data["entries"]} for n, data in files.items()}
    index_of = {n: {e["part"]: i for i, e in enumerate(data["entries"])} for n, data in files.items()}
    placed_in: list[tuple[int, tuple[int, dict[str, Any]]]] = []  # (question, (entry index, fields to add))
    current_question = min(files) if len(files) == 1 else None
    previous_prompt: Turn | None = None
    last_placed: tuple[int, str] | None = None  # the part the previous reply answered (for follow-ups)
    placed_now: set[tuple[int, str]] = set()
    followup_texts: dict[tuple[int, str], list[tuple[str, str]]] = {}  # (question, part) -> [(prompt, reply)]
    for turn in turns:
        if turn.role == "prompt":
            previous_prompt = turn
            residue = [n for n, line in turn.lines if THOUGHT_LINE.match(line)]
            report.residue += residue
            continue
        number = _question_of(previous_prompt, turn, current_question)
        if number is None or number not in files:
            why = (
                "no question of this run is named in the prompt or response"
                if number is None
                else f"question {number} is not in this run"
            )
            report.unplaced.append((turn.span, why))
            continue
        current_question = number
        labels = labels_by_question[number]
        named = _labels_named(previous_prompt.text if previous_prompt else "", number, labels)
        parents = {label.split("(")[1].rstrip(")") for label in named if label.count("(") == 2}
        parent = parents.pop() if len(parents) == 1 and all(label.count("(") == 2 for label in named) else None
        single = named.pop() if len(named) == 1 else None
        pieces, unplaced, residue = segment_response(turn, number, labels, single, parent)
        report.residue += residue
        if not pieces and last_placed is not None and last_placed[0] == number and previous_prompt is not None:
            # a reply with no part label of its own, after a prompt that names none: a follow-up
            report.followups.append((last_placed[1], previous_prompt.span, turn.span))
            followup_texts.setdefault(last_placed, []).append((previous_prompt.text.strip(), turn.text.strip()))
            continue
        for run_lines, why in _unplaced_runs(unplaced):
            report.unplaced.append((run_lines, why))
        entries = {e["part"]: e for e in files[number]["entries"]}
        for label, piece in pieces.items():
            body = "\n".join(t for _, t in piece).strip("\n")
            span = (piece[0][0], piece[-1][0])
            if not body.strip():
                continue
            entry = entries[label]
            if entry.get("answer"):
                if (number, label) in placed_now:  # answered earlier in this chat: the user followed up
                    report.followups.append((label, previous_prompt.span if previous_prompt else (0, 0), span))
                    asked_again = previous_prompt.text.strip() if previous_prompt else ""
                    followup_texts.setdefault((number, label), []).append((asked_again, body))
                else:
                    report.unplaced.append((span, f"{label} already has an answer; not overwritten"))
                continue
            if (entry.get("review") or {}).get("verdict") == NOT_ASKED:
                report.unplaced.append(
                    (span, f"{label} is marked not-asked in this run; not filled (change the verdict first)")
                )
                continue
            if EMBEDDED_IMAGE.search(body):
                report.unplaced.append(
                    (
                        span,
                        f"holds an embedded image ({len(body) // 1024} KB of text); images are not copied into "
                        "answers: say what it showed in answer_missing or the run's notes, and keep the file in sources/",
                    )
                )
                continue
            if len(body) > MAX_ANSWER_CHARS:
                report.unplaced.append(
                    (
                        span,
                        f"{len(body):,} characters is more than one answer may hold ({MAX_ANSWER_CHARS:,}); check the part labels",
                    )
                )
                continue
            entry["answer"] = body + "\n"
            fields = {"answer": body}
            if (
                single == label
                and previous_prompt is not None
                and previous_prompt.text.strip()
                and not entry.get("prompt")
            ):
                entry["prompt"] = previous_prompt.text.strip() + "\n"
                fields["prompt"] = previous_prompt.text.strip()
            placed_in.append((number, (index_of[number][label], fields)))
            report.placed.append((label, span))
            last_placed = (number, label)
            placed_now.add(last_placed)
    for (number, label), turns_after in followup_texts.items():
        entry = {e["part"]: e for e in files[number]["entries"]}[label]
        if entry.get("followups") or not all(prompt and reply for prompt, reply in turns_after):
            continue  # left to the contributor (reported, and written to the leftovers)
        placed_in.append((number, (index_of[number][label], {"followups": followup_block(turns_after)})))
        report.followups_inserted.add(label)
    report.prompts = sum(1 for turn in turns if turn.role == "prompt")
    report.replies = sum(1 for turn in turns if turn.role == "response")
    if dry_run:
        return report
    for number in sorted({placed_number for placed_number, _ in placed_in}):
        rel = run_question_file_path(target.homework, run, number)
        loaded = target.question_files[number]
        assert loaded.text is not None and loaded.node is not None
        new_text = insert_fields(loaded.text, loaded.node, [item for n, item in placed_in if n == number])
        if len(new_text.encode("utf-8")) > MAX_CHAT_BYTES:
            report.unplaced.append(
                ((0, 0), f"{rel} would be larger than {MAX_CHAT_BYTES:,} bytes; nothing written to it")
            )
            continue
        path = root / rel
        path.write_text(new_text, encoding="utf-8")
        report.files.append(path)
    return report


def followup_block(turns: list[tuple[str, str]]) -> list[str]:
    """The `followups:` list for replies that followed up on a part, kind and verdict left to the contributor."""
    lines: list[str] = []
    for prompt, reply in turns:
        lines.append("  - kind: hint  # or correction, extra-prompt, retry: set what the user's turn was")
        lines.append("    prompt: |")
        lines += [f"      {line}" if line else "" for line in prompt.split("\n")]
        lines.append("    answer: |")
        lines += [f"      {line}" if line else "" for line in reply.split("\n")]
        lines += [
            "    review:",
            "      verdict: null  # correct | partial | incorrect | skipped | not-asked",
            "      reason: null",
        ]
    return lines


def insert_fields(text: str, root: Node, additions: list[tuple[int, dict[str, Any]]]) -> str:
    """The file's own text with block fields added to some entries; every other line is kept as it was.

    A field the entry has as `null` (the scaffold's placeholder) is replaced in place; a field
    it lacks is added after the entry's `part:` line. Only entries without the field get here.
    """
    lines = text.split("\n")
    edits: list[tuple[int, int, list[str]]] = []  # (first line index, lines replaced, new lines)
    entries = root.mapping["entries"][1].items if root.mapping and "entries" in root.mapping else None
    assert entries is not None
    for index, fields in additions:
        entry = entries[index]
        assert entry.mapping is not None
        part_key_mark = entry.mapping["part"][0]
        indent = " " * (part_key_mark.col - 1)
        for name, body in fields.items():
            if isinstance(body, list):  # lines of a nested block, e.g. a `followups:` list
                block = [f"{indent}{name}:"] + [f"{indent}{line}" if line else "" for line in body]
            else:
                block = [f"{indent}{name}: |"] + [f"{indent}  {line}" if line else "" for line in body.split("\n")]
            if name in entry.mapping:  # a placeholder such as `answer: null  # paste ...`
                edits.append((entry.mapping[name][0].line - 1, 1, block))
            else:
                edits.append((part_key_mark.line, 0, block))
    for first, count, new in sorted(edits, key=lambda e: e[0], reverse=True):
        lines[first : first + count] = new
    return "\n".join(lines)
