"""Reads for missions and reports, always scoped to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404

from .models import Membership, Report

Role = Membership.Role
ALL_MISSION_ROLES = {Role.HQ_REVIEWER, Role.BUDGET_ADMIN}


@dataclass(frozen=True)
class Access:
    """What a user may do, read once per request from their memberships."""

    roles_everywhere: frozenset = frozenset()  # roles not tied to a mission
    mission_roles: dict = field(default_factory=dict)  # mission_id -> frozenset of roles
    unit_limits: dict = field(default_factory=dict)  # mission_id -> set of unit numbers, empty = all
    is_superuser: bool = False

    @property
    def sees_all_missions(self) -> bool:
        return self.is_superuser or bool(self.roles_everywhere)

    def roles_for(self, mission_id: int) -> frozenset:
        return self.roles_everywhere | self.mission_roles.get(mission_id, frozenset())

    def has_role(self, mission_id: int, *roles) -> bool:
        return self.is_superuser and Role.BUDGET_ADMIN in roles or bool(self.roles_for(mission_id) & set(roles))

    @property
    def is_hq(self) -> bool:
        return self.is_superuser or bool(self.roles_everywhere & ALL_MISSION_ROLES)


def access_for_user(user) -> Access:
    """Return the user's roles, cached on the user object for the request."""
    if not user.is_authenticated:
        return Access()
    cached = getattr(user, "_rbb_access", None)
    if cached is not None:
        return cached
    everywhere, per_mission, limits = set(), {}, {}
    for membership in Membership.objects.filter(user=user).only("role", "mission_id", "unit_numbers"):
        if membership.mission_id is None:
            everywhere.add(membership.role)
            continue
        per_mission.setdefault(membership.mission_id, set()).add(membership.role)
        if membership.role == Role.FOCAL_POINT and membership.unit_numbers.strip():
            limits.setdefault(membership.mission_id, set()).update(
                n.strip() for n in membership.unit_numbers.split(",") if n.strip()
            )
    access = Access(
        roles_everywhere=frozenset(everywhere),
        mission_roles={k: frozenset(v) for k, v in per_mission.items()},
        unit_limits=limits,
        is_superuser=user.is_superuser,
    )
    user._rbb_access = access
    return access


def report_list_for_user(*, user) -> QuerySet[Report]:
    """Reports the user may see, newest period first, with entity, period and type loaded."""
    qs = Report.objects.select_related("mission", "period", "report_type").order_by("-period__start", "mission__code")
    access = access_for_user(user)
    if access.sees_all_missions:
        return qs
    return qs.filter(mission_id__in=list(access.mission_roles))


def report_get_for_user(*, user, pk: int) -> Report:
    """Return the report or raise Http404: another mission's report does not exist for you."""
    try:
        return report_list_for_user(user=user).get(pk=pk)
    except (Report.DoesNotExist, ValueError, TypeError):
        raise Http404("No such report.")


def report_get_by_entity_period(*, entity_code: str, period_label: str) -> Report:
    return Report.objects.select_related("mission", "period", "report_type").get(
        mission__code=entity_code, period__label=period_label
    )


def access_may_enter_data(access: Access, *, mission_id: int, unit_number: str | None = None) -> bool:
    """Whether the user may change a mission's data: its approvers, and its focal points within their units.

    A focal point limited to unit `A` may also edit its sub-units (`A.1`), which the
    headquarters shape nests under it. Without a unit number: may they change anything at all.
    """
    roles = access.mission_roles.get(mission_id, frozenset())
    if Role.APPROVER in roles:
        return True
    if Role.FOCAL_POINT not in roles:
        return False
    limits = access.unit_limits.get(mission_id)
    if not limits or unit_number is None:
        return True
    return any(unit_number == n or unit_number.startswith(f"{n}.") for n in limits)


def report_events(*, report: Report) -> QuerySet:
    """The report's workflow events, oldest first, with who acted."""
    return report.events.select_related("actor").order_by("created_at", "id")


def mission_member_emails(*, mission_id: int, role: str) -> list[str]:
    """E-mail addresses of the active users holding a role on a mission, for notifications."""
    return sorted(
        set(
            Membership.objects.filter(mission_id=mission_id, role=role, user__is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )
