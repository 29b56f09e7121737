"""APIs of the framework: expected accomplishments, indicators, outputs, their actuals.

Writes take the same road as the entry forms: the input is checked for type here, then
cleaned by the very form the page uses (so `1,234` becomes `1 234` in both), then recorded
by indicators.services, which checks the role, the report lock and the version and audits.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from indicators.forms import IndicatorActualForm, output_form_class
from indicators.models import TEXT_LIMIT, Output
from indicators.selectors import framework_units, item_change_list
from indicators.services import indicator_actual_record, output_delivery_record
from missions.selectors import access_for_user, access_may_enter_data, report_get_for_user
from rbb.api.pagination import ItemCursorPagination, PagePagination
from rbb.api.serializers import StrictCharField, StrictInputSerializer, StrictIntegerField
from rbb.exceptions import NotPermitted, StaleVersion

from . import selectors
from .filters import AccomplishmentFilter, IndicatorFilter, OutputFilter
from .serializers import AccomplishmentSerializer, FrameworkSerializer, IndicatorSerializer, OutputItemSerializer

# Schema text (the OpenAPI document is in English), not a message shown to people.
STALE = OpenApiResponse(description="Stale version: extra.current holds the item as it is now.")


class ReportFrameworkApi(APIView):
    """A whole report framework in one call: units › expected accomplishments › indicators, outputs.

    A fixed number of queries whatever the size (report, units, accomplishments, indicators,
    figures, outputs).
    """

    OutputSerializer = FrameworkSerializer

    @extend_schema(responses=OutputSerializer)
    def get(self, request, pk: int):
        report = report_get_for_user(user=request.user, pk=pk)
        units = framework_units(report=report)
        data = self.OutputSerializer({"report": report, "units": units}, context={"report": report, "request": request}).data
        return Response(data)


class AccomplishmentListApi(ListAPIView):
    OutputSerializer = AccomplishmentSerializer
    serializer_class = OutputSerializer
    filterset_class = AccomplishmentFilter
    pagination_class = PagePagination
    ordering_fields = ["id", "order", "number"]

    def get_queryset(self):
        return selectors.accomplishment_list_for_user(user=self.request.user)


class AccomplishmentDetailApi(RetrieveAPIView):
    OutputSerializer = AccomplishmentSerializer
    serializer_class = OutputSerializer

    def get_object(self):
        return selectors.accomplishment_get_for_user(user=self.request.user, pk=self.kwargs["pk"])


class IndicatorListApi(ListAPIView):
    """Indicators with plan (baselines, target, estimate), actual and rule state; cursor-paginated."""

    OutputSerializer = IndicatorSerializer
    serializer_class = OutputSerializer
    filterset_class = IndicatorFilter
    pagination_class = ItemCursorPagination
    ordering_fields = ["id", "updated_at"]

    def get_queryset(self):
        return selectors.indicator_list_for_user(user=self.request.user)


class IndicatorDetailApi(RetrieveAPIView):
    OutputSerializer = IndicatorSerializer
    serializer_class = OutputSerializer

    def get_object(self):
        return selectors.indicator_get_for_user(user=self.request.user, pk=self.kwargs["pk"])


class OutputListApi(ListAPIView):
    """Outputs with planned quantity, what was completed, remarks, delivery ratio and rule state."""

    OutputSerializer = OutputItemSerializer
    serializer_class = OutputSerializer
    filterset_class = OutputFilter
    pagination_class = ItemCursorPagination
    ordering_fields = ["id", "updated_at"]

    def get_queryset(self):
        return selectors.output_list_for_user(user=self.request.user)


class OutputDetailApi(RetrieveAPIView):
    OutputSerializer = OutputItemSerializer
    serializer_class = OutputSerializer

    def get_object(self):
        return selectors.output_get_for_user(user=self.request.user, pk=self.kwargs["pk"])


def _ensure_may_enter_data(user, item) -> None:
    """Refuse before reading the input, as the entry page does: only the mission's data enterers write."""
    unit = item.unit if isinstance(item, Output) else item.accomplishment.unit
    if not access_may_enter_data(access_for_user(user), mission_id=unit.report.mission_id, unit_number=unit.number):
        raise NotPermitted()


def _cleaned_by(form) -> dict:
    """The form's cleaned data, or a 400 carrying each field's messages and codes."""
    if form.is_valid():
        return form.cleaned_data
    errors = {}
    for field, details in form.errors.as_data().items():
        messages = form.errors[field]  # the same errors, with their parameters filled in
        key = "non_field_errors" if field == "__all__" else field
        errors[key] = [ErrorDetail(str(text), code=error.code or "invalid") for text, error in zip(messages, details)]
    raise ValidationError(errors)


def _stale_with_current(exc: StaleVersion, current: dict) -> StaleVersion:
    exc.extra = {**exc.extra, "current": current}
    return exc


