"""Fixtures for the narrative tables: the real UNMIK 2020/21 report, the Ethics Office example,
personas, and a private MEDIA_ROOT per test."""

import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from missions.models import Membership, Mission

ROOT = Path(__file__).resolve().parents[2]
DEMO_DIR = ROOT / "rbb" / "demo"
RESOURCES_FILE = ROOT / "missions" / "data" / "unmik-2020-21-resources.json"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test writes its exports in its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _load(name: str) -> dict:
    return json.loads((DEMO_DIR / name).read_text(encoding="utf-8"))


@pytest.fixture
def unmik_data() -> dict:
    return _load("unmik-2020-21.json")


@pytest.fixture
def unmik_resources() -> dict:
    """The resource tables of A/76/525 as printed, from the project's copy."""
    return json.loads(RESOURCES_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def unmik_report(db, unmik_data):
    """UNMIK 2020/21 as the performance report prints it: framework and resource figures."""
    from indicators.interchange import framework_import
    from missions.services import resources_load_demo

    report = framework_import(data=unmik_data)
    resources_load_demo(report=report)
    return report


@pytest.fixture
def unmik_framework_only(db, unmik_data):
    """UNMIK 2020/21 with its framework and no resource figure entered yet."""
    from indicators.interchange import framework_import

    return framework_import(data=unmik_data)


@pytest.fixture
def ethics_office_report(db):
    """The support account's Ethics Office (A/76/596, domain.md §3): the headquarters shape."""
    from indicators.interchange import framework_import

    return framework_import(data=_load("support-account-2020-21.json"))


def _user(username: str, role: str | None = None, mission: Mission | None = None):
    user = get_user_model().objects.create_user(username=username, password="pw")
    if role:
        Membership.objects.create(user=user, role=role, mission=mission)
    return user


@pytest.fixture
def focal_point(unmik_report):
    """UNMIK's focal point: sees and exports UNMIK's reports only."""
    return _user("unmik-focal", Membership.Role.FOCAL_POINT, unmik_report.mission)


@pytest.fixture
def outsider(db):
    """A focal point of another mission: UNMIK's report and exports do not exist for them."""
    other = Mission.objects.create(code="UNMISS", name_en="Other mission")
    return _user("unmiss-focal", Membership.Role.FOCAL_POINT, other)
