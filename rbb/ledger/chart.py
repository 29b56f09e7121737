"""A small horizontal bar chart as inline SVG, written in Python (no plotting library, no script)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR_HEIGHT, GAP, LABEL_WIDTH, BAR_WIDTH, COUNT_WIDTH = 18, 6, 220, 260, 60


def bar_chart(rows: list[tuple[str, int]], *, title: str) -> SafeString:
    """One bar per (label, count), scaled to the largest count; labels and counts as text."""
    largest = max((count for _label, count in rows), default=0) or 1
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + COUNT_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ledger-chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><title>{escape(title)}</title>'
    ]
    for index, (label, count) in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = round(BAR_WIDTH * count / largest)
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 13}" text-anchor="end" font-size="12">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" fill="#3b6ea5"></rect>'
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 13}" font-size="12">{count}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
