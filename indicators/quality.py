"""Design-time quality rules of a framework: is each indicator measurable, each output planned?

The Joint Inspection Unit and OIOS have criticised for two decades that RBB indicators are
vague and cannot be measured (JIU/REP/2006/6; OIOS A/66/…). These rules say so while the
framework is written, in the editor, the review page and the API. **Hard** flags block the
submission of a budget proposal (rbb.workflow lists them with links, as for a performance
report); **soft** flags are warnings the reviewer sees.

One function per item (`indicator_quality`, `accomplishment_quality`, `output_quality`) reads
the item as loaded (figures prefetched; an accomplishment with its indicators), and
`report_quality` judges a whole report with the five framework queries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from missions.models import Report

from .models import ExpectedAccomplishment, Indicator, IndicatorFigure, Output
from .selectors import framework_units

HARD = "hard"
SOFT = "soft"

Measure = Indicator.Measure
Direction = Indicator.Direction
# Measures whose target must be a number (JIU: "a target one cannot count is no target").
NUMERIC_MEASURES = (Measure.COUNT, Measure.PERCENTAGE)
# Measures that name no unit by themselves: "how many what?" needs the unit as printed.
UNIT_NEEDED = (Measure.COUNT, Measure.AMOUNT, Measure.SCORE)
PERCENT_LOW, PERCENT_HIGH = 0, 100

MESSAGES = {
    "no_measure": _("Choose the indicator's unit of measure."),
    "no_unit": _("Say what is counted: the unit as printed (for example 请求数目 or number of requests) is empty."),
    "no_baseline": _("The indicator has no baseline: give at least one earlier period's value."),
    "no_target": _("The indicator has no target yet."),
    "target_not_number": _("The target of a count or percentage indicator must be a number."),
    "target_wrong_side": _("The target (%(target)s) is on the wrong side of the last baseline (%(baseline)s) for an indicator that should %(direction)s."),
    "percentage_out_of_range": _("A percentage must lie between 0 and 100; %(value)s does not."),
    "duplicate_statement": _("The same statement appears twice in this expected accomplishment (also %(other)s)."),
    "no_indicator": _("The expected accomplishment has no indicator of achievement."),
    "quantity_without_text": _("The output has a planned quantity but no planned text."),
}
DIRECTION_WORDS = {Direction.INCREASE: _("increase"), Direction.DECREASE: _("decrease")}


def _format(message, values) -> str:
    return str(message) % values


_formatted = lazy(_format, str)  # translated when printed, in the language then active


@dataclass(frozen=True)
class QualityFlag:
    """One finding: what (code, message), how serious (hard blocks a proposal), on which item."""

    code: str
    severity: str  # HARD or SOFT
    message: str
    kind: str  # "indicator", "accomplishment" or "output"
    item_id: int
    label: str  # 1.1.1, 1.1, 1.1 / 3

    @property
    def is_hard(self) -> bool:
        return self.severity == HARD

    @property
    def anchor(self) -> str:
        """The item's id on the framework pages (entry, review, editor): `indicator-12`."""
        return f"{self.kind}-{self.item_id}"


SEVERITY = {
    "no_measure": HARD,
    "no_unit": SOFT,
    "no_baseline": SOFT,
    "no_target": SOFT,
    "target_not_number": HARD,
    "target_wrong_side": SOFT,  # a mission may plan a fall (UNMIK 1.1.1 in 2020/21, COVID-19)
    "percentage_out_of_range": HARD,
    "duplicate_statement": HARD,
    "no_indicator": HARD,
    "quantity_without_text": HARD,
}


def _flag(code: str, item, kind: str, label: str, values: dict | None = None) -> QualityFlag:
    message = _formatted(MESSAGES[code], values) if values else MESSAGES[code]
    return QualityFlag(code, SEVERITY[code], message, kind, item.pk, label)


def _figures(indicator: Indicator) -> list[IndicatorFigure]:
    return list(indicator.figures.all())


def _last_numeric_baseline(figures: list[IndicatorFigure]) -> IndicatorFigure | None:
    baselines = [f for f in figures if f.kind == IndicatorFigure.Kind.BASELINE and f.figure.value is not None]
    # Period labels sort in time order (2019/20 < 2020/21; 2024 < 2025).
    return max(baselines, key=lambda f: (f.period_label, f.order)) if baselines else None


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", (text or "").strip()).casefold()


