"""Static SVG charts, generated at build time: no JavaScript, no external file.

Charts are inline SVG, so the page's CSS colours them and they follow the light and dark
palettes (see .chart rules in docs/assets/gallery.css). They never rely on colour alone:
every verdict has its own fill pattern, every bar carries its value as text, and each chart
has a title and a description for screen readers (the same numbers are in a table beside it).
"""

from __future__ import annotations

from dataclasses import dataclass

from gallery.data.verdicts import BY_NAME, SCORED_VERDICTS
from gallery.site.render_text import escape

VERDICT_ORDER = SCORED_VERDICTS
ROW_HEIGHT = 26
LABEL_WIDTH = 190
BAR_WIDTH = 420
VALUE_WIDTH = 80


def _pattern(pattern_id: str, fill_class: str, overlay: str, rotate: int) -> str:
    turn = f' patternTransform="rotate({rotate})"' if rotate else ""
    return (
        f'<pattern id="{pattern_id}" width="6" height="6" patternUnits="userSpaceOnUse"{turn}>'
        f'<rect width="6" height="6" class="{fill_class}"/>{overlay}</pattern>'
    )


def _patterns(prefix: str) -> str:
    """One fill pattern per scored verdict (from its record), and one for "after follow-ups"."""
    verdicts = "".join(
        _pattern(f"{prefix}-{name}", f"chart-fill--{name}", BY_NAME[name].chart_pattern, BY_NAME[name].chart_rotate)
        for name in VERDICT_ORDER
    )
    after = _pattern(f"{prefix}-after", "chart-fill--after", '<rect width="2" height="6" class="chart-ink"/>', -45)
    return f"<defs>{verdicts}{after}</defs>"


def _frame(chart_id: str, title: str, description: str, width: int, height: int, body: str) -> str:
    return (
        f'<figure class="chart"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
        f"{body}</svg><figcaption>{escape(title)}</figcaption></figure>"
    )


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # 0..1
    text: str


def score_bars(chart_id: str, title: str, rows: list[tuple[str, Bar, Bar | None]]) -> str:
    """Per row a solid bar (first answers) and, if given, a hatched bar (after follow-ups)."""
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    parts = [_patterns(chart_id)]
    y = 10
    for label, first, after in rows:
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 17}" text-anchor="end" class="chart-label">{escape(label)}</text>'
        )
        for bar, css in ((first, "chart-bar"), (after, f"url(#{chart_id}-after)")):
            if bar is None:
                continue
            length = max(0.0, min(1.0, bar.value)) * BAR_WIDTH
            fill = f'fill="{css}"' if css.startswith("url") else f'class="{css}"'
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{length:.1f}" height="{ROW_HEIGHT - 8}" {fill}/>')
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{BAR_WIDTH}" height="{ROW_HEIGHT - 8}" class="chart-track"/>'
            )
            parts.append(
                f'<text x="{LABEL_WIDTH + BAR_WIDTH + 6}" y="{y + 17}" class="chart-value">{escape(bar.text)}</text>'
            )
            y += ROW_HEIGHT
        y += 8
    axis_y = y + 4
    for tick in (0, 0.25, 0.5, 0.75, 1):
        x = LABEL_WIDTH + tick * BAR_WIDTH
        parts.append(f'<line x1="{x:.1f}" y1="6" x2="{x:.1f}" y2="{axis_y}" class="chart-grid"/>')
        parts.append(
            f'<text x="{x:.1f}" y="{axis_y + 14}" text-anchor="middle" class="chart-axis">{int(tick * 100)}%</text>'
        )
    legend = '<rect x="0" y="{y}" width="12" height="12" class="chart-bar"/><text x="16" y="{t}" class="chart-axis">first answers</text>'
    if any(after for _, _, after in rows):
        legend += f'<rect x="120" y="{{y}}" width="12" height="12" fill="url(#{chart_id}-after)"/><text x="136" y="{{t}}" class="chart-axis">after follow-ups</text>'
    parts.append(legend.format(y=axis_y + 26, t=axis_y + 36))
    description = "; ".join(
        f"{label}: {first.text}" + (f", after follow-ups {after.text}" if after else "") for label, first, after in rows
    )
    return _frame(chart_id, title, description, width, axis_y + 44, "".join(parts))


def verdict_stacks(chart_id: str, title: str, rows: list[tuple[str, dict[str, int]]]) -> str:
    """One stacked bar per row: how many answers got each verdict, each verdict its own pattern."""
    height = ROW_HEIGHT * len(rows) + 50
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    parts = [_patterns(chart_id)]
    for index, (label, counts) in enumerate(rows):
        y = 8 + index * ROW_HEIGHT
        total = sum(counts.get(v, 0) for v in VERDICT_ORDER)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end" class="chart-label">{escape(label)}</text>'
        )
        x = float(LABEL_WIDTH)
        for verdict in VERDICT_ORDER:
            count = counts.get(verdict, 0)
            if not count or not total:
                continue
            length = count / total * BAR_WIDTH
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 2}" width="{length:.1f}" height="{ROW_HEIGHT - 8}" fill="url(#{chart_id}-{verdict})" class="chart-segment"><title>{escape(f"{BY_NAME[verdict].word}: {count}")}</title></rect>'
            )
            if length >= 22:
                parts.append(
                    f'<text x="{x + length / 2:.1f}" y="{y + 15}" text-anchor="middle" class="chart-count">{count}</text>'
                )
            x += length
        parts.append(f'<text x="{LABEL_WIDTH + BAR_WIDTH + 6}" y="{y + 15}" class="chart-value">{total} graded</text>')
    legend_y = 8 + len(rows) * ROW_HEIGHT + 10
    for index, verdict in enumerate(VERDICT_ORDER):
        lx = LABEL_WIDTH + index * 105
        parts.append(
            f'<rect x="{lx}" y="{legend_y}" width="14" height="14" fill="url(#{chart_id}-{verdict})" class="chart-segment"/>'
        )
        parts.append(
            f'<text x="{lx + 19}" y="{legend_y + 12}" class="chart-axis">{escape(BY_NAME[verdict].word)}</text>'
        )
    description = "; ".join(
        f"{label}: " + ", ".join(f"{counts.get(v, 0)} {BY_NAME[v].word}" for v in VERDICT_ORDER)
        for label, counts in rows
    )
    return _frame(chart_id, title, description, width, height, "".join(parts))
