"""Thin Celery entry point for narrative exports: take the job's id, call the service."""

from celery import Task, shared_task
from celery.signals import task_failure


class ExportTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """The service records its own failures; this catches a crash around it (a lost database)."""
        from rbb.models import ExportJob

        from .services import export_job_fail, failure_message

        job = ExportJob.objects.filter(pk=kwargs.get("job_id")).exclude(status=ExportJob.Status.DONE).first()
        if job is not None:
            export_job_fail(job=job, error=failure_message(exc))


# acks_late: a worker killed mid-export leaves the message unacknowledged, so the broker hands
# it to another worker. retry_on_worker_lost: when only the pool's child dies (out of memory,
# kill -9), the parent sends the task again, twice at most, five seconds later; after that the
# task_failure signal below fails the job, since the child that would run on_failure is gone.
@shared_task(base=ExportTask, name="rbb.narrative.export_job_run", acks_late=True, retry_on_worker_lost=True,
             max_retries=2, default_retry_delay=5)
def export_job_run(*, job_id: int) -> str | None:
    from rbb.models import ExportJob

    from .services import export_job_run as run

    job = ExportJob.objects.select_related("report__mission", "report__period", "report__report_type").filter(pk=job_id).first()
    if job is None or job.is_finished:
        return None  # deleted, or a redelivered message for a job already done
    return run(job=job).status


@task_failure.connect
def _export_job_lost(sender=None, exception=None, kwargs=None, **extra):
    """A job whose worker process was lost for good is failed, never left running."""
    # Matched by name: shared_task hands out a proxy, not the task object the signal sends.
    if getattr(sender, "name", None) != "rbb.narrative.export_job_run":
        return
    from rbb.models import ExportJob

    from .services import export_job_fail, failure_message

    job = ExportJob.objects.filter(pk=(kwargs or {}).get("job_id")).exclude(status=ExportJob.Status.DONE).first()
    if job is not None:
        export_job_fail(job=job, error=failure_message(exception))
