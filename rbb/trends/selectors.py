"""Reads of the Trends page: one unit of the report at a time, each item with its series attached."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404

from indicators.models import ExpectedAccomplishment, Indicator, Output
from indicators.series import attach_series, report_series
from missions.models import Report, Unit


def trends_unit_list(*, report: Report) -> list[Unit]:
    """The report's units in document order, for the page's navigation (one query)."""
    return list(Unit.objects.filter(report=report).order_by("order", "id").only("id", "number", "title", "title_en", "parent_id", "report_id"))


def trends_unit(*, report: Report, unit: Unit, language: str) -> Unit:
    """One unit's accomplishments, indicators and outputs, each item with `.trend` (its series) and `.chart_key`.

    Six queries whatever the number of periods: accomplishments, indicators, outputs, then
    the lineages' indicators, their figures and outputs. A page shows one unit: a 623-output
    report over 10 periods would otherwise print some 8 000 figures on one page.
    """
    eas = list(
        ExpectedAccomplishment.objects.filter(unit=unit).order_by("order", "id").only("id", "unit_id", "number", "text", "text_en", "order")
        .prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("order", "id").only(
                "id", "accomplishment_id", "number", "statement", "statement_en", "unit_hint", "unit_hint_en", "order", "lineage")),
            Prefetch("outputs", queryset=Output.objects.order_by("order", "id").only(
                "id", "accomplishment_id", "number", "heading", "heading_en", "planned_text", "planned_text_en", "order", "lineage")),
        )
    )
    series = report_series(report=report, unit_id=unit.pk) if eas else {}
    for ea in eas:
        attach_series(ea.indicators.all(), series, "indicator")
        attach_series(ea.outputs.all(), series, "output")
    unit.eas = eas
    return unit


def pick_unit(units: list[Unit], unit_id: str | None) -> Unit | None:
    """The unit asked for (?unit=), else the first; Http404 for a unit not of this report."""
    if not units:
        return None
    if not unit_id:
        return units[0]
    for unit in units:
        if str(unit.pk) == unit_id:
            return unit
    raise Http404("No such unit.")
