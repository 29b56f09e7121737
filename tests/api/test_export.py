"""The bulk export: streamed NDJSON and CSV of every framework item, scoped like the screens."""

import csv
import io
import json
import tracemalloc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import Indicator, Output
from rbb.api import export
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
    with_bom = _body(client.get("/api/v1/export/?period=2020/21&mission=UNMIK&format=csv&bom=1"))
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
    """Rows are read in chunks: five times the rows, more queries (one per chunk), not more memory."""
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
    # One cursor over the indicators read in chunks of 40, each chunk with one query for its
    # figures; one cursor over the outputs.
    assert (small_queries, big_queries) == (1 + 1 + 1, 1 + 5 + 1)
    assert big_peak < small_peak * 1.5, (small_peak, big_peak)
