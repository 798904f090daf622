"""The overview grid (every graded part by every run) for the home page, and the homework page."""

from __future__ import annotations

from gallery.data.models import VERDICT_MEANINGS, Entry, Part
from gallery.data.repository import Run
from gallery.grading.assess import final_verdict, first_real_verdict, is_retried_empty_reply
from gallery.site.badges import badge, verdict_class, verdict_icon, verdict_word
from gallery.site.pages.analysis import ANALYSIS_SECTIONS, analysis_page
from gallery.site.pages.common import (
    GENERATED_DIR,
    RUNS_PER_GRID_PAGE,
    answer_anchor,
    front_matter,
    graded_map,
    grid_page,
    h,
    homework_page,
    link,
    model_page,
    model_title,
    page_heading,
    part_anchor,
    question_page,
    raw_block,
    run_model_slug,
    run_page,
    run_score,
    runs_pager,
    score_entries,
    table,
)
from gallery.site.plan import PlannedRepository, answer_page
from gallery.site.render_text import escape_markdown_inline, render_prose, render_prose_line


def _entries_by_label(run: Run, number: int) -> dict[str, Entry]:
    run_question = run.questions.get(number)
    return {e.part: e for e in run_question.entries} if run_question else {}


def grid_cell(repo: PlannedRepository, page: str, run: Run, number: int, entry: Entry | None, part: Part) -> str:
    label = part.label
    if entry is None or entry.review.verdict is None:
        return f'<td class="grid-cell grid-cell--none" data-run="{h(run.id)}"><span class="visually-hidden">not covered</span></td>'
    verdict = entry.review.verdict
    described = f"{label}, {run.label}: review {verdict_word(verdict)}"
    marks = ""
    data = f' data-run="{h(run.id)}" data-verdict="{h(verdict)}"'
    flag = repo.assessment(entry).disagreement
    if flag:
        described += f"; graders disagree ({flag})"
        marks += '<span class="grid-mark grid-mark--disagree" aria-hidden="true">≠</span>'
        data += " data-disagree"
    if entry.followups:
        after = final_verdict(entry)
        described += f"; after {len(entry.followups)} follow-up(s): {verdict_word(after) if after else 'not graded'}"
        marks += f'<span class="grid-mark grid-mark--followup" aria-hidden="true">→{verdict_icon(after) if after else "?"}</span>'
        data += f' data-after="{h(after or "")}"'
    if is_retried_empty_reply(entry):
        real = first_real_verdict(entry)
        described += f"; the first reply was empty and the retry got: {verdict_word(real) if real else 'not graded'}"
        data += f' data-real="{h(real or "")}"'
    href = link(page, answer_page(repo, run.homework, number, run.id), answer_anchor(label, run.id))
    return (
        f'<td class="grid-cell {verdict_class(verdict)}"{data}><a href="{h(href)}" title="{h(described)}" aria-label="{h(described)}">'
        f'<span aria-hidden="true">{verdict_icon(verdict)}</span>{marks}</a></td>'
    )


def grid_runs(repo: PlannedRepository, homework: str) -> list[list[Run]]:
    """The runs of each grid page (the first is shown on the home page)."""
    return repo.plans[homework].grid_chunks


def grid_pager(repo: PlannedRepository, homework: str, page: str, current: int, home_src: str) -> str:
    pages = grid_runs(repo, homework)
    targets = [
        (home_src, homework) if index == 0 else (grid_page(homework, index), None) for index in range(len(pages))
    ]
    total = sum(len(runs) for runs in pages)
    return runs_pager(
        page,
        targets,
        [len(runs) for runs in pages],
        current,
        css="grid-pager",
        label="Pages of the grid",
        lead=f"{total} runs, {RUNS_PER_GRID_PAGE} per grid",
    )


