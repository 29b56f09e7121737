"""The programme plan's API under /api/v1/programme/: read the plan, list and write its entries.

Writes go through rbb.programme.services, as the entry page's do: the role, the report lock,
the version check (409 with the item as it is now) and the audit trail hold here too.
Workflow actions are the reports' own (/api/v1/reports/{id}/submit/ …).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from missions.selectors import access_for_user, access_may_enter_data
from rbb.api.serializers import StrictCharField, StrictInputSerializer, StrictIntegerField
from rbb.exceptions import NotPermitted, StaleVersion

from . import rules
from .flags import plan_year
from .interchange import programme_export
from .models import TEXT_LIMIT, MeasureCell, ResultParagraph
from .selectors import (
    deliverable_get,
    measure_cell_get,
    programme_cells,
    programme_deliverables,
    programme_report_get_for_user,
    programme_subprogrammes,
    result_paragraph_get,
)
from .services import deliverable_actual_record, measure_cell_editable, measure_cell_record, performance_paragraph_record

STALE = OpenApiResponse(description="Stale version: extra.current holds the item as it is now.")


def _count(value):
    return None if value is None else str(value)


class DeliverableSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    subprogramme = serializers.IntegerField(source="subcategory.subprogramme.number")
    category = serializers.CharField(source="subcategory.category.code")
    subcategory = serializers.CharField(source="subcategory.name")
    subcategory_en = serializers.CharField(source="subcategory.name_en")
    unit = serializers.CharField(source="subcategory.unit")
    unit_en = serializers.CharField(source="subcategory.unit_en")
    number = serializers.IntegerField()
    lineage = serializers.UUIDField()
    description = serializers.CharField()
    description_en = serializers.CharField()
    prior_planned = serializers.CharField(help_text="Year−2 planned, as printed (— for nil).")
    prior_actual = serializers.CharField(help_text="Year−2 actual, as printed; empty when not entered.")
    previous_planned = serializers.CharField(help_text="Year−1 planned, as printed.")
    planned = serializers.CharField(help_text="Plan-year planned, as printed.")
    explanation = serializers.CharField()
    explanation_en = serializers.CharField()
    needs_explanation = serializers.SerializerMethodField()
    complete = serializers.SerializerMethodField()

    def get_needs_explanation(self, item) -> bool:
        return rules.deliverable_needs_explanation(item)

    def get_complete(self, item) -> bool:
        return rules.deliverable_state(item).done


class MeasureCellSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    subprogramme = serializers.IntegerField(source="result.subprogramme.number")
    result = serializers.IntegerField(source="result.number", help_text="0 for the programme performance.")
    result_kind = serializers.CharField(source="result.kind")
    measure = serializers.CharField(source="result.measure_number")
    row = serializers.IntegerField()
    year = serializers.IntegerField()
    kind = serializers.CharField()
    text = serializers.CharField()
    text_en = serializers.CharField()
    editable = serializers.SerializerMethodField()

    def get_editable(self, cell) -> bool:
        return measure_cell_editable(cell, year=self.context["year"])


class ParagraphSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    number = serializers.CharField()
    text = serializers.CharField()
    text_en = serializers.CharField()


class SubcategoryTotalsSerializer(serializers.Serializer):
    category = serializers.CharField()
    subcategory = serializers.CharField()
    totals = serializers.DictField(child=serializers.CharField(allow_null=True), help_text="Sum of the items per column; null is nil.")
    printed_totals = serializers.DictField(child=serializers.CharField())
    mismatches = serializers.ListField(child=serializers.CharField(), help_text="Columns whose printed total differs from the sum.")


class ProgrammePlanApi(APIView):
    """A whole programme plan: the interchange document (docs/programme-interchange.md) and the computed totals."""

    class OutputSerializer(serializers.Serializer):
        document = serializers.DictField(help_text="The plan in the interchange format.")
        computed = serializers.DictField(
            child=serializers.ListField(child=SubcategoryTotalsSerializer()),
            help_text="Per subprogramme number, the subcategory totals computed from the items.",
        )

    @extend_schema(responses=OutputSerializer)
    def get(self, request, pk: int):
        report = programme_report_get_for_user(user=request.user, pk=pk)
        computed = {}
        for sp in programme_subprogrammes(report=report):
            computed[str(sp.number)] = [
                {
                    "category": sub.category.code,
                    "subcategory": sub.name,
                    "totals": {c: _count(v) for c, v in rules.subcategory_totals(sub).items()},
                    "printed_totals": sub.printed_totals or {},
                    "mismatches": [column for column, _p, _c in rules.subcategory_total_mismatches(sub)],
                }
                for sub in sp.subcategories.all()
            ]
        return Response({"document": programme_export(report=report), "computed": computed})


class DeliverableListApi(APIView):
    """The plan's deliverables with their ids and versions, in document order."""

    @extend_schema(responses=DeliverableSerializer(many=True))
    def get(self, request, pk: int):
        report = programme_report_get_for_user(user=request.user, pk=pk)
        return Response(DeliverableSerializer(programme_deliverables(report=report), many=True).data)


