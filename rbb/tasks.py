"""Thin Celery entry points for workflow notifications: take ids, call rbb.emails."""

import logging
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.cache import cache

RETRY = {"autoretry_for": (SMTPException, ConnectionError), "retry_backoff": True, "max_retries": 5}
# How long a pending check blocks the next one if its task is lost (a worker killed, say).
PENDING_GRACE = 60

logger = logging.getLogger(__name__)


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
    try:
        first = cache.add(key, 1, timeout=delay + PENDING_GRACE)
    except Exception:  # the cache is down: check now, uncoalesced, rather than not at all
        logger.warning("Readiness check of report %s not coalesced: the cache failed", report_id, exc_info=True)
        report_ready_notify.delay(report_id=report_id)
        return
    if not first:
        return  # a check that has not started yet will read this save too
    try:
        # coalesced=True tells the task to clear the mark, whatever the worker's own settings.
        report_ready_notify.apply_async(kwargs={"report_id": report_id, "coalesced": True}, countdown=delay)
    except Exception:
        cache.delete(key)  # the next save tries again
        raise


@shared_task(**RETRY)
def report_ready_notify(*, report_id: int, coalesced: bool = False) -> bool:
    from missions.models import Report

    from .emails import report_ready_notify as notify

    if coalesced:
        try:
            cache.delete(_pending_key(report_id))  # before reading: a later save schedules its own check
        except Exception:  # the mark expires by itself; the check itself must still run
            logger.warning("Readiness check of report %s: pending mark not cleared", report_id, exc_info=True)
    report = Report.objects.select_related("mission", "period", "report_type").filter(pk=report_id).first()
    return notify(report=report) if report else False


@shared_task(**RETRY)
def report_returned_notify(*, event_id: int) -> bool:
    from missions.models import ReportEvent

    from .emails import report_returned_notify as notify

    event = ReportEvent.objects.select_related("report__mission", "report__period", "actor").filter(pk=event_id).first()
    return notify(event=event) if event else False
