"""Model pages: every run of one model, across homeworks, and a leaderboard of models.

A model is its name as the interface showed it ("ChatGPT", "Kimi K2"); its runs may differ
in mode, strategy and input. Its page gives each run's score on first answers and after
follow-ups, scores per question, its failure tags, and a link to every answer it gave.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import partial

from gallery.data.models import FAILURE_TAGS
from gallery.data.repository import Run
from gallery.site.badges import badge
from gallery.site.pages.common import (
    GENERATED_DIR,
    MODELS_INDEX,
    RUNS_PER_MODEL_PAGE,
    Score,
    answer_anchor,
    chunks,
    front_matter,
    h,
    homework_page,
    link,
    model_page,
    model_title,
    page_heading,
    question_page,
    raw_block,
    run_model_slug,
    run_page,
    run_score,
    runs_pager,
    table,
)
from gallery.site.plan import PlannedRepository, answer_page
from gallery.site.render_text import escape_markdown_inline, heading_html


def runs_by_model(repo: PlannedRepository) -> dict[str, list[Run]]:
    """Every published run, grouped by model page, in homework then run order."""
    out: dict[str, list[Run]] = {}
    for homework_plan in repo.plans.values():
        for run in homework_plan.runs:
            out.setdefault(run_model_slug(run), []).append(run)
    return dict(sorted(out.items()))


def _name(runs: list[Run]) -> str:
    first = runs[0]
    return model_title(first.meta.model.name if first.meta else "unknown")


def _total(scores: list[Score]) -> Score:
    counts: Counter[str] = Counter()
    for score in scores:
        counts.update(dict(score.counts))
    total = Score()
    for verdict, n in counts.items():
        for _ in range(n):
            total = total.add(verdict)
    return total


def _sort_key(score: Score) -> tuple[float, int]:
    return (-(score.fraction or 0.0), -score.graded)


def leaderboard_rows(repo: PlannedRepository, page: str) -> list[list[str]]:
    """One row per model, best first answers first: runs, graded answers, score first and after follow-ups."""
    rows = []
    for slug, runs in runs_by_model(repo).items():
        first = _total([run_score(repo, run) for run in runs])
        after = _total([run_score(repo, run, final=True) for run in runs])
        rows.append(
            (
                _sort_key(first),
                [
                    f'<a href="{h(link(page, model_page(slug)))}">{h(_name(runs))}</a>',
                    str(len(runs)),
                    h(first.text()),
                    h(after.text()),
                ],
            )
        )
    return [cells for _, cells in sorted(rows, key=lambda row: row[0])]


LEADERBOARD_HEADERS = ["Model", "Runs", "Score, first answers", "After follow-ups"]


def render_models_index(repo: PlannedRepository) -> str:
    body = (
        "<p>Every model in the gallery, best score on first answers first. A score counts a correct answer as 1 and "
        "a partial one as ½ over the graded parts its runs cover, so models that answered different parts are not "
        "strictly comparable: each model's page compares its runs part by part.</p>"
        + table(LEADERBOARD_HEADERS, leaderboard_rows(repo, MODELS_INDEX), css="leaderboard")
    )
    return (
        front_matter("Models", "Every model in the gallery, with its runs and scores") + "# Models\n" + raw_block(body)
    )


def _run_rows(repo: PlannedRepository, runs: list[Run], page: str) -> list[list[str]]:
    rows = []
    for run in sorted(runs, key=lambda r: _sort_key(run_score(repo, r))):
        assert run.meta is not None
        hw = repo.homeworks[run.homework].meta
        rows.append(
            [
                f'<a href="{h(link(page, run_page(run.homework, run.id)))}">{h(run.label)}</a>',
                f'<a href="{h(link(page, homework_page(run.homework)))}">{h(hw.title if hw else run.homework)}</a>',
                h(run.meta.model.mode or "–"),
                h(run.meta.strategy),
                h(run.meta.modality),
                h(run_score(repo, run).text()),
                h(run_score(repo, run, final=True).text()),
            ]
        )
    return rows


def _questions_table(repo: PlannedRepository, homework: str, runs: list[Run], page: str) -> str:
    hw = repo.homeworks[homework]
    rows = []
    for number, question in sorted(hw.questions.items()):
        cells = []
        for run in runs:
            if number not in run.questions:
                cells.append("–")
                continue
            first = run_score(repo, run, questions=[number])
            after = run_score(repo, run, final=True, questions=[number])
            cells.append(h(first.text()) + (f"<br>after: {h(after.text())}" if after.points != first.points else ""))
        rows.append(
            [f'<a href="{h(link(page, question_page(homework, number)))}">Q{number}: {h(question.title)}</a>', *cells]
        )
    return table(["Question", *(h(run.label) for run in runs)], rows)


def _answers_table(repo: PlannedRepository, homework: str, runs: list[Run], page: str) -> str:
    hw = repo.homeworks[homework]
    rows = []
    for number, question in sorted(hw.questions.items()):
        for part in question.parts:
            cells, any_answer = [], False
            for run in runs:
                run_question = run.questions.get(number)
                entry = next((e for e in run_question.entries if e.part == part.label), None) if run_question else None
                if entry is None or entry.review.verdict is None:
                    cells.append("–")
                    continue
                any_answer = True
                href = link(page, answer_page(repo, homework, number, run.id), answer_anchor(part.label, run.id))
                cells.append(f'<a href="{h(href)}">{badge(entry.review.verdict, "review", label=False)}</a>')
            if any_answer:
                rows.append([heading_html(f"{part.label} {part.title}"), *cells])
    return table(["Part", *(h(run.label) for run in runs)], rows, css="model-answers")


def model_chunks(runs: list[Run]) -> list[list[Run]]:
    """The runs of each page of one model (homework, then run order)."""
    return chunks(runs, RUNS_PER_MODEL_PAGE)


def _model_pager(slug: str, runs: list[Run], page_index: int) -> str:
    pages = model_chunks(runs)
    return runs_pager(
        model_page(slug, page_index),
        [(model_page(slug, index), None) for index in range(len(pages))],
        [len(chunk) for chunk in pages],
        page_index,
        css="model-pager",
        label="Pages of this model",
        lead=f"{len(runs)} runs, {RUNS_PER_MODEL_PAGE} per page",
    )


def _tags_section(runs: list[Run], page: str) -> str:
    tags: Counter[str] = Counter(
        tag for run in runs for q in run.questions.values() for e in q.entries for tag in e.tags
    )
    tags.update(
        tag for run in runs for q in run.questions.values() for e in q.entries for f in e.followups for tag in f.tags
    )
    if not tags:
        return ""
    homeworks = sorted({run.homework for run in runs})
    tag_rows = []
    for tag, n in sorted(tags.items(), key=lambda item: (-item[1], item[0])):
        links = " · ".join(
            f'<a href="{h(link(page, f"{GENERATED_DIR}/{hw}/analysis/tags/{tag}.md"))}">{h(hw)}</a>' for hw in homeworks
        )
        tag_rows.append([f"<code>{h(tag)}</code>", h(FAILURE_TAGS[tag]), str(n), links])
    return "## Failure tags {#tags}\n" + raw_block(
        table(["Tag", "Meaning", "Answers", "Every answer with it"], tag_rows)
    )


def render_model_page(repo: PlannedRepository, slug: str, runs: list[Run], page_index: int = 0) -> str:
    """One page of a model: on the first, its totals and failure tags over every run; on each, a page of its runs."""
    page = model_page(slug, page_index)
    name = _name(runs)
    shown = model_chunks(runs)[page_index]
    all_models = f'<a href="{h(link(page, MODELS_INDEX))}">All models</a>'
    if page_index == 0:
        first = _total([run_score(repo, run) for run in runs])
        after = _total([run_score(repo, run, final=True) for run in runs])
        heading = name
        summary = (
            f'<p class="run-summary">{len(runs)} run{"s" if len(runs) != 1 else ""}. Score on first answers '
            f"{h(first.text())}; after hints and corrections {h(after.text())}. {all_models}</p>"
        )
    else:
        start = page_index * RUNS_PER_MODEL_PAGE + 1
        heading = f"{name}: runs {start}–{start + len(shown) - 1}"
        summary = (
            f'<p class="run-summary">Runs {start}–{start + len(shown) - 1} of {len(runs)}; the totals and failure '
            f'tags are on <a href="{h(link(page, model_page(slug)))}">the first page</a>. {all_models}</p>'
        )
    out = [front_matter(heading, f"Every run of {name} in the gallery", searched=False), page_heading(heading)]
    out.append(
        raw_block(
            summary
            + _model_pager(slug, runs, page_index)
            + table(
                ["Run", "Homework", "Mode", "Strategy", "Input", "Score, first answers", "After follow-ups"],
                _run_rows(repo, shown, page),
            )
        )
    )
    if page_index == 0:
        out.append(_tags_section(runs, page))
    for homework in sorted({run.homework for run in shown}):
        hw_runs = [run for run in shown if run.homework == homework]
        meta = repo.homeworks[homework].meta
        title = meta.title if meta else homework
        out.append(
            f"## {escape_markdown_inline(title)}: scores by question {{#{h(homework)}-questions}}\n"
            + raw_block(_questions_table(repo, homework, hw_runs, page))
            + f"## {escape_markdown_inline(title)}: every answer {{#{h(homework)}-answers}}\n"
            + raw_block(
                "<p>The review verdict of each first answer; each links to the answer beside the reference.</p>"
                + _answers_table(repo, homework, hw_runs, page)
            )
        )
    return "".join(out)


def model_pages(repo: PlannedRepository) -> tuple[dict[str, Callable[[], str]], list[object]]:
    """The models index and every page of every model (path -> renderer), and their nav section."""
    pages: dict[str, Callable[[], str]] = {MODELS_INDEX: partial(render_models_index, repo)}
    nav: list[object] = [MODELS_INDEX]
    for slug, runs in runs_by_model(repo).items():
        paths = [model_page(slug, index) for index in range(len(model_chunks(runs)))]
        for index, path in enumerate(paths):
            pages[path] = partial(render_model_page, repo, slug, runs, index)
        nav.append({h(_name(runs)): paths[0] if len(paths) == 1 else paths})
    return pages, nav
