"""Contributor commands: scaffold a run (`gallery new-run`) and import a chat (`gallery import-chat`).

`new-run` writes run.yaml and one q<N>.yaml per chosen question with an entry for every
part, answers empty and verdicts not yet given, so that `gallery validate` then lists
exactly what is left to fill in.

`import-chat` splits a chat exported as Markdown into turns, finds part labels in each
response, and puts each piece of text into the matching entry's `answer` (never over an
answer already there). Every line of the chat ends up placed, reported as not placed (with
its line numbers), or reported as interface residue; nothing is silently dropped.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gallery.data.layout import schema_comment_for
from gallery.data.models import SLUG_PATTERN, QuestionFile
from gallery.data.repository import Repository
from gallery.data.yaml_write import document
from gallery.rules import load_repository

# -- new-run ---------------------------------------------------------------------------------

RUN_TEMPLATE = """\
{schema_comment}
# Fill in every `null` below; `gallery validate` lists what is still missing.
run: {run}
homework: {homework}
label: {label}  # short column label, at most 28 characters
model:
  name: {model}  # as the chat interface showed it, or "unknown"
  vendor: null  # e.g. "OpenAI", "Moonshot AI", or "unknown"
interface: null  # web-chat | api | app | unknown
date: null  # "YYYY-MM-DD" (quoted) if known; else delete the line
strategy: null  # one-shot | part-by-part | mixed
strategy_note: null  # how you gave the prompts, in a sentence or two
modality: null  # pasted-text | screenshots | pdf-upload | mixed
contributor: null  # your name or handle
annotators: []  # e.g. - {{id: author, name: "Your Name", role: "ran the session and marked each part"}}
source_documents:
  - {{file: "chat.md", description: "the chat export"}}
