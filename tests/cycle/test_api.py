"""The budget cycle through the API: roll-forward, quality, baselines, open the performance phase."""

import pytest

from indicators.models import IndicatorFigure
from missions.models import Report
from rbb.workflow import report_accept, report_submit
from tests.cycle.test_planning_workflow import fill_targets, reload


def test_roll_forward_creates_the_proposal(world):
    response = world.client("admin").post(f"/api/v1/reports/{world.unmik.pk}/roll-forward/", {"period": "2021/22"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["mission"], body["period"], body["phase"], body["status"], body["planned_side_editable"]) == (
        "UNMIK", "2021/22", "planning", "draft", True
    )
    again = world.client("admin").post(f"/api/v1/reports/{world.unmik.pk}/roll-forward/", {"period": "2021/22"}, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "framework_exists")


@pytest.mark.parametrize("persona, status", [("focal", 403), ("reviewer", 403), ("other_focal", 404), (None, 401)])
def test_roll_forward_is_refused_to_others(world, persona, status):
    response = world.client(persona).post(f"/api/v1/reports/{world.unmik.pk}/roll-forward/", {"period": "2021/22"}, format="json")
    assert response.status_code in ((401, 403) if status == 401 else (status,))
    assert not Report.objects.filter(period__label="2021/22").exists()


@pytest.mark.parametrize("payload, field", [({}, "period"), ({"period": "soon"}, "period"), ({"period": "2021/22", "x": 1}, "x")])
def test_roll_forward_bad_input_is_a_400(world, payload, field):
    response = world.client("approver").post(f"/api/v1/reports/{world.unmik.pk}/roll-forward/", payload, format="json")
    assert response.status_code == 400
    assert field in str(response.json())


def test_the_quality_flags_in_both_languages(world, proposal):
    url = f"/api/v1/reports/{proposal.pk}/quality/"
    english = world.client("focal").get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["hard"] == 12 and english["soft"] > 0
    flag = next(f for f in english["flags"] if f["code"] == "target_not_number")
    assert (flag["severity"], flag["kind"], flag["label"]) == ("hard", "indicator", "1.1.1")
    chinese = world.client("focal").get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert chinese["flags"][0]["message"] != english["flags"][0]["message"]
    assert world.client("other_focal").get(url).status_code == 404


def test_the_quality_read_does_not_grow_with_the_framework(world, proposal, django_assert_max_num_queries):
    client = world.client("reviewer")
    with django_assert_max_num_queries(9):  # session user and memberships, report, five framework queries
        client.get(f"/api/v1/reports/{world.other.pk}/quality/")
    with django_assert_max_num_queries(9):
        client.get(f"/api/v1/reports/{proposal.pk}/quality/")


def test_figures_say_where_they_come_from(world, proposal):
    results = world.client("focal").get(f"/api/v1/indicators/?report={proposal.pk}&number=1.1.1").json()["results"]
    baselines = results[0]["baselines"]
    assert [(b["period"], b["printed"], b["source"], b["is_estimate"], b["overridden"]) for b in baselines] == [
        ("2019/20", "754", "ancestor_series", False, False), ("2020/21", "860", "entered_actual", True, False),
    ]


def test_refresh_baselines(world, proposal):
    IndicatorFigure.objects.filter(indicator__accomplishment__unit__report=proposal, period_label="2020/21").delete()
    response = world.client("approver").post(f"/api/v1/reports/{proposal.pk}/baselines/refresh/", {}, format="json")
    assert response.status_code == 200 and response.json() == {"changed": 17}
    assert world.client("reviewer").post(f"/api/v1/reports/{proposal.pk}/baselines/refresh/", {}, format="json").status_code == 403
    assert world.client("admin").post(f"/api/v1/reports/{world.unmik.pk}/baselines/refresh/", {}, format="json").status_code == 409


def test_submit_return_accept_and_open_the_performance_phase(world, proposal):
    submit = world.client("approver").post(f"/api/v1/reports/{proposal.pk}/submit/", {}, format="json")
    assert (submit.status_code, submit.json()["code"]) == (409, "incomplete")
    assert len(submit.json()["extra"]["items"]) == 12
    fill_targets(proposal)
    assert world.client("approver").post(f"/api/v1/reports/{proposal.pk}/submit/", {}, format="json").json()["status"] == "submitted"
    assert world.client("reviewer").post(f"/api/v1/reports/{proposal.pk}/accept/", {}, format="json").json()["status"] == "accepted"
    early = world.client("reviewer").post(f"/api/v1/reports/{proposal.pk}/open-performance/", {}, format="json")
    assert early.status_code == 403
    opened = world.client("admin").post(f"/api/v1/reports/{proposal.pk}/open-performance/", {}, format="json").json()
    assert (opened["phase"], opened["status"], opened["planned_side_frozen"], opened["planned_side_editable"]) == (
        "performance", "draft", True, False
    )
    again = world.client("admin").post(f"/api/v1/reports/{proposal.pk}/open-performance/", {}, format="json")
    assert again.status_code == 409


def test_the_actions_list_offers_open_performance_to_the_budget_administrator(world, proposal):
    fill_targets(proposal)
    report_submit(report=proposal, by=world.users["approver"])
    report_accept(report=reload(proposal), by=world.users["reviewer"])
    assert "open_performance" in world.client("admin").get(f"/api/v1/reports/{proposal.pk}/").json()["actions"]


def test_the_schema_lists_the_cycle_endpoints(world):
    paths = world.client("viewer").get("/api/schema/?format=json").json()["paths"]
    for path in ("roll-forward", "open-performance", "quality", "baselines/refresh"):
        assert f"/api/v1/reports/{{id}}/{path}/" in paths
