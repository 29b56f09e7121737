"""Reads of the follow-up ledger, scoped like every other read: another mission's assignment is a 404."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from missions.models import ChangeRecord, Report
from missions.selectors import access_for_user, report_list_for_user
from rbb.models import Comment

from .models import Assignment, Request, Response, SourceDocument

Body = SourceDocument.Body
Status = Response.Status

NO_RESPONSE = _("No action taken is recorded for this request.")

BODY_ORDER = Case(
    *(When(request__source__body=value, then=Value(index)) for index, value in enumerate(Body.values)),
    output_field=IntegerField(),
)


def _shaped(qs: QuerySet[Assignment]) -> QuerySet[Assignment]:
    return qs.select_related(
        "request__source", "response", "report__mission", "report__period", "report__report_type"
    ).annotate(body_order=BODY_ORDER)


def assignment_list_for_report(*, report: Report) -> list[Assignment]:
    """The report's requests in the printed order: by body, document, then paragraph (one query)."""
    return list(
        _shaped(Assignment.objects.filter(report=report)).order_by(
            "body_order", "request__source__date", "request__source__symbol", "request__order", "request_id"
        )
    )


def report_has_assignments(*, report: Report) -> bool:
    return Assignment.objects.filter(report=report).exists()


def assignment_get_for_user(*, user, pk) -> Assignment:
    """The assignment of a report the user may see, or Http404 (as for one that does not exist)."""
    try:
        return _shaped(Assignment.objects.filter(report__in=report_list_for_user(user=user))).get(pk=pk)
    except (Assignment.DoesNotExist, ValueError, TypeError):
        raise Http404("No such assignment.") from None


def request_get(*, pk) -> Request:
    """A request, for headquarters (every request is theirs to read)."""
    try:
        return Request.objects.select_related("source").get(pk=pk)
    except (Request.DoesNotExist, ValueError, TypeError):
        raise Http404("No such request.") from None


def ledger_blocking_items(*, report: Report) -> list[dict]:
    """Requests due in this report that have no response yet: each stops the submission."""
    items = []
    for assignment in assignment_list_for_report(report=report):
        if not assignment.response.is_answered:
            items.append({
                "kind": "request",
                "label": f"{assignment.request.source.symbol} {assignment.request.paragraph}",
                "reasons": (str(NO_RESPONSE),),
                "url": reverse("ledger:response", args=[assignment.pk]),
            })
    return items


def response_history(*, assignment: Assignment) -> list[dict]:
    """What was answered before: the responses of the earlier periods this request was carried from,
    newest first, then the changes to this response (two queries plus one per carried period)."""
    earlier = []
    previous = assignment.carried_from
    seen = set()
    while previous is not None and previous.pk not in seen:
        seen.add(previous.pk)
        previous = Assignment.objects.select_related("report__period", "response", "carried_from").get(pk=previous.pk)
        earlier.append({"period": previous.report.period.label, "status": previous.response.get_status_display(),
                        "action": previous.response.paragraphs, "action_en": previous.response.paragraphs_en})
        previous = previous.carried_from
    return earlier


def response_changes(*, assignment: Assignment) -> QuerySet[ChangeRecord]:
    return ChangeRecord.objects.filter(
        report_id=assignment.report_id, item_type="response", item_id=assignment.response.pk
    ).select_related("actor").order_by("-created_at", "-id")


def response_threads(*, assignment: Assignment) -> list[Comment]:
    """The review's threads on this response with their replies (two queries)."""
    from .services import response_item_key

    return list(
        Comment.objects.filter(report_id=assignment.report_id, item_key=response_item_key(assignment), parent__isnull=True)
        .select_related("author", "resolved_by")
        .prefetch_related("replies__author")
        .order_by("created_at", "id")
    )


# The ledger page ------------------------------------------------------------------------------


@dataclass
class LedgerFilters:
    body: str = ""
    status: str = ""
    entity: str = ""
    period: str = ""
    open_only: bool = True


def ledger_list_for_user(*, user, filters: LedgerFilters, today: datetime.date | None = None) -> QuerySet[Assignment]:
    """Every assignment the user may see, overdue first, then by due date and body (one query)."""
    today = today or timezone.localdate()
    qs = _shaped(Assignment.objects.filter(report__in=report_list_for_user(user=user).values("pk")))
    qs = _filtered(qs, filters)
    return qs.annotate(
        overdue=Case(When(Q(due_date__lt=today) & ~Q(response__status__in=Response.CLOSED_STATUSES), then=Value(0)),
                     default=Value(1), output_field=IntegerField()),
        no_due=Case(When(due_date__isnull=True, then=Value(1)), default=Value(0), output_field=IntegerField()),
    ).order_by("overdue", "no_due", "due_date", "body_order", "request__source__symbol", "request__order", "report__mission__code", "id")


ROW_FIELDS = (
    "pk", "report__mission__code", "report__period__label", "request__source__body", "request__source__symbol",
    "request__paragraph", "request__text", "request__text_en", "response__status", "due_date", "overdue",
)


def ledger_rows(queryset: QuerySet[Assignment]) -> list[dict]:
    """One page of the ledger as plain values: the page prints 100 rows, not 100 model graphs."""
    return [dict(zip(ROW_FIELDS, values)) for values in queryset.values_list(*ROW_FIELDS)]


def _filtered(qs: QuerySet[Assignment], filters: LedgerFilters) -> QuerySet[Assignment]:
    if filters.open_only and not filters.status:
        qs = qs.exclude(response__status__in=Response.CLOSED_STATUSES)
    if filters.body:
        qs = qs.filter(request__source__body=filters.body)
    if filters.status:
        qs = qs.filter(response__status=filters.status)
    if filters.entity:
        qs = qs.filter(report__mission__code=filters.entity)
    if filters.period:
        qs = qs.filter(report__period__label=filters.period)
    return qs


@dataclass
class LedgerCounts:
    by_body: list[tuple[str, str, int]] = field(default_factory=list)  # (code, label, count)
    by_status: list[tuple[str, str, int]] = field(default_factory=list)
    overdue: int = 0
    total: int = 0


def ledger_counts(*, user, filters: LedgerFilters, today: datetime.date | None = None) -> LedgerCounts:
    """Counts of the listed assignments by body and by status, and how many are overdue (one query)."""
    today = today or timezone.localdate()
    qs = _filtered(Assignment.objects.filter(report__in=report_list_for_user(user=user).values("pk")), filters)
    rows = qs.values("request__source__body", "response__status").annotate(
        n=Count("id"), late=Count("id", filter=Q(due_date__lt=today) & ~Q(response__status__in=Response.CLOSED_STATUSES)),
    ).order_by()
    body_counts, status_counts, counts = {}, {}, LedgerCounts()
    for row in rows:
        body_counts[row["request__source__body"]] = body_counts.get(row["request__source__body"], 0) + row["n"]
        status_counts[row["response__status"]] = status_counts.get(row["response__status"], 0) + row["n"]
        counts.overdue += row["late"]
        counts.total += row["n"]
    counts.by_body = [(value, str(label), body_counts.get(value, 0)) for value, label in Body.choices]
    counts.by_status = [(value, str(label), status_counts.get(value, 0)) for value, label in Status.choices]
    return counts


def user_may_manage_ledger(user) -> bool:
    return access_for_user(user).is_hq
