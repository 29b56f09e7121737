"""The budget administrator's class-list page: financial classes and staff categories of a
report type and period (add, rename, reorder, retire, group, memo lines not in totals)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rbb.exceptions import DomainError

from . import class_lists
from .models import BudgetPeriod, FinancialClass, Membership, ReportType, StaffCategory
from .selectors import access_for_user


class ClassForm(forms.Form):
    list = forms.ChoiceField(choices=[("financial", gettext_lazy("Financial class")), ("staff", gettext_lazy("Staff category"))])
    code = forms.SlugField(label=gettext_lazy("Code"), max_length=60)
    name_en = forms.CharField(label=gettext_lazy("Name (English)"), max_length=200)
    name_zh = forms.CharField(label=gettext_lazy("Name (Chinese)"), max_length=200, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=FinancialClass.Kind.choices + [
        (value, label) for value, label in StaffCategory.Kind.choices if value not in FinancialClass.Kind.values
    ], initial="line")
    parent = forms.CharField(label=gettext_lazy("Group (code)"), max_length=60, required=False)
    in_totals = forms.BooleanField(label=gettext_lazy("Added into totals"), required=False, initial=True)
    summary_lines = forms.BooleanField(label=gettext_lazy("Classes listed in the summary"), required=False)
    aliases = forms.CharField(label=gettext_lazy("Aliases (one per line)"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


def _ensure_admin(user) -> None:
    if not access_for_user(user).has_role(None, Membership.Role.BUDGET_ADMIN):
        raise PermissionDenied


def _choice(request: HttpRequest):
    types = list(ReportType.objects.order_by("code"))
    periods = list(BudgetPeriod.objects.order_by("-start"))
    data = request.POST if request.method == "POST" else request.GET
    report_type = next((t for t in types if t.code == data.get("type")), types[0] if types else None)
    period = next((p for p in periods if p.label == data.get("period")), periods[0] if periods else None)
    return types, periods, report_type, period


@login_required
def class_list_page(request: HttpRequest) -> HttpResponse:
    _ensure_admin(request.user)
    types, periods, report_type, period = _choice(request)
    status, form = 200, ClassForm()
    if request.method == "POST" and report_type and period:
        action = request.POST.get("action", "")
        try:
            if action == "copy":
                class_lists.class_list_copy(report_type=report_type, from_period=class_lists.previous_period(period), to_period=period)
                messages.success(request, _("The period now has its own list, copied from the previous period."))
            elif action in ("up", "down"):
                class_lists.class_move(kind=request.POST.get("list", "financial"), report_type=report_type, period=period,
                                       code=request.POST.get("code", ""), up=action == "up")
            elif action == "retire":
                class_lists.class_retire(kind=request.POST.get("list", "financial"), report_type=report_type, period=period,
                                         code=request.POST.get("code", ""))
                messages.success(request, _("Retired from this period's list."))
            elif action in ("add", "update"):
                form = ClassForm(request.POST)
                if form.is_valid():
                    data = form.cleaned_data
                    common = {"kind": data["list"], "report_type": report_type, "period": period, "code": data["code"],
                              "name_en": data["name_en"], "name_zh": data["name_zh"], "aliases": data["aliases"]}
                    if action == "add":
                        class_lists.class_add(**common, row_kind=data["kind"], parent_code=data["parent"], in_totals=data["in_totals"])
                    else:
                        class_lists.class_update(**common, parent_code=data["parent"], in_totals=data["in_totals"],
                                                 summary_lines=data["summary_lines"])
                    messages.success(request, _("Saved."))
                    form = ClassForm()
                else:
                    status = 422
            if status == 200:
                url = reverse("missions:class-lists")
                return redirect(f"{url}?type={report_type.code}&period={period.label}")
        except DomainError as exc:
            messages.error(request, str(exc.message))
            status = exc.http_status if exc.http_status >= 400 else 400
    financial = list(class_lists.class_list_financial(report_type=report_type, period=period)) if report_type and period else []
    staff = list(class_lists.class_list_staff(report_type=report_type, period=period)) if report_type and period else []
    codes = {row.pk: row.code for row in financial + staff}
    context = {
        "types": types, "periods": periods, "report_type": report_type, "period": period, "form": form,
        "financial": financial, "staff": staff, "codes": codes,
        "own": bool(financial) and financial[0].period_id == getattr(period, "pk", None),
        "previous": class_lists.previous_period(period) if period else None,
    }
    return render(request, "missions/class_lists.html", context, status=status)