repairs: []
"""


def scaffold_run_question(run: str, question: QuestionFile) -> str:
    """A q<N>.yaml with one entry per part, answer and verdict left empty."""
    lines = [
        f"run: {run}",
        f"question: {question.question}",
        "entries:",
    ]
    for part in question.parts:
        lines += [
            f'  - part: "{part.label}"',
            "    answer: null  # paste the answer as a block: `answer: |` then the text indented below",
            "    review:",
            "      verdict: null  # correct | partial | incorrect | skipped | not-asked",
            "      reason: null  # one line: why",
        ]
    return "\n".join(lines) + "\n"


class ContributeError(Exception):
    pass


def new_run(root: Path, homework: str, run: str, model: str, questions: list[int] | None) -> list[Path]:
    repo = load_repository(root)
    if homework not in repo.homeworks or repo.homeworks[homework].meta is None:
        known = ", ".join(sorted(repo.homeworks)) or "none"
        raise ContributeError(f"no homework {homework!r} in solutions/ (known: {known})")
    if not re.match(SLUG_PATTERN, run) or len(run) > 64:
        raise ContributeError(f"run id {run!r} must be lowercase words joined by hyphens, e.g. gpt-5-pdf-one-shot")
    folder = root / "transcripts" / homework / run
    if folder.exists() or any(run_id == run for (_, run_id) in repo.runs):
        raise ContributeError(f"a run called {run!r} already exists")
    available = repo.homeworks[homework].questions
    chosen = sorted(available) if not questions else questions
    unknown = [n for n in chosen if n not in available]
    if unknown:
        raise ContributeError(
            f"{homework} has no question {', '.join(map(str, unknown))} (it has {', '.join(map(str, sorted(available)))})"
        )
    folder.mkdir(parents=True)
    rel = f"transcripts/{homework}/{run}"
    written = []
    run_file = folder / "run.yaml"
    run_file.write_text(
        RUN_TEMPLATE.format(
            schema_comment=schema_comment_for(f"{rel}/run.yaml", "run"),
            run=run,
            homework=homework,
            label=_quote(model[:28]),
            model=_quote(model),
        ),
        encoding="utf-8",
    )
    written.append(run_file)
    for number in chosen:
        path = folder / f"q{number}.yaml"
        path.write_text(
            schema_comment_for(f"{rel}/q{number}.yaml", "run-question")
            + "\n"
            + scaffold_run_question(run, available[number]),
            encoding="utf-8",
        )
        written.append(path)
    return written


def _quote(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


# -- import-chat -----------------------------------------------------------------------------

ROLE_MARKER = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*)?\s*(prompt|response|user|assistant|you said|chatgpt said|chatgpt|you)\s*:?\s*(?:\*\*)?\s*:?\s*$",
    re.IGNORECASE,
)
THOUGHT_LINE = re.compile(r"^\s*(?:thought|reasoned|thinking) for [0-9][^\n]*$", re.IGNORECASE)
UI_RESIDUE = re.compile(r"^\s*(?:copy code|copy|edit|share|↑ share|regenerate|\d+/\d+)\s*$", re.IGNORECASE)
# A part marker at the start of a line: "(a)", "Part (b)", "**(c)**", "1(d)", "2(c)(ii)", "(ii)", "### (e)", "Question 2(a)"
PART_MARKER = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*)?\s*(?:part|question|q)?\s*([1-9][0-9]?)?\s*"
    r"(\((?:[a-z]|i{1,3}|iv|v|vi{0,3}|ix|x)\))(\((?:i{1,3}|iv|v|vi{0,3}|ix|x)\))?",
    re.IGNORECASE,
)
ANNOTATION_MARKER = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*)?\s*(?:annotation|annotator|my note|grader'?s? note)s?\s*:?\s*(?:\*\*)?\s*:?",
    re.IGNORECASE,
)
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

    def lines(self) -> list[str]:
        out = [f"placed {label} from lines {a}-{b}" for label, (a, b) in self.placed]
        out += [f"NOT PLACED lines {a}-{b}: {why}" for (a, b), why in self.unplaced]
        if self.residue:
            out.append(f"interface residue left out (lines {', '.join(map(str, self.residue))})")
        return out


def split_turns(text: str) -> list[Turn]:
    """Prompt/response turns, from explicit role markers or from ChatGPT's "Thought for ..." lines."""
    lines = text.split("\n")
    has_markers = any(ROLE_MARKER.match(line) for line in lines)
    turns: list[Turn] = []
    if has_markers:
        current: Turn | None = None
        for number, line in enumerate(lines, start=1):
            match = ROLE_MARKER.match(line)
            if match:
                role = "prompt" if match.group(1).lower() in ("prompt", "user", "you said", "you") else "response"
                current = Turn(role)
                turns.append(current)
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
    response: Turn, number: int, labels: set[str], single: str | None
) -> tuple[dict[str, list[tuple[int, str]]], list[tuple[int, str]], list[int]]:
    """Split a response into pieces by part label. Returns (pieces by label, unplaced lines, residue lines)."""
    pieces: dict[str, list[tuple[int, str]]] = {}
    unplaced: list[tuple[int, str]] = []
    residue: list[int] = []
    current: str | None = single
    current_letter: str | None = None
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
                label, current_letter = _label_for(number, first, second, current_letter, labels)
                if label:
                    current = label
        if current is None:
            unplaced.append((line_number, text))
        else:
            pieces.setdefault(current, []).append((line_number, text))
    return pieces, unplaced, residue


def _labels_named(prompt: str, number: int, labels: set[str]) -> set[str]:
    """The parts of question `number` a prompt names: "2(c)(ii)", "part (a)", "(b)(i)"."""
    named = set()
    for explicit, letter, sub in re.findall(r"(?<![A-Za-z0-9])([1-9][0-9]?)?\(([a-z])\)(?:\(([ivx]+)\))?", prompt):
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


