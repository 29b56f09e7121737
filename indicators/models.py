"""The results framework: expected accomplishments, indicators of achievement and outputs.

Both shapes live in the same tables (domain.md §2, §3): a mission indicator has baselines
and a target; a headquarters indicator has target, estimate and actual. Printed values are
kept as written and parsed once (rbb.lib.figures) into a value, comparator and tolerance.

Content is bilingual: each content text X holds the Chinese version and X_en the English one
(either may be empty; UN documents exist in every official language). The same holds for
units, resource explanations and narratives in missions.models.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from missions.content import content_require
from missions.models import LineageMixin, Unit, VersionedRow, paragraphs
from rbb.lib.figures import Comparator, Figure, parse_figure

FIGURE_DIGITS = {"max_digits": 20, "decimal_places": 4}
TEXT_LIMIT = 20000  # characters in one narrative cell; the longest UNMIK cell has ~1 200


class ExpectedAccomplishment(LineageMixin, VersionedRow):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="accomplishments", verbose_name=_("unit"))
    number = models.CharField(_("number"), max_length=20, help_text=_("1.1 in a mission framework, (a) at headquarters."))
    text = models.TextField(_("text"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("expected accomplishment")
        verbose_name_plural = _("expected accomplishments")
        ordering = ["unit", "order", "id"]
        # The headquarters letter (a) is not a stable identity across units, only within one.
        constraints = [models.UniqueConstraint(fields=["unit", "number"], name="ea_number_unique_in_unit")]

    def __str__(self):
        return f"{self.number} {(self.text or self.text_en)[:60]}"

    def clean(self):
        content_require(self, "text")


class Indicator(LineageMixin, VersionedRow):
    class Direction(models.TextChoices):
        INCREASE = "increase", _("Increase (higher is better)")
        DECREASE = "decrease", _("Decrease (lower is better)")
        BAND = "band", _("Within a band")
        EXACT = "exact", _("Exact")
        QUALITATIVE = "qualitative", _("Qualitative")

    class Measure(models.TextChoices):
        COUNT = "count", _("Count")
        PERCENTAGE = "percentage", _("Percentage")
        DAYS = "days", _("Days")
        MONTHS = "months", _("Months")
        SCORE = "score", _("Score")
        AMOUNT = "amount", _("Amount")
        QUALITATIVE = "qualitative", _("Qualitative")

    accomplishment = models.ForeignKey(ExpectedAccomplishment, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("expected accomplishment"))
    number = models.CharField(_("number"), max_length=20, help_text=_("1.1.1 in a mission framework, ㈠ at headquarters."))
    statement = models.TextField(_("statement"), blank=True)
    statement_en = models.TextField(_("statement (English)"), blank=True)
    measure = models.CharField(_("unit of measure"), max_length=20, choices=Measure.choices, default=Measure.COUNT)
    unit_hint = models.CharField(_("unit as printed"), max_length=100, blank=True, help_text=_("For example 请求数目 or 百分比."))
    unit_hint_en = models.CharField(_("unit as printed (English)"), max_length=100, blank=True)
    direction = models.CharField(_("direction"), max_length=20, choices=Direction.choices, default=Direction.INCREASE)
    order = models.PositiveIntegerField(_("order"), default=0)

    # Actual side, entered by mission staff.
    actual = models.CharField(_("actual value"), max_length=200, blank=True, help_text=_("As printed: 860, 27%, 不适用; several figures separated by “;”."))
    actual_value = models.DecimalField(_("actual value (parsed)"), null=True, blank=True, **FIGURE_DIGITS)
    actual_narrative = models.TextField(_("actual indicators of achievement"), blank=True, max_length=TEXT_LIMIT)
    variance_explanation = models.TextField(_("variance explanation"), blank=True, max_length=TEXT_LIMIT)
    actual_narrative_en = models.TextField(_("actual indicators of achievement (English)"), blank=True, max_length=TEXT_LIMIT)
    variance_explanation_en = models.TextField(_("variance explanation (English)"), blank=True, max_length=TEXT_LIMIT)

    class Meta:
        verbose_name = _("indicator of achievement")
        verbose_name_plural = _("indicators of achievement")
        ordering = ["accomplishment", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["accomplishment", "number"], name="indicator_number_unique_in_ea")]

    def __str__(self):
        return f"{self.number} {(self.statement or self.statement_en)[:60]}"

    def clean(self):
        content_require(self, "statement")

    def set_actual(self, printed: str) -> None:
        """Store the actual as printed and its parsed value."""
        self.actual = (printed or "").strip()
        self.actual_value = parse_figure(self.actual).value

    @property
    def actual_figure(self) -> Figure:
        return parse_figure(self.actual)

    @property
    def narrative_paragraphs(self) -> list[str]:
        return paragraphs(self.actual_narrative)


class IndicatorFigure(models.Model):
    """A planned figure of an indicator: a baseline of a prior period, the target or estimate."""

    class Kind(models.TextChoices):
        BASELINE = "baseline", _("Baseline (prior-period actual)")
        TARGET = "target", _("Target")
        ESTIMATE = "estimate", _("Estimate")

    class Source(models.TextChoices):
        ACCEPTED_ACTUAL = "accepted_actual", _("Accepted actual")
        ENTERED_ACTUAL = "entered_actual", _("Entered actual, not yet accepted (estimate)")
        ANCESTOR_SERIES = "ancestor_series", _("Printed in the previous framework's series")
        ANCESTOR_TARGET = "ancestor_target", _("Target of the previous framework (estimate)")

    # Sources that are not yet an accepted or printed actual: the page marks them as estimates.
    ESTIMATE_SOURCES = frozenset({Source.ENTERED_ACTUAL, Source.ANCESTOR_TARGET})

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="figures", verbose_name=_("indicator"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    period_label = models.CharField(_("period"), max_length=20, blank=True, help_text=_("For example 2018/19."))
    printed = models.CharField(_("value as printed"), max_length=100, help_text=_("For example 1 050, 37.8%, 10%±3%, ≤ 48, 不适用."))
    value = models.DecimalField(_("value"), null=True, blank=True, **FIGURE_DIGITS)
    comparator = models.CharField(_("comparator"), max_length=4, blank=True, choices=[(c, c) for c in Comparator.CHOICES])
    tolerance = models.DecimalField(_("tolerance"), null=True, blank=True, **FIGURE_DIGITS)
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)
    # Where a baseline came from when roll-forward wrote it (indicators.baselines); empty for a
    # figure a person typed or imported. Until the proposal is submitted the machine rewrites
    # such a figure whenever its source changes, unless a person overrode it.
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, blank=True, default="")
    overridden = models.BooleanField(
        _("overridden"), default=False, help_text=_("A person changed the value the machine wrote; it is no longer rewritten."),
    )

    class Meta:
        verbose_name = _("indicator figure")
        verbose_name_plural = _("indicator figures")
        ordering = ["indicator", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["indicator", "kind", "period_label"], name="figure_unique_per_period")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period_label}: {self.printed}"

    def set_printed(self, printed: str) -> None:
        """Store a printed figure with its parsed value, comparator and tolerance."""
        figure = parse_figure(printed)
        self.printed = figure.printed
        self.value = figure.value
        self.comparator = figure.comparator
        self.tolerance = figure.tolerance
        self.not_applicable = figure.not_applicable

    @property
    def figure(self) -> Figure:
        return parse_figure(self.printed)

    @property
    def is_estimate(self) -> bool:
        """A machine-written baseline that is not (yet) an actual: shown as an estimate."""
        return self.source in self.ESTIMATE_SOURCES


class OutputQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Fill each output's unit from its accomplishment when the caller left it out.

        Code written before outputs had a unit of their own (roll-forward, generators) creates
        them under an accomplishment only; one query finds the units it did not have in hand.
        """
        objs = list(objs)
        missing = [o for o in objs if o.unit_id is None]
        # An accomplishment in hand may itself have been saved after the output was built (its
        # key is then only on the object), so read the unit through the objects first.
        unknown = {o.accomplishment_id for o in missing if not _cached(o, "accomplishment") and o.accomplishment_id}
        units = dict(ExpectedAccomplishment.objects.filter(pk__in=unknown).values_list("pk", "unit_id")) if unknown else {}
        for o in missing:
            if _cached(o, "accomplishment") and o.accomplishment is not None:
                ea = o.accomplishment
                o.unit_id = ea.unit_id or (ea.unit.pk if _cached(ea, "unit") and ea.unit is not None else None)
            elif o.accomplishment_id:
                o.unit_id = units.get(o.accomplishment_id)
        return super().bulk_create(objs, *args, **kwargs)