class IndicatorActualUpdateApi(APIView):
    """Record an indicator's actual: value as printed, narrative, variance explanation.

    Send the `version` you read; fields you leave out keep their current value. A stale
    version is a 409 whose extra.current is the indicator as it is now; a submitted or
    accepted report is a 409 too, and nothing is written in either case.
    """

    class InputSerializer(StrictInputSerializer):
        version = StrictIntegerField(min_value=1)
        actual = StrictCharField(max_length=200, required=False, allow_blank=True, trim_whitespace=False)
        actual_narrative = StrictCharField(max_length=TEXT_LIMIT, required=False, allow_blank=True, trim_whitespace=False)
        variance_explanation = StrictCharField(max_length=TEXT_LIMIT, required=False, allow_blank=True, trim_whitespace=False)

    OutputSerializer = IndicatorSerializer

    @extend_schema(request=InputSerializer, responses={200: OutputSerializer, 409: STALE})
    def patch(self, request, pk: int):
        indicator = selectors.indicator_get_for_user(user=request.user, pk=pk)
        _ensure_may_enter_data(request.user, indicator)
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        current = {name: getattr(indicator, name) for name in ("actual", "actual_narrative", "variance_explanation")}
        form = IndicatorActualForm({**current, **payload.validated_data}, indicator=indicator)
        cleaned = _cleaned_by(form)
        try:
            indicator = indicator_actual_record(indicator=indicator, by=request.user, **cleaned)
        except StaleVersion as exc:
            fresh = selectors.indicator_get_for_user(user=request.user, pk=pk)
            raise _stale_with_current(exc, self.OutputSerializer(fresh).data)
        return Response(self.OutputSerializer(indicator).data)


class OutputDeliveryUpdateApi(APIView):
    """Record what an output delivered: yes / no / a number / several numbers / not yet, and remarks.

    For a headquarters output send only `completed` (the actual number) and `remarks`: the
    kind follows from the number, as on the entry page. Fields you leave out keep their
    value; choosing yes, no or blank without `completed` clears the number.
    """

    class InputSerializer(StrictInputSerializer):
        version = StrictIntegerField(min_value=1)
        completed_kind = serializers.ChoiceField(choices=Output.Completed.choices, required=False)
        completed = StrictCharField(max_length=100, required=False, allow_blank=True, trim_whitespace=False)
        remarks = StrictCharField(max_length=TEXT_LIMIT, required=False, allow_blank=True, trim_whitespace=False)

    OutputSerializer = OutputItemSerializer

    @extend_schema(request=InputSerializer, responses={200: OutputSerializer, 409: STALE})
    def patch(self, request, pk: int):
        output = selectors.output_get_for_user(user=request.user, pk=pk)
        _ensure_may_enter_data(request.user, output)
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        given = dict(payload.validated_data)
        headquarters = output.unit.report.report_type.is_headquarters
        if headquarters and "completed_kind" in given:
            raise ValidationError(
                {"completed_kind": [ErrorDetail(str(_("Headquarters outputs take the actual number only.")), code="not_used")]}
            )
        kind = given.get("completed_kind")
        if kind in (Output.Completed.YES, Output.Completed.NO, Output.Completed.BLANK) and "completed" not in given:
            given["completed"] = ""
        current = {"completed_kind": output.completed_kind, "completed": output.completed, "remarks": output.remarks}
        form = output_form_class(headquarters=headquarters)({**current, **given})
        cleaned = _cleaned_by(form)  # the headquarters form derives completed_kind from the number
        try:
            output = output_delivery_record(output=output, by=request.user, **cleaned)
        except StaleVersion as exc:
            fresh = selectors.output_get_for_user(user=request.user, pk=pk)
            raise _stale_with_current(exc, self.OutputSerializer(fresh).data)
        return Response(self.OutputSerializer(output).data)


class ChangeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    field = serializers.CharField(read_only=True)
    old_value = serializers.CharField(read_only=True)
    new_value = serializers.CharField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    actor = serializers.CharField(source="actor.username", read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)


class _ItemChangeListApi(APIView):
    """The item's latest changes (audit trail), newest first."""

    OutputSerializer = ChangeSerializer
    item_type = ""

    def get_item(self, request, pk):
        raise NotImplementedError

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request, pk: int):
        item = self.get_item(request, pk)
        changes = item_change_list(report=item.accomplishment.unit.report, item_type=self.item_type, item_id=item.pk)
        return Response(self.OutputSerializer(changes, many=True).data)


class IndicatorChangeListApi(_ItemChangeListApi):
    item_type = "indicator"

    def get_item(self, request, pk):
        return selectors.indicator_get_for_user(user=request.user, pk=pk)


class OutputChangeListApi(_ItemChangeListApi):
    item_type = "output"

    def get_item(self, request, pk):
        return selectors.output_get_for_user(user=request.user, pk=pk)
