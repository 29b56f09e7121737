"""Budget entities (missions and the support account), periods, reports and their units."""

import contextvars
import datetime
import uuid
from contextlib import contextmanager
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from missions.content import content_require


def localized(obj, field: str) -> str:
    """Return obj.<field>_zh for Chinese pages when it is filled, else obj.<field>_en."""
    lang = (get_language() or "en").lower()
    if lang.startswith("zh"):
        return getattr(obj, f"{field}_zh") or getattr(obj, f"{field}_en")
    return getattr(obj, f"{field}_en") or getattr(obj, f"{field}_zh")


class VersionedRow(models.Model):
    """A row people edit: a version for optimistic concurrency and who changed it last.

    Services update it with `filter(pk=…, version=…).update(version=F("version") + 1, …)`, so
    of two saves made from the same version exactly one wins.
    """

    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("updated by"),
    )

    class Meta:
        abstract = True


class IatiSectorVocabulary(models.TextChoices):
    """IATI SectorVocabulary codelist entries the product writes."""

    DAC_5 = "1", _("OECD DAC CRS purpose codes (5 digit)")
    DAC_3 = "2", _("OECD DAC CRS purpose codes (3 digit)")
    REPORTING_ORG = "99", _("Reporting organisation's own vocabulary")


class Mission(models.Model):
    """A budget entity: a peacekeeping mission, or the support account at headquarters."""

    code = models.SlugField(_("code"), max_length=40, unique=True, help_text=_("For example UNMIK."))
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=300, blank=True)
    short_name_en = models.CharField(_("short name (English)"), max_length=100, blank=True)
    short_name_zh = models.CharField(_("short name (Chinese)"), max_length=100, blank=True)
    mandate_references = models.TextField(
        _("mandate references"), blank=True, help_text=_("Security Council resolutions, one per line.")
    )
    overall_objective = models.TextField(_("overall objective"), blank=True)
    overall_objective_en = models.TextField(_("overall objective (English)"), blank=True)
    # What an IATI registry asks of each activity (docs/api.md, "IATI"): where it happens and in
    # which sector. Set by the budget administrator in the admin.
    iati_recipient_country = models.CharField(
        _("IATI recipient country"), max_length=2, blank=True, validators=[RegexValidator(r"^[A-Z]{2}$")],
        help_text=_("ISO 3166-1 alpha-2 code, or XK for Kosovo; leave empty for a region."),
    )
    iati_recipient_region = models.CharField(
        _("IATI recipient region"), max_length=3, blank=True, validators=[RegexValidator(r"^[0-9]{3}$")],
        help_text=_("OECD DAC region code (IATI Region codelist), for example 998 for developing countries, unspecified; "
                    "used when the entity has no single country."),
    )
    iati_sector_vocabulary = models.CharField(
        _("IATI sector vocabulary"), max_length=2, blank=True, choices=IatiSectorVocabulary.choices,
        default=IatiSectorVocabulary.DAC_5,
    )
    iati_sector_code = models.CharField(
        _("IATI sector code"), max_length=20, blank=True,
        help_text=_("With the DAC 5-digit vocabulary a purpose code such as 15230 (participation in international "
                    "peacekeeping operations); with the organisation's own vocabulary, its code and the vocabulary's URL."),
    )
    iati_sector_vocabulary_uri = models.URLField(_("IATI sector vocabulary URL"), blank=True)

    class Meta:
        verbose_name = _("budget entity")
        verbose_name_plural = _("budget entities")
        ordering = ["code"]

    def __str__(self):
        return self.code

    @property
    def name(self) -> str:
        return localized(self, "name") or self.code

    def clean(self):
        super().clean()
        errors = {}
        if self.iati_recipient_country and self.iati_recipient_region:
            errors["iati_recipient_region"] = _("Give a country or a region, not both.")
        digits = {IatiSectorVocabulary.DAC_5: 5, IatiSectorVocabulary.DAC_3: 3}.get(self.iati_sector_vocabulary)
        code = self.iati_sector_code
        if code and digits and not (code.isascii() and code.isdigit() and len(code) == digits):
            errors["iati_sector_code"] = _("This vocabulary's codes have %(digits)s digits.") % {"digits": digits}
        if code and self.iati_sector_vocabulary == IatiSectorVocabulary.REPORTING_ORG and not self.iati_sector_vocabulary_uri:
            errors["iati_sector_vocabulary_uri"] = _("Say where the organisation's vocabulary is published.")
        if errors:
            raise ValidationError(errors)


class BudgetPeriod(models.Model):
    class Kind(models.TextChoices):
        JULY_JUNE = "july_june", _("1 July – 30 June (peacekeeping)")
        CALENDAR = "calendar", _("Calendar year (regular budget)")

    label = models.CharField(_("label"), max_length=20, unique=True, help_text=_("For example 2020/21."))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.JULY_JUNE)

    class Meta:
        verbose_name = _("budget period")
        verbose_name_plural = _("budget periods")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=models.F("end")), name="period_start_before_end")
        ]

    def __str__(self):
        return self.label


