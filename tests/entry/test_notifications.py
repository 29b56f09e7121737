"""E-mails: approvers told once per readiness, focal points told of a return with its comment."""

from unittest import mock

import pytest

from indicators.services import indicator_actual_record
from missions.models import Report
from rbb.emails import report_ready_notify, report_returned_notify
from rbb.models import Notification
from rbb.workflow import report_return, report_submit

from .factories import fill_report, get_indicator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]


def save(item, by, django_capture_on_commit_callbacks, **values):
    fields = {"actual": item.actual, "actual_narrative": item.actual_narrative, "variance_explanation": item.variance_explanation}
    fields.update(values)
    with django_capture_on_commit_callbacks(execute=True):
        return indicator_actual_record(indicator=item, version=item.version, by=by, **fields)


@pytest.fixture
def almost_ready(report):
    """Filled except 1.1.1, which has no actual yet."""
    fill_report(report)
    item = get_indicator(report, "1.1.1")
    item.set_actual("")
    item.actual_narrative = item.variance_explanation = ""
    item.save()
    return report


def test_approvers_are_told_once_when_the_last_item_is_done(almost_ready, focal, approver, mailoutbox, django_capture_on_commit_callbacks):
    item = get_indicator(almost_ready, "1.1.1")
    save(item, focal, django_capture_on_commit_callbacks, actual="860")
    assert mailoutbox == []  # 860 against 290 still needs its explanation
    save(item, focal, django_capture_on_commit_callbacks, variance_explanation="高于计划，原因是…")
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [approver.email]
    assert "UNMIK 2020/21" in message.subject and "ready to submit" in message.subject
    assert f"/reports/{almost_ready.pk}/" in message.body
    save(item, focal, django_capture_on_commit_callbacks, actual_narrative="又改了一次")
    assert len(mailoutbox) == 1


def test_a_new_readiness_is_told_again(almost_ready, focal, mailoutbox, django_capture_on_commit_callbacks):
    item = get_indicator(almost_ready, "1.1.1")
    save(item, focal, django_capture_on_commit_callbacks, actual="290")
    assert len(mailoutbox) == 1
    save(item, focal, django_capture_on_commit_callbacks, actual="100")  # missed: needs an explanation
    assert not Notification.objects.filter(is_open=True).exists()
    save(item, focal, django_capture_on_commit_callbacks, variance_explanation="低于计划，原因是…")
    assert len(mailoutbox) == 2


def test_a_repeated_task_sends_nothing_more(almost_ready, approver, mailoutbox):
    fill_report(almost_ready)
    assert report_ready_notify(report=almost_ready) is True
    assert report_ready_notify(report=almost_ready) is False
    assert len(mailoutbox) == 1


def test_submitting_closes_the_readiness(almost_ready, approver, mailoutbox):
    fill_report(almost_ready)
    report_ready_notify(report=almost_ready)
    report_submit(report=almost_ready, by=approver)
    assert not Notification.objects.filter(is_open=True).exists()
    assert report_ready_notify(report=Report.objects.get(pk=almost_ready.pk)) is False


def test_focal_points_are_told_of_a_return_with_the_comment(report, personas, mailoutbox, django_capture_on_commit_callbacks):
    fill_report(report)
    report_submit(report=report, by=personas["approver"])
    with django_capture_on_commit_callbacks(execute=True):
        report_return(report=report, by=personas["reviewer"], comment="请补充 1.1.1 的差异解释")
    (message,) = mailoutbox
    assert sorted(message.to) == ["focal@example.org", "focal_limited@example.org"]
    assert "returned" in message.subject
    assert "请补充 1.1.1 的差异解释" in message.body and "reviewer" in message.body
    event = report.events.get(action="return")
    assert report_returned_notify(event=event) is False
    assert len(mailoutbox) == 1


def test_focal_points_are_told_of_a_reopening_with_the_reason(report, personas, mailoutbox, django_capture_on_commit_callbacks):
    from rbb.workflow import report_accept, report_reopen

    fill_report(report)
    report_submit(report=report, by=personas["approver"])
    report_accept(report=report, by=personas["reviewer"])
    with django_capture_on_commit_callbacks(execute=True):
        report_reopen(report=report, by=personas["admin"], reason="更正 2.1.1 的数字")
    (message,) = mailoutbox
    assert "reopened" in message.subject and "更正 2.1.1 的数字" in message.body


def test_nobody_is_told_while_the_report_is_incomplete(report, focal, mailoutbox, django_capture_on_commit_callbacks):
    save(get_indicator(report, "1.1.1"), focal, django_capture_on_commit_callbacks, actual="290")
    assert mailoutbox == [] and not Notification.objects.exists()


