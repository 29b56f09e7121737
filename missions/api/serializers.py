"""Representations of missions, periods, reports, units and workflow events.

Values, not print strings: decimals go out as strings ("20", "37.8"), dates in ISO 8601.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from missions.models import BudgetPeriod, Report, ReportType, Unit
from rbb.api.serializers import decimal_field
from rbb.workflow import TRANSITIONS, report_actions_for_user


class MissionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name_en = serializers.CharField(read_only=True)
    name_zh = serializers.CharField(read_only=True)
    short_name_en = serializers.CharField(read_only=True)
    short_name_zh = serializers.CharField(read_only=True)
    overall_objective = serializers.CharField(read_only=True)
    overall_objective_en = serializers.CharField(read_only=True)
    mandate_references = serializers.SerializerMethodField()

    def get_mandate_references(self, mission) -> list[str]:
        return [line.strip() for line in mission.mandate_references.splitlines() if line.strip()]


class BudgetPeriodSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    label = serializers.CharField(read_only=True)
    start = serializers.DateField(read_only=True)
    end = serializers.DateField(read_only=True)
    kind = serializers.ChoiceField(choices=BudgetPeriod.Kind.choices, read_only=True)


class ReportSerializer(serializers.Serializer):
    """A report with its entity, period and type (loaded by report_list_for_user)."""

    id = serializers.IntegerField(read_only=True)
    mission_id = serializers.IntegerField(read_only=True)
    mission = serializers.CharField(source="mission.code", read_only=True)
    period_id = serializers.IntegerField(read_only=True)
    period = serializers.CharField(source="period.label", read_only=True)
    period_start = serializers.DateField(source="period.start", read_only=True)
    period_end = serializers.DateField(source="period.end", read_only=True)
    report_type = serializers.CharField(source="report_type.code", read_only=True)
    shape = serializers.ChoiceField(source="report_type.shape", choices=ReportType.Shape.choices, read_only=True)
    symbol = serializers.CharField(read_only=True)
    budget_symbol = serializers.CharField(read_only=True)
    phase = serializers.ChoiceField(choices=Report.Phase.choices, read_only=True)
    status = serializers.ChoiceField(choices=Report.Status.choices, read_only=True)
    is_locked = serializers.BooleanField(read_only=True)
    planned_side_editable = serializers.BooleanField(read_only=True)
    planned_side_frozen = serializers.BooleanField(read_only=True)
    due_date = serializers.DateField(read_only=True, allow_null=True)
    tolerance_percent = decimal_field(max_digits=5, decimal_places=1)
    ratio_low = decimal_field(max_digits=5, decimal_places=1)
    ratio_high = decimal_field(max_digits=5, decimal_places=1)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    actions = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=list(TRANSITIONS))))
    def get_actions(self, report) -> list[str]:
        """The workflow actions the requesting user may take now (POST /reports/{id}/<action>/)."""
        request = self.context.get("request")
        if request is None:
            return []
        return report_actions_for_user(report=report, user=request.user)


class UnitSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    report_id = serializers.IntegerField(read_only=True)
    parent_id = serializers.IntegerField(read_only=True, allow_null=True)
    kind = serializers.ChoiceField(choices=Unit.Kind.choices, read_only=True)
    number = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True, help_text="Chinese; title_en holds the English.")
    title_en = serializers.CharField(read_only=True)
    paragraphs = serializers.ListField(child=serializers.CharField(), read_only=True, help_text="The narrative in Chinese.")
    paragraphs_en = serializers.ListField(child=serializers.CharField(), read_only=True, help_text="The narrative in English.")
    order = serializers.IntegerField(read_only=True)


class ReportEventSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    report_id = serializers.IntegerField(read_only=True)
    mission = serializers.CharField(source="report.mission.code", read_only=True)
    period = serializers.CharField(source="report.period.label", read_only=True)
    action = serializers.CharField(read_only=True)
    from_status = serializers.ChoiceField(choices=Report.Status.choices, read_only=True)
    to_status = serializers.ChoiceField(choices=Report.Status.choices, read_only=True)
    comment = serializers.CharField(read_only=True)
    actor = serializers.CharField(source="actor.username", read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)

