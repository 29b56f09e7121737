"""Derived values of the framework, computed in one place with exact decimals.

Delivery ratio, whether an indicator met its target given its direction, completeness of an
item, and whether an item needs an explanation before the report can be submitted.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from rbb.lib.figures import Comparator, Figure
from rbb.lib.numbers import HUNDRED, percentage

from .models import Indicator, IndicatorFigure, Output

DEFAULT_TOLERANCE = Decimal("20")
DEFAULT_RATIO_LOW = Decimal("90")
DEFAULT_RATIO_HIGH = Decimal("110")


def delivery_ratio(planned: Decimal | None, actual: Decimal | None) -> Decimal | None:
    """actual ÷ planned × 100, half-up at one decimal; None when planned is 0 or missing."""
    return percentage(actual, planned)


def output_delivery_ratio(output: Output) -> Decimal | None:
    if output.completed_kind != Output.Completed.NUMBER:
        return None
    return delivery_ratio(output.planned_value, output.completed_value)


def target_of(indicator: Indicator) -> IndicatorFigure | None:
    """The target figure, from prefetched figures when the selector loaded them."""
    for figure in indicator.figures.all():
        if figure.kind == IndicatorFigure.Kind.TARGET:
            return figure
    return None


def target_met(direction: str, target: Figure, actual: Figure) -> bool | None:
    """Whether the actual meets the target given the direction; None when not computable.

    A comparator printed with the target (`≤ 48`, `10%±3%`) decides over the direction.
    """
    if direction == Indicator.Direction.QUALITATIVE:
        return None
    if target.value is None or actual.value is None:
        return None
    t, a = target.value, actual.value
    comparator = target.comparator
    if comparator == Comparator.BAND or direction == Indicator.Direction.BAND:
        tolerance = target.tolerance or Decimal(0)
        return abs(a - t) <= tolerance
    if comparator == Comparator.LE:
        return a <= t
    if comparator == Comparator.LT:
        return a < t
    if comparator == Comparator.GE:
        return a >= t
    if comparator == Comparator.GT:
        return a > t
    if direction == Indicator.Direction.DECREASE:
        return a <= t
    if direction == Indicator.Direction.EXACT:
        return a == t
    return a >= t


def exceeds_by_more_than(direction: str, target: Figure, actual: Figure, tolerance_percent: Decimal) -> bool:
    """Whether a met target is beaten by more than the tolerance (a surprise worth explaining)."""
    if target.value is None or actual.value is None or target.value == 0:
        return False
    if direction == Indicator.Direction.BAND or target.comparator == Comparator.BAND:
        return False
    lower_is_better = direction == Indicator.Direction.DECREASE or target.comparator in (Comparator.LE, Comparator.LT)
    gap = (target.value - actual.value) if lower_is_better else (actual.value - target.value)
    return gap * HUNDRED / abs(target.value) > tolerance_percent


@dataclass(frozen=True)
class Flag:
    code: str
    message: str


# A flag's message with its figures, translated and formatted when printed, not when the rules
# run: the export and the dashboard judge thousands of items and never print the message.
def _format(message, values) -> str:
    return str(message) % values


_formatted = lazy(_format, str)  # a module-level function, so a flag can be pickled

# The fixed flags and messages, made once: rules run for every item of every page and export.
OUTSIDE_BAND = Flag("outside_band", _("The actual value is outside the target band."))
TARGET_MISSED = Flag("target_missed", _("The actual value misses the target."))
NOT_DELIVERED = Flag("not_delivered", _("The output was not delivered."))
NOT_COMPLETED = Flag("not_completed", _("The output is not completed yet."))
INDICATOR_INCOMPLETE = _("Enter the actual value or the narrative.")
OUTPUT_INCOMPLETE = _("Say whether the output was completed, or explain in the remarks why not yet.")


def indicator_flags(indicator: Indicator, *, tolerance_percent: Decimal = DEFAULT_TOLERANCE) -> list[Flag]:
    """Why this indicator needs a variance explanation (empty when it does not)."""
    if indicator.direction == Indicator.Direction.QUALITATIVE:
        return []
    target = target_of(indicator)
    if target is None:
        return []
    target_figure, actual_figure = target.figure, indicator.actual_figure
    met = target_met(indicator.direction, target_figure, actual_figure)
    if met is False:
        if indicator.direction == Indicator.Direction.BAND or target_figure.comparator == Comparator.BAND:
            return [OUTSIDE_BAND]
        return [TARGET_MISSED]
    if met and exceeds_by_more_than(indicator.direction, target_figure, actual_figure, tolerance_percent):
        return [
            Flag(
                "target_exceeded",
                _formatted(_("The actual value beats the target by more than %(tolerance)s%%."), {"tolerance": tolerance_percent}),
            )
        ]
    return []


def output_flags(
    output: Output,
    *,
    headquarters: bool = False,
    tolerance_percent: Decimal = DEFAULT_TOLERANCE,
    ratio_low: Decimal = DEFAULT_RATIO_LOW,
    ratio_high: Decimal = DEFAULT_RATIO_HIGH,
) -> list[Flag]:
    """Why this output needs remarks explaining it (empty when it does not)."""
    kind = output.completed_kind
    if kind == Output.Completed.NO:
        return [NOT_DELIVERED]
    if kind == Output.Completed.BLANK:
        return [NOT_COMPLETED]
    if kind != Output.Completed.NUMBER or output.planned_value is None or output.completed_value is None:
        return []
    if headquarters:
        ratio = delivery_ratio(output.planned_value, output.completed_value)
        if ratio is not None and not (ratio_low <= ratio <= ratio_high):
            return [
                Flag(
                    "ratio_outside_band",
                    _formatted(_("The delivery ratio %(ratio)s is outside %(low)s–%(high)s."),
                               {"ratio": ratio, "low": ratio_low, "high": ratio_high}),
                )
            ]
        return []
    if output.planned_value == 0:
        return []
    gap = abs(output.completed_value - output.planned_value) * HUNDRED / output.planned_value
    if gap > tolerance_percent:
        return [
            Flag(
                "quantity_differs",
                _formatted(_("The number completed differs from the planned %(planned)s by more than %(tolerance)s%%."),
                           {"planned": output.planned_quantity, "tolerance": tolerance_percent}),
            )
        ]
    return []


def _written(item, name: str) -> bool:
    """Whether a text holds something in either language (X Chinese, X_en English)."""
    return bool(getattr(item, name).strip() or getattr(item, f"{name}_en", "").strip())


def indicator_is_complete(indicator: Indicator) -> bool:
    return bool(indicator.actual.strip()) or _written(indicator, "actual_narrative")


def output_is_complete(output: Output) -> bool:
    return output.completed_kind != Output.Completed.BLANK or _written(output, "remarks")


def indicator_needs_explanation(indicator: Indicator, **kwargs) -> bool:
    return bool(indicator_flags(indicator, **kwargs)) and not _written(indicator, "variance_explanation")


def output_needs_explanation(output: Output, **kwargs) -> bool:
    return bool(output_flags(output, **kwargs)) and not _written(output, "remarks")


def report_rule_options(report) -> dict:
    """The report's tolerances, as keyword arguments for output_flags."""
    return {
        "headquarters": report.report_type.is_headquarters,
        "tolerance_percent": report.tolerance_percent,
        "ratio_low": report.ratio_low,
        "ratio_high": report.ratio_high,
    }


