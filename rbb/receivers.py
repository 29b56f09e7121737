"""What the report composition does when the apps below it change something (connected in
RbbConfig.ready)."""

from django.db import transaction
from django.dispatch import receiver

from indicators.signals import actual_saved

from .tasks import report_ready_check_schedule


@receiver(actual_saved, dispatch_uid="rbb.readiness_check")
def readiness_check_queue(sender, *, report, **kwargs):
    # After the commit, so the worker reads the saved values; robust: a failing broker or
    # e-mail must not turn a committed save into an error page.
    transaction.on_commit(lambda: report_ready_check_schedule(report_id=report.pk), robust=True)
