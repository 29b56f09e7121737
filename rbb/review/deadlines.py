"""When a report is due, and which reminder its approvers get on a given day.

The due date rule: a report's own `due_date` when a budget administrator set one; otherwise
**the end of its budget period + 90 days** (a 1 July – 30 June period ending 30 June 2021 is
due on 28 September 2021), which gives the mission the first quarter after the period to
close its accounts and write the report.

Reminders go to the mission's approvers while the report is with the mission (draft or
returned): one 7 days before the due date, one the day before, and one overdue notice the day
after; each once per due date. A day missed by the scheduler is caught up with the most urgent
reminder only, so nobody gets "due in 7 days" on the eve of the deadline.
"""

from __future__ import annotations

import datetime

from missions.models import Report
from rbb.models import DeadlineReminder

DEFAULT_DUE_DAYS = Report.DEFAULT_DUE_DAYS
WEEK_BEFORE = 7
DAY_BEFORE = 1
# Overdue notices are sent only this long after the due date, so that switching reminders on
# does not e-mail every forgotten draft of past periods.
OVERDUE_WINDOW_DAYS = 30

WITH_THE_MISSION = (Report.Status.DRAFT, Report.Status.RETURNED)

Kind = DeadlineReminder.Kind


def default_due_date(period_end: datetime.date) -> datetime.date:
    return period_end + datetime.timedelta(days=DEFAULT_DUE_DAYS)


def report_due_date(report: Report) -> datetime.date:
    """The report's due date, or the default from its period (the period must be loaded)."""
    return report.effective_due_date


def days_overdue(report: Report, *, today: datetime.date) -> int:
    """Days past the due date while the report is still with the mission; 0 otherwise."""
    if report.status not in WITH_THE_MISSION:
        return 0
    return max((today - report_due_date(report)).days, 0)


def reminder_kind(*, due: datetime.date, today: datetime.date) -> str | None:
    """The reminder that applies today, or None."""
    days_left = (due - today).days
    if days_left < -OVERDUE_WINDOW_DAYS:
        return None
    if days_left < 0:
        return Kind.OVERDUE
    if days_left <= DAY_BEFORE:
        return Kind.DAY
    if days_left <= WEEK_BEFORE:
        return Kind.WEEK
    return None