def overview_grid(repo: PlannedRepository, homework: str, page: str, runs: list[Run]) -> str:
    hw = repo.homeworks[homework]
    scores = {run.id: run_score(repo, run) for run in runs}
    header = '<th scope="col">Part</th>' + "".join(
        f'<th scope="col" data-run="{h(run.id)}" data-score="{scores[run.id].fraction or 0:.4f}">'
        f'<a href="{h(link(page, run_page(homework, run.id)))}">{h(run.label)}</a>'
        f'<span class="grid-model"><a href="{h(link(page, model_page(run_model_slug(run))))}">'
        f"{h(model_title(run.meta.model.name if run.meta else 'unknown'))} runs</a></span></th>"
        for run in runs
    )
    body = []
    for number, question in sorted(hw.questions.items()):
        graded_parts = [p for p in question.parts if p.graded]
        if not graded_parts:
            continue
        body.append(
            f'<tr class="grid-question" data-question="{number}"><th scope="colgroup" colspan="{len(runs) + 1}">'
            f'<a href="{h(link(page, question_page(homework, number)))}">Q{number}: {render_prose_line(question.title)}</a></th></tr>'
        )
        entries = {run.id: _entries_by_label(run, number) for run in runs}
        for part in graded_parts:
            cells = "".join(grid_cell(repo, page, run, number, entries[run.id].get(part.label), part) for run in runs)
            part_link = h(link(page, question_page(homework, number), part_anchor(part.label)))
            body.append(
                f'<tr data-question="{number}"><th scope="row"><a href="{part_link}">{h(part.label)}</a>'
                f'<span class="part-title">{render_prose_line(part.title)}</span></th>{cells}</tr>'
            )
    foot_cells = "".join(f'<td data-run="{h(run.id)}">{h(scores[run.id].text())}</td>' for run in runs)
    foot = f'<tr><th scope="row">Score</th>{foot_cells}</tr>'
    caption = (
        "Review verdict of each run's first answer to each graded part (legend above). Each cell links to the answer."
    )
    return (
        f'<div class="gallery-table-wrap grid"><table><caption>{caption}</caption>'
        f"<thead><tr>{header}</tr></thead>\n<tbody>\n"
        + "\n".join(body)
        + f"\n</tbody><tfoot>{foot}</tfoot></table></div>"
    )


def legend() -> str:
    """Every state a grid cell can show, in words: verdicts, marks and empty cells."""
    items = "".join(
        f"<li>{badge(verdict, 'review', label=False)} {h(meaning)}</li>"
        for verdict, meaning in VERDICT_MEANINGS.items()
    )
    items += (
        '<li><span class="legend-cell grid-mark--disagree" aria-hidden="true">≠</span> '
        "The graders disagree: the student's annotation, our review or the automatic check differ "
        "(hover or focus the cell for who said what).</li>"
        '<li><span class="legend-cell" aria-hidden="true">→✓</span> '
        "After a hint, a correction or a retry, the answer got this verdict.</li>"
        '<li><span class="legend-cell grid-cell--none" aria-hidden="true">&nbsp;</span> '
        "Empty: the run does not cover this part.</li>"
    )
    return f'<ul class="legend">{items}</ul>'


def render_home_partial(repo: PlannedRepository, home_src: str) -> str:
    """The generated part of the home page: one grid per homework."""
    out = []
    for homework in sorted(repo.homeworks):
        hw = repo.homeworks[homework]
        if hw.meta is None:
            continue
        runs = repo.plans[homework].runs
        title = f"{hw.meta.course}, {hw.meta.title} ({hw.meta.term})"
        out.append(f"## {escape_markdown_inline(title)} {{#{homework}}}\n")
        intro = (
            f"{render_prose(hw.meta.summary)}"
            f"<p>{len(runs)} runs, {sum(len(q.parts) for q in hw.questions.values())} parts. "
            f'<a href="{h(link(home_src, homework_page(homework)))}">Questions and runs of {h(hw.meta.title)}</a> · '
            f'<a href="{h(link(home_src, "gallery/data/index.md"))}">Download the data</a></p>'
            + "<p>Analysis: "
            + " · ".join(
                f'<a href="{h(link(home_src, analysis_page(homework, name)))}">{h(title)}</a>'
                for title, name in ANALYSIS_SECTIONS
            )
            + "</p>"
        )
        first = grid_runs(repo, homework)[0]
        out.append(
            raw_block(
                intro
                + legend()
                + grid_pager(repo, homework, home_src, 0, home_src)
                + overview_grid(repo, homework, home_src, first)
            )
        )
    return "".join(out)


