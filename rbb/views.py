"""Composition pages: the report home (progress, attention, workflow) and its workflow actions.

In a budget proposal's planning phase the home shows the design-time checks instead of the
entry progress; every report offers the roll-forward into the next period to who may do it.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from indicators.baselines import baselines_follow, baselines_refresh
from indicators.forms import form_add_domain_error
from indicators.framework_services import framework_may_edit
from indicators.models import Indicator
from indicators.presentation import annotate_framework, framework_progress
from indicators.quality import framework_quality
from indicators.selectors import framework_units
from missions.models import Membership, Report
from missions.periods import period_label_next
from missions.selectors import access_for_user, access_may_enter_data, report_events, report_get_for_user
from rbb.exceptions import DomainError, NotPermitted, SubmissionIncomplete

from .programme.presentation import programme_home
from .cycle.services import report_roll_forward, roll_forward_permitted
from .review.deadlines import report_due_date
from .review.selectors import review_rights
from .workflow import (
    report_accept,
    report_action_permitted,
    report_actions_for_user,
    report_performance_open,
    report_reopen,
    report_return,
    report_submit,
)

Role = Membership.Role


class SubmitForm(forms.Form):
    certify = forms.BooleanField(
        label=_("I certify that this report is complete and correct."),
        error_messages={"required": _("Tick the box to certify the report.")},
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should the mission change?"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
    )


class AcceptForm(forms.Form):
    pass


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the report reopened?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
    )


class OpenPerformanceForm(forms.Form):
    pass


class RollForwardForm(forms.Form):
    period = forms.CharField(
        label=_("New period"), max_length=20, help_text=_("For example 2021/22 (1 July – 30 June) or 2025 (calendar year)."),
    )


ACTIONS = {
    "submit": (SubmitForm, lambda report, by, data: report_submit(report=report, by=by), _("The report was submitted.")),
    "return": (ReturnForm, lambda report, by, data: report_return(report=report, by=by, comment=data["comment"]), _("The report was returned to the mission.")),
    "accept": (AcceptForm, lambda report, by, data: report_accept(report=report, by=by), _("The report was accepted.")),
    "reopen": (ReopenForm, lambda report, by, data: report_reopen(report=report, by=by, reason=data["reason"]), _("The report was reopened.")),
    "open_performance": (
        OpenPerformanceForm, lambda report, by, data: report_performance_open(report=report, by=by),
        _("The performance phase is open: the planned side is frozen and actuals can be entered."),
    ),
}
# What the buttons say in a proposal's planning phase, where they act on the planned side.
PLANNING_DONE = {
    "submit": _("The budget proposal was submitted."),
    "return": _("The budget proposal was returned to the mission."),
    "accept": _("The budget proposal was accepted; its planned side is frozen."),
}


@login_required
@require_GET
def report_home(request: HttpRequest, report_id: int) -> HttpResponse:
    """Where a report stands: progress per unit, what needs attention, the deadline and the workflow."""
    report = report_get_for_user(user=request.user, pk=report_id)
    return _render_home(request, report)


@login_required
@require_POST
def report_transition(request: HttpRequest, report_id: int, action: str) -> HttpResponse:
    """Submit, return, accept or reopen the report, through its workflow service."""
    report = report_get_for_user(user=request.user, pk=report_id)
    if not report_action_permitted(report=report, user=request.user, action=action):
        raise PermissionDenied
    form_class, service, done = ACTIONS[action]
    form = form_class(request.POST, prefix=action)
    if not form.is_valid():
        return _render_home(request, report, forms={action: form}, status=422)
    try:
        service(report, request.user, form.cleaned_data)
    except NotPermitted:
        raise PermissionDenied
    except SubmissionIncomplete as exc:
        return _render_home(request, report, blocking=exc.extra["items"], error=exc.message, status=exc.http_status)
    except DomainError as exc:
        form_add_domain_error(form, exc)
        return _render_home(request, report, forms={action: form}, error=exc.message, status=exc.http_status)
    messages.success(request, PLANNING_DONE.get(action, done) if report.is_planning and action != "open_performance" else done)
    return redirect("workflow:report-home", report.pk)


@login_required
@require_POST
def report_roll_forward_view(request: HttpRequest, report_id: int) -> HttpResponse:
    """Carry the report's framework into the next period's budget proposal (rbb.cycle)."""
    report = report_get_for_user(user=request.user, pk=report_id)
    if not roll_forward_permitted(report=report, user=request.user):
        raise PermissionDenied
    form = RollForwardForm(request.POST, prefix="roll")
    if not form.is_valid():
        return _render_home(request, report, roll_form=form, status=422)
    try:
        target = report_roll_forward(source=report, to_label=form.cleaned_data["period"], by=request.user)
    except NotPermitted:
        raise PermissionDenied
    except DomainError as exc:
        form_add_domain_error(form, exc)
        return _render_home(request, report, roll_form=form, error=exc.message, status=exc.http_status)
    messages.success(request, _("%(report)s was created from %(source)s: its budget proposal is a draft.") % {
        "report": target, "source": report,
    })
    return redirect("workflow:report-home", target.pk)


@login_required
@require_POST
def report_baselines_refresh_view(request: HttpRequest, report_id: int) -> HttpResponse:
    """Rewrite a draft proposal's machine-written baselines from their sources now."""
    report = report_get_for_user(user=request.user, pk=report_id)
    if not _may_refresh_baselines(request.user, report):
        raise PermissionDenied
    changed = baselines_refresh(report=report)
    messages.success(request, _("Baselines brought up to date: %(n)d changed.") % {"n": changed})
    return redirect("workflow:report-home", report.pk)


