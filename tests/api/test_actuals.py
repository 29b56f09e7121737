"""Writing actuals through the API: the forms' cleaning, the services' checks, and bad input."""

import json

import pytest
from rest_framework.test import APIClient

from indicators.models import Indicator, Output
from missions.models import ChangeRecord, Membership, Report

pytestmark = pytest.mark.django_db


def _indicator(report, number) -> Indicator:
    return Indicator.objects.get(accomplishment__unit__report=report, number=number)


def _output(report, ea_number, number) -> Output:
    if ea_number is None:  # a headquarters unit's own output
        return Output.objects.get(unit__report=report, accomplishment__isnull=True, number=number)
    return Output.objects.get(accomplishment__unit__report=report, accomplishment__number=ea_number, number=number)


def _url(item) -> str:
    if isinstance(item, Indicator):
        return f"/api/v1/indicators/{item.pk}/actual/"
    return f"/api/v1/outputs/{item.pk}/delivery/"


def _snapshot(item) -> tuple:
    item.refresh_from_db()
    fields = ("actual", "actual_narrative", "variance_explanation") if isinstance(item, Indicator) else (
        "completed_kind", "completed", "remarks")
    return (item.version, *(getattr(item, f) for f in fields), ChangeRecord.objects.count())


# --- indicators --------------------------------------------------------------------------------


def test_focal_point_records_an_actual_cleaned_like_the_form_and_audited(world):
    indicator = _indicator(world.unmik, "1.1.1")
    response = world.client("focal").patch(
        _url(indicator), {"version": indicator.version, "actual": "1,234", "variance_explanation": "Higher because…\r\nSecond."},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["actual"], body["actual_value"], body["version"]) == ("1 234", "1234", indicator.version + 1)
    assert body["variance_explanation"] == "Higher because…\nSecond."
    assert body["updated_by"] == "focal"
    indicator.refresh_from_db()
    assert indicator.actual == "1 234" and indicator.actual_narrative  # the narrative was left as it was
    changes = ChangeRecord.objects.filter(item_type="indicator", item_id=indicator.pk)
    assert {(c.field, c.new_value, c.actor.username) for c in changes} == {
        ("actual", "1 234", "focal"), ("variance_explanation", "Higher because…\nSecond.", "focal"),
    }
    history = world.client("focal").get(f"/api/v1/indicators/{indicator.pk}/changes/").json()
    assert {h["field"] for h in history} == {"actual", "variance_explanation"}


