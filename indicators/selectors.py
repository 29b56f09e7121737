"""Reads of a report's framework, shaped so pages never query inside a loop."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from missions.content import EN, LANGUAGES, ZH, content_both, content_missing
from missions.models import ChangeRecord, Report, Unit

from .models import ExpectedAccomplishment, Indicator, IndicatorFigure, Output


def framework_units(*, report: Report, editors: bool = True) -> list[Unit]:
    """The report's units with every expected accomplishment, indicator, figure and output.

    Five queries whatever the size: units, accomplishments, indicators, figures, outputs.
    Items come with who saved them last and when (the API prints it), joined rather than
    fetched per item; editors=False leaves both out for pages that print neither (on a
    600-output page, reading them costs about 15 ms).

    Outputs are read once per unit and handed out (output_distribute): `ea.outputs.all()`
    holds an accomplishment's outputs, `unit.unit_outputs` the unit's own (headquarters).
    """
    return _with_framework(Unit.objects.filter(report=report), editors=editors)


def framework_units_of_reports(*, report_ids: list[int]) -> list[Unit]:
    """The units of several reports with their whole frameworks: the same five queries for all."""
    return _with_framework(Unit.objects.filter(report_id__in=report_ids), editors=False)


def _with_framework(units: QuerySet[Unit], *, editors: bool) -> list[Unit]:
    indicators, outputs = Indicator.objects.all(), Output.objects.all()
    if editors:
        indicators, outputs = indicators.select_related("updated_by"), outputs.select_related("updated_by")
    else:
        indicators, outputs = indicators.defer("updated_at"), outputs.defer("updated_at")
    units = list(
        units
        .order_by("order", "id")
        .prefetch_related(
            Prefetch(
                "accomplishments",
                queryset=ExpectedAccomplishment.objects.order_by("order", "id").prefetch_related(
                    Prefetch(
                        "indicators",
                        queryset=indicators.order_by("order", "id").prefetch_related(
                            Prefetch("figures", queryset=IndicatorFigure.objects.order_by("order", "id"))
                        ),
                    ),
                ),
            ),
            Prefetch("outputs", queryset=outputs.order_by("order", "id")),
        )
    )
    for unit in units:
        output_distribute(unit)
    return units


def output_distribute(unit: Unit) -> Unit:
    """Hand a unit's prefetched outputs to its accomplishments; keep its own in unit.unit_outputs.

    The unit's `outputs` and `accomplishments` must be prefetched; nothing here queries. After
    it, `ea.outputs.all()` answers from memory as a prefetch would.
    """
    by_ea: dict[int, list[Output]] = {}
    unit.unit_outputs = []
    for output in unit.outputs.all():
        output.unit = unit
        if output.accomplishment_id is None:
            unit.unit_outputs.append(output)
        else:
            by_ea.setdefault(output.accomplishment_id, []).append(output)
    for ea in unit.accomplishments.all():
        ea.unit = unit
        mine = by_ea.get(ea.pk, [])
        for output in mine:
            output.accomplishment = ea
        _set_prefetched(ea, "outputs", mine)
    return unit


def _set_prefetched(instance, name: str, objects: list) -> None:
    queryset = getattr(instance, name).get_queryset()  # lazy: no query
    queryset._result_cache, queryset._prefetch_done = list(objects), True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


def framework_counts(*, report: Report) -> dict[str, int]:
    return {
        "units": Unit.objects.filter(report=report).count(),
        "accomplishments": ExpectedAccomplishment.objects.filter(unit__report=report).count(),
        "indicators": Indicator.objects.filter(accomplishment__unit__report=report).count(),
        "outputs": Output.objects.filter(unit__report=report).count(),
    }


def _figures() -> Prefetch:
    return Prefetch("figures", queryset=IndicatorFigure.objects.order_by("order", "id"))


def accomplishment_list(*, report: Report) -> QuerySet[ExpectedAccomplishment]:
    """The report's expected accomplishments in document order, with their unit (for navigation)."""
    return (
        ExpectedAccomplishment.objects.filter(unit__report=report)
        .select_related("unit")
        .order_by("unit__order", "unit__id", "order", "id")
    )


def accomplishment_get_for_entry(*, report: Report, pk: int) -> ExpectedAccomplishment:
    """One expected accomplishment of the report with its indicators, figures and outputs.

    Four queries whatever the size: the accomplishment with its unit, indicators, figures, outputs.
    Raise Http404 when it belongs to another report.
    """
    queryset = ExpectedAccomplishment.objects.select_related("unit").prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("order", "id").prefetch_related(_figures())),
        Prefetch("outputs", queryset=Output.objects.order_by("order", "id")),
    )
    try:
        ea = queryset.get(pk=pk, unit__report=report)
    except ExpectedAccomplishment.DoesNotExist:
        raise Http404("No such expected accomplishment.")
    ea.unit.report = report
    return ea


