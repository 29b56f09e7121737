"""Writes of the follow-up ledger: one function per state change, keyword-only.

Headquarters (reviewers, budget administrators) records source documents and their requests
and assigns them to reports; the mission (focal points, approvers) answers each assignment.
A response is an item of its report: the report row is locked while it is written (so it
takes turns with a submission), a locked report refuses it, a stale version is refused with
the other person's values, and every changed field leaves a ChangeRecord.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from missions.models import ChangeRecord, Report
from missions.selectors import access_for_user, access_may_enter_data
from rbb.exceptions import DomainError, NotPermitted, ReportLocked, StaleVersion
from rbb.models import Comment
from rbb.review.selectors import review_rights
from rbb.review.services import _check_open, _clean_body

from .models import Assignment, Evidence, Request, Response, SourceDocument

Status = Response.Status
RESPONSE_FIELDS = ("action", "action_en", "status")

IMPLEMENTED_NEEDS_ACTION = _("Say what was done: a request is implemented only with the action taken.")
SYMBOL_REQUIRED = _("Enter the document symbol, for example A/RES/76/274.")
PARAGRAPH_REQUIRED = _("Enter the paragraph reference as printed, for example 第 11 段.")
PARAGRAPH_TAKEN = _("This document already has a request with this paragraph reference.")
ALREADY_ASSIGNED = _("This request is already assigned to this report.")
BODY_MISMATCH = _("%(symbol)s is recorded as a document of another body (%(body)s).")
NOTHING_TO_IMPORT = _("No requests were found.")
LINK_OR_FILE = _("Give a link or a file.")
CHOICE_INVALID = _("Choose one of the listed values.")
DUE_DATE_INVALID = _("Enter a date as YYYY-MM-DD.")


def _require_hq(by) -> None:
    # `by=None` is an operator's manage.py command (import_requests, seed_demo); every page and
    # API call names its user.
    if by is not None and not access_for_user(by).is_hq:
        raise NotPermitted()


def _choice(value: str, choices, *, field: str) -> str:
    if value not in choices.values:
        raise DomainError(CHOICE_INVALID, code="invalid_choice", field=field)
    return value


def _text(value: str) -> str:
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.strip() for line in value.split("\n") if line.strip())


# Sources and requests -------------------------------------------------------------------------


@transaction.atomic
def source_document_get_or_create(
    *, symbol: str, body: str, by, title: str = "", title_en: str = "", date: datetime.date | None = None
) -> SourceDocument:
    """Return the document with this symbol, recording it first if it is new (headquarters)."""
    _require_hq(by)
    symbol = " ".join((symbol or "").split())
    if not symbol:
        raise DomainError(SYMBOL_REQUIRED, code="symbol_required", field="symbol")
    _choice(body, SourceDocument.Body, field="body")
    source, created = SourceDocument.objects.get_or_create(
        symbol=symbol, defaults={"body": body, "title": title.strip(), "title_en": title_en.strip(), "date": date},
    )
    if not created and source.body != body:
        raise DomainError(
            BODY_MISMATCH % {"symbol": symbol, "body": source.get_body_display()}, code="body_mismatch", field="body"
        )
    return source


@dataclass(frozen=True)
class RequestDraft:
    """One request as read from a text, a file or a form, before it is saved."""

    paragraph: str
    text: str = ""
    text_en: str = ""
    kind: str = Request.Kind.REQUEST
    addressed_to: str = Request.AddressedTo.SECRETARIAT


@transaction.atomic
def request_create(*, source: SourceDocument, draft: RequestDraft, by, order: int | None = None) -> Request:
    """Record one paragraph of a source document as a request (headquarters)."""
    _require_hq(by)
    paragraph = " ".join((draft.paragraph or "").split())
    if not paragraph:
        raise DomainError(PARAGRAPH_REQUIRED, code="paragraph_required", field="paragraph")
    _choice(draft.kind, Request.Kind, field="kind")
    _choice(draft.addressed_to, Request.AddressedTo, field="addressed_to")
    if order is None:
        order = (source.requests.count() + 1) * 10
    try:
        with transaction.atomic():
            return Request.objects.create(
                source=source, paragraph=paragraph, text=_text(draft.text), text_en=_text(draft.text_en),
                kind=draft.kind, addressed_to=draft.addressed_to, order=order,
            )
    except IntegrityError:
        raise DomainError(PARAGRAPH_TAKEN, code="paragraph_taken", field="paragraph") from None


@transaction.atomic
def requests_import(
    *, source: SourceDocument, drafts: Iterable[RequestDraft], by, reports: Iterable[Report] = (),
    due_date: datetime.date | None = None,
) -> list[Request]:
    """Record many requests of one document and assign each to the reports: all or nothing.

    A paragraph already recorded for the document is kept (its text is not overwritten), so
    importing the same resolution again assigns it without duplicating it.
    """
    _require_hq(by)
    drafts = list(drafts)
    if not drafts:
        raise DomainError(NOTHING_TO_IMPORT, code="nothing_found", field="text")
    existing = {r.paragraph: r for r in source.requests.all()}
    start = max((r.order for r in existing.values()), default=0)
    saved = []
    for index, draft in enumerate(drafts, start=1):
        paragraph = " ".join(draft.paragraph.split())
        request = existing.get(paragraph) or request_create(source=source, draft=draft, by=by, order=start + index * 10)
        existing[request.paragraph] = request
        saved.append(request)
        for report in reports:
            if not Assignment.objects.filter(request=request, report=report).exists():
                request_assign(request=request, report=report, by=by, due_date=due_date)
    return saved


@transaction.atomic
def request_update(*, request: Request, draft: RequestDraft, by) -> Request:
    """Correct a request's reference, text, kind or addressee (headquarters)."""
    _require_hq(by)
    _choice(draft.kind, Request.Kind, field="kind")
    _choice(draft.addressed_to, Request.AddressedTo, field="addressed_to")
    paragraph = " ".join((draft.paragraph or "").split())
    if not paragraph:
        raise DomainError(PARAGRAPH_REQUIRED, code="paragraph_required", field="paragraph")
    if Request.objects.filter(source_id=request.source_id, paragraph=paragraph).exclude(pk=request.pk).exists():
        raise DomainError(PARAGRAPH_TAKEN, code="paragraph_taken", field="paragraph")
    request.paragraph, request.text, request.text_en = paragraph, _text(draft.text), _text(draft.text_en)
    request.kind, request.addressed_to = draft.kind, draft.addressed_to
    request.save(update_fields=["paragraph", "text", "text_en", "kind", "addressed_to"])
    return request


