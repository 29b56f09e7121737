"""Representations of the framework items: plan, actual, and what the rules say about them.

Figures are values: `printed` as written in the document ("10%±3%", "不适用") and `value`
parsed from it as a decimal string ("10"), with the comparator and tolerance beside it.
The rule state (flags, complete, needs_explanation) is computed by indicators.rules from
loaded rows, never by a query per item.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from indicators import rules
from indicators.models import Indicator, IndicatorFigure, Output
from missions.api.serializers import ReportSerializer, UnitSerializer
from rbb.api.formats import plain_decimal
from rbb.api.serializers import FlagSerializer, decimal_field


class FigureSerializer(serializers.Serializer):
    period = serializers.CharField(source="period_label", read_only=True)
    printed = serializers.CharField(read_only=True)
    value = decimal_field()
    comparator = serializers.CharField(read_only=True)
    tolerance = decimal_field()
    not_applicable = serializers.BooleanField(read_only=True)
    source = serializers.ChoiceField(
        choices=IndicatorFigure.Source.choices, allow_blank=True, read_only=True,
        help_text="Where a machine-written baseline came from; empty when a person typed or imported it.",
    )
    overridden = serializers.BooleanField(read_only=True)
    is_estimate = serializers.BooleanField(read_only=True)


# What indicators and outputs share: where they sit, the rule state, the version.
class _ItemSerializer(serializers.Serializer):

    id = serializers.IntegerField(read_only=True)
    report_id = serializers.SerializerMethodField()
    mission = serializers.SerializerMethodField()
    period = serializers.SerializerMethodField()
    unit_id = serializers.IntegerField(source="accomplishment.unit_id", read_only=True)
    unit_number = serializers.CharField(source="accomplishment.unit.number", read_only=True)
    accomplishment_id = serializers.IntegerField(read_only=True)
    accomplishment_number = serializers.CharField(source="accomplishment.number", read_only=True)
    number = serializers.CharField(read_only=True)
    order = serializers.IntegerField(read_only=True)
    flags = serializers.SerializerMethodField()
    complete = serializers.SerializerMethodField()
    needs_explanation = serializers.SerializerMethodField()
    version = serializers.IntegerField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    updated_by = serializers.CharField(source="updated_by.username", read_only=True, allow_null=True)

    def report_of(self, item):
        # The nested framework read passes the report in the context: its units were not
        # loaded through the report, so climbing item → unit → report would query.
        unit = item.unit if isinstance(item, Output) else item.accomplishment.unit
        return self.context.get("report") or unit.report

    def state_of(self, item) -> rules.ItemState:
        state = getattr(item, "_api_state", None)
        if state is None:
            state = item._api_state = self.compute_state(item, self.report_of(item))
        return state

    def compute_state(self, item, report) -> rules.ItemState:
        raise NotImplementedError

    def get_report_id(self, item) -> int:
        return self.report_of(item).pk

    def get_mission(self, item) -> str:
        return self.report_of(item).mission.code

    def get_period(self, item) -> str:
        return self.report_of(item).period.label

    @extend_schema_field(FlagSerializer(many=True))
    def get_flags(self, item):
        return [{"code": flag.code, "message": str(flag.message)} for flag in self.state_of(item).flags]

    def get_complete(self, item) -> bool:
        return self.state_of(item).complete

    def get_needs_explanation(self, item) -> bool:
        return self.state_of(item).needs_explanation


class IndicatorSerializer(_ItemSerializer):
    statement = serializers.CharField(read_only=True, help_text="Chinese; statement_en holds the English.")
    statement_en = serializers.CharField(read_only=True)
    measure = serializers.ChoiceField(choices=Indicator.Measure.choices, read_only=True)
    unit_hint = serializers.CharField(read_only=True)
    unit_hint_en = serializers.CharField(read_only=True)
    direction = serializers.ChoiceField(choices=Indicator.Direction.choices, read_only=True)
    baselines = serializers.SerializerMethodField()
    target = serializers.SerializerMethodField()
    estimate = serializers.SerializerMethodField()
    actual = serializers.CharField(read_only=True)
    actual_value = decimal_field()
    actual_values = serializers.SerializerMethodField()
    actual_narrative = serializers.CharField(read_only=True)
    actual_narrative_en = serializers.CharField(read_only=True)
    variance_explanation = serializers.CharField(read_only=True)
    variance_explanation_en = serializers.CharField(read_only=True)

    def compute_state(self, indicator, report):
        return rules.indicator_state(indicator, tolerance_percent=report.tolerance_percent)

    def _figures(self, indicator, kind: str) -> list[IndicatorFigure]:
        return [figure for figure in indicator.figures.all() if figure.kind == kind]

    @extend_schema_field(FigureSerializer(many=True))
    def get_baselines(self, indicator):
        return FigureSerializer(self._figures(indicator, IndicatorFigure.Kind.BASELINE), many=True).data

    @extend_schema_field(FigureSerializer(allow_null=True))
    def get_target(self, indicator):
        figures = self._figures(indicator, IndicatorFigure.Kind.TARGET)
        return FigureSerializer(figures[0]).data if figures else None

    @extend_schema_field(FigureSerializer(allow_null=True))
    def get_estimate(self, indicator):
        figures = self._figures(indicator, IndicatorFigure.Kind.ESTIMATE)
        return FigureSerializer(figures[0]).data if figures else None

    @extend_schema_field(serializers.ListField(child=serializers.DecimalField(max_digits=20, decimal_places=4)))
    def get_actual_values(self, indicator) -> list[str]:
        """Every figure of the actual cell: 1.3.1 reports 24 %, 23 % and 37 % against one target."""
        return [plain_decimal(value) for value in indicator.actual_figure.values]


class OutputItemSerializer(_ItemSerializer):
    # Every output belongs to a unit; a headquarters unit's own outputs have no accomplishment.
    unit_id = serializers.IntegerField(read_only=True)
    unit_number = serializers.CharField(source="unit.number", read_only=True)
    accomplishment_id = serializers.IntegerField(read_only=True, allow_null=True)
    accomplishment_number = serializers.CharField(source="accomplishment.number", read_only=True, allow_null=True)
    heading = serializers.CharField(read_only=True)
    heading_en = serializers.CharField(read_only=True)
    heading_path = serializers.ListField(child=serializers.CharField(), read_only=True)
    planned_text = serializers.CharField(read_only=True, help_text="Chinese; planned_text_en holds the English.")
    planned_text_en = serializers.CharField(read_only=True)
    planned_quantity = serializers.CharField(read_only=True)
    planned_value = decimal_field()
    quantity_carried_over = serializers.BooleanField(read_only=True)
    completed_kind = serializers.ChoiceField(choices=Output.Completed.choices, read_only=True)
    completed = serializers.CharField(read_only=True)
    completed_value = decimal_field()
    completed_values = serializers.SerializerMethodField()
    remarks = serializers.CharField(read_only=True)
    remarks_en = serializers.CharField(read_only=True)
    delivery_ratio = serializers.SerializerMethodField()

    def compute_state(self, output, report):
        return rules.output_state(output, **rules.report_rule_options(report))

    @extend_schema_field(serializers.ListField(child=serializers.DecimalField(max_digits=20, decimal_places=4)))
    def get_completed_values(self, output) -> list[str]:
        if output.completed_kind not in (Output.Completed.NUMBER, Output.Completed.NUMBERS):
            return []
        return [plain_decimal(value) for value in output.completed_values]

    @extend_schema_field(serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True))
    def get_delivery_ratio(self, output) -> str | None:
        """actual ÷ planned × 100, one decimal, half-up; null when undefined (planned 0, not a number)."""
        ratio = rules.output_delivery_ratio(output)
        return None if ratio is None else str(ratio)


class AccomplishmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    report_id = serializers.IntegerField(source="unit.report_id", read_only=True)
    unit_id = serializers.IntegerField(read_only=True)
    unit_number = serializers.CharField(source="unit.number", read_only=True)
    number = serializers.CharField(read_only=True)
    text = serializers.CharField(read_only=True, help_text="Chinese; text_en holds the English.")
    text_en = serializers.CharField(read_only=True)
    order = serializers.IntegerField(read_only=True)


class FrameworkAccomplishmentSerializer(AccomplishmentSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True, source="indicators.all")
    outputs = OutputItemSerializer(many=True, read_only=True, source="outputs.all")


class FrameworkUnitSerializer(UnitSerializer):
    accomplishments = FrameworkAccomplishmentSerializer(many=True, read_only=True, source="accomplishments.all")
    outputs = OutputItemSerializer(
        many=True, read_only=True, source="unit_outputs",
        help_text="Outputs of the unit itself (headquarters), printed in one table after its indicator tables.",
    )


class FrameworkSerializer(serializers.Serializer):
    """A whole report framework: the report, its units, their accomplishments and items."""

    report = ReportSerializer(read_only=True)
    units = FrameworkUnitSerializer(many=True, read_only=True)


# --- series across periods (issue 14 §5) -----------------------------------------------------


class IndicatorPointSerializer(serializers.Serializer):
    period = serializers.CharField(read_only=True)
    item_id = serializers.IntegerField(read_only=True, allow_null=True, help_text="The indicator of that period; null for a period known only as a printed baseline.")
    report_id = serializers.IntegerField(read_only=True, allow_null=True)
    phase = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    baseline = serializers.CharField(read_only=True, help_text="This period's value as a later framework printed it.")
    baseline_value = decimal_field()
    target = serializers.CharField(read_only=True)
    target_value = decimal_field()
    estimate = serializers.CharField(read_only=True)
    estimate_value = decimal_field()
    actual = serializers.CharField(read_only=True)
    actual_value = decimal_field()
    actual_kind = serializers.CharField(read_only=True, help_text="accepted (its performance report is accepted), entered, or empty.")


class OutputPointSerializer(serializers.Serializer):
    period = serializers.CharField(read_only=True)
    item_id = serializers.IntegerField(read_only=True)
    report_id = serializers.IntegerField(read_only=True)
    phase = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    planned = serializers.CharField(read_only=True, help_text="Planned quantity as printed.")
    planned_value = decimal_field()
    completed_kind = serializers.CharField(read_only=True)
    completed = serializers.CharField(read_only=True)
    completed_value = decimal_field()
    ratio = decimal_field(help_text="Delivery ratio in per cent, one decimal.")
    accepted = serializers.BooleanField(read_only=True)


class IndicatorSeriesSerializer(serializers.Serializer):
    item_id = serializers.IntegerField(read_only=True)
    lineage = serializers.UUIDField(read_only=True)
    points = IndicatorPointSerializer(many=True, read_only=True)


class OutputSeriesSerializer(serializers.Serializer):
    item_id = serializers.IntegerField(read_only=True)
    lineage = serializers.UUIDField(read_only=True)
    points = OutputPointSerializer(many=True, read_only=True)
