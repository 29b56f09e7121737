"""Narrative document generation time (DOCX, XLSX, PDF), as the export task does it.

Time = building the tables from the database (rbb.narrative.tables.document_build) + rendering
into memory; the median of `runs` after one warm-up. The atomic file write and the job row
the Celery task adds are milliseconds and left out.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from missions.models import Report

from .measure import count_queries, time_it

DOCX_TARGET_S = 3.0


@dataclass
class DocumentResult:
    report: str
    outputs: int
    format: str
    build_ms: float
    render_ms: float
    queries: int
    size_kb: float

    @property
    def total_s(self) -> float:
        return (self.build_ms + self.render_ms) / 1000


def documents_measure(reports: list[Report], *, formats=("docx", "xlsx", "pdf"), language: str = "zh-hans",
                      runs: int = 3) -> list[DocumentResult] | str:
    """Each report in each format; the reason as a string when the narrative module is not there."""
    try:
        from rbb.narrative.services import RENDERERS
        from rbb.narrative.tables import document_build
    except ImportError as exc:
        return f"not yet built ({exc})"
    results = []
    for report in reports:
        with count_queries() as counter:
            document = document_build(report=report, language=language)
        build = time_it(lambda: document_build(report=report, language=language), runs=runs)
        for file_format in formats:
            render = RENDERERS[file_format]
            buffer = io.BytesIO()
            render(document, buffer, progress=None)
            timing = time_it(lambda: render(document, io.BytesIO(), progress=None), runs=runs, warmup=0)
            results.append(DocumentResult(
                report=f"{report.mission.code} {report.period.label}", outputs=getattr(report, "outputs_count", 0),
                format=file_format, build_ms=build.median_ms, render_ms=timing.median_ms, queries=counter.count,
                size_kb=len(buffer.getvalue()) / 1024,
            ))
    return results
