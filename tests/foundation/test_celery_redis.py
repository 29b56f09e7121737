"""With CELERY_BROKER_URL set (CI), a task really travels through the broker to a worker."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from celery import Celery

BROKER = os.environ.get("CELERY_BROKER_URL", "")
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not BROKER, reason="no CELERY_BROKER_URL: the embedded default runs tasks eagerly")
def test_a_real_worker_consumes_a_task_from_the_broker():
    queue = f"rbb-test-{uuid.uuid4().hex[:8]}"
    backend = BROKER.rsplit("/", 1)[0] + "/15"
    env = {**os.environ, "CELERY_RESULT_BACKEND": backend, "DJANGO_SETTINGS_MODULE": "rbb.test_settings"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "rbb", "worker", "--pool=solo", "-Q", queue, "--loglevel=WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        client = Celery(broker=BROKER, backend=backend)
        result = client.send_task("rbb.ping", queue=queue)
        assert result.get(timeout=60) == "pong"
    finally:
        worker.terminate()
        worker.wait(timeout=30)
