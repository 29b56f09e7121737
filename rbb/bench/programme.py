"""The programme plan (DPPA 2024 from the demo): its narrative build and the largest subprogramme's entry page."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from missions.models import Report

from .documents import documents_measure
from .pages import measure_get


def programme_measure(*, runs: int, entity: str = "DPPA", period: str = "2024") -> dict | str:
    """Documents (DOCX, XLSX, PDF) of the plan and its largest subprogramme's entry page for its approver."""
    from rbb.programme.selectors import subprogramme_summaries

    report = Report.objects.select_related("mission", "period", "report_type").filter(
        mission__code=entity, period__label=period, report_type__shape="programme-plan"
    ).first()
    if report is None:
        return f"no programme plan {entity} {period} (run manage.py seed_demo)"
    largest = max(subprogramme_summaries(report=report), key=lambda sp: sp.deliverable_count)
    approver = report.mission.memberships.filter(role="approver").select_related("user").first()
    client = Client()
    if approver is not None:
        client.force_login(approver.user)
    queries, median_ms, status = measure_get(client, reverse("programme:subprogramme", args=[report.pk, largest.number]), runs=runs)
    documents = documents_measure([report], runs=max(1, runs // 5))
    return {
        "report": f"{report.mission.code} {report.period.label}",
        "entry": {
            "subprogramme": largest.number, "deliverables": largest.deliverable_count,
            "queries": queries, "median_ms": median_ms, "status": status,
        },
        "documents": documents if isinstance(documents, str) else [vars(d) for d in documents],
    }


def programme_rows(data) -> list[str]:
    if not data or isinstance(data, str):
        return [f"Programme plan: {data or 'not measured'}."]
    entry = data["entry"]
    lines = [
        f"Entry page of subprogramme {entry['subprogramme']} ({entry['deliverables']} deliverables), the largest of {data['report']}: "
        f"{entry['median_ms']:.0f} ms median, {entry['queries']} queries, HTTP {entry['status']}.",
        "",
        "| Format | Build tables (ms) | Render (ms) | Total (s) | Queries | Size (KB) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    docs = data["documents"]
    if isinstance(docs, str):
        return lines[:1] + [f"Narrative documents: {docs}."]
    for d in docs:
        lines.append(
            f"| {d['format'].upper()} | {d['build_ms']:.0f} | {d['render_ms']:.0f} | {(d['build_ms'] + d['render_ms']) / 1000:.2f} | "
            f"{d['queries']} | {d['size_kb']:.0f} |"
        )
    return lines
