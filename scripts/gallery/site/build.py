"""Generate the site's pages from the data into docs/gallery/, writing only what changed.

`site_pages(repo)` lists every generated file with its renderer and the nav, in one pass
over the plan (`gallery.site.plan`); `generate` renders them (pure: no I/O). `build_pages`
is the I/O edge used by both `gallery build` and the MkDocs hook: it loads the data,
refuses to generate from invalid data, writes a file only when its content changed (so
`mkdocs serve` sees exactly the pages an edit touched and never loops), and deletes
generated files that no longer have a source.

The hook splices the nav sections into mkdocs.yml's `nav` (`splice_nav`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import Any

from gallery.data.gcpolicy import bulk_allocation
from gallery.data.layout import discover
from gallery.data.load import MAX_FILE_BYTES
from gallery.data.problems import Problem, errors
from gallery.data.repository import Repository, Run, forget_locations
from gallery.data.verdicts import verdict_stylesheet
from gallery.export import SCHEMA_FILE, export_homework, export_schema_text, homework_export_names
from gallery.grading.assess import assess
from gallery.rules import load_repository
from gallery.site import depends
from gallery.site.depends import Key
from gallery.site.links import resolve_links
from gallery.site.pages.analysis import analysis_pages
from gallery.site.pages.common import (
    GENERATED_DIR,
    MODELS_INDEX,
    RUNS_PER_GRID_PAGE,
    front_matter,
    grid_page,
    h,
    homework_page,
    model_page,
    question_page,
    raw_block,
    run_page,
    table,
)
from gallery.site.pages.models import model_chunks, model_pages, runs_by_model
from gallery.site.pages.overview import (
    render_grid_page,
    render_home_partial,
    render_homework_page,
    render_homeworks_page,
)
from gallery.site.pages.question import render_question_page
from gallery.site.pages.reference import (
    render_error_codes_page,
    render_error_codes_table,
    render_file_format_body,
    render_file_format_page,
    render_verdict_table,
)
from gallery.site.pages.run import render_pending_run_page, render_run_page
from gallery.site.pages.sources import render_sources_page, source_file_url, sources_page
from gallery.site.plan import PlannedRepository, plan

HOME_SRC = "index.md"
HOMEWORKS_INDEX = f"{GENERATED_DIR}/index.md"  # the nav item the homework sections replace
PARTIALS = f"{GENERATED_DIR}/partials"
DATA_DIR = f"{GENERATED_DIR}/data"
VERDICT_STYLESHEET = f"{GENERATED_DIR}/assets/verdicts.css"  # listed in mkdocs.yml extra_css

Content = str | bytes  # a generated file: pages are text, the data downloads UTF-8 bytes (see `export_json`)


def render_data_page(repo: Repository, files: dict[str, bytes]) -> str:
    rows = []
    for name in sorted(files):
        kind = (
            "JSON Schema of the export"
            if name.endswith(".schema.json")
            else "everything: homework, questions with references and answer keys, runs with every entry"
            if name.endswith(".json")
            else "one row per entry (run × part) with its verdicts"
        )
        rows.append([f'<a href="{h(name)}"><code>{h(name)}</code></a>', h(kind), f"{len(files[name]):,} bytes"])
    from gallery.export import CSV_COLUMNS

    columns = ", ".join(f"<code>{c}</code>" for c in CSV_COLUMNS)
    body = (
        "<p>The same data the site shows, for analysis elsewhere. Files are regenerated from <code>solutions/</code> "
        "and <code>transcripts/</code> on every build (<code>gallery export DIR</code> writes them too).</p>"
        + table(["File", "Holds", "Size"], rows)
        + '<h2 id="json">The JSON file</h2><p>An object with <code>format_version</code>, <code>homework</code>, '
        "<code>questions</code> (each with <code>parts</code>: <code>label</code> as the homework writes it, "
        "<code>graded</code>, <code>reference</code>, <code>answer_key</code>) and <code>runs</code> (each with "
        "<code>id</code>, <code>model</code>, <code>interface</code>, <code>strategy</code>, <code>modality</code>, "
        "<code>contributor</code>, <code>source_documents</code> and <code>entries</code>: <code>part</code>, "
        "<code>answer</code>, <code>annotator_verdict</code> (or null), <code>review_verdict</code>, "
        "<code>followups</code>, <code>tags</code>, <code>stated</code> values). <code>export.schema.json</code> "
        "describes every field.</p>"
        f'<h2 id="csv">The CSV file</h2><p>Columns: {columns}. Tags are separated by semicolons.</p>'
        "<p>Model answers are quoted data: they keep the models' own words. Reference solutions and review "
        "verdicts are the gallery's own work.</p>"
    )
    return front_matter("Data", "Download the gallery's data as JSON and CSV") + "# Data\n" + raw_block(body)


@dataclass
class SiteMap:
    """Every generated file with its renderer, what it reads, and the navigation: one pass over the plan.

    `inputs` maps each page to the data it is rendered from, as key prefixes (`gallery.site.depends`):
    a rebuild re-renders only the pages that read a changed file.
    """

    pages: dict[str, Callable[[], Content]] = field(default_factory=dict)
    inputs: dict[str, frozenset[Key]] = field(default_factory=dict)
    nav: list[Any] = field(default_factory=list)

    def add(self, src: str, render: Callable[[], Content], *reads: Key) -> None:
        self.pages[src] = render
        self.inputs[src] = frozenset(reads)


def _pick(files: Callable[[], dict[str, bytes]], name: str) -> bytes:
    return files()[name]


def site_map(repo: PlannedRepository) -> SiteMap:
    """Every generated file (path under docs/ -> its renderer and what it reads) and the nav sections.

    The nav is one section per homework; it replaces the `gallery/index.md` item of mkdocs.yml's
    nav (`splice_nav`), so a new homework needs no hand-written nav line.
    """
    site = SiteMap()
    shown = [hw for hw in repo.plans]
    every_homework = [depends.everything_of(hw) for hw in shown]
    titles = [k for hw in shown for k in (depends.homework_meta(hw), depends.all_questions(hw))]
    first_grids = [depends.whole_run(hw, run.id) for hw in shown for run in repo.plans[hw].grid_chunks[0]]
    site.add(f"{PARTIALS}/home.md", partial(render_home_partial, repo, HOME_SRC), *titles, *first_grids)
    site.add(f"{PARTIALS}/error-codes.md", lambda: raw_block(render_error_codes_table()))
    site.add(f"{PARTIALS}/file-format.md", partial(render_file_format_body, level=3))
    site.add(f"{PARTIALS}/verdicts.md", lambda: raw_block(render_verdict_table()))
    site.add(VERDICT_STYLESHEET, verdict_stylesheet)
    site.add(f"{GENERATED_DIR}/reference/error-codes.md", render_error_codes_page)
    site.add(f"{GENERATED_DIR}/reference/file-format.md", render_file_format_page)
    site.add(HOMEWORKS_INDEX, partial(render_homeworks_page, repo), *titles)
    for homework, homework_plan in repo.plans.items():
        hw = repo.homeworks[homework]
        meta, sources = depends.homework_meta(homework), depends.sources_of(homework)
        index = homework_page(homework)
        site.add(index, partial(render_homework_page, repo, homework), depends.everything_of(homework))
        questions: list[dict[str, Any]] = []
        for number, question in sorted(hw.questions.items()):
            chunks_of_question = homework_plan.question_chunks[number]
            srcs = [question_page(homework, number, i) for i in range(len(chunks_of_question))]
            for i, (src, runs_here) in enumerate(zip(srcs, chunks_of_question, strict=True)):
                answers = [
                    key
                    for run in runs_here
                    for key in (depends.run_meta(homework, run.id), depends.run_answers(homework, run.id, number))
                ]
                site.add(
                    src,
                    partial(render_question_page, repo, homework, number, i),
                    meta,
                    sources,
                    depends.question(homework, number),
                    *answers,
                )
            # nav titles are printed unescaped by the theme (sidebar, footer): escape data here
            questions.append({h(f"Q{number}: {question.title}"): srcs[0] if len(srcs) == 1 else srcs})
        runs: list[dict[str, Any]] = []
        for run in homework_plan.runs:
            assert run.meta is not None
            site.add(
                run_page(homework, run.id),
                partial(render_run_page, repo, run),
                meta,
                sources,
                depends.all_questions(homework),
                depends.whole_run(homework, run.id),
            )
            runs.append({h(run.meta.label): run_page(homework, run.id)})
        grids: list[dict[str, Any]] = []
        for i, chunk in enumerate(homework_plan.grid_chunks):
            if i:
                site.add(
                    grid_page(homework, i),
                    partial(render_grid_page, repo, homework, i, HOME_SRC),
                    meta,
                    depends.all_questions(homework),
                    *(depends.whole_run(homework, run.id) for run in chunk),
                )
                title = f"Grid, runs {i * RUNS_PER_GRID_PAGE + 1}–{i * RUNS_PER_GRID_PAGE + len(chunk)}"
                grids.append({title: grid_page(homework, i)})
        analysis, analysis_nav = analysis_pages(repo, homework)
        for src, render in analysis.items():
            site.add(src, render, depends.everything_of(homework))
        site.add(
            sources_page(homework),
            partial(render_sources_page, repo, homework, frozenset(hw.source_texts)),
            meta,
            sources,
            *(depends.run_meta(homework, run.id) for run in homework_plan.runs),
        )
        for name, text in sorted(hw.source_texts.items()):
            site.add(source_file_url(homework, name), partial(str, text), sources)
        section = [
            {"Overview": index},
            *grids,
            {"Questions": questions},
            {"Runs": runs},
            {"Analysis": analysis_nav},
            {"Sources": sources_page(homework)},
        ]
        assert hw.meta is not None
        site.nav.append({h(hw.meta.title): section})
    if repo.plans:
        models, models_nav = model_pages(repo)
        site.add(MODELS_INDEX, models[MODELS_INDEX], *every_homework)
        for slug, runs_of_model in runs_by_model(repo).items():
            # the first page totals every run of the model; each page lists its own runs
            for page_index, runs_on_page in enumerate(model_chunks(runs_of_model)):
                read = runs_of_model if page_index == 0 else runs_on_page
                reads = {key for run in read for key in _run_with_titles(run)}
                path = model_page(slug, page_index)
                site.add(path, models[path], *sorted(reads, key=str))
        site.nav.append({"Models": models_nav})
    exports: dict[str, Callable[[], dict[str, bytes]]] = {}
    for homework in shown:
        exports[homework] = cache(partial(export_homework, repo, homework))  # one export for its two files
        for name in homework_export_names(homework):
            site.add(f"{DATA_DIR}/{name}", partial(_pick, exports[homework], name), depends.everything_of(homework))
    site.add(f"{DATA_DIR}/{SCHEMA_FILE}", export_schema_text)

    def all_export_files() -> dict[str, bytes]:
        files = {name: data for export in exports.values() for name, data in export().items()}
        return {**files, SCHEMA_FILE: export_schema_text().encode("utf-8")}

    site.add(f"{DATA_DIR}/index.md", lambda: render_data_page(repo, all_export_files()), *every_homework)
    for src, renderer in list(site.pages.items()):
        if src.endswith(".md"):
            site.pages[src] = _WithLinks(renderer, src, repo)
    return site


def _run_with_titles(run: Run) -> tuple[Key, ...]:
    """A run and what titles its answers: what a page listing the run's answers reads."""
    return (
        depends.whole_run(run.homework, run.id),
        depends.homework_meta(run.homework),
        depends.all_questions(run.homework),
    )