def indicator_get_for_report(*, report: Report, pk: int) -> Indicator:
    """One indicator of the report with its figures, accomplishment and unit; Http404 otherwise."""
    queryset = Indicator.objects.select_related("accomplishment__unit", "updated_by").prefetch_related(_figures())
    try:
        indicator = queryset.get(pk=pk, accomplishment__unit__report=report)
    except Indicator.DoesNotExist:
        raise Http404("No such indicator.")
    indicator.accomplishment.unit.report = report
    return indicator


def output_get_for_report(*, report: Report, pk: int) -> Output:
    """One output of the report with its unit (and accomplishment, if any); Http404 otherwise."""
    try:
        output = Output.objects.select_related("unit", "accomplishment", "updated_by").get(pk=pk, unit__report=report)
    except Output.DoesNotExist:
        raise Http404("No such output.")
    output.unit.report = report
    if output.accomplishment is not None:
        output.accomplishment.unit = output.unit
    return output


def unit_get_for_outputs(*, report: Report, pk: int) -> Unit:
    """One unit of the report with its own outputs (headquarters), for the outputs entry page.

    Two queries: the unit, its outputs. Http404 when the unit is another report's.
    """
    try:
        unit = Unit.objects.get(pk=pk, report=report)
    except Unit.DoesNotExist:
        raise Http404("No such unit.")
    unit.report = report
    unit.unit_outputs = list(Output.objects.filter(unit=unit, accomplishment__isnull=True).order_by("order", "id"))
    for output in unit.unit_outputs:
        output.unit = unit
    return unit


def units_with_outputs(*, report: Report) -> list[Unit]:
    """The report's units that have outputs of their own, in document order (one query)."""
    return list(
        Unit.objects.filter(report=report, outputs__accomplishment__isnull=True).distinct().order_by("order", "id")
    )


HISTORY_LIMIT = 100


def item_change_list(*, report: Report, item_type: str, item_id: int) -> QuerySet[ChangeRecord]:
    """The latest changes of one item of the report, newest first, with who made them."""
    return (
        ChangeRecord.objects.filter(report=report, item_type=item_type, item_id=item_id)
        .select_related("actor")
        .order_by("-created_at", "-id")[:HISTORY_LIMIT]
    )


# --- translation: what each language is missing ---------------------------------------------

# The content texts of a framework, per item type, in document order (X Chinese, X_en English).
TRANSLATED_FIELDS = {
    "unit": ("title", "narrative"),
    "accomplishment": ("text",),
    "indicator": ("statement", "unit_hint", "actual_narrative", "variance_explanation"),
    "output": ("heading", "planned_text", "remarks"),
}


@dataclass
class TranslationGap:
    """One content text that exists in one language and lacks the other."""

    kind: str  # unit | accomplishment | indicator | output
    item: object
    field: str
    missing: str  # the language to fill: zh-hans or en
    source: str  # the text in the other language
    unit: Unit
    ea: ExpectedAccomplishment | None = None

    @property
    def dom_id(self) -> str:
        return f"gap-{self.kind}-{self.item.pk}-{self.field}-{self.missing}"


@dataclass
class TranslationSummary:
    gaps: list[TranslationGap]
    # counts[kind][language] missing, plus the totals per language
    counts: dict[str, dict[str, int]]
    totals: dict[str, int]


def translation_gaps(*, report: Report) -> TranslationSummary:
    """Every content text of the report's framework missing in one language, counted per item type.

    Reads the framework once (framework_units: five queries whatever its size).
    """
    gaps: list[TranslationGap] = []

    def check(kind, item, unit, ea=None):
        for field in TRANSLATED_FIELDS[kind]:
            missing = content_missing(item, field)
            if missing:
                source = content_both(item, field)[ZH if missing == EN else EN]
                gaps.append(TranslationGap(kind, item, field, missing, source, unit, ea))

    for unit in framework_units(report=report, editors=False):
        check("unit", unit, unit)
        for ea in unit.accomplishments.all():
            check("accomplishment", ea, unit, ea)
            for indicator in ea.indicators.all():
                check("indicator", indicator, unit, ea)
            for output in ea.outputs.all():
                check("output", output, unit, ea)
        for output in unit.unit_outputs:  # a headquarters unit's own outputs (no accomplishment)
            check("output", output, unit)
    counts = {kind: {language: 0 for language in LANGUAGES} for kind in TRANSLATED_FIELDS}
    for gap in gaps:
        counts[gap.kind][gap.missing] += 1
    totals = {language: sum(per_kind[language] for per_kind in counts.values()) for language in LANGUAGES}
    return TranslationSummary(gaps, counts, totals)
