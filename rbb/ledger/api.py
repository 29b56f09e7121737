"""The follow-up ledger through the API: /api/v1/requests/.

Reads are scoped like the pages: a request is listed with the assignments of the reports you
see (a mission sees only its own; another mission's assignment is a 404). Headquarters records
requests and assigns them; the mission answers with a version check. The rules are the
services' (rbb.ledger.services), the same as the pages'.
"""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response as ApiResponse
from rest_framework.views import APIView

from missions.selectors import report_get_for_user, report_list_for_user
from rbb.api.pagination import PagePagination
from rbb.api.serializers import StrictCharField, StrictInputSerializer

from . import selectors, services
from .models import Assignment, Request, Response, SourceDocument


class ResponseSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Response.Status.choices)
    action = serializers.CharField()
    action_en = serializers.CharField()
    version = serializers.IntegerField()
    updated_at = serializers.DateTimeField()


class AssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    report_id = serializers.IntegerField()
    entity = serializers.CharField(source="report.mission.code")
    period = serializers.CharField(source="report.period.label")
    due_date = serializers.DateField(allow_null=True)
    carried_from_id = serializers.IntegerField(allow_null=True)
    response = ResponseSerializer()


class SourceSerializer(serializers.Serializer):
    symbol = serializers.CharField()
    body = serializers.ChoiceField(choices=SourceDocument.Body.choices)
    date = serializers.DateField(allow_null=True)
    title = serializers.CharField()
    title_en = serializers.CharField()


class RequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    source = SourceSerializer()
    paragraph = serializers.CharField()
    text = serializers.CharField()
    text_en = serializers.CharField()
    kind = serializers.ChoiceField(choices=Request.Kind.choices)
    addressed_to = serializers.ChoiceField(choices=Request.AddressedTo.choices)
    assignments = AssignmentSerializer(many=True, source="visible_assignments")


class RequestFilter(django_filters.FilterSet):
    body = django_filters.ChoiceFilter(field_name="source__body", choices=SourceDocument.Body.choices)
    source = django_filters.CharFilter(field_name="source__symbol")
    status = django_filters.ChoiceFilter(choices=Response.Status.choices, method="filter_assignment")
    entity = django_filters.CharFilter(method="filter_assignment")
    period = django_filters.CharFilter(method="filter_assignment")

    class Meta:
        model = Request
        fields = ["body", "source", "status", "entity", "period"]

    def filter_assignment(self, queryset, name, value):
        lookup = {"status": "response__status", "entity": "report__mission__code", "period": "report__period__label"}[name]
        return queryset.filter(Exists(Assignment.objects.filter(request=OuterRef("pk"), **{lookup: value})))


def _visible_assignments(user):
    return Assignment.objects.filter(report__in=report_list_for_user(user=user).values("pk")).select_related(
        "report__mission", "report__period", "response"
    ).order_by("report__period__start", "report__mission__code", "id")


def request_list_for_user(*, user):
    """Requests with the assignments the user may see; a mission sees only requests assigned to it."""
    visible = _visible_assignments(user)
    qs = Request.objects.select_related("source").prefetch_related(
        Prefetch("assignments", queryset=visible, to_attr="visible_assignments")
    ).order_by("source__body", "source__symbol", "order", "id")
    if not selectors.user_may_manage_ledger(user):
        qs = qs.filter(Exists(visible.filter(request=OuterRef("pk"))))
    return qs


def _request_get(*, user, pk) -> Request:
    from django.http import Http404

    try:
        return request_list_for_user(user=user).get(pk=pk)
    except (Request.DoesNotExist, ValueError, TypeError):
        raise Http404("No such request.") from None


class RequestInput(StrictInputSerializer):
    source = StrictCharField(max_length=60, help_text="The source document's symbol, e.g. A/RES/76/274.")
    body = serializers.ChoiceField(choices=SourceDocument.Body.choices)
    paragraph = StrictCharField(max_length=100)
    text = StrictCharField(allow_blank=True, required=False, default="", max_length=20000)
    text_en = StrictCharField(allow_blank=True, required=False, default="", max_length=20000)
    kind = serializers.ChoiceField(choices=Request.Kind.choices, required=False, default=Request.Kind.REQUEST)
    addressed_to = serializers.ChoiceField(choices=Request.AddressedTo.choices, required=False, default=Request.AddressedTo.SECRETARIAT)


