"""Review comments through the API: threads on indicators and outputs, replies, resolving.

The rules are rbb.review's: headquarters starts a thread, headquarters and the mission's
focal points and approvers reply, headquarters (or the thread's author) resolves, and nothing
changes once the report is accepted. Comments are between headquarters and the mission: the
mission's staff and headquarters read them, all-mission viewers do not.
"""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from indicators.api import selectors as item_selectors
from indicators.models import Output
from missions.api.selectors import get_or_404
from rbb.exceptions import NotPermitted
from rbb.models import Comment
from rbb.review.keys import item_key
from rbb.review.selectors import review_rights
from rbb.review.services import BODY_LIMIT, comment_add, comment_reply, comment_resolve

from .filters import IdFilter
from .pagination import ItemCursorPagination
from .selectors import comment_list_for_user
from .serializers import NoInput, NonBlankCharField, StrictCharField, StrictInputSerializer


class CommentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    report_id = serializers.IntegerField(read_only=True)
    item_key = serializers.CharField(read_only=True)
    item_kind = serializers.ChoiceField(choices=Comment.ItemKind.choices, read_only=True)
    item_label = serializers.CharField(read_only=True)
    parent_id = serializers.IntegerField(read_only=True, allow_null=True)
    author = serializers.CharField(source="author.username", read_only=True)
    body = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    resolved_at = serializers.DateTimeField(read_only=True, allow_null=True)
    resolved_by = serializers.CharField(source="resolved_by.username", read_only=True, allow_null=True)
    is_open = serializers.BooleanField(read_only=True)


class CommentFilter(django_filters.FilterSet):
    report = IdFilter(field_name="report_id")
    mission = django_filters.CharFilter(field_name="report__mission__code", lookup_expr="iexact")
    period = django_filters.CharFilter(field_name="report__period__label")
    item_kind = django_filters.ChoiceFilter(choices=Comment.ItemKind.choices)
    item_key = django_filters.CharFilter(field_name="item_key")
    thread = IdFilter(field_name="parent_id")
    open = django_filters.BooleanFilter(method="filter_open")

    class Meta:
        model = Comment
        fields = ["report", "mission", "period", "item_kind", "item_key", "thread", "open"]

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        unresolved_threads = {"parent__isnull": True, "resolved_at__isnull": True}
        return queryset.filter(**unresolved_threads) if value else queryset.exclude(**unresolved_threads)


class BodyInput(StrictInputSerializer):
    body = NonBlankCharField(max_length=BODY_LIMIT, allow_blank=True)


class CommentListApi(ListAPIView):
    """Comments and replies of the reports whose review you see, oldest first."""

    OutputSerializer = CommentSerializer
    serializer_class = OutputSerializer
    filterset_class = CommentFilter
    pagination_class = ItemCursorPagination
    ordering_fields = ["id"]

    def get_queryset(self):
        return comment_list_for_user(user=self.request.user)


class CommentDetailApi(RetrieveAPIView):
    OutputSerializer = CommentSerializer
    serializer_class = OutputSerializer

    def get_object(self):
        return get_or_404(comment_list_for_user(user=self.request.user), self.kwargs["pk"])


def _report_of(item):
    # Every output has a unit; a headquarters unit's own output has no accomplishment.
    return item.unit.report if isinstance(item, Output) else item.accomplishment.unit.report


class _ItemCommentsApi(APIView):
    """GET the item's threads and replies; POST `{"body": …}` starts a thread (headquarters)."""

    OutputSerializer = CommentSerializer
    InputSerializer = BodyInput

    def get_item(self, request, pk):
        raise NotImplementedError

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request, pk: int):
        item = self.get_item(request, pk)
        report = _report_of(item)
        comments = comment_list_for_user(user=request.user).filter(report=report, item_key=item_key(item))
        return Response(self.OutputSerializer(comments, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request, pk: int):
        item = self.get_item(request, pk)
        report = _report_of(item)
        if not review_rights(user=request.user, report=report).comment:
            raise NotPermitted()
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        comment = comment_add(report=report, item=item, body=payload.validated_data["body"], by=request.user)
        return Response(self.OutputSerializer(comment).data, status=status.HTTP_201_CREATED)


class IndicatorCommentsApi(_ItemCommentsApi):
    def get_item(self, request, pk):
        return item_selectors.indicator_get_for_user(user=request.user, pk=pk)


class OutputCommentsApi(_ItemCommentsApi):
    def get_item(self, request, pk):
        return item_selectors.output_get_for_user(user=request.user, pk=pk)


def _comment_for_action(user, pk) -> Comment:
    return get_or_404(comment_list_for_user(user=user).select_related("report", "parent__report"), pk)


class CommentReplyApi(APIView):
    """Answer a thread (headquarters, the mission's focal points and approvers)."""

    OutputSerializer = CommentSerializer
    InputSerializer = BodyInput

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request, pk: int):
        comment = _comment_for_action(request.user, pk)
        if not review_rights(user=request.user, report=comment.report).reply:
            raise NotPermitted()
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        reply = comment_reply(comment=comment, body=payload.validated_data["body"], by=request.user)
        return Response(self.OutputSerializer(reply).data, status=status.HTTP_201_CREATED)


class CommentResolveApi(APIView):
    """Mark a thread resolved (headquarters, or whoever started it)."""

    OutputSerializer = CommentSerializer
    InputSerializer = NoInput

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request, pk: int):
        comment = _comment_for_action(request.user, pk)
        payload = self.InputSerializer(data=request.data if request.data is not None else {})
        payload.is_valid(raise_exception=True)
        thread = comment_resolve(comment=comment, by=request.user)
        return Response(self.OutputSerializer(thread).data)
