"""Query filters of the mission-side lists: by mission code, period label, report type, status."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from missions.models import BudgetPeriod, Mission, Report, ReportEvent, ReportType, Unit
from rbb.api.filters import IdFilter, UtcDateTimeFilter


class MissionFilter(django_filters.FilterSet):
    code = django_filters.CharFilter(field_name="code", lookup_expr="iexact", label=_("Mission code, for example UNMIK."))

    class Meta:
        model = Mission
        fields = ["code"]


class BudgetPeriodFilter(django_filters.FilterSet):
    label = django_filters.CharFilter(field_name="label", label=_("Period label, for example 2020/21."))
    kind = django_filters.ChoiceFilter(choices=BudgetPeriod.Kind.choices)

    class Meta:
        model = BudgetPeriod
        fields = ["label", "kind"]


class ReportFilter(django_filters.FilterSet):
    mission = django_filters.CharFilter(field_name="mission__code", lookup_expr="iexact", label=_("Mission code."))
    period = django_filters.CharFilter(field_name="period__label", label=_("Period label."))
    report_type = django_filters.CharFilter(field_name="report_type__code", label=_("Report type code."))
    shape = django_filters.ChoiceFilter(field_name="report_type__shape", choices=ReportType.Shape.choices)
    status = django_filters.ChoiceFilter(choices=Report.Status.choices)

    class Meta:
        model = Report
        fields = ["mission", "period", "report_type", "shape", "status"]


class UnitFilter(django_filters.FilterSet):
    report = IdFilter(field_name="report_id")
    mission = django_filters.CharFilter(field_name="report__mission__code", lookup_expr="iexact")
    period = django_filters.CharFilter(field_name="report__period__label")
    kind = django_filters.ChoiceFilter(choices=Unit.Kind.choices)

    class Meta:
        model = Unit
        fields = ["report", "mission", "period", "kind"]


class ReportEventFilter(django_filters.FilterSet):
    report = IdFilter(field_name="report_id")
    mission = django_filters.CharFilter(field_name="report__mission__code", lookup_expr="iexact")
    period = django_filters.CharFilter(field_name="report__period__label")
    action = django_filters.CharFilter(field_name="action")
    to_status = django_filters.ChoiceFilter(choices=Report.Status.choices)
    since = UtcDateTimeFilter(field_name="created_at", lookup_expr="gte", label=_("Events at or after this time."))

    class Meta:
        model = ReportEvent
        fields = ["report", "mission", "period", "action", "to_status", "since"]