def _cached(obj, name: str) -> bool:
    return obj._meta.get_field(name).is_cached(obj)


class Output(LineageMixin, VersionedRow):
    """A planned output and what was delivered.

    Every output belongs to a unit. In a mission framework it also belongs to an expected
    accomplishment (printed in the accomplishment's outputs table); in a headquarters report
    it usually belongs to the department/office alone (one outputs table per unit, printed
    after the unit's indicator tables), and `accomplishment` is empty. Keeping `unit` on every
    output lets every read reach an output's report in one join (`unit__report`).
    """

    class Completed(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        NUMBER = "number", _("Number")
        NUMBERS = "numbers", _("Several numbers")
        BLANK = "blank", _("Not yet (blank)")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="outputs", verbose_name=_("unit"))
    accomplishment = models.ForeignKey(
        ExpectedAccomplishment, on_delete=models.CASCADE, null=True, blank=True, related_name="outputs",
        verbose_name=_("expected accomplishment"), help_text=_("Empty for an output of the unit itself (headquarters)."),
    )
    number = models.CharField(_("number"), max_length=20, help_text=_("Order within its expected accomplishment or unit."))
    heading = models.CharField(
        _("heading"), max_length=500, blank=True,
        help_text=_("Service heading (改进服务) or category path, levels separated by “ › ”."),
    )
    planned_text = models.TextField(_("planned output"), max_length=TEXT_LIMIT, blank=True)
    heading_en = models.CharField(_("heading (English)"), max_length=500, blank=True)
    planned_text_en = models.TextField(_("planned output (English)"), max_length=TEXT_LIMIT, blank=True)
    planned_quantity = models.CharField(_("planned quantity"), max_length=100, blank=True, help_text=_("As printed: 220, 1 300; several separated by “;”."))
    planned_value = models.DecimalField(_("planned quantity (parsed)"), null=True, blank=True, **FIGURE_DIGITS)
    # Roll-forward copies last period's quantity as a proposal, not a decision: it stays marked
    # until someone confirms or changes it in the new framework.
    quantity_carried_over = models.BooleanField(
        _("carried over — confirm"), default=False,
        help_text=_("The planned quantity was copied from the previous period and is not yet confirmed."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    # Actual side, entered by mission staff.
    completed_kind = models.CharField(_("completed"), max_length=10, choices=Completed.choices, default=Completed.BLANK)
    completed = models.CharField(_("completed (number)"), max_length=100, blank=True, help_text=_("As printed: 250, 3 514, or 180; 841."))
    completed_value = models.DecimalField(_("completed (parsed)"), null=True, blank=True, **FIGURE_DIGITS)
    remarks = models.TextField(_("remarks"), blank=True, max_length=TEXT_LIMIT)
    remarks_en = models.TextField(_("remarks (English)"), blank=True, max_length=TEXT_LIMIT)

    class Meta:
        verbose_name = _("output")
        verbose_name_plural = _("outputs")
        ordering = ["unit", "accomplishment", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["accomplishment", "number"], name="output_number_unique_in_ea"),
            models.UniqueConstraint(
                fields=["unit", "number"], condition=models.Q(accomplishment__isnull=True), name="output_number_unique_in_unit",
            ),
        ]

    objects = OutputQuerySet.as_manager()

    def __str__(self):
        return f"{self.number} {(self.planned_text or self.planned_text_en)[:60]}"

    def clean(self):
        content_require(self, "planned_text")

    def save(self, *args, **kwargs):
        if self.unit_id is None and self.accomplishment is not None:
            self.unit_id = self.accomplishment.unit_id
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.accomplishment_id and self.unit_id and self.accomplishment.unit_id != self.unit_id:
            raise ValidationError({"accomplishment": _("The expected accomplishment belongs to another unit.")}, code="other_unit")

    def set_planned_quantity(self, printed: str) -> None:
        self.planned_quantity = (printed or "").strip()
        self.planned_value = parse_figure(self.planned_quantity).value

    def set_completed(self, kind: str, printed: str = "") -> None:
        """Store what was completed: yes / no / blank, or one or several numbers as printed."""
        self.completed_kind = kind
        self.completed = (printed or "").strip() if kind in (self.Completed.NUMBER, self.Completed.NUMBERS) else ""
        self.completed_value = parse_figure(self.completed).value if kind == self.Completed.NUMBER else None

    @property
    def completed_values(self):
        return parse_figure(self.completed).values

    @property
    def remark_paragraphs(self) -> list[str]:
        return paragraphs(self.remarks)

    @property
    def heading_path(self) -> list[str]:
        return heading_path(self.heading)


def heading_path(heading: str) -> list[str]:
    """The levels of a heading (`其他实务活动 › 斡旋`), in either language."""
    return [part.strip() for part in (heading or "").split("›") if part.strip()]
