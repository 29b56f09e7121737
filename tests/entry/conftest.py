"""Personas and reports for the data-entry and workflow tests.

Personas (mission A is "own", mission B is "other"):
- focal: mission A focal point, all units — enters data.
- focal_limited: mission A focal point limited to unit 2 — enters data there only.
- approver: mission A approver — enters data, certifies and submits.
- reviewer: headquarters reviewer — reads every mission, returns or accepts.
- admin: budget administrator — reads every mission, reopens accepted reports.
- viewer: mission A viewer — reads mission A only.
- viewer_all: viewer of every mission — reads everything, changes nothing.
- outsider: no role — sees no report.
"""

import pytest

from missions.models import Membership

from .factories import make_mission, make_mission_report, make_user

Role = Membership.Role


@pytest.fixture(autouse=True)
def _workflow_urls(settings):
    settings.ROOT_URLCONF = "tests.entry.urls"


@pytest.fixture
def eager_celery():
    """Run tasks in-process even when CI points Celery at a real broker, so e-mails land in mail.outbox."""
    from rbb.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@pytest.fixture
def report(db):
    return make_mission_report("UNMIK")


@pytest.fixture
def other_report(db):
    return make_mission_report("UNMISS")


@pytest.fixture
def personas(db):
    mission = make_mission("UNMIK")
    return {
        "focal": make_user("focal", role=Role.FOCAL_POINT, mission=mission),
        "focal_limited": make_user("focal_limited", role=Role.FOCAL_POINT, mission=mission, unit_numbers="2"),
        "approver": make_user("approver", role=Role.APPROVER, mission=mission),
        "reviewer": make_user("reviewer", role=Role.HQ_REVIEWER),
        "admin": make_user("admin", role=Role.BUDGET_ADMIN),
        "viewer": make_user("viewer", role=Role.VIEWER, mission=mission),
        "viewer_all": make_user("viewer_all", role=Role.VIEWER),
        "outsider": make_user("outsider"),
    }


@pytest.fixture
def focal(personas):
    return personas["focal"]


@pytest.fixture
def approver(personas):
    return personas["approver"]


@pytest.fixture
def reviewer(personas):
    return personas["reviewer"]


@pytest.fixture
def admin(personas):
    return personas["admin"]
