"""The follow-up ledger: what the General Assembly, the ACABQ, the C-34 and oversight bodies
asked, which report answers it, and what the mission did (A/76/525 sect. 六).

A SourceDocument (a resolution or report) holds Requests (its paragraphs). A request is
assigned to one or more reports (entity + period); each assignment has one Response, which
the mission writes like any other item of its report: versioned, audited, locked with it.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from indicators.models import ExpectedAccomplishment, Indicator, Output
from missions.models import FinancialClass, Report, Unit, VersionedRow, paragraphs


class SourceDocument(models.Model):
    """A resolution or report whose paragraphs ask something of the Secretariat."""

    class Body(models.TextChoices):
        # In the order the follow-up section prints them (A. 大会, B. 行预咨委会 …).
        GA = "GA", _("General Assembly")
        ACABQ = "ACABQ", _("Advisory Committee on Administrative and Budgetary Questions")
        C34 = "C34", _("Special Committee on Peacekeeping Operations")
        OIOS = "OIOS", _("Office of Internal Oversight Services")
        BOA = "BOA", _("Board of Auditors")
        OTHER = "other", _("Other")

    symbol = models.CharField(_("symbol"), max_length=60, unique=True, help_text=_("For example A/RES/75/301 or A/75/822/Add.11."))
    body = models.CharField(_("body"), max_length=10, choices=Body.choices)
    date = models.DateField(_("date"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")
        ordering = ["body", "date", "symbol"]

    def __str__(self):
        return self.symbol

    @property
    def body_order(self) -> int:
        return list(self.Body.values).index(self.body)

    @property
    def resolution_number(self) -> str:
        """`75/301` for A/RES/75/301, else empty: the section prints a resolution by its number."""
        match = _RESOLUTION.fullmatch(self.symbol.strip())
        return match.group(1) if match else ""


_RESOLUTION = re.compile(r"A/RES/(\d+/\d+(?:\s*[A-Z])?)")


class Request(models.Model):
    """One paragraph of a source document: a decision, request or recommendation."""

    class Kind(models.TextChoices):
        REQUEST = "request", _("Request")
        RECOMMENDATION = "recommendation", _("Recommendation")
        DECISION = "decision", _("Decision")
        NOTED = "noted", _("Noted")

    class AddressedTo(models.TextChoices):
        SECRETARIAT = "secretariat", _("Secretariat")
        MEMBER_STATES = "member_states", _("Member States")
        OTHER = "other", _("Other")

    source = models.ForeignKey(SourceDocument, on_delete=models.CASCADE, related_name="requests", verbose_name=_("source document"))
    paragraph = models.CharField(
        _("paragraph"), max_length=100, help_text=_("As printed, for example 第 11 段 or A/75/19, para. 18."),
    )
    text = models.TextField(_("text"), blank=True, help_text=_("The decision or request, one paragraph per line."))
    text_en = models.TextField(_("text (English)"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REQUEST)
    addressed_to = models.CharField(_("addressed to"), max_length=20, choices=AddressedTo.choices, default=AddressedTo.SECRETARIAT)
    order = models.PositiveIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["source", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["source", "paragraph"], name="request_paragraph_unique_in_source")]

    def __str__(self):
        return f"{self.source.symbol} {self.paragraph}"


class Assignment(models.Model):
    """A request to be answered in one report ("include in the next performance report")."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("request"))
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="ledger_assignments", verbose_name=_("report"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_to",
        verbose_name=_("carried forward from"), help_text=_("The previous period's assignment, still open when the period ended."),
    )
    units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name=_("units"))
    accomplishments = models.ManyToManyField(ExpectedAccomplishment, blank=True, related_name="+", verbose_name=_("expected accomplishments"))
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="+", verbose_name=_("indicators"))
    outputs = models.ManyToManyField(Output, blank=True, related_name="+", verbose_name=_("outputs"))
    financial_classes = models.ManyToManyField(FinancialClass, blank=True, related_name="+", verbose_name=_("financial classes"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("assigned by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["report", "request__source__body", "request__source__symbol", "request__order", "id"]
        constraints = [models.UniqueConstraint(fields=["request", "report"], name="one_assignment_per_request_report")]
        indexes = [models.Index(fields=["due_date"], name="assignment_due_idx")]

    def __str__(self):
        return f"{self.request} → {self.report_id}"


class Response(VersionedRow):
    """What the mission did about one assignment (为执行决定/要求而采取的行动)."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        IMPLEMENTED = "implemented", _("Implemented")
        NOT_ADDRESSED = "not_addressed", _("Not addressed to the Secretariat")
        SUPERSEDED = "superseded", _("Superseded")
        CLOSED = "closed", _("Closed by the body")

    # A request in these states is done: it is not carried into the next period.
    CLOSED_STATUSES = (Status.IMPLEMENTED, Status.NOT_ADDRESSED, Status.SUPERSEDED, Status.CLOSED)
    # These need no action text to count as answered.
    ANSWERED_WITHOUT_ACTION = (Status.NOT_ADDRESSED, Status.SUPERSEDED, Status.CLOSED)

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="response", verbose_name=_("assignment"))
    action = models.TextField(_("action taken"), blank=True, help_text=_("One paragraph per line."))
    action_en = models.TextField(_("action taken (English)"), blank=True, help_text=_("One paragraph per line."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["assignment"]
        indexes = [models.Index(fields=["status"], name="response_status_idx")]
        constraints = [
            # "Implemented" says what was done: never without the action text (A/76/525 sect. 六).
            models.CheckConstraint(
                condition=~Q(status="implemented") | ~Q(action="") | ~Q(action_en=""),
                name="implemented_has_action",
            ),
        ]

    def __str__(self):
        return f"{self.assignment} {self.status}"

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED_STATUSES

    @property
    def is_answered(self) -> bool:
        return bool(self.action.strip() or self.action_en.strip()) or self.status in self.ANSWERED_WITHOUT_ACTION

    @property
    def paragraphs(self) -> list[str]:
        return paragraphs(self.action)

    @property
    def paragraphs_en(self) -> list[str]:
        return paragraphs(self.action_en)


class Evidence(models.Model):
    """A link or a file showing what was done."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("response"))
    label = models.CharField(_("label"), max_length=200, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to="ledger/", max_length=300, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("added by"))
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["response", "created_at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(link="") | ~Q(file=""), name="evidence_link_or_file")]

    def __str__(self):
        return self.label or self.link or self.file.name