def _may_refresh_baselines(user, report: Report) -> bool:
    access = access_for_user(user)
    return baselines_follow(report) and (
        access_may_enter_data(access, mission_id=report.mission_id) or access.has_role(report.mission_id, Role.BUDGET_ADMIN)
    )


def _render_home(request, report: Report, *, forms=None, blocking=None, error="", status=200, roll_form=None) -> HttpResponse:
    if report.report_type.is_programme_plan:
        units, programme = [], programme_home(report=report)
    else:
        units, programme = annotate_framework(framework_units(report=report), report), None
    actions = report_actions_for_user(report=report, user=request.user)
    bound = forms or {}
    planning = report.is_planning
    may_roll = not planning and roll_forward_permitted(report=report, user=request.user)
    if may_roll and roll_form is None:
        try:
            next_label = period_label_next(report.period.label)
        except DomainError:
            next_label = ""
        roll_form = RollForwardForm(prefix="roll", initial={"period": next_label})
    attention = [
        {"ea": ea, "item": item, "kind": "indicator" if isinstance(item, Indicator) else "output"}
        for unit in units for ea in unit.accomplishments.all() for item in ea.attention
    ] + [{"ea": None, "item": item, "kind": "output"} for unit in units for item in unit.outputs_attention]
    # Without its own due date a report is due by the period's default (rbb.review.deadlines).
    due_date = report_due_date(report)
    days_left = (due_date - timezone.localdate()).days
    context = {
        "report": report,
        "units": units,
        "progress": programme["progress"] if programme else framework_progress(units),
        "programme": programme,
        "attention": attention,
        "events": report_events(report=report),
        "actions": actions,
        "forms": {action: bound.get(action) or ACTIONS[action][0](prefix=action) for action in actions},
        "workflow_forms": [
            (action, bound.get(action) or ACTIONS[action][0](prefix=action),
             reverse(f"workflow:report-{action.replace('_', '-')}", args=[report.pk]))
            for action in actions
        ],
        "planning": planning,
        # A proposal is judged by the design-time rules (indicators.quality), hard ones first.
        "quality": sorted(framework_quality(units, headquarters=report.report_type.is_headquarters), key=lambda f: not f.is_hard)
        if planning else [],
        "planned_frozen": report.planned_side_frozen,
        "roll_form": roll_form if may_roll else None,
        "may_refresh_baselines": planning and _may_refresh_baselines(request.user, report),
        "blocking": blocking,
        "error": error,
        "may_enter": not report.is_locked and not planning
        and access_may_enter_data(access_for_user(request.user), mission_id=report.mission_id),
        "due_date": due_date,
        "days_left": days_left,
        "days_overdue": max(-days_left, 0),
        "headquarters": report.report_type.is_headquarters,
        # Only links the user may open: viewers of every mission have no review to read.
        "may_review": review_rights(user=request.user, report=report).see,
        "may_edit_framework": report.is_planning and framework_may_edit(request.user, report=report),
    }
    return render(request, "rbb/report_home.html", context, status=status)