def render_grid_page(repo: PlannedRepository, homework: str, index: int, home_src: str) -> str:
    """A further page of the overview grid, for runs past the first RUNS_PER_GRID_PAGE."""
    page = grid_page(homework, index)
    runs = grid_runs(repo, homework)[index]
    title = f"Overview grid, runs {index * RUNS_PER_GRID_PAGE + 1}–{index * RUNS_PER_GRID_PAGE + len(runs)}"
    body = legend() + grid_pager(repo, homework, page, index, home_src) + overview_grid(repo, homework, page, runs)
    return front_matter(title, "Every graded part by every run", searched=False) + page_heading(title) + raw_block(body)


def render_homework_page(repo: PlannedRepository, homework: str) -> str:
    hw = repo.homeworks[homework]
    assert hw.meta is not None
    page = homework_page(homework)
    runs = repo.plans[homework].runs
    out = [front_matter(hw.meta.title, f"{hw.meta.course}: {hw.meta.title}")]
    out.append(page_heading(f"{hw.meta.title}: {hw.meta.course}"))
    out.append(
        raw_block(
            f'{render_prose(hw.meta.summary)}<details class="info"><summary>Where the homework text comes from</summary>{render_prose(hw.meta.source)}</details>'
        )
    )
    q_rows = []
    for number, question in sorted(hw.questions.items()):
        covering = [r for r in runs if number in r.questions]
        pairs = []
        for run in covering:
            graded = graded_map(question)
            pairs += [(graded.get(e.part, True), e.review.verdict) for e in run.questions[number].entries]
        q_rows.append(
            [
                f'<a href="{h(link(page, question_page(homework, number)))}">Q{number}: {h(question.title)}</a>',
                str(len(question.parts)),
                str(sum(1 for p in question.parts if p.graded)),
                str(len(covering)),
                h(score_entries(pairs).text()),
            ]
        )
    out.append(
        "## Questions {#questions}\n"
        + raw_block(table(["Question", "Parts", "Graded", "Runs", "All runs' score"], q_rows))
    )
    r_rows = []
    for run in runs:
        assert run.meta is not None
        pairs = []
        for number, rq in run.questions.items():
            known = hw.questions.get(number)
            graded = graded_map(known) if known else {}
            pairs += [(graded.get(e.part, True), e.review.verdict) for e in rq.entries]
        r_rows.append(
            [
                f'<a href="{h(link(page, run_page(homework, run.id)))}">{h(run.label)}</a>',
                h(run.meta.model.name),
                h(run.meta.strategy),
                h(run.meta.modality),
                ", ".join(f"Q{n}" for n in sorted(run.questions)),
                h(score_entries(pairs).text()),
            ]
        )
    out.append(
        "## Runs {#runs}\n" + raw_block(table(["Run", "Model", "Strategy", "Input", "Questions", "Score"], r_rows))
    )
    return "".join(out)


def render_homeworks_page(repo: PlannedRepository) -> str:
    """Every homework in the gallery, with its course, its runs and a link to its overview."""
    rows = []
    for homework, plan in repo.plans.items():
        meta = repo.homeworks[homework].meta
        assert meta is not None
        parts = sum(len(q.parts) for q in repo.homeworks[homework].questions.values())
        page = f"{GENERATED_DIR}/index.md"
        rows.append(
            [
                f'<a href="{h(link(page, homework_page(homework)))}">{h(meta.title)}</a>',
                h(meta.course),
                h(meta.term),
                str(len(repo.homeworks[homework].questions)),
                str(parts),
                str(len(plan.runs)),
            ]
        )
    body = table(["Homework", "Course", "Term", "Questions", "Parts", "Runs"], rows)
    return front_matter("Homeworks", "Every homework in the gallery") + "# Homeworks\n" + raw_block(body)