def import_chat(root: Path, chat_file: Path, run: str) -> ImportReport:
    repo: Repository = load_repository(root)
    matches = [r for (_, run_id), r in repo.runs.items() if run_id == run]
    if not matches:
        raise ContributeError(f"no run {run!r}: create it first with `gallery new-run`")
    target = matches[0]
    if not target.questions:
        raise ContributeError(f"run {run!r} has no question file that loads; fix `gallery validate` errors first")
    text = chat_file.read_text(encoding="utf-8")
    turns = split_turns(text)
    report = ImportReport()
    files: dict[int, dict[str, Any]] = {
        n: q.model_dump(mode="json", exclude_defaults=True) for n, q in target.questions.items()
    }
    labels_by_question = {n: {e["part"] for e in data["entries"]} for n, data in files.items()}
    current_question = min(files) if len(files) == 1 else None
    previous_prompt: Turn | None = None
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
        single = named.pop() if len(named) == 1 else None
        pieces, unplaced, residue = segment_response(turn, number, labels, single)
        report.residue += residue
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
                report.unplaced.append((span, f"{label} already has an answer; not overwritten"))
                continue
            entry["answer"] = body + "\n"
            if (
                single == label
                and previous_prompt is not None
                and previous_prompt.text.strip()
                and not entry.get("prompt")
            ):
                entry["prompt"] = previous_prompt.text.strip() + "\n"
            report.placed.append((label, span))
    for number, data in files.items():
        rel = f"transcripts/{target.homework}/{run}/q{number}.yaml"
        ordered = {
            "run": data["run"],
            "question": data["question"],
            "entries": [_entry_order(e) for e in data["entries"]],
        }
        path = root / rel
        path.write_text(document(schema_comment_for(rel, "run-question"), ordered), encoding="utf-8")
        report.files.append(path)
    return report


_ENTRY_KEYS = ("part", "prompt", "answer", "answer_missing", "annotations", "review", "followups", "stated", "tags")


def _entry_order(entry: dict[str, Any]) -> dict[str, Any]:
    review = entry.get("review") or {}
    entry = {**entry, "review": {"verdict": review.get("verdict"), "reason": review.get("reason")}}
    return {key: entry[key] for key in _ENTRY_KEYS if key in entry}


# -- command line ------------------------------------------------------------------------------


def _cmd_new_run(args: argparse.Namespace) -> int:
    questions = [int(q) for q in args.questions.split(",")] if args.questions else None
    try:
        written = new_run(Path(args.root).resolve(), args.homework, args.run_id, args.model, questions)
    except ContributeError as error:
        print(f"gallery new-run: {error}")
        return 2
    for path in written:
        print(f"wrote {path}")
    print(
        "Next: paste the answers (or `gallery import-chat CHAT.md --into RUN_ID`), then `gallery validate` lists what is left."
    )
    return 0


def _cmd_import_chat(args: argparse.Namespace) -> int:
    try:
        report = import_chat(Path(args.root).resolve(), Path(args.file), args.into)
    except (ContributeError, OSError, UnicodeDecodeError) as error:
        print(f"gallery import-chat: {error}")
        return 2
    for line in report.lines():
        print(line)
    print(
        f"{len(report.placed)} piece(s) placed, {len(report.unplaced)} not placed (copy those by hand from {args.file})."
    )
    return 1 if report.unplaced else 0


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    new = commands.add_parser("new-run", help="scaffold transcripts/HOMEWORK/RUN_ID/ with an entry for every part")
    new.add_argument("homework")
    new.add_argument("run_id")
    new.add_argument("--model", required=True, help="the model's name as the interface showed it")
    new.add_argument("--questions", help="comma-separated question numbers (default: all)")
    new.set_defaults(func=_cmd_new_run)

    chat = commands.add_parser("import-chat", help="place a Markdown chat export's responses into a run's entries")
    chat.add_argument("file")
    chat.add_argument("--into", required=True, metavar="RUN_ID")
    chat.set_defaults(func=_cmd_import_chat)
