"""Bulk NDJSON export throughput and memory, beside the same rows read with raw psycopg.

Each measurement runs in a fresh process (`manage.py bench --probe …`), so its peak resident
memory is its own: the probe warms up, resets the kernel's high-water mark, records the RSS,
streams the export to the end and reads the high-water mark again. The growth is what the
export itself needed.

The raw baseline reads the same items (indicators with their figures, then outputs, with
mission, period, unit and accomplishment) through one server-side psycopg cursor per table and
writes each as json.dumps: the floor for "rows out of PostgreSQL as JSON lines". The Django
export does more per row (the explanation rules, the delivery ratio), which the ratio shows.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from indicators.models import ExpectedAccomplishment, Indicator, IndicatorFigure, Output
from missions.models import BudgetPeriod, Mission, Report, ReportType, Unit

from .measure import count_queries, peak_rss_mb, reset_peak_rss, rss_mb

ROOT = Path(__file__).resolve().parents[2]
ITEMS_PER_SECOND_TARGET = 50_000
RSS_GROWTH_TARGET_MB = 100
RAW_RATIO_TARGET = 2.5


@dataclass
class ProbeResult:
    kind: str  # "django" or "raw"
    items: int
    bytes: int
    seconds: float
    rss_mb: float
    peak_growth_mb: float
    queries: int = 0

    @property
    def items_per_second(self) -> float:
        return self.items / self.seconds if self.seconds else 0.0


# --- in the probe process ------------------------------------------------------------------------


def probe_django(*, period: str, username: str) -> ProbeResult:
    """Stream GET /api/v1/export/?period=… through the whole stack, as an HQ reviewer."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    url = reverse("api:export") + f"?period={period}"
    _stream(client, url, limit=200)  # warm-up: imports, first queries, connection
    return _measured("django", lambda: _stream(client, url))


def _stream(client: Client, url: str, *, limit: int | None = None) -> tuple[int, int]:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    items = size = 0
    for chunk in response.streaming_content:
        items += chunk.count(b"\n")
        size += len(chunk)
        if limit and items >= limit:
            break
    response.close()
    return items, size


def probe_raw(*, period: str) -> ProbeResult:
    _raw_rows(period, limit=200)
    return _measured("raw", lambda: _raw_rows(period))


def _measured(kind: str, work) -> ProbeResult:
    reset_peak_rss()
    before = rss_mb()
    with count_queries() as counter:
        started = time.perf_counter()
        items, size = work()
        seconds = time.perf_counter() - started
    return ProbeResult(kind, items, size, seconds, before, peak_rss_mb() - before, counter.count)


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _raw_sql(kind: str) -> str:
    place = """
        m.code AS mission, p.label AS period, r.id AS report_id, rt.code AS report_type, r.status AS report_status,
        u.number AS unit_number, u.title AS unit_title, ea.number AS accomplishment_number, ea.text AS accomplishment_text
    """
    joins = f"""
        JOIN {_t(ExpectedAccomplishment)} ea ON ea.id = i.accomplishment_id
        JOIN {_t(Unit)} u ON u.id = ea.unit_id
        JOIN {_t(Report)} r ON r.id = u.report_id
        JOIN {_t(Mission)} m ON m.id = r.mission_id
        JOIN {_t(BudgetPeriod)} p ON p.id = r.period_id
        JOIN {_t(ReportType)} rt ON rt.id = r.report_type_id
    """
    order = 'ORDER BY m.code, r.id, u."order", u.id, ea."order", ea.id, i."order", i.id'
    if kind == "indicator":
        return f"""
            SELECT 'indicator' AS item_type, i.id, {place}, i.number, '' AS heading, i.statement AS text, i.measure,
                   i.unit_hint, i.direction, fig.figures, i.actual, i.actual_value, i.actual_narrative,
                   i.variance_explanation, i.version, i.updated_at
            FROM {_t(Indicator)} i {joins}
            LEFT JOIN LATERAL (
                SELECT json_agg(json_build_object('kind', f.kind, 'period', f.period_label, 'printed', f.printed,
                                                  'value', f.value::text, 'not_applicable', f.not_applicable)
                                ORDER BY f."order", f.id) AS figures
                FROM {_t(IndicatorFigure)} f WHERE f.indicator_id = i.id
            ) fig ON true
            WHERE p.label = %s {order}
        """
    return f"""
        SELECT 'output' AS item_type, i.id, {place}, i.number, i.heading, i.planned_text AS text, i.planned_quantity,
               i.planned_value, i.completed_kind, i.completed, i.completed_value, i.remarks, i.version, i.updated_at
        FROM {_t(Output)} i {joins}
        WHERE p.label = %s {order}
    """


def _jsonable(value):
    """json.dumps calls this only for what JSON lacks: decimals as strings (like the API), dates."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _raw_rows(period: str, *, limit: int | None = None) -> tuple[int, int]:
    """Read the period's items with psycopg (its own connection) and write them as JSON lines."""
    import psycopg

    db = settings.DATABASES["default"]
    items = size = 0
    with psycopg.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"] or None, port=db["PORT"] or None, password=db["PASSWORD"] or None
    ) as conn:
        for kind in ("indicator", "output"):
            with conn.cursor(name=f"export_{kind}") as cursor:
                cursor.itersize = 2000
                cursor.execute(_raw_sql(kind), [period])
                columns = None
                for row in cursor:
                    if columns is None:
                        columns = [c.name for c in cursor.description]
                    line = json.dumps(dict(zip(columns, row)), ensure_ascii=False, separators=(",", ":"), default=_jsonable)
                    size += len((line + "\n").encode("utf-8"))
                    items += 1
                    if limit and items >= limit:
                        return items, size
    return items, size


# --- in the benchmark process --------------------------------------------------------------------


def probe_in_subprocess(*, kind: str, period: str, username: str) -> ProbeResult:
    env = {**os.environ}
    command = [sys.executable, str(ROOT / "manage.py"), "bench", "--probe", kind, "--period", period, "--user", username]
    completed = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    if completed.returncode != 0:
        raise RuntimeError(f"probe {kind} failed:\n{completed.stderr[-3000:]}")
    data = json.loads(completed.stdout.strip().splitlines()[-1])
    return ProbeResult(**data)


@dataclass
class ExportResult:
    scale: int
    period: str
    items: int
    django: ProbeResult
    raw: ProbeResult

    @property
    def ratio(self) -> float:
        return self.django.seconds / self.raw.seconds if self.raw.seconds else 0.0


def export_measure(*, scale: int, period: str, username: str, runs: int = 3) -> ExportResult:
    """Median (by time) of `runs` Django and raw probes, alternating so load drifts hit both."""
    django_runs, raw_runs = [], []
    for _ in range(runs):
        django_runs.append(probe_in_subprocess(kind="django", period=period, username=username))
        raw_runs.append(probe_in_subprocess(kind="raw", period=period, username=username))
    django_runs.sort(key=lambda r: r.seconds)
    raw_runs.sort(key=lambda r: r.seconds)
    middle = runs // 2
    best = django_runs[middle]
    # Memory: the worst run counts.
    best.peak_growth_mb = max(r.peak_growth_mb for r in django_runs)
    return ExportResult(scale, period, best.items, best, raw_runs[middle])
