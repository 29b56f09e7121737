"""A workbook upload waiting for confirmation: the changes it would make, parsed once.

Preview and confirm are two requests; the parsed changes wait here (never the applied data),
so confirming needs no second upload and applies exactly what the person was shown.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from missions.models import Report

PENDING_FOR = timedelta(hours=24)


def _expiry():
    return timezone.now() + PENDING_FOR


class WorkbookUpload(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        APPLIED = "applied", _("Applied")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="workbook_uploads", verbose_name=_("report"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("uploaded by"),
    )
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    changes = models.JSONField(_("changes"), default=list)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), default=_expiry)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)

    class Meta:
        verbose_name = _("workbook upload")
        verbose_name_plural = _("workbook uploads")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.report} · {self.filename}"

    @property
    def conflicts(self) -> list[dict]:
        return [change for change in self.changes if change.get("conflict")]
