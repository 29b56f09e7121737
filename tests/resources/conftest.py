"""Personas and reports for the resource tests.

Alice is UNMIK's focal point and Bob its approver (both enter figures); Carol is a budget
administrator (all missions, may fix figures); Hugo is a headquarters reviewer (reads every
mission, edits nothing); Oscar is the focal point of another mission (UNMIK does not exist
for him).
"""

import datetime
import json
from decimal import Decimal

import pytest

from missions.data import UNMIK_DEMO_FILE
from missions.models import BudgetPeriod, Membership, Mission, Report, ReportType
from missions.services import resource_class_lists_install, resources_load_demo

Role = Membership.Role


@pytest.fixture
def seed():
    """The UNMIK 2020/21 resource tables as printed in A/76/525 (the app's copy)."""
    with open(UNMIK_DEMO_FILE, encoding="utf-8") as handle:
        return json.load(handle, parse_float=Decimal)


@pytest.fixture
def class_lists(db):
    # The data migration installs them; a transactional test elsewhere may have flushed them.
    resource_class_lists_install()


@pytest.fixture
def period(db):
    return BudgetPeriod.objects.create(label="2020/21", start=datetime.date(2020, 7, 1), end=datetime.date(2021, 6, 30))


@pytest.fixture
def unmik(db):
    return Mission.objects.create(code="UNMIK", name_en="UNMIK", name_zh="科索沃特派团")


@pytest.fixture
def other_mission(db):
    return Mission.objects.create(code="UNMISS", name_en="UNMISS")


@pytest.fixture
def report(class_lists, unmik, period):
    return Report.objects.create(mission=unmik, period=period, report_type=ReportType.objects.get(code="mission"))


@pytest.fixture
def demo_report(report):
    resources_load_demo(report=report)
    return report


@pytest.fixture
def support_account_report(class_lists, period):
    entity = Mission.objects.create(code="SUPPORT-ACCOUNT", name_en="Support account")
    return Report.objects.create(mission=entity, period=period, report_type=ReportType.objects.get(code="support-account"))


def _person(django_user_model, username, role, mission=None):
    user = django_user_model.objects.create_user(username=username, password="pw")
    Membership.objects.create(user=user, role=role, mission=mission)
    return user


@pytest.fixture
def alice(django_user_model, unmik):
    return _person(django_user_model, "alice", Role.FOCAL_POINT, unmik)


@pytest.fixture
def bob(django_user_model, unmik):
    return _person(django_user_model, "bob", Role.APPROVER, unmik)


@pytest.fixture
def carol(django_user_model):
    return _person(django_user_model, "carol", Role.BUDGET_ADMIN)


@pytest.fixture
def hugo(django_user_model):
    return _person(django_user_model, "hugo", Role.HQ_REVIEWER)


@pytest.fixture
def oscar(django_user_model, other_mission):
    return _person(django_user_model, "oscar", Role.FOCAL_POINT, other_mission)
