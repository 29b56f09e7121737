"""Thin Celery entry points for workflow notifications: take ids, call rbb.emails."""

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.cache import cache

RETRY = {"autoretry_for": (SMTPException, ConnectionError), "retry_backoff": True, "max_retries": 5}
# How long a pending check blocks the next one if its task is lost (a worker killed, say).
PENDING_GRACE = 60


def _pending_key(report_id: int) -> str:
    return f"rbb:readiness-check-pending:{report_id}"


def report_ready_check_schedule(*, report_id: int) -> None:
    """Queue the readiness check of a report after a save, at most one pending per report.

    The check reads the whole report, so a burst of saves (a focal point tabbing through an
    accomplishment) shares one, run READINESS_CHECK_DELAY seconds after the first. Every save
    is still followed by a check that starts after it: the task clears the mark before reading.
    """
    delay = settings.READINESS_CHECK_DELAY
    if not delay:
        report_ready_notify.delay(report_id=report_id)
        return
    key = _pending_key(report_id)
    if not cache.add(key, 1, timeout=delay + PENDING_GRACE):
        return  # a check that has not started yet will read this save too
    try:
        report_ready_notify.apply_async(kwargs={"report_id": report_id}, countdown=delay)
    except Exception:
        cache.delete(key)  # the next save tries again
        raise


@shared_task(**RETRY)
def report_ready_notify(*, report_id: int) -> bool:
    from missions.models import Report

    from .emails import report_ready_notify as notify

    if settings.READINESS_CHECK_DELAY:
        cache.delete(_pending_key(report_id))  # before reading: a later save schedules its own check
    report = Report.objects.select_related("mission", "period", "report_type").filter(pk=report_id).first()
    return notify(report=report) if report else False


@shared_task(**RETRY)
def report_returned_notify(*, event_id: int) -> bool:
    from missions.models import ReportEvent

    from .emails import report_returned_notify as notify

    event = ReportEvent.objects.select_related("report__mission", "report__period", "actor").filter(pk=event_id).first()
    return notify(event=event) if event else False
