"""Workflow transitions as POST actions: the same rules as the screens (rbb.workflow)."""

import pytest

from indicators.models import Indicator
from missions.models import Report, ReportEvent

pytestmark = pytest.mark.django_db


def _post(world, persona, report, action, body=None):
    return world.client(persona).post(f"/api/v1/reports/{report.pk}/{action}/", body or {}, format="json")


def _status(report) -> str:
    report.refresh_from_db()
    return report.status


def _complete(report):
    """Explain every indicator of the report so that it may be submitted."""
    Indicator.objects.filter(accomplishment__unit__report=report).update(variance_explanation="Lower because of COVID-19.")


def test_the_full_cycle_submit_return_submit_accept_reopen(world):
    report = world.unmik
    _complete(report)  # the demo's 2.1.8 misses its target without an explanation
    response = _post(world, "approver", report, "submit")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted" and response.json()["is_locked"] is True

    returned = _post(world, "reviewer", report, "return", {"comment": "Explain 1.1.3 better."})
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert _post(world, "approver", report, "submit").status_code == 200
    assert _post(world, "reviewer", report, "accept").json()["status"] == "accepted"
    reopened = _post(world, "admin", report, "reopen", {"reason": "Figures corrected by OPPFB."})
    assert reopened.status_code == 200 and reopened.json()["status"] == "returned"

    events = world.client("focal").get(f"/api/v1/events/?report={report.pk}").json()["results"]
    assert [(e["action"], e["to_status"]) for e in events] == [
        ("submit", "submitted"), ("return", "returned"), ("submit", "submitted"), ("accept", "accepted"), ("reopen", "returned"),
    ]
    assert events[1]["comment"] == "Explain 1.1.3 better." and events[4]["actor"] == "admin"


@pytest.mark.parametrize("persona", ["focal", "reviewer", "admin", "viewer", "unmik_viewer"])
def test_only_the_approver_submits(world, persona):
    response = _post(world, persona, world.unmik, "submit")
    assert response.status_code == 403 and response.json()["code"] == "not_permitted"
    assert _status(world.unmik) == "draft" and not ReportEvent.objects.exists()


@pytest.mark.parametrize("persona", ["other_focal", "outsider"])
def test_another_missions_report_is_not_found(world, persona):
    assert _post(world, persona, world.unmik, "submit").status_code == 404


def test_return_needs_a_comment(world):
    Report.objects.filter(pk=world.unmik.pk).update(status=Report.Status.SUBMITTED)
    missing = _post(world, "reviewer", world.unmik, "return")
    assert missing.status_code == 400 and "comment" in missing.json()["extra"]["fields"]
    blank = _post(world, "reviewer", world.unmik, "return", {"comment": "   "})
    assert blank.status_code == 400 and blank.json()["code"] == "comment_required"
    assert blank.json()["extra"]["fields"]["comment"] == ["Say what the mission should change."]
    assert _status(world.unmik) == "submitted"


def test_reopen_needs_a_reason(world):
    Report.objects.filter(pk=world.unmik.pk).update(status=Report.Status.ACCEPTED)
    blank = _post(world, "admin", world.unmik, "reopen", {"reason": ""})
    assert blank.status_code == 400 and blank.json()["code"] == "reason_required"
    assert "reason" in blank.json()["extra"]["fields"]
    assert _status(world.unmik) == "accepted"


def test_accepting_a_draft_is_a_conflict(world):
    response = _post(world, "reviewer", world.unmik, "accept")
    assert response.status_code == 409 and response.json()["code"] == "transition_not_allowed"
    assert response.json()["extra"] == {"status": "draft", "action": "accept"}


def test_an_incomplete_report_cannot_be_submitted_and_says_why(world):
    from missions.models import Membership

    Membership.objects.create(user=world.users["approver"], role=Membership.Role.APPROVER, mission=world.other.mission)
    response = _post(world, "approver", world.other, "submit")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "incomplete"
    items = body["extra"]["items"]
    assert {item["kind"] for item in items} == {"indicator"}
    assert all(item["reasons"] and item["label"] for item in items)
    assert _status(world.other) == "draft"
    _complete(world.other)
    assert _post(world, "approver", world.other, "submit").status_code == 200


def test_an_action_takes_no_unknown_fields(world):
    response = _post(world, "approver", world.unmik, "submit", {"force": True})
    assert response.status_code == 400 and "force" in response.json()["extra"]["fields"]
    assert _status(world.unmik) == "draft"


def test_get_is_not_allowed_on_an_action(world):
    response = world.client("approver").get(f"/api/v1/reports/{world.unmik.pk}/submit/")
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"


def test_a_role_that_may_never_return_is_refused_before_its_input_is_read(world):
    response = _post(world, "focal", world.unmik, "return", {"comment": 5})
    assert response.status_code == 403
