import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rbb.settings")

app = Celery("rbb")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="rbb.ping")
def ping() -> str:
    """Answer 'pong': lets a health check or a test prove a worker consumes from the broker."""
    return "pong"
