"""rbb.workflow: draft → submitted → returned → submitted → accepted, and reopening."""

from decimal import Decimal
from unittest import mock

import pytest

from missions.models import ChangeRecord, FinancialClass, FinancialLine, Report, ReportEvent, ReportType
from rbb.exceptions import DomainError, NotPermitted, SubmissionIncomplete, TransitionNotAllowed
from rbb.workflow import (
    report_accept,
    report_actions_for_user,
    report_blocking_items,
    report_reopen,
    report_return,
    report_submit,
)

from .factories import fill_report, get_indicator, make_mission_report

pytestmark = pytest.mark.django_db
Status = Report.Status


def status_of(report):
    return Report.objects.get(pk=report.pk).status


@pytest.fixture
def ready(report):
    return fill_report(report)


class TestBlockingItems:
    def test_an_empty_report_lists_every_item_with_a_link(self, report):
        items = report_blocking_items(report=report)
        assert [item.label for item in items] == ["1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1 / 1", "1.1 / 2", "2.1.1", "2.1 / 1"]
        first = items[0]
        assert first.kind == "indicator" and first.reasons == ("Enter the actual value or the narrative.",)
        indicator = get_indicator(report, "1.1.1")
        assert first.url == f"/reports/{report.pk}/entry/{indicator.accomplishment_id}/#indicator-{indicator.pk}"

    def test_an_unexplained_variance_blocks_with_the_rule_text(self, ready):
        item = get_indicator(ready, "1.1.1")
        item.set_actual("860")
        item.variance_explanation = ""
        item.save()
        (blocking,) = report_blocking_items(report=ready)
        assert blocking.label == "1.1.1"
        assert blocking.reasons == ("The actual value beats the target by more than 20.0%.",)

    def test_a_filled_report_has_none(self, ready):
        assert report_blocking_items(report=ready) == []

    def test_an_unexplained_financial_variance_blocks_too(self, ready, approver):
        """Lines the ±5 % / ±US$100 000 rule selects need an explanation (A/76/525, sect. IV)."""
        ready.report_type = ReportType.objects.get(code="mission")  # the shipped class list
        ready.save(update_fields=["report_type"])
        travel = FinancialClass.objects.get(report_type=ready.report_type, code="official-travel")
        FinancialLine.objects.create(report=ready, financial_class=travel, apportionment=Decimal("318.9"), expenditure=Decimal("31.7"))
        (line,) = report_blocking_items(report=ready)
        assert line.kind == "financial_line"
        with pytest.raises(SubmissionIncomplete):
            report_submit(report=ready, by=approver)
        assert status_of(ready) == Status.DRAFT


class TestSubmit:
    def test_the_approver_submits_a_complete_report(self, ready, approver):
        report_submit(report=ready, by=approver)
        assert status_of(ready) == Status.SUBMITTED
        event = ReportEvent.objects.get(report=ready)
        assert (event.actor, event.action, event.from_status, event.to_status) == (approver, "submit", "draft", "submitted")
        change = ChangeRecord.objects.get(report=ready, item_type="report")
        assert (change.field, change.old_value, change.new_value, change.actor) == ("status", "draft", "submitted", approver)

    def test_an_incomplete_report_is_refused_with_every_blocking_item(self, report, approver):
        with pytest.raises(SubmissionIncomplete) as info:
            report_submit(report=report, by=approver)
        assert len(info.value.extra["items"]) == 8
        assert status_of(report) == Status.DRAFT and not ReportEvent.objects.exists()

    @pytest.mark.parametrize("persona", ["focal", "reviewer", "admin", "viewer", "viewer_all", "outsider"])
    def test_only_the_mission_approver_submits(self, ready, personas, persona):
        with pytest.raises(NotPermitted):
            report_submit(report=ready, by=personas[persona])
        assert status_of(ready) == Status.DRAFT

    def test_an_approver_of_another_mission_may_not(self, approver):
        other = fill_report(make_mission_report("UNMISS"))
        with pytest.raises(NotPermitted):
            report_submit(report=other, by=approver)

    def test_a_submitted_report_cannot_be_submitted_again(self, ready, approver):
        report_submit(report=ready, by=approver)
        with pytest.raises(TransitionNotAllowed):
            report_submit(report=Report.objects.get(pk=ready.pk), by=approver)


