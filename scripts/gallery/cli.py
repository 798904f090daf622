"""Command-line entry point: `gallery <command>` (also `python -m gallery`).

Each command is a thin wrapper: parse arguments, call a pure-ish function, print, and
return an exit code (0 ok, 1 problems found, 2 usage error).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gallery.data.layout import NoRepository, discover, repository_root
from gallery.data.problems import errors, format_problems, problems_under


def _root(args: argparse.Namespace) -> Path:
    return repository_root(args.root)


def cmd_validate(args: argparse.Namespace) -> int:
    from gallery.rules import load_repository

    root = _root(args)
    repo = load_repository(root)
    problems = repo.problems
    files_checked = repo.files_checked
    if args.paths:
        wanted = [Path(p).resolve() for p in args.paths]
        missing = [path for path in wanted if not path.exists()]
        if missing:
            print(f"gallery validate: no such file or folder: {missing[0]}", file=sys.stderr)
            return 2
        outside = [path for path in wanted if path != root and root not in path.parents]
        if outside:
            print(f"gallery validate: {outside[0]} is not inside the repository {root}", file=sys.stderr)
            return 2
        problems = problems_under(problems, root, wanted)
        files_checked = len(discover(root, wanted))
    if files_checked == 0:  # never "No problems" over nothing
        where = ", ".join(str(p) for p in args.paths) if args.paths else f"{root} (solutions/, sources/, transcripts/)"
        print(f"gallery validate: no data files found in {where}", file=sys.stderr)
        return 2
    print(format_problems(problems, args.format, files_checked=files_checked))
    return 1 if errors(problems) else 0


def cmd_schema(args: argparse.Namespace) -> int:
    from gallery.schemas import write_schemas

    stale = write_schemas(_root(args), check=args.check)
    if args.check and stale:
        print("Out of date (run `gallery schema`): " + ", ".join(stale))
        return 1
    print("Schemas " + ("are up to date." if not stale else "written: " + ", ".join(stale)))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from gallery.export import write_export
    from gallery.rules import load_repository

    repo = load_repository(_root(args))
    if errors(repo.problems):
        print(format_problems(repo.problems, "text", files_checked=repo.files_checked))
        print("Refusing to export data with problems.", file=sys.stderr)
        return 1
    for path in write_export(repo, Path(args.dir)):
        print(f"wrote {path}")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from gallery.site.build import build_pages

    result = build_pages(_root(args), force=args.force, preview=args.preview)
    if result.problems:
        print(format_problems(result.problems, "text", files_checked=result.files_checked))
    if result.pending:
        print(f"Preview without the runs still in progress: {', '.join(result.pending)}")
    elif errors(result.problems):
        return 1
    if args.hookless_config:
        from gallery.rules import load_repository
        from gallery.site.engines import hookless_config

        root = _root(args)
        config = hookless_config(
            root,
            load_repository(root),
            root / args.hookless_config,
            site_dir=root / args.site_dir,
            notebooks=True,
        )
        print(f"wrote {config} (for an engine without hooks or plugins, e.g. `zensical build -f {config.name}`)")
    if result.skipped:
        print(f"{result.unchanged} page(s) in {result.out_dir} are up to date (nothing they depend on changed)")
        return 0
    print(
        f"{len(result.written)} page(s) written, {result.unchanged} unchanged, {len(result.removed)} removed, into {result.out_dir}"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gallery", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--root", default=None, help="repository root (default: the checkout holding the current folder)"
    )
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser(
        "validate", help="check the data; print every problem as path:line:col: CODE message"
    )
    validate.add_argument(
        "paths", nargs="*", help="only report problems in these files or folders (the whole tree is still loaded)"
    )
    validate.add_argument("--format", choices=["text", "github", "json"], default="text")
    validate.set_defaults(func=cmd_validate)

    schema = commands.add_parser("schema", help="write the JSON Schemas generated from the models into schemas/")
    schema.add_argument("--check", action="store_true", help="only report schemas that are out of date")
    schema.set_defaults(func=cmd_schema)

    export = commands.add_parser("export", help="write DIR/<homework>.json and DIR/<homework>-verdicts.csv")
    export.add_argument("dir")
    export.set_defaults(func=cmd_export)

    build = commands.add_parser(
        "build", help="generate the site's Markdown pages into docs/gallery/ (only changed files)"
    )
    build.add_argument("--force", action="store_true", help="regenerate even if nothing the pages depend on changed")
    build.add_argument(
        "--preview",
        action="store_true",
        help="leave out runs whose only errors are in their own files (as `make serve` does)",
    )
    build.add_argument(
        "--hookless-config",
        metavar="FILE",
        help="also write FILE: mkdocs.yml for an engine that runs no hooks or plugins (Zensical), with the "
        "navigation written out and the notebooks rendered to pages",
    )
    build.add_argument(
        "--site-dir", default="site-zensical", help="where that engine builds the site (default: site-zensical)"
    )
    build.set_defaults(func=cmd_build)

    from gallery import contribute

    contribute.add_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except NoRepository as error:
        print(f"gallery {args.command}: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `gallery validate | head`
        return 0
