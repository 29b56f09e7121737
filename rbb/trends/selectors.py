"""Reads of the Trends page: the report's framework with each item's series attached."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from indicators.models import ExpectedAccomplishment, Indicator, Output
from indicators.series import Series, report_series
from missions.models import Report, Unit

from .charts import chart_key


def trends_units(*, report: Report, language: str) -> list[Unit]:
    """Units › accomplishments › indicators and outputs, each item with `.trend` (its series) and `.chart_key`.

    Six queries whatever the number of periods or items: units, accomplishments, indicators,
    outputs (their planned texts), then the series' indicators, figures and outputs.
    """
    units: QuerySet[Unit] = (
        Unit.objects.filter(report=report)
        .order_by("order", "id")
        .only("id", "number", "title", "title_en", "order", "report_id")
        .prefetch_related(
            Prefetch(
                "accomplishments",
                queryset=ExpectedAccomplishment.objects.order_by("order", "id").only("id", "unit_id", "number", "text", "text_en", "order").prefetch_related(
                    Prefetch("indicators", queryset=Indicator.objects.order_by("order", "id").only(
                        "id", "accomplishment_id", "number", "statement", "statement_en", "unit_hint", "unit_hint_en", "order", "lineage")),
                    Prefetch("outputs", queryset=Output.objects.order_by("order", "id").only(
                        "id", "accomplishment_id", "number", "heading", "heading_en", "planned_text", "planned_text_en", "order", "lineage")),
                ),
            )
        )
    )
    units = list(units)
    series = report_series(report=report)
    for unit in units:
        for ea in unit.accomplishments.all():
            for kind, items in (("indicator", ea.indicators.all()), ("output", ea.outputs.all())):
                for item in items:
                    attach(item, series.get((kind, item.pk)), language=language)
    return units


def attach(item, series: Series | None, *, language: str) -> None:
    """Give an item its series and the key of its chart (the chart URL carries it, so browsers cache it)."""
    item.trend = series
    item.chart_key = chart_key(series, file_format="svg", language=language) if series else ""
