"""Pages: download the workbook, upload it back, see the preview, choose for conflicts, confirm."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from missions.models import BudgetPeriod, Membership, Mission, ReportType
from missions.selectors import access_for_user, access_may_enter_data, report_get_for_user
from rbb.exceptions import DomainError, NotPermitted

from .build import workbook_build
from .selectors import workbook_includes_resources, workbook_upload_get
from .template import template_build, template_import
from .services import MAX_WORKBOOK_BYTES, ChoiceRequired, WorkbookInvalid, workbook_confirm, workbook_preview

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LANGUAGES = (("en", "English"), ("zh-hans", "中文"))


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Filled workbook (XLSX)"))

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_WORKBOOK_BYTES:
            raise forms.ValidationError(_("The file is too large."), code="too_large")
        return file


def workbook_language(request: HttpRequest) -> str:
    """The language asked for (?lang=en|zh-hans), else the page's."""
    asked = request.GET.get("lang", "")
    if asked in dict(LANGUAGES):
        return asked
    return "zh-hans" if (get_language() or "en").startswith("zh") else "en"


def workbook_filename(report, lang: str) -> str:
    from rbb.api.formats import label_slug

    return f"workbook-{report.mission.code}-{label_slug(report.period.label)}-{lang}.xlsx"


def workbook_response(request: HttpRequest, report) -> HttpResponse:
    lang = workbook_language(request)
    content = workbook_build(
        report=report, lang=lang, user=request.user,
        include_resources=workbook_includes_resources(user=request.user, report=report),
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{workbook_filename(report, lang)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def workbook_download(request: HttpRequest, report_id: int) -> HttpResponse:
    report = report_get_for_user(user=request.user, pk=report_id)
    return workbook_response(request, report)


@login_required
@require_http_methods(["GET", "POST"])
def workbook_page(request: HttpRequest, report_id: int) -> HttpResponse:
    """Download the workbook; upload it back (the preview follows)."""
    report = report_get_for_user(user=request.user, pk=report_id)
    may_upload = not report.is_locked and access_may_enter_data(access_for_user(request.user), mission_id=report.mission_id)
    form, problems, error, status = UploadForm(), [], "", 200
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                pending = workbook_preview(report=report, content=upload.read(), filename=upload.name, by=request.user)
            except NotPermitted:
                raise PermissionDenied
            except WorkbookInvalid as exc:
                problems, error, status = exc.problems, exc.message, 422
            except DomainError as exc:
                error, status = exc.message, exc.http_status
            else:
                return redirect("workbook:preview", report.pk, pending.pk)
        else:
            status = 422
    context = {"report": report, "form": form, "problems": problems, "error": error, "may_upload": may_upload,
               "workbook_languages": LANGUAGES, "workbook_language": workbook_language(request)}
    return render(request, "workbook/page.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def workbook_preview_page(request: HttpRequest, report_id: int, upload_id) -> HttpResponse:
    """What the upload would change, item by item; conflicts with both values and a choice; confirm."""
    report = report_get_for_user(user=request.user, pk=report_id)
    upload = workbook_upload_get(report=report, pk=upload_id, owner=request.user)
    error, status, chosen = "", 200, {}
    if request.method == "POST":
        chosen = {c["key"]: request.POST.get(f"choice-{c['key']}", "") for c in upload.conflicts}
        try:
            applied = workbook_confirm(upload=upload, choices=chosen, by=request.user)
        except NotPermitted:
            raise PermissionDenied
        except ChoiceRequired as exc:
            error, status = exc.message, exc.http_status
        except DomainError as exc:
            error, status = exc.message, exc.http_status
        else:
            messages.success(request, _("The workbook was applied: %(count)d items changed.") % {"count": applied})
            return redirect("workflow:report-home", report.pk)
    for change in upload.changes:
        change["choice"] = chosen.get(change["key"], "")
    context = {"report": report, "upload": upload, "error": error}
    return render(request, "workbook/preview.html", context, status=status)


class TemplateForm(forms.Form):
    entity = forms.ModelChoiceField(label=_("Budget entity"), queryset=Mission.objects.order_by("code"), to_field_name="code")
    period = forms.ModelChoiceField(label=_("Period"), queryset=BudgetPeriod.objects.order_by("-start"), to_field_name="label")
    report_type = forms.ModelChoiceField(label=_("Report type"), queryset=ReportType.objects.order_by("code"), to_field_name="code")
    lang = forms.ChoiceField(label=_("Language of the labels"), choices=LANGUAGES, initial="en")


def _budget_admin(request: HttpRequest) -> None:
    access = access_for_user(request.user)
    if not (access.is_superuser or Membership.Role.BUDGET_ADMIN in access.roles_everywhere):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def template_page(request: HttpRequest) -> HttpResponse:
    """Budget administrators: an empty framework template to download, and the filled one to upload."""
    _budget_admin(request)
    choose = TemplateForm(request.GET or None)
    if request.method == "GET" and request.GET.get("download") and choose.is_valid():
        data = choose.cleaned_data
        content = template_build(entity=data["entity"], period=data["period"], report_type=data["report_type"], lang=data["lang"])
        response = HttpResponse(content, content_type=XLSX)
        from rbb.api.formats import label_slug

        name = f"framework-template-{data['entity'].code}-{label_slug(data['period'].label)}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    form, problems, error, status = UploadForm(), [], "", 200
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                report = template_import(content=form.cleaned_data["file"].read(), by=request.user)
            except WorkbookInvalid as exc:
                problems, error, status = exc.problems, exc.message, 422
            except DomainError as exc:
                error, status = exc.message, exc.http_status
            else:
                messages.success(request, _("The framework of %(report)s was created.") % {"report": report})
                return redirect("workflow:report-home", report.pk)
        else:
            status = 422
    context = {"choose": choose if request.GET else TemplateForm(), "form": form, "problems": problems, "error": error}
    return render(request, "workbook/template.html", context, status=status)
