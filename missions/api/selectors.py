"""Reads for the API, scoped exactly as the screens are (missions.selectors).

Reports come from missions.selectors itself (report_list_for_user, report_get_for_user);
everything else narrows through the same rule (visible_mission_ids), so a role sees in the
API what it sees on the pages, and another mission's object is a 404 here as there.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from missions.models import BudgetPeriod, Mission, ReportEvent, Unit
from missions.selectors import access_for_user


def visible_mission_ids(*, user) -> list[int] | None:
    """The missions the user sees, or None for all (HQ roles, all-mission viewers, superusers).

    The same rule as report_list_for_user.
    """
    access = access_for_user(user)
    if access.sees_all_missions:
        return None
    return sorted(access.mission_roles)


def scoped_to_user(qs: QuerySet, *, user, mission_field: str) -> QuerySet:
    """Narrow rows to the missions the user sees; `mission_field` leads from the row to its mission id."""
    ids = visible_mission_ids(user=user)
    return qs if ids is None else qs.filter(**{f"{mission_field}__in": ids})


def get_or_404(qs: QuerySet, pk):
    """One row of a scoped queryset, or Http404: not yours and not there look the same."""
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404


def mission_list_for_user(*, user) -> QuerySet[Mission]:
    return scoped_to_user(Mission.objects.order_by("code"), user=user, mission_field="id")


def mission_get_for_user(*, user, pk) -> Mission:
    return get_or_404(mission_list_for_user(user=user), pk)


def period_list() -> QuerySet[BudgetPeriod]:
    """Periods are shared by every mission: anyone signed in may list them."""
    return BudgetPeriod.objects.order_by("-start")


def unit_list_for_user(*, user) -> QuerySet[Unit]:
    qs = Unit.objects.select_related("report__mission", "report__period").order_by("report_id", "order", "id")
    return scoped_to_user(qs, user=user, mission_field="report__mission_id")


def unit_get_for_user(*, user, pk) -> Unit:
    return get_or_404(unit_list_for_user(user=user), pk)


def event_list_for_user(*, user) -> QuerySet[ReportEvent]:
    qs = ReportEvent.objects.select_related("actor", "report__mission", "report__period").order_by("created_at", "id")
    return scoped_to_user(qs, user=user, mission_field="report__mission_id")
