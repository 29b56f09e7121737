"""Races on PostgreSQL: 50 saves of one item at once, and a submission racing an edit.

Each thread is a separate person with a separate connection, going through the real routes
(the htmx form and the API), so the row lock, `UPDATE … WHERE version = %s` and the audit
trail are exercised together.
"""

import threading

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from indicators.models import Indicator
from indicators.services import indicator_actual_record
from missions.models import ChangeRecord, Membership, Report, ReportEvent
from rbb import workflow
from rbb.exceptions import ReportLocked, StaleVersion
from tests.entry.factories import fill_report, get_indicator, make_user

from .conftest import needs_postgresql, race

pytestmark = [pytest.mark.postgres, needs_postgresql, pytest.mark.django_db(transaction=True)]

SAVERS = 50
ROUNDS = 2


def _save(i: int, *, user, item: Indicator, version: int) -> int:
    """One person's save: even threads post the htmx form, odd ones PATCH the API."""
    value, narrative = str(100 + i), f"第 {i} 人填写的叙述"
    if i % 2 == 0:
        client = Client()
        client.force_login(user)
        prefix = f"indicator-{item.pk}"
        data = {f"{prefix}-version": version, f"{prefix}-actual": value, f"{prefix}-actual_narrative": narrative,
                f"{prefix}-variance_explanation": ""}
        url = reverse("indicators:indicator-save", args=[item.accomplishment.unit.report_id, item.pk])
        return client.post(url, data, HTTP_HX_REQUEST="true").status_code
    client = APIClient()
    client.force_authenticate(user)
    payload = {"version": version, "actual": value, "actual_narrative": narrative}
    return client.patch(f"/api/v1/indicators/{item.pk}/actual/", payload, format="json").status_code


def test_fifty_concurrent_saves_of_one_item_let_exactly_one_win_per_version(report):
    users = [make_user(f"person{i}", role=Membership.Role.FOCAL_POINT, mission=report.mission) for i in range(SAVERS)]
    item = get_indicator(report, "1.1.1")
    previous = {"actual": "", "actual_narrative": ""}
    for round_number in range(ROUNDS):
        version = round_number + 1
        statuses = race(lambda i: _save(i, user=users[i], item=item, version=version), SAVERS)

        assert sorted(set(statuses)) == [200, 409], statuses
        assert statuses.count(200) == 1 and statuses.count(409) == SAVERS - 1
        winner = statuses.index(200)
        stored = Indicator.objects.get(pk=item.pk)
        assert (stored.version, stored.actual, stored.actual_narrative) == (version + 1, str(100 + winner), f"第 {winner} 人填写的叙述")
        assert stored.updated_by == users[winner]
        # The history has the winner's change of each field, from the previous winner's value, and nothing else.
        changes = ChangeRecord.objects.filter(item_type="indicator", item_id=item.pk, version=version + 1)
        assert sorted((c.field, c.old_value, c.new_value, c.actor_id) for c in changes) == sorted([
            ("actual", previous["actual"], stored.actual, users[winner].pk),
            ("actual_narrative", previous["actual_narrative"], stored.actual_narrative, users[winner].pk),
        ])
        previous = {"actual": stored.actual, "actual_narrative": stored.actual_narrative}
    assert ChangeRecord.objects.filter(item_type="indicator", item_id=item.pk).count() == 2 * ROUNDS


def test_an_edit_waiting_behind_a_submission_is_refused_once_it_is_submitted(report, focal, approver, monkeypatch):
    fill_report(report)
    item = get_indicator(report, "1.1.1")
    holding, release = threading.Event(), threading.Event()
    original = workflow.report_blocking_items

    def slow_check(*, report):
        # The submission holds the report's row lock while it checks completeness.
        holding.set()
        assert release.wait(timeout=30)
        return original(report=report)

    monkeypatch.setattr(workflow, "report_blocking_items", slow_check)

    def act(i):
        if i == 0:
            return workflow.report_submit(report=Report.objects.get(pk=report.pk), by=approver)
        assert holding.wait(timeout=30)
        timer = threading.Timer(0.3, release.set)  # the edit is queued on the lock by then
        timer.start()
        fresh = Indicator.objects.select_related("accomplishment__unit").get(pk=item.pk)
        return indicator_actual_record(indicator=fresh, actual="999", actual_narrative="迟到的修改", variance_explanation="",
                                       version=fresh.version, by=focal)

    submitted, edit = race(act, 2)

    assert isinstance(submitted, Report), submitted
    assert isinstance(edit, ReportLocked), edit
    stored = Indicator.objects.get(pk=item.pk)
    assert stored.actual != "999" and Report.objects.get(pk=report.pk).status == Report.Status.SUBMITTED
    assert not ChangeRecord.objects.filter(item_type="indicator", item_id=item.pk, new_value="999").exists()


def test_racing_submissions_and_edits_never_change_a_submitted_report(report, focal, approver):
    """Released together many times: whichever wins, no edit lands after the submission."""
    fill_report(report)
    item = get_indicator(report, "1.1.1")
    for attempt in range(5):
        Report.objects.filter(pk=report.pk).update(status=Report.Status.DRAFT)

        def act(i, attempt=attempt):
            if i == 0:
                return workflow.report_submit(report=Report.objects.get(pk=report.pk), by=approver)
            fresh = Indicator.objects.select_related("accomplishment__unit").get(pk=item.pk)
            return indicator_actual_record(indicator=fresh, actual=str(500 + attempt), actual_narrative="并发修改",
                                           variance_explanation="原因", version=fresh.version, by=focal)

        submitted, edit = race(act, 2)
        assert isinstance(submitted, Report), submitted
        assert isinstance(edit, (Indicator, ReportLocked, StaleVersion)), edit
        submit_time = ReportEvent.objects.filter(report=report, action="submit").latest("created_at").created_at
        late = ChangeRecord.objects.filter(item_type="indicator", item_id=item.pk, created_at__gt=submit_time)
        assert not late.exists(), list(late.values("field", "new_value", "created_at"))
