"""How framework items print in the document layout (A/76/525, sect. II.E), in both languages."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from missions.models import Report
from rbb.lib.figures import parse_figure
from rbb.lib.numbers import format_number

from . import rules
from .models import Indicator, IndicatorFigure, Output


def _is_chinese() -> bool:
    return (get_language() or "en").lower().startswith("zh")


def _series_punctuation() -> tuple[str, str, str]:
    """The colon and separator of a planned series in the active language, and 'not applicable'."""
    colon, separator = ("：", "；") if _is_chinese() else (": ", "; ")
    return colon, separator, _("not applicable")


SERIES_KINDS = frozenset({IndicatorFigure.Kind.BASELINE.value, IndicatorFigure.Kind.TARGET.value})


@dataclass(frozen=True)
class Printing:
    """What every item of one report is printed and judged with, worked out once per page.

    Translating choice labels and `not applicable`, and reading the report's options, once per
    item adds up on a 600-output page; the language does not change within a request.
    """

    colon: str
    separator: str
    not_applicable: str
    completed_labels: dict[str, str]
    rule_options: dict
    estimate: str = ""
    overridden: str = ""  # empty: overrides are not marked (documents, performance reports)

    @classmethod
    def for_report(cls, report: Report) -> Printing:
        colon, separator, not_applicable = _series_punctuation()
        return cls(
            colon=colon,
            separator=separator,
            not_applicable=not_applicable,
            completed_labels={value: str(label) for value, label in Output.Completed.choices},
            rule_options=rules.report_rule_options(report),
            estimate=str(ESTIMATE_MARK),
            # While a proposal is written, say which baselines a person changed from the machine's.
            overridden=str(OVERRIDDEN_MARK) if report.is_planning else "",
        )


# A baseline that is not yet an accepted actual is printed as an estimate, as the UN budget
# prints the period in progress ("2020/21年度估计数").
ESTIMATE_MARK = gettext_lazy("estimate")
OVERRIDDEN_MARK = gettext_lazy("overridden")


def planned_series(indicator: Indicator, *, printing: Printing | None = None) -> str:
    """The series printed after a mission indicator's statement: `(2018/19：574；2020/21：290)`."""
    figures = [f for f in indicator.figures.all() if f.kind in SERIES_KINDS]
    if not figures:
        return ""
    if printing is None:
        colon, sep, na = _series_punctuation()
        estimate, overridden = str(ESTIMATE_MARK), ""
    else:
        colon, sep, na = printing.colon, printing.separator, printing.not_applicable
        estimate, overridden = printing.estimate, printing.overridden
    parts = []
    for f in figures:
        part = f"{f.period_label}{colon}{na if f.not_applicable and f.printed in ('不适用', 'N/A') else f.printed}"
        marks = [estimate] if f.is_estimate and estimate else []
        if f.overridden and overridden:
            marks.append(overridden)
        parts.append(f"{part} [{', '.join(marks)}]" if marks else part)
    return "(" + sep.join(parts) + ")"


def hq_measures(indicator: Indicator) -> dict[str, str]:
    """Target, estimate and actual of a headquarters indicator, as printed."""
    by_kind = {f.kind: f.printed for f in indicator.figures.all()}
    return {
        "target": by_kind.get(IndicatorFigure.Kind.TARGET, ""),
        "estimate": by_kind.get(IndicatorFigure.Kind.ESTIMATE, ""),
        "actual": indicator.actual,
    }


def completed_display(output: Output, *, printing: Printing | None = None) -> str:
    """The 'Completed (number or yes/no)' cell: 是 / 否 / 250 / 180; 841 / blank."""
    if output.completed_kind in (Output.Completed.NUMBER, Output.Completed.NUMBERS):
        return output.completed
    if output.completed_kind == Output.Completed.BLANK:
        return ""
    if printing is None:
        return output.get_completed_kind_display()
    return printing.completed_labels.get(output.completed_kind, output.completed_kind)


def annotate_indicator(indicator: Indicator, report: Report, *, printing: Printing | None = None) -> Indicator:
    """Attach printable cells and the rule state to one loaded indicator (no queries)."""
    printing = printing or Printing.for_report(report)
    indicator.series = planned_series(indicator, printing=printing)
    indicator.measures = hq_measures(indicator)
    indicator.state = rules.indicator_state(indicator, tolerance_percent=printing.rule_options["tolerance_percent"])
    indicator.flags = list(indicator.state.flags)
    indicator.complete = indicator.state.complete
    return indicator


