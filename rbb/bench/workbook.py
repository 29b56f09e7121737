"""Offline workbook: build time of the largest report's workbook and preview time of its unchanged upload.

Targets (issue 15): the 623-output support-account workbook is built in ≤ 1.5 s and its
unchanged upload previewed in ≤ 2 s, each with a fixed number of queries. The preview runs in a
transaction rolled back afterwards, so the measurement leaves no pending upload behind; it acts
as an approver of the report's entity (created, and rolled back, for the measurement).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from missions.models import Membership, Report

from .measure import count_queries, time_it

BUILD_TARGET_S = 1.5
PREVIEW_TARGET_S = 2.0


@dataclass
class WorkbookResult:
    report: str
    outputs: int
    build_ms: float
    build_queries: int
    preview_ms: float
    preview_queries: int
    size_kb: float

    @property
    def build_ok(self) -> bool:
        return self.build_ms / 1000 <= BUILD_TARGET_S

    @property
    def preview_ok(self) -> bool:
        return self.preview_ms / 1000 <= PREVIEW_TARGET_S


def workbook_measure(report: Report, *, runs: int = 3) -> WorkbookResult:
    from rbb.workbook.build import workbook_build
    from rbb.workbook.services import workbook_preview

    with transaction.atomic():
        user, _created = get_user_model().objects.get_or_create(username="bench.workbook")
        Membership.objects.get_or_create(user=user, role=Membership.Role.APPROVER, mission=report.mission)

        def build():
            return workbook_build(report=report, lang="zh-hans", user=user, include_resources=True)

        with count_queries() as built:
            content = build()
        build_timing = time_it(build, runs=runs)
        with count_queries() as previewed:
            workbook_preview(report=report, content=content, by=user)
        preview_timing = time_it(lambda: workbook_preview(report=report, content=content, by=user), runs=runs)
        transaction.set_rollback(True)
    return WorkbookResult(
        report=f"{report.mission.code} {report.period.label}", outputs=getattr(report, "outputs_count", 0),
        build_ms=build_timing.median_ms, build_queries=built.count,
        preview_ms=preview_timing.median_ms, preview_queries=previewed.count, size_kb=len(content) / 1024,
    )


def workbook_rows(data: dict | None) -> list[str]:
    if not data:
        return ["Workbook: not measured."]
    ok = lambda flag: "✓" if flag else "✗"  # noqa: E731
    build_ok, preview_ok = data["build_ms"] / 1000 <= BUILD_TARGET_S, data["preview_ms"] / 1000 <= PREVIEW_TARGET_S
    return [
        "| Report | Build (ms) | Queries | Unchanged upload preview (ms) | Queries | Size (KB) | Targets |",
        "|---|---:|---:|---:|---:|---:|---|",
        f"| {data['report']} ({data['outputs']} outputs) | {data['build_ms']:.0f} | {data['build_queries']} | "
        f"{data['preview_ms']:.0f} | {data['preview_queries']} | {data['size_kb']:.0f} | "
        f"build ≤ {BUILD_TARGET_S} s {ok(build_ok)}, preview ≤ {PREVIEW_TARGET_S:.0f} s {ok(preview_ok)} |",
    ]
