"""Reads for the IATI export: reports with their whole frameworks, in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from indicators.models import ExpectedAccomplishment, Indicator, IndicatorFigure, Output
from indicators.selectors import output_distribute
from missions.models import Report, Unit


def reports_with_framework(reports: QuerySet[Report]) -> QuerySet[Report]:
    """The reports with units › accomplishments › indicators (figures) and outputs, in document order.

    Six queries for any number of reports: reports, units, accomplishments, indicators,
    figures, outputs.
    """
    return reports.prefetch_related(
        Prefetch(
            "units",
            queryset=Unit.objects.order_by("order", "id").prefetch_related(
                Prefetch(
                    "accomplishments",
                    queryset=ExpectedAccomplishment.objects.order_by("order", "id").prefetch_related(
                        Prefetch(
                            "indicators",
                            queryset=Indicator.objects.order_by("order", "id").prefetch_related(
                                Prefetch("figures", queryset=IndicatorFigure.objects.order_by("order", "id"))
                            ),
                        ),
                    ),
                ),
                # Every output once per unit, handed to its accomplishment or kept as the unit's own.
                Prefetch("outputs", queryset=Output.objects.order_by("order", "id")),
            ),
        )
    )


def distribute_outputs(reports) -> list[Report]:
    """The loaded reports, each unit's outputs handed out (indicators.selectors.output_distribute)."""
    reports = list(reports)
    for report in reports:
        for unit in report.units.all():
            output_distribute(unit)
    return reports
