"""Thin Celery entry points for workflow notifications: take ids, call rbb.emails."""

from smtplib import SMTPException

from celery import shared_task

RETRY = {"autoretry_for": (SMTPException, ConnectionError), "retry_backoff": True, "max_retries": 5}


@shared_task(**RETRY)
def report_ready_notify(*, report_id: int) -> bool:
    from missions.models import Report

    from .emails import report_ready_notify as notify

    report = Report.objects.select_related("mission", "period", "report_type").filter(pk=report_id).first()
    return notify(report=report) if report else False


@shared_task(**RETRY)
def report_returned_notify(*, event_id: int) -> bool:
    from missions.models import ReportEvent

    from .emails import report_returned_notify as notify

    event = ReportEvent.objects.select_related("report__mission", "report__period", "actor").filter(pk=event_id).first()
    return notify(event=event) if event else False
