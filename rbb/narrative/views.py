"""The narrative tables page, its exports and their downloads; every read is scoped to the user."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from missions.selectors import report_get_for_user
from rbb.exceptions import DomainError
from rbb.models import ExportJob

from .selectors import export_job_get_for_user, export_job_list_for_report
from .services import CONTENT_TYPES, export_job_create, export_job_retry
from .tables import document_build


def _language(value: str | None) -> str:
    """The tables' language: asked for, else the page's, else English."""
    if value in ExportJob.Language.values:
        return value
    current = (get_language() or "en").lower()
    return ExportJob.Language.ZH_HANS if current.startswith("zh") else ExportJob.Language.EN


@login_required
@require_GET
def report_narrative(request: HttpRequest, report_id: int) -> HttpResponse:
    """The report's narrative tables as they will print, with the exports of the report."""
    report = report_get_for_user(user=request.user, pk=report_id)
    language = _language(request.GET.get("lang"))
    document = document_build(report=report, language=language)
    return render(request, "rbb/narrative/report.html", {
        "report": report,
        "document": document,
        "language": language,
        "table_languages": ExportJob.Language.choices,
        "export_formats": ExportJob.Format.choices,
        "jobs": export_job_list_for_report(report=report),
    })


@login_required
@require_POST
def export_create(request: HttpRequest, report_id: int) -> HttpResponse:
    report = report_get_for_user(user=request.user, pk=report_id)
    language = _language(request.POST.get("lang"))
    try:
        job = export_job_create(
            report=report, requester=request.user, file_format=request.POST.get("format", ""), language=language,
        )
    except DomainError as exc:
        if request.htmx:
            return _htmx_error(request, exc)
        messages.error(request, exc.message)
        return redirect(_page_url(report.pk, language))
    if request.htmx:
        job.refresh_from_db()  # an eager task may already have finished it
        return render(request, "rbb/narrative/_job.html", {"job": job})
    return redirect(_page_url(report.pk, language))


def _htmx_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """The refusal as a line of the exports list: htmx swaps only successful answers in."""
    return render(request, "rbb/narrative/_error.html", {"message": exc.message, "code": exc.code})


def _page_url(report_id: int, language: str) -> str:
    return f"{reverse('narrative:report', args=[report_id])}?lang={language}"


@login_required
@require_GET
def export_status(request: HttpRequest, job_id: int) -> HttpResponse:
    """One export's progress: the partial htmx polls every second until the job is finished."""
    job = export_job_get_for_user(user=request.user, pk=job_id)
    template = "rbb/narrative/_job.html" if request.htmx else "rbb/narrative/job.html"
    return render(request, template, {"job": job, "report": job.report})


@login_required
@require_GET
def export_download(request: HttpRequest, job_id: int) -> FileResponse:
    """The finished file; a queued, running or failed job has none to give."""
    job = export_job_get_for_user(user=request.user, pk=job_id)
    if job.status != ExportJob.Status.DONE or not job.file or not job.file.storage.exists(job.file.name):
        raise Http404("This export has no file.")
    report = job.report
    filename = f"{report.mission.code}-{report.period.label.replace('/', '-')}-narrative-{job.language}.{job.format}"
    response = FileResponse(job.file.open("rb"), as_attachment=True, filename=filename)
    response["Content-Type"] = CONTENT_TYPES[job.format]
    return response


@login_required
@require_POST
def export_retry(request: HttpRequest, job_id: int) -> HttpResponse:
    job = export_job_get_for_user(user=request.user, pk=job_id)
    try:
        job = export_job_retry(job=job, by=request.user)
    except DomainError as exc:
        if request.htmx:
            return _htmx_error(request, exc)
        messages.error(request, exc.message)
    if request.htmx:
        job.refresh_from_db()
        return render(request, "rbb/narrative/_job.html", {"job": job})
    return redirect(_page_url(job.report_id, job.language))
