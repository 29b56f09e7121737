"""Resource performance of a report: money per financial class, people per staff category.

Class lists are data per report type and period (domain.md §4.1; docs/class-lists.md): a
mission and the support account have different classes, and classes are added, renamed and
retired between periods, so nothing here names a class in code. A row with an empty period
belongs to the report type's base list, in force for every period without a list of its own. Only entered figures are
stored; variances, subtotals, totals and rates are computed in missions.resources.
Amounts are thousands of US dollars with one decimal; null is nil, printed "—".
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, Q
from django.utils.translation import gettext_lazy as _

from .core import BudgetPeriod, Report, ReportType, Unit, VersionedRow, localized

# Thousands of dollars, one decimal: room for any UN budget figure (rbb.lib.numbers.MAX_ABS).
AMOUNT = {"max_digits": 16, "decimal_places": 1, "null": True, "blank": True}
HEADCOUNT = {"max_digits": 9, "decimal_places": 1, "null": True, "blank": True}
RATE = {"max_digits": 5, "decimal_places": 1, "null": True, "blank": True,
        "validators": [MinValueValidator(-100), MaxValueValidator(100)]}
TEXT_LIMIT = 20000


class ClassListQuerySet(models.QuerySet):
    def in_force(self, *, report_type_id: int, period_id: int | None):
        """The rows of the list in force for a report type and period, in one query.

        The period's own list when it has one, else the report type's base list (period empty).
        """
        own = self.model.objects.filter(report_type_id=report_type_id, period_id=period_id)
        return self.filter(report_type_id=report_type_id).filter(
            Q(period_id=period_id) | Q(period__isnull=True) & ~Exists(own)
        )

    def for_report(self, report):
        return self.in_force(report_type_id=report.report_type_id, period_id=report.period_id)


def alias_list(text: str) -> list[str]:
    """Aliases are stored one per line: old names in either language."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


ALIASES_HELP = _("Other names accepted on import, one per line: earlier names, in English or Chinese.")


