"""Query filters of the framework lists: where an item sits, what it measures, whether it is flagged."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from indicators.models import ExpectedAccomplishment, Indicator, Output
from missions.models import Report, ReportType
from rbb.api.filters import IdFilter, UtcDateTimeFilter

from . import selectors

R = "accomplishment__unit__report"


class _ItemFilter(django_filters.FilterSet):
    report = IdFilter(field_name=f"{R}_id")
    mission = django_filters.CharFilter(field_name=f"{R}__mission__code", lookup_expr="iexact", label=_("Mission code."))
    period = django_filters.CharFilter(field_name=f"{R}__period__label", label=_("Period label, for example 2020/21."))
    report_type = django_filters.CharFilter(field_name=f"{R}__report_type__code", label=_("Report type code."))
    shape = django_filters.ChoiceFilter(field_name=f"{R}__report_type__shape", choices=ReportType.Shape.choices)
    status = django_filters.ChoiceFilter(field_name=f"{R}__status", choices=Report.Status.choices, label=_("Report status."))
    unit = IdFilter(field_name="accomplishment__unit_id")
    accomplishment = IdFilter(field_name="accomplishment_id")
    updated_since = UtcDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    # Declared last: they read the rows the other filters left (FilterSet applies in order).
    flagged = django_filters.BooleanFilter(method="filter_flagged", label=_("The rules flag the item."))
    needs_explanation = django_filters.BooleanFilter(
        method="filter_needs_explanation", label=_("Flagged and not explained yet.")
    )

    flagged_ids = None  # set by subclasses: selectors.indicator_ids_flagged / output_ids_flagged

    def _by_ids(self, queryset, value, *, unexplained: bool):
        if value is None:
            return queryset
        ids = type(self).flagged_ids(queryset, unexplained=unexplained)
        return queryset.filter(pk__in=ids) if value else queryset.exclude(pk__in=ids)

    def filter_flagged(self, queryset, name, value):
        return self._by_ids(queryset, value, unexplained=False)

    def filter_needs_explanation(self, queryset, name, value):
        return self._by_ids(queryset, value, unexplained=True)


class IndicatorFilter(_ItemFilter):
    measure = django_filters.ChoiceFilter(choices=Indicator.Measure.choices)
    direction = django_filters.ChoiceFilter(choices=Indicator.Direction.choices)
    number = django_filters.CharFilter(field_name="number", label=_("Indicator number, for example 1.1.1."))

    flagged_ids = staticmethod(selectors.indicator_ids_flagged)

    class Meta:
        model = Indicator
        fields = [
            "report", "mission", "period", "report_type", "shape", "status", "unit", "accomplishment",
            "measure", "direction", "number", "updated_since", "flagged", "needs_explanation",
        ]


class OutputFilter(_ItemFilter):
    # Outputs reach their report through their unit (a headquarters output may have no accomplishment).
    report = IdFilter(field_name="unit__report_id")
    mission = django_filters.CharFilter(field_name="unit__report__mission__code", lookup_expr="iexact", label=_("Mission code."))
    period = django_filters.CharFilter(field_name="unit__report__period__label", label=_("Period label, for example 2020/21."))
    report_type = django_filters.CharFilter(field_name="unit__report__report_type__code", label=_("Report type code."))
    shape = django_filters.ChoiceFilter(field_name="unit__report__report_type__shape", choices=ReportType.Shape.choices)
    status = django_filters.ChoiceFilter(field_name="unit__report__status", choices=Report.Status.choices, label=_("Report status."))
    unit = IdFilter(field_name="unit_id")
    accomplishment = IdFilter(field_name="accomplishment_id")
    updated_since = UtcDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    completed_kind = django_filters.ChoiceFilter(choices=Output.Completed.choices)
    heading = django_filters.CharFilter(field_name="heading", lookup_expr="startswith")
    # Redeclared so they stay last: they read the rows the other filters left.
    flagged = django_filters.BooleanFilter(method="filter_flagged", label=_("The rules flag the item."))
    needs_explanation = django_filters.BooleanFilter(
        method="filter_needs_explanation", label=_("Flagged and not explained yet.")
    )

    flagged_ids = staticmethod(selectors.output_ids_flagged)

    class Meta:
        model = Output
        fields = [
            "report", "mission", "period", "report_type", "shape", "status", "unit", "accomplishment",
            "completed_kind", "heading", "updated_since", "flagged", "needs_explanation",
        ]


class AccomplishmentFilter(django_filters.FilterSet):
    report = IdFilter(field_name="unit__report_id")
    mission = django_filters.CharFilter(field_name="unit__report__mission__code", lookup_expr="iexact")
    period = django_filters.CharFilter(field_name="unit__report__period__label")
    unit = IdFilter(field_name="unit_id")
    number = django_filters.CharFilter(field_name="number")

    class Meta:
        model = ExpectedAccomplishment
        fields = ["report", "mission", "period", "unit", "number"]
