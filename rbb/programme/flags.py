"""The programme plan's rule flags over a whole report: what blocks a submission, what is flagged."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from missions.models import Report

from . import rules
from .models import MeasureCell, Result
from .selectors import programme_subprogrammes



@dataclass(frozen=True)
class Flag:
    kind: str  # deliverable | measure | subcategory
    subprogramme: int
    label: str
    message: str
    blocking: bool
    pk: int


def column_label(column: str) -> str:
    labels = {
        "prior_planned": _("year−2 planned"),
        "prior_actual": _("year−2 actual"),
        "previous_planned": _("year−1 planned"),
        "planned": _("plan-year planned"),
    }
    return labels[column]


def report_flags(*, report: Report, subprogrammes=None) -> list[Flag]:
    """Every flag of the report, in document order: deliverables, measures, printed totals."""
    subprogrammes = programme_subprogrammes(report=report) if subprogrammes is None else subprogrammes
    prior_year = plan_year(report) - 2
    flags: list[Flag] = []
    for sp in subprogrammes:
        for sub in sp.subcategories.all():
            for column, printed, computed in rules.subcategory_total_mismatches(sub):
                flags.append(Flag("subcategory", sp.number, f"{sp.number} · {sub.name}", _(
                    "Printed total %(printed)s of the column “%(column)s” differs from the sum of the items, %(computed)s; the sum is printed."
                ) % {"printed": printed, "column": column_label(column), "computed": computed}, False, sub.pk))
            for item in sub.deliverables.all():
                state = rules.deliverable_state(item)
                for reason in state.blocking_reasons:
                    flags.append(Flag("deliverable", sp.number, f"{sp.number} · {item.number}", reason, True, item.pk))
        for result in sp.results.all():
            if result.measure_presentation != Result.Presentation.TABLE:
                continue
            for cell in result.cells.all():
                if cell.year == prior_year and cell.kind == MeasureCell.Kind.ACTUAL and not (cell.text.strip() or cell.text_en.strip()):
                    flags.append(Flag("measure", sp.number, f"{sp.number} · {result.title[:40]}", str(rules.MEASURE_ACTUAL_MISSING), True, cell.pk))
    return flags


def total_mismatch_flags(*, report: Report) -> list[Flag]:
    return [flag for flag in report_flags(report=report) if flag.kind == "subcategory"]


def plan_year(report: Report) -> int:
    """The plan year of a programme-plan report: its calendar period's year (label 2024, or the start)."""
    try:
        return int(report.period.label)
    except ValueError:
        return report.period.start.year
