"""Shared pieces of the robustness tests: personas on a mission report, races between threads.

Personas (mission UNMIK):
- focal:    UNMIK focal point, all units — enters data.
- approver: UNMIK approver — enters data, certifies and submits.
- reviewer: headquarters reviewer — reads every mission, returns or accepts.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection

from missions.models import Membership
from tests.entry.factories import make_mission_report, make_user
from tests.threads import race  # noqa: F401 — the robustness tests import it from here

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
