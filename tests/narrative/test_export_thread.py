"""With no broker (the embedded default), an export runs in a thread of the server process: the
request that asks for it returns at once, and the job goes queued → running → % → done as with a
Celery worker. With a broker it is sent to Celery (tests/robustness/test_worker_killed.py)."""

import threading
import time

import pytest

from indicators.interchange import framework_import
from rbb.demo_data import demo_document
from rbb.models import ExportJob
from rbb.narrative import services

pytestmark = pytest.mark.django_db(transaction=True)


def _status(job):
    return ExportJob.objects.values_list("status", "progress").get(pk=job.pk)


def _wait_until(predicate, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out")


@pytest.fixture
def report(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_JOBS_IN_THREAD = True
    return framework_import(data=demo_document(name="unmik-2020-21.json"))


def test_the_request_returns_while_the_job_runs_and_progress_is_visible(report, monkeypatch):
    release, rendering = threading.Event(), threading.Event()

    def held(document, stream, *, progress=None):
        progress(40)
        rendering.set()
        assert release.wait(20), "the test never released the renderer"
        stream.write(b"<html></html>")
        progress(100)

    monkeypatch.setitem(services.RENDERERS, ExportJob.Format.HTML, held)
    job = services.export_job_create(report=report, requester=None, file_format="html", language="en")
    # export_job_create returned although the renderer has not finished: the job runs elsewhere.
    assert _status(job)[0] in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING)
    assert rendering.wait(20)
    status, progress = _status(job)
    assert status == ExportJob.Status.RUNNING and 10 < progress < 100
    release.set()
    _wait_until(lambda: _status(job)[0] == ExportJob.Status.DONE)
    job.refresh_from_db()
    assert job.progress == 100 and job.file.name.endswith(".html")


def test_a_job_that_crashes_in_its_thread_is_failed_not_left_running(report, monkeypatch):
    def crash(*, job):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services, "export_job_run", crash)
    job = services.export_job_create(report=report, requester=None, file_format="html", language="en")
    _wait_until(lambda: _status(job)[0] == ExportJob.Status.FAILED)


def test_without_the_thread_the_task_goes_to_celery(report, settings, monkeypatch):
    settings.EXPORT_JOBS_IN_THREAD = False
    sent = []
    from rbb.narrative import tasks

    monkeypatch.setattr(tasks.export_job_run, "delay", lambda **kwargs: sent.append(kwargs))
    job = services.export_job_create(report=report, requester=None, file_format="html", language="en")
    assert sent == [{"job_id": job.pk}]
