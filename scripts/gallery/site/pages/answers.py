"""HTML for one run's answer to one part: the collapsible answer block and its comparison row.

Shared by question pages (every run's answer to a part) and run pages (every part's answer
by one run). Pure functions from models to HTML strings.
"""

from __future__ import annotations

from gallery.data.models import Annotation, Annotator, Entry, Followup, Part, Review
from gallery.grading.assess import AssessedRepository, Assessment
from gallery.grading.check import ItemCheck
from gallery.grading.extract import Found
from gallery.site.badges import badge
from gallery.site.pages.common import h
from gallery.site.render_text import render_markdown, render_prose_line

FOLLOWUP_WORDS = {"hint": "Hint", "correction": "Correction", "extra-prompt": "Extra prompt", "retry": "Retry"}


def annotator_name(annotators: dict[str, Annotator], by: str) -> str:
    annotator = annotators.get(by)
    return annotator.name if annotator else by


def annotation_html(annotation: Annotation, annotators: dict[str, Annotator]) -> str:
    parts = [f'<p class="annotation-by"><strong>{h(annotator_name(annotators, annotation.by))}</strong>']
    if annotation.verdict:
        parts.append(" " + badge(annotation.verdict, "annotator"))
    if annotation.verdict_text:
        parts.append(f' <q class="verdict-text">{h(annotation.verdict_text)}</q>')
    parts.append("</p>")
    if annotation.note:
        parts.append(f'<div class="annotation-note">{render_markdown(annotation.note)}</div>')
    return f'<div class="annotation">{"".join(parts)}</div>'


def review_html(review: Review) -> str:
    verdict = (
        badge(review.verdict, "review") if review.verdict else '<span class="verdict-missing">not graded yet</span>'
    )
    reason = f" {render_prose_line(review.reason)}" if review.reason else ""
    return f'<p class="review">{verdict}{reason}</p>'


def body_html(answer: str | None, missing: str | None) -> str:
    if answer:
        return f'<div class="answer-text">{render_markdown(answer)}</div>'
    why = render_prose_line(missing) if missing else "No answer was given."
    return f'<p class="answer-missing"><em>No answer text.</em> {why}</p>'


def tags_html(tags: list[str]) -> str:
    if not tags:
        return ""
    return '<p class="tags">' + " ".join(f'<span class="tag">{h(tag)}</span>' for tag in tags) + "</p>"


def followup_html(index: int, followup: Followup, annotators: dict[str, Annotator], repo: AssessedRepository) -> str:
    verdict = badge(followup.review.verdict, "after") if followup.review.verdict else ""
    summary = f"{h(FOLLOWUP_WORDS[followup.kind])} {index} {verdict}"
    annotations = "".join(annotation_html(a, annotators) for a in followup.annotations)
    return (
        f'<details class="followup"><summary>{summary}</summary>'
        f'<div class="followup-prompt"><p class="speaker">User</p>{render_markdown(followup.prompt)}</div>'
        f'<div class="followup-answer"><p class="speaker">Model</p>{body_html(followup.answer, followup.answer_missing)}</div>'
        f"{review_html(followup.review)}{annotations}{auto_check_html(repo.assessment(followup))}{tags_html(followup.tags)}</details>"
    )


def _quote_html(found: Found) -> str:
    # the quote is the answer's source text (LaTeX included), shown as written, like code
    return f'<mark class="auto-quote"><code>{h(found.quote)}</code></mark> <span class="muted">(line {found.line} of the answer)</span>'


def auto_check_item_html(check: ItemCheck, part: Part | None = None) -> str:
    """One key item as the check read it: the answer's own words, highlighted, beside the key value."""
    outcome = "two different values" if check.inconsistent else ("matches" if check.matches else "does not match")
    quotes = ", ".join(_quote_html(found) for found in check.quotes[:3])
    more = f" and {len(check.quotes) - 3} more" if len(check.quotes) > 3 else ""
    item = next((i for i in part.answer_key if i.id == check.item_id), None) if part is not None else None
    name = render_prose_line(item.description) if item is not None else h(check.item_id)
    return (
        f"<li><strong>{name}</strong>: the answer writes {quotes}{more}, read as <code>{h(check.stated)}</code>; "
        f"key {h(check.key)} ({h(check.rule)}): {outcome}</li>"
    )