def site_pages(repo: PlannedRepository) -> tuple[dict[str, Callable[[], Content]], list[Any]]:
    """Every generated file (path under docs/ -> its renderer) and the nav sections."""
    site = site_map(repo)
    return site.pages, site.nav


@dataclass(frozen=True)
class _WithLinks:
    """A page's renderer, then its `run:` and `source:` links resolved for where the page is."""

    __wrapped__: Callable[[], Content]  # the page's own renderer (inspect.unwrap finds it)
    src: str
    repo: PlannedRepository

    def __call__(self) -> str:
        page = HOME_SRC if self.src.startswith(PARTIALS) else self.src  # the home partial is read from index.md
        text = self.__wrapped__()
        assert isinstance(text, str), f"{self.src}: a Markdown page is text"
        return resolve_links(text, page, self.repo)


def generate(repo: PlannedRepository) -> dict[str, Content]:
    """Every generated file, keyed by its path under docs/. Pure: no I/O."""
    return {src: render() for src, render in site_map(repo).pages.items()}


def nav_sections(repo: PlannedRepository) -> list[Any]:
    """One nav section per homework: what replaces the `gallery/index.md` item of mkdocs.yml's nav."""
    return site_map(repo).nav


def prepare(repo: Repository) -> PlannedRepository:
    """Assess every answer and plan the pages: the two steps between loading and rendering."""
    return plan(assess(repo))


