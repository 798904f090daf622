"""A run page: provenance, strategy and modality, a score summary by question and verdict,
and every answer with its grades, notes and follow-ups."""

from __future__ import annotations

from gallery.data.codes import RULES
from gallery.data.models import (
    MODALITY_MEANINGS,
    MODALITY_PHRASES,
    STRATEGY_MEANINGS,
    STRATEGY_PHRASES,
    VERDICT_MEANINGS,
    label_sort_key,
)
from gallery.data.problems import Problem
from gallery.data.repository import Run
from gallery.grading.assess import final_verdict
from gallery.site.badges import badge
from gallery.site.pages.answers import entry_details_html
from gallery.site.pages.common import (
    answer_anchor,
    front_matter,
    graded_map,
    h,
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
    score_entries,
    table,
)
from gallery.site.pages.sources import source_link
from gallery.site.plan import PlannedRepository, answer_page
from gallery.site.render_text import escape_markdown_inline, render_prose, render_prose_line


def provenance_html(run: Run, page: str) -> str:
    meta = run.meta
    assert meta is not None
    model = h(meta.model.name) + (f" ({h(meta.model.mode)})" if meta.model.mode else "")
    date = h(meta.date) + (f" ({h(meta.date_basis)} date)" if meta.date_basis else "") if meta.date else "unknown"
    rows = [
        ["Model", model],
        ["Vendor", h(meta.model.vendor)],
        ["Interface", h(meta.interface)],
        ["Date", date],
        ["Strategy", f"<strong>{h(meta.strategy)}</strong>: {h(STRATEGY_MEANINGS[meta.strategy])}"],
        ["Input", f"<strong>{h(meta.modality)}</strong>: {h(MODALITY_MEANINGS[meta.modality])}"],
        ["Contributor", h(meta.contributor)],
        [
            "Annotators",
            "<br>".join(f'{h(a.name)} <span class="muted">({h(a.id)}: {h(a.role)})</span>' for a in meta.annotators)
            or "none",
        ],
        [
            "Source documents",
            "<br>".join(f"{source_link(page, run.homework, d.file, h(d.description))}" for d in meta.source_documents),
        ],
        ["Repairs", "<br>".join(render_prose_line(r) for r in meta.repairs) or "none"],
    ]
    body = "".join(f'<tr><th scope="row">{k}</th><td>{v}</td></tr>' for k, v in rows)
    return f'<div class="gallery-table-wrap provenance"><table><tbody>{body}</tbody></table></div>'


def run_summary_html(repo: PlannedRepository, run: Run) -> str:
    """What a reader wants first: the score, before and after follow-ups, and how the run was made."""
    meta = run.meta
    assert meta is not None
    page = run_page(run.homework, run.id)
    before, after = run_score(repo, run), run_score(repo, run, final=True)
    score = f"<strong>{h(before.text())}</strong> on first answers"
    if after.points != before.points:
        score += f", <strong>{h(after.text())}</strong> after the user's follow-ups"
    questions = ", ".join(f"Q{n}" for n in sorted(run.questions))
    model_link = f'<a href="{h(link(page, model_page(run_model_slug(run))))}">{h(model_title(meta.model.name))}</a>'
    model = model_link + (f" ({h(meta.model.mode)})" if meta.model.mode else "")
    return (
        f'<p class="run-summary">Score: {score}. {model}, {h(STRATEGY_PHRASES[meta.strategy])}, '
        f"{h(MODALITY_PHRASES[meta.modality])}; questions {questions}.</p>"
    )