class ReportType(models.Model):
    """What a report is: it decides the framework shape, class lists and variance threshold."""

    class Shape(models.TextChoices):
        MISSION = "mission", _("Mission (components, baselines and target)")
        HEADQUARTERS = "headquarters", _("Headquarters (units, target/estimate/actual)")
        # The regular budget's programme plan (A/78/6 (Sect. 3); domain.md §7): subprogrammes,
        # performance measures and deliverables A–D, held by rbb.programme.
        PROGRAMME_PLAN = "programme-plan", _("Programme plan (subprogrammes, deliverables A–D)")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    shape = models.CharField(_("framework shape"), max_length=20, choices=Shape.choices)
    # Only lines at ±5 % or ±US$100 000 are analysed in a mission report; ±4 % or
    # ±US$50 000 for the support account (A/76/525, sect. IV; A/76/596).
    variance_threshold_percent = models.DecimalField(
        _("variance threshold (%)"), max_digits=5, decimal_places=1, default=Decimal("5.0")
    )
    variance_threshold_usd = models.DecimalField(
        _("variance threshold (US$)"), max_digits=14, decimal_places=0, default=Decimal("100000")
    )

    class Meta:
        verbose_name = _("report type")
        verbose_name_plural = _("report types")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def is_headquarters(self) -> bool:
        return self.shape == self.Shape.HEADQUARTERS

    @property
    def is_programme_plan(self) -> bool:
        return self.shape == self.Shape.PROGRAMME_PLAN


class Report(models.Model):
    """One budget entity's report for one period: everything hangs on it.

    A report goes through two phases (domain.md §1): the budget proposal's **planning** phase,
    where the planned side is written and reviewed, then the **performance** phase, where the
    actual side is entered and reviewed. `status` is the workflow state of the current phase.
    """

    class Phase(models.TextChoices):
        PLANNING = "planning", _("Planning (budget proposal)")
        PERFORMANCE = "performance", _("Performance report")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        ACCEPTED = "accepted", _("Accepted")

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="reports", verbose_name=_("budget entity"))
    period = models.ForeignKey(BudgetPeriod, on_delete=models.PROTECT, related_name="reports", verbose_name=_("period"))
    report_type = models.ForeignKey(ReportType, on_delete=models.PROTECT, related_name="reports", verbose_name=_("report type"))
    symbol = models.CharField(_("document symbol"), max_length=40, blank=True, help_text=_("For example A/76/525."))
    budget_symbol = models.CharField(_("budget document symbol"), max_length=40, blank=True)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.PERFORMANCE)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Set when headquarters accepts the budget proposal (rbb.workflow): from then on the planned
    # side is the approved framework and stays frozen, in the performance phase too.
    proposal_accepted_at = models.DateTimeField(_("proposal accepted"), null=True, blank=True, editable=False)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    # An indicator exceeding its target by more than this needs an explanation too.
    tolerance_percent = models.DecimalField(
        _("explanation tolerance (%)"), max_digits=5, decimal_places=1, default=Decimal("20.0"),
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
    )
    # Headquarters outputs outside this delivery-ratio band need an explanation.
    ratio_low = models.DecimalField(_("lowest delivery ratio without explanation"), max_digits=5, decimal_places=1, default=Decimal("90.0"))
    ratio_high = models.DecimalField(_("highest delivery ratio without explanation"), max_digits=5, decimal_places=1, default=Decimal("110.0"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period__start", "mission__code"]
        constraints = [models.UniqueConstraint(fields=["mission", "period"], name="one_report_per_entity_period")]

    def __str__(self):
        return f"{self.mission.code} {self.period.label}"

    @property
    def is_locked(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.ACCEPTED)

    # Without its own due date a report is due 90 days after its period ends (a period ending
    # 30 June 2021 is due on 28 September 2021): the first quarter to close accounts and write.
    DEFAULT_DUE_DAYS = 90

    @property
    def effective_due_date(self) -> datetime.date:
        """The due date a budget administrator set, else the default from the period (loaded)."""
        return self.due_date or self.period.end + datetime.timedelta(days=self.DEFAULT_DUE_DAYS)

    @property
    def is_planning(self) -> bool:
        return self.phase == self.Phase.PLANNING

    @property
    def planned_side_editable(self) -> bool:
        """The framework (planned side) is written only in a planning phase that is not locked."""
        return self.is_planning and not self.is_locked

    @property
    def planned_side_frozen(self) -> bool:
        """Whether no route may change the framework: the report is locked, or its proposal was accepted.

        A report that never went through a planning phase (imported for its performance
        report) keeps its framework open to the budget administrator while it is a draft.
        """
        return self.is_locked or self.proposal_accepted_at is not None


def new_lineage():
    return uuid.uuid4()


class LineageMixin(models.Model):
    """A stable key an item shares with its ancestor in the previous period and its descendants.

    Roll-forward copies it; it survives renumbering and reordering, and the interchange format
    carries it, so an item's history across periods can be read.
    """

    lineage = models.UUIDField(_("lineage"), default=new_lineage, db_index=True, editable=False)

    class Meta:
        abstract = True


class Unit(LineageMixin, VersionedRow):
    """A reporting unit: a mission component, or an HQ department with optional sub-units.

    Versioned like the items: the framework editor refuses a save made from an old version.
    """

    class Kind(models.TextChoices):
        COMPONENT = "component", _("Component")
        DEPARTMENT = "department", _("Department or office")
        SUB_UNIT = "sub_unit", _("Sub-unit")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="units", verbose_name=_("report"))
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("parent unit"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMPONENT)
    number = models.CharField(_("number"), max_length=20, help_text=_("1, 2 for components; A, A.1 for headquarters units."))
    title = models.CharField(_("title"), max_length=500, blank=True)
    narrative = models.TextField(_("narrative"), blank=True, help_text=_("One paragraph per line."))
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    narrative_en = models.TextField(_("narrative (English)"), blank=True, help_text=_("One paragraph per line."))
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["report", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="unit_number_unique_in_report")]

    def __str__(self):
        return f"{self.number} {self.title or self.title_en}"

    def clean(self):
        content_require(self, "title")

    @property
    def paragraphs(self) -> list[str]:
        return paragraphs(self.narrative)

    @property
    def paragraphs_en(self) -> list[str]:
        return paragraphs(self.narrative_en)


