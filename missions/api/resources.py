"""The report's resource performance as values (A/76/525 sect. III–V and the summary tables).

Amounts are thousands of US dollars as decimal strings ("39827.3"); variances, percentages,
subtotals and rates are the ones missions.resources computes for the pages and documents.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from django.shortcuts import get_object_or_404

from missions.models import FinancialClass, StaffCategory, StaffIncumbency, UnitResourceLine
from missions.resource_selectors import resource_performance, resources_user_can_edit
from missions.resources import FinancialRow
from missions.selectors import report_get_for_user
from missions.unit_resources import unit_resource_line_update
from rbb.api.serializers import StrictInputSerializer, StrictIntegerField, decimal_field
from rbb.exceptions import NotPermitted


def _amount():
    return decimal_field(max_digits=20, decimal_places=1)


class FinancialRowSerializer(serializers.Serializer):
    code = serializers.CharField(source="cls.code")
    name_en = serializers.CharField(source="cls.name_en")
    name_zh = serializers.CharField(source="cls.name_zh")
    kind = serializers.ChoiceField(source="cls.kind", choices=FinancialClass.Kind.choices)
    group = serializers.SerializerMethodField()
    in_totals = serializers.BooleanField(source="cls.in_totals")
    apportionment = _amount()
    expenditure = _amount()
    variance = _amount()
    percent = _amount()
    needs_analysis = serializers.BooleanField()

    def get_group(self, row) -> str | None:
        parent = self.context["classes"].get(row.cls.parent_id)
        return parent.code if parent else None


class FinancialSerializer(serializers.Serializer):
    threshold_percent = _amount()
    threshold_usd = decimal_field(max_digits=20, decimal_places=0)
    utilisation = _amount()
    unencumbered_balance = _amount()
    rows = FinancialRowSerializer(many=True)


class VarianceEntrySerializer(serializers.Serializer):
    code = serializers.CharField(source="row.cls.code")
    heading = serializers.CharField(source="row.heading")
    variance = decimal_field(source="row.variance", max_digits=20, decimal_places=1)
    percent = decimal_field(source="row.percent", max_digits=20, decimal_places=1)
    paragraphs = serializers.ListField(child=serializers.CharField())
    is_missing = serializers.BooleanField()


class RedeploymentRowSerializer(serializers.Serializer):
    code = serializers.CharField(source="category.code")
    name_en = serializers.CharField(source="category.name_en")
    name_zh = serializers.CharField(source="category.name_zh")
    original = _amount()
    redeployment = _amount()
    revised = _amount()


class RedeploymentSerializer(serializers.Serializer):
    rows = RedeploymentRowSerializer(many=True)
    total_original = _amount()
    total_redeployment = _amount()
    total_revised = _amount()
    percent_of_appropriation = _amount()
    paragraphs = serializers.ListField(child=serializers.CharField())


class MonthSerializer(serializers.Serializer):
    month = serializers.DateField()
    amount = _amount()


class MonthlySerializer(serializers.Serializer):
    months = MonthSerializer(many=True)
    total = _amount()
    paragraphs = serializers.ListField(child=serializers.CharField())


class RevenueLineSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_en = serializers.CharField()
    name_zh = serializers.CharField()
    amount = _amount()
    note = serializers.CharField()


class RevenueSerializer(serializers.Serializer):
    lines = RevenueLineSerializer(many=True)
    total = _amount()


class IncumbencyCategorySerializer(serializers.Serializer):
    code = serializers.CharField(source="category.code")
    name_en = serializers.CharField(source="category.name_en")
    name_zh = serializers.CharField(source="category.name_zh")
    kind = serializers.ChoiceField(source="category.kind", choices=StaffCategory.Kind.choices)
    authorized = decimal_field(source="item.authorized", max_digits=20, decimal_places=1)
    actual_average = decimal_field(source="item.actual_average", max_digits=20, decimal_places=1)
    vacancy_rate = decimal_field(source="rate", max_digits=20, decimal_places=1)
    budgeted_vacancy_rate = decimal_field(source="item.budgeted_vacancy_rate", max_digits=20, decimal_places=1)
    method = serializers.ChoiceField(source="item.method", choices=StaffIncumbency.Method.choices, allow_null=True)


class IncumbencyRowSerializer(IncumbencyCategorySerializer):
    """A top-level category, or a group (本国工作人员) with its categories."""

    children = IncumbencyCategorySerializer(many=True)


class GaActionsSerializer(serializers.Serializer):
    unencumbered_balance = _amount()
    other_revenue = _amount()


class UnitResourceRowSerializer(serializers.Serializer):
    line_id = serializers.IntegerField(source="line.pk")
    version = serializers.IntegerField(source="line.version")
    unit_id = serializers.IntegerField(source="cls.pk")
    unit_number = serializers.CharField(source="cls.number")
    title = serializers.CharField(source="cls.title")
    title_en = serializers.CharField(source="cls.title_en")
    apportionment = _amount()
    expenditure = _amount()
    variance = _amount()
    percent = _amount()


class UnitResourceTotalSerializer(serializers.Serializer):
    apportionment = _amount()
    expenditure = _amount()
    variance = _amount()
    percent = _amount()


class UnitResourcesSerializer(serializers.Serializer):
    """Resources by department/office (or component); `differs_from_classes` warns that the
    total is not the financial table's gross requirements."""

    rows = UnitResourceRowSerializer(many=True)
    total = UnitResourceTotalSerializer()
    differs_from_classes = serializers.BooleanField()


