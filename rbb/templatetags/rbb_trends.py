"""{% trend item kind report %}: an item's chart (a cached image URL) and the table behind it.

Written in Python rather than as a template: a unit of the support account over 10 periods
prints some 2 000 cells, which the template engine takes ~150 ms to resolve one by one.
"""

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from rbb.lib.numbers import format_number

register = template.Library()


def _cells(points, value) -> str:
    return "".join(f'<td class="num">{value(p)}</td>' for p in points)


@register.simple_tag
def trend(item, kind: str, report, headquarters: bool = False):
    series = getattr(item, "trend", None)
    if series is None:
        return ""
    points = series.points
    dash = "—"
    parts = [f'<figure class="trend" id="trend-{kind}-{item.pk}">']
    if series.has_history:
        url = reverse(f"trends:{kind}-chart", args=[report.pk, item.pk, "svg"])
        if kind == "indicator":
            alt = _("Chart of indicator %(number)s across periods; the table below gives its figures.") % {"number": item.number}
        else:
            alt = _("Chart of output %(number)s across periods; the table below gives its figures.") % {"number": item.number}
        parts.append(f'<img class="trend-chart" src="{url}?v={item.chart_key}" loading="lazy" width="506" height="253" alt="{escape(alt)}">')
    what = _("Indicator") if kind == "indicator" else _("Output")
    parts.append(f'<table class="grid trend-table"><caption class="visually-hidden">{escape(what)} {escape(item.number)}: {escape(_("series across periods"))}</caption>')
    current = ' aria-current="true"'
    heads = "".join(
        f'<th scope="col" class="num"{current if p.item_id == item.pk else ""}>{escape(p.period)}</th>' for p in points
    )
    parts.append(f'<thead><tr><th scope="col">{escape(_("Period"))}</th>{heads}</tr></thead><tbody>')
    rows = []
    if kind == "indicator":
        pending = escape(_("not yet accepted"))
        rows.append((_("Baseline"), lambda p: escape(p.baseline) or dash))
        rows.append((_("Target"), lambda p: escape(p.target) or dash))
        if headquarters:
            rows.append((_("Estimate"), lambda p: escape(p.estimate) or dash))
        rows.append((_("Actual"), lambda p: (escape(p.actual) or dash) + (f' <span class="muted">({pending})</span>' if p.actual_kind == "entered" else "")))
    else:
        yes, no = escape(_("Yes")), escape(_("No"))
        rows.append((_("Planned"), lambda p: escape(p.planned) or dash))
        rows.append((_("Completed"), lambda p: yes if p.completed_kind == "yes" else no if p.completed_kind == "no" else escape(p.completed) or dash))
        rows.append((_("Delivery ratio (%)"), lambda p: format_number(p.ratio, zero_as_nil=False) if p.ratio is not None else dash))
    for label, value in rows:
        parts.append(f'<tr><th scope="row">{escape(label)}</th>{_cells(points, value)}</tr>')
    parts.append("</tbody></table></figure>")
    return mark_safe("".join(parts))
