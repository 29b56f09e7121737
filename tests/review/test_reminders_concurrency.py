"""Two runs of the deadline reminders at once (beat and the command) on PostgreSQL: one e-mail.

Threads get their own connections, so the runs are real concurrent transactions: the second
insert of the log row waits on the unique constraint, then skips.
"""

import datetime
import threading

import pytest
from django.db import connection, connections

from rbb.models import DeadlineReminder
from rbb.review.services import deadline_reminders_send

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite serialises every write"),
]
RUNS = 4


def test_concurrent_runs_send_each_reminder_once(report, personas, mailoutbox):
    barrier = threading.Barrier(RUNS)
    results = [None] * RUNS

    def run(i):
        try:
            barrier.wait()
            results[i] = len(deadline_reminders_send(today=datetime.date(2021, 9, 23)).sent)
        except Exception as exc:  # noqa: BLE001 — the outcome is what the test looks at
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0] * (RUNS - 1) + [1]
    assert DeadlineReminder.objects.count() == 1 and len(mailoutbox) == 1
