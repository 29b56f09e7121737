"""Reads for workbooks: the framework and resource rows a workbook shows, and pending uploads."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone

from indicators.models import Indicator, Output
from indicators.selectors import framework_units
from missions.models import FinancialClass, FinancialLine, Report, StaffIncumbency
from missions.resource_selectors import resources_user_can_edit

from .models import WorkbookUpload


def workbook_units(*, report: Report):
    """The report's units with everything under them: five queries whatever the size."""
    return list(framework_units(report=report, editors=False))


def workbook_financial_lines(*, report: Report) -> list[FinancialLine]:
    """The entered financial lines in table order with their class: one query."""
    return list(
        FinancialLine.objects.filter(report=report, financial_class__kind__in=FinancialClass.ENTERED_KINDS)
        .select_related("financial_class")
        .order_by("financial_class__order", "financial_class_id")
    )


def workbook_incumbency(*, report: Report) -> list[StaffIncumbency]:
    """The staff categories' incumbency rows in table order with their category: one query."""
    return list(
        StaffIncumbency.objects.filter(report=report).select_related("category").order_by("category__order", "category_id")
    )


def workbook_includes_resources(*, user, report: Report) -> bool:
    """Resource sheets go to people who may edit resources (a command acts as the system)."""
    return user is None or resources_user_can_edit(user=user, report=report)


def workbook_current_items(*, report: Report, ids: dict[str, set[int]]) -> dict[tuple[str, int], object]:
    """The items an upload names, as they are now, keyed by (item type, id): one query per type."""
    found: dict[tuple[str, int], object] = {}
    if ids.get("indicator"):
        for item in Indicator.objects.filter(pk__in=ids["indicator"], accomplishment__unit__report=report).select_related(
            "accomplishment__unit"
        ).prefetch_related("figures"):
            found["indicator", item.pk] = item
    if ids.get("output"):
        for item in Output.objects.filter(pk__in=ids["output"], accomplishment__unit__report=report).select_related(
            "accomplishment__unit"
        ):
            found["output", item.pk] = item
    if ids.get("financial_line"):
        for item in FinancialLine.objects.filter(pk__in=ids["financial_line"], report=report).select_related("financial_class"):
            found["financial_line", item.pk] = item
    if ids.get("staff_incumbency"):
        for item in StaffIncumbency.objects.filter(pk__in=ids["staff_incumbency"], report=report).select_related("category"):
            found["staff_incumbency", item.pk] = item
    return found


def workbook_upload_get(*, report: Report, pk, owner) -> WorkbookUpload:
    """A pending upload of this report by this person (404 otherwise, also once expired)."""
    try:
        return WorkbookUpload.objects.get(
            pk=pk, report=report, owner=owner, status=WorkbookUpload.Status.PENDING, expires_at__gt=timezone.now()
        )
    except (WorkbookUpload.DoesNotExist, ValueError, TypeError):
        raise Http404("No such upload.")