def splice_nav(nav: list[Any] | None, sections: list[Any]) -> list[Any] | None:
    """mkdocs.yml's nav with its `gallery/index.md` item replaced by the homework sections.

    The placeholder stays, as the page listing every homework, and one section per homework
    follows it at the same level. A nav without the placeholder is returned unchanged.
    """
    if nav is None:
        return None

    def splice(items: list[Any]) -> list[Any]:
        out: list[Any] = []
        for item in items:
            if isinstance(item, dict) and len(item) == 1:
                ((title, value),) = item.items()
                if value == HOMEWORKS_INDEX:
                    out += [{title: HOMEWORKS_INDEX}, *sections]
                    continue
                if isinstance(value, list):
                    out.append({title: splice(value)})
                    continue
            out.append(item)
        return out

    return splice(nav)


@dataclass
class BuildResult:
    out_dir: Path
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    files_checked: int = 0
    nav: list[Any] = field(default_factory=list)
    skipped: bool = False  # nothing the pages depend on changed since they were written
    pending: list[str] = field(default_factory=list)  # runs left out of a preview, "hw/run"
    whole_site: bool = False  # every page was rendered (first build, new navigation or new code)
    rendered: list[str] = field(default_factory=list)  # the pages rendered by this build
    deferred: dict[str, Callable[[], Content]] = field(default_factory=dict)  # aggregates left to the caller


