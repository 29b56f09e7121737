"""Workflow e-mails: who is told what, once. Called from the thin tasks in rbb.tasks."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from missions.models import Membership, Report, ReportEvent
from missions.selectors import mission_member_emails
from rbb.models import Notification

from .workflow import report_blocking_items


def report_ready_notify(*, report: Report) -> bool:
    """E-mail the mission's approvers once when every item is complete and explained.

    Return whether an e-mail was sent. While the report stays ready nothing more is sent;
    when it stops being ready (or is submitted) the notice closes and the next readiness is told.
    """
    open_notices = Notification.objects.filter(report=report, kind=Notification.Kind.READY, is_open=True)
    editable = report.status in (Report.Status.DRAFT, Report.Status.RETURNED)
    if not editable or report_blocking_items(report=report):
        open_notices.update(is_open=False)
        return False
    if open_notices.exists():
        return False
    recipients = mission_member_emails(mission_id=report.mission_id, role=Membership.Role.APPROVER)
    return _send_once(
        Notification(report=report, kind=Notification.Kind.READY, is_open=True),
        template="ready", recipients=recipients, context={"report": report},
    )


def report_returned_notify(*, event: ReportEvent) -> bool:
    """E-mail the mission's focal points that the report came back, with the comment; once per event."""
    report = event.report
    recipients = mission_member_emails(mission_id=report.mission_id, role=Membership.Role.FOCAL_POINT)
    return _send_once(
        Notification(report=report, kind=Notification.Kind.RETURNED, event=event),
        template="returned", recipients=recipients, context={"report": report, "event": event},
    )


def _send_once(notice: Notification, *, template: str, recipients: list[str], context: dict) -> bool:
    # The notice row and the e-mail commit together: a unique constraint turns a second task
    # for the same readiness or event into a no-op, and a failed send rolls the row back so a
    # retry sends it.
    notice.recipients = ", ".join(recipients)
    try:
        with transaction.atomic():
            notice.save()
            if recipients:
                subject, body = _render(template, {**context, "url": _report_url(notice.report)})
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except IntegrityError:
        return False
    return bool(recipients)


def _render(template: str, context: dict) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"rbb/emails/{template}_subject.txt", context)
        body = render_to_string(f"rbb/emails/{template}_body.txt", context)
    return " ".join(subject.split()), body


def _report_url(report: Report) -> str:
    try:
        path = reverse("workflow:report-home", args=[report.pk])
    except NoReverseMatch:
        path = f"/reports/{report.pk}/"
    return getattr(settings, "SITE_URL", "").rstrip("/") + path
