"""Pages of the framework: the read-only document layout and data entry per expected accomplishment.

Each item saves on its own: with htmx the item's partial is swapped in place; without
JavaScript the same form posts and redirects back to the item's anchor. Both call one service.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from missions.content import LANGUAGE_NAMES, LANGUAGES
from missions.models import Report, Unit
from missions.selectors import access_for_user, access_may_enter_data, report_get_for_user
from rbb.exceptions import DomainError, NotPermitted, ReportLocked, StaleVersion

from .forms import IndicatorActualForm, VersionedForm, form_add_domain_error, output_form_class
from .models import ExpectedAccomplishment, Indicator, Output
from .presentation import (
    annotate_accomplishment,
    annotate_framework,
    annotate_indicator,
    annotate_output,
    annotate_unit_outputs,
)
from .selectors import (
    accomplishment_get_for_entry,
    accomplishment_list,
    framework_units,
    indicator_get_for_report,
    item_change_list,
    output_get_for_report,
    TRANSLATED_FIELDS,
    translation_gaps,
    unit_get_for_outputs,
    units_with_outputs,
)
from .series import attach_series, report_series
from .services import content_translation_record, indicator_actual_record, output_delivery_record


@login_required
@require_GET
def report_framework(request: HttpRequest, report_id: int) -> HttpResponse:
    """The report's results-based-budgeting framework, read-only, laid out as in the document."""
    report = report_get_for_user(user=request.user, pk=report_id)
    units = annotate_framework(framework_units(report=report), report)
    return render(request, "indicators/framework.html", {"report": report, "units": units})


@dataclass
class ItemPanel:
    """One indicator or output as the entry page shows it, with its form when the user may edit."""

    kind: str  # "indicator" or "output"
    item: Indicator | Output
    form: VersionedForm | None = None
    saved: bool = False
    notice: str = ""
    conflict: dict | None = None  # what the user typed when someone else saved first
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)  # accepted, but worth a second look (a fractional count)


def _prefix(kind: str, pk: int) -> str:
    return f"{kind}-{pk}"


def _may_edit(user, report: Report, unit) -> bool:
    # A proposal's actual side is not entered: its planned side is written in the framework editor.
    return not report.is_locked and not report.is_planning and access_may_enter_data(
        access_for_user(user), mission_id=report.mission_id, unit_number=unit.number
    )


def _panel(kind: str, item, report: Report, *, editable: bool, form=None, **extra) -> ItemPanel:
    headquarters = report.report_type.is_headquarters
    if kind == "indicator":
        annotate_indicator(item, report)
        if editable and form is None:
            form = IndicatorActualForm.for_item(item, prefix=_prefix(kind, item.pk))
    else:
        annotate_output(item, report)
        if editable and form is None:
            form = output_form_class(headquarters=headquarters).for_item(item, prefix=_prefix(kind, item.pk))
    return ItemPanel(kind, item, form if editable else None, **extra)


@login_required
@require_GET
def accomplishment_entry(request: HttpRequest, report_id: int, ea_id: int) -> HttpResponse:
    """Enter the actual side of one expected accomplishment's indicators and outputs."""
    report = report_get_for_user(user=request.user, pk=report_id)
    ea = accomplishment_get_for_entry(report=report, pk=ea_id)
    return _render_entry(request, report, ea)


def _render_entry(request, report: Report, ea, *, replace: ItemPanel | None = None, status: int = 200) -> HttpResponse:
    editable = _may_edit(request.user, report, ea.unit)
    annotate_accomplishment(ea, report)
    # Each item's history across periods (three queries whatever the number of periods).
    series = report_series(report=report, accomplishment_id=ea.pk)
    attach_series(ea.indicators.all(), series, "indicator")
    attach_series(ea.outputs.all(), series, "output")

    def panel(kind, item):
        if replace is not None and replace.kind == kind and replace.item.pk == item.pk:
            return replace
        return _panel(kind, item, report, editable=editable)

    indicators = [panel("indicator", indicator) for indicator in ea.indicators.all()]
    groups = [
        {"heading": group["heading"], "path": group["path"], "panels": [panel("output", o) for o in group["outputs"]]}
        for group in ea.output_groups
    ]
    nav = list(accomplishment_list(report=report))
    position = next((i for i, other in enumerate(nav) if other.pk == ea.pk), 0)
    context = {
        "report": report,
        "ea": ea,
        "headquarters": report.report_type.is_headquarters,
        "indicator_panels": indicators,
        "output_groups": groups,
        "editable": editable,
        "batch_threads": True,  # the page loads every item's comment threads in one request
        "nav": nav,
        "previous": nav[position - 1] if position > 0 else None,
        "next": nav[position + 1] if position + 1 < len(nav) else None,
    }
    return render(request, "indicators/entry.html", context, status=status)