class RequestListApi(ListAPIView):
    """Requests of the GA, ACABQ, C-34 and oversight bodies, each with its assignments to reports and their responses."""

    serializer_class = RequestSerializer
    filterset_class = RequestFilter
    pagination_class = PagePagination

    def get_queryset(self):
        return request_list_for_user(user=self.request.user)

    @extend_schema(request=RequestInput, responses={201: RequestSerializer})
    def post(self, request):
        """Record a request (headquarters); its source document is recorded too when new."""
        payload = RequestInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        source = services.source_document_get_or_create(symbol=data["source"], body=data["body"], by=request.user)
        created = services.request_create(
            source=source, by=request.user,
            draft=services.RequestDraft(paragraph=data["paragraph"], text=data["text"], text_en=data["text_en"],
                                        kind=data["kind"], addressed_to=data["addressed_to"]),
        )
        return ApiResponse(RequestSerializer(_request_get(user=request.user, pk=created.pk)).data, status=status.HTTP_201_CREATED)


class RequestUpdateInput(StrictInputSerializer):
    paragraph = StrictCharField(max_length=100)
    text = StrictCharField(allow_blank=True, required=False, default="", max_length=20000)
    text_en = StrictCharField(allow_blank=True, required=False, default="", max_length=20000)
    kind = serializers.ChoiceField(choices=Request.Kind.choices, required=False, default=Request.Kind.REQUEST)
    addressed_to = serializers.ChoiceField(choices=Request.AddressedTo.choices, required=False, default=Request.AddressedTo.SECRETARIAT)


class RequestDetailApi(APIView):
    """One request with its assignments (those of reports you see); PUT corrects it (headquarters)."""

    @extend_schema(responses=RequestSerializer)
    def get(self, request, pk: int):
        return ApiResponse(RequestSerializer(_request_get(user=request.user, pk=pk)).data)

    @extend_schema(request=RequestUpdateInput, responses=RequestSerializer)
    def put(self, request, pk: int):
        target = _request_get(user=request.user, pk=pk)
        payload = RequestUpdateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        services.request_update(request=target, draft=services.RequestDraft(**payload.validated_data), by=request.user)
        return ApiResponse(RequestSerializer(_request_get(user=request.user, pk=pk)).data)


class AssignInput(StrictInputSerializer):
    report = serializers.IntegerField(min_value=1)
    due_date = serializers.DateField(required=False, allow_null=True, default=None)


class RequestAssignApi(APIView):
    """Assign a request to a report (headquarters): the report must answer it."""

    @extend_schema(request=AssignInput, responses={201: AssignmentSerializer})
    def post(self, request, pk: int):
        target = _request_get(user=request.user, pk=pk)
        payload = AssignInput(data=request.data)
        payload.is_valid(raise_exception=True)
        report = report_get_for_user(user=request.user, pk=payload.validated_data["report"])
        assignment = services.request_assign(request=target, report=report, by=request.user,
                                             due_date=payload.validated_data["due_date"])
        assignment = selectors.assignment_get_for_user(user=request.user, pk=assignment.pk)
        return ApiResponse(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)


class ResponseInput(StrictInputSerializer):
    action = StrictCharField(allow_blank=True, max_length=20000)
    action_en = StrictCharField(allow_blank=True, required=False, default="", max_length=20000)
    status = serializers.ChoiceField(choices=Response.Status.choices)
    version = serializers.IntegerField(min_value=1)


class AssignmentDetailApi(APIView):
    """One assignment and its response; PATCH answers it (the mission), with the version you read."""

    @extend_schema(responses=AssignmentSerializer)
    def get(self, request, pk: int):
        return ApiResponse(AssignmentSerializer(selectors.assignment_get_for_user(user=request.user, pk=pk)).data)

    @extend_schema(request=ResponseInput, responses=AssignmentSerializer)
    def patch(self, request, pk: int):
        assignment = selectors.assignment_get_for_user(user=request.user, pk=pk)
        payload = ResponseInput(data=request.data)
        payload.is_valid(raise_exception=True)
        services.response_record(response=assignment.response, by=request.user, **payload.validated_data)
        return ApiResponse(AssignmentSerializer(selectors.assignment_get_for_user(user=request.user, pk=pk)).data)
