"""What the programme plan derives: totals, changes, percentages, and what needs an explanation.

One module, as indicators/rules.py is for the other shapes. Pages, documents, the API and the
importer all call it, so a total is computed one way everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from rbb.lib.numbers import EM_DASH, HUNDRED, NumberError, format_count, format_number, parse_decimal, round1

# The deliverables table's value columns, in the document's order (year−2 planned | year−2
# actual | year−1 planned | plan-year planned).
COLUMNS = ("prior_planned", "prior_actual", "previous_planned", "planned")
NIL_TOKENS = {EM_DASH, "-", "–", ""}

EXPLANATION_NEEDED = _("The actual is below the plan: explain why.")
ACTUAL_MISSING = _("Enter the actual (— for none).")
MEASURE_ACTUAL_MISSING = _("Enter the year's actual in the performance measure (— for no entry).")


def count_value(printed: str | None) -> Decimal | None:
    """The number a printed deliverable value stands for: "17" → 17, "—" or empty → None.

    Raises NumberError for anything else, so a form or an import can name the field.
    """
    text = (printed or "").strip()
    if text in NIL_TOKENS:
        return None
    return parse_decimal(text, allow_percent=False)


def is_count(printed: str) -> bool:
    try:
        count_value(printed)
    except NumberError:
        return False
    return True


def total(values) -> Decimal | None:
    """The sum of the items' values; nil (None) when every item is nil, as the tables print it."""
    numbers = [value for value in values if value is not None]
    return sum(numbers, Decimal(0)) if numbers else None


def print_count(value: Decimal | None) -> str:
    return format_count(value) if value is not None else EM_DASH


def subcategory_totals(subcategory) -> dict[str, Decimal | None]:
    """Each column's total: the sum of the subcategory's items (computed, never the printed one)."""
    items = list(subcategory.deliverables.all())
    return {column: total(count_value(getattr(item, column)) for item in items) for column in COLUMNS}


def subcategory_total_mismatches(subcategory) -> list[tuple[str, str, str]]:
    """(column, printed, computed) for each printed total that differs from the sum of the items."""
    computed = subcategory_totals(subcategory)
    found = []
    for column in COLUMNS:
        printed = (subcategory.printed_totals or {}).get(column)
        if printed is None:
            continue
        try:
            printed_value = count_value(printed)
        except NumberError:
            printed_value = printed
        if printed_value != computed[column]:
            found.append((column, printed, print_count(computed[column])))
    return found


def deliverable_needs_explanation(deliverable) -> bool:
    """An actual below the plan of year−2 needs an explanation, as an output below its plan does."""
    try:
        planned, actual = count_value(deliverable.prior_planned), count_value(deliverable.prior_actual)
    except NumberError:
        return False
    if planned is None or not deliverable.prior_actual.strip():
        return False
    return (actual or Decimal(0)) < planned


@dataclass(frozen=True)
class DeliverableState:
    complete: bool
    needs_explanation: bool
    explained: bool

    @property
    def blocking_reasons(self) -> list[str]:
        reasons = []
        if not self.complete:
            reasons.append(str(ACTUAL_MISSING))
        if self.needs_explanation and not self.explained:
            reasons.append(str(EXPLANATION_NEEDED))
        return reasons

    @property
    def done(self) -> bool:
        return not self.blocking_reasons


def deliverable_state(deliverable) -> DeliverableState:
    return DeliverableState(
        complete=bool(deliverable.prior_actual.strip()),
        needs_explanation=deliverable_needs_explanation(deliverable),
        explained=bool(deliverable.explanation.strip() or deliverable.explanation_en.strip()),
    )


# Resources --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResourceFigures:
    """A resources line as printed: the stored columns and the computed ones."""

    expenditure: Decimal | None
    appropriation: Decimal | None
    technical_adjustments: Decimal | None
    new_mandates: Decimal | None
    other_changes: Decimal | None

    @property
    def change_total(self) -> Decimal | None:
        return total((self.technical_adjustments, self.new_mandates, self.other_changes))

    @property
    def change_percent(self) -> Decimal | None:
        """Change total ÷ year−1 appropriation × 100, unrounded (printing rounds half-up)."""
        change = self.change_total
        if change is None or not self.appropriation:
            return None
        return change * HUNDRED / self.appropriation

    @property
    def estimate(self) -> Decimal | None:
        """The plan-year estimate before recosting: appropriation plus the changes."""
        return total((self.appropriation, self.change_total))


def resource_figures(line) -> ResourceFigures:
    return ResourceFigures(line.expenditure, line.appropriation, line.technical_adjustments, line.new_mandates, line.other_changes)


def resource_total(lines) -> ResourceFigures:
    """The total row: each stored column summed over the lines (nil when every line is nil)."""
    figures = [resource_figures(line) for line in lines]
    return ResourceFigures(*(
        total(getattr(f, name) for f in figures)
        for name in ("expenditure", "appropriation", "technical_adjustments", "new_mandates", "other_changes")
    ))


def print_amount(value: Decimal | None) -> str:
    """Thousands of dollars as the tables print them: `4 106.8`, `(7.2)`, `—` for nil or zero."""
    return format_number(value)


def print_posts(value: Decimal | None) -> str:
    return format_number(value, places=0)


def print_change_percent(value: Decimal | None) -> str:
    """The change percentage as A/78/6 prints it: a decrease that rounds to zero still prints
    in parentheses, `(0.0)` (subprogramme 1: (7.2) of 25 783.3); no change prints `—`."""
    if value is None:
        return EM_DASH
    rounded = round1(value)
    if value < 0:
        return f"({format_number(-rounded, zero_as_nil=False)})" if rounded != 0 else "(0.0)"
    return format_number(rounded, zero_as_nil=False) if value != 0 else EM_DASH
