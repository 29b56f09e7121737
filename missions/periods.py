"""Budget-period arithmetic: the period after (or before) a period, from its label.

Peacekeeping budgets run 1 July – 30 June and are labelled `2020/21`; the regular budget's
programme plan runs by calendar year and is labelled `2024`. The label says which, so the
next period's label and dates follow from it (2020/21 → 2021/22, 2099/00 → 2100/01, 2024 → 2025).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from rbb.exceptions import DomainError

from .models import BudgetPeriod

_JULY_JUNE = re.compile(r"^(\d{4})/(\d{2})$")
_CALENDAR = re.compile(r"^(\d{4})$")

LABEL_NOT_UNDERSTOOD = _("“%(label)s” is not a period label: write 2020/21 for a 1 July – 30 June period or 2024 for a calendar year.")


@dataclass(frozen=True)
class PeriodSpec:
    """A period named by its label, with the dates and kind the label implies."""

    label: str
    start: date
    end: date
    kind: str


def period_spec(label: str) -> PeriodSpec:
    """The dates and kind of a period label; DomainError when the label is neither shape."""
    label = (label or "").strip()
    if match := _JULY_JUNE.match(label):
        first = int(match.group(1))
        if (first + 1) % 100 != int(match.group(2)):
            raise DomainError(LABEL_NOT_UNDERSTOOD % {"label": label}, code="period_label", field="period")
        return PeriodSpec(label, date(first, 7, 1), date(first + 1, 6, 30), BudgetPeriod.Kind.JULY_JUNE)
    if match := _CALENDAR.match(label):
        year = int(match.group(1))
        return PeriodSpec(label, date(year, 1, 1), date(year, 12, 31), BudgetPeriod.Kind.CALENDAR)
    raise DomainError(LABEL_NOT_UNDERSTOOD % {"label": label}, code="period_label", field="period")


def period_label_shift(label: str, years: int) -> str:
    """The label `years` periods after (negative: before) `label`, in the same shape."""
    spec = period_spec(label)
    first = spec.start.year + years
    if spec.kind == BudgetPeriod.Kind.CALENDAR:
        return str(first)
    return f"{first}/{(first + 1) % 100:02d}"


def period_label_next(label: str) -> str:
    return period_label_shift(label, 1)


def period_get_or_create(*, label: str) -> BudgetPeriod:
    """The period with this label, created with the dates its label implies when missing."""
    spec = period_spec(label)
    period, _created = BudgetPeriod.objects.get_or_create(
        label=spec.label, defaults={"start": spec.start, "end": spec.end, "kind": spec.kind}
    )
    return period
