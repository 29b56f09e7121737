"""rbb.review.services: comment threads, and the snapshot frozen at every submission."""

import pytest

from indicators.interchange import framework_export, framework_import
from indicators.models import Indicator
from missions.models import ChangeRecord, Report
from rbb.exceptions import DomainError, NotPermitted
from rbb.models import Comment, Submission
from rbb.review.services import comment_add, comment_reply, comment_resolve
from rbb.workflow import report_accept, report_return, report_submit
from tests.entry.factories import fill_report, get_indicator, get_output, make_mission_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(report):
    return get_indicator(report, "1.1.1")


@pytest.fixture
def thread(report, indicator, reviewer):
    return comment_add(report=report, item=indicator, body="请核实数字。", by=reviewer)


class TestCommentAdd:
    def test_a_reviewer_starts_a_thread_on_an_item(self, report, indicator, reviewer):
        comment = comment_add(report=report, item=indicator, body="  请核实数字。 ", by=reviewer)
        assert (comment.item_key, comment.item_kind, comment.item_label, comment.body) == ("1|1.1|indicator|1.1.1", "indicator", "1.1.1", "请核实数字。")
        assert comment.is_open and comment.author == reviewer

    def test_it_records_the_comment_in_the_audit_trail(self, thread, reviewer):
        record = ChangeRecord.objects.get(item_type="comment")
        assert (record.item_id, record.field, record.new_value, record.actor) == (thread.pk, "comment", "请核实数字。", reviewer)

    def test_an_output_is_named_by_its_accomplishment_and_number(self, report, reviewer):
        comment = comment_add(report=report, item=get_output(report, "1.1", "2"), body="?", by=reviewer)
        assert (comment.item_key, comment.item_label) == ("1|1.1|output|2", "1.1 / 2")

    def test_a_budget_administrator_may_comment(self, report, indicator, personas):
        assert comment_add(report=report, item=indicator, body="ok", by=personas["admin"]).pk

    @pytest.mark.parametrize("persona", ["focal", "approver", "viewer", "viewer_all", "outsider"])
    def test_only_headquarters_starts_threads(self, report, indicator, personas, persona):
        with pytest.raises(NotPermitted):
            comment_add(report=report, item=indicator, body="x", by=personas[persona])
        assert not Comment.objects.exists()

    @pytest.mark.parametrize("body, code", [("   ", "body_required"), ("字" * 5001, "body_too_long")])
    def test_a_bad_body_is_refused_on_its_field(self, report, indicator, reviewer, body, code):
        with pytest.raises(DomainError) as info:
            comment_add(report=report, item=indicator, body=body, by=reviewer)
        assert (info.value.code, info.value.field) == (code, "body")
        assert not Comment.objects.exists()

    def test_an_accepted_report_takes_no_more_comments(self, report, indicator, reviewer, approver):
        report_submit(report=fill_report(report), by=approver)
        report_accept(report=report, by=reviewer)
        with pytest.raises(DomainError) as info:
            comment_add(report=Report.objects.get(pk=report.pk), item=indicator, body="late", by=reviewer)
        assert (info.value.code, info.value.http_status) == ("review_closed", 409)


class TestCommentReply:
    @pytest.mark.parametrize("persona", ["focal", "approver", "reviewer", "admin"])
    def test_the_mission_and_headquarters_reply(self, thread, personas, persona):
        reply = comment_reply(comment=thread, body="已更正。", by=personas[persona])
        assert (reply.parent, reply.item_key, reply.item_label) == (thread, thread.item_key, "1.1.1")
        assert ChangeRecord.objects.filter(item_type="comment", item_id=thread.pk, field="reply").count() == 1

    @pytest.mark.parametrize("persona", ["viewer", "viewer_all", "outsider"])
    def test_readers_do_not_reply(self, thread, personas, persona):
        with pytest.raises(NotPermitted):
            comment_reply(comment=thread, body="x", by=personas[persona])

    def test_another_missions_staff_do_not_reply(self, other_report, reviewer, approver):
        other_thread = comment_add(report=other_report, item=get_indicator(other_report, "1.1.1"), body="?", by=reviewer)
        with pytest.raises(NotPermitted):
            comment_reply(comment=other_thread, body="x", by=approver)

    def test_a_reply_to_a_reply_joins_the_thread(self, thread, focal, reviewer):
        first = comment_reply(comment=thread, body="1", by=focal)
        second = comment_reply(comment=first, body="2", by=reviewer)
        assert second.parent == thread

    def test_a_resolved_thread_takes_no_reply(self, thread, reviewer, focal):
        comment_resolve(comment=thread, by=reviewer)
        with pytest.raises(DomainError) as info:
            comment_reply(comment=thread, body="but", by=focal)
        assert (info.value.code, info.value.field) == ("thread_resolved", "body")