class FinancialClass(models.Model):
    """A row of the financial resources table of one report type, in document order."""

    class Kind(models.TextChoices):
        GROUP = "group", _("Group (heading)")
        LINE = "line", _("Class (entered)")
        SUBTOTAL = "subtotal", _("Subtotal of its group")
        GROSS = "gross", _("Gross requirements")
        STAFF_ASSESSMENT = "staff_assessment", _("Staff assessment income (entered)")
        NET = "net", _("Net requirements")
        IN_KIND = "in_kind", _("Voluntary contributions in kind, budgeted (entered)")
        TOTAL = "total", _("Total requirements")
        MEMO = "memo", _("Memo line (entered, part of a class)")
        CUMULATIVE = "cumulative", _("Total of the classes above (第一类和第二类共计)")

    # Kinds whose apportionment and expenditure people enter; the others are computed.
    ENTERED_KINDS = (Kind.LINE, Kind.MEMO, Kind.STAFF_ASSESSMENT, Kind.IN_KIND)

    report_type = models.ForeignKey(ReportType, on_delete=models.CASCADE, related_name="financial_classes", verbose_name=_("report type"))
    period = models.ForeignKey(
        BudgetPeriod, on_delete=models.CASCADE, null=True, blank=True, related_name="financial_classes", verbose_name=_("period"),
        help_text=_("Empty for the report type's base list, used by periods without a list of their own."),
    )
    code = models.SlugField(_("code"), max_length=60, help_text=_("Stable identifier used by imports, for example official-travel."))
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.LINE)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("group"), help_text=_("The group a class or subtotal belongs to; empty for top-level rows."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    in_totals = models.BooleanField(
        _("added into totals"), default=True,
        help_text=_("Untick for a memo line that is already part of another class (after-service health insurance)."),
    )
    summary_lines = models.BooleanField(
        _("classes listed in the summary"), default=False,
        help_text=_("For a group: the summary table prints its classes one by one (enterprise resource planning, "
                    "global service delivery model …) instead of one row for the group."),
    )
    aliases = models.TextField(_("aliases"), blank=True, help_text=ALIASES_HELP)

    objects = ClassListQuerySet.as_manager()

    class Meta:
        verbose_name = _("financial class")
        verbose_name_plural = _("financial classes")
        ordering = ["report_type", "period", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report_type", "code"], condition=Q(period__isnull=True), name="financial_class_code_unique",
            ),
            models.UniqueConstraint(
                fields=["report_type", "period", "code"], condition=Q(period__isnull=False), name="financial_class_code_unique_in_period",
            ),
            models.CheckConstraint(condition=~Q(kind="subtotal") | Q(parent__isnull=False), name="financial_subtotal_has_group"),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def is_entered(self) -> bool:
        return self.kind in self.ENTERED_KINDS

    def clean(self):
        if self.kind == self.Kind.GROUP and self.parent_id:
            raise ValidationError({"parent": _("A group cannot belong to another group.")}, code="nested_group")
        if self.kind == self.Kind.SUBTOTAL and not self.parent_id:
            raise ValidationError({"parent": _("A subtotal needs the group it adds up.")}, code="subtotal_without_group")
        if self.parent_id and self.parent.kind != self.Kind.GROUP:
            raise ValidationError({"parent": _("Choose a group as parent.")}, code="parent_not_group")
        if self.parent_id and self.report_type_id and self.parent.report_type_id != self.report_type_id:
            raise ValidationError({"parent": _("The group belongs to another report type.")}, code="parent_other_type")
        if self.parent_id and self.parent.period_id != self.period_id:
            raise ValidationError({"parent": _("The group belongs to another period's list.")}, code="parent_other_period")

    @property
    def alias_list(self) -> list[str]:
        return alias_list(self.aliases)


class StaffCategory(models.Model):
    """A row of the human resources incumbency table of one report type."""

    class Kind(models.TextChoices):
        GROUP = "group", _("Group (heading)")
        LINE = "line", _("Category (entered)")

    report_type = models.ForeignKey(ReportType, on_delete=models.CASCADE, related_name="staff_categories", verbose_name=_("report type"))
    period = models.ForeignKey(
        BudgetPeriod, on_delete=models.CASCADE, null=True, blank=True, related_name="staff_categories", verbose_name=_("period"),
        help_text=_("Empty for the report type's base list, used by periods without a list of their own."),
    )
    code = models.SlugField(_("code"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.LINE)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("group"),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    aliases = models.TextField(_("aliases"), blank=True, help_text=ALIASES_HELP)

    objects = ClassListQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff category")
        verbose_name_plural = _("staff categories")
        ordering = ["report_type", "period", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report_type", "code"], condition=Q(period__isnull=True), name="staff_category_code_unique"),
            models.UniqueConstraint(
                fields=["report_type", "period", "code"], condition=Q(period__isnull=False), name="staff_category_code_unique_in_period",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    def clean(self):
        if self.parent_id and (self.kind == self.Kind.GROUP or self.parent.kind != self.Kind.GROUP):
            raise ValidationError({"parent": _("Only a category can belong to a group.")}, code="parent_not_group")


class FinancialLine(VersionedRow):
    """Apportionment (1) and expenditure (2) of one entered class in one report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="financial_lines", verbose_name=_("report"))
    financial_class = models.ForeignKey(FinancialClass, on_delete=models.PROTECT, related_name="lines", verbose_name=_("class"))
    apportionment = models.DecimalField(_("apportionment (thousands of US$)"), **AMOUNT)
    expenditure = models.DecimalField(_("expenditure (thousands of US$)"), **AMOUNT)

    class Meta:
        verbose_name = _("financial line")
        verbose_name_plural = _("financial lines")
        ordering = ["report", "financial_class__order", "id"]
        constraints = [models.UniqueConstraint(fields=["report", "financial_class"], name="financial_line_unique")]

    def __str__(self):
        return f"{self.report_id} · {self.financial_class.name}"


class UnitResourceLine(VersionedRow):
    """Apportionment and expenditure of one department/office (or mission component) in one report.

    Headquarters reports print a second financial table by department/office (A/76/596); the
    variances are computed as the class table's (missions.resources), and its total should
    equal the class table's gross requirements (the resources page warns when it does not).
    Rows exist for the report's top-level units (departments and offices, or components).
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="unit_resource_lines", verbose_name=_("report"))
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="resource_lines", verbose_name=_("department/office"))
    apportionment = models.DecimalField(_("apportionment (thousands of US$)"), **AMOUNT)
    expenditure = models.DecimalField(_("expenditure (thousands of US$)"), **AMOUNT)

    class Meta:
        verbose_name = _("resources by department/office")
        verbose_name_plural = _("resources by department/office")
        ordering = ["report", "unit__order", "id"]
        constraints = [models.UniqueConstraint(fields=["report", "unit"], name="unit_resource_line_unique")]

    def __str__(self):
        return f"{self.report_id} · {self.unit.number}"

    def clean(self):
        if self.unit_id and self.report_id and self.unit.report_id != self.report_id:
            raise ValidationError({"unit": _("The unit belongs to another report.")}, code="other_report")


class VarianceExplanation(VersionedRow):
    """The variance-analysis entry of a line (A/76/525 sect. IV): main paragraph, optional offset."""

    line = models.OneToOneField(FinancialLine, on_delete=models.CASCADE, related_name="explanation", verbose_name=_("line"))
    main = models.TextField(_("explanation"), max_length=TEXT_LIMIT, help_text=_("Reduced/increased requirements were attributable mainly to …"))
    offset = models.TextField(_("offsetting factors"), max_length=TEXT_LIMIT, blank=True, help_text=_("Optional: … partly offset by …"))
    main_en = models.TextField(_("explanation (English)"), max_length=TEXT_LIMIT, blank=True)
    offset_en = models.TextField(_("offsetting factors (English)"), max_length=TEXT_LIMIT, blank=True)

    class Meta:
        verbose_name = _("variance explanation")
        verbose_name_plural = _("variance explanations")

    def __str__(self):
        return self.main[:60]


class Redeployment(VersionedRow):
    """Redeployment across groups (sect. III.B): original distribution and the amount moved."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="redeployments", verbose_name=_("report"))
    category = models.ForeignKey(
        FinancialClass, on_delete=models.PROTECT, related_name="redeployments", verbose_name=_("group"),
        help_text=_("A group, or a top-level class such as post resources."),
    )
    original = models.DecimalField(_("original distribution"), **AMOUNT)
    redeployment = models.DecimalField(_("redeployment"), **AMOUNT)

    class Meta:
        verbose_name = _("redeployment")
        verbose_name_plural = _("redeployments")
        ordering = ["report", "category__order", "id"]
        constraints = [models.UniqueConstraint(fields=["report", "category"], name="redeployment_unique")]

    def __str__(self):
        return f"{self.report_id} · {self.category.name}"


class RevenueLine(VersionedRow):
    """A line of other revenue and adjustments (III.D) or of non-budgeted contributions (III.E)."""

    class Table(models.TextChoices):
        OTHER_REVENUE = "other_revenue", _("Other revenue and adjustments")
        NON_BUDGETED = "non_budgeted", _("Non-budgeted contributions")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="revenue_lines", verbose_name=_("report"))
    table = models.CharField(_("table"), max_length=20, choices=Table.choices)
    code = models.SlugField(_("code"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    amount = models.DecimalField(_("amount (thousands of US$)"), **AMOUNT)
    note = models.CharField(_("footnote"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("revenue line")
        verbose_name_plural = _("revenue lines")
        ordering = ["report", "table", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["report", "table", "code"], name="revenue_line_unique")]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class MonthlyExpenditure(VersionedRow):
    """Expenditure of one month of the period (sect. III.C); month 1 is the period's first month."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="monthly_expenditure", verbose_name=_("report"))
    month = models.PositiveSmallIntegerField(_("month of the period"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    amount = models.DecimalField(_("expenditure (thousands of US$)"), **AMOUNT)

    class Meta:
        verbose_name = _("monthly expenditure")
        verbose_name_plural = _("monthly expenditure")
        ordering = ["report", "month"]
        constraints = [
            models.UniqueConstraint(fields=["report", "month"], name="monthly_expenditure_unique"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="monthly_expenditure_month_range"),
        ]

    def __str__(self):
        return f"{self.report_id} · {self.month}"


class StaffIncumbency(VersionedRow):
    """Authorized strength, actual average and vacancy rate of one staff category in one report."""

    class Method(models.TextChoices):
        # The simple formula reproduces every UNMIK rate (domain.md §4.3).
        AVERAGE = "average", _("Computed: (authorized − actual average) ÷ authorized")
        # The support account's rates are means of monthly rates over a changing base.
        MONTHLY = "monthly", _("Computed: mean of the 12 monthly rates")
        ENTERED = "entered", _("Entered directly")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="incumbency", verbose_name=_("report"))
    category = models.ForeignKey(StaffCategory, on_delete=models.PROTECT, related_name="incumbency", verbose_name=_("category"))
    authorized = models.DecimalField(_("authorized"), **HEADCOUNT, help_text=_("Highest authorized strength."))
    actual_average = models.DecimalField(_("actual (average)"), **HEADCOUNT)
    budgeted_vacancy_rate = models.DecimalField(_("budgeted vacancy rate (%)"), **RATE)
    method = models.CharField(_("vacancy rate method"), max_length=10, choices=Method.choices, default=Method.AVERAGE)
    vacancy_rate_entered = models.DecimalField(_("vacancy rate as entered (%)"), **RATE)
    vacancy_rate_note = models.CharField(
        _("note on the entered rate"), max_length=500, blank=True,
        help_text=_("Where the entered rate comes from, for example the Umoja monthly staffing table."),
    )

    class Meta:
        verbose_name = _("staff incumbency")
        verbose_name_plural = _("staff incumbency")
        ordering = ["report", "category__order", "id"]
        constraints = [models.UniqueConstraint(fields=["report", "category"], name="staff_incumbency_unique")]

    def __str__(self):
        return f"{self.report_id} · {self.category.name}"


class StaffIncumbencyMonth(models.Model):
    """Authorized and incumbent staff of one category in one month, for the monthly-mean rate."""

    incumbency = models.ForeignKey(StaffIncumbency, on_delete=models.CASCADE, related_name="months", verbose_name=_("staff incumbency"))
    month = models.PositiveSmallIntegerField(_("month of the period"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    authorized = models.DecimalField(_("authorized"), **HEADCOUNT)
    incumbent = models.DecimalField(_("incumbent"), **HEADCOUNT)

    class Meta:
        verbose_name = _("monthly incumbency")
        verbose_name_plural = _("monthly incumbency")
        ordering = ["incumbency", "month"]
        constraints = [
            models.UniqueConstraint(fields=["incumbency", "month"], name="incumbency_month_unique"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="incumbency_month_range"),
        ]

    def __str__(self):
        return f"{self.incumbency_id} · {self.month}"


class ResourceNarrative(VersionedRow):
    """The paragraphs under a resource table (redeployment reasons, monthly pattern), one per line."""

    class Section(models.TextChoices):
        REDEPLOYMENT = "redeployment", _("Redeployment across groups")
        MONTHLY_PATTERN = "monthly_pattern", _("Monthly expenditure pattern")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="resource_narratives", verbose_name=_("report"))
    section = models.CharField(_("section"), max_length=20, choices=Section.choices)
    text = models.TextField(_("text"), blank=True, max_length=TEXT_LIMIT, help_text=_("One paragraph per line."))
    text_en = models.TextField(_("text (English)"), blank=True, max_length=TEXT_LIMIT, help_text=_("One paragraph per line."))

    class Meta:
        verbose_name = _("resource narrative")
        verbose_name_plural = _("resource narratives")
        ordering = ["report", "section"]
        constraints = [models.UniqueConstraint(fields=["report", "section"], name="resource_narrative_unique")]

    def __str__(self):
        return f"{self.report_id} · {self.get_section_display()}"
