"""What every generated page shares: page paths and URLs, anchors, scores, small HTML pieces.

Generated pages are Markdown files under docs/gallery/ whose bodies are mostly raw HTML
blocks built here (MkDocs passes raw HTML through untouched, so links inside them are
written as final directory-style URLs, relative to the page).
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from gallery.data.models import QuestionFile, label_slug
from gallery.data.verdicts import BY_NAME, SCORED_VERDICTS
from gallery.grading.assess import final_verdict
from gallery.site.prerendered import raw_block as raw_block  # every page builder takes it from here
from gallery.site.render_text import escape

if TYPE_CHECKING:
    from gallery.data.repository import Repository, Run

GENERATED_DIR = "gallery"  # under docs/


# A question page shows this many runs' answers; more runs go onto further pages of the
# same question, so no page grows with the number of runs (see docs/figures.md).
RUNS_PER_QUESTION_PAGE = 5
# The overview grid shows this many runs (columns); further runs go onto grid pages.
RUNS_PER_GRID_PAGE = 12
# A model page shows this many of the model's runs (table columns); further runs go onto
# further pages of the same model.
RUNS_PER_MODEL_PAGE = 12


def grid_page(homework: str, page_index: int) -> str:
    """Grid pages after the first (which is on the home page)."""
    return f"{GENERATED_DIR}/{homework}/grid-{page_index + 1}.md"


def chunks(items: list, size: int) -> list[list]:
    """Consecutive slices of at most `size` items (at least one slice, possibly empty)."""
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def question_page(homework: str, number: int, page_index: int = 0) -> str:
    base = f"{GENERATED_DIR}/{homework}/questions/q{number}"
    return f"{base}.md" if page_index == 0 else f"{base}-{page_index + 1}.md"


def runs_pager(
    page: str,
    targets: Sequence[tuple[str, str | None]],
    sizes: Sequence[int],
    current: int,
    *,
    css: str,
    label: str,
    lead: str,
) -> str:
    """Links between the pages of a list of runs split over several pages ("runs 1–12 · runs 13–24").

    `targets` gives each page's source path and anchor, `sizes` its number of runs; the
    current page is named, not linked. Empty when everything fits on one page.
    """
    if len(targets) <= 1:
        return ""
    links, start = [], 1
    for index, ((target, anchor), size) in enumerate(zip(targets, sizes, strict=True)):
        span = f"runs {start}–{start + size - 1}"
        start += size
        links.append(
            f'<strong aria-current="page">{span}</strong>'
            if index == current
            else f'<a href="{h(link(page, target, anchor))}">{span}</a>'
        )
    return f'<nav class="{css}" aria-label="{h(label)}"><p>{lead}: {" · ".join(links)}</p></nav>'


def run_page(homework: str, run: str) -> str:
    return f"{GENERATED_DIR}/{homework}/runs/{run}.md"


def homework_page(homework: str) -> str:
    return f"{GENERATED_DIR}/{homework}/index.md"


def page_url(src: str) -> str:
    """The directory-style URL MkDocs gives a Markdown source path (relative to the site root)."""
    if src.endswith("index.md"):
        return src[: -len("index.md")]
    return src[: -len(".md")] + "/"


def link(from_src: str, to_src: str, anchor: str | None = None) -> str:
    """A relative URL from one page to another page (or to a file if `to_src` is not Markdown)."""
    relative = _relative_url(from_src, to_src)
    return f"{relative}#{anchor}" if anchor else (relative or "./")


@lru_cache(maxsize=65536)  # pages link to the same few pages thousands of times
def _relative_url(from_src: str, to_src: str) -> str:
    from_dir = page_url(from_src)
    target = page_url(to_src) if to_src.endswith(".md") else to_src
    relative = posixpath.relpath(target or ".", from_dir or ".")
    if target.endswith("/") and not relative.endswith("/"):
        relative += "/"
    if relative == "./":
        relative = ""
    return relative


def part_anchor(label: str) -> str:
    return label_slug(label)


def answer_anchor(label: str, run: str) -> str:
    return f"{label_slug(label)}--{run}"


def h(text: str) -> str:
    return escape(text)


@dataclass(frozen=True)
class Score:
    """How many answers got each scored verdict; points are their weights (gallery.data.verdicts).

    Verdicts with no weight (not asked) and ungraded parts are left out.
    """

    counts: tuple[tuple[str, int], ...] = ()

    def count(self, verdict: str) -> int:
        return dict(self.counts).get(verdict, 0)

    @property
    def graded(self) -> int:
        return sum(n for _, n in self.counts)

    @property
    def points(self) -> float:
        return sum((BY_NAME[v].weight or 0.0) * n for v, n in self.counts)

    @property
    def fraction(self) -> float | None:
        return self.points / self.graded if self.graded else None

    def add(self, verdict: str | None) -> Score:
        if verdict is None or not BY_NAME[verdict].scored:
            return self
        counts = dict(self.counts)
        counts[verdict] = counts.get(verdict, 0) + 1
        return Score(tuple((v, counts[v]) for v in SCORED_VERDICTS if v in counts))

    def text(self) -> str:
        if not self.graded:
            return "–"
        points = f"{self.points:g}"
        return f"{points}/{self.graded} ({100 * self.fraction:.0f}%)"  # type: ignore[operator]


def score_entries(pairs: Iterable[tuple[bool, str | None]]) -> Score:
    """Score (graded?, verdict) pairs."""
    score = Score()
    for graded, verdict in pairs:
        if graded:
            score = score.add(verdict)
    return score


def graded_map(question: QuestionFile) -> dict[str, bool]:
    return {part.label: part.graded for part in question.parts}


def run_score(repo: Repository, run: Run, *, final: bool = False, questions: Iterable[int] | None = None) -> Score:
    """A run's score on its first answers (or, with `final`, after its follow-ups), optionally on some questions."""
    hw = repo.homeworks.get(run.homework)
    pairs: list[tuple[bool, str | None]] = []
    for number, run_question in sorted(run.questions.items()):
        if questions is not None and number not in questions:
            continue
        known = hw.questions.get(number) if hw else None
        graded = graded_map(known) if known else {}
        pairs += [
            (graded.get(e.part, True), final_verdict(e) if final else e.review.verdict) for e in run_question.entries
        ]
    return score_entries(pairs)