def indicator_quality(indicator: Indicator, *, label: str | None = None) -> list[QualityFlag]:
    """The design-time flags of one indicator (its figures loaded or prefetched)."""
    label = label or indicator.number
    flags = []
    flag = lambda code, values=None: flags.append(_flag(code, indicator, "indicator", label, values))  # noqa: E731
    qualitative = indicator.direction == Direction.QUALITATIVE or indicator.measure == Measure.QUALITATIVE
    if indicator.measure not in Measure.values:
        flag("no_measure")
    elif indicator.measure in UNIT_NEEDED and not (indicator.unit_hint.strip() or indicator.unit_hint_en.strip()):
        flag("no_unit")
    if qualitative:
        return flags
    figures = _figures(indicator)
    baselines = [f for f in figures if f.kind == IndicatorFigure.Kind.BASELINE]
    if not any(f.printed.strip() and not f.figure.not_applicable for f in baselines):
        flag("no_baseline")
    target = next((f for f in figures if f.kind == IndicatorFigure.Kind.TARGET and f.printed.strip()), None)
    target_value = target.figure.value if target is not None else None
    if target is None:
        flag("target_not_number" if indicator.measure in NUMERIC_MEASURES else "no_target")
    elif indicator.measure in NUMERIC_MEASURES and target_value is None:
        flag("target_not_number")
    if indicator.measure == Measure.PERCENTAGE:
        for figure in figures:
            values = figure.figure.values or ((figure.figure.value,) if figure.figure.value is not None else ())
            if any(v < PERCENT_LOW or v > PERCENT_HIGH for v in values):
                flag("percentage_out_of_range", {"value": figure.printed})
                break
    last = _last_numeric_baseline(baselines)
    if target_value is not None and last is not None and indicator.direction in DIRECTION_WORDS:
        wrong = target_value < last.figure.value if indicator.direction == Direction.INCREASE else target_value > last.figure.value
        if wrong:
            flag("target_wrong_side", {
                "target": target.printed, "baseline": f"{last.period_label}: {last.printed}",
                "direction": DIRECTION_WORDS[indicator.direction],
            })
    return flags


def accomplishment_quality(ea: ExpectedAccomplishment, *, labels: dict | None = None) -> list[QualityFlag]:
    """The flags of an expected accomplishment and of its indicators' statements (indicators loaded)."""
    indicators = list(ea.indicators.all())
    if not indicators:
        return [_flag("no_indicator", ea, "accomplishment", ea.number)]
    flags, seen = [], {}
    for indicator in indicators:
        label = (labels or {}).get(indicator.pk, indicator.number)
        for text in {_normalised(indicator.statement), _normalised(indicator.statement_en)} - {""}:
            if text in seen:
                flags.append(_flag("duplicate_statement", indicator, "indicator", label, {"other": seen[text]}))
                break
        for text in {_normalised(indicator.statement), _normalised(indicator.statement_en)} - {""}:
            seen.setdefault(text, label)
    return flags


def output_quality(output: Output, *, label: str | None = None) -> list[QualityFlag]:
    """The flags of one output."""
    if output.planned_quantity.strip() and not (output.planned_text.strip() or output.planned_text_en.strip()):
        return [_flag("quantity_without_text", output, "output", label or output.number)]
    return []


def framework_quality(units, *, headquarters: bool = False) -> list[QualityFlag]:
    """Every flag of loaded units (framework_units), in document order."""
    flags = []
    for unit in units:
        for ea in unit.accomplishments.all():
            prefix = f"{unit.number} " if headquarters else ""
            indicator_labels = {i.pk: f"{prefix}{ea.number} {i.number}" if prefix else i.number for i in ea.indicators.all()}
            flags += accomplishment_quality(ea, labels=indicator_labels)
            for indicator in ea.indicators.all():
                flags += indicator_quality(indicator, label=indicator_labels[indicator.pk])
            for output in ea.outputs.all():
                flags += output_quality(output, label=f"{prefix}{ea.number} / {output.number}")
        # The unit's own outputs (headquarters: no accomplishment), set by output_distribute.
        for output in getattr(unit, "unit_outputs", ()):
            flags += output_quality(output, label=f"{unit.number} / {output.number}")
    return flags


def report_quality(*, report: Report) -> list[QualityFlag]:
    """Every design-time flag of a report's framework (the five framework queries)."""
    return framework_quality(framework_units(report=report, editors=False), headquarters=report.report_type.is_headquarters)


def hard_flags(flags: list[QualityFlag]) -> list[QualityFlag]:
    return [flag for flag in flags if flag.is_hard]
