"""Analysis pages: the grading audit, scores with charts, strategy comparison, failure tags,
and the parts on which runs differ. All computed from the data at build time."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from functools import partial
from typing import Any

from gallery.data.models import (
    FAILURE_TAGS,
    MODALITY_MEANINGS,
    MODALITY_PHRASES,
    STRATEGY_MEANINGS,
    STRATEGY_PHRASES,
    Entry,
    Followup,
)
from gallery.data.repository import Run
from gallery.data.verdicts import BY_NAME, NOT_ASKED, SCORED_VERDICTS
from gallery.grading.assess import final_verdict, first_real_verdict, is_retried_empty_reply
from gallery.grading.check import FLAG_TITLES, Flag
from gallery.site.badges import badge
from gallery.site.charts import Bar, score_bars, verdict_stacks
from gallery.site.pages.answers import check_evidence_html, entry_details_html
from gallery.site.pages.common import (
    GENERATED_DIR,
    Score,
    answer_anchor,
    chunks,
    front_matter,
    h,
    link,
    model_title,
    page_heading,
    part_anchor,
    question_page,
    raw_block,
    run_page,
    score_entries,
    table,
)
from gallery.site.pages.models import LEADERBOARD_HEADERS, leaderboard_rows
from gallery.site.plan import PlannedRepository, Row, answer_page
from gallery.site.render_text import escape_markdown_inline, heading_markdown, render_prose_line


def analysis_page(homework: str, name: str) -> str:
    return f"{GENERATED_DIR}/{homework}/analysis/{name}.md"


def tag_page(homework: str, tag: str) -> str:
    return f"{GENERATED_DIR}/{homework}/analysis/tags/{tag}.md"


def rows_of(repo: PlannedRepository, homework: str, *, followups: bool = True) -> list[Row]:
    rows = repo.plans[homework].rows
    return rows if followups else [row for row in rows if row.followup is None]


def _where(repo: PlannedRepository, row: Row, page: str) -> str:
    href = link(
        page,
        answer_page(repo, row.run.homework, row.question.question, row.run.id),
        answer_anchor(row.part.label, row.run.id),
    )
    turn = f" (follow-up {row.followup})" if row.followup else ""
    return f'<a href="{h(href)}">{h(row.part.label)}{turn}</a>'


def _run_link(row_run: Run, page: str) -> str:
    return f'<a href="{h(link(page, run_page(row_run.homework, row_run.id)))}">{h(row_run.label)}</a>'


def _verdicts(graded: Entry | Followup) -> str:
    return ", ".join(badge(a.verdict, "annotator", label=False) for a in graded.annotations if a.verdict) or "–"


# -- audit -----------------------------------------------------------------------------------


AUDIT_ROWS_PER_PAGE = 60


def audit_page(homework: str, index: int) -> str:
    return analysis_page(homework, "audit" if index == 0 else f"audit-{index + 1}")


def audit_rows(repo: PlannedRepository, homework: str) -> list[tuple[Row, tuple[Flag, ...]]]:
    return repo.plans[homework].audit


def render_audit_page(repo: PlannedRepository, homework: str, index: int = 0) -> str:
    page = audit_page(homework, index)
    every = audit_rows(repo, homework)
    pages = chunks(every, AUDIT_ROWS_PER_PAGE)
    flagged = pages[index]
    counts = Counter(flag.kind for _, flags in every for flag in flags)
    pager = ""
    if len(pages) > 1:
        links = [
            f'<strong aria-current="page">{i + 1}</strong>'
            if i == index
            else f'<a href="{h(link(page, audit_page(homework, i)))}">{i + 1}</a>'
            for i in range(len(pages))
        ]
        pager = f'<nav aria-label="Pages of the audit"><p>{len(every)} flagged answers, {AUDIT_ROWS_PER_PAGE} per page: {" · ".join(links)}</p></nav>'
    body = [
        "<p>Every answer whose graders disagree: the annotator who ran the session, our review against the "
        "reference, and the automatic check, which reads the values in the answer text and compares them with the "
        "answer key (it also flags an answer that states two values for one item). A flag is "
        "not a verdict that someone is wrong; it is where to look. Each row gives the evidence.</p>",
        table(
            ["Disagreement", "Answers"],
            [[h(FLAG_TITLES[kind]), str(n)] for kind, n in sorted(counts.items())] or [["none", "0"]],
        ),
    ]
    rows = []
    for row, flags in flagged:
        result = repo.assessment(row.graded).auto
        evidence = "<br>".join(check_evidence_html(check) for check in result.checks) or "–"
        annotator_notes = " ".join(h(a.verdict_text) for a in row.graded.annotations if a.verdict_text)
        rows.append(
            [
                _run_link(row.run, page),
                _where(repo, row, page),
                "<br>".join(h(flag.text()) for flag in flags),
                _verdicts(row.graded) + (f"<br><q>{annotator_notes}</q>" if annotator_notes else ""),
                (badge(row.graded.review.verdict, "review", label=False) if row.graded.review.verdict else "–")
                + f"<br>{render_prose_line(row.graded.review.reason or '')}",
                (badge(result.verdict, "auto", label=False) + "<br>" if result.verdict else "") + evidence,
            ]
        )
    body.append(pager)
    body.append(
        table(["Run", "Part", "Flags", "Annotator", "Review and reason", "Auto-check and evidence"], rows, css="audit")
        if rows
        else "<p>No disagreements.</p>"
    )
    title = "Grading audit" + (f" (page {index + 1})" if index else "")
    return (
        front_matter(title, "Where the annotator, the review and the automatic check disagree", searched=False)
        + f"# {title}\n"
        + raw_block("".join(body))
    )


# -- scores ----------------------------------------------------------------------------------


def _score_pairs(rows: list[Row], *, final: bool) -> list[tuple[bool, str | None]]:
    return [
        (row.part.graded, final_verdict(row.entry) if final else row.entry.review.verdict)
        for row in rows
        if row.followup is None
    ]


def render_scores_page(repo: PlannedRepository, homework: str) -> str:
    page = analysis_page(homework, "scores")
    rows = rows_of(repo, homework, followups=False)
    runs = repo.plans[homework].runs
    by_run: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_run[row.run.id].append(row)
    run_bars: list[tuple[str, Bar, Bar | None]] = []
    run_table: list[list[str]] = []
    stacks: list[tuple[str, dict[str, int]]] = []
    for run in sorted(runs, key=lambda r: -(score_entries(_score_pairs(by_run[r.id], final=False)).fraction or 0)):
        first = score_entries(_score_pairs(by_run[run.id], final=False))
        after = score_entries(_score_pairs(by_run[run.id], final=True))
        run_bars.append(
            (
                run.label,
                Bar(run.label, first.fraction or 0, first.text()),
                Bar(run.label, after.fraction or 0, after.text()) if after.points != first.points else None,
            )
        )
        counts: Counter[str] = Counter(
            row.entry.review.verdict for row in by_run[run.id] if row.part.graded and row.entry.review.verdict
        )
        stacks.append((run.label, dict(counts)))
        run_table.append(
            [_run_link(run, page), *(str(counts.get(v, 0)) for v in SCORED_VERDICTS), h(first.text()), h(after.text())]
        )
    hw = repo.homeworks[homework]
    q_bars: list[tuple[str, Bar, Bar | None]] = []
    q_table: list[list[str]] = []
    for number, question in sorted(hw.questions.items()):
        qrows = [row for row in rows if row.question.question == number]
        score = score_entries(_score_pairs(qrows, final=False))
        if score.graded:
            q_bars.append((f"Q{number}", Bar(f"Q{number}", score.fraction or 0, score.text()), None))
        qrows_by_run: dict[str, list[Row]] = defaultdict(list)
        for row in qrows:
            qrows_by_run[row.run.id].append(row)
        cells = [h(score_entries(_score_pairs(qrows_by_run[run.id], final=False)).text()) for run in runs]
        q_table.append(
            [
                f'<a href="{h(link(page, question_page(homework, number)))}">Q{number}: {h(question.title)}</a>',
                *cells,
                h(score.text()),
            ]
        )
    body = (
        "<p>A score counts a correct answer as 1 and a partial one as ½, over the graded parts a run covers; "
        "not-asked and reading-only parts are left out, skipped ones count 0. <em>After follow-ups</em> uses the "
        "verdict on the last answer the user drew out with a hint or correction.</p>"
        + score_bars("score-by-run", "Score by run", run_bars)
        + verdict_stacks("verdicts-by-run", "Review verdicts of first answers, by run", stacks)
        + table(
            ["Run", *(BY_NAME[v].word.capitalize() for v in SCORED_VERDICTS), "Score", "After follow-ups"], run_table
        )
    )
    questions = score_bars("score-by-question", "Score by question, all runs together", q_bars) + table(
        ["Question", *(h(r.label) for r in runs), "All runs"], q_table
    )
    return (
        front_matter("Scores", "Scores per run and per question, with charts")
        + "# Scores\n"
        + raw_block(body)
        + "## Models {#models}\n"
        + raw_block(
            "<p>Every model, best score on first answers first, over all the homeworks (each model's page "
            "breaks it down):</p>" + table(LEADERBOARD_HEADERS, leaderboard_rows(repo, page), css="leaderboard")
        )
        + "## Head to head, on the parts both answered {#head-to-head}\n"
        + raw_block(head_to_head(repo, homework, page, by_run))
        + "## By question {#by-question}\n"
        + raw_block(questions)
    )


HEAD_TO_HEAD_MAX_RUNS = 12  # a matrix of every pair; past this the per-question table compares like with like


def head_to_head(repo: PlannedRepository, homework: str, page: str, by_run: dict[str, list[Row]]) -> str:
    """Each pair of runs scored only on the graded parts both answered, first answers and after follow-ups."""
    runs = repo.plans[homework].runs
    if len(runs) > HEAD_TO_HEAD_MAX_RUNS:
        return (
            f"<p>With {len(runs)} runs a matrix of every pair would not fit a page: the table by question below "
            "compares runs on the same parts, and each model's page compares its runs.</p>"
        )
    answered = {
        run.id: {
            row.part.label: row.entry
            for row in by_run[run.id]
            if row.part.graded and row.entry.review.verdict not in (None, NOT_ASKED)
        }
        for run in runs
    }
    rows = []
    for run in runs:
        cells = []
        for other in runs:
            shared = sorted(set(answered[run.id]) & set(answered[other.id]))
            if other is run or not shared:
                cells.append("–")
                continue
            mine = score_entries([(True, answered[run.id][label].review.verdict) for label in shared])
            theirs = score_entries([(True, answered[other.id][label].review.verdict) for label in shared])
            cells.append(
                f'{100 * (mine.fraction or 0):.0f}% vs {100 * (theirs.fraction or 0):.0f}% <span class="muted">({len(shared)} parts)</span>'
            )
        rows.append([_run_link(run, page), *cells])
    return (
        "<p>Each row's run against each column's run, on first answers, counting only the graded parts both "
        "answered: the row's score, then the column's, then how many parts they share. Runs that share few parts "
        "say little about each other.</p>" + table(["Run", *(h(run.label) for run in runs)], rows, css="head-to-head")
    )


# -- strategies --------------------------------------------------------------------------------


def _model_key(run: Run) -> str:
    assert run.meta is not None
    return run.meta.model.name.split("(")[0].strip().lower()


def _way_name(way: tuple[str, str]) -> str:
    strategy, modality = way
    return f"{STRATEGY_PHRASES[strategy]}, {MODALITY_PHRASES[modality]}"


def _comparison_cell(repo: PlannedRepository, page: str, homework: str, run: Run, entry: Entry, label: str) -> str:
    number = int(label.split("(")[0])
    href = link(page, answer_page(repo, homework, number, run.id), answer_anchor(label, run.id))
    assert entry.review.verdict is not None
    cell = f'<a href="{h(href)}">{badge(entry.review.verdict, "review", label=False)}</a>'
    if is_retried_empty_reply(entry):
        retried = first_real_verdict(entry)
        cell += f' <span class="artefact">empty reply, retried: {badge(retried, "after", label=False) if retried else "?"}</span>'
    elif entry.followups and final_verdict(entry) != entry.review.verdict:
        after = final_verdict(entry)
        cell += f' <span class="muted">after follow-up: {badge(after, "after", label=False) if after else "?"}</span>'
    return cell


def _pair_scores(entries: list[Entry]) -> tuple[Score, Score, Score]:
    """First answers, first answers with empty replies replaced by their retry, and after follow-ups."""
    return (
        score_entries([(True, e.review.verdict) for e in entries]),
        score_entries([(True, first_real_verdict(e)) for e in entries]),
        score_entries([(True, final_verdict(e)) for e in entries]),
    )


def render_strategies_page(repo: PlannedRepository, homework: str) -> str:
    page = analysis_page(homework, "strategies")
    runs = repo.plans[homework].runs
    groups: dict[str, list[Run]] = defaultdict(list)
    for run in runs:
        groups[_model_key(run)].append(run)
    out = [
        front_matter(
            "Strategies and inputs", "Runs of the same model prompted differently, compared on the parts they share"
        ),
        "# Strategies and inputs\n",
        raw_block(
            "<p>How a model was prompted (all parts at once, part by part, or a mix) and what it was given "
            "(pasted text, screenshots, the PDF) change what comes back. Runs of the same model are compared here "
            "only on the graded parts both answered, and every comparison gives three scores side by side: the "
            "first answers as they came, the same with an empty reply that the user simply sent again replaced "
            "by the retry's answer (an empty reply says a turn failed, not how the model answers), and the answers "
            "after the user's hints and corrections. A handful of runs cannot settle which strategy is better; "
            "read the answers behind each cell.</p>"
            + table(["Strategy", "Meaning"], [[h(k), h(v)] for k, v in STRATEGY_MEANINGS.items()])
            + table(["Input", "Meaning"], [[h(k), h(v)] for k, v in MODALITY_MEANINGS.items()])
        ),
    ]
    overview = [
        [_run_link(run, page), h(run.meta.model.name), h(run.meta.strategy), h(run.meta.modality)]
        for run in runs
        if run.meta
    ]
    out.append("## Every run {#runs}\n" + raw_block(table(["Run", "Model", "Strategy", "Input"], overview)))
    compared = False
    parts = {p.label: p for q in repo.homeworks[homework].questions.values() for p in q.parts}
    for model, group in sorted(groups.items()):
        # one column per way of running the model (strategy, input), however many runs share it
        ways: dict[tuple[str, str], list[Run]] = defaultdict(list)
        for run in group:
            assert run.meta is not None
            ways[(run.meta.strategy, run.meta.modality)].append(run)
        if len(ways) < 2:
            continue
        answers: dict[tuple[str, str], dict[str, list[tuple[Run, Entry]]]] = {
            way: {
                label: [
                    (run, e)
                    for run in way_runs
                    for q in run.questions.values()
                    for e in q.entries
                    if e.part == label and e.review.verdict not in (None, NOT_ASKED)
                ]
                for label in parts
            }
            for way, way_runs in ways.items()
        }
        way_list = list(ways)
        rows_labels = [
            label for label in parts if parts[label].graded and sum(bool(answers[way][label]) for way in way_list) >= 2
        ]
        if not rows_labels:
            continue
        compared = True
        header = ["Part"] + [
            f'{h(_way_name(way))}<br><span class="muted">{", ".join(h(r.label) for r in ways[way][:3])}'
            f"{' …' if len(ways[way]) > 3 else ''}</span>"
            for way in way_list
        ]
        rows = []
        for label in rows_labels:
            cells = [
                "<br>".join(
                    _comparison_cell(repo, page, homework, run, entry, label) for run, entry in answers[way][label]
                )
                or "–"
                for way in way_list
            ]
            rows.append([h(label), *cells])
        pairs = []
        for i, first in enumerate(way_list):
            for second in way_list[i + 1 :]:
                shared = [label for label in rows_labels if answers[first][label] and answers[second][label]]
                if not shared:
                    continue
                a = _pair_scores([e for label in shared for _, e in answers[first][label]])
                b = _pair_scores([e for label in shared for _, e in answers[second][label]])
                runs_a = ", ".join(_run_link(r, page) for r in ways[first])
                runs_b = ", ".join(_run_link(r, page) for r in ways[second])
                pairs.append(
                    [
                        f"{runs_a}<br>vs {runs_b}",
                        str(len(shared)),
                        *(f"{h(x.text())}<br>vs {h(y.text())}" for x, y in zip(a, b)),
                    ]
                )
        title = group[0].meta.model.name.split("(")[0].strip() if group[0].meta else model
        intro = (
            f"<p>{h(model_title(title))} was run in {len(ways)} ways. Graded parts that at least two of them "
            "answered, with the review verdict of each first answer; an empty reply that was retried, and a "
            "verdict that changed after a follow-up, are marked in the cell:</p>"
        )
        summary = "<p>Each pair of ways, scored only on the parts both answered:</p>" + table(
            ["Runs compared", "Shared parts", "First answers", "Empty replies retried", "After follow-ups"], pairs
        )
        out.append(
            f"## {escape_markdown_inline(model_title(title))} {{#{h(model.replace(' ', '-'))}}}\n"
            + raw_block(intro + summary + table(header, rows))
        )
    if not compared:
        out.append(raw_block("<p>No model has been run in two ways that answered the same graded part yet.</p>"))
    return "".join(out)


# -- failure tags ------------------------------------------------------------------------------


def tag_rows(repo: PlannedRepository, homework: str) -> dict[str, list[Row]]:
    by_tag: dict[str, list[Row]] = {tag: [] for tag in FAILURE_TAGS}
    for row in rows_of(repo, homework):
        for tag in row.graded.tags:
            by_tag[tag].append(row)
    return by_tag


def render_tags_index(repo: PlannedRepository, homework: str) -> str:
    page = analysis_page(homework, "tags/index")
    by_tag = tag_rows(repo, homework)
    runs = repo.plans[homework].runs
    rows = []
    for tag, meaning in FAILURE_TAGS.items():
        per_run = Counter(row.run.id for row in by_tag[tag])
        name = f'<a href="{h(link(page, tag_page(homework, tag)))}"><code>{h(tag)}</code></a>'
        rows.append([name, h(meaning), *(str(per_run.get(run.id, 0)) or "·" for run in runs), str(len(by_tag[tag]))])
    body = "<p>What went wrong, named from a fixed vocabulary when an answer is graded. A tag page lists every answer behind it.</p>"
    return (
        front_matter("Failure tags", "Failure tags by run")
        + "# Failure tags\n"
        + raw_block(body + table(["Tag", "Meaning", *(h(r.label) for r in runs), "All"], rows))
    )


def render_tag_page(repo: PlannedRepository, homework: str, tag: str, rows: list[Row]) -> str:
    page = tag_page(homework, tag)
    table_rows = [
        [
            _run_link(row.run, page),
            _where(repo, row, page),
            badge(row.graded.review.verdict, "review", label=False) if row.graded.review.verdict else "–",
            render_prose_line(row.graded.review.reason or ""),
        ]
        for row in rows
    ]
    body = f"<p>{h(FAILURE_TAGS[tag])}</p>" + (
        table(["Run", "Part", "Review", "Reason"], table_rows) if table_rows else "<p>No answer has this tag.</p>"
    )
    return (
        front_matter(f"Tag: {tag}", FAILURE_TAGS[tag], searched=False) + page_heading(f"Tag: {tag}") + raw_block(body)
    )


# -- where runs differ -----------------------------------------------------------------------


RUNS_LISTED_PER_VERDICT = 5  # the question page lists them all


def render_differences_page(repo: PlannedRepository, homework: str) -> str:
    page = analysis_page(homework, "differences")
    runs = repo.plans[homework].runs
    out = [
        front_matter(
            "Where runs differ",
            "The parts on which runs got different verdicts, answers side by side",
        ),
        "# Where runs differ\n",
        raw_block(
            "<p>Graded parts on which the runs that answered got different review verdicts. For each part, one answer per verdict is shown side by side (open one to read it); every run is listed with its verdict. An empty reply that the user simply sent again counts with the retry's answer: it shows that a turn failed, not how the model answers.</p>"
        ),
    ]
    found = 0
    for number, question in sorted(repo.homeworks[homework].questions.items()):
        for part in question.parts:
            if not part.graded:
                continue
            answered = []
            for run in runs:
                run_question = run.questions.get(number)
                entry = next((e for e in run_question.entries if e.part == part.label), None) if run_question else None
                if entry is not None and entry.review.verdict not in (None, NOT_ASKED):
                    answered.append((run, entry))
            if len({first_real_verdict(entry) for _, entry in answered}) < 2:
                continue  # an empty reply that a retry answered does not make runs differ
            found += 1
            # one answer per verdict side by side (the first run that got it), the rest as links:
            # the page stays the same size however many runs there are
            shown: dict[str, tuple[Run, Entry]] = {}
            for run, entry in answered:
                shown.setdefault(first_real_verdict(entry), (run, entry))  # type: ignore[arg-type]
            cards = "".join(
                f'<div class="side-card">{entry_details_html(entry, {a.id: a for a in run.meta.annotators} if run.meta else {}, repo=repo, anchor=f"d-{part_anchor(part.label)}--{run.id}", heading=h(run.label))}</div>'
                for run, entry in shown.values()
            )
            groups = []
            for verdict in dict.fromkeys(first_real_verdict(entry) for _, entry in answered):
                with_verdict = [run for run, entry in answered if first_real_verdict(entry) == verdict]
                runs_with = [
                    f'<a href="{h(link(page, answer_page(repo, homework, number, run.id), answer_anchor(part.label, run.id)))}">{h(run.label)}</a>'
                    for run in with_verdict[:RUNS_LISTED_PER_VERDICT]
                ]
                more = len(with_verdict) - RUNS_LISTED_PER_VERDICT
                listed = ", ".join(runs_with) + (f" and {more} more" if more > 0 else "")
                groups.append(f"{badge(verdict, 'review', label=False)} {len(with_verdict)}: {listed}")  # type: ignore[arg-type]
            href = link(page, question_page(homework, number), part_anchor(part.label))
            out.append(
                f"## {heading_markdown(f'{part.label} {part.title}')} {{#{part_anchor(part.label)}}}\n"
                + raw_block(
                    f'<p>{" · ".join(groups)} · <a href="{h(href)}">reference and all answers</a></p><div class="side-by-side">{cards}</div>'
                )
            )
    if not found:
        out.append(raw_block("<p>No graded part has runs with different verdicts.</p>"))
    return "".join(out)


# Each analysis section's title and first page, in order: the nav and the home page's links.
ANALYSIS_SECTIONS = (
    ("Grading audit", "audit"),
    ("Scores", "scores"),
    ("Strategies and inputs", "strategies"),
    ("Where runs differ", "differences"),
    ("Failure tags", "tags/index"),
)


def analysis_pages(
    repo: PlannedRepository, homework: str
) -> tuple[dict[str, Callable[[], str]], list[dict[str, object]]]:
    """The analysis pages of a homework (path -> renderer) and their nav section."""
    audit_count = len(chunks(audit_rows(repo, homework), AUDIT_ROWS_PER_PAGE))
    audits = [audit_page(homework, i) for i in range(audit_count)]
    pages: dict[str, Callable[[], str]] = {
        src: partial(render_audit_page, repo, homework, i) for i, src in enumerate(audits)
    }
    pages[analysis_page(homework, "scores")] = partial(render_scores_page, repo, homework)
    pages[analysis_page(homework, "strategies")] = partial(render_strategies_page, repo, homework)
    pages[analysis_page(homework, "differences")] = partial(render_differences_page, repo, homework)
    pages[analysis_page(homework, "tags/index")] = partial(render_tags_index, repo, homework)
    for tag, rows in tag_rows(repo, homework).items():
        pages[tag_page(homework, tag)] = partial(render_tag_page, repo, homework, tag, rows)
    further_pages: dict[str, list[Any]] = {
        "audit": audits[1:],
        "tags/index": [{tag: tag_page(homework, tag)} for tag in FAILURE_TAGS],
    }
    nav: list[dict[str, object]] = []
    for title, name in ANALYSIS_SECTIONS:
        first, more = analysis_page(homework, name), further_pages.get(name, [])
        nav.append({title: [first, *more] if more else first})
    return pages, nav