def check_evidence_html(check: ItemCheck) -> str:
    """One comparison in a line, the values as written (LaTeX included) set as code."""
    if check.inconsistent:
        outcome = "the answer states two different values"
    else:
        outcome = "matches" if check.matches else "does not match"
    return (
        f"{h(check.item_id)}: <code>{h(check.stated)}</code> {outcome} the key <code>{h(check.key)}</code> "
        f"({h(check.rule)})"
    )


def auto_check_html(assessment: Assessment) -> str:
    """The automatic check's verdict with its evidence: what it read in the answer, and where."""
    result = assessment.auto
    if result.verdict is None:
        return ""
    items = "".join(auto_check_item_html(check, assessment.part) for check in result.checks)
    missing = (
        f'<li class="muted">not found in the answer: {h(", ".join(result.not_stated))}</li>'
        if result.not_stated
        else ""
    )
    mixed = '<li class="muted">The answer mixes two readings of the part.</li>' if result.mixed_readings else ""
    return (
        f'<div class="auto-check"><p>{badge(result.verdict, "auto")} from the values read in the answer text:</p>'
        f"<ul>{items}{missing}{mixed}</ul></div>"
    )


def entry_details_html(
    entry: Entry,
    annotators: dict[str, Annotator],
    *,
    repo: AssessedRepository,
    anchor: str,
    heading: str,
    open_: bool = False,
    extra_html: str = "",
) -> str:
    """The collapsible block holding one answer, its grades and its follow-ups."""
    badges = [badge(entry.review.verdict, "review")] if entry.review.verdict else []
    badges += [badge(a.verdict, "annotator") for a in entry.annotations if a.verdict]
    if entry.followups and entry.followups[-1].review.verdict:
        badges.append(badge(entry.followups[-1].review.verdict, "after"))
    assessment = repo.assessment(entry)
    flag = assessment.disagreement
    flag_html = f' <span class="disagree" title="{h(flag)}">≠ graders disagree</span>' if flag else ""
    prompt = (
        f'<details class="prompt"><summary>Prompt</summary>{render_markdown(entry.prompt)}</details>'
        if entry.prompt
        else ""
    )
    annotations = "".join(annotation_html(a, annotators) for a in entry.annotations)
    followups = "".join(followup_html(i + 1, f, annotators, repo) for i, f in enumerate(entry.followups))
    verdict_class = f" answer--{entry.review.verdict}" if entry.review.verdict else ""
    return (
        f'<details class="answer{verdict_class}" id="{h(anchor)}"{" open" if open_ else ""}>'
        f'<summary><span class="answer-heading-text">{heading}</span> {" ".join(badges)}{flag_html}</summary>'
        f'<p class="answer-tools"><a class="copy-link" href="#{h(anchor)}">Link to this answer</a></p>'
        f"{prompt}{body_html(entry.answer, entry.answer_missing)}"
        f'<div class="grades">{review_html(entry.review)}{annotations}{auto_check_html(assessment)}{tags_html(entry.tags)}</div>'
        f"{followups}{extra_html}</details>"
    )


def followups_cell(entry: Entry) -> str:
    if not entry.followups:
        return "–"
    steps = []
    for followup in entry.followups:
        after = badge(followup.review.verdict, "after", label=False) if followup.review.verdict else "?"
        steps.append(f"{h(FOLLOWUP_WORDS[followup.kind].lower())} → {after}")
    return "<br>".join(steps)


def auto_cell(assessment: Assessment) -> str:
    result = assessment.auto
    if result.verdict is None:
        return "–"
    evidence = "; ".join(check.explanation() for check in result.checks)
    return f'<span title="{h(evidence)}">{badge(result.verdict, "auto", label=False)}</span>'


def annotator_cell(entry: Entry) -> str:
    cells = [badge(a.verdict, "annotator", label=False) for a in entry.annotations if a.verdict]
    if not cells and any(a.note for a in entry.annotations):
        return '<span class="note-only">note only</span>'
    return " ".join(cells) or "–"
