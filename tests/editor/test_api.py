"""The framework editor's API: the same services, in the OpenAPI schema, scoped, versioned, locked."""

import pytest
from rest_framework.test import APIClient

from indicators.models import ExpectedAccomplishment, Indicator, Output
from missions.models import ChangeRecord, Report, Unit

pytestmark = pytest.mark.django_db


def api_as(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_an_indicator_is_added_changed_moved_and_deleted_through_the_api(approver, planning):
    api = api_as(approver)
    ea = ExpectedAccomplishment.objects.get(unit__report=planning, number="1.1")
    created = api.post("/api/v1/framework/indicators/", {
        "accomplishment": ea.pk, "statement": "会议次数", "statement_en": "Meetings", "measure": "count", "direction": "increase",
        "baselines": [{"period": "2018/19", "value": "1,200"}, {"period": "2019/20", "value": "1 250"}], "target": "1300", "position": 0,
    }, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["number"] == "1.1.1" and [f["printed"] for f in body["figures"]] == ["1 200", "1 250", "1 300"]
    pk, version = body["id"], body["version"]
    changed = api.patch(f"/api/v1/framework/indicators/{pk}/", {"version": version, "target": "1 350"}, format="json")
    assert changed.status_code == 200 and changed.json()["statement"] == "会议次数"
    assert [f["printed"] for f in changed.json()["figures"] if f["kind"] == "target"] == ["1 350"]
    stale = api.patch(f"/api/v1/framework/indicators/{pk}/", {"version": version, "target": "9"}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    assert stale.json()["extra"]["values"]["statement"] == "会议次数"
    moved = api.post(f"/api/v1/framework/indicators/{pk}/move/", {"version": changed.json()["version"], "position": 3}, format="json")
    assert moved.status_code == 200 and moved.json()["number"] == "1.1.4"
    assert api.delete(f"/api/v1/framework/indicators/{pk}/").status_code == 204
    assert ChangeRecord.objects.filter(item_type="indicator", item_id=pk, field="deleted").exists()


def test_bad_input_is_a_400_with_field_messages(approver, planning):
    api = api_as(approver)
    ea = ExpectedAccomplishment.objects.get(unit__report=planning, number="1.1")
    response = api.post("/api/v1/framework/outputs/", {"accomplishment": ea.pk, "planned_text": "", "planned_quantity": 5}, format="json")
    assert response.status_code == 400 and "planned_quantity" in response.json()["extra"]["fields"]
    response = api.post("/api/v1/framework/outputs/", {"accomplishment": ea.pk, "planned_text": "", "unknown": "x"}, format="json")
    assert response.status_code == 400
    response = api.post("/api/v1/framework/outputs/", {"accomplishment": ea.pk, "planned_text": ""}, format="json")
    assert response.status_code == 400 and "planned_text" in response.json()["extra"]["fields"]


def test_a_deletion_that_loses_data_needs_confirm(approver, planning):
    api = api_as(approver)
    output = Output.objects.get(accomplishment__unit__report=planning, accomplishment__number="1.1", number="1")
    Output.objects.filter(pk=output.pk).update(remarks="已完成")
    first = api.delete(f"/api/v1/framework/outputs/{output.pk}/")
    assert first.status_code == 409 and first.json()["code"] == "confirmation_required" and first.json()["extra"]["entered"] == 1
    assert api.delete(f"/api/v1/framework/outputs/{output.pk}/?confirm=true").status_code == 204


def test_the_api_refuses_a_locked_framework_and_hides_other_missions(approver, planning, other_planning, reviewer):
    api = api_as(approver)
    other_ea = ExpectedAccomplishment.objects.filter(unit__report=other_planning).first()
    other_unit = other_ea.unit
    assert api.post("/api/v1/framework/outputs/", {"accomplishment": other_ea.pk, "planned_text": "X"}, format="json").status_code == 404
    assert api.patch(f"/api/v1/framework/units/{other_unit.pk}/", {"version": 1, "title": "X"}, format="json").status_code == 404
    assert api.delete(f"/api/v1/framework/accomplishments/{other_ea.pk}/?confirm=true").status_code == 404
    assert api.post("/api/v1/framework/units/", {"report": other_planning.pk, "title": "X"}, format="json").status_code == 404
    assert ExpectedAccomplishment.objects.filter(pk=other_ea.pk).exists()
    # An HQ reviewer sees every mission but does not write frameworks.
    ea = ExpectedAccomplishment.objects.get(unit__report=planning, number="1.1")
    assert api_as(reviewer).post("/api/v1/framework/outputs/", {"accomplishment": ea.pk, "planned_text": "X"}, format="json").status_code == 403
    Report.objects.filter(pk=planning.pk).update(status=Report.Status.SUBMITTED)
    locked = api.post("/api/v1/framework/outputs/", {"accomplishment": ea.pk, "planned_text": "X"}, format="json")
    assert locked.status_code == 409 and locked.json()["code"] == "framework_locked"


def test_a_unit_and_a_new_planning_report_through_the_api(admin, approver, planning):
    api = api_as(approver)
    unit = api.post("/api/v1/framework/units/", {"report": planning.pk, "title": "新构成部分", "position": 0}, format="json")
    assert unit.status_code == 201 and unit.json()["number"] == "1"
    assert list(Unit.objects.filter(report=planning).order_by("order").values_list("number", flat=True)) == ["1", "2", "3"]
    assert api.post("/api/v1/framework/reports/", {"entity_code": "NEWM", "period_label": "2022/23", "report_type": "mission-performance"},
                    format="json").status_code == 403
    created = api_as(admin).post("/api/v1/framework/reports/", {
        "entity_code": "NEWM", "period_label": "2022/23", "period_start": "2022-07-01", "period_end": "2023-06-30",
        "report_type": "mission-performance",
    }, format="json")
    assert created.status_code == 201, created.json()
    assert Report.objects.get(mission__code="NEWM").phase == Report.Phase.PLANNING


def test_the_editor_endpoints_are_in_the_openapi_schema(approver):
    paths = api_as(approver).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]
    for plural in ("units", "accomplishments", "indicators", "outputs"):
        assert f"/api/v1/framework/{plural}/" in paths
        assert {"patch", "delete"} <= set(paths[f"/api/v1/framework/{plural}/{{id}}/"])
        assert f"/api/v1/framework/{plural}/{{id}}/move/" in paths
    assert "/api/v1/framework/reports/" in paths