# Assignments ----------------------------------------------------------------------------------


@transaction.atomic
def request_assign(
    *, request: Request, report: Report, by, due_date: datetime.date | None = None,
    units=(), accomplishments=(), indicators=(), outputs=(), financial_classes=(),
    carried_from: Assignment | None = None,
) -> Assignment:
    """Ask a report to answer a request; the response starts as "not started".

    A report that is submitted or accepted takes no new requests: what it answers is fixed.
    Framework links must be items of that report.
    """
    _require_hq(by)
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.is_locked:
        raise ReportLocked()
    if Assignment.objects.filter(request=request, report=report).exists():
        raise DomainError(ALREADY_ASSIGNED, code="already_assigned", field="report")
    assignment = Assignment.objects.create(
        request=request, report=report, due_date=due_date, carried_from=carried_from, assigned_by=by,
    )
    _set_links(assignment, report, units=units, accomplishments=accomplishments, indicators=indicators,
               outputs=outputs, financial_classes=financial_classes)
    Response.objects.create(assignment=assignment, updated_by=by)
    ChangeRecord.objects.create(
        report=report, item_type="assignment", item_id=assignment.pk, item_label=_label(request),
        field="assigned", new_value=request.source.symbol, actor=by,
    )
    return assignment


LINK_NOT_IN_REPORT = _("Link only items of the report the request is assigned to.")


def _set_links(assignment: Assignment, report: Report, **links) -> None:
    checks = {
        "units": lambda item: item.report_id == report.pk,
        "accomplishments": lambda item: item.unit.report_id == report.pk,
        "indicators": lambda item: item.accomplishment.unit.report_id == report.pk,
        "outputs": lambda item: (item.accomplishment.unit.report_id if item.accomplishment_id else None) == report.pk,
        "financial_classes": lambda item: item.report_type_id == report.report_type_id,
    }
    for name, items in links.items():
        items = list(items or ())
        if not all(checks[name](item) for item in items):
            raise DomainError(LINK_NOT_IN_REPORT, code="link_not_in_report", field=name)
        if items:
            getattr(assignment, name).set(items)