class MeasureCellListApi(APIView):
    """The plan's performance-measure cells; `editable` marks year−2's actuals and the plan year's plans."""

    @extend_schema(responses=MeasureCellSerializer(many=True))
    def get(self, request, pk: int):
        report = programme_report_get_for_user(user=request.user, pk=pk)
        context = {"year": plan_year(report)}
        return Response(MeasureCellSerializer(programme_cells(report=report), many=True, context=context).data)


def _ensure_may_enter_data(user, report, number: int) -> None:
    if not access_may_enter_data(access_for_user(user), mission_id=report.mission_id, unit_number=str(number)):
        raise NotPermitted()


class DeliverableUpdateApi(APIView):
    """Record a deliverable's year−2 actual, plan-year plan and explanation. Send the `version` you read."""

    class InputSerializer(StrictInputSerializer):
        version = StrictIntegerField(min_value=1)
        prior_actual = StrictCharField(max_length=40, required=False, allow_blank=True)
        planned = StrictCharField(max_length=40, required=False, allow_blank=True)
        explanation = StrictCharField(max_length=TEXT_LIMIT, required=False, allow_blank=True)
        explanation_en = StrictCharField(max_length=TEXT_LIMIT, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses={200: DeliverableSerializer, 409: STALE})
    def patch(self, request, report_pk: int, pk: int):
        report = programme_report_get_for_user(user=request.user, pk=report_pk)
        item = deliverable_get(report=report, pk=pk)
        _ensure_may_enter_data(request.user, report, item.subcategory.subprogramme.number)
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = {name: getattr(item, name) for name in ("prior_actual", "planned", "explanation", "explanation_en")}
        data.update(payload.validated_data)
        try:
            item = deliverable_actual_record(deliverable=item, by=request.user, **data)
        except StaleVersion as exc:
            exc.extra = {**exc.extra, "current": DeliverableSerializer(deliverable_get(report=report, pk=pk)).data}
            raise
        return Response(DeliverableSerializer(item).data)


class _TextUpdateApi(APIView):
    class InputSerializer(StrictInputSerializer):
        version = StrictIntegerField(min_value=1)
        text = StrictCharField(max_length=TEXT_LIMIT, required=False, allow_blank=True)
        text_en = StrictCharField(max_length=TEXT_LIMIT, required=False, allow_blank=True)

    def _update(self, request, report, item, number: int, record, serialize):
        _ensure_may_enter_data(request.user, report, number)
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = {"text": item.text, "text_en": item.text_en, **payload.validated_data}
        try:
            item = record(item, data)
        except StaleVersion as exc:
            exc.extra = {**exc.extra, "current": serialize(type(item).objects.get(pk=item.pk))}
            raise
        return Response(serialize(item))


class MeasureCellUpdateApi(_TextUpdateApi):
    """Record a performance-measure cell: year−2's actual or the plan year's plan (other cells are refused)."""

    @extend_schema(request=_TextUpdateApi.InputSerializer, responses={200: MeasureCellSerializer, 409: STALE})
    def patch(self, request, report_pk: int, pk: int):
        report = programme_report_get_for_user(user=request.user, pk=report_pk)
        cell = measure_cell_get(report=report, pk=pk)
        context = {"year": plan_year(report)}
        return self._update(
            request, report, cell, cell.result.subprogramme.number,
            lambda item, data: measure_cell_record(cell=item, by=request.user, **data),
            lambda item: MeasureCellSerializer(MeasureCell.objects.select_related("result__subprogramme").get(pk=item.pk), context=context).data,
        )


class PerformanceParagraphUpdateApi(_TextUpdateApi):
    """Record a paragraph of year−2's programme performance narrative."""

    @extend_schema(request=_TextUpdateApi.InputSerializer, responses={200: ParagraphSerializer, 409: STALE})
    def patch(self, request, report_pk: int, pk: int):
        report = programme_report_get_for_user(user=request.user, pk=report_pk)
        paragraph = result_paragraph_get(report=report, pk=pk)
        return self._update(
            request, report, paragraph, paragraph.result.subprogramme.number,
            lambda item, data: performance_paragraph_record(paragraph=item, by=request.user, **data),
            lambda item: ParagraphSerializer(ResultParagraph.objects.get(pk=item.pk)).data,
        )

