"""missions.selectors.access_may_enter_data: who may change a mission's data, unit by unit."""

import pytest

from missions.models import Membership
from missions.selectors import access_for_user, access_may_enter_data

from .factories import make_mission, make_user

pytestmark = pytest.mark.django_db
Role = Membership.Role


@pytest.mark.parametrize(
    "role, limits, unit, allowed",
    [
        (Role.FOCAL_POINT, "", "1", True),
        (Role.FOCAL_POINT, "2", "1", False),
        (Role.FOCAL_POINT, "2", "2", True),
        (Role.FOCAL_POINT, "A, C", "A.1", True),  # a sub-unit of a unit they hold
        (Role.FOCAL_POINT, "A", "AB", False),
        (Role.FOCAL_POINT, "C", "A.1", False),
        (Role.APPROVER, "", "1", True),
        (Role.VIEWER, "", "1", False),
        (Role.HQ_REVIEWER, "", "1", False),
        (Role.BUDGET_ADMIN, "", "1", False),
    ],
)
def test_who_enters_data_where(role, limits, unit, allowed):
    mission = make_mission("UNMIK")
    hq_role = role in (Role.HQ_REVIEWER, Role.BUDGET_ADMIN)
    user = make_user(role=role, mission=None if hq_role else mission, unit_numbers=limits)
    assert access_may_enter_data(access_for_user(user), mission_id=mission.pk, unit_number=unit) is allowed


def test_an_approver_who_is_also_a_limited_focal_point_edits_everything():
    mission = make_mission("UNMIK")
    user = make_user(role=Role.FOCAL_POINT, mission=mission, unit_numbers="2")
    Membership.objects.create(user=user, role=Role.APPROVER, mission=mission)
    assert access_may_enter_data(access_for_user(user), mission_id=mission.pk, unit_number="1")


def test_mission_roles_do_not_reach_another_mission():
    mine, other = make_mission("UNMIK"), make_mission("UNMISS")
    user = make_user(role=Role.APPROVER, mission=mine)
    assert not access_may_enter_data(access_for_user(user), mission_id=other.pk, unit_number="1")
