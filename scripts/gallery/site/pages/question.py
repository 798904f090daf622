"""A question page: our statement, then per part the reference, a comparison table of every
run's grades, and every run's answer (a collapsible block per run, in content tabs so the
reader flips between runs beside the reference)."""

from __future__ import annotations

from gallery.data.models import (
    BooleanKey,
    ChoiceKey,
    CountKey,
    Entry,
    ExpressionKey,
    KeyItem,
    NumberKey,
    Part,
    QuestionFile,
)
from gallery.data.repository import Run
from gallery.site.badges import badge
from gallery.site.pages.answers import annotator_cell, auto_cell, entry_details_html, followups_cell, tags_html
from gallery.site.pages.common import (
    RUNS_PER_QUESTION_PAGE,
    answer_anchor,
    front_matter,
    h,
    link,
    page_heading,
    part_anchor,
    question_page,
    raw_block,
    run_page,
    runs_pager,
    table,
)
from gallery.site.plan import PlannedRepository, question_chunks
from gallery.site.render_text import heading_markdown, render_prose, render_prose_line


def tabbed_set(set_index: int, tabs: list[tuple[str, str]]) -> str:
    """Material's content tabs (pymdownx.tabbed alternate style markup) around HTML blocks."""
    name = f"__tabbed_{set_index}"
    checked = ' checked="checked"'
    inputs = "".join(
        f'<input{checked if i == 0 else ""} id="{name}_{i + 1}" name="{name}" type="radio" />' for i in range(len(tabs))
    )
    labels = "".join(f'<label for="{name}_{i + 1}">{h(label)}</label>' for i, (label, _) in enumerate(tabs))
    blocks = "\n".join(f'<div class="tabbed-block">\n{content}\n</div>' for _, content in tabs)
    return (
        f'<div class="tabbed-set tabbed-alternate" data-tabs="{set_index}:{len(tabs)}">{inputs}'
        f'<div class="tabbed-labels">{labels}</div>\n<div class="tabbed-content">\n{blocks}\n</div>\n</div>'
    )


def _number_html(value: float) -> str:
    """A key's number as a reader writes it: 240, 0.452, or $2.1 \\times 10^{12}$ typeset."""
    if value == 0 or 1e-3 <= abs(value) < 1e5:
        return h(f"{value:.4g}")
    mantissa, exponent = f"{value:.3e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    tex = f"10^{{{int(exponent)}}}" if mantissa == "1" else f"{mantissa} \\times 10^{{{int(exponent)}}}"
    return f'<span class="arithmatex">\\({tex}\\)</span>'


def key_item_value(item: KeyItem) -> str:
    if isinstance(item, NumberKey):
        tolerance = item.tolerance
        if tolerance.factor:
            tol = f"within a factor of {tolerance.factor:g}"
        elif tolerance.relative:
            tol = f"± {100 * tolerance.relative:g}%"
        else:
            tol = f"± {tolerance.absolute:g}"
        extra = f"; also {', '.join(_number_html(v) for v in item.also_accept)}" if item.also_accept else ""
        reason = (
            f' <span class="tolerance-reason">({render_prose_line(item.tolerance_reason)})</span>'
            if item.tolerance_reason
            else ""
        )
        return f"{_number_html(item.value)} {h(item.unit)} {h(tol)}{extra}{reason}"
    if isinstance(item, BooleanKey):
        return "true" if item.value else "false"
    if isinstance(item, ChoiceKey):
        return ", ".join(f"<strong>{h(o)}</strong>" if o in item.correct else h(o) for o in item.options)
    if isinstance(item, CountKey):
        return h(str(item.value))
    if isinstance(item, ExpressionKey):
        return f'<span class="arithmatex">\\({h(item.latex)}\\)</span> <code>{h(item.value)}</code>'
    raise TypeError(item)  # pragma: no cover


def answer_key_html(part: Part) -> str:
    if not part.answer_key:
        return ""
    rows = [
        [f"<code>{h(item.id)}</code>", h(item.kind), render_prose_line(item.description), key_item_value(item)]
        for item in part.answer_key
    ]
    return '<p class="answer-key-title"><strong>Answer key</strong></p>' + table(
        ["Item", "Kind", "What", "Key"], rows, css="answer-key"
    )


def reference_html(part: Part, page: str) -> str:
    notebooks = "".join(
        f'<p class="notebook-link">Reference notebook: <a href="{h(link(page, f"notebooks/{name}.md"))}">{h(name)}</a></p>'
        for name in part.notebooks
    )
    if not part.graded:
        body = render_prose(part.reference) if part.reference else "<p>Reading only: this part is not graded.</p>"
        return f'<details class="note reference" open><summary>Reading only</summary>{body}{notebooks}</details>'
    body = render_prose(part.reference or "")
    return f'<details class="success reference" open><summary>Reference solution</summary>{body}{answer_key_html(part)}{notebooks}</details>'