@dataclass(frozen=True)
class ItemState:
    """Where one framework item stands: filled in, and explained when the rule asks for it."""

    complete: bool
    flags: tuple[Flag, ...]
    explained: bool
    incomplete_message: str = ""

    @property
    def needs_explanation(self) -> bool:
        return bool(self.flags) and not self.explained

    @property
    def done(self) -> bool:
        return self.complete and not self.needs_explanation

    @property
    def blocking_reasons(self) -> list[str]:
        """Why the item stops the report from being submitted (empty when it does not)."""
        if not self.complete:
            return [str(self.incomplete_message)]
        if self.needs_explanation:
            return [str(flag.message) for flag in self.flags]
        return []


def indicator_state(indicator: Indicator, *, tolerance_percent: Decimal = DEFAULT_TOLERANCE) -> ItemState:
    return ItemState(
        complete=indicator_is_complete(indicator),
        flags=tuple(indicator_flags(indicator, tolerance_percent=tolerance_percent)),
        explained=_written(indicator, "variance_explanation"),
        incomplete_message=INDICATOR_INCOMPLETE,
    )


def output_state(output: Output, **options) -> ItemState:
    return ItemState(
        complete=output_is_complete(output),
        flags=tuple(output_flags(output, **options)),
        explained=_written(output, "remarks"),
        incomplete_message=OUTPUT_INCOMPLETE,
    )
