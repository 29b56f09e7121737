"""An item's series across the periods of its lineage: values, scoping, and bounded queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from indicators.models import Indicator, Output
from indicators.series import ACCEPTED, ENTERED, indicator_series, output_series, report_series

from .conftest import make_history

pytestmark = pytest.mark.django_db


def _latest_item(model, report, number):
    return model.objects.select_related("accomplishment__unit__report").get(accomplishment__unit__report=report, number=number)


def test_an_indicator_series_lines_up_baselines_targets_and_actuals_by_period():
    reports = make_history("HIST", periods=3)
    item = _latest_item(Indicator, reports[-1], "1.1.1")
    series = indicator_series(indicator=item, mission_id=reports[-1].mission_id)
    # The latest framework prints 2016/17 … 2019/20 as baselines; the lineage has 2018/19 to 2020/21.
    assert series.periods == ["2016/17", "2017/18", "2018/19", "2019/20", "2020/21"]
    points = {p.period: p for p in series.points}
    assert points["2016/17"].item_id is None and points["2016/17"].baseline == "480"
    assert points["2018/19"].target == "505" and points["2018/19"].actual == "500"
    assert points["2018/19"].actual_kind == ACCEPTED
    # The latest framework's baseline for 2019/20 wins over the one printed two periods earlier.
    assert points["2019/20"].baseline == "510" and points["2019/20"].actual_value == Decimal("510")
    assert points["2020/21"].actual_kind == ENTERED and points["2020/21"].item_id == item.pk


def test_an_output_series_gives_planned_completed_and_the_delivery_ratio():
    reports = make_history("HIST", periods=2)
    item = _latest_item(Output, reports[-1], "1")
    series = output_series(output=item, mission_id=reports[-1].mission_id)
    assert [(p.period, p.planned, p.completed, p.ratio, p.accepted) for p in series.points] == [
        ("2019/20", "100", "90", Decimal("90.0"), True),
        ("2020/21", "101", "91", Decimal("90.1"), False),
    ]


def test_a_series_stays_within_its_budget_entity():
    reports = make_history("HIST", periods=2)
    item = _latest_item(Indicator, reports[-1], "1.1.1")
    # Another entity's item that (wrongly) shares the lineage is not part of the series.
    other = make_history("OTHER", periods=1, last_year=2018)
    stray = _latest_item(Indicator, other[0], "1.1.1")
    Indicator.objects.filter(pk=stray.pk).update(lineage=item.lineage)
    series = indicator_series(indicator=item, mission_id=reports[-1].mission_id)
    assert all(p.report_id in (None, *[r.pk for r in reports]) for p in series.points)


def _count(function):
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


def test_series_queries_do_not_grow_with_the_number_of_periods():
    short, long = make_history("SHORT", periods=2), make_history("LONG", periods=10)
    costs = []
    for reports in (short, long):
        report = reports[-1]
        indicator, output = _latest_item(Indicator, report, "1.1.1"), _latest_item(Output, report, "1")
        costs.append((
            _count(lambda: indicator_series(indicator=indicator, mission_id=report.mission_id)),
            _count(lambda: output_series(output=output, mission_id=report.mission_id)),
            _count(lambda: report_series(report=report)),
        ))
    # indicators of the lineage, their figures | outputs of the lineage | indicators, figures, outputs
    assert costs[0] == costs[1] == (2, 1, 3)
    assert len(report_series(report=long[-1])[("output", _latest_item(Output, long[-1], "1").pk)].points) == 10


def test_the_series_endpoints_answer_in_fixed_queries_and_hide_other_missions(users):
    short, long = make_history("HIST", periods=2, last_year=2010), make_history("HIST2", periods=10)
    api = APIClient()
    api.force_authenticate(users["reviewer"])
    api.get("/api/v1/me/")  # the user's memberships are read once and kept on the user
    costs = []
    for reports in (short, long):
        indicator, output = _latest_item(Indicator, reports[-1], "1.1.1"), _latest_item(Output, reports[-1], "1")
        with CaptureQueriesContext(connection) as first:
            response = api.get(f"/api/v1/indicators/{indicator.pk}/series/")
        assert response.status_code == 200
        with CaptureQueriesContext(connection) as second:
            outputs = api.get(f"/api/v1/outputs/{output.pk}/series/")
        assert outputs.status_code == 200
        costs.append((len(first.captured_queries), len(second.captured_queries)))
    assert costs[0] == costs[1]
    body = response.json()
    assert [p["period"] for p in body["points"]][-3:] == ["2018/19", "2019/20", "2020/21"]
    assert body["points"][-1]["actual"] == "590" and body["points"][-1]["actual_kind"] == "entered"
    assert outputs.json()["points"][-1] == {
        "period": "2020/21", "item_id": output.pk, "report_id": long[-1].pk, "phase": "performance", "status": "draft",
        "planned": "109", "planned_value": "109", "completed_kind": "number", "completed": "99", "completed_value": "99",
        "ratio": "90.8", "accepted": False,
    }
    # The focal point of another mission: the same 404 as for an item that does not exist.
    api.force_authenticate(users["other_focal"])
    assert api.get(f"/api/v1/indicators/{indicator.pk}/series/").status_code == 404
    assert api.get(f"/api/v1/outputs/{output.pk}/series/").status_code == 404
    assert api.get("/api/v1/outputs/999999/series/").status_code == 404


def test_the_series_endpoints_are_in_the_openapi_schema(users):
    api = APIClient()
    api.force_authenticate(users["reviewer"])
    paths = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]
    assert "/api/v1/indicators/{id}/series/" in paths and "/api/v1/outputs/{id}/series/" in paths
