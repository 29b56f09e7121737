"""Writes of narrative exports: create a job, run it, record its failure, retry it.

A job is built by a Celery task (rbb.narrative.tasks) or, from the command line, by
`manage.py export_narrative`; both call export_job_run. The file is written under a
temporary name in its final folder and renamed into place only once complete, so a half
file never exists under the name a download serves.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable
from typing import BinaryIO

from django import db
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from missions.models import Report
from rbb.exceptions import DomainError, TransitionNotAllowed
from rbb.models import ExportJob

from .render_docx import render_docx
from .render_html import render_html
from .render_pdf import render_pdf
from .render_xlsx import render_xlsx
from .selectors import export_job_find_reusable
from .structure import Document
from .tables import document_build

logger = logging.getLogger(__name__)

Renderer = Callable[..., None]
RENDERERS: dict[str, Renderer] = {
    ExportJob.Format.DOCX: render_docx,
    ExportJob.Format.XLSX: render_xlsx,
    ExportJob.Format.PDF: render_pdf,
    ExportJob.Format.HTML: render_html,
}
CONTENT_TYPES = {
    ExportJob.Format.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ExportJob.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportJob.Format.PDF: "application/pdf",
    ExportJob.Format.HTML: "text/html; charset=utf-8",
}
# Bump when a renderer changes what it writes, so files made by the old code are not reused.
RENDERER_VERSION = 1
PROGRESS_STEP = 5


class ExportOptionInvalid(DomainError):
    default_code = "export_option_invalid"


def content_hash(*, document: Document, file_format: str) -> str:
    """SHA-256 of everything printed (the report's data, labels, language) and the format."""
    payload = {"renderer": RENDERER_VERSION, "format": file_format, "document": document.as_dict()}
    encoded = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


def _check_options(file_format: str, language: str) -> None:
    if file_format not in ExportJob.Format.values:
        raise ExportOptionInvalid(_("Choose a format: DOCX, XLSX, PDF or HTML."), code="format_invalid", field="format")
    if language not in ExportJob.Language.values:
        raise ExportOptionInvalid(_("Choose a language: English or Chinese."), code="language_invalid", field="language")


def export_job_create(*, report: Report, requester, file_format: str, language: str, enqueue: bool = True) -> ExportJob:
    """Queue an export of the report's narrative tables, or reuse the file of an identical one.

    The content hash covers what would be printed, so a report changed since its last export
    gets a new file and an unchanged one is served the stored file at once.
    """
    _check_options(file_format, language)
    digest = content_hash(document=document_build(report=report, language=language), file_format=file_format)
    now = timezone.now()
    reusable = export_job_find_reusable(report=report, file_format=file_format, language=language, content_hash=digest)
    if reusable is not None:
        return ExportJob.objects.create(
            requester=requester, report=report, format=file_format, language=language,
            status=ExportJob.Status.DONE, progress=100, file=reusable.file.name, content_hash=digest,
            started_at=now, finished_at=now,
        )
    job = ExportJob.objects.create(
        requester=requester, report=report, format=file_format, language=language, content_hash=digest,
    )
    if enqueue:
        _enqueue(job)
    return job


def _enqueue(job: ExportJob) -> None:
    from .tasks import export_job_run as export_job_run_task

    if settings.EXPORT_JOBS_IN_THREAD:
        transaction.on_commit(lambda: _run_in_thread(job.pk))
    else:
        transaction.on_commit(lambda: export_job_run_task.delay(job_id=job.pk))


def _run_in_thread(job_id: int) -> threading.Thread:
    """With no broker, run the job in a thread of this process, so that the request that asked
    for it returns at once and the page shows queued → running → % → done as with Celery."""
    from .tasks import export_job_run as export_job_run_task

    def run():
        try:
            export_job_run_task.run(job_id=job_id)
        except Exception as exc:  # the service records its own failures; this is a crash around it
            logger.exception("Export %s crashed", job_id)
            job = ExportJob.objects.filter(pk=job_id).exclude(status=ExportJob.Status.DONE).first()
            if job is not None:
                export_job_fail(job=job, error=failure_message(exc))
        finally:
            db.connections.close_all()

    thread = threading.Thread(target=run, name=f"export-job-{job_id}", daemon=True)
    thread.start()
    return thread


def export_job_run(*, job: ExportJob) -> ExportJob:
    """Build the job's file from the report as it is now; record a failure on the job.

    A failure is the job's outcome, not the caller's crash: it is logged, stored as a
    readable message, and the job can be retried. Nothing is left under the final name.
    """
    if job.status not in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING):
        raise TransitionNotAllowed(_("Only a queued export can run."), code="export_not_queued")
    job.status, job.started_at, job.progress, job.error = ExportJob.Status.RUNNING, timezone.now(), 1, ""
    job.save(update_fields=["status", "started_at", "progress", "error"])
    try:
        document = document_build(report=job.report, language=job.language)
        _progress(job, 10)
        digest = content_hash(document=document, file_format=job.format)
        reusable = export_job_find_reusable(
            report=job.report, file_format=job.format, language=job.language, content_hash=digest
        )
        if reusable is not None and reusable.pk != job.pk:
            name = reusable.file.name
        else:
            name = _write_atomically(
                export_file_name(job, digest),
                lambda stream: RENDERERS[job.format](
                    document, stream, progress=lambda p: _progress(job, 10 + p * 85 // 100)
                ),
            )
    except Exception as exc:
        logger.exception("Export %s of report %s failed", job.pk, job.report_id)
        return export_job_fail(job=job, error=failure_message(exc))
    job.file.name, job.content_hash = name, digest
    job.status, job.progress, job.finished_at = ExportJob.Status.DONE, 100, timezone.now()
    job.save(update_fields=["file", "content_hash", "status", "progress", "finished_at"])
    return job


def export_job_fail(*, job: ExportJob, error: str) -> ExportJob:
    """Mark the job failed with a message people can read; it keeps no file."""
    job.status, job.error, job.finished_at, job.file = ExportJob.Status.FAILED, error[:2000], timezone.now(), ""
    job.save(update_fields=["status", "error", "finished_at", "file"])
    return job


def export_job_retry(*, job: ExportJob, by) -> ExportJob:
    """Queue a failed export again, with the same report and options."""
    if job.status != ExportJob.Status.FAILED:
        raise TransitionNotAllowed(_("Only a failed export can be retried."), code="export_not_failed")
    job.status, job.progress, job.error = ExportJob.Status.QUEUED, 0, ""
    job.started_at = job.finished_at = None
    if by is not None:
        job.requester = by
    job.save(update_fields=["status", "progress", "error", "started_at", "finished_at", "requester"])
    _enqueue(job)
    return job


def failure_message(exc: Exception) -> str:
    """What went wrong, in words for the person who asked for the export."""
    if isinstance(exc, DomainError):
        return str(exc.message)
    detail = str(exc).strip() or exc.__class__.__name__
    return _("The export could not be generated (%(detail)s). Try again; if it fails again, tell the administrator.") % {
        "detail": detail[:300]
    }


def export_file_name(job: ExportJob, digest: str) -> str:
    """`exports/UNMIK/UNMIK-2020-21-narrative-zh-hans-<hash>.docx`: equal content, equal name."""
    period = job.report.period.label.replace("/", "-")
    code = job.report.mission.code
    return f"exports/{code}/{code}-{period}-narrative-{job.language}-{digest[:16]}.{job.format}"


def _write_atomically(name: str, write: Callable[[BinaryIO], None]) -> str:
    """Write a file beside its final name and rename it into place once complete.

    os.replace is atomic on one file system, so a reader sees either no file or the whole
    file; on failure the temporary file is removed. Storage must be the local file system
    (MEDIA_ROOT), which is what the project configures.
    """
    path = default_storage.path(name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    return name


def _progress(job: ExportJob, percent: int) -> None:
    """Record progress for the page's polling, in steps, without touching other fields."""
    percent = max(0, min(int(percent), 99))
    if percent - job.progress >= PROGRESS_STEP:
        job.progress = percent
        ExportJob.objects.filter(pk=job.pk).update(progress=percent)