@login_required
@require_GET
def unit_outputs_entry(request: HttpRequest, report_id: int, unit_id: int) -> HttpResponse:
    """Enter the actual side of a unit's own outputs (headquarters: one outputs table per unit)."""
    report = report_get_for_user(user=request.user, pk=report_id)
    unit = unit_get_for_outputs(report=report, pk=unit_id)
    return _render_unit_outputs(request, report, unit)


def _render_unit_outputs(request, report: Report, unit, *, replace: ItemPanel | None = None, status: int = 200) -> HttpResponse:
    editable = _may_edit(request.user, report, unit)
    annotate_unit_outputs(unit, report)

    def panel(item):
        if replace is not None and replace.kind == "output" and replace.item.pk == item.pk:
            return replace
        return _panel("output", item, report, editable=editable)

    groups = [
        {"heading": group["heading"], "path": group["path"], "panels": [panel(o) for o in group["outputs"]]}
        for group in unit.output_groups
    ]
    context = {
        "report": report,
        "unit": unit,
        "headquarters": report.report_type.is_headquarters,
        "output_groups": groups,
        "editable": editable,
        "nav": accomplishment_list(report=report),
        "output_units": units_with_outputs(report=report),
    }
    return render(request, "indicators/unit_outputs.html", context, status=status)


@login_required
@require_POST
def indicator_save(request: HttpRequest, report_id: int, pk: int) -> HttpResponse:
    report = report_get_for_user(user=request.user, pk=report_id)
    indicator = indicator_get_for_report(report=report, pk=pk)
    form = IndicatorActualForm(request.POST, indicator=indicator, prefix=_prefix("indicator", pk))
    return _save(request, report, "indicator", indicator, form, lambda data: indicator_actual_record(
        indicator=indicator, by=request.user, **data
    ))


@login_required
@require_POST
def output_save(request: HttpRequest, report_id: int, pk: int) -> HttpResponse:
    report = report_get_for_user(user=request.user, pk=report_id)
    output = output_get_for_report(report=report, pk=pk)
    form_class = output_form_class(headquarters=report.report_type.is_headquarters)
    form = form_class(request.POST, prefix=_prefix("output", pk))
    return _save(request, report, "output", output, form, lambda data: output_delivery_record(
        output=output, by=request.user, **data
    ))


_GETTERS = {"indicator": indicator_get_for_report, "output": output_get_for_report}


