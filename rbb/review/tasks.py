"""Thin Celery entry points of the review; listed in CELERY_IMPORTS, scheduled in CELERY_BEAT_SCHEDULE."""

from celery import shared_task


@shared_task(name="rbb.review.tasks.deadline_reminders_send", bind=True, max_retries=5, retry_backoff=True)
def deadline_reminders_send(self, *, today: str | None = None) -> int:
    """Send today's deadline reminders; retry when an e-mail failed (those sent are not sent again)."""
    import datetime

    from .services import deadline_reminders_send as send

    run = send(today=datetime.date.fromisoformat(today) if today else None)
    if run.failed:
        raise self.retry(exc=run.failed[0][2], countdown=60 * 2 ** self.request.retries)
    return len(run.sent)
