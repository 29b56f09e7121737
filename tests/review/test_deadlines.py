"""rbb.review.deadlines: the due-date rule and which reminder applies on a day."""

import datetime

import pytest

from missions.models import BudgetPeriod, Report
from rbb.review.deadlines import days_overdue, default_due_date, reminder_kind, report_due_date

D = datetime.date


def report_of(status="draft", due=None):
    return Report(status=status, due_date=due, period=BudgetPeriod(label="2020/21", start=D(2020, 7, 1), end=D(2021, 6, 30)))


def test_the_default_is_the_end_of_the_period_plus_90_days():
    assert default_due_date(D(2021, 6, 30)) == D(2021, 9, 28)
    assert report_due_date(report_of()) == D(2021, 9, 28)


def test_a_due_date_set_on_the_report_wins():
    assert report_due_date(report_of(due=D(2021, 10, 15))) == D(2021, 10, 15)


@pytest.mark.parametrize(
    "today, kind",
    [
        (D(2021, 9, 20), None),  # 8 days left
        (D(2021, 9, 21), "due_7"),
        (D(2021, 9, 25), "due_7"),  # a late run still sends the week reminder
        (D(2021, 9, 27), "due_1"),
        (D(2021, 9, 28), "due_1"),  # the due day itself
        (D(2021, 9, 29), "overdue"),
        (D(2021, 10, 28), "overdue"),
        (D(2021, 10, 29), None),  # older than the overdue window
    ],
)
def test_the_reminder_of_the_day(today, kind):
    assert reminder_kind(due=D(2021, 9, 28), today=today) == kind


def test_days_overdue_count_only_while_the_report_is_with_the_mission():
    assert days_overdue(report_of(), today=D(2021, 10, 1)) == 3
    assert days_overdue(report_of("returned"), today=D(2021, 10, 1)) == 3
    assert days_overdue(report_of("submitted"), today=D(2021, 10, 1)) == 0
    assert days_overdue(report_of(), today=D(2021, 9, 1)) == 0