FINGERPRINT = f"{GENERATED_DIR}/.fingerprint.json"  # a dotfile: MkDocs does not publish it
RENDERERS = ("markdown", "pymdown-extensions", "nh3", "pydantic")  # their versions change the pages


def input_fingerprint(root: Path) -> str:
    """A digest of everything the generated pages depend on: data, notebooks' names, generator code, renderer versions."""
    import hashlib
    from importlib.metadata import version

    digest = hashlib.sha256()
    for name in RENDERERS:
        digest.update(f"{name}={version(name)};".encode())
    package = Path(__file__).resolve().parent.parent  # the whole gallery package, not only gallery.site
    sources = [(root, rel) for rel in discover(root)] + [
        (package, p.relative_to(package).as_posix()) for p in sorted(package.rglob("*.py"))
    ]
    for base, rel in sources:
        path = base / rel
        stat = path.lstat()
        if path.is_symlink() or not path.is_file() or stat.st_size > MAX_FILE_BYTES:
            # never read: the validator refuses it (a link, or over the size cap) before anything is built
            digest.update(f"{rel}\0{stat.st_size}:{stat.st_mtime_ns}\0".encode())
            continue
        digest.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    for notebook in sorted((root / "docs" / "notebooks").glob("*.ipynb")):
        digest.update(notebook.name.encode())
    return digest.hexdigest()


