"""The programme plan of a Secretariat department (A/78/6 (Sect. 3); domain.md §7).

A report of the `programme-plan` shape is one department's plan for a calendar year (the
plan year, e.g. 2024) holding the performance of year−2 (2022). It has subprogrammes; each
has its mandates, objective, strategy, expected results, the programme performance of
year−2, the planned results with their performance measures, the deliverables table (fixed
categories A–D, quantified subcategories with their unit and numbered items, non-quantified
deliverables as text) and its resources table.

Subprogrammes are their own model, not missions.Unit: a unit is walked by every mission and
headquarters page (entry, review, IATI, export) as a holder of expected accomplishments and
outputs, and a subprogramme holds none of them; its objective, strategy and results would
have no place on a Unit either.

Content texts follow the house pattern: `X` holds the Chinese text, `X_en` the English one.
Printed values (deliverable counts, measure cells) are stored as printed ("—", "17", "26%");
totals, changes and percentages are computed (rbb.programme.rules), never stored.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from missions.models import LineageMixin, Report, VersionedRow, localized

TEXT_LIMIT = 4000


# The fixed categories A–D (A/78/6 (Sect. 3), tables 3.4–3.20); migration 0002 loads the same rows.
DELIVERABLE_CATEGORIES = (
    ("A", "Facilitation of the intergovernmental process and expert bodies", "协助政府间进程和专家机构"),
    ("B", "Generation and transfer of knowledge", "生成和转让知识"),
    ("C", "Substantive deliverables", "实质性应交付产出"),
    ("D", "Communication deliverables", "信息传播方面的应交付产出"),
)


def deliverable_categories() -> dict:
    """The categories by code, created if a database lost them (a test flush, a bare restore)."""
    categories = {c.code: c for c in DeliverableCategory.objects.all()}
    for order, (code, name_en, name_zh) in enumerate(DELIVERABLE_CATEGORIES):
        if code not in categories:
            categories[code] = DeliverableCategory.objects.create(code=code, name_en=name_en, name_zh=name_zh, order=order)
    return categories


class DeliverableCategory(models.Model):
    """One of the fixed categories A–D of every deliverables table (data, loaded by migration)."""

    code = models.CharField(_("code"), max_length=2, unique=True, help_text=_("A, B, C or D."))
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("deliverable category")
        verbose_name_plural = _("deliverable categories")
        ordering = ["order", "code"]

    def __str__(self):
        return f"{self.code}. {self.name}"

    @property
    def name(self) -> str:
        return localized(self, "name")


class Subprogramme(LineageMixin):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="subprogrammes", verbose_name=_("report"))
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    objective = models.TextField(_("objective"), blank=True)
    objective_en = models.TextField(_("objective (English)"), blank=True)
    # The document's paragraph numbers ("3.57"), printed before each paragraph.
    mandates_paragraph = models.CharField(_("mandates paragraph"), max_length=20, blank=True)
    objective_paragraph = models.CharField(_("objective paragraph"), max_length=20, blank=True)
    strategy_paragraph = models.CharField(_("strategy paragraph"), max_length=20, blank=True)
    strategy_lead_in = models.TextField(_("strategy lead-in"), blank=True)
    strategy_lead_in_en = models.TextField(_("strategy lead-in (English)"), blank=True)
    results_paragraph = models.CharField(_("expected results paragraph"), max_length=20, blank=True)
    results_lead_in = models.TextField(_("expected results lead-in"), blank=True)
    results_lead_in_en = models.TextField(_("expected results lead-in (English)"), blank=True)
    deliverables_paragraph = models.CharField(_("deliverables paragraph"), max_length=20, blank=True)
    deliverables_intro = models.TextField(_("deliverables introduction"), blank=True)
    deliverables_intro_en = models.TextField(_("deliverables introduction (English)"), blank=True)
    deliverables_table_number = models.CharField(_("deliverables table number"), max_length=20, blank=True)
    resources_table_number = models.CharField(_("resources table number"), max_length=20, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("subprogramme")
        verbose_name_plural = _("subprogrammes")
        ordering = ["report", "order", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="subprogramme_number_unique")]

    def __str__(self):
        return f"{self.number} {self.title}"


class Mandate(models.Model):
    """A legislative mandate: a resolution of a body (GA, ECOSOC …), by symbol and title."""

    subprogramme = models.ForeignKey(Subprogramme, on_delete=models.CASCADE, related_name="mandates", verbose_name=_("subprogramme"))
    body = models.CharField(_("body"), max_length=200, help_text=_("For example 大会决议."))
    body_en = models.CharField(_("body (English)"), max_length=200, blank=True)
    symbol = models.CharField(_("symbol"), max_length=60)
    title = models.CharField(_("title"), max_length=500, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        ordering = ["subprogramme", "order", "id"]

    def __str__(self):
        return self.symbol


class PlanItem(models.Model):
    """A lettered item of the strategy ("(a) …") or of the expected results."""

    class Kind(models.TextChoices):
        STRATEGY = "strategy", _("Strategy")
        EXPECTED_RESULT = "expected_result", _("Expected result")

    subprogramme = models.ForeignKey(Subprogramme, on_delete=models.CASCADE, related_name="plan_items", verbose_name=_("subprogramme"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=10, help_text=_("For example (a)."))
    text = models.TextField(_("text"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("strategy or expected-result item")
        verbose_name_plural = _("strategy and expected-result items")
        ordering = ["subprogramme", "kind", "order", "id"]

    def __str__(self):
        return f"{self.label} {self.text[:40]}"


class Result(LineageMixin):
    """The programme performance of year−2 (kind performance) or a planned result of the plan year."""

    class Kind(models.TextChoices):
        PERFORMANCE = "performance", _("Programme performance")
        PLANNED = "planned", _("Planned result")

    class Attainment(models.TextChoices):
        # Whether year−2's planned target was reached, as the text says it.
        MET = "met", _("Met")
        EXCEEDED = "exceeded", _("Exceeded")
        NOT_MET = "not_met", _("Not met")

    class Presentation(models.TextChoices):
        TABLE = "table", _("Table")
        FIGURE = "figure", _("Figure")

    subprogramme = models.ForeignKey(Subprogramme, on_delete=models.CASCADE, related_name="results", verbose_name=_("subprogramme"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    number = models.PositiveSmallIntegerField(_("number"), default=0, help_text=_("0 for the programme performance; 1, 2 … for planned results."))
    title = models.CharField(_("title"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    subheading = models.CharField(_("subheading"), max_length=200, blank=True)
    subheading_en = models.CharField(_("subheading (English)"), max_length=200, blank=True)
    is_new = models.BooleanField(_("new in the plan year"), default=False)
    attainment = models.CharField(_("year−2 target"), max_length=10, choices=Attainment.choices, blank=True)
    attainment_phrase = models.CharField(_("as the text says it"), max_length=200, blank=True)
    measure_number = models.CharField(_("measure table or figure number"), max_length=20, blank=True)
    measure_presentation = models.CharField(_("measure presented as"), max_length=10, choices=Presentation.choices, default=Presentation.TABLE)
    measure_title = models.CharField(_("measure title"), max_length=300, blank=True)
    measure_title_en = models.CharField(_("measure title (English)"), max_length=300, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["subprogramme", "order", "id"]

    def __str__(self):
        return self.title


class ResultParagraph(VersionedRow):
    """A numbered paragraph of a result ("3.62 …"), of its lessons learned or its measure introduction."""

    class Part(models.TextChoices):
        BODY = "body", _("Text")
        LESSONS = "lessons", _("Lessons learned and planned change")
        MEASURE_INTRO = "measure_intro", _("Introduction of the measure")

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="paragraphs", verbose_name=_("result"))
    part = models.CharField(_("part"), max_length=20, choices=Part.choices, default=Part.BODY)
    number = models.CharField(_("paragraph"), max_length=20, blank=True, help_text=_("For example 3.62."))
    text = models.TextField(_("text"), blank=True, max_length=TEXT_LIMIT)
    text_en = models.TextField(_("text (English)"), blank=True, max_length=TEXT_LIMIT)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("result paragraph")
        verbose_name_plural = _("result paragraphs")
        ordering = ["result", "order", "id"]

    def __str__(self):
        return f"{self.number} {self.text[:40]}"


class MeasureCell(VersionedRow):
    """One cell of a performance-measure table: a year's actual or planned value, as printed.

    `text` holds the printed value (a sentence, a number such as "26%", or "—" for no entry);
    empty means not yet entered.
    """

    class Kind(models.TextChoices):
        ACTUAL = "actual", _("Actual")
        PLANNED = "planned", _("Planned")

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="cells", verbose_name=_("result"))
    row = models.PositiveSmallIntegerField(_("row"), default=0)
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("value"), blank=True, max_length=TEXT_LIMIT)
    text_en = models.TextField(_("value (English)"), blank=True, max_length=TEXT_LIMIT)

    class Meta:
        verbose_name = _("performance-measure cell")
        verbose_name_plural = _("performance-measure cells")
        ordering = ["result", "row", "year", "kind"]
        constraints = [models.UniqueConstraint(fields=["result", "row", "year", "kind"], name="measure_cell_unique")]

    def __str__(self):
        return f"{self.year} {self.kind}: {self.text[:30]}"


class DeliverableSubcategory(LineageMixin):
    """A quantified subcategory of a category (议事机构文件, counted in 文件数目) with numbered items.

    `printed_totals` keeps the totals an imported document printed, per column; they are
    never shown as the total (the total is the sum of the items) but compared with it, and a
    mismatch is a flag (rbb.programme.rules).
    """

    subprogramme = models.ForeignKey(Subprogramme, on_delete=models.CASCADE, related_name="subcategories", verbose_name=_("subprogramme"))
    category = models.ForeignKey(DeliverableCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("category"))
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    unit = models.CharField(_("unit"), max_length=100, help_text=_("For example 文件数目."))
    unit_en = models.CharField(_("unit (English)"), max_length=100, blank=True)
    printed_totals = models.JSONField(_("printed totals"), default=dict, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("deliverable subcategory")
        verbose_name_plural = _("deliverable subcategories")
        ordering = ["subprogramme", "category__order", "order", "id"]

    def __str__(self):
        return f"{self.name} ({self.unit})"


class Deliverable(LineageMixin, VersionedRow):
    """A numbered, quantified deliverable with its four columns, each as printed ("17", "—").

    Columns: year−2 planned | year−2 actual | year−1 planned | plan-year planned. An empty
    value means not entered; "—" means nil.
    """

    subcategory = models.ForeignKey(DeliverableSubcategory, on_delete=models.CASCADE, related_name="deliverables", verbose_name=_("subcategory"))
    number = models.PositiveIntegerField(_("number"))
    description = models.TextField(_("description"), max_length=TEXT_LIMIT)
    description_en = models.TextField(_("description (English)"), blank=True, max_length=TEXT_LIMIT)
    prior_planned = models.CharField(_("year−2 planned"), max_length=40, blank=True)
    prior_actual = models.CharField(_("year−2 actual"), max_length=40, blank=True)
    previous_planned = models.CharField(_("year−1 planned"), max_length=40, blank=True)
    planned = models.CharField(_("plan-year planned"), max_length=40, blank=True)
    explanation = models.TextField(_("explanation"), blank=True, max_length=TEXT_LIMIT)
    explanation_en = models.TextField(_("explanation (English)"), blank=True, max_length=TEXT_LIMIT)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = ["subcategory", "order", "number"]

    def __str__(self):
        return f"{self.number}. {self.description[:40]}"


class NarrativeDeliverable(models.Model):
    """A non-quantified deliverable: its subcategory's name and the text (数据库和其他实质性数字材料：…)."""

    subprogramme = models.ForeignKey(Subprogramme, on_delete=models.CASCADE, related_name="narrative_deliverables", verbose_name=_("subprogramme"))
    category = models.ForeignKey(DeliverableCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("category"))
    subcategory = models.CharField(_("subcategory"), max_length=300)
    subcategory_en = models.CharField(_("subcategory (English)"), max_length=300, blank=True)
    text = models.TextField(_("text"), max_length=TEXT_LIMIT)
    text_en = models.TextField(_("text (English)"), blank=True, max_length=TEXT_LIMIT)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("non-quantified deliverable")
        verbose_name_plural = _("non-quantified deliverables")
        ordering = ["subprogramme", "category__order", "order", "id"]

    def __str__(self):
        return self.subcategory