def output_ratio_text(output: Output) -> str:
    """The delivery-ratio cell as printed: `97.1`, `0.0`; an actual printed 不适用 / — gives the same mark."""
    if output.completed_kind == Output.Completed.NUMBER and parse_figure(output.completed).not_applicable:
        return output.completed
    ratio = rules.output_delivery_ratio(output)
    return format_number(ratio, zero_as_nil=False) if ratio is not None else ""


def annotate_output(output: Output, report: Report, *, printing: Printing | None = None) -> Output:
    """Attach printable cells, the delivery ratio and the rule state to one output (no queries)."""
    printing = printing or Printing.for_report(report)
    output.completed_cell = completed_display(output, printing=printing)
    output.ratio = rules.output_delivery_ratio(output)
    output.ratio_cell = output_ratio_text(output)
    output.state = rules.output_state(output, **printing.rule_options)
    output.flags = list(output.state.flags)
    output.complete = output.state.complete
    return output


def annotate_accomplishment(ea, report: Report, *, printing: Printing | None = None):
    """Annotate an expected accomplishment's items, group outputs under headings, count progress."""
    printing = printing or Printing.for_report(report)
    indicators = [annotate_indicator(indicator, report, printing=printing) for indicator in ea.indicators.all()]
    outputs = [annotate_output(output, report, printing=printing) for output in ea.outputs.all()]
    ea.output_groups = output_groups(outputs)
    items = indicators + outputs
    ea.items_total = len(items)
    ea.items_done = sum(1 for item in items if item.state.done)
    ea.attention = [item for item in items if item.state.complete and item.state.needs_explanation]
    return ea


def output_groups(outputs: list) -> list[dict]:
    """Consecutive outputs under the same heading, in order: [{heading, path, outputs}]."""
    groups, current = [], None
    for output in outputs:
        if current is None or current["heading"] != output.heading:
            current = {"heading": output.heading, "path": output.heading_path, "outputs": []}
            groups.append(current)
        current["outputs"].append(output)
    return groups


def annotate_unit_outputs(unit, report: Report, *, printing: Printing | None = None):
    """Annotate a unit's own outputs (headquarters; unit.unit_outputs loaded) and count progress."""
    printing = printing or Printing.for_report(report)
    outputs = [annotate_output(output, report, printing=printing) for output in getattr(unit, "unit_outputs", [])]
    unit.output_groups = output_groups(outputs)
    unit.outputs_total = len(outputs)
    unit.outputs_done = sum(1 for output in outputs if output.state.done)
    unit.outputs_attention = [o for o in outputs if o.state.complete and o.state.needs_explanation]
    return unit


def annotate_framework(units, report: Report) -> list:
    """Attach printable cells, rule states and progress counts to loaded units (no queries)."""
    units = list(units)
    printing = Printing.for_report(report)
    for unit in units:
        unit.items_total = unit.items_done = 0
        for ea in unit.accomplishments.all():
            annotate_accomplishment(ea, report, printing=printing)
            unit.items_total += ea.items_total
            unit.items_done += ea.items_done
        annotate_unit_outputs(unit, report, printing=printing)
        unit.items_total += unit.outputs_total
        unit.items_done += unit.outputs_done
    return units


def framework_progress(units: list) -> dict[str, int]:
    """Items done and in total over annotated units."""
    return {
        "done": sum(unit.items_done for unit in units),
        "total": sum(unit.items_total for unit in units),
    }


def open_items(units: list):
    """Yield (expected accomplishment, item) for every annotated item that is not done, in order.

    A unit's own outputs (headquarters) come after its accomplishments, with None for the
    accomplishment.
    """
    for unit in units:
        for ea in unit.accomplishments.all():
            for item in list(ea.indicators.all()) + list(ea.outputs.all()):
                if not item.state.done:
                    yield ea, item
        for item in getattr(unit, "unit_outputs", []):
            if not item.state.done:
                yield None, item


def item_label(item: Indicator | Output, *, headquarters: bool) -> str:
    """How an item is named in audit records and lists: `1.1.1`, `1.1 / 3`, `I (a) / 2`.

    Headquarters expected-accomplishment letters repeat across units, so they carry the unit.
    The item's accomplishment and unit must be loaded (selectors and prefetches do).
    """
    ea = item.accomplishment
    if ea is None:  # an output of the unit itself
        return f"{item.unit.number} / {item.number}"
    prefix = f"{ea.unit.number} " if headquarters else ""
    if isinstance(item, Indicator):
        return f"{prefix}{ea.number} {item.number}" if prefix else item.number
    return f"{prefix}{ea.number} / {item.number}"
