"""Pages for a report's resource performance: read the tables, enter figures, import expenditure.

Views fetch through selectors (another mission's report is a 404), bind a form, call one
service and turn its domain errors into form messages with a 4xx status.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from rbb.exceptions import DomainError, NotPermitted, StaleVersion

from . import resource_forms as forms
from . import resource_selectors as selectors
from . import services, unit_resources
from .models import FinancialClass, FinancialLine, Report, ResourceNarrative, RevenueLine
from .resources import explanation_opening, period_months
from .selectors import report_get_for_user


def _editable_report(request: HttpRequest, report_id: int) -> Report:
    try:
        return selectors.resources_report_get_for_editing(user=request.user, pk=report_id)
    except NotPermitted as exc:
        raise PermissionDenied(str(exc.message)) from exc


def _resources_url(report: Report, anchor: str = "") -> str:
    url = reverse("missions:resources", args=[report.pk])
    return f"{url}#{anchor}" if anchor else url


@login_required
def report_resources(request: HttpRequest, report_id: int) -> HttpResponse:
    """Sections III–V of the performance report, laid out as in A/76/525."""
    report = report_get_for_user(user=request.user, pk=report_id)
    return render(request, "missions/resources/page.html", {
        "report": report,
        "resources": selectors.resource_performance(report=report),
        "can_edit": selectors.resources_user_can_edit(user=request.user, report=report),
    })


# --- table forms ---------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _with_current_values(table_class, items, data, exc: StaleVersion):
    """Rebind the table showing the other person's values on the row they saved first."""
    data = data.copy()
    prefix = f"r{exc.extra['id']}"
    for name, value in exc.extra["current"].items():
        data[f"{prefix}-{name}"] = _text(value)
        data[f"initial-{prefix}-{name}"] = _text(value)
    data[f"{prefix}-version"] = str(exc.extra["version"])
    table = table_class(items, data)
    table.is_valid()
    form = table.form_for(exc.extra["id"])
    if form is not None:
        form.add_error(None, str(exc.message))
    table.add_error(exc.message)
    return table


