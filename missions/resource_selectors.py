"""Reads of a report's resource performance, shaped so a page runs a fixed number of queries
whatever the number of classes, categories or months."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import FilteredRelation, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from rbb.exceptions import NotPermitted
from rbb.lib.numbers import format_dollars

from . import resources as calc
from .models import (
    FinancialClass,
    FinancialLine,
    Membership,
    MonthlyExpenditure,
    Redeployment,
    Report,
    ResourceNarrative,
    RevenueLine,
    StaffCategory,
    StaffIncumbency,
    StaffIncumbencyMonth,
    UnitResourceLine,
    paragraphs,
)
from .selectors import access_for_user, report_get_for_user

Role = Membership.Role
# Mission staff of the report's own mission enter figures; budget administrators may fix them.
EDITOR_ROLES = (Role.FOCAL_POINT, Role.APPROVER, Role.BUDGET_ADMIN)


def resources_user_can_edit(*, user, report: Report) -> bool:
    return access_for_user(user).has_role(report.mission_id, *EDITOR_ROLES)


def resources_report_get_for_editing(*, user, pk: int) -> Report:
    """The report, if the user may edit its resources: 404 for other missions, NotPermitted for readers."""
    report = report_get_for_user(user=user, pk=pk)
    if not resources_user_can_edit(user=user, report=report):
        raise NotPermitted()
    return report


# --- the financial table --------------------------------------------------------------------


def financial_classes_with_figures(*, report: Report) -> list[FinancialClass]:
    """The report type's classes in order, each with this report's `report_line` (with its
    explanation) and `report_redeployment`, or None: one query, the figures joined in."""
    classes = list(
        FinancialClass.objects.for_report(report)
        .annotate(
            report_line=FilteredRelation("lines", condition=Q(lines__report=report)),
            report_redeployment=FilteredRelation("redeployments", condition=Q(redeployments__report=report)),
        )
        .select_related("report_line__explanation", "report_redeployment")
        .order_by("order", "id")
    )
    for cls in classes:
        # A class without a figure gets no attribute from the join; a line knows its class.
        cls.report_line = getattr(cls, "report_line", None)
        cls.report_redeployment = getattr(cls, "report_redeployment", None)
        if cls.report_line is not None:
            FinancialLine.financial_class.field.set_cached_value(cls.report_line, cls)
    return classes


def financial_table_for_report(*, report: Report, classes: list[FinancialClass] | None = None) -> calc.FinancialTable:
    """The detailed table with variances and the analysis rule applied: one query."""
    if classes is None:
        classes = financial_classes_with_figures(report=report)
    lines = {cls.id: cls.report_line for cls in classes if cls.report_line is not None}
    return calc.financial_table(
        classes=classes,
        amounts={cid: (line.apportionment, line.expenditure) for cid, line in lines.items()},
        lines=lines,
        threshold_percent=report.report_type.variance_threshold_percent,
        threshold_usd=report.report_type.variance_threshold_usd,
    )


def _explanation(row: calc.FinancialRow):
    if row.line is None:
        return None
    try:
        return row.line.explanation
    except FinancialLine.explanation.RelatedObjectDoesNotExist:
        return None


@dataclass(frozen=True)
class BlockingItem:
    """Something that stops the report from being submitted, with where to fix it."""

    code: str
    label: str
    message: str
    url: str
    kind: str = "financial_line"

    @property
    def reasons(self) -> tuple[str, ...]:
        return (self.message,)


def resource_blocking_items(*, report: Report) -> list[BlockingItem]:
    """Classes the variance rule selects that have no explanation yet (A/76/525 sect. IV).

    The submit service calls this and refuses to submit while the list is not empty.
    """
    items = []
    for row in financial_table_for_report(report=report).analysed:
        explanation = _explanation(row)
        if explanation is None or calc.explanation_is_blank(explanation.main):
            items.append(BlockingItem(
                code="variance_explanation_missing",
                label=row.heading,
                message=_("The variance of this class needs an explanation."),
                url=reverse("missions:resources-explanation", args=[report.pk, row.line.pk]),
            ))
    return items


# --- the whole resources page ------------------------------------------------------------------


@dataclass
class VarianceEntry:
    row: calc.FinancialRow
    explanation: Any

    @property
    def paragraphs(self) -> list[str]:
        if self.explanation is None or calc.explanation_is_blank(self.explanation.main):
            return []
        return paragraphs(self.explanation.main) + paragraphs(self.explanation.offset)

    @property
    def is_missing(self) -> bool:
        return not self.paragraphs


@dataclass
class RevenueTable:
    lines: list[RevenueLine]

    @property
    def total(self) -> Decimal | None:
        return calc.add(*(line.amount for line in self.lines))


@dataclass
class MonthRow:
    month: datetime.date
    label: str
    amount: Decimal | None


@dataclass
class IncumbencyRow:
    category: StaffCategory
    item: StaffIncumbency | None
    children: list[IncumbencyRow] = field(default_factory=list)

    @property
    def is_group(self) -> bool:
        return self.category.kind == StaffCategory.Kind.GROUP

    @property
    def rate(self) -> Decimal | None:
        item = self.item
        if item is None:
            return None
        return calc.vacancy_rate(
            method=item.method, authorized=item.authorized, actual_average=item.actual_average,
            months=[(m.authorized, m.incumbent) for m in item.months.all()], entered=item.vacancy_rate_entered,
        )

    @property
    def has_data(self) -> bool:
        if self.is_group:
            return any(child.has_data for child in self.children)
        item = self.item
        return item is not None and any(
            v is not None for v in (item.authorized, item.actual_average, item.vacancy_rate_entered, item.budgeted_vacancy_rate)
        )


@dataclass
class GaActions:
    """Section V: amounts the General Assembly decides on, in full dollars."""

    unencumbered_balance: Decimal | None
    other_revenue: Decimal | None
    other_revenue_parts: list[tuple[str, str]]

    @property
    def unencumbered_balance_dollars(self) -> str:
        return format_dollars(self.unencumbered_balance)

    @property
    def other_revenue_dollars(self) -> str:
        return format_dollars(self.other_revenue)


@dataclass
class ResourcePerformance:
    report: Report
    financial: calc.FinancialTable
    variance_entries: list[VarianceEntry]
    redeployment: calc.RedeploymentTable
    redeployment_paragraphs: list[str]
    months: list[MonthRow]
    chart: calc.Chart
    monthly_paragraphs: list[str]
    other_revenue: RevenueTable
    non_budgeted: RevenueTable
    incumbency: list[IncumbencyRow]
    show_budgeted_vacancy_rate: bool
    ga: GaActions
    by_unit: calc.UnitResourceTable | None = None

    @property
    def monthly_total(self) -> Decimal | None:
        return calc.add(*(m.amount for m in self.months))

    @property
    def missing_explanations(self) -> int:
        return sum(1 for e in self.variance_entries if e.is_missing)


def resource_performance(*, report: Report) -> ResourcePerformance:
    """Everything the resources page prints, computed from the stored figures.

    Seven queries whatever the size: classes with their lines, explanations and redeployments;
    revenue lines; months; narratives; staff categories with their incumbency; its monthly figures;
    resources by department/office.
    """
    classes = financial_classes_with_figures(report=report)
    table = financial_table_for_report(report=report, classes=classes)

    redeployments = {c.id: c.report_redeployment for c in classes if c.report_redeployment is not None}
    categories = [c for c in classes if c.kind == FinancialClass.Kind.GROUP or (c.kind == FinancialClass.Kind.LINE and c.parent_id is None)]
    redeployment = calc.RedeploymentTable(rows=[
        calc.RedeploymentRow(
            category=c, item=redeployments.get(c.id), number=category_number(number),
            original=getattr(redeployments.get(c.id), "original", None),
            redeployment=getattr(redeployments.get(c.id), "redeployment", None),
        )
        for number, c in enumerate(categories, start=1)
    ])

    revenue = list(RevenueLine.objects.filter(report=report).order_by("table", "order", "id"))
    amounts = {m.month: m.amount for m in MonthlyExpenditure.objects.filter(report=report)}
    months = [
        MonthRow(month=d, label=formats.date_format(d, "YEAR_MONTH_FORMAT"), amount=amounts.get(i))
        for i, d in enumerate(calc.period_months(report.period.start), start=1)
    ]
    narratives = {n.section: n.text for n in ResourceNarrative.objects.filter(report=report)}

    by_unit = unit_resource_table_for_report(report=report, gross=table.gross)
    other_revenue = RevenueTable([r for r in revenue if r.table == RevenueLine.Table.OTHER_REVENUE])
    incumbency = incumbency_rows(report=report)
    gross = table.gross
    return ResourcePerformance(
        report=report,
        financial=table,
        variance_entries=[VarianceEntry(row=r, explanation=_explanation(r)) for r in table.analysed],
        redeployment=redeployment,
        redeployment_paragraphs=paragraphs(narratives.get(ResourceNarrative.Section.REDEPLOYMENT, "")),
        months=months,
        chart=calc.bar_chart([m.amount for m in months], [formats.date_format(m.month, "M") for m in months]),
        monthly_paragraphs=paragraphs(narratives.get(ResourceNarrative.Section.MONTHLY_PATTERN, "")),
        other_revenue=other_revenue,
        non_budgeted=RevenueTable([r for r in revenue if r.table == RevenueLine.Table.NON_BUDGETED]),
        incumbency=incumbency,
        show_budgeted_vacancy_rate=report.report_type.is_headquarters
        or any(r.item and r.item.budgeted_vacancy_rate is not None for g in incumbency for r in [g, *g.children]),
        ga=GaActions(
            # The unencumbered balance is the gross variance: appropriated and not spent.
            unencumbered_balance=gross.variance if gross else None,
            other_revenue=other_revenue.total,
            other_revenue_parts=[(line.name, format_dollars(line.amount)) for line in other_revenue.lines if line.amount],
        ),
        by_unit=by_unit,
    )


def unit_resource_table_for_report(*, report: Report, gross: calc.FinancialRow | None = None) -> calc.UnitResourceTable:
    """Resources by department/office (or component): one query, the units joined to their lines."""
    lines = list(
        UnitResourceLine.objects.filter(report=report).select_related("unit").order_by("unit__order", "unit_id")
    )
    units = []
    for line in lines:
        unit = line.unit
        unit.name = f"{unit.number}. {unit.title}"  # how the table prints the row (as the framework's headings)
        units.append(unit)
    return calc.unit_resource_table(
        units=units, amounts={line.unit_id: (line.apportionment, line.expenditure) for line in lines},
        gross=gross, lines={line.unit_id: line for line in lines},
    )


def unit_resource_lines_for_editing(*, report: Report) -> QuerySet[UnitResourceLine]:
    return UnitResourceLine.objects.filter(report=report).select_related("unit").order_by("unit__order", "unit_id")


def category_number(number: int) -> str:
    """`一.` in Chinese, `I.` in English: how the redeployment table numbers its groups."""
    from django.utils.translation import get_language

    if (get_language() or "en").lower().startswith("zh"):
        digits = "一二三四五六七八九十"
        return f"{digits[number - 1]}." if number <= 10 else f"{number}."
    numerals = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
    return f"{numerals[number - 1]}." if number <= 10 else f"{number}."


def incumbency_rows(*, report: Report) -> list[IncumbencyRow]:
    """The human resources table as a tree (groups hold their categories): two queries, the
    categories with this report's incumbency joined in, then the incumbency's months."""
    categories = list(
        StaffCategory.objects.for_report(report)
        .annotate(report_item=FilteredRelation("incumbency", condition=Q(incumbency__report=report)))
        .select_related("report_item")
        .order_by("order", "id")
    )
    items = [c.report_item for c in categories if getattr(c, "report_item", None) is not None]
    prefetch_related_objects(items, Prefetch("months", queryset=StaffIncumbencyMonth.objects.order_by("month")))
    top: list[IncumbencyRow] = []
    groups: dict[int, IncumbencyRow] = {}
    for category in categories:
        item = getattr(category, "report_item", None)
        if item is not None:
            StaffIncumbency.category.field.set_cached_value(item, category)
        row = IncumbencyRow(category=category, item=item)
        if category.parent_id and category.parent_id in groups:
            groups[category.parent_id].children.append(row)
            continue
        if category.kind == StaffCategory.Kind.GROUP:
            groups[category.id] = row
        top.append(row)
    return top


# --- rows for the entry forms ------------------------------------------------------------------


def financial_lines_for_editing(*, report: Report) -> QuerySet[FinancialLine]:
    return (
        FinancialLine.objects.filter(report=report, financial_class__kind__in=FinancialClass.ENTERED_KINDS)
        .select_related("financial_class", "financial_class__parent")
        .order_by("financial_class__order", "financial_class_id")
    )


def financial_line_get(*, report: Report, pk: int) -> FinancialLine:
    """A line of this report (404 otherwise), with its class and explanation."""
    line = (
        FinancialLine.objects.filter(report=report, pk=pk)
        .select_related("financial_class", "explanation")
        .first()
    )
    if line is None:
        raise Http404("No such line.")
    return line


def redeployments_for_editing(*, report: Report) -> QuerySet[Redeployment]:
    return Redeployment.objects.filter(report=report).select_related("category").order_by("category__order", "category_id")


def revenue_lines_for_editing(*, report: Report) -> QuerySet[RevenueLine]:
    return RevenueLine.objects.filter(report=report).order_by("table", "order", "id")


def monthly_expenditure_for_editing(*, report: Report) -> QuerySet[MonthlyExpenditure]:
    return MonthlyExpenditure.objects.filter(report=report).order_by("month")


def incumbency_for_editing(*, report: Report) -> QuerySet[StaffIncumbency]:
    return (
        StaffIncumbency.objects.filter(report=report)
        .select_related("category", "category__parent")
        .prefetch_related(Prefetch("months", queryset=StaffIncumbencyMonth.objects.order_by("month")))
        .order_by("category__order", "category_id")
    )


def incumbency_get(*, report: Report, pk: int) -> StaffIncumbency:
    row = incumbency_for_editing(report=report).filter(pk=pk).first()
    if row is None:
        raise Http404("No such category.")
    return row


def narrative_get(*, report: Report, section: str) -> ResourceNarrative:
    narrative = ResourceNarrative.objects.filter(report=report, section=section).first()
    if narrative is None:
        raise Http404("No such section.")
    return narrative