def model_slug(name: str) -> str:
    """A model's page name: "Kimi K2" -> "kimi-k2"; every run of a model name shares one page."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "unknown"


def model_title(name: str) -> str:
    return "Unknown model" if name.strip().lower() == "unknown" else name


def model_page(slug: str, page_index: int = 0) -> str:
    """A model's page; its further pages sit in a folder of the same name (a slug is never only digits)."""
    base = f"{GENERATED_DIR}/models/{slug}"
    return f"{base}.md" if page_index == 0 else f"{base}/{page_index + 1}.md"


MODELS_INDEX = f"{GENERATED_DIR}/models/index.md"


def run_model_slug(run: Run) -> str:
    return model_slug(run.meta.model.name if run.meta else "unknown")


def table(headers: list[str], rows: list[list[str]], *, css: str = "", caption: str | None = None) -> str:
    """An HTML table from already-escaped cell HTML."""
    head = "".join(f'<th scope="col">{cell}</th>' for cell in headers)
    body = "\n".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    cap = f"<caption>{caption}</caption>" if caption else ""
    # Material styles only tables without a class, so the class goes on the wrapper
    wrap = f"gallery-table-wrap {css}".strip()
    return f'<div class="{wrap}"><table>{cap}<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody></table></div>'


# What a double-quoted YAML string cannot hold as it is: characters outside YAML's printable
# set, and the line breaks YAML folds into spaces (NEL, line and paragraph separators)
_NOT_YAML_PRINTABLE = re.compile("[^\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _yaml_string(value: str) -> str:
    """A double-quoted YAML string: JSON's quoting, with anything YAML cannot hold escaped."""
    return _NOT_YAML_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))


def page_heading(text: str) -> str:
    """A page's h1 as a raw HTML block: plain text, never read as Markdown."""
    return raw_block(f"<h1>{escape(text)}</h1>")


def front_matter(
    title: str, description: str | None = None, *, hide: tuple[str, ...] = (), searched: bool = True
) -> str:
    """YAML front matter. Values are HTML-escaped (MkDocs themes print page titles without
    escaping) and written as JSON strings, which are valid YAML whatever they contain.

    A page that is not `searched` keeps its text out of the search index (the theme's
    `search.exclude`): pages that repeat what other pages hold (a run's answers are on the
    question pages too) or hold only tables of verdicts. The MkDocs hook indexes their title
    and description instead."""
    lines = ["---", f"title: {_yaml_string(escape(title))}"]
    if description:
        lines.append(f"description: {_yaml_string(escape(description))}")
    if not searched:
        lines += ["search:", "  exclude: true"]
    if hide:
        lines.append("hide:")
        lines.extend(f"  - {item}" for item in hide)
    lines.append("---")
    return "\n".join(lines) + "\n\n"
