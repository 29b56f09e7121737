"""Export jobs: run, reuse by content hash, fail without leaving a file, retry; the task and its hook."""

import os

import pytest

from rbb.exceptions import TransitionNotAllowed
from rbb.models import ExportJob
from rbb.narrative import services
from rbb.narrative.services import (
    ExportOptionInvalid,
    export_job_create,
    export_job_retry,
    export_job_run,
)

pytestmark = pytest.mark.django_db


def _create(report, *, file_format="docx", language="zh-hans", capture):
    with capture(execute=True):
        job = export_job_create(report=report, requester=None, file_format=file_format, language=language)
    job.refresh_from_db()
    return job


def _files(media_root) -> list[str]:
    """Every file under MEDIA_ROOT, temporary ones included."""
    return sorted(
        os.path.relpath(os.path.join(folder, name), media_root)
        for folder, _dirs, names in os.walk(media_root) for name in names
    )


def test_an_export_runs_and_stores_its_file(unmik_report, django_capture_on_commit_callbacks, media_root):
    job = _create(unmik_report, capture=django_capture_on_commit_callbacks)
    assert job.status == ExportJob.Status.DONE and job.progress == 100 and job.error == ""
    assert job.started_at and job.finished_at and len(job.content_hash) == 64
    assert job.file.name.startswith("exports/UNMIK/UNMIK-2020-21-narrative-zh-hans-") and job.file.name.endswith(".docx")
    with job.file.open("rb") as stream:
        assert stream.read(2) == b"PK"
    assert _files(media_root) == [job.file.name]


def test_an_unchanged_report_reuses_the_stored_file(unmik_report, django_capture_on_commit_callbacks, monkeypatch):
    first = _create(unmik_report, capture=django_capture_on_commit_callbacks)

    def must_not_render(*args, **kwargs):
        raise AssertionError("an unchanged report must not be rendered again")

    monkeypatch.setitem(services.RENDERERS, "docx", must_not_render)
    again = _create(unmik_report, capture=django_capture_on_commit_callbacks)
    assert again.pk != first.pk
    assert again.status == ExportJob.Status.DONE
    assert again.file.name == first.file.name and again.content_hash == first.content_hash
    # Another language or format is other content.
    assert _create(unmik_report, language="en", file_format="xlsx", capture=django_capture_on_commit_callbacks).content_hash != first.content_hash


def test_a_changed_report_gets_a_new_file(unmik_report, django_capture_on_commit_callbacks):
    from indicators.models import Indicator

    first = _create(unmik_report, capture=django_capture_on_commit_callbacks)
    Indicator.objects.filter(accomplishment__unit__report=unmik_report, number="1.1.1").update(variance_explanation="新的说明")
    second = _create(unmik_report, capture=django_capture_on_commit_callbacks)
    assert second.content_hash != first.content_hash and second.file.name != first.file.name
    assert second.status == ExportJob.Status.DONE


def test_a_failing_export_is_marked_failed_and_leaves_no_file(unmik_report, django_capture_on_commit_callbacks, monkeypatch, media_root):
    def half_then_crash(document, stream, *, progress=None):
        stream.write(b"PK half a file")
        raise RuntimeError("disk full")

    monkeypatch.setitem(services.RENDERERS, "docx", half_then_crash)
    job = _create(unmik_report, capture=django_capture_on_commit_callbacks)
    assert job.status == ExportJob.Status.FAILED
    assert "disk full" in job.error and job.finished_at
    assert not job.file
    assert _files(media_root) == []  # the temporary file is gone too


def test_a_failed_export_can_be_retried(unmik_report, django_capture_on_commit_callbacks, monkeypatch):
    def crash(document, stream, *, progress=None):
        raise RuntimeError("renderer crashed")

    original = services.RENDERERS["docx"]
    monkeypatch.setitem(services.RENDERERS, "docx", crash)
    job = _create(unmik_report, capture=django_capture_on_commit_callbacks)
    assert job.status == ExportJob.Status.FAILED
    monkeypatch.setitem(services.RENDERERS, "docx", original)
    with django_capture_on_commit_callbacks(execute=True):
        export_job_retry(job=job, by=None)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.error == "" and job.file
    with pytest.raises(TransitionNotAllowed):
        export_job_retry(job=job, by=None)


def test_progress_is_recorded_while_rendering(unmik_report, monkeypatch):
    seen = []

    def slow(document, stream, *, progress=None):
        progress(50)
        seen.append(ExportJob.objects.get(pk=job.pk).progress)
        stream.write(b"x")

    monkeypatch.setitem(services.RENDERERS, "html", slow)
    job = export_job_create(report=unmik_report, requester=None, file_format="html", language="en", enqueue=False)
    assert job.status == ExportJob.Status.QUEUED and job.progress == 0
    export_job_run(job=job)
    assert seen == [52]  # 10 % for the tables, then 85 % of the rendering's share
    assert job.progress == 100


def test_only_a_queued_export_runs(unmik_report):
    job = export_job_create(report=unmik_report, requester=None, file_format="html", language="en", enqueue=False)
    export_job_run(job=job)
    with pytest.raises(TransitionNotAllowed):
        export_job_run(job=job)


def test_unknown_options_are_refused_and_nothing_is_created(unmik_report):
    with pytest.raises(ExportOptionInvalid):
        export_job_create(report=unmik_report, requester=None, file_format="odt", language="en")
    with pytest.raises(ExportOptionInvalid):
        export_job_create(report=unmik_report, requester=None, file_format="docx", language="fr")
    assert ExportJob.objects.count() == 0


def test_the_task_is_registered_and_its_failure_hook_fails_the_job(unmik_report, monkeypatch):
    from rbb.celery import app
    from rbb.narrative.tasks import export_job_run as task

    assert "rbb.narrative.export_job_run" in app.tasks
    job = export_job_create(report=unmik_report, requester=None, file_format="html", language="en", enqueue=False)

    def crash(*, job):
        raise ConnectionError("database went away")

    monkeypatch.setattr(services, "export_job_run", crash)
    result = task.apply(kwargs={"job_id": job.pk}, throw=False)
    assert result.failed()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and "database went away" in job.error


def test_the_html_file_is_a_whole_document(unmik_report):
    job = export_job_create(report=unmik_report, requester=None, file_format="html", language="zh-hans", enqueue=False)
    export_job_run(job=job)
    with job.file.open("rb") as stream:
        html = stream.read().decode("utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="zh-hans">' in html
    assert "@page" in html and "table-header-group" in html  # print CSS travels with the file
    assert html.count('class="narrative-table"') == 15
    assert "10 273.9" in html and "(911.0)" in html
