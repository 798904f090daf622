"""Contributor commands: `gallery new-run` (`scaffold`) and `gallery import-chat` (`markdown_chat`).

This module only wires them into the command line.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from gallery.contribute.markdown_chat import import_chat
from gallery.contribute.scaffold import ContributeError, new_run
from gallery.data.layout import repository_root

# -- command line ------------------------------------------------------------------------------


def parse_questions(text: str) -> list[int]:
    """ "1,2,5", "q1,q2", "1-3", "Q1, 3-4," -> sorted question numbers; anything else is refused."""
    numbers: set[int] = set()
    for item in (piece.strip().lower().removeprefix("q") for piece in text.split(",")):
        if not item:
            continue
        low, _, high = item.partition("-")
        high = high.strip().removeprefix("q")
        if not low.strip().isdigit() or (high and not high.isdigit()):
            raise ContributeError(f"--questions takes numbers such as 1,2,5 or 1-3, not {text!r}")
        first, last = int(low), int(high or low)
        if first > last or not 1 <= first <= 99 or last > 99:
            raise ContributeError(f"--questions takes numbers from 1 to 99 in increasing ranges, not {text!r}")
        numbers.update(range(first, last + 1))
    if not numbers:
        raise ContributeError(f"--questions names no question: {text!r}")
    return sorted(numbers)


def _cmd_new_run(args: argparse.Namespace) -> int:
    try:
        questions = parse_questions(args.questions) if args.questions else None
        source = Path(args.source) if args.source else None
        written = new_run(repository_root(args.root), args.homework, args.run_id, args.model, questions, source)
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
        report = import_chat(repository_root(args.root), Path(args.file), args.into)
    except (ContributeError, OSError, UnicodeDecodeError) as error:
        print(f"gallery import-chat: {error}")
        return 2
    for line in report.lines():
        print(line)
    if not report.placed:
        print(f"Nothing from {args.file} was placed, so no file was changed: check the lines above, or paste by hand.")
        return 1
    print(
        f"{len(report.placed)} piece(s) placed, {len(report.unplaced)} not placed (copy those by hand from {args.file})."
    )
    return 1 if report.unplaced else 0


def _cmd_import(args: argparse.Namespace) -> int:
    from gallery.contribute.importer import import_file

    if bool(args.into) == bool(args.new_run):
        print("gallery import: give either --into RUN_ID (an existing run) or --new-run RUN_ID --homework HW")
        return 2
    try:
        read, report, notes = import_file(
            repository_root(args.root),
            Path(args.file),
            args.into or args.new_run,
            homework=args.homework,
            create=bool(args.new_run),
            conversation=args.conversation,
            dry_run=args.dry_run,
        )
    except (ContributeError, OSError) as error:
        print(f"gallery import: {error}")
        return 2
    conversation = read.conversation
    title = (
        f" ({conversation.title!r}, {len(conversation.messages)} messages)"
        if conversation and conversation.title
        else ""
    )
    print(f"read {args.file} as {read.format}{title}; line numbers below are those of its chat text:")
    for line in report.lines():
        print(f"  {line}")
    for note in notes:
        print(f"  {note}")
    if args.dry_run:
        print("dry run: nothing written")
        return 0
    if not report.placed:
        print("Nothing was placed: check the lines above, or paste by hand.")
        return 1
    print(f"{len(report.placed)} answer(s) placed. Next: gallery validate lists what is left to fill in and confirm.")
    return 0


def _cmd_new_homework(args: argparse.Namespace) -> int:
    from gallery.contribute.homework import new_homework

    try:
        written = new_homework(
            repository_root(args.root),
            args.homework,
            args.title,
            parse_questions(args.questions),
            course=args.course,
            institution=args.institution,
            term=args.term,
        )
    except ContributeError as error:
        print(f"gallery new-homework: {error}")
        return 2
    for path in written:
        print(f"wrote {path}")
    print("Next: write what each `null` asks for; `gallery validate` lists what is left.")
    return 0


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    hw = commands.add_parser(
        "new-homework", help="scaffold solutions/HOMEWORK/ (homework.yaml and one file per question)"
    )
    hw.add_argument("homework", help="the homework id, e.g. hw12")
    hw.add_argument("--title", required=True, help='e.g. "Homework 12"')
    hw.add_argument("--questions", required=True, help="question numbers, e.g. 1,2,3 or 1-5")
    hw.add_argument("--course")
    hw.add_argument("--institution")
    hw.add_argument("--term")
    hw.set_defaults(func=_cmd_new_homework)

    imp = commands.add_parser(
        "import",
        help="read a chat export, saved share page, PDF print or Markdown into a run (see docs: which file do you have?)",
    )
    imp.add_argument("file")
    imp.add_argument("--into", metavar="RUN_ID", help="an existing run whose empty answers to fill")
    imp.add_argument(
        "--new-run", metavar="RUN_ID", help="create this run first, with run.yaml pre-filled from the file"
    )
    imp.add_argument("--homework", help="the homework the chat answers (with --new-run)")
    imp.add_argument("--conversation", metavar="TITLE-OR-ID", help="which conversation of a data export")
    imp.add_argument("--dry-run", action="store_true", help="print which text goes to which part; write nothing")
    imp.set_defaults(func=_cmd_import)

    new = commands.add_parser("new-run", help="scaffold transcripts/HOMEWORK/RUN_ID/ with an entry for every part")
    new.add_argument("homework")
    new.add_argument("run_id")
    new.add_argument("--model", required=True, help="the model's name as the interface showed it")
    new.add_argument("--questions", help="comma-separated question numbers (default: all)")
    new.add_argument(
        "--source",
        metavar="FILE",
        help="the file you copy the answers from (chat export, saved page, PDF): kept in sources/",
    )
    new.set_defaults(func=_cmd_new_run)

    chat = commands.add_parser("import-chat", help="place a Markdown chat export's responses into a run's entries")
    chat.add_argument("file")
    chat.add_argument("--into", required=True, metavar="RUN_ID")
    chat.set_defaults(func=_cmd_import_chat)
