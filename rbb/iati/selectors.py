"""Reads for the IATI export: reports with their whole frameworks, in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from indicators.models import ExpectedAccomplishment, Indicator, IndicatorFigure, Output
from missions.models import Report, Unit
from rbb.programme.selectors import subprogramme_queryset


def reports_with_framework(reports: QuerySet[Report]) -> QuerySet[Report]:
    """The reports with units › accomplishments › indicators (figures) and outputs, in document order.

    Seven queries for any number of reports: reports, units, accomplishments, indicators,
    figures, outputs, and subprogrammes (a programme plan's, with their own prefetches when
    there are any).
    """
    return reports.prefetch_related(
        Prefetch("subprogrammes", queryset=subprogramme_queryset()),
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
                        Prefetch("outputs", queryset=Output.objects.order_by("order", "id")),
                    ),
                )
            ),
        )
    )
