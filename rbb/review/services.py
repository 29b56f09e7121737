"""Writes of the review: comment threads, the snapshot taken at each submission, deadline e-mails.

One function per state change. Each checks who acts, writes in a transaction and leaves a
record: comments are their own record (never edited or deleted) plus a ChangeRecord in the
report's audit trail; a snapshot is a Submission row; an e-mail is a DeadlineReminder row.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator, Output
from missions.models import ChangeRecord, Membership, Report, ReportEvent
from missions.selectors import mission_member_emails
from rbb.exceptions import Conflict, DomainError, NotPermitted
from rbb.models import Comment, DeadlineReminder, Submission

from . import deadlines
from .keys import item_key, item_kind, review_item_label
from .selectors import framework_snapshot, review_rights

logger = logging.getLogger(__name__)

BODY_LIMIT = 5000
BODY_REQUIRED = _("Write the comment.")
BODY_TOO_LONG = _("Keep the comment under %(limit_value)s characters.")
COMMENTS_CLOSED = _("The report is accepted; its review is closed.")
THREAD_RESOLVED = _("This comment is resolved; start a new one if something is still wrong.")
ALREADY_RESOLVED = _("This comment is already resolved.")


class CommentsClosed(DomainError):
    http_status = 409
    default_code = "review_closed"
    default_message = COMMENTS_CLOSED


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise DomainError(BODY_REQUIRED, code="body_required", field="body")
    if len(body) > BODY_LIMIT:
        raise DomainError(BODY_TOO_LONG % {"limit_value": BODY_LIMIT}, code="body_too_long", field="body")
    return body


def _check_open(report: Report) -> None:
    if report.status == Report.Status.ACCEPTED:
        raise CommentsClosed()


def _record(comment: Comment, *, field_name: str, value: str, by) -> None:
    ChangeRecord.objects.create(
        report_id=comment.report_id, item_type="comment", item_id=comment.parent_id or comment.pk,
        item_label=comment.item_label, field=field_name, new_value=value, actor=by,
    )


@transaction.atomic
def comment_add(*, report: Report, item: Indicator | Output, body: str, by) -> Comment:
    """Start a comment thread on one item (headquarters reviewers and budget administrators)."""
    if not review_rights(user=by, report=report).comment:
        raise NotPermitted()
    body = _clean_body(body)
    _check_open(report)
    comment = Comment.objects.create(
        report=report, item_key=item_key(item), item_kind=item_kind(item),
        item_label=review_item_label(item, headquarters=report.report_type.is_headquarters), author=by, body=body,
    )
    _record(comment, field_name="comment", value=body, by=by)
    return comment


@transaction.atomic
def comment_reply(*, comment: Comment, body: str, by) -> Comment:
    """Answer a thread: the mission's focal points and approvers, and headquarters."""
    thread = comment if comment.parent_id is None else comment.parent
    report = thread.report
    if not review_rights(user=by, report=report).reply:
        raise NotPermitted()
    body = _clean_body(body)
    _check_open(report)
    if thread.resolved_at is not None:
        raise Conflict(THREAD_RESOLVED, code="thread_resolved", field="body")  # a state conflict: 409
    reply = Comment.objects.create(
        report=report, item_key=thread.item_key, item_kind=thread.item_kind, item_label=thread.item_label,
        parent=thread, author=by, body=body,
    )
    _record(reply, field_name="reply", value=body, by=by)
    return reply


@transaction.atomic
def comment_resolve(*, comment: Comment, by) -> Comment:
    """Mark a thread resolved: a headquarters reviewer, or whoever started it."""
    thread = comment if comment.parent_id is None else comment.parent
    rights = review_rights(user=by, report=thread.report)
    if not (rights.resolve_any or (rights.see and thread.author_id == by.pk)):
        raise NotPermitted()
    locked = Comment.objects.select_for_update().get(pk=thread.pk)
    if locked.resolved_at is not None:
        raise Conflict(ALREADY_RESOLVED, code="already_resolved")  # a state conflict: 409, as the API's docs say
    thread.resolved_at, thread.resolved_by = timezone.now(), by
    thread.save(update_fields=["resolved_at", "resolved_by"])
    _record(thread, field_name="resolved", value=thread.resolved_at.isoformat(), by=by)
    return thread


