"""Two runs of the deadline reminders at once (beat and the command) on PostgreSQL: one e-mail.

Threads get their own connections, so the runs are real concurrent transactions: the second
insert of the log row waits on the unique constraint, then skips.
"""

import datetime

import pytest
from django.db import connection

from rbb.models import DeadlineReminder
from rbb.review.services import deadline_reminders_send
from tests.threads import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite serialises every write"),
]
RUNS = 4


def test_concurrent_runs_send_each_reminder_once(report, personas, mailoutbox):
    results = race(lambda i: len(deadline_reminders_send(today=datetime.date(2021, 9, 23)).sent), RUNS)
    assert sorted(results) == [0] * (RUNS - 1) + [1]
    assert DeadlineReminder.objects.count() == 1 and len(mailoutbox) == 1