def _table_edit(request, report, *, table_class, items, service, item_key, title, anchor, label, heading=None, intro=""):
    """Show and save one resource table of a report, all rows in one transaction."""
    if not report.is_locked:
        services.resources_prepare(report=report)
    rows = list(items(report=report))
    table = table_class(rows, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not table.is_valid():
            status = 400
        else:
            try:
                service(updates=table.updates(item_key), by=request.user)
            except StaleVersion as exc:
                table, status = _with_current_values(table_class, list(items(report=report)), request.POST, exc), 409
            except DomainError as exc:
                form = table.form_for(exc.extra.get("id"))
                if form is not None and exc.field in form.fields:
                    form.add_error(exc.field, str(exc.message))
                else:
                    table.add_error(exc.message)
                status = exc.http_status
            else:
                messages.success(request, _("Saved."))
                return redirect(_resources_url(report, anchor))
    lines, previous = [], None
    for item, form in table.rows:
        group = heading(item) if heading else None
        lines.append({"item": item, "form": form, "label": label(item), "heading": group if group != previous else None,
                      "indent": bool(group)})
        previous = group
    return render(request, "missions/resources/table_form.html", {
        "report": report, "table": table, "lines": lines, "title": title, "intro": intro,
        "back": _resources_url(report, anchor),
    }, status=status)


def _class_label(line) -> str:
    cls = line.financial_class
    return _("of which: %(name)s") % {"name": cls.name} if cls.kind == FinancialClass.Kind.MEMO else cls.name


@login_required
def financial_edit(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _editable_report(request, report_id)
    return _table_edit(
        request, report, table_class=forms.FinancialTableForm, items=selectors.financial_lines_for_editing,
        service=services.financial_lines_update, item_key="line", title=_("Financial resources"), anchor="financial",
        label=_class_label, heading=lambda line: line.financial_class.parent.name if line.financial_class.parent_id else None,
        intro=_("Thousands of United States dollars, one decimal. Leave empty or write — for nil. "
                "Subtotals, gross, net and total requirements are computed."),
    )


@login_required
def unit_resources_edit(request: HttpRequest, report_id: int) -> HttpResponse:
    """Resources by department/office (or component): apportionment and expenditure per unit."""
    report = _editable_report(request, report_id)
    return _table_edit(
        request, report, table_class=forms.FinancialTableForm, items=selectors.unit_resource_lines_for_editing,
        service=unit_resources.unit_resource_lines_update, item_key="line", title=_("Resources by department/office"),
        anchor="by-unit", label=lambda line: f"{line.unit.number}. {line.unit.title}",
        intro=_("Thousands of United States dollars, one decimal. The total should equal the gross requirements "
                "of the financial resources table."),
    )


@login_required
def redeployment_edit(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _editable_report(request, report_id)
    return _table_edit(
        request, report, table_class=forms.RedeploymentTableForm, items=selectors.redeployments_for_editing,
        service=services.redeployments_update, item_key="row", title=_("Redeployment across groups"), anchor="redeployment",
        label=lambda row: row.category.name,
        intro=_("Redeployment into a group is positive, out of it negative, e.g. (118.8). The revised distribution is computed."),
    )


@login_required
def revenue_edit(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _editable_report(request, report_id)
    return _table_edit(
        request, report, table_class=forms.RevenueTableForm, items=selectors.revenue_lines_for_editing,
        service=services.revenue_lines_update, item_key="line", title=_("Other revenue and non-budgeted contributions"),
        anchor="other-revenue", label=lambda line: line.name, heading=lambda line: str(RevenueLine.Table(line.table).label),
    )


@login_required
def monthly_edit(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _editable_report(request, report_id)
    months = period_months(report.period.start)
    return _table_edit(
        request, report, table_class=forms.MonthlyTableForm, items=selectors.monthly_expenditure_for_editing,
        service=services.monthly_expenditures_update, item_key="month", title=_("Monthly expenditure pattern"), anchor="monthly",
        label=lambda row: formats.date_format(months[row.month - 1], "YEAR_MONTH_FORMAT"),
    )


@login_required
def incumbency_edit(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _editable_report(request, report_id)
    return _table_edit(
        request, report, table_class=forms.IncumbencyTableForm, items=selectors.incumbency_for_editing,
        service=services.incumbency_rows_update, item_key="row", title=_("Human resources incumbency"), anchor="incumbency",
        label=lambda row: row.category.name, heading=lambda row: row.category.parent.name if row.category.parent_id else None,
        intro=_("The vacancy rate is computed from the authorized and actual average strength, or as the mean of the "
                "twelve monthly rates once they are entered, or entered directly with a note saying where it comes from."),
    )


# --- single items ----------------------------------------------------------------------------------


@login_required
def incumbency_months_edit(request: HttpRequest, report_id: int, row_id: int) -> HttpResponse:
    report = _editable_report(request, report_id)
    row = selectors.incumbency_get(report=report, pk=row_id)
    months = {m.month: m for m in row.months.all()}
    initial = {"version": row.version}
    for i in range(1, 13):
        initial[f"authorized_{i}"] = getattr(months.get(i), "authorized", None)
        initial[f"incumbent_{i}"] = getattr(months.get(i), "incumbent", None)
    form = forms.IncumbencyMonthsForm(request.POST or None, initial=initial, period_start=report.period.start)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.incumbency_months_update(row=row, months=form.months(), version=form.cleaned_data["version"], by=request.user)
            except StaleVersion as exc:
                data = request.POST.copy()
                for i, (a, n) in enumerate(exc.extra["current"]["months"], start=1):
                    data[f"authorized_{i}"], data[f"incumbent_{i}"] = _text(a), _text(n)
                data["version"] = str(exc.extra["version"])
                form = forms.IncumbencyMonthsForm(data, period_start=report.period.start)
                form.is_valid()
                form.add_error(None, str(exc.message))
                status = 409
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
                status = exc.http_status
            else:
                messages.success(request, _("Saved."))
                return redirect(_resources_url(report, "incumbency"))
    return render(request, "missions/resources/incumbency_months.html", {
        "report": report, "row": row, "form": form, "back": _resources_url(report, "incumbency"),
    }, status=status)


@login_required
def explanation_edit(request: HttpRequest, report_id: int, line_id: int) -> HttpResponse:
    """The variance-analysis entry of one class, pre-filled with the opening its sign calls for."""
    report = _editable_report(request, report_id)
    line = selectors.financial_line_get(report=report, pk=line_id)
    row = selectors.financial_table_for_report(report=report).row(line.financial_class.code)
    try:
        explanation = line.explanation
    except FinancialLine.explanation.RelatedObjectDoesNotExist:
        explanation = None
    if explanation is not None:
        initial = {"main": explanation.main, "offset": explanation.offset, "version": explanation.version}
    else:
        opening = explanation_opening(row.variance if row else None)
        initial = {"main": opening if opening.endswith("：") else f"{opening} ", "offset": "", "version": 0}
    form = forms.VarianceExplanationForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.variance_explanation_save(line=line, by=request.user, **form.cleaned_data)
            except StaleVersion as exc:
                current = exc.extra["current"]
                form = forms.VarianceExplanationForm(
                    {**request.POST.dict(), "main": current.get("main", ""), "offset": current.get("offset", ""),
                     "version": exc.extra["version"]},
                )
                form.is_valid()
                form.add_error(None, str(exc.message))
                status = 409
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
                status = exc.http_status
            else:
                messages.success(request, _("Saved."))
                return redirect(_resources_url(report, "variances"))
    return render(request, "missions/resources/explanation_form.html", {
        "report": report, "line": line, "row": row, "form": form, "back": _resources_url(report, "variances"),
    }, status=status)


@login_required
def narrative_edit(request: HttpRequest, report_id: int, section: str) -> HttpResponse:
    report = _editable_report(request, report_id)
    if section not in ResourceNarrative.Section.values:
        raise Http404("No such section.")
    if not report.is_locked:
        services.resources_prepare(report=report)
    narrative = selectors.narrative_get(report=report, section=section)
    form = forms.NarrativeForm(request.POST or None, initial={"text": narrative.text, "version": narrative.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.resource_narrative_update(narrative=narrative, text=form.cleaned_data["text"],
                                                   version=form.cleaned_data["version"], by=request.user)
            except StaleVersion as exc:
                form = forms.NarrativeForm({"text": exc.extra["current"]["text"], "version": exc.extra["version"]})
                form.is_valid()
                form.add_error(None, str(exc.message))
                status = 409
            except DomainError as exc:
                form.add_error(None, str(exc.message))
                status = exc.http_status
            else:
                messages.success(request, _("Saved."))
                anchor = "redeployment" if section == ResourceNarrative.Section.REDEPLOYMENT else "monthly"
                return redirect(_resources_url(report, anchor))
    return render(request, "missions/resources/narrative_form.html", {
        "report": report, "form": form, "title": narrative.get_section_display(), "back": _resources_url(report),
    }, status=status)


@login_required
def expenditure_import(request: HttpRequest, report_id: int) -> HttpResponse:
    """Upload expenditure per class from a CSV or XLSX file, all or nothing."""
    report = _editable_report(request, report_id)
    form = forms.ExpenditureImportForm(request.POST or None, request.FILES or None,
                                       initial={"by": "unit" if request.GET.get("by") == "unit" else "class"})
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            by_unit = form.cleaned_data.get("by") == "unit"
            service = unit_resources.unit_expenditure_import if by_unit else services.expenditure_import
            try:
                result = service(report=report, filename=upload.name, content=upload.read(), by=request.user)
            except services.ImportFailed as exc:
                errors = [str(e) for e in exc.extra.get("errors", [])]
                form.add_error("file", str(exc.message))
            except DomainError as exc:
                form.add_error("file", str(exc.message))
                status = exc.http_status
            else:
                messages.success(request, _("Imported %(rows)s rows; %(changed)s lines changed.") % {"rows": result.rows, "changed": result.changed})
                return redirect(_resources_url(report, "by-unit" if by_unit else "financial"))
    return render(request, "missions/resources/import.html", {
        "report": report, "form": form, "errors": errors, "back": _resources_url(report, "financial"),
    }, status=status)