@transaction.atomic
def assignment_unassign(*, assignment: Assignment, by) -> None:
    """Take a request off a report that has not answered it yet (headquarters)."""
    _require_hq(by)
    report = Report.objects.select_for_update().get(pk=assignment.report_id)
    if report.is_locked:
        raise ReportLocked()
    ChangeRecord.objects.create(
        report=report, item_type="assignment", item_id=assignment.pk, item_label=_label(assignment.request),
        field="assigned", old_value=assignment.request.source.symbol, new_value="", actor=by,
    )
    assignment.delete()


# Responses ------------------------------------------------------------------------------------


@transaction.atomic
def response_record(
    *, response: Response, action: str, action_en: str = "", status: str, version: int, by
) -> Response:
    """Record what was done about a request; refuse a stale version, a locked report or a wrong role."""
    assignment = response.assignment
    report = Report.objects.select_for_update().select_related("report_type").get(pk=assignment.report_id)
    if not access_may_enter_data(access_for_user(by), mission_id=report.mission_id):
        raise NotPermitted()
    if report.is_locked:
        raise ReportLocked()
    _choice(status, Status, field="status")
    values = {"action": _text(action), "action_en": _text(action_en), "status": status}
    if status == Status.IMPLEMENTED and not (values["action"] or values["action_en"]):
        raise DomainError(IMPLEMENTED_NEEDS_ACTION, code="action_required", field="action")
    current = Response.objects.filter(pk=response.pk).values(*RESPONSE_FIELDS, "version").get()
    if current["version"] != version:
        raise _stale(response.pk)
    changed = [name for name in RESPONSE_FIELDS if values[name] != current[name]]
    if not changed:
        return response
    now = timezone.now()
    if not Response.objects.filter(pk=response.pk, version=version).update(
        **values, version=F("version") + 1, updated_by=by, updated_at=now
    ):
        raise _stale(response.pk)
    label = _label(assignment.request)
    ChangeRecord.objects.bulk_create(
        ChangeRecord(
            report=report, item_type="response", item_id=response.pk, item_label=label, field=name,
            old_value=current[name], new_value=values[name], version=version + 1, actor=by,
        )
        for name in changed
    )
    for name, value in values.items():
        setattr(response, name, value)
    response.version, response.updated_by, response.updated_at = version + 1, by, now
    return response


def _stale(pk: int) -> StaleVersion:
    current = Response.objects.select_related("updated_by").get(pk=pk)
    return StaleVersion(
        extra={
            "version": current.version,
            "values": {name: getattr(current, name) for name in RESPONSE_FIELDS},
            "updated_by": current.updated_by.get_username() if current.updated_by else "",
            "updated_at": current.updated_at.isoformat(),
        }
    )


def _label(request: Request) -> str:
    return f"{request.source.symbol} {request.paragraph}"[:100]


@transaction.atomic
def evidence_add(*, response: Response, by, link: str = "", file=None, label: str = "") -> Evidence:
    """Attach a link or a file to a response (the mission), while its report is open."""
    report = Report.objects.select_for_update().get(pk=response.assignment.report_id)
    if not access_may_enter_data(access_for_user(by), mission_id=report.mission_id):
        raise NotPermitted()
    if report.is_locked:
        raise ReportLocked()
    link = (link or "").strip()
    if not link and not file:
        raise DomainError(LINK_OR_FILE, code="link_or_file", field="link")
    evidence = Evidence(response=response, link=link, label=(label or "").strip()[:200], added_by=by)
    if file:
        evidence.file = file
    evidence.full_clean(exclude=["response", "added_by"])
    evidence.save()
    ChangeRecord.objects.create(
        report=report, item_type="response", item_id=response.pk, item_label=_label(response.assignment.request),
        field="evidence", new_value=link or evidence.file.name, actor=by,
    )
    return evidence


