"""Read APIs of missions, periods, reports, units and workflow events.

Each class is one operation; querysets come from missions.api.selectors, which scope them
the way the screens do.
"""

from __future__ import annotations

from rest_framework.generics import ListAPIView, RetrieveAPIView

from missions.selectors import report_get_for_user, report_list_for_user
from rbb.api.pagination import ItemCursorPagination, PagePagination

from . import selectors
from .filters import BudgetPeriodFilter, MissionFilter, ReportEventFilter, ReportFilter, UnitFilter
from .serializers import (
    BudgetPeriodSerializer,
    MissionSerializer,
    ReportEventSerializer,
    ReportSerializer,
    UnitSerializer,
)


class MissionListApi(ListAPIView):
    """Budget entities you may see (HQ roles: all; mission staff: theirs)."""

    OutputSerializer = MissionSerializer
    serializer_class = OutputSerializer
    filterset_class = MissionFilter
    pagination_class = PagePagination
    ordering_fields = ["code", "id"]

    def get_queryset(self):
        return selectors.mission_list_for_user(user=self.request.user)


class MissionDetailApi(RetrieveAPIView):
    OutputSerializer = MissionSerializer
    serializer_class = OutputSerializer

    def get_object(self):
        return selectors.mission_get_for_user(user=self.request.user, pk=self.kwargs["pk"])


class BudgetPeriodListApi(ListAPIView):
    OutputSerializer = BudgetPeriodSerializer
    serializer_class = OutputSerializer
    filterset_class = BudgetPeriodFilter
    pagination_class = PagePagination
    ordering_fields = ["start", "label", "id"]

    def get_queryset(self):
        return selectors.period_list()


class ReportListApi(ListAPIView):
    """Reports you may see, newest period first; filter by mission, period, type, status."""

    OutputSerializer = ReportSerializer
    serializer_class = OutputSerializer
    filterset_class = ReportFilter
    pagination_class = PagePagination
    ordering_fields = ["id", "status", "updated_at", "due_date", "mission__code", "period__start"]

    def get_queryset(self):
        return report_list_for_user(user=self.request.user)


class ReportDetailApi(RetrieveAPIView):
    OutputSerializer = ReportSerializer
    serializer_class = OutputSerializer

    def get_object(self):
        return report_get_for_user(user=self.request.user, pk=self.kwargs["pk"])


class UnitListApi(ListAPIView):
    """Components (mission shape) or departments and sub-units (headquarters shape)."""

    OutputSerializer = UnitSerializer
    serializer_class = OutputSerializer
    filterset_class = UnitFilter
    pagination_class = PagePagination
    ordering_fields = ["id", "order", "number"]

    def get_queryset(self):
        return selectors.unit_list_for_user(user=self.request.user)


class UnitDetailApi(RetrieveAPIView):
    OutputSerializer = UnitSerializer
    serializer_class = OutputSerializer

    def get_object(self):
        return selectors.unit_get_for_user(user=self.request.user, pk=self.kwargs["pk"])


class ReportEventListApi(ListAPIView):
    """Workflow transitions (submitted, returned, accepted, reopened), oldest first."""

    OutputSerializer = ReportEventSerializer
    serializer_class = OutputSerializer
    filterset_class = ReportEventFilter
    pagination_class = ItemCursorPagination
    ordering_fields = ["id"]

    def get_queryset(self):
        return selectors.event_list_for_user(user=self.request.user)
