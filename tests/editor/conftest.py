"""A UNMIK-like report in the planning phase, and the personas of the entry tests."""

import pytest

from missions.models import Report
from tests.entry.conftest import admin, approver, focal, personas, reviewer  # noqa: F401
from tests.entry.factories import make_mission_report


@pytest.fixture(autouse=True)
def _workflow_urls(settings):
    settings.ROOT_URLCONF = "tests.entry.urls"


@pytest.fixture
def planning(db):
    report = make_mission_report("UNMIK")
    Report.objects.filter(pk=report.pk).update(phase=Report.Phase.PLANNING)
    report.refresh_from_db()
    return report


@pytest.fixture
def other_planning(db):
    report = make_mission_report("UNMISS")
    Report.objects.filter(pk=report.pk).update(phase=Report.Phase.PLANNING)
    report.refresh_from_db()
    return report