def _save(request, report: Report, kind: str, item, form: VersionedForm, record) -> HttpResponse:
    """Validate, call the service, and answer with the item (htmx) or the page (plain post)."""
    unit = item.unit if kind == "output" else item.accomplishment.unit
    if not access_may_enter_data(access_for_user(request.user), mission_id=report.mission_id, unit_number=unit.number):
        raise PermissionDenied
    status = 200
    if not form.is_valid():
        panel, status = _panel(kind, item, report, editable=True, form=form), 422
    else:
        try:
            record(form.cleaned_given())
        except NotPermitted:
            raise PermissionDenied
        except StaleVersion as exc:
            # Show the other person's values, with what this user typed beside them to copy from.
            current = _GETTERS[kind](report=report, pk=item.pk)
            typed = dict(form.cleaned_data)
            if "completed_kind" in typed:
                typed["completed_kind"] = Output.Completed(typed["completed_kind"]).label
            panel = _panel(kind, current, report, editable=True, notice=exc.message, conflict=typed)
            status = exc.http_status
        except ReportLocked as exc:
            panel, status = _panel(kind, item, report, editable=False, notice=exc.message), exc.http_status
        except DomainError as exc:
            form_add_domain_error(form, exc)
            panel, status = _panel(kind, item, report, editable=True, form=form), 422
        else:
            if not request.htmx:
                messages.success(request, _("Saved."))
                for warning in form.warnings:
                    messages.warning(request, warning)
                if item.accomplishment_id is None:
                    url = reverse("indicators:unit-outputs", args=[report.pk, item.unit_id])
                else:
                    url = reverse("indicators:entry", args=[report.pk, item.accomplishment_id])
                return redirect(f"{url}#{kind}-{item.pk}")
            panel = _panel(kind, item, report, editable=True, saved=True, warnings=form.warnings)
    if request.htmx:
        context = {"panel": panel, "report": report, "headquarters": report.report_type.is_headquarters}
        return render(request, f"indicators/partials/_{kind}.html", context, status=status)
    if item.accomplishment_id is None:
        unit = unit_get_for_outputs(report=report, pk=item.unit_id)
        return _render_unit_outputs(request, report, unit, replace=panel, status=status)
    ea = accomplishment_get_for_entry(report=report, pk=item.accomplishment_id)
    return _render_entry(request, report, ea, replace=panel, status=status)


@login_required
@require_GET
def item_preview(request: HttpRequest, report_id: int, pk: int, kind: str) -> HttpResponse:
    """Why the item would need an explanation with the value being typed (nothing is saved)."""
    report = report_get_for_user(user=request.user, pk=report_id)
    item = _GETTERS[kind](report=report, pk=pk)
    prefix = _prefix(kind, pk)
    errors = []
    try:
        if kind == "indicator":
            form = IndicatorActualForm(indicator=item, prefix=prefix)
            item.set_actual(form.fields["actual"].clean(request.GET.get(form.add_prefix("actual"), "")))
        else:
            form = output_form_class(headquarters=report.report_type.is_headquarters)(request.GET, prefix=prefix)
            form.is_valid()
            errors = form.errors.get("completed", [])
            if not errors and "completed_kind" in form.cleaned_data:
                item.set_completed(form.cleaned_data["completed_kind"], form.cleaned_data.get("completed", ""))
    except ValidationError as exc:
        errors = exc.messages
    panel = _panel(kind, item, report, editable=False, errors=list(errors))
    context = {"panel": panel, "report": report, "headquarters": report.report_type.is_headquarters, "preview": True}
    return render(request, "indicators/partials/_why.html", context)


@login_required
@require_GET
def item_history(request: HttpRequest, report_id: int, pk: int, kind: str) -> HttpResponse:
    """Who changed what in one item, and when: old → new per field."""
    report = report_get_for_user(user=request.user, pk=report_id)
    item = _GETTERS[kind](report=report, pk=pk)
    model = type(item)
    labels = {f.name: f.verbose_name for f in model._meta.fields}
    kinds = dict(Output.Completed.choices)
    changes = list(item_change_list(report=report, item_type=kind, item_id=pk))
    for change in changes:
        change.field_label = labels.get(change.field, change.field)
        if change.field == "completed_kind":
            change.old_value = kinds.get(change.old_value, change.old_value)
            change.new_value = kinds.get(change.new_value, change.new_value)
    context = {"report": report, "item": item, "kind": kind, "changes": changes}
    template = "indicators/partials/_history.html" if request.htmx else "indicators/history.html"
    return render(request, template, context)


# --- translation -----------------------------------------------------------------------------

_TRANSLATION_KINDS = {"unit", "accomplishment", "indicator", "output"}
TRANSLATION_KIND_LABELS = {
    "unit": gettext_lazy("Units (components)"),
    "accomplishment": gettext_lazy("Expected accomplishments"),
    "indicator": gettext_lazy("Indicators of achievement"),
    "output": gettext_lazy("Outputs"),
}


