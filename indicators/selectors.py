"""Reads of a report's framework, shaped so pages never query inside a loop."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from missions.models import ChangeRecord, Report, Unit

from .models import ExpectedAccomplishment, Indicator, IndicatorFigure, Output


def framework_units(*, report: Report, editors: bool = True) -> QuerySet[Unit]:
    """The report's units with every expected accomplishment, indicator, figure and output.

    Five queries whatever the size: units, accomplishments, indicators, figures, outputs.
    Items come with who saved them last and when (the API prints it), joined rather than
    fetched per item; editors=False leaves both out for pages that print neither (on a
    600-output page, reading them costs about 15 ms).
    """
    return _with_framework(Unit.objects.filter(report=report), editors=editors)


def framework_units_of_reports(*, report_ids: list[int]) -> QuerySet[Unit]:
    """The units of several reports with their whole frameworks: the same five queries for all."""
    return _with_framework(Unit.objects.filter(report_id__in=report_ids), editors=False)


def _with_framework(units: QuerySet[Unit], *, editors: bool) -> QuerySet[Unit]:
    indicators, outputs = Indicator.objects.all(), Output.objects.all()
    if editors:
        indicators, outputs = indicators.select_related("updated_by"), outputs.select_related("updated_by")
    else:
        indicators, outputs = indicators.defer("updated_at"), outputs.defer("updated_at")
    return (
        units
        .order_by("order", "id")
        .prefetch_related(
            Prefetch(
                "accomplishments",
                queryset=ExpectedAccomplishment.objects.order_by("order", "id").prefetch_related(
                    Prefetch(
                        "indicators",
                        queryset=indicators.order_by("order", "id").prefetch_related(
                            Prefetch("figures", queryset=IndicatorFigure.objects.order_by("order", "id"))
                        ),
                    ),
                    Prefetch("outputs", queryset=outputs.order_by("order", "id")),
                ),
            )
        )
    )


def framework_counts(*, report: Report) -> dict[str, int]:
    return {
        "units": Unit.objects.filter(report=report).count(),
        "accomplishments": ExpectedAccomplishment.objects.filter(unit__report=report).count(),
        "indicators": Indicator.objects.filter(accomplishment__unit__report=report).count(),
        "outputs": Output.objects.filter(accomplishment__unit__report=report).count(),
    }


def _figures() -> Prefetch:
    return Prefetch("figures", queryset=IndicatorFigure.objects.order_by("order", "id"))


def accomplishment_list(*, report: Report) -> QuerySet[ExpectedAccomplishment]:
    """The report's expected accomplishments in document order, with their unit (for navigation)."""
    return (
        ExpectedAccomplishment.objects.filter(unit__report=report)
        .select_related("unit")
        .order_by("unit__order", "unit__id", "order", "id")
    )


def accomplishment_get_for_entry(*, report: Report, pk: int) -> ExpectedAccomplishment:
    """One expected accomplishment of the report with its indicators, figures and outputs.

    Four queries whatever the size: the accomplishment with its unit, indicators, figures, outputs.
    Raise Http404 when it belongs to another report.
    """
    queryset = ExpectedAccomplishment.objects.select_related("unit").prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("order", "id").prefetch_related(_figures())),
        Prefetch("outputs", queryset=Output.objects.order_by("order", "id")),
    )
    try:
        ea = queryset.get(pk=pk, unit__report=report)
    except ExpectedAccomplishment.DoesNotExist:
        raise Http404("No such expected accomplishment.")
    ea.unit.report = report
    return ea


def indicator_get_for_report(*, report: Report, pk: int) -> Indicator:
    """One indicator of the report with its figures, accomplishment and unit; Http404 otherwise."""
    queryset = Indicator.objects.select_related("accomplishment__unit", "updated_by").prefetch_related(_figures())
    try:
        indicator = queryset.get(pk=pk, accomplishment__unit__report=report)
    except Indicator.DoesNotExist:
        raise Http404("No such indicator.")
    indicator.accomplishment.unit.report = report
    return indicator


def output_get_for_report(*, report: Report, pk: int) -> Output:
    """One output of the report with its accomplishment and unit; Http404 otherwise."""
    try:
        output = Output.objects.select_related("accomplishment__unit", "updated_by").get(
            pk=pk, accomplishment__unit__report=report
        )
    except Output.DoesNotExist:
        raise Http404("No such output.")
    output.accomplishment.unit.report = report
    return output


HISTORY_LIMIT = 100


def item_change_list(*, report: Report, item_type: str, item_id: int) -> QuerySet[ChangeRecord]:
    """The latest changes of one item of the report, newest first, with who made them."""
    return (
        ChangeRecord.objects.filter(report=report, item_type=item_type, item_id=item_id)
        .select_related("actor")
        .order_by("-created_at", "-id")[:HISTORY_LIMIT]
    )
