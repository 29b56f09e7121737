"""The benchmark: run its phases, keep their results in a JSON state file, write docs/benchmarks.md.

`make bench` (bench.mk) runs, on PostgreSQL:

1. phase `scale1` on the scale-1 dataset: pages and API reads, narrative documents, the bulk
   export beside raw psycopg, the load test;
2. phase `scale10` after regenerating at scale 10: the bulk export again, and the reads whose
   size grows with the whole database (dashboard, API lists), whose query counts must not move;
3. `--write docs/benchmarks.md`: the tables, with the machine and the load average.

The section of docs/benchmarks.md that the benchmark does not write ("Findings and fixes",
written after profiling) is kept as it is.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import re
from pathlib import Path

from django.db import connection

from indicators.models import Indicator, Output
from missions.models import ChangeRecord, Report

from . import cycle, documents, export, load, pages, programme, workbook
from .dataset import SUPPORT_CODE, USER_PREFIX
from .measure import load as load_average
from .measure import machine

KEPT_SECTIONS = ("## Findings and fixes",)


def _asdict(value):
    if dataclasses.is_dataclass(value):
        return {k: _asdict(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, list):
        return [_asdict(v) for v in value]
    return value


def dataset_counts() -> dict:
    return {
        "reports": Report.objects.count(),
        "indicators": Indicator.objects.count(),
        "outputs": Output.objects.count(),
        "change records": ChangeRecord.objects.count(),
        "items in 2020/21": Indicator.objects.filter(accomplishment__unit__report__period__label="2020/21").count()
        + Output.objects.filter(unit__report__period__label="2020/21").count(),
    }


def phase_scale1(*, runs: int, load_seconds: int, users: int, workers: int, skip_load: bool = False, say=print) -> dict:
    state = {"machine": machine(), "started": datetime.datetime.now().isoformat(timespec="seconds"), "dataset": dataset_counts()}
    subjects = pages.subjects_find()
    say("pages and API reads …")
    state["pages"] = _asdict(pages.pages_measure(subjects, runs=runs))
    state["entry_page_load_requests"] = pages.entry_page_extra_requests(subjects)
    say("narrative documents …")
    reports = [subjects.small, subjects.large]
    docs = documents.documents_measure(reports, runs=max(1, runs // 5))
    state["documents"] = docs if isinstance(docs, str) else _asdict(docs)
    say("offline workbook …")
    state["workbook"] = _asdict(workbook.workbook_measure(subjects.large, runs=max(1, runs // 5)))
    say("programme plan …")
    state["programme"] = programme.programme_measure(runs=runs)
    say("roll-forward …")
    state["roll_forward"] = _asdict(cycle.roll_forward_measure([subjects.small, subjects.large], runs=max(3, runs // 3)))
    say("bulk export …")
    state["export_scale1"] = _export(scale=1, runs=3)
    if not skip_load:
        say(f"load test: {users} users, {load_seconds} s …")
        state["load"] = _asdict(load.load_run(users=users, seconds=load_seconds, workers=workers))
    state["load_average_end"] = load_average()
    return state


def phase_scale10(*, runs: int, say=print) -> dict:
    subjects = pages.subjects_find()
    state = {"dataset_scale10": dataset_counts(), "load_average_scale10": load_average()}
    say("dashboard and API reads at scale 10 …")
    from django.test import Client

    client = Client()
    client.force_login(subjects.hq)
    state["pages_scale10"] = _asdict(pages.dashboard_and_api_measure(subjects, client=client, runs=runs))
    say("bulk export at scale 10 …")
    state["export_scale10"] = _export(scale=10, runs=3)
    return state


def _export(*, scale: int, runs: int) -> dict:
    result = export.export_measure(scale=scale, period="2020/21", username=f"{USER_PREFIX}hq.reviewer", runs=runs)
    data = _asdict(result)
    data["ratio"] = result.ratio
    data["django"]["items_per_second"] = result.django.items_per_second
    data["raw"]["items_per_second"] = result.raw.items_per_second
    return data


def state_load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def state_save(path: Path, state: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(state, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


# --- the report --------------------------------------------------------------------------------


def _ms(value) -> str:
    return "—" if value is None else f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def _ok(flag) -> str:
    return "" if flag is None else ("✅" if flag else "❌")


def _page_rows(rows: list[dict]) -> list[str]:
    lines = [
        "| Page / read | Small instance | Queries | ms | Large instance | Queries | ms | Queries ≤ 15, same on both | Time target |",
        "|---|---|---:|---:|---|---:|---:|:---:|---|",
    ]
    for r in rows:
        if r["note"] == "not yet built":
            lines.append(f"| {r['name']} | | | | | | | | not yet built |")
            continue
        same = r["small_queries"] is None or r["small_queries"] == r["large_queries"]
        queries_ok = r["large_queries"] is not None and same and r["large_queries"] <= pages.QUERY_TARGET
        target = ""
        if r.get("target_ms"):
            target = f"≤ {r['target_ms']:.0f} ms {_ok(r['large_ms'] is not None and r['large_ms'] <= r['target_ms'])}"
        note = f" ({r['note']})" if r["note"] else ""
        lines.append(
            f"| {r['name']}{note} | {r['small']} | {r['small_queries'] if r['small_queries'] is not None else ''} | "
            f"{_ms(r['small_ms']) if r['small_ms'] is not None else ''} | {r['large']} | {r['large_queries']} | {_ms(r['large_ms'])} | "
            f"{_ok(queries_ok)} | {target} |"
        )
    return lines


def _export_rows(state: dict) -> list[str]:
    lines = [
        "| Scale | Items (2020/21) | Django: s | Django items/s | Peak RSS growth | Raw psycopg: s | Raw items/s | Raw peak RSS growth | Ratio Django ÷ raw | Targets (≥ 50 000/s · < 100 MB · ≤ 2.5×) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for key in ("export_scale1", "export_scale10"):
        e = state.get(key)
        if not e:
            continue
        d, r = e["django"], e["raw"]
        oks = [d["items_per_second"] >= export.ITEMS_PER_SECOND_TARGET, d["peak_growth_mb"] < export.RSS_GROWTH_TARGET_MB,
               e["ratio"] <= export.RAW_RATIO_TARGET]
        lines.append(
            f"| {e['scale']} | {e['items']:,} | {d['seconds']:.2f} | {d['items_per_second']:,.0f} | {d['peak_growth_mb']:.1f} MB | "
            f"{r['seconds']:.2f} | {r['items_per_second']:,.0f} | {r['peak_growth_mb']:.1f} MB | {e['ratio']:.2f}× | "
            f"{' '.join(_ok(ok) for ok in oks)} |".replace(",", " ")
        )
    return lines


def _document_rows(docs) -> list[str]:
    if isinstance(docs, str) or docs is None:
        return [f"Narrative documents: {docs or 'not measured'}."]
    lines = [
        "| Report | Format | Build tables (ms) | Render (ms) | Total (s) | Queries | Size (KB) | Target |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for d in docs:
        target = ""
        if d["format"] == "docx" and d["report"].startswith(SUPPORT_CODE):
            target = f"≤ {documents.DOCX_TARGET_S:.0f} s {_ok((d['build_ms'] + d['render_ms']) / 1000 <= documents.DOCX_TARGET_S)}"
        lines.append(
            f"| {d['report']} | {d['format'].upper()} | {d['build_ms']:.0f} | {d['render_ms']:.0f} | "
            f"{(d['build_ms'] + d['render_ms']) / 1000:.2f} | {d['queries']} | {d['size_kb']:.0f} | {target} |"
        )
    return lines


def _load_rows(data: dict | None) -> list[str]:
    if not data:
        return ["Load test: not run."]
    lines = [
        f"{data['users']} simulated focal points (locust), each signed in as a different person of a draft mission report "
        "(no two save the same item): open an accomplishment's entry page (weight 2), the report home (1), save an "
        "indicator or output of that page with an htmx post (8), 1–4 s apart. After a 10 s warm-up, users start 4 a "
        f"second and the {data['seconds']} s measured start once all are in. Server: gunicorn with {data['workers']} sync "
        "workers, CONN_MAX_AGE=60, the Redis cache (sessions, login limit), a Celery worker (solo) on Redis, PostgreSQL; all on 127.0.0.1 and on the same 2 cores "
        f"as locust itself. Load average before {data['load_before']}, after {data['load_after']}; CPU seconds used by "
        f"locust {data.get('cpu', {}).get('locust', 0):.0f}, by gunicorn and Celery {data.get('cpu', {}).get('servers', 0):.0f}.",
        "",
        "| Request | Count | Errors | p50 (ms) | p95 (ms) | p99 (ms) | req/s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in data["rows"]:
        lines.append(f"| {r['name']} | {r['requests']} | {r['failures']} | {r['p50']:.0f} | {r['p95']:.0f} | {r['p99']:.0f} | {r['rps']:.1f} |")
    saves = next((r for r in data["rows"] if r["name"] == "all saves"), None)
    if saves:
        p95, errors = saves["p95"], saves["failures"]
        lines += ["", f"All saves (indicators and outputs, one distribution): p50 {saves['p50']:.0f} ms, p95 {p95:.0f} ms "
                      f"(target ≤ {load.SAVE_P95_TARGET_MS:.0f} ms) {_ok(p95 <= load.SAVE_P95_TARGET_MS)}, p99 {saves['p99']:.0f} ms; "
                      f"errors {errors} (target 0) {_ok(errors == 0)}."]
    for error in data.get("errors") or []:
        lines.append(f"- {error}")
    for note in data.get("notes") or []:
        lines.append(f"- {note}")
    return lines


def report_markdown(state: dict, *, kept: str = "") -> str:
    m = state.get("machine", {})
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (bench.mk: `manage.py bench`); the tables below are regenerated on each run, the",
        "sections after them are kept.",
        "",
        f"- Run: {state.get('started', '')}",
        f"- Machine: {m.get('cores')} cores ({m.get('cpu')}), {m.get('ram_gb')} GB RAM, {m.get('database')}, "
        f"Python {m.get('python')}, Django {m.get('django')}",
        f"- Load average (1, 5, 15 min) at the start: {m.get('load')}; after the scale-1 phase: {state.get('load_average_end', '')}; "
        f"at the scale-10 phase: {state.get('load_average_scale10', '')}. The machine is shared with other test runs, so",
        "  single figures move by ±20 % between runs; medians are reported.",
        "",
        "## Dataset",
        "",
        "`manage.py generate_dataset --scale N --seed 1`: per period 16×N missions (≈5 components, 15 expected",
        "accomplishments, 60 indicators, 300 outputs, full resource tables) and the complete support account (26 units,",
        "55 expected accomplishments, 161 indicators, 623 outputs), 10 periods (2011/12–2020/21), plus the UNMIK and",
        "Ethics Office demo (`seed_demo`). At scale 10 only the latest period is generated: the export reads one period.",
        "",
        "| | Scale 1 | Scale 10 |",
        "|---|---:|---:|",
    ]
    one, ten = state.get("dataset", {}), state.get("dataset_scale10", {})
    for key in one:
        lines.append(f"| {key} | {one.get(key, ''):,} | {ten.get(key, '') if not ten else format(ten.get(key, 0), ',')} |".replace(",", " "))
    lines += [
        "",
        "## Pages and API reads (scale 1)",
        "",
        "Server time: Django test client in-process (middleware, view, templates; no network), median of "
        f"{state.get('runs', 15)} requests after a warm-up, DEBUG off, PostgreSQL, the Redis cache as in production (sessions read from it). Queries: one request.",
        "",
        *_page_rows(state.get("pages", [])),
        "",
        f"A browser opening the largest entry page also sends {state.get('entry_page_load_requests', '?')} more requests "
        "(`hx-trigger=\"load\"`: the comment threads of all its items in one request).",
        "",
    ]
    if state.get("pages_scale10"):
        lines += ["### The same reads at scale 10 (query counts must not move)", "", *_page_rows(state["pages_scale10"]), ""]
    lines += ["## Narrative documents", "", *_document_rows(state.get("documents")), "",
              "## Offline workbook (`/api/v1/reports/{id}/workbook.xlsx`, unchanged upload preview)", "",
              *workbook.workbook_rows(state.get("workbook")), "",
              "## Programme plan (DPPA 2024)", "", *programme.programme_rows(state.get("programme")), "",
              "## Roll-forward into the next period (`rbb.cycle`)", "",
              "Copying the whole framework into the next period's budget proposal, baselines included, in a transaction rolled",
              "back after each run (median of the runs after a warm-up).", "",
              *cycle.roll_forward_rows(state.get("roll_forward")), "",
              "## Bulk NDJSON export (`/api/v1/export/?period=2020/21`)", "",
              "Each figure is the median of 3 runs in a fresh process (peak RSS growth: the worst of the 3). Django: the",
              "whole API view through the test client, streamed to the end. Raw: the same items with one server-side psycopg",
              "cursor per table and `json.dumps` per row, in the same run.", "",
              *_export_rows(state), "",
              "## Load test", "", *_load_rows(state.get("load")), ""]
    text = "\n".join(lines)
    return text.rstrip() + "\n" + (("\n" + kept.strip() + "\n") if kept.strip() else "")


def kept_sections(existing: str) -> str:
    """The sections of the current file the benchmark does not write, in their order."""
    parts = re.split(r"(?m)^(?=## )", existing)
    return "\n".join(part.rstrip() + "\n" for part in parts if part.startswith(KEPT_SECTIONS))


def report_write(state: dict, path: Path) -> str:
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    text = report_markdown(state, kept=kept_sections(existing))
    path.write_text(text, encoding="utf-8")
    return text


def profile_get(url: str, *, username: str, requests: int = 3) -> str:
    """A pyinstrument profile of GET url as the user (after one warm-up request), as text."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from pyinstrument import Profiler

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    client.get(url)
    profiler = Profiler(interval=0.001)
    profiler.start()
    for _ in range(requests):
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    profiler.stop()
    return profiler.output_text(unicode=True, color=False)


def vendor_is_postgresql() -> bool:
    return connection.vendor == "postgresql"