class TestCoalescedReadinessCheck:
    """With a shared cache and a worker, a burst of saves shares one check (READINESS_CHECK_DELAY)."""

    @pytest.fixture(autouse=True)
    def coalesced(self, settings):
        from django.core.cache import cache

        settings.READINESS_CHECK_DELAY = 2
        cache.clear()
        yield
        cache.clear()

    def test_saves_before_the_check_starts_share_it_and_a_later_save_gets_its_own(self, almost_ready, focal, approver, mailoutbox, django_capture_on_commit_callbacks):
        from rbb import tasks

        item = get_indicator(almost_ready, "1.1.1")
        with mock.patch.object(tasks.report_ready_notify, "apply_async") as apply_async:
            save(item, focal, django_capture_on_commit_callbacks, actual="860")
            item.refresh_from_db()
            save(item, focal, django_capture_on_commit_callbacks, variance_explanation="高于计划，原因是…")
        apply_async.assert_called_once_with(kwargs={"report_id": almost_ready.pk, "coalesced": True}, countdown=2)
        assert mailoutbox == []

        # The one queued check runs later and reads both saves: the report is ready.
        assert tasks.report_ready_notify(**apply_async.call_args.kwargs["kwargs"]) is True
        assert len(mailoutbox) == 1

        # Once it has started, the next save queues a check of its own.
        item.refresh_from_db()
        with mock.patch.object(tasks.report_ready_notify, "apply_async") as apply_async:
            save(item, focal, django_capture_on_commit_callbacks, variance_explanation="")
        apply_async.assert_called_once()
        assert tasks.report_ready_notify(**apply_async.call_args.kwargs["kwargs"]) is False  # the explanation is missing again
        assert not Notification.objects.filter(is_open=True).exists()

    def test_each_report_has_its_own_pending_check(self, almost_ready, other_report):
        from rbb import tasks

        with mock.patch.object(tasks.report_ready_notify, "apply_async") as apply_async:
            for report in (almost_ready, other_report, almost_ready, other_report):
                tasks.report_ready_check_schedule(report_id=report.pk)
        assert sorted(call.kwargs["kwargs"]["report_id"] for call in apply_async.call_args_list) == sorted([almost_ready.pk, other_report.pk])

    def test_a_broker_that_refuses_the_task_leaves_no_pending_mark(self, almost_ready):
        from rbb import tasks

        with mock.patch.object(tasks.report_ready_notify, "apply_async", side_effect=ConnectionError("broker down")):
            with pytest.raises(ConnectionError):
                tasks.report_ready_check_schedule(report_id=almost_ready.pk)
        with mock.patch.object(tasks.report_ready_notify, "apply_async") as apply_async:
            tasks.report_ready_check_schedule(report_id=almost_ready.pk)
        apply_async.assert_called_once()

    def test_a_worker_with_other_settings_still_clears_the_pending_mark(self, almost_ready, settings):
        # The web process coalesces (shared cache), the worker was started without the delay:
        # the mark travels with the task, so the worker clears it and the next save is checked.
        from rbb import tasks

        with mock.patch.object(tasks.report_ready_notify, "apply_async") as apply_async:
            tasks.report_ready_check_schedule(report_id=almost_ready.pk)
        settings.READINESS_CHECK_DELAY = 0
        tasks.report_ready_notify(**apply_async.call_args.kwargs["kwargs"])
        settings.READINESS_CHECK_DELAY = 2
        with mock.patch.object(tasks.report_ready_notify, "apply_async") as apply_async:
            tasks.report_ready_check_schedule(report_id=almost_ready.pk)
        apply_async.assert_called_once()

    def test_a_failing_cache_checks_every_save_instead(self, almost_ready):
        from rbb import tasks

        with (
            mock.patch.object(tasks.cache, "add", side_effect=ConnectionError("cache down")),
            mock.patch.object(tasks.report_ready_notify, "delay") as delay,
            mock.patch.object(tasks.report_ready_notify, "apply_async") as apply_async,
        ):
            tasks.report_ready_check_schedule(report_id=almost_ready.pk)
            tasks.report_ready_check_schedule(report_id=almost_ready.pk)
        assert delay.call_count == 2
        apply_async.assert_not_called()

    def test_the_check_runs_even_if_the_mark_cannot_be_cleared(self, almost_ready, focal, approver, mailoutbox):
        from rbb import tasks

        item = get_indicator(almost_ready, "1.1.1")
        item.set_actual("860")
        item.variance_explanation = "高于计划，原因是…"
        item.save()
        with mock.patch.object(tasks.cache, "delete", side_effect=ConnectionError("cache down")):
            assert tasks.report_ready_notify(report_id=almost_ready.pk, coalesced=True) is True
        assert len(mailoutbox) == 1

    def test_with_no_delay_every_save_is_checked(self, almost_ready, settings):
        from rbb import tasks

        settings.READINESS_CHECK_DELAY = 0
        with mock.patch.object(tasks.report_ready_notify, "delay") as delay:
            tasks.report_ready_check_schedule(report_id=almost_ready.pk)
            tasks.report_ready_check_schedule(report_id=almost_ready.pk)
        assert delay.call_count == 2


def test_the_delay_defaults_on_only_with_a_shared_cache_and_a_worker():
    import subprocess
    import sys

    def delay(**env):
        code = "from django.conf import settings; print(settings.READINESS_CHECK_DELAY)"
        base = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "rbb.settings", "SECRET_KEY": "x" * 50, "DATABASE_URL": "sqlite://:memory:"}
        out = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], env={**base, **env},
                             capture_output=True, text=True, check=True)
        return out.stdout.strip()

    assert delay() == "0.0"
    assert delay(CACHE_URL="redis://127.0.0.1:6379/9") == "0.0"
    assert delay(CACHE_URL="redis://127.0.0.1:6379/9", CELERY_BROKER_URL="redis://127.0.0.1:6379/0") == "2.0"
    assert delay(READINESS_CHECK_DELAY="5", CACHE_URL="redis://127.0.0.1:6379/9", CELERY_BROKER_URL="redis://127.0.0.1:6379/0") == "5.0"