class ResourceLine(VersionedRow):
    """A line of the subprogramme's resources table: money (thousands of US$) or posts.

    Stored: year−2 expenditure (money only), year−1 appropriation (or approved posts) and the
    three changes. Computed as the document prints them: change total, percentage (total ÷
    appropriation), plan-year estimate (appropriation + total) and the total rows.
    """

    class Section(models.TextChoices):
        FINANCIAL = "financial", _("Financial resources by main category of expenditure")
        POSTS = "posts", _("Post resources by category")

    subprogramme = models.ForeignKey(Subprogramme, on_delete=models.CASCADE, related_name="resource_lines", verbose_name=_("subprogramme"))
    section = models.CharField(_("section"), max_length=10, choices=Section.choices)
    label = models.CharField(_("label"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)
    expenditure = models.DecimalField(_("year−2 expenditure"), max_digits=14, decimal_places=1, null=True, blank=True)
    appropriation = models.DecimalField(_("year−1 appropriation"), max_digits=14, decimal_places=1, null=True, blank=True)
    technical_adjustments = models.DecimalField(_("technical adjustments"), max_digits=14, decimal_places=1, null=True, blank=True)
    new_mandates = models.DecimalField(_("new and expanded mandates"), max_digits=14, decimal_places=1, null=True, blank=True)
    other_changes = models.DecimalField(_("other changes"), max_digits=14, decimal_places=1, null=True, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("resource line")
        verbose_name_plural = _("resource lines")
        ordering = ["subprogramme", "section", "order", "id"]

    def __str__(self):
        return self.label


class PostGrade(models.Model):
    """The plan year's posts of a subprogramme by grade (D-1 1, P-5 1 …), as its figure shows them."""

    subprogramme = models.ForeignKey(Subprogramme, on_delete=models.CASCADE, related_name="post_grades", verbose_name=_("subprogramme"))
    grade = models.CharField(_("grade"), max_length=20)
    count = models.PositiveIntegerField(_("posts"))
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("posts by grade")
        verbose_name_plural = _("posts by grade")
        ordering = ["subprogramme", "order", "id"]

    def __str__(self):
        return f"{self.grade} {self.count}"


class ResourceParagraph(models.Model):
    """A numbered paragraph of the subprogramme's resources section (3.135 …), with its heading if any."""

    subprogramme = models.ForeignKey(Subprogramme, on_delete=models.CASCADE, related_name="resource_paragraphs", verbose_name=_("subprogramme"))
    number = models.CharField(_("paragraph"), max_length=20, blank=True)
    heading = models.CharField(_("heading"), max_length=200, blank=True)
    heading_en = models.CharField(_("heading (English)"), max_length=200, blank=True)
    text = models.TextField(_("text"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("resources paragraph")
        verbose_name_plural = _("resources paragraphs")
        ordering = ["subprogramme", "order", "id"]

    def __str__(self):
        return self.number