def paragraphs(text: str) -> list[str]:
    """Split a stored narrative into its paragraphs (one per line)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class Membership(models.Model):
    """A person's role, scoped to one mission (mission roles) or to all (HQ roles)."""

    class Role(models.TextChoices):
        FOCAL_POINT = "focal_point", _("Mission focal point")
        APPROVER = "approver", _("Mission approver")
        HQ_REVIEWER = "hq_reviewer", _("Headquarters reviewer")
        BUDGET_ADMIN = "budget_admin", _("Budget administrator")
        VIEWER = "viewer", _("Viewer")

    MISSION_ROLES = {Role.FOCAL_POINT, Role.APPROVER}

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships",
        verbose_name=_("budget entity"), help_text=_("Empty for headquarters roles and all-mission viewers."),
    )
    unit_numbers = models.CharField(
        _("limited to units"), max_length=200, blank=True,
        help_text=_("Comma-separated unit numbers a focal point may edit; empty for all."),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["user__username", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "mission"], condition=Q(mission__isnull=False), name="membership_unique"
            ),
            # NULLs never compare equal, so roles spanning all missions need their own rule.
            models.UniqueConstraint(
                fields=["user", "role"], condition=Q(mission__isnull=True), name="membership_unique_everywhere"
            ),
            models.CheckConstraint(
                condition=~Q(role__in=["focal_point", "approver"]) | Q(mission__isnull=False),
                name="mission_roles_need_mission",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.mission or '*'}"


class ReportEvent(models.Model):
    """A workflow transition of a report: who moved it, when, from which state to which."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events", verbose_name=_("report"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("by"))
    action = models.CharField(_("action"), max_length=30)
    phase = models.CharField(_("phase"), max_length=20, choices=Report.Phase.choices, default=Report.Phase.PERFORMANCE)
    from_status = models.CharField(_("from"), max_length=20, choices=Report.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Report.Status.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("workflow event")
        verbose_name_plural = _("workflow events")
        ordering = ["report", "created_at", "id"]

    def __str__(self):
        return f"{self.report} {self.from_status} → {self.to_status}"


# Which route a change came through, read by ChangeRecord's default: every service that records
# a change marks its source without each one taking an argument for it.
_change_source = contextvars.ContextVar("change_source", default="")


def current_change_source() -> str:
    return _change_source.get()


@contextmanager
def change_source(source: str):
    """Mark every ChangeRecord written inside the block as coming from `source` (e.g. "workbook")."""
    token = _change_source.set(source)
    try:
        yield
    finally:
        _change_source.reset(token)


class ChangeRecord(models.Model):
    """One changed field of one item of a report: the audit trail (who, when, old → new)."""

    class Source(models.TextChoices):
        DIRECT = "", _("Entry page or API")
        WORKBOOK = "workbook", _("via workbook")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="changes", verbose_name=_("report"))
    item_type = models.CharField(_("item type"), max_length=40, help_text=_("indicator, output, financial line …"))
    item_id = models.BigIntegerField(_("item id"))
    item_label = models.CharField(_("item"), max_length=100, blank=True)
    field = models.CharField(_("field"), max_length=60)
    old_value = models.TextField(_("old value"), blank=True)
    new_value = models.TextField(_("new value"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    source = models.CharField(
        _("source"), max_length=20, blank=True, choices=Source.choices, default=current_change_source,
    )

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["item_type", "item_id", "created_at"], name="change_item_idx")]

    def __str__(self):
        return f"{self.item_type} {self.item_label} {self.field}"
