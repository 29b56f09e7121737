"""Pages of the framework editor (planning phase): the framework with its actions, one form per item.

Plain forms that post and redirect back (POST/redirect/GET), so everything works with the
keyboard and without JavaScript; with htmx (hx-boost) the same links and forms load in place.
Every save goes through indicators.framework_services, as the API's does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from missions.models import Membership, Report, Unit
from missions.selectors import access_for_user, report_get_for_user
from rbb.exceptions import DomainError, NotPermitted, StaleVersion

from . import framework_services as fs
from .editor_forms import AccomplishmentForm, DeleteForm, IndicatorPlanForm, MoveForm, OutputPlanForm, PlanningReportForm, UnitForm
from .forms import form_add_domain_error
from .models import ExpectedAccomplishment
from .presentation import annotate_framework
from .selectors import framework_units, indicator_get_for_report, output_get_for_report


def _unit_get(*, report: Report, pk: int) -> Unit:
    try:
        return Unit.objects.get(pk=pk, report=report)
    except (Unit.DoesNotExist, ValueError):
        raise Http404("No such unit.")


def _accomplishment_get(*, report: Report, pk: int) -> ExpectedAccomplishment:
    try:
        ea = ExpectedAccomplishment.objects.select_related("unit").get(pk=pk, unit__report=report)
    except (ExpectedAccomplishment.DoesNotExist, ValueError):
        raise Http404("No such expected accomplishment.")
    ea.unit.report = report
    return ea


@dataclass(frozen=True)
class Kind:
    """What the generic views need to know of one kind of framework item."""

    name: str  # unit | accomplishment | indicator | output
    label: str
    form: type
    get: Callable
    parent_get: Callable | None  # the parent a new item goes under (None: the report)
    create: Callable
    update: Callable
    move: Callable
    delete: Callable
    arg: str  # the services' keyword for the item

    def unit_of(self, item) -> Unit:
        if self.name == "unit":
            return item
        if self.name == "accomplishment":
            return item.unit
        return item.accomplishment.unit


KINDS = {
    "unit": Kind("unit", gettext_lazy("Unit"), UnitForm, _unit_get, _unit_get, fs.unit_create, fs.unit_update, fs.unit_move, fs.unit_delete, "unit"),
    "accomplishment": Kind("accomplishment", gettext_lazy("Expected accomplishment"), AccomplishmentForm, _accomplishment_get, _unit_get,
                           fs.accomplishment_create, fs.accomplishment_update, fs.accomplishment_move, fs.accomplishment_delete, "accomplishment"),
    "indicator": Kind("indicator", gettext_lazy("Indicator"), IndicatorPlanForm, indicator_get_for_report, _accomplishment_get,
                      fs.indicator_create, fs.indicator_plan_update, fs.indicator_move, fs.indicator_delete, "indicator"),
    "output": Kind("output", gettext_lazy("Output"), OutputPlanForm, output_get_for_report, _accomplishment_get,
                   fs.output_create, fs.output_plan_update, fs.output_move, fs.output_delete, "output"),
}


def _kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise Http404("No such kind of item.")


def _editor_url(report: Report, anchor: str = "") -> str:
    return reverse("indicators:editor", args=[report.pk]) + (f"#{anchor}" if anchor else "")


def _ensure_may_edit(user, report: Report, *, unit: Unit | None = None, whole: bool = False) -> None:
    if not fs.framework_may_edit(user, report=report, unit_number=unit.number if unit else None, whole=whole):
        raise PermissionDenied


def attach_quality_flags(report: Report, units) -> None:
    """Give every accomplishment, indicator and output `.quality_flags`: the design-time quality
    flags the editor shows beside it (each with `.message`).

    Hook for issue 14 §4: the rules module (indicators/quality.py) is written in parallel; until it
    is merged here, no item has a flag.
    """
    for unit in units:
        for ea in unit.accomplishments.all():
            ea.quality_flags = []
            for item in list(ea.indicators.all()) + list(ea.outputs.all()):
                item.quality_flags = []


@login_required
@require_GET
def framework_editor(request: HttpRequest, report_id: int) -> HttpResponse:
    """The whole framework with an edit, move and delete action per item and an add form per level."""
    report = report_get_for_user(user=request.user, pk=report_id)
    _ensure_may_edit(request.user, report)
    units = annotate_framework(framework_units(report=report, editors=False), report)
    attach_quality_flags(report, units)
    context = {
        "report": report,
        "units": units,
        "editable": report.planned_side_editable,
        "may_change_units": fs.framework_may_edit(request.user, report=report, whole=True),
        "headquarters": report.report_type.is_headquarters,
    }
    return render(request, "indicators/editor/framework.html", context)


def _form(kind: Kind, report: Report, *args, new: bool = False, **kwargs):
    if kind.name in ("unit", "indicator"):
        kwargs["headquarters"] = report.report_type.is_headquarters
    return kind.form(*args, new=new, **kwargs)


@login_required
@require_http_methods(["GET", "POST"])
def item_new(request: HttpRequest, report_id: int, kind: str) -> HttpResponse:
    """Add a unit (under the report, or a sub-unit under ?parent=), an accomplishment, an indicator or an output."""
    report = report_get_for_user(user=request.user, pk=report_id)
    spec = _kind(kind)
    parent_id = request.GET.get("parent") or request.POST.get("parent")
    parent = spec.parent_get(report=report, pk=parent_id) if parent_id else None
    if parent is None and kind != "unit":
        raise Http404("No parent given.")
    unit = parent if kind in ("unit", "accomplishment") else (parent.unit if parent else None)
    _ensure_may_edit(request.user, report, unit=unit if kind != "unit" else None, whole=kind == "unit")
    form = _form(spec, report, request.POST or None, new=True)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.service_kwargs()
            target = {"unit": {"report": report, "parent": parent}, "accomplishment": {"unit": parent}}.get(kind, {"accomplishment": parent})
            try:
                item = spec.create(by=request.user, **target, **data)
            except NotPermitted:
                raise PermissionDenied
            except DomainError as exc:
                form_add_domain_error(form, exc)
                status = exc.http_status
            else:
                messages.success(request, _("Added."))
                return redirect(_editor_url(report, f"{kind}-{item.pk}"))
        else:
            status = 422
    parent_text = next((getattr(parent, name) for name in ("title", "text") if getattr(parent, name, "")), "") if parent else ""
    context = {"report": report, "kind": spec, "form": form, "parent": parent, "parent_text": parent_text, "new": True,
               "editable": report.planned_side_editable}
    return render(request, "indicators/editor/item_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, report_id: int, kind: str, pk: int) -> HttpResponse:
    """Change one item's planned side; a save from an old version shows the other person's values."""
    report = report_get_for_user(user=request.user, pk=report_id)
    spec = _kind(kind)
    item = spec.get(report=report, pk=pk)
    _ensure_may_edit(request.user, report, unit=spec.unit_of(item))
    conflict = None
    status = 200
    if request.method == "POST":
        form = _form(spec, report, request.POST)
        if form.is_valid():
            try:
                spec.update(by=request.user, **{spec.arg: item}, **form.service_kwargs())
            except NotPermitted:
                raise PermissionDenied
            except StaleVersion as exc:
                # The form shows their values now; what this person typed is listed to copy from.
                conflict = {"message": exc.message, "updated_by": exc.extra.get("updated_by", ""),
                            "typed": [(form[name].label, value) for name, value in form.cleaned_data.items() if name != "version"]}
                item = spec.get(report=report, pk=pk)
                form = _form(spec, report, initial=spec.form.initial_for(item))
                status = exc.http_status
            except DomainError as exc:
                form_add_domain_error(form, exc)
                status = exc.http_status
            else:
                messages.success(request, _("Saved."))
                return redirect(_editor_url(report, f"{kind}-{pk}"))
        else:
            status = 422
    else:
        form = _form(spec, report, initial=spec.form.initial_for(item))
    context = {"report": report, "kind": spec, "form": form, "item": item, "conflict": conflict, "editable": report.planned_side_editable}
    return render(request, "indicators/editor/item_form.html", context, status=status)


@login_required
@require_POST
def item_move(request: HttpRequest, report_id: int, kind: str, pk: int) -> HttpResponse:
    """Move an item to another place among its siblings (↑ / ↓); numbers follow."""
    report = report_get_for_user(user=request.user, pk=report_id)
    spec = _kind(kind)
    item = spec.get(report=report, pk=pk)
    _ensure_may_edit(request.user, report, unit=spec.unit_of(item), whole=kind == "unit")
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The item could not be moved."))
        return redirect(_editor_url(report, f"{kind}-{pk}"))
    try:
        spec.move(by=request.user, **{spec.arg: item}, **form.cleaned_data)
    except NotPermitted:
        raise PermissionDenied
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Moved."))
    return redirect(_editor_url(report, f"{kind}-{pk}"))


@login_required
@require_http_methods(["GET", "POST"])
def item_delete(request: HttpRequest, report_id: int, kind: str, pk: int) -> HttpResponse:
    """Delete an item; when it has a later-period descendant or entered data, a second step confirms."""
    report = report_get_for_user(user=request.user, pk=report_id)
    spec = _kind(kind)
    item = spec.get(report=report, pk=pk)
    _ensure_may_edit(request.user, report, unit=spec.unit_of(item), whole=kind == "unit")
    reasons, status = [], 200
    if request.method == "POST":
        form = DeleteForm(request.POST)
        confirm = form.is_valid() and form.cleaned_data["confirm"]
        try:
            spec.delete(by=request.user, **{spec.arg: item}, confirm=confirm)
        except NotPermitted:
            raise PermissionDenied
        except fs.ConfirmationRequired as exc:
            reasons, status = exc.extra["reasons"], exc.http_status
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(_editor_url(report))
        else:
            messages.success(request, _("Deleted."))
            return redirect(_editor_url(report))
    summary = next((getattr(item, name) for name in ("title", "text", "statement", "planned_text") if getattr(item, name, "")), "")
    context = {"report": report, "kind": spec, "item": item, "summary": summary, "reasons": reasons, "editable": report.planned_side_editable}
    return render(request, "indicators/editor/item_delete.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def planning_report_new(request: HttpRequest) -> HttpResponse:
    """Budget administrators: a new entity's (or period's) report in the planning phase, to be written from nothing."""
    if not access_for_user(request.user).has_role(0, Membership.Role.BUDGET_ADMIN):
        raise PermissionDenied
    form = PlanningReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                report = fs.planning_report_create(by=request.user, **form.cleaned_data)
            except NotPermitted:
                raise PermissionDenied
            except DomainError as exc:
                form_add_domain_error(form, exc)
                status = exc.http_status
            else:
                messages.success(request, _("The report was created in the planning phase. Its framework can now be written."))
                return redirect("indicators:editor", report.pk)
        else:
            status = 422
    return render(request, "indicators/editor/new_report.html", {"form": form}, status=status)
