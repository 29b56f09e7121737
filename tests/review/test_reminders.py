"""Deadline reminders: 7 days and 1 day before, then overdue; each once, whoever runs it and how often."""

import datetime
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from missions.models import Report
from rbb.models import DeadlineReminder
from rbb.review.services import deadline_reminders_send
from tests.entry.factories import make_hq_report, make_mission_report

pytestmark = pytest.mark.django_db
D = datetime.date
DUE = D(2021, 9, 30)  # the factories' due date


@pytest.fixture
def due_report(report, personas):
    return report


def sent(run):
    return [(r.report.mission.code, r.kind, r.due_date) for r in run.sent]


class TestWhatIsSent:
    def test_a_week_before_the_approvers_get_one_reminder(self, due_report, personas, mailoutbox):
        run = deadline_reminders_send(today=D(2021, 9, 23))
        assert sent(run) == [("UNMIK", "due_7", DUE)]
        (message,) = mailoutbox
        assert message.to == [personas["approver"].email]
        assert message.subject == "UNMIK 2020/21: the performance report is due in 7 days"
        assert "due on 2021-09-30, in 7 days" in message.body and f"/reports/{due_report.pk}/" in message.body

    def test_a_second_run_the_same_day_or_the_next_sends_nothing(self, due_report, mailoutbox):
        deadline_reminders_send(today=D(2021, 9, 23))
        assert sent(deadline_reminders_send(today=D(2021, 9, 23))) == []
        assert sent(deadline_reminders_send(today=D(2021, 9, 24))) == []
        assert len(mailoutbox) == 1 and DeadlineReminder.objects.count() == 1

    def test_the_day_before_and_the_day_after(self, due_report, mailoutbox):
        for day in range(23, 31):
            deadline_reminders_send(today=D(2021, 9, day))
        deadline_reminders_send(today=D(2021, 10, 1))
        deadline_reminders_send(today=D(2021, 10, 2))
        assert [m.subject for m in mailoutbox] == [
            "UNMIK 2020/21: the performance report is due in 7 days",
            "UNMIK 2020/21: the performance report is due tomorrow",
            "UNMIK 2020/21: the performance report is overdue",
        ]
        assert "1 day overdue" in mailoutbox[2].body

    def test_a_missed_day_sends_only_the_most_urgent_reminder(self, due_report, mailoutbox):
        assert sent(deadline_reminders_send(today=D(2021, 9, 30))) == [("UNMIK", "due_1", DUE)]
        assert mailoutbox[0].subject.endswith("is due today")

    @pytest.mark.parametrize("status", [Report.Status.SUBMITTED, Report.Status.ACCEPTED])
    def test_a_report_with_headquarters_gets_nothing(self, due_report, status, mailoutbox):
        Report.objects.filter(pk=due_report.pk).update(status=status)
        assert sent(deadline_reminders_send(today=D(2021, 10, 1))) == [] and mailoutbox == []

    def test_a_returned_report_is_reminded_too(self, due_report, mailoutbox):
        Report.objects.filter(pk=due_report.pk).update(status=Report.Status.RETURNED)
        deadline_reminders_send(today=D(2021, 10, 1))
        assert "Headquarters returned it" in mailoutbox[0].body

    def test_a_new_due_date_starts_a_new_series(self, due_report, mailoutbox):
        deadline_reminders_send(today=D(2021, 9, 29))
        Report.objects.filter(pk=due_report.pk).update(due_date=D(2021, 10, 5))
        assert sent(deadline_reminders_send(today=D(2021, 10, 4))) == [("UNMIK", "due_1", D(2021, 10, 5))]

    def test_without_a_due_date_the_default_applies(self, db, mailoutbox):
        hq = make_hq_report()  # no due date: 2021-06-30 + 90 days = 2021-09-28
        from missions.models import Membership
        from tests.entry.factories import make_user

        make_user("hq.approver", role=Membership.Role.APPROVER, mission=hq.mission)
        assert sent(deadline_reminders_send(today=D(2021, 9, 21))) == [("SUPPORT-ACCOUNT", "due_7", D(2021, 9, 28))]

    def test_a_mission_without_approvers_is_recorded_and_nobody_is_mailed(self, db, mailoutbox):
        make_mission_report("UNMISS")
        run = deadline_reminders_send(today=D(2021, 9, 23))
        assert sent(run) == [("UNMISS", "due_7", DUE)] and run.sent[0].recipients == "" and mailoutbox == []

    def test_long_forgotten_drafts_get_no_overdue_notice(self, due_report, mailoutbox):
        assert sent(deadline_reminders_send(today=D(2022, 1, 1))) == []