class ResourcesSerializer(serializers.Serializer):
    report_id = serializers.IntegerField(source="report.pk")
    financial = FinancialSerializer()
    variance_entries = VarianceEntrySerializer(many=True)
    redeployment = RedeploymentSerializer()
    monthly = MonthlySerializer()
    other_revenue = RevenueSerializer()
    non_budgeted = RevenueSerializer()
    incumbency = IncumbencyRowSerializer(many=True)
    show_budgeted_vacancy_rate = serializers.BooleanField()
    ga = GaActionsSerializer()
    by_unit = UnitResourcesSerializer()


class ReportResourcesApi(APIView):
    """Financial resources, variance analysis, redeployment, monthly pattern, revenue, incumbency.

    A fixed number of queries whatever the number of classes, categories or months.
    """

    OutputSerializer = ResourcesSerializer

    @extend_schema(responses=OutputSerializer)
    def get(self, request, pk: int):
        report = report_get_for_user(user=request.user, pk=pk)
        performance = resource_performance(report=report)
        data = {
            "report": report,
            "financial": performance.financial,
            "variance_entries": performance.variance_entries,
            "redeployment": {
                "rows": performance.redeployment.rows,
                "total_original": performance.redeployment.total_original,
                "total_redeployment": performance.redeployment.total_redeployment,
                "total_revised": performance.redeployment.total_revised,
                "percent_of_appropriation": performance.redeployment.percent_of_appropriation,
                "paragraphs": performance.redeployment_paragraphs,
            },
            "monthly": {
                "months": performance.months,
                "total": performance.monthly_total,
                "paragraphs": performance.monthly_paragraphs,
            },
            "other_revenue": performance.other_revenue,
            "non_budgeted": performance.non_budgeted,
            "incumbency": performance.incumbency,
            "show_budgeted_vacancy_rate": performance.show_budgeted_vacancy_rate,
            "ga": performance.ga,
            "by_unit": performance.by_unit,
        }
        classes = {row.cls.id: row.cls for row in performance.financial.rows}
        return Response(self.OutputSerializer(data, context={"classes": classes}).data)


class UnitResourceLineUpdateApi(APIView):
    """Record a department/office's apportionment and expenditure (thousands of US$; null is nil).

    Send the `version` you read (GET …/resources/, `by_unit.rows[].version`); a stale version is a
    409 with the current values. A submitted or accepted report is refused.
    """

    class InputSerializer(StrictInputSerializer):
        version = StrictIntegerField(min_value=0)
        # Amounts as decimal strings ("1234.5"), one decimal at most; null is nil.
        apportionment = serializers.DecimalField(max_digits=16, decimal_places=1, required=False, allow_null=True)
        expenditure = serializers.DecimalField(max_digits=16, decimal_places=1, required=False, allow_null=True)

    OutputSerializer = UnitResourceRowSerializer

    @extend_schema(request=InputSerializer, responses={200: OutputSerializer})
    def patch(self, request, pk: int, line_id: int):
        report = report_get_for_user(user=request.user, pk=pk)
        if not resources_user_can_edit(user=request.user, report=report):
            raise NotPermitted()
        line = get_object_or_404(UnitResourceLine.objects.select_related("unit"), pk=line_id, report=report)
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        given = payload.validated_data
        line = unit_resource_line_update(
            line=line, version=given["version"], by=request.user,
            apportionment=given.get("apportionment", line.apportionment), expenditure=given.get("expenditure", line.expenditure),
        )
        row = FinancialRow(cls=line.unit, apportionment=line.apportionment, expenditure=line.expenditure, line=line)
        return Response(self.OutputSerializer(row).data)