def _entry_for(run: Run, number: int, label: str) -> Entry | None:
    run_question = run.questions.get(number)
    if run_question is None:
        return None
    return next((e for e in run_question.entries if e.part == label), None)


def comparison_table(repo: PlannedRepository, part: Part, number: int, runs: list[Run], page: str) -> str:
    rows = []
    for run in runs:
        entry = _entry_for(run, number, part.label)
        if entry is None:
            continue
        run_cell = f'<a href="#{h(answer_anchor(part.label, run.id))}">{h(run.label)}</a>'
        review = badge(entry.review.verdict, "review", label=False) if entry.review.verdict else "?"
        assessment = repo.assessment(entry)
        flag = assessment.disagreement
        if flag:
            review += f' <span class="disagree" title="{h(flag)}">≠</span>'
        reason = entry.review.reason  # the first answer's, like the verdict beside it
        rows.append(
            [
                run_cell,
                review,
                render_prose_line(reason) if reason else "–",
                annotator_cell(entry),
                auto_cell(assessment),
                followups_cell(entry),
                tags_html(entry.tags) or "–",
            ]
        )
    if not rows:
        return '<p class="no-runs">No run covers this part yet.</p>'
    return table(["Run", "Review", "Why", "Annotator", "Auto-check", "Follow-ups", "Tags"], rows, css="comparison")


def part_section(repo: PlannedRepository, part: Part, number: int, runs: list[Run], page: str, set_index: int) -> str:
    title = heading_markdown(f"{part.label} {part.title}")
    flags = []
    if part.optional:
        flags.append('<span class="part-flag">optional</span>')
    if not part.graded:
        flags.append('<span class="part-flag">reading only</span>')
    covered = [(run, _entry_for(run, number, part.label)) for run in runs]
    answered = [(run, entry) for run, entry in covered if entry is not None]
    tabs = []
    for run, entry in answered:
        run_link = f'<p class="run-link"><a href="{h(link(page, run_page(run.homework, run.id), part_anchor(part.label)))}">This answer on the run page</a></p>'
        annotators = {a.id: a for a in run.meta.annotators} if run.meta else {}
        details = entry_details_html(
            entry,
            annotators,
            repo=repo,
            anchor=answer_anchor(part.label, run.id),
            heading=h(run.label),
            extra_html=run_link,
        )
        tabs.append((run.label, details))
    answers = tabbed_set(set_index, tabs) if tabs else ""
    layout = (
        f'<div class="part-prompt">{"".join(flags)}{render_prose(part.prompt)}</div>\n'
        f"{comparison_table(repo, part, number, runs, page)}\n"
        f'<div class="part-compare">\n<div class="part-reference">{reference_html(part, page)}</div>\n'
        f'<div class="part-answers">{answers}</div>\n</div>'
    )
    return f"## {title} {{#{part_anchor(part.label)}}}\n" + raw_block(layout)


def pager_html(repo: PlannedRepository, homework: str, number: int, page_index: int) -> str:
    """Links between the pages of a question that more runs cover than one page holds."""
    chunks = question_chunks(repo, homework, number)
    total = sum(len(chunk) for chunk in chunks)
    return runs_pager(
        question_page(homework, number, page_index),
        [(question_page(homework, number, index), None) for index in range(len(chunks))],
        [len(chunk) for chunk in chunks],
        page_index,
        css="question-pager",
        label="Pages of this question",
        lead=f"{total} runs answer this question, {RUNS_PER_QUESTION_PAGE} per page",
    )


def render_question_page(repo: PlannedRepository, homework: str, number: int, page_index: int = 0) -> str:
    question: QuestionFile = repo.homeworks[homework].questions[number]
    page = question_page(homework, number, page_index)
    runs = question_chunks(repo, homework, number)[page_index]
    heading = f"Question {number}: {question.title}"
    if page_index:
        heading += f" (page {page_index + 1})"
    out = [
        front_matter(
            heading,
            f"Reference solution and {len(runs)} model runs for {homework} question {number}",
        )
    ]
    out.append(page_heading(heading))
    out.append(
        raw_block(pager_html(repo, homework, number, page_index))
        if page_index or len(question_chunks(repo, homework, number)) > 1
        else ""
    )
    intro = f'<div class="statement">{render_prose(question.statement)}</div>'
    if question.givens:
        rows = [
            [f"<code>{h(g.name)}</code>", h(f"{g.value:g}"), h(g.unit), render_prose_line(g.description)]
            for g in question.givens
        ]
        intro += (
            '<details class="info givens"><summary>Givens</summary>'
            + table(["Name", "Value", "Unit", "What"], rows)
            + "</details>"
        )
    if question.notes:
        intro += f'<details class="warning notes"><summary>Notes on the statement</summary>{render_prose(question.notes)}</details>'
    out.append(raw_block(intro))
    for set_index, part in enumerate(question.parts, start=1):
        out.append(part_section(repo, part, number, runs, page, set_index))
    return "".join(out)