def score_table(repo: PlannedRepository, run: Run) -> str:
    verdicts = list(VERDICT_MEANINGS)
    rows = []
    total_first, total_final = [], []
    for number, run_question in sorted(run.questions.items()):
        question = repo.question(run.homework, number)
        graded = graded_map(question) if question else {}
        counts = {v: 0 for v in verdicts}
        for entry in run_question.entries:
            if entry.review.verdict:
                counts[entry.review.verdict] += 1
        first = [(graded.get(e.part, True), e.review.verdict) for e in run_question.entries]
        final = [(graded.get(e.part, True), final_verdict(e)) for e in run_question.entries]
        total_first += first
        total_final += final
        title = f"Q{number}" + (f": {question.title}" if question else "")
        rows.append(
            [f'<a href="{h(link(run_page(run.homework, run.id), question_page(run.homework, number)))}">{h(title)}</a>']
            + [str(counts[v]) if counts[v] else "·" for v in verdicts]
            + [score_entries(first).text(), score_entries(final).text()]
        )
    rows.append(
        ["<strong>All</strong>"]
        + [""] * len(verdicts)
        + [
            f"<strong>{score_entries(total_first).text()}</strong>",
            f"<strong>{score_entries(total_final).text()}</strong>",
        ]
    )
    headers = ["Question"] + [badge(v, "review", label=False) for v in verdicts] + ["Score", "After follow-ups"]
    return table(
        headers,
        rows,
        css="scores",
        caption="Review verdicts of first answers; score counts partial as half and leaves out not-asked and reading-only parts",
    )


def render_run_page(repo: PlannedRepository, run: Run) -> str:
    meta = run.meta
    assert meta is not None
    page = run_page(run.homework, run.id)
    out = [
        front_matter(
            meta.label, f"{meta.model.name} on {run.homework}: {meta.strategy}, {meta.modality}", searched=False
        )
    ]
    out.append(page_heading(meta.label))
    out.append(raw_block(run_summary_html(repo, run)))
    out.append("## Scores {#scores}\n" + raw_block(score_table(repo, run)))
    about = ""
    if meta.notes:
        about += f'<details class="info" open><summary>What happened in this run</summary>{render_prose(meta.notes)}</details>'
    about += (
        '<details class="info provenance-details"><summary>Where this run comes from: model, interface, prompts, '
        f"sources and repairs</summary>{provenance_html(run, page)}"
        f'<div class="strategy-note">{render_prose(meta.strategy_note)}</div></details>'
    )
    out.append(raw_block(about))
    annotators = {a.id: a for a in meta.annotators}
    for number, run_question in sorted(run.questions.items()):
        question = repo.question(run.homework, number)
        title = f"Question {number}" + (f": {question.title}" if question else "")
        out.append(f"## {escape_markdown_inline(title)} {{#q{number}}}\n")
        for entry in sorted(run_question.entries, key=lambda e: label_sort_key(e.part)):
            back = f'<p class="run-link"><a href="{h(link(page, answer_page(repo, run.homework, number, run.id), answer_anchor(entry.part, run.id)))}">Reference and other runs for {h(entry.part)}</a></p>'
            out.append(f"### {escape_markdown_inline(entry.part)} {{#{part_anchor(entry.part)}}}\n")
            out.append(
                raw_block(
                    entry_details_html(
                        entry,
                        annotators,
                        repo=repo,
                        anchor=f"answer-{part_anchor(entry.part)}",
                        heading="Answer",
                        open_=True,
                        extra_html=back,
                    )
                )
            )
    return "".join(out)


def render_pending_run_page(homework: str, run_id: str, problems: list[Problem]) -> str:
    """The page of a run still in progress (shown by `mkdocs serve` only): what is left to fix."""
    rows = "".join(f"<li><code>{h(p.as_text())}</code></li>" for p in problems)
    hints = "".join(
        f"<li><code>{h(p.code)}</code>: {h(RULES[p.code].fix)}</li>"
        for p in sorted({p.code: p for p in problems}.values())
    )
    body = (
        '<div class="admonition warning"><p class="admonition-title">This run is still in progress</p>'
        f"<p>This preview leaves the run out of the gallery until these {len(problems)} problems are fixed "
        "(<code>gallery validate</code> lists them too). A published build refuses to run until then.</p></div>"
        f"<ol>{rows}</ol><p>How to fix them:</p><ul>{hints}</ul>"
    )
    return (
        front_matter(f"{run_id} (in progress)", f"A run of {homework} still in progress")
        + page_heading(f"{run_id} (in progress)")
        + raw_block(body)
    )