def test_a_stale_version_is_a_409_with_the_current_representation_and_writes_nothing(world):
    indicator = _indicator(world.unmik, "1.1.1")
    seen = indicator.version
    assert world.client("approver").patch(_url(indicator), {"version": seen, "actual": "900"}, format="json").status_code == 200
    before = _snapshot(indicator)
    response = world.client("focal").patch(_url(indicator), {"version": seen, "actual": "901"}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "stale_version"
    assert body["extra"]["current"]["actual"] == "900" and body["extra"]["current"]["version"] == seen + 1
    assert body["extra"]["updated_by"] == "approver"
    assert _snapshot(indicator) == before


def test_a_submitted_report_is_locked(world):
    Report.objects.filter(pk=world.unmik.pk).update(status=Report.Status.SUBMITTED)
    indicator = _indicator(world.unmik, "1.1.1")
    before = _snapshot(indicator)
    response = world.client("focal").patch(_url(indicator), {"version": indicator.version, "actual": "5"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "report_locked"
    assert "cannot be changed" in response.json()["message"]
    assert _snapshot(indicator) == before


@pytest.mark.parametrize("persona, status", [
    ("reviewer", 403), ("admin", 403), ("viewer", 403), ("unmik_viewer", 403), ("other_focal", 404), ("outsider", 404), (None, 401),
])
def test_only_the_missions_data_enterers_may_write(world, persona, status):
    indicator = _indicator(world.unmik, "1.1.1")
    before = _snapshot(indicator)
    response = world.client(persona).patch(_url(indicator), {"version": indicator.version, "actual": "5"}, format="json")
    assert response.status_code == status
    assert set(response.json()) == {"message", "code", "extra"}
    assert _snapshot(indicator) == before


def test_a_focal_point_limited_to_a_unit_cannot_write_elsewhere(world):
    Membership.objects.filter(user=world.users["focal"]).update(unit_numbers="2")
    indicator = _indicator(world.unmik, "1.1.1")
    response = world.client("focal").patch(_url(indicator), {"version": indicator.version, "actual": "5"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "not_permitted"


def test_a_figure_that_is_not_a_number_is_refused_by_the_forms_rule(world):
    indicator = _indicator(world.unmik, "1.1.1")
    before = _snapshot(indicator)
    response = world.client("focal").patch(_url(indicator), {"version": indicator.version, "actual": "lots"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["extra"]["fields"]) == ["actual"]
    assert _snapshot(indicator) == before


# --- bad input ---------------------------------------------------------------------------------


def _raw(client: APIClient, url: str, body: bytes | str, content_type: str = "application/json"):
    return client.generic("PATCH", url, body, content_type=content_type)


@pytest.mark.parametrize("body, content_type, status, field", [
    (b'{"version": 1, "actual": "5"', "application/json", 400, None),  # malformed JSON
    (b'{"version": NaN}', "application/json", 400, None),  # not JSON either
    (b'\xff\xfe{}', "application/json", 400, None),  # not UTF-8
    (b'[1, 2]', "application/json", 400, "non_field_errors"),  # not an object
    (b'"text"', "application/json", 400, "non_field_errors"),
    (b'{"actual": "5"}', "application/json", 400, "version"),  # version missing
    (b'{"version": "1", "actual": "5"}', "application/json", 400, "version"),  # wrong type
    (b'{"version": 1.5, "actual": "5"}', "application/json", 400, "version"),
    (b'{"version": true, "actual": "5"}', "application/json", 400, "version"),
    (b'{"version": 1, "actual": 860}', "application/json", 400, "actual"),  # a number where text is due
    (b'{"version": 1, "actual": ["5"]}', "application/json", 400, "actual"),
    (b'{"version": 1, "actual": null}', "application/json", 400, "actual"),
    (b'{"version": 1, "actaul": "5"}', "application/json", 400, "actaul"),  # unknown field (a typo)
    (b'{"version": 1, "actual": "' + b"9" * 201 + b'"}', "application/json", 400, "actual"),  # too long
    (b'{"version": 1, "actual_narrative": "5\\u0000"}', "application/json", 400, "actual_narrative"),  # NUL
    (b'{"version": 1, "actual_narrative": "\\ud800"}', "application/json", 400, "actual_narrative"),  # lone surrogate
    (b"version=1&actual=5", "application/x-www-form-urlencoded", 415, None),  # wrong content type
    (b"version: 1", "text/plain", 415, None),
])
def test_bad_input_is_a_4xx_with_messages_and_writes_nothing(world, body, content_type, status, field):
    indicator = _indicator(world.unmik, "1.1.1")
    before = _snapshot(indicator)
    response = _raw(world.client("focal"), _url(indicator), body, content_type)
    assert response.status_code == status, response.content
    payload = response.json()
    assert set(payload) == {"message", "code", "extra"} and payload["message"]
    if field:
        assert field in payload["extra"]["fields"], payload
    assert _snapshot(indicator) == before


def test_an_oversize_body_is_refused_unread(world, settings):
    settings.API_MAX_BODY_BYTES = 1000
    indicator = _indicator(world.unmik, "1.1.1")
    before = _snapshot(indicator)
    body = json.dumps({"version": indicator.version, "actual_narrative": "长" * 2000}).encode()
    response = _raw(world.client("focal"), _url(indicator), body)
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    assert _snapshot(indicator) == before


def test_a_narrative_longer_than_the_cell_limit_is_refused(world):
    indicator = _indicator(world.unmik, "1.1.1")
    response = world.client("focal").patch(
        _url(indicator), {"version": indicator.version, "actual_narrative": "x" * 20001}, format="json"
    )
    assert response.status_code == 400 and "actual_narrative" in response.json()["extra"]["fields"]


def test_session_writes_need_the_csrf_token(world):
    indicator = _indicator(world.unmik, "1.1.1")
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.users["focal"])
    response = client.patch(_url(indicator), {"version": indicator.version, "actual": "5"}, format="json")
    assert response.status_code == 403 and "CSRF" in response.json()["message"]


def test_token_writes_need_no_csrf_token(world):
    indicator = _indicator(world.unmik, "1.1.1")
    client = world.client("focal", token=True)
    client.handler.enforce_csrf_checks = True
    response = client.patch(_url(indicator), {"version": indicator.version, "actual": "5"}, format="json")
    assert response.status_code == 200


# --- outputs -----------------------------------------------------------------------------------


def test_recording_a_number_completed(world):
    output = _output(world.unmik, "1.1", "1")
    response = world.client("focal").patch(
        _url(output), {"version": output.version, "completed_kind": "number", "completed": "3,514", "remarks": "Done."},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["completed_kind"], body["completed"], body["completed_value"]) == ("number", "3 514", "3514")


def test_choosing_yes_clears_the_number(world):
    output = _output(world.unmik, "1.1", "1")
    client = world.client("focal")
    client.patch(_url(output), {"version": output.version, "completed_kind": "number", "completed": "12"}, format="json")
    output.refresh_from_db()
    response = client.patch(_url(output), {"version": output.version, "completed_kind": "yes"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["completed_kind"], response.json()["completed"]) == ("yes", "")


def test_a_number_kind_without_a_number_is_refused(world):
    output = _output(world.unmik, "1.1", "1")
    before = _snapshot(output)
    response = world.client("focal").patch(
        _url(output), {"version": output.version, "completed_kind": "number", "completed": ""}, format="json"
    )
    assert response.status_code == 400 and "completed" in response.json()["extra"]["fields"]
    assert _snapshot(output) == before


def test_an_unknown_completed_kind_is_refused(world):
    output = _output(world.unmik, "1.1", "1")
    response = world.client("focal").patch(_url(output), {"version": output.version, "completed_kind": "maybe"}, format="json")
    assert response.status_code == 400 and "completed_kind" in response.json()["extra"]["fields"]


def test_a_headquarters_output_takes_the_actual_number(world):
    Membership.objects.create(user=world.users["focal"], role=Membership.Role.FOCAL_POINT, mission=world.support.mission)
    output = _output(world.support, None, "1")
    client = world.client("focal")
    response = client.patch(_url(output), {"version": output.version, "completed": "80"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["completed_kind"], response.json()["delivery_ratio"]) == ("number", "80.0")
    assert (response.json()["unit_number"], response.json()["accomplishment_id"]) == ("I", None)
    output.refresh_from_db()
    # An actual printed as not applicable is kept as printed; no ratio is computed.
    response = client.patch(_url(output), {"version": output.version, "completed": "不适用"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["completed"], response.json()["delivery_ratio"]) == ("不适用", None)
    output.refresh_from_db()
    refused = client.patch(_url(output), {"version": output.version, "completed_kind": "yes"}, format="json")
    assert refused.status_code == 400 and "completed_kind" in refused.json()["extra"]["fields"]


def test_a_stale_output_version_returns_the_current_output(world):
    output = _output(world.unmik, "1.1", "1")
    seen = output.version
    world.client("approver").patch(_url(output), {"version": seen, "remarks": "Mine."}, format="json")
    response = world.client("focal").patch(_url(output), {"version": seen, "remarks": "Yours."}, format="json")
    assert response.status_code == 409
    assert response.json()["extra"]["current"]["remarks"] == "Mine."