@login_required
def report_translation(request: HttpRequest, report_id: int) -> HttpResponse:
    """What is missing in each language, with counts, and a box to fill each (translators).

    Focal points (their units) and the approver fill; everyone else who sees the report reads.
    """
    report = report_get_for_user(user=request.user, pk=report_id)
    if request.method == "POST":
        return _translation_save(request, report)
    if request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    return _render_translation(request, report)


def _translation_filters(data, *, kind_key: str = "kind") -> dict:
    """The list's filters: a form posting one item names its own kind `kind`, the filter `kind_filter`."""
    missing = data.get("missing", "")
    kind = data.get(kind_key, "")
    return {
        "missing": missing if missing in LANGUAGES else "",
        "kind": kind if kind in _TRANSLATION_KINDS else "",
    }


def _render_translation(request, report: Report, *, failed: dict | None = None, status: int = 200) -> HttpResponse:
    summary = translation_gaps(report=report)
    filters = (
        _translation_filters(request.POST, kind_key="kind_filter") if request.method == "POST"
        else _translation_filters(request.GET)
    )
    access = access_for_user(request.user)
    gaps = [
        gap for gap in summary.gaps
        if (not filters["missing"] or gap.missing == filters["missing"]) and (not filters["kind"] or gap.kind == filters["kind"])
    ]
    for gap in gaps:
        gap.editable = not report.is_locked and access_may_enter_data(
            access, mission_id=report.mission_id, unit_number=gap.unit.number
        )
        gap.field_label = type(gap.item)._meta.get_field(gap.field).verbose_name
        gap.multiline = gap.field in ("narrative", "actual_narrative", "variance_explanation", "remarks", "statement", "planned_text", "text")
    rows = [
        {"kind": kind, "label": TRANSLATION_KIND_LABELS[kind], "counts": [(language, summary.counts[kind][language]) for language in LANGUAGES]}
        for kind in TRANSLATED_FIELDS
    ]
    context = {
        "report": report,
        "headquarters": report.report_type.is_headquarters,
        "rows": rows,
        "totals": [(language, summary.totals[language]) for language in LANGUAGES],
        "language_columns": [(language, LANGUAGE_NAMES[language]) for language in LANGUAGES],
        "gaps": gaps,
        "filters": filters,
        "failed": failed or {},
        "may_translate": any(gap.editable for gap in gaps),
    }
    return render(request, "indicators/translation.html", context, status=status)


def _translation_item(report: Report, kind: str, pk: int):
    """The item of this report, or 404 (another report's item does not exist here)."""
    if kind == "unit":
        return get_object_or_404(Unit, report=report, pk=pk)
    if kind == "accomplishment":
        return get_object_or_404(ExpectedAccomplishment.objects.select_related("unit"), unit__report=report, pk=pk)
    return _GETTERS[kind](report=report, pk=pk)


def _translation_save(request, report: Report) -> HttpResponse:
    data = request.POST
    kind, field, language = data.get("kind", ""), data.get("field", ""), data.get("language", "")
    if kind not in _TRANSLATION_KINDS or language not in LANGUAGES:
        return HttpResponse(_("Unknown item or language."), status=400)
    try:
        pk = int(data.get("pk", ""))
        version = int(data["version"]) if data.get("version") else None
    except ValueError:
        return HttpResponse(_("Unknown item or language."), status=400)
    item = _translation_item(report, kind, pk)
    text = data.get("text", "")
    dom_id = f"gap-{kind}-{pk}-{field}-{language}"
    try:
        content_translation_record(item=item, field=field, language=language, text=text, version=version, by=request.user)
    except NotPermitted:
        raise PermissionDenied
    except DomainError as exc:
        return _render_translation(
            request, report, failed={"dom_id": dom_id, "text": text, "error": exc.message}, status=exc.http_status,
        )
    messages.success(request, _("Translation saved."))
    query = urlencode({key: value for key, value in _translation_filters(data, kind_key="kind_filter").items() if value})
    url = reverse("indicators:translation", args=[report.pk])
    return redirect(f"{url}?{query}" if query else url)
