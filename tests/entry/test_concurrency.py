"""Concurrent saves of one item on PostgreSQL: for each version exactly one wins.

Threads get their own database connections, so these are real concurrent transactions.
"""

import pytest
from django.db import connection

from indicators.models import Indicator
from indicators.services import indicator_actual_record, output_delivery_record
from missions.models import ChangeRecord
from rbb.exceptions import StaleVersion
from tests.threads import race as race_threads

from .factories import get_indicator, get_output, make_mission_report, make_user

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite serialises every write"),
]

THREADS = 6
ROUNDS = 3


def race(work):
    return race_threads(work, THREADS, timeout=60)


def test_exactly_one_concurrent_indicator_save_wins_per_version():
    from missions.models import Membership

    report = make_mission_report()
    users = [make_user(role=Membership.Role.FOCAL_POINT, mission=report.mission) for _ in range(THREADS)]
    pk = get_indicator(report, "1.1.1").pk
    for round_number in range(ROUNDS):
        version = round_number + 1

        def save(i):
            item = Indicator.objects.select_related("accomplishment__unit").get(pk=pk)
            return indicator_actual_record(
                indicator=item, actual=str(1000 + 10 * round_number + i), actual_narrative=f"thread {i}",
                variance_explanation="", version=version, by=users[i],
            )

        results = race(save)
        winners = [r for r in results if isinstance(r, Indicator)]
        losers = [r for r in results if isinstance(r, StaleVersion)]
        assert len(winners) == 1 and len(losers) == THREADS - 1, results
        stored = Indicator.objects.get(pk=pk)
        assert stored.version == version + 1
        assert stored.actual == winners[0].actual
        # Every loser was shown the winner's values, never its own.
        assert {loser.extra["values"]["actual"] for loser in losers} == {stored.actual}
        assert ChangeRecord.objects.filter(item_id=pk, field="actual", version=version + 1).count() == 1


def test_exactly_one_concurrent_output_save_wins():
    from missions.models import Membership

    report = make_mission_report()
    users = [make_user(role=Membership.Role.APPROVER, mission=report.mission) for _ in range(THREADS)]
    output = get_output(report, "1.1", "1")

    def save(i):
        return output_delivery_record(
            output=type(output).objects.select_related("accomplishment__unit").get(pk=output.pk),
            completed_kind="number", completed=str(200 + i), remarks="", version=1, by=users[i],
        )

    results = race(save)
    assert sum(not isinstance(r, Exception) for r in results) == 1
    assert sum(isinstance(r, StaleVersion) for r in results) == THREADS - 1
    output.refresh_from_db()
    assert output.version == 2


def test_the_versioned_update_alone_lets_one_win():
    """Without the report-row lock, UPDATE … WHERE version = %s still lets exactly one through."""
    from django.db import transaction

    from indicators import services
    from missions.models import Report

    report = make_mission_report()
    user = make_user()
    pk = get_indicator(report, "1.1.1").pk

    def save(i):
        with transaction.atomic():
            item = Indicator.objects.select_related("accomplishment__unit").get(pk=pk)
            values = {"actual": str(i), "actual_value": i, "actual_narrative": "", "variance_explanation": ""}
            return services._record(
                item=item, report=Report.objects.select_related("report_type").get(pk=report.pk), values=values,
                audited=services.INDICATOR_FIELDS, version=1, by=user,
            )

    results = race(save)
    assert sum(isinstance(r, Indicator) for r in results) == 1
    assert sum(isinstance(r, StaleVersion) for r in results) == THREADS - 1
    assert Indicator.objects.get(pk=pk).version == 2