def _read_fingerprint(docs_dir: Path) -> dict[str, Any]:
    try:
        return json.loads((docs_dir / FINGERPRINT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_changed(
    docs_dir: Path, files: Mapping[str, Content | Callable[[], Content]], owned_dir: str | None
) -> tuple[list[str], int, list[str]]:
    """Write files whose content differs; delete files under `owned_dir` that are not in `files`.

    A file given by its renderer is rendered as it is written, so a whole site's pages are never
    all in memory at once. Each file is written whole under a hidden name, then renamed:
    `mkdocs serve` never reads half a page.
    """
    written, unchanged = [], 0
    for rel, content in sorted(files.items()):
        path = docs_dir / rel
        text = content() if callable(content) else content
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        if path.is_file() and path.read_bytes() == data:
            unchanged += 1
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        partial_path = path.with_name(f".{path.name}.partial")
        partial_path.write_bytes(data)
        partial_path.replace(path)
        written.append(rel)
    removed: list[str] = []
    if owned_dir is None:
        return written, unchanged, removed
    owned = docs_dir / owned_dir
    if owned.is_dir():
        for path in sorted(owned.rglob("*"), reverse=True):
            rel = path.relative_to(docs_dir).as_posix()
            if path.is_file() and rel not in files and rel != FINGERPRINT:
                path.unlink()
                removed.append(rel)
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return written, unchanged, removed


def pending_runs(repo: Repository) -> dict[tuple[str, str], list[Problem]] | None:
    """The runs whose errors keep them out of a preview, with those errors; None if any error is elsewhere."""
    pending: dict[tuple[str, str], list[Problem]] = {}
    for problem in errors(repo.problems):
        key = next((key for key, run in repo.runs.items() if problem.path.startswith(run.folder_rel + "/")), None)
        if key is None:
            return None  # a problem in solutions/ or sources/: the references themselves are in doubt
        pending.setdefault(key, []).append(problem)
    return pending


@dataclass
class Previous:
    """What the last build under `mkdocs serve` left for the next: the inputs it saw, the site it made.

    With it, a rebuild re-renders only the pages that read a changed file (`gallery.site.depends`),
    unless the navigation, the set of pages or the generator itself changed.
    """

    stats: dict[str, tuple[int, int]] = field(default_factory=dict)  # data file -> (mtime in ns, size)
    code: str = ""  # `code_stamp` of that build
    nav: list[Any] | None = None  # None: no build has succeeded yet
    inputs: dict[str, frozenset[Key]] = field(default_factory=dict)


def data_stats(root: Path) -> dict[str, tuple[int, int]]:
    """Every data file's modification time and size: a change to either is an edit."""
    stats = {}
    base = str(root.resolve())
    for rel in discover(root):
        stat = os.lstat(os.path.join(base, rel))
        stats[rel] = (stat.st_mtime_ns, stat.st_size)
    return stats


def code_stamp(root: Path) -> str:
    """What every page depends on besides the data: the generator's code, renderer versions, notebook names."""
    from importlib.metadata import version

    package = Path(__file__).resolve().parent.parent
    parts = [f"{name}={version(name)}" for name in RENDERERS]
    for path in sorted(package.rglob("*.py")):
        stat = path.stat()
        parts.append(f"{path.relative_to(package).as_posix()}:{stat.st_mtime_ns}:{stat.st_size}")
    parts += sorted(p.name for p in (root / "docs" / "notebooks").glob("*.ipynb"))
    return "\n".join(parts)


def inputs_changed(root: Path, previous: Previous) -> bool:
    """Whether a data file or the generator changed since the build that left `previous`."""
    return previous.nav is None or previous.code != code_stamp(root) or previous.stats != data_stats(root)


def _changed_files(before: dict[str, tuple[int, int]], now: dict[str, tuple[int, int]]) -> set[str]:
    return {rel for rel in before.keys() | now.keys() if before.get(rel) != now.get(rel)}


def build_pages(
    root: Path,
    *,
    force: bool = False,
    preview: bool = False,
    previous: Previous | None = None,
    defer_aggregates: bool = False,
    also: frozenset[str] = frozenset(),
) -> BuildResult:
    """Load, validate and generate into docs/gallery/. Nothing is written if the data has problems.

    With `preview` (what `mkdocs serve` uses), runs whose only errors are in their own files
    are left out and each gets a page listing what is left to fix, so a contributor can grade
    against the references while the run is in progress. Such a build saves no fingerprint:
    the next strict build validates again and refuses.

    When the fingerprint of every input matches the one saved with the pages, and every page
    is still there, nothing is loaded or generated (unless `force`).

    With `previous` (what `mkdocs serve` keeps between rebuilds), only the pages that read a
    changed data file are rendered, and `previous` is updated; `also` adds pages to render
    (those a cancelled deferral left behind). With `defer_aggregates`, the pages that read
    every run of a homework are not rendered but returned in `result.deferred`, for the
    caller to render once the pages the edit is about are served.
    """
    docs_dir = root / "docs"
    result = BuildResult(out_dir=docs_dir / GENERATED_DIR)
    if previous is not None:
        stats, code = data_stats(root), code_stamp(root)
        same_code = previous.nav is not None and previous.code == code
        changed = _changed_files(previous.stats, stats) if same_code else None
        if changed == set() and not also and not force and all((docs_dir / rel).is_file() for rel in previous.inputs):
            result.skipped, result.unchanged, result.nav = True, len(previous.inputs), previous.nav or []
            return result
        fingerprint = ""
    else:
        fingerprint = input_fingerprint(root)
        saved = _read_fingerprint(docs_dir)
        if (
            not force
            and saved.get("fingerprint") == fingerprint
            and all((docs_dir / rel).is_file() for rel in saved.get("files", []))
        ):
            result.skipped, result.unchanged, result.nav = True, len(saved["files"]), saved["nav"]
            return result
    repo = load_repository(root)  # pauses the collector itself
    result.files_checked = repo.files_checked
    result.problems = repo.problems
    if previous is None:
        forget_locations(repo)
    pending: dict[tuple[str, str], list[Problem]] = {}
    if errors(repo.problems):
        found = pending_runs(repo) if preview else None
        if found is None:
            return result
        pending = found
        for key in pending:
            repo.runs.pop(key)
        result.pending = sorted(f"{hw}/{run}" for hw, run in pending)
    with bulk_allocation():
        site = site_map(prepare(repo))
        for (homework, run_id), problems in sorted(pending.items()):
            site.add(
                run_page(homework, run_id),
                partial(render_pending_run_page, homework, run_id, problems),
                depends.whole_run(homework, run_id),
            )
        if pending:
            site.nav.append({"Runs in progress": [run_page(hw, run_id) for hw, run_id in sorted(pending)]})
        result.nav = site.nav
        todo: set[str] | None = None
        if previous is not None and changed is not None and site.nav == previous.nav:
            if site.inputs.keys() == previous.inputs.keys():
                todo = depends.affected_pages(site.inputs, changed)
        files: Mapping[str, Content | Callable[[], Content]]
        if todo is None:
            result.whole_site = True
            files = site.pages  # rendered one by one as they are written
        else:
            todo |= also & site.pages.keys()
            if defer_aggregates:
                later = {src for src in todo if depends.is_aggregate(site.inputs[src])}
                result.deferred = {src: site.pages[src] for src in sorted(later)}
                todo -= later
            files = {src: site.pages[src]() for src in sorted(todo)}
        result.rendered = sorted(files)
        result.written, result.unchanged, result.removed = write_changed(
            docs_dir, files, GENERATED_DIR if todo is None else None
        )
    if previous is not None:
        previous.stats, previous.code, previous.nav, previous.inputs = stats, code, site.nav, site.inputs
        result.unchanged += len(site.pages) - len(files)
        (docs_dir / FINGERPRINT).unlink(missing_ok=True)  # a strict build validates everything again
        return result
    if pending:
        (docs_dir / FINGERPRINT).unlink(missing_ok=True)
        return result
    record = {"fingerprint": fingerprint, "files": sorted(files), "nav": result.nav}
    (docs_dir / FINGERPRINT).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return result
