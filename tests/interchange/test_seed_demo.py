"""manage.py seed_demo: both demo reports and one login per role, idempotent."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings

from missions.models import Membership, Report, Unit
from rbb.demo_data import demo_seed

from .conftest import db_counts

pytestmark = pytest.mark.django_db


def _memberships() -> set[tuple]:
    return set(Membership.objects.values_list("user__username", "role", "mission__code"))


def test_it_loads_both_shapes_and_creates_the_users():
    result = demo_seed(password="s3cret")

    assert sorted(str(report) for report in result.loaded) == ["DPPA 2024", "SUPPORT 2020/21", "UNMIK 2020/21"]
    assert result.skipped == []
    assert _memberships() == {
        ("unmik.focal", "focal_point", "UNMIK"),
        ("unmik.approver", "approver", "UNMIK"),
        ("dppa.focal", "focal_point", "DPPA"),
        ("dppa.approver", "approver", "DPPA"),
        ("hq.reviewer", "hq_reviewer", None),
        ("budget.admin", "budget_admin", None),
        ("viewer", "viewer", None),
    }
    users = get_user_model().objects.order_by("username")
    assert [(u.username, u.is_staff, u.is_superuser) for u in users] == [
        ("budget.admin", True, True),
        ("dppa.approver", False, False),
        ("dppa.focal", False, False),
        ("hq.reviewer", False, False),
        ("unmik.approver", False, False),
        ("unmik.focal", False, False),
        ("viewer", False, False),
    ]
    assert all(user.check_password("s3cret") for user in users)


def test_running_it_twice_duplicates_nothing():
    demo_seed()
    before = (db_counts(), _memberships(), get_user_model().objects.count(), Membership.objects.count())

    demo_seed()

    assert (db_counts(), _memberships(), get_user_model().objects.count(), Membership.objects.count()) == before
    # UNMIK 2020/21, SUPPORT 2020/21, DPPA 2024 and UNMIK's 2021/22 budget proposal, rolled forward once.
    assert before[0]["Report"] == 4 and before[2] == 7 and before[3] == 7


def test_it_leaves_a_locked_report_alone():
    demo_seed()
    unmik = Report.objects.get(mission__code="UNMIK", period__label="2020/21")
    unmik.status = Report.Status.ACCEPTED
    unmik.save(update_fields=["status"])
    Unit.objects.filter(report=unmik, number="1").update(title="已接受的标题")

    result = demo_seed()

    assert [str(report) for report in result.loaded] == ["SUPPORT 2020/21", "DPPA 2024"]
    assert len(result.skipped) == 1 and "UNMIK 2020/21" in result.skipped[0]
    assert Unit.objects.get(report=unmik, number="1").title == "已接受的标题"


def test_it_rolls_unmik_forward_into_its_2021_22_proposal_with_a_few_targets():
    from indicators.models import IndicatorFigure

    result = demo_seed()
    assert [str(report) for report in result.rolled] == ["UNMIK 2021/22"]
    proposal = Report.objects.get(mission__code="UNMIK", period__label="2021/22")
    assert (proposal.phase, proposal.status) == (Report.Phase.PLANNING, Report.Status.DRAFT)
    targets = IndicatorFigure.objects.filter(indicator__accomplishment__unit__report=proposal, kind="target")
    assert dict(targets.values_list("indicator__number", "printed")) == {"1.1.1": "900", "1.1.2": "12", "1.1.3": "30%", "1.2.1": "2 500"}
    # The series links to 2020/21 through the lineage, and a second run keeps the proposal as it is.
    figure = IndicatorFigure.objects.get(indicator__accomplishment__unit__report=proposal, indicator__number="1.1.1", period_label="2020/21")
    assert (figure.printed, figure.source) == ("860", IndicatorFigure.Source.ENTERED_ACTUAL)
    assert demo_seed().rolled == []
    assert targets.count() == 4


@override_settings(DEMO_PASSWORD="from-settings")
def test_the_command_prints_the_logins_and_the_address():
    out = StringIO()
    call_command("seed_demo", stdout=out)

    text = out.getvalue()
    assert "Loaded UNMIK 2020/21: units 2, expected accomplishments 4, indicators 17, outputs 59." in text
    assert "Loaded SUPPORT 2020/21: units 1, expected accomplishments 1, indicators 3, outputs 4." in text
    assert "Rolled forward UNMIK 2021/22 (budget proposal, draft): units 2, expected accomplishments 4, indicators 17, outputs 59." in text
    rows = [line.split() for line in text.splitlines()]
    assert ["budget.admin", "Budget", "administrator", "from-settings"] in rows
    assert ["unmik.focal", "Mission", "focal", "point", "from-settings"] in rows
    assert "http://127.0.0.1:8000/" in text
    assert get_user_model().objects.get(username="viewer").check_password("from-settings")