def submission_snapshot_create(*, report: Report, event: ReportEvent | None, by) -> Submission:
    """Freeze what the mission submitted (the planned side of a proposal, else the actual side).

    Called inside report_submit's transaction.
    """
    last = Submission.objects.filter(report=report).aggregate(number=Max("number"))["number"] or 0
    return Submission.objects.create(
        report=report, number=last + 1, phase=report.phase, event=event, submitted_by=by,
        items=framework_snapshot(report=report),
    )


# Deadlines ---------------------------------------------------------------------------------


@dataclass
class ReminderRun:
    """What one run of the deadline reminders did."""

    sent: list[DeadlineReminder] = field(default_factory=list)
    failed: list[tuple[Report, str, Exception]] = field(default_factory=list)


def deadline_reminders_send(*, today: datetime.date | None = None) -> ReminderRun:
    """E-mail the approvers of every report whose deadline reminder is due today; each once.

    Safe to run any number of times a day: a reminder already recorded is skipped, and one
    whose e-mail fails is rolled back so the next run (or the task's retry) sends it.
    """
    today = today or timezone.localdate()
    run = ReminderRun()
    reports = _reports_near_their_deadline(today=today)
    sent_before = set(
        DeadlineReminder.objects.filter(report__in=reports).values_list("report_id", "kind", "due_date")
    )
    for report in reports:
        due = deadlines.report_due_date(report)
        kind = deadlines.reminder_kind(due=due, today=today)
        if kind is None or (report.pk, kind, due) in sent_before:
            continue
        try:
            reminder = deadline_reminder_send(report=report, kind=kind, due=due, today=today)
        except OSError as exc:  # SMTPException and connection errors are OSErrors
            logger.warning("Deadline reminder %s for report %s failed: %s", kind, report.pk, exc)
            run.failed.append((report, kind, exc))
            continue
        if reminder is not None:
            run.sent.append(reminder)
    return run


def _reports_near_their_deadline(*, today: datetime.date) -> list[Report]:
    """Reports with the mission whose (possibly default) due date is at most a week away."""
    horizon = today + datetime.timedelta(days=deadlines.WEEK_BEFORE)
    oldest = today - datetime.timedelta(days=deadlines.OVERDUE_WINDOW_DAYS)
    default_days = datetime.timedelta(days=deadlines.DEFAULT_DUE_DAYS)
    near = Q(due_date__range=(oldest, horizon)) | Q(
        due_date__isnull=True, period__end__range=(oldest - default_days, horizon - default_days)
    )
    return list(
        Report.objects.filter(near, status__in=deadlines.WITH_THE_MISSION)
        .select_related("mission", "period", "report_type")
        .order_by("pk")
    )


def deadline_reminder_send(*, report: Report, kind: str, due: datetime.date, today: datetime.date) -> DeadlineReminder | None:
    """Record and send one reminder; None when it was already recorded (by this or another run)."""
    recipients = mission_member_emails(mission_id=report.mission_id, role=Membership.Role.APPROVER)
    reminder = DeadlineReminder(report=report, kind=kind, due_date=due, recipients=", ".join(recipients))
    # The row is written first and the e-mail sent in the same transaction: a concurrent run
    # waits on the unique constraint and then skips, and a failed send rolls the row back.
    try:
        with transaction.atomic():
            reminder.save()
            if recipients:
                subject, body = _render_reminder(report=report, kind=kind, due=due, today=today)
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except IntegrityError:
        return None
    return reminder


def _render_reminder(*, report: Report, kind: str, due: datetime.date, today: datetime.date) -> tuple[str, str]:
    context = {
        "report": report, "kind": kind, "due": due, "days_left": (due - today).days,
        "days_overdue": (today - due).days, "url": _absolute(_report_path(report)),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("rbb/review/emails/reminder_subject.txt", context)
        body = render_to_string("rbb/review/emails/reminder_body.txt", context)
    return " ".join(subject.split()), body


def _report_path(report: Report) -> str:
    try:
        return reverse("workflow:report-home", args=[report.pk])
    except NoReverseMatch:
        return f"/reports/{report.pk}/"


def _absolute(path: str) -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/") + path