class TestFailures:
    def test_a_failed_e_mail_is_rolled_back_and_sent_by_the_next_run(self, due_report, mailoutbox):
        with mock.patch("rbb.review.services.send_mail", side_effect=ConnectionRefusedError("smtp down")):
            run = deadline_reminders_send(today=D(2021, 9, 23))
        assert run.sent == [] and len(run.failed) == 1 and not DeadlineReminder.objects.exists()
        assert sent(deadline_reminders_send(today=D(2021, 9, 23))) == [("UNMIK", "due_7", DUE)]
        assert len(mailoutbox) == 1

    def test_one_failure_does_not_stop_the_others(self, due_report, personas, mailoutbox):
        other = make_mission_report("UNMISS")
        from missions.models import Membership
        from tests.entry.factories import make_user

        make_user("unmiss.approver", role=Membership.Role.APPROVER, mission=other.mission)
        real = __import__("django.core.mail", fromlist=["send_mail"]).send_mail

        def flaky(subject, *args, **kwargs):
            if subject.startswith("UNMIK"):
                raise ConnectionRefusedError("smtp down")
            return real(subject, *args, **kwargs)

        with mock.patch("rbb.review.services.send_mail", side_effect=flaky):
            run = deadline_reminders_send(today=D(2021, 9, 23))
        assert sent(run) == [("UNMISS", "due_7", DUE)] and [r.mission.code for r, _k, _e in run.failed] == ["UNMIK"]


class TestEntryPoints:
    def test_the_task_is_registered_and_scheduled_every_day(self, settings):
        from rbb.celery import app

        app.loader.import_default_modules()
        assert "rbb.review.tasks.deadline_reminders_send" in app.tasks
        (entry,) = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "rbb.review.tasks.deadline_reminders_send"]
        assert entry["schedule"].hour == {6} and entry["schedule"].minute == {0}

    def test_the_task_runs_the_same_code(self, due_report, mailoutbox, eager_celery):
        from rbb.review.tasks import deadline_reminders_send as task

        assert task.delay(today="2021-09-23").get() == 1
        assert task.delay(today="2021-09-23").get() == 0
        assert len(mailoutbox) == 1

    def test_the_command_runs_the_same_code(self, due_report, mailoutbox):
        out = StringIO()
        call_command("send_deadline_reminders", "--date", "2021-09-23", stdout=out)
        assert "Sent Due in 7 days for UNMIK 2020/21 (due 2021-09-30) to approver@example.org." in out.getvalue()
        out = StringIO()
        call_command("send_deadline_reminders", "--date", "2021-09-23", stdout=out)
        assert "No reminder is due." in out.getvalue() and len(mailoutbox) == 1

    def test_the_command_refuses_a_bad_date(self, db):
        with pytest.raises(CommandError, match="is not a date"):
            call_command("send_deadline_reminders", "--date", "30/09/2021")

    def test_the_command_fails_loudly_when_an_e_mail_fails(self, due_report):
        err = StringIO()
        with mock.patch("rbb.review.services.send_mail", side_effect=ConnectionRefusedError("smtp down")):
            with pytest.raises(CommandError, match="run the command again"):
                call_command("send_deadline_reminders", "--date", "2021-09-23", stdout=StringIO(), stderr=err)
        # The reminder is named as people read it, not by its stored code.
        assert "Failed Due in 7 days for UNMIK 2020/21: smtp down" in err.getvalue()
