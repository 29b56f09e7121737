"""Shared pieces of the robustness tests: personas on a mission report, races between threads.

Personas (mission UNMIK):
- focal:    UNMIK focal point, all units — enters data.
- approver: UNMIK approver — enters data, certifies and submits.
- reviewer: headquarters reviewer — reads every mission, returns or accepts.
"""

from __future__ import annotations

import threading

import pytest
from django.core.cache import cache
from django.db import connection, connections

from missions.models import Membership
from tests.entry.factories import make_mission_report, make_user

Role = Membership.Role

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite serialises every write and has no backend to kill"
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The login limit counts in the cache; every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def report(db):
    return make_mission_report()


@pytest.fixture
def focal(report):
    return make_user("focal", role=Role.FOCAL_POINT, mission=report.mission)


@pytest.fixture
def approver(report):
    return make_user("approver", role=Role.APPROVER, mission=report.mission)


@pytest.fixture
def reviewer(db):
    return make_user("reviewer", role=Role.HQ_REVIEWER)


def race(work, count: int, *, timeout: float = 120) -> list:
    """Run work(i) in `count` threads released together; return what each returned or raised.

    Each thread has its own database connection (Django's are per thread), closed at the end.
    """
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i):
        try:
            barrier.wait(timeout=timeout)
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 — the outcome is what the test looks at
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish"
    return results