# Comments: the review's threads, on a response --------------------------------------------------


def response_item_key(assignment: Assignment) -> str:
    """The review's stable name of a response: its request, which survives a framework re-import."""
    return f"ledger|{assignment.request_id}"


@transaction.atomic
def response_comment_add(*, assignment: Assignment, body: str, by) -> Comment:
    """Start a review thread on a response (headquarters), as on any item of the report.

    Replies and resolving go through rbb.review.services (comment_reply, comment_resolve).
    """
    report = assignment.report
    if not review_rights(user=by, report=report).comment:
        raise NotPermitted()
    body = _clean_body(body)
    _check_open(report)
    comment = Comment.objects.create(
        report=report, item_key=response_item_key(assignment), item_kind=Comment.ItemKind.RESPONSE,
        item_label=_label(assignment.request), author=by, body=body,
    )
    ChangeRecord.objects.create(
        report=report, item_type="comment", item_id=comment.pk, item_label=comment.item_label,
        field="comment", new_value=body, actor=by,
    )
    return comment


# Carried forward ------------------------------------------------------------------------------


@transaction.atomic
def ledger_carry_forward(*, from_report: Report, to_report: Report, by=None) -> list[Assignment]:
    """Carry every request the old report left open into the next period's report.

    The new assignment starts from the last response (its action and status, to be brought up
    to date) and points back to the old one, so the history of responses reads down the chain.
    Safe to run again: a request already assigned to the new report is skipped.
    """
    if from_report.mission_id != to_report.mission_id:
        raise DomainError(_("Carry requests forward only within one budget entity."), code="other_entity")
    already = set(Assignment.objects.filter(report=to_report).values_list("request_id", flat=True))
    open_ones = (
        Assignment.objects.filter(report=from_report)
        .exclude(response__status__in=Response.CLOSED_STATUSES)
        .exclude(request_id__in=already)
        .select_related("request__source", "response")
        .order_by("id")
    )
    carried = []
    for old in open_ones:
        new = request_assign(request=old.request, report=to_report, by=None, carried_from=old)
        previous = old.response
        Response.objects.filter(assignment=new).update(action=previous.action, action_en=previous.action_en, status=previous.status)
        carried.append(new)
    return carried


# The C-34 summary table: paragraph + action, imported as responses --------------------------------


@dataclass(frozen=True)
class ResponseDraft:
    paragraph: str
    action: str
    status: str
    action_en: str = ""
    text: str = ""


@transaction.atomic
def responses_import(*, source: SourceDocument, report: Report, drafts: Iterable[ResponseDraft], by) -> list[Assignment]:
    """Record a summary table (the C-34 format of A/76/505/Add.1): each row a request with its answer.

    The request is recorded (or found) by its paragraph, assigned to the report, and its
    response written in one go, by headquarters on the Secretariat's behalf.
    """
    _require_hq(by)
    if Report.objects.select_for_update().get(pk=report.pk).is_locked:
        raise ReportLocked()
    drafts = list(drafts)
    if not drafts:
        raise DomainError(NOTHING_TO_IMPORT, code="nothing_found")
    assignments = []
    requests = requests_import(
        source=source, by=by,
        drafts=[RequestDraft(paragraph=d.paragraph, text=d.text, kind=Request.Kind.RECOMMENDATION) for d in drafts],
    )
    for request, draft in zip(requests, drafts):
        _choice(draft.status, Status, field="status")
        assignment = Assignment.objects.filter(request=request, report=report).first() or request_assign(
            request=request, report=report, by=by
        )
        if draft.status == Status.IMPLEMENTED and not (draft.action.strip() or draft.action_en.strip()):
            raise DomainError(IMPLEMENTED_NEEDS_ACTION, code="action_required", field="action")
        Response.objects.filter(assignment=assignment).update(
            action=_text(draft.action), action_en=_text(draft.action_en), status=draft.status,
            version=F("version") + 1, updated_by=by, updated_at=timezone.now(),
        )
        ChangeRecord.objects.create(
            report=report, item_type="response", item_id=assignment.response.pk, item_label=_label(request),
            field="status", new_value=draft.status, actor=by,
        )
        assignments.append(assignment)
    return assignments