class TestCommentResolve:
    def test_a_reviewer_resolves_any_thread(self, thread, personas):
        resolved = comment_resolve(comment=thread, by=personas["admin"])
        assert resolved.resolved_by == personas["admin"] and resolved.resolved_at and not resolved.is_open
        assert ChangeRecord.objects.filter(item_type="comment", field="resolved").count() == 1

    def test_resolving_a_reply_resolves_its_thread(self, thread, focal, reviewer):
        reply = comment_reply(comment=thread, body="done", by=focal)
        comment_resolve(comment=reply, by=reviewer)
        thread.refresh_from_db()
        reply.refresh_from_db()
        assert thread.resolved_at and reply.resolved_at is None

    @pytest.mark.parametrize("persona", ["focal", "approver", "viewer", "viewer_all", "outsider"])
    def test_the_mission_does_not_resolve_headquarters_threads(self, thread, personas, persona):
        with pytest.raises(NotPermitted):
            comment_resolve(comment=thread, by=personas[persona])
        thread.refresh_from_db()
        assert thread.resolved_at is None

    def test_a_thread_is_resolved_once(self, thread, reviewer):
        comment_resolve(comment=thread, by=reviewer)
        with pytest.raises(DomainError) as info:
            comment_resolve(comment=Comment.objects.get(pk=thread.pk), by=reviewer)
        assert info.value.code == "already_resolved"


class TestSubmissionSnapshot:
    def test_each_submission_freezes_every_item_by_its_stable_key(self, submitted, approver):
        (submission,) = Submission.objects.filter(report=submitted)
        assert (submission.number, submission.submitted_by, submission.event.action) == (1, approver, "submit")
        keys = [item["key"] for item in submission.items]
        assert keys == [
            "1|1.1|indicator|1.1.1", "1|1.1|indicator|1.1.2", "1|1.1|indicator|1.1.3", "1|1.1|indicator|1.1.4",
            "1|1.1|output|1", "1|1.1|output|2", "2|2.1|indicator|2.1.1", "2|2.1|output|1",
        ]
        first = submission.items[0]
        assert first["label"] == "1.1.1" and first["fields"] == {"actual": "290", "actual_narrative": "实现。", "variance_explanation": "差异原因。"}
        output = submission.items[4]
        assert output["fields"] == {"completed_kind": "yes", "completed": "", "remarks": "已完成。"}

    def test_a_resubmission_is_numbered_and_holds_the_new_values(self, resubmitted):
        first, second = Submission.objects.filter(report=resubmitted).order_by("number")
        assert (first.number, second.number) == (1, 2)
        assert first.items[0]["fields"]["actual_narrative"] == "实现。"
        assert second.items[0]["fields"]["actual_narrative"] == "记录了 860 项决定和活动。"

    def test_a_refused_submission_freezes_nothing(self, report, approver):
        with pytest.raises(DomainError):
            report_submit(report=report, by=approver)
        assert not Submission.objects.exists()

    def test_keys_survive_a_reimport_that_replaces_every_id(self, submitted, reviewer):
        comment = comment_add(report=submitted, item=get_indicator(submitted, "1.1.1"), body="?", by=reviewer)
        report_return(report=submitted, by=reviewer, comment="x")
        old_id = get_indicator(submitted, "1.1.1").pk
        framework_import(data=framework_export(report=submitted))
        fresh = get_indicator(submitted, "1.1.1")
        assert fresh.pk != old_id
        from rbb.review.keys import item_key

        assert item_key(fresh) == comment.item_key
        assert Submission.objects.get(report=submitted).items[0]["key"] == item_key(fresh)


def test_items_entered_after_a_return_are_compared_with_the_snapshot(submitted, reviewer):
    report_return(report=submitted, by=reviewer, comment="x")
    Indicator.objects.filter(pk=get_indicator(submitted, "1.1.2").pk).update(actual="50")
    from rbb.review.selectors import submission_changes

    (change,) = submission_changes(report=submitted, old=Submission.objects.get(report=submitted), new=None)
    assert change.label == "1.1.2" and [(f.label, f.old, f.new) for f in change.fields] == [("Actual value", "≤ 48", "50")]


def test_another_report_is_untouched(submitted):
    other = make_mission_report("UNMISS")
    assert not Submission.objects.filter(report=other).exists()
