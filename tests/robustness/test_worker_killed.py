"""A Celery worker killed (kill -9) while it builds an export: the job never stays "running".

Real workers on the configured Redis broker, on the test database (PostgreSQL: the worker is
another process and must see committed rows). Two ways a worker dies:

- the whole worker process (solo pool): the message was not acknowledged (acks_late), so the
  broker gives it to the next worker once the visibility timeout passes, and that worker
  builds the file to completion;
- the pool's child process: the parent sees the child lost, the task fails and its failure
  hook marks the job failed, ready to be retried.

While the job is unfinished no file exists under its final name and the download is refused:
a half-written file is never served.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from indicators.interchange import framework_import
from indicators.models import ExpectedAccomplishment, Output
from missions.models import Membership
from rbb.demo_data import demo_document
from rbb.models import ExportJob
from tests.entry.factories import make_user

from .conftest import needs_postgresql

BROKER = os.environ.get("CELERY_BROKER_URL", "")
ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.postgres,
    needs_postgresql,
    pytest.mark.skipif(not BROKER, reason="no CELERY_BROKER_URL: the embedded default runs tasks in-process"),
    pytest.mark.django_db(transaction=True),
]


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _worker(queue: str, media: Path, *, pool: str, visibility_timeout: int = 4) -> subprocess.Popen:
    env = {
        **os.environ,
        "RBB_TEST_VISIBILITY_TIMEOUT": str(visibility_timeout),
        "DJANGO_SETTINGS_MODULE": "tests.robustness.worker_settings",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": BROKER,
        "RBB_TEST_MEDIA_ROOT": str(media),
    }
    command = [sys.executable, "-m", "celery", "-A", "rbb", "worker", f"--pool={pool}", "--concurrency=1", "-Q", queue,
               "--without-heartbeat", "--without-mingle", "--without-gossip", "--loglevel=WARNING"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
    process.wait(timeout=30)


def _wait(predicate, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.fixture
def export(settings, tmp_path):
    """A queued PDF export of UNMIK grown by 3 000 outputs, and its sender.

    Typst lays out the demo report in well under a second; the extra outputs make the job last
    a few seconds, long enough to be caught mid-way."""
    settings.MEDIA_ROOT = tmp_path
    report = framework_import(data=demo_document(name="unmik-2020-21.json"))
    ea = ExpectedAccomplishment.objects.filter(unit__report=report).order_by("unit__order", "order").first()
    Output.objects.bulk_create(
        Output(accomplishment=ea, number=str(5000 + n), planned_text="编写并分发外地报告 " * 6, remarks="说明 " * 60, order=5000 + n)
        for n in range(3000)
    )
    reviewer = make_user("reviewer", role=Membership.Role.HQ_REVIEWER)
    job = ExportJob.objects.create(report=report, requester=reviewer, format=ExportJob.Format.PDF, language="zh-hans")
    queue = f"rbb-test-kill-{uuid.uuid4().hex[:8]}"

    def send():
        from celery import Celery

        Celery(broker=BROKER).send_task("rbb.narrative.export_job_run", kwargs={"job_id": job.pk}, queue=queue)

    yield job, reviewer, queue, send, tmp_path
    try:
        import redis

        redis.Redis.from_url(BROKER).delete(queue)
    except Exception:  # noqa: BLE001 — cleaning up is best effort
        pass


def _status(job: ExportJob) -> str:
    return ExportJob.objects.values_list("status", flat=True).get(pk=job.pk)


def _assert_nothing_served(job: ExportJob, reviewer, media: Path) -> None:
    client = Client()
    client.force_login(reviewer)
    assert client.get(reverse("narrative:export-download", args=[job.pk])).status_code == 404
    finished = [p for p in media.rglob("*.pdf") if not p.name.startswith(".")]
    assert finished == [], finished  # only a hidden `.part` file may be there


def test_a_killed_worker_leaves_the_job_to_the_next_worker_which_finishes_it(export):
    job, reviewer, queue, send, media = export
    first = _worker(queue, media, pool="solo")
    try:
        send()
        _wait(lambda: _status(job) == ExportJob.Status.RUNNING, timeout=60, what="the first worker to start the job")
        time.sleep(0.3)
        assert _status(job) == ExportJob.Status.RUNNING, "the export finished before it could be interrupted"
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        _stop(first)

    assert _status(job) == ExportJob.Status.RUNNING
    _assert_nothing_served(job, reviewer, media)

    second = _worker(queue, media, pool="solo")
    try:
        _wait(lambda: _status(job) in (ExportJob.Status.DONE, ExportJob.Status.FAILED), timeout=90,
              what="the redelivered job to finish")
    finally:
        _stop(second)

    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE, job.error
    client = Client()
    client.force_login(reviewer)
    response = client.get(reverse("narrative:export-download", args=[job.pk]))
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")


def test_a_killed_pool_process_has_the_job_run_again_to_the_end(export):
    """The parent outlives its child: it sends the task again (retry_on_worker_lost) and it runs to the end.

    The broker's visibility timeout is long here, as in production, so only the parent can bring the job back.
    """
    job, reviewer, queue, send, media = export
    worker = _worker(queue, media, pool="prefork", visibility_timeout=3600)
    try:
        child = _wait(lambda: _children(worker.pid), timeout=60, what="the pool's child process")[0]
        send()
        _wait(lambda: _status(job) == ExportJob.Status.RUNNING, timeout=60, what="the worker to start the job")
        time.sleep(0.3)
        os.kill(child, signal.SIGKILL)
        _wait(lambda: _status(job) in (ExportJob.Status.DONE, ExportJob.Status.FAILED), timeout=60,
              what="the job to leave `running`")
    finally:
        _stop(worker)

    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE, job.error
    client = Client()
    client.force_login(reviewer)
    data = b"".join(client.get(reverse("narrative:export-download", args=[job.pk])).streaming_content)
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
