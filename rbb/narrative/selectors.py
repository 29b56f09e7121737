"""Reads for the narrative tables and their exports, scoped like every other read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404

from indicators.selectors import framework_units
from missions.models import Report
from missions.selectors import report_list_for_user
from rbb.models import ExportJob

from . import resource_tables


@dataclass
class NarrativeSources:
    """Everything the tables print, loaded once with a bounded number of queries."""

    units: list
    resources: Any  # rbb.narrative.resource_tables.ReportResources, or None without figures


def narrative_sources(*, report: Report) -> NarrativeSources:
    """Load the report's framework (five queries) and its resource figures."""
    return NarrativeSources(
        units=list(framework_units(report=report)),
        resources=resource_tables.resources_load(report=report),
    )


def export_job_get_for_user(*, user, pk: int) -> ExportJob:
    """Return an export of a report the user may see, or raise Http404 (as for a missing one)."""
    try:
        return (
            ExportJob.objects.select_related("report__mission", "report__period", "report__report_type", "requester")
            .filter(report__in=report_list_for_user(user=user))
            .get(pk=pk)
        )
    except (ExportJob.DoesNotExist, ValueError, TypeError):
        raise Http404("No such export.") from None


RECENT_EXPORTS = 10


def export_job_list_for_report(*, report: Report, limit: int = RECENT_EXPORTS):
    """The report's latest exports, newest first, with who asked for them."""
    return ExportJob.objects.filter(report=report).select_related("requester").order_by("-created_at", "-id")[:limit]


def export_job_find_reusable(*, report: Report, file_format: str, language: str, content_hash: str) -> ExportJob | None:
    """A finished export of exactly this content, whose file is still stored."""
    for job in ExportJob.objects.filter(
        report=report, format=file_format, language=language, content_hash=content_hash, status=ExportJob.Status.DONE,
    ).exclude(file="").order_by("-finished_at", "-id")[:5]:
        if job.file.storage.exists(job.file.name):
            return job
    return None
