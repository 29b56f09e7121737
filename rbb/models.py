"""What the project keeps beside the report: the e-mails it sent, its narrative exports, and its review."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from missions.models import Report, ReportEvent


class Notification(models.Model):
    """One e-mail about a report, recorded before it is sent so a retried task does not resend it.

    "Ready to submit" goes out once per readiness: the open notice stays until the report stops
    being ready (or is submitted), and only then can a new one be sent. A return is told once per
    workflow event.
    """

    class Kind(models.TextChoices):
        READY = "ready", _("Ready to submit")
        RETURNED = "returned", _("Report returned")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("report"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    event = models.ForeignKey(
        ReportEvent, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("workflow event")
    )
    is_open = models.BooleanField(_("open"), default=False, help_text=_("A readiness notice stays open while the report is ready."))
    recipients = models.TextField(_("recipients"), blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["report", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "kind"], condition=Q(is_open=True), name="one_open_notice_per_kind"),
            models.UniqueConstraint(fields=["event"], condition=Q(event__isnull=False), name="one_notice_per_event"),
        ]

    def __str__(self):
        return f"{self.report} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class ExportJob(models.Model):
    """One export of a report's narrative tables to a file, built by a Celery task.

    The row is the job's whole state, so a page can follow its progress and a retry replaces
    the failed attempt. `content_hash` is the hash of what was printed (the report's data and
    the options): a later export of an unchanged report reuses the stored file.
    """

    class Format(models.TextChoices):
        DOCX = "docx", _("Word (DOCX)")
        XLSX = "xlsx", _("Excel (XLSX)")
        PDF = "pdf", _("PDF")
        HTML = "html", _("HTML")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Language(models.TextChoices):
        EN = "en", _("English")
        ZH_HANS = "zh-hans", _("Simplified Chinese")

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("requested by"), help_text=_("Empty for exports made with manage.py export_narrative."),
    )
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="exports", verbose_name=_("report"))
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    language = models.CharField(_("language"), max_length=10, choices=Language.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    error = models.TextField(_("error"), blank=True)
    # Named by rbb.narrative.services.export_file_name: exports/<entity>/<entity>-<period>-…-<hash>.<format>
    file = models.FileField(_("file"), upload_to="exports/", max_length=300, blank=True)
    content_hash = models.CharField(
        _("content hash"), max_length=64, blank=True, db_index=True,
        help_text=_("SHA-256 of the printed tables and the options; equal hashes mean equal content."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["report", "format", "language", "status"], name="export_reuse_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(progress__gte=0, progress__lte=100), name="export_progress_range"),
        ]

    def __str__(self):
        return f"{self.report} {self.format} {self.language} {self.status}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class Comment(models.Model):
    """A headquarters remark on one framework item of a report, or a reply in its thread.

    A thread is a comment without a parent and its replies; only a thread is resolved. Items
    are named by their stable key (unit | expected accomplishment | kind | number, see
    rbb.review.keys), not by id: importing a framework again replaces its rows, and the review
    must survive that. Comments are never edited or deleted, so the rows are their own record.
    """

    class ItemKind(models.TextChoices):
        INDICATOR = "indicator", _("Indicator")
        OUTPUT = "output", _("Output")
        RESPONSE = "response", _("Follow-up response")
        DELIVERABLE = "deliverable", _("Deliverable")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="review_comments", verbose_name=_("report"))
    item_key = models.CharField(_("item key"), max_length=200, help_text=_("For example 1|1.1|indicator|1.1.1."))
    item_kind = models.CharField(_("item kind"), max_length=11, choices=ItemKind.choices)
    item_label = models.CharField(_("item"), max_length=100, help_text=_("As printed when the comment was written: 1.1.1, 1.1 / 3."))
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies", verbose_name=_("reply to")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author"))
    body = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("resolved by")
    )

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["report", "created_at", "id"]
        indexes = [models.Index(fields=["report", "item_key"], name="comment_item_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(resolved_at__isnull=True, resolved_by__isnull=True),
                name="only_threads_are_resolved",
            ),
        ]

    def __str__(self):
        return f"{self.report_id} {self.item_label}: {self.body[:40]}"

    @property
    def is_open(self) -> bool:
        return self.parent_id is None and self.resolved_at is None


class Submission(models.Model):
    """What a report said when it was submitted: the actual side of every item, frozen.

    `items` is a list (PostgreSQL's jsonb does not keep key order) of one object per item in
    document order: its stable key, kind, label, planned text and the fields the mission
    enters. Comparing two submissions key by key shows what a resubmission changed.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("report"))
    number = models.PositiveIntegerField(_("number"), help_text=_("1 for the first submission of the report."))
    # A proposal's submissions freeze the planned side, a performance report's the actual side;
    # "changes since the last submission" compares only submissions of the report's current phase.
    phase = models.CharField(_("phase"), max_length=20, choices=Report.Phase.choices, default=Report.Phase.PERFORMANCE)
    event = models.OneToOneField(
        ReportEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("workflow event")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    items = models.JSONField(_("items"), default=list)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="submission_number_unique")]

    def __str__(self):
        return f"{self.report_id} #{self.number}"


class DeadlineReminder(models.Model):
    """One deadline e-mail to a mission's approvers, recorded before it is sent.

    The unique constraint on report, kind and due date makes a second run (beat, a retry, the
    management command) a no-op; moving the due date starts a new series.
    """

    class Kind(models.TextChoices):
        WEEK = "due_7", _("Due in 7 days")
        DAY = "due_1", _("Due in 1 day")
        OVERDUE = "overdue", _("Overdue")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="deadline_reminders", verbose_name=_("report"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    due_date = models.DateField(_("due date"))
    recipients = models.TextField(_("recipients"), blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        ordering = ["report", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "kind", "due_date"], name="one_reminder_per_kind_and_due_date"),
        ]

    def __str__(self):
        return f"{self.report_id} {self.kind} {self.due_date:%Y-%m-%d}"


# Celery's autodiscovery imports `<installed app>.tasks` only, and rbb.narrative is a package
# of the rbb app, not an app: importing its tasks with the models registers the export task
# in every process that loads Django (web, worker, shell). The module imports nothing else.
from rbb.narrative import tasks as _narrative_tasks  # noqa: E402,F401


from rbb.workbook.models import WorkbookUpload  # noqa: E402,F401  (registered with the rbb app)
