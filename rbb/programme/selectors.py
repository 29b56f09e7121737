"""Reads of programme plans: a whole plan in a fixed number of queries, scoped like every report."""

from __future__ import annotations

from types import SimpleNamespace

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from missions.models import Report
from missions.selectors import report_get_for_user

from .models import (
    Deliverable,
    DeliverableSubcategory,
    MeasureCell,
    NarrativeDeliverable,
    Result,
    ResultParagraph,
    Subprogramme,
)
from .rules import deliverable_state


def subprogramme_queryset() -> QuerySet[Subprogramme]:
    """Subprogrammes in document order with everything under them prefetched (12 queries)."""
    return (
        Subprogramme.objects.order_by("order", "number")
        .prefetch_related(
            "mandates",
            "plan_items",
            Prefetch("results", queryset=Result.objects.order_by("order", "id").prefetch_related(
                Prefetch("paragraphs", queryset=ResultParagraph.objects.order_by("order", "id")),
                Prefetch("cells", queryset=MeasureCell.objects.order_by("row", "year", "kind")),
            )),
            Prefetch("subcategories", queryset=DeliverableSubcategory.objects.select_related("category")
                     .order_by("category__order", "order", "id")
                     .prefetch_related(Prefetch("deliverables", queryset=Deliverable.objects.order_by("order", "number")))),
            Prefetch("narrative_deliverables", queryset=NarrativeDeliverable.objects.select_related("category")
                     .order_by("category__order", "order", "id")),
            "resource_lines",
            "post_grades",
            "resource_paragraphs",
        )
    )


def programme_subprogrammes(*, report: Report) -> QuerySet[Subprogramme]:
    """The report's subprogrammes with everything under them: 13 queries whatever the size."""
    return subprogramme_queryset().filter(report=report)


def programme_counts(*, report: Report) -> dict:
    return {
        "subprogrammes": Subprogramme.objects.filter(report=report).count(),
        "results": Result.objects.filter(subprogramme__report=report).count(),
        "deliverables": Deliverable.objects.filter(subcategory__subprogramme__report=report).count(),
    }


def programme_report_get_for_user(*, user, pk: int) -> Report:
    """A programme-plan report the user may see; another entity's, or another shape, is a 404."""
    report = report_get_for_user(user=user, pk=pk)
    if not report.report_type.is_programme_plan:
        raise Http404
    return report


def subprogramme_get(*, report: Report, number: int) -> Subprogramme:
    """One subprogramme of the report with everything under it, or a 404."""
    found = programme_subprogrammes(report=report).filter(number=number).first()
    if found is None:
        raise Http404
    return found


def deliverable_get(*, report: Report, pk: int) -> Deliverable:
    found = (
        Deliverable.objects.select_related("subcategory__subprogramme", "subcategory__category")
        .filter(pk=pk, subcategory__subprogramme__report=report).first()
    )
    if found is None:
        raise Http404
    return found


def measure_cell_get(*, report: Report, pk: int) -> MeasureCell:
    found = MeasureCell.objects.select_related("result__subprogramme").filter(pk=pk, result__subprogramme__report=report).first()
    if found is None:
        raise Http404
    return found


def result_paragraph_get(*, report: Report, pk: int) -> ResultParagraph:
    found = (
        ResultParagraph.objects.select_related("result__subprogramme")
        .filter(pk=pk, result__subprogramme__report=report).first()
    )
    if found is None:
        raise Http404
    return found


def subprogramme_summaries(*, report: Report) -> QuerySet[Subprogramme]:
    """The subprogrammes with their deliverable counts, for the report's overview."""
    return Subprogramme.objects.filter(report=report).order_by("order", "number").annotate(
        deliverable_count=Count("subcategories__deliverables")
    )


def programme_deliverable_states(*, report_ids: list[int]):
    """(report id, done, needs an explanation not given) per deliverable of the reports, in one query."""
    rows = Deliverable.objects.filter(subcategory__subprogramme__report_id__in=report_ids).values_list(
        "subcategory__subprogramme__report_id", "prior_planned", "prior_actual", "explanation", "explanation_en"
    )
    for report_id, prior_planned, prior_actual, explanation, explanation_en in rows.iterator():
        state = deliverable_state(SimpleNamespace(
            prior_planned=prior_planned, prior_actual=prior_actual, explanation=explanation, explanation_en=explanation_en
        ))
        yield report_id, state.done, state.needs_explanation and not state.explained


def programme_deliverables(*, report: Report) -> QuerySet[Deliverable]:
    """The report's deliverables in document order, with their subcategory and subprogramme (one query)."""
    return (
        Deliverable.objects.filter(subcategory__subprogramme__report=report)
        .select_related("subcategory__subprogramme", "subcategory__category")
        .order_by("subcategory__subprogramme__order", "subcategory__category__order", "subcategory__order", "order", "number")
    )


def programme_cells(*, report: Report) -> QuerySet[MeasureCell]:
    """The report's performance-measure cells in document order (one query)."""
    return (
        MeasureCell.objects.filter(result__subprogramme__report=report)
        .select_related("result__subprogramme")
        .order_by("result__subprogramme__order", "result__order", "row", "year", "kind")
    )
