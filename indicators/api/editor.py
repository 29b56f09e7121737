"""API of the framework editor (planning phase): add, change, move and delete framework items.

The same services as the editor pages (indicators.framework_services), so roles, the lock
(`Report.planned_side_editable`), version checks (409 with the current values), numbering and
the audit trail are the same. Input is typed here, then cleaned by the pages' forms (figures
typed as `1,234` are stored as printed, `1 234`). PATCH keeps the fields it does not send.
DELETE of an item with a later-period descendant or entered data answers 409
`confirmation_required` (extra.reasons) until it is sent again with `?confirm=true`.
Another mission's item, or a parent of another mission, is a 404.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from indicators import framework_services as fs
from indicators.editor_forms import BASELINE_SLOTS, AccomplishmentForm, IndicatorPlanForm, OutputPlanForm, PlanningReportForm, UnitForm
from indicators.models import TEXT_LIMIT, ExpectedAccomplishment, Indicator, Output
from missions.api.serializers import ReportSerializer
from missions.models import ReportType, Unit
from missions.selectors import report_get_for_user
from rbb.api.serializers import StrictCharField, StrictInputSerializer, StrictIntegerField, decimal_field
from rbb.exceptions import NotPermitted

from .views import _cleaned_by

CONFLICT = OpenApiResponse(description="Stale version (extra.values: the item now), a locked framework, or a deletion that needs ?confirm=true.")


def _text(max_length=TEXT_LIMIT, **kwargs):
    return StrictCharField(max_length=max_length, required=False, allow_blank=True, trim_whitespace=False, **kwargs)


# --- representations -----------------------------------------------------------------------------


class EditorUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    report_id = serializers.IntegerField(read_only=True)
    parent_id = serializers.IntegerField(read_only=True, allow_null=True)
    kind = serializers.CharField(read_only=True)
    number = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    title_en = serializers.CharField(read_only=True)
    narrative = serializers.CharField(read_only=True)
    narrative_en = serializers.CharField(read_only=True)
    order = serializers.IntegerField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    lineage = serializers.UUIDField(read_only=True)


class EditorAccomplishmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    unit_id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True)
    text = serializers.CharField(read_only=True)
    text_en = serializers.CharField(read_only=True)
    order = serializers.IntegerField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    lineage = serializers.UUIDField(read_only=True)


class PlannedFigureSerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True)
    period_label = serializers.CharField(read_only=True)
    printed = serializers.CharField(read_only=True)
    value = decimal_field()


class EditorIndicatorSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    accomplishment_id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True)
    statement = serializers.CharField(read_only=True)
    statement_en = serializers.CharField(read_only=True)
    measure = serializers.CharField(read_only=True)
    unit_hint = serializers.CharField(read_only=True)
    unit_hint_en = serializers.CharField(read_only=True)
    direction = serializers.CharField(read_only=True)
    figures = PlannedFigureSerializer(many=True, read_only=True, source="figures.all")
    order = serializers.IntegerField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    lineage = serializers.UUIDField(read_only=True)


class EditorOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    accomplishment_id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True)
    heading = serializers.CharField(read_only=True)
    heading_en = serializers.CharField(read_only=True)
    planned_text = serializers.CharField(read_only=True)
    planned_text_en = serializers.CharField(read_only=True)
    planned_quantity = serializers.CharField(read_only=True)
    planned_value = decimal_field()
    order = serializers.IntegerField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    lineage = serializers.UUIDField(read_only=True)


# --- inputs ----------------------------------------------------------------------------------------


class UnitInput(StrictInputSerializer):
    number = _text(20, help_text="Headquarters units only: the number as printed (I, A.1).")
    title = _text(500)
    title_en = _text(500)
    narrative = _text()
    narrative_en = _text()


class AccomplishmentInput(StrictInputSerializer):
    text = _text()
    text_en = _text()


class BaselineInput(StrictInputSerializer):
    period = StrictCharField(max_length=20)
    value = StrictCharField(max_length=100)


class IndicatorInput(StrictInputSerializer):
    statement = _text()
    statement_en = _text()
    measure = serializers.ChoiceField(choices=Indicator.Measure.choices, required=False)
    unit_hint = _text(100)
    unit_hint_en = _text(100)
    direction = serializers.ChoiceField(choices=Indicator.Direction.choices, required=False)
    baselines = BaselineInput(many=True, required=False, max_length=BASELINE_SLOTS)
    target = _text(100)
    estimate = _text(100, help_text="Headquarters indicators only.")


class OutputInput(StrictInputSerializer):
    heading = _text(500)
    heading_en = _text(500)
    planned_text = _text()
    planned_text_en = _text()
    planned_quantity = _text(100)


def _form_data(given: dict) -> dict:
    """The API's input as the form's fields (baselines → baseline_N_period/value)."""
    data = dict(given)
    baselines = data.pop("baselines", None)
    if baselines is not None:
        for slot in range(1, BASELINE_SLOTS + 1):
            row = baselines[slot - 1] if slot <= len(baselines) else {"period": "", "value": ""}
            data[f"baseline_{slot}_period"], data[f"baseline_{slot}_value"] = row["period"], row["value"]
    return data


class _Spec:
    """One kind of item: its input, form, representation, services and scoped fetches."""

    def __init__(self, name, input_class, form_class, output_class, *, parent_field, parent_get, get, reread):
        self.name, self.input_class, self.form_class, self.output_class = name, input_class, form_class, output_class
        self.parent_field, self.parent_get, self.get, self.reread = parent_field, parent_get, get, reread


def _unit_for_user(user, pk) -> Unit:
    try:
        unit = Unit.objects.select_related("report").get(pk=pk)
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404
    report_get_for_user(user=user, pk=unit.report_id)  # another mission's unit is a 404
    return unit


def _accomplishment_for_user(user, pk) -> ExpectedAccomplishment:
    try:
        ea = ExpectedAccomplishment.objects.select_related("unit__report").get(pk=pk)
    except (ExpectedAccomplishment.DoesNotExist, ValueError, TypeError):
        raise Http404
    report_get_for_user(user=user, pk=ea.unit.report_id)
    return ea


def _indicator_for_user(user, pk) -> Indicator:
    try:
        indicator = Indicator.objects.select_related("accomplishment__unit__report").prefetch_related("figures").get(pk=pk)
    except (Indicator.DoesNotExist, ValueError, TypeError):
        raise Http404
    report_get_for_user(user=user, pk=indicator.accomplishment.unit.report_id)
    return indicator


def _output_for_user(user, pk) -> Output:
    try:
        output = Output.objects.select_related("accomplishment__unit__report").get(pk=pk)
    except (Output.DoesNotExist, ValueError, TypeError):
        raise Http404
    report_get_for_user(user=user, pk=output.accomplishment.unit.report_id)
    return output


def _report_of(item):
    unit = item if isinstance(item, Unit) else item.unit if isinstance(item, ExpectedAccomplishment) else item.accomplishment.unit
    return unit.report


SPECS = {
    "unit": _Spec("unit", UnitInput, UnitForm, EditorUnitSerializer, parent_field="report",
                  parent_get=lambda user, pk: report_get_for_user(user=user, pk=pk), get=_unit_for_user, reread=_unit_for_user),
    "accomplishment": _Spec("accomplishment", AccomplishmentInput, AccomplishmentForm, EditorAccomplishmentSerializer,
                            parent_field="unit", parent_get=_unit_for_user, get=_accomplishment_for_user, reread=_accomplishment_for_user),
    "indicator": _Spec("indicator", IndicatorInput, IndicatorPlanForm, EditorIndicatorSerializer, parent_field="accomplishment",
                       parent_get=_accomplishment_for_user, get=_indicator_for_user, reread=_indicator_for_user),
    "output": _Spec("output", OutputInput, OutputPlanForm, EditorOutputSerializer, parent_field="accomplishment",
                    parent_get=_accomplishment_for_user, get=_output_for_user, reread=_output_for_user),
}

SERVICES = {
    "unit": (fs.unit_create, fs.unit_update, fs.unit_move, fs.unit_delete),
    "accomplishment": (fs.accomplishment_create, fs.accomplishment_update, fs.accomplishment_move, fs.accomplishment_delete),
    "indicator": (fs.indicator_create, fs.indicator_plan_update, fs.indicator_move, fs.indicator_delete),
    "output": (fs.output_create, fs.output_plan_update, fs.output_move, fs.output_delete),
}


def _form_kwargs(spec: _Spec, report) -> dict:
    return {"headquarters": report.report_type.is_headquarters} if spec.name in ("unit", "indicator") else {}


def _ensure_may_edit(user, report, unit=None, *, whole=False) -> None:
    """Refuse before reading the input, as the pages do."""
    if not fs.framework_may_edit(user, report=report, unit_number=unit.number if unit else None, whole=whole):
        raise NotPermitted()


def _unit_of(kind: str, item) -> Unit:
    return item if kind == "unit" else item.unit if kind == "accomplishment" else item.accomplishment.unit


def _create_api(kind: str):
    spec = SPECS[kind]
    create = SERVICES[kind][0]
    fields = {
        spec.parent_field: StrictIntegerField(min_value=1, help_text=f"The {spec.parent_field} (id) the new item goes under."),
        "position": StrictIntegerField(min_value=0, required=False, help_text="Place among its siblings, from 0; the end when left out."),
    }
    if kind == "unit":
        fields["parent"] = StrictIntegerField(min_value=1, required=False, help_text="Headquarters: the unit (id) a sub-unit belongs to.")
    Input = type(f"{kind.title()}CreateInput", (spec.input_class,), fields)

    class Api(APIView):
        InputSerializer = Input
        OutputSerializer = spec.output_class

        @extend_schema(request=Input, responses={201: spec.output_class, 409: CONFLICT})
        def post(self, request):
            payload = self.InputSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            given = dict(payload.validated_data)
            parent = spec.parent_get(request.user, given.pop(spec.parent_field))
            position = given.pop("position", None)
            parent_unit_id = given.pop("parent", None)
            report = parent if kind == "unit" else parent.report if kind == "accomplishment" else parent.unit.report
            unit = None if kind == "unit" else parent if kind == "accomplishment" else parent.unit
            _ensure_may_edit(request.user, report, unit, whole=kind == "unit")
            form = spec.form_class(_form_data(given), new=True, **_form_kwargs(spec, report))
            _cleaned_by(form)
            target = {spec.parent_field: parent}
            if kind == "unit" and parent_unit_id:
                parent_unit = _unit_for_user(request.user, parent_unit_id)
                if parent_unit.report_id != report.pk:
                    raise Http404
                target["parent"] = parent_unit
            item = create(by=request.user, position=position, **target, **form.service_kwargs())
            return Response(self.OutputSerializer(spec.reread(request.user, item.pk)).data, status=status.HTTP_201_CREATED)

    Api.__name__ = Api.__qualname__ = f"{kind.title()}CreateApi"
    Api.__doc__ = f"Add a {kind} to a report's framework in the planning phase; numbers follow its place."
    return Api


def _detail_api(kind: str):
    spec = SPECS[kind]
    _create, update, _move, delete = SERVICES[kind]

    Input = type(f"{kind.title()}UpdateInput", (spec.input_class,), {"version": StrictIntegerField(min_value=1)})

    class Api(APIView):
        InputSerializer = Input
        OutputSerializer = spec.output_class

        @extend_schema(request=Input, responses={200: spec.output_class, 409: CONFLICT})
        def patch(self, request, pk: int):
            item = spec.get(request.user, pk)
            report = _report_of(item)
            _ensure_may_edit(request.user, report, _unit_of(kind, item))
            payload = self.InputSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            current = spec.form_class.initial_for(item)
            form = spec.form_class({**current, **_form_data(payload.validated_data)}, **_form_kwargs(spec, report))
            _cleaned_by(form)
            update(by=request.user, **{spec.name: item}, **form.service_kwargs())
            return Response(self.OutputSerializer(spec.reread(request.user, pk)).data)

        @extend_schema(
            parameters=[OpenApiParameter("confirm", OpenApiTypes.BOOL, description="Delete even though the item has a later-period descendant or entered data.")],
            request=None, responses={204: None, 409: CONFLICT},
        )
        def delete(self, request, pk: int):
            item = spec.get(request.user, pk)
            report = _report_of(item)
            _ensure_may_edit(request.user, report, None if kind == "unit" else _unit_of(kind, item), whole=kind == "unit")
            confirm = request.query_params.get("confirm", "").lower() in ("1", "true", "yes")
            delete(by=request.user, **{spec.name: item}, confirm=confirm)
            return Response(status=status.HTTP_204_NO_CONTENT)

    Api.__name__ = Api.__qualname__ = f"{kind.title()}PlanApi"
    Api.__doc__ = f"Change (PATCH, with the version you read) or delete a {kind} of a framework in the planning phase."
    return Api


def _move_api(kind: str):
    spec = SPECS[kind]
    move = SERVICES[kind][2]

    Input = type(f"{kind.title()}MoveInput", (StrictInputSerializer,), {
        "version": StrictIntegerField(min_value=1),
        "position": StrictIntegerField(min_value=0, help_text="New place among its siblings, from 0."),
    })

    class Api(APIView):
        InputSerializer = Input
        OutputSerializer = spec.output_class

        @extend_schema(request=Input, responses={200: spec.output_class, 409: CONFLICT})
        def post(self, request, pk: int):
            item = spec.get(request.user, pk)
            _ensure_may_edit(request.user, _report_of(item), None if kind == "unit" else _unit_of(kind, item), whole=kind == "unit")
            payload = self.InputSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            move(by=request.user, **{spec.name: item}, **payload.validated_data)
            return Response(self.OutputSerializer(spec.reread(request.user, pk)).data)

    Api.__name__ = Api.__qualname__ = f"{kind.title()}MoveApi"
    Api.__doc__ = f"Move a {kind} among its siblings; the framework is renumbered."
    return Api


class PlanningReportCreateApi(APIView):
    """Budget administrators: create (when new) the entity and the period, and the entity's empty
    report for the period in the planning phase, whose framework the mission then writes."""

    class InputSerializer(StrictInputSerializer):
        entity_code = StrictCharField(max_length=40)
        name_en = _text(300)
        name_zh = _text(300)
        period_label = StrictCharField(max_length=20)
        period_start = serializers.DateField(required=False)
        period_end = serializers.DateField(required=False)
        report_type = serializers.SlugRelatedField(slug_field="code", queryset=ReportType.objects.all())

    OutputSerializer = ReportSerializer

    @extend_schema(request=InputSerializer, responses={201: ReportSerializer})
    def post(self, request):
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        form = PlanningReportForm({**data, "report_type": data["report_type"].pk})
        cleaned = _cleaned_by(form)
        report = fs.planning_report_create(by=request.user, **cleaned)
        report = report_get_for_user(user=request.user, pk=report.pk)
        return Response(self.OutputSerializer(report, context={"request": request}).data, status=status.HTTP_201_CREATED)


CREATE_APIS = {kind: _create_api(kind) for kind in SPECS}
DETAIL_APIS = {kind: _detail_api(kind) for kind in SPECS}
MOVE_APIS = {kind: _move_api(kind) for kind in SPECS}