class TestReturnAcceptReopen:
    @pytest.fixture
    def submitted(self, ready, approver):
        return report_submit(report=ready, by=approver)

    def test_the_reviewer_returns_with_a_comment(self, submitted, reviewer, django_capture_on_commit_callbacks):
        with mock.patch("rbb.workflow.report_returned_notify_task.delay") as delay:
            with django_capture_on_commit_callbacks(execute=True):
                report_return(report=submitted, by=reviewer, comment="请补充 1.1.1 的差异解释")
        event = ReportEvent.objects.get(action="return")
        assert (status_of(submitted), event.comment, event.actor) == (Status.RETURNED, "请补充 1.1.1 的差异解释", reviewer)
        delay.assert_called_once_with(event_id=event.pk)

    def test_a_return_needs_a_comment(self, submitted, reviewer):
        with pytest.raises(DomainError) as info:
            report_return(report=submitted, by=reviewer, comment="  ")
        assert (info.value.code, info.value.field) == ("comment_required", "comment")
        assert status_of(submitted) == Status.SUBMITTED

    def test_the_full_cycle(self, submitted, reviewer, approver, admin):
        report_return(report=submitted, by=reviewer, comment="格式")
        report_submit(report=submitted, by=approver)
        report_accept(report=submitted, by=reviewer)
        assert status_of(submitted) == Status.ACCEPTED and submitted.is_locked
        report_reopen(report=submitted, by=admin, reason="更正数字")
        steps = list(ReportEvent.objects.filter(report=submitted).values_list("action", "from_status", "to_status"))
        assert steps == [
            ("submit", "draft", "submitted"), ("return", "submitted", "returned"), ("submit", "returned", "submitted"),
            ("accept", "submitted", "accepted"), ("reopen", "accepted", "returned"),
        ]

    def test_the_budget_admin_may_return_and_accept(self, submitted, admin):
        report_accept(report=submitted, by=admin)
        assert status_of(submitted) == Status.ACCEPTED

    @pytest.mark.parametrize("persona", ["focal", "approver", "viewer", "viewer_all", "outsider"])
    def test_mission_people_and_viewers_may_not_return_or_accept(self, submitted, personas, persona):
        with pytest.raises(NotPermitted):
            report_return(report=submitted, by=personas[persona], comment="x")
        with pytest.raises(NotPermitted):
            report_accept(report=submitted, by=personas[persona])
        assert status_of(submitted) == Status.SUBMITTED

    def test_a_draft_cannot_be_accepted_or_returned(self, report, reviewer):
        with pytest.raises(TransitionNotAllowed):
            report_accept(report=report, by=reviewer)
        with pytest.raises(TransitionNotAllowed):
            report_return(report=report, by=reviewer, comment="x")

    def test_only_the_budget_admin_reopens_and_needs_a_reason(self, submitted, reviewer, admin):
        report_accept(report=submitted, by=reviewer)
        with pytest.raises(NotPermitted):
            report_reopen(report=submitted, by=reviewer, reason="x")
        with pytest.raises(DomainError) as info:
            report_reopen(report=submitted, by=admin, reason="")
        assert info.value.code == "reason_required"
        assert status_of(submitted) == Status.ACCEPTED

    def test_a_submitted_report_cannot_be_reopened(self, submitted, admin):
        with pytest.raises(TransitionNotAllowed):
            report_reopen(report=submitted, by=admin, reason="x")


@pytest.mark.parametrize(
    "status, persona, actions",
    [
        (Status.DRAFT, "approver", ["submit"]),
        (Status.DRAFT, "focal", []),
        (Status.RETURNED, "approver", ["submit"]),
        (Status.SUBMITTED, "reviewer", ["return", "accept"]),
        (Status.SUBMITTED, "admin", ["return", "accept"]),
        (Status.SUBMITTED, "approver", []),
        (Status.ACCEPTED, "admin", ["reopen"]),
        (Status.ACCEPTED, "reviewer", []),
        (Status.ACCEPTED, "viewer_all", []),
    ],
)
def test_actions_offered_follow_role_and_state(report, personas, status, persona, actions):
    report.status = status
    assert report_actions_for_user(report=report, user=personas[persona]) == actions


