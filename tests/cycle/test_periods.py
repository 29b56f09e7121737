"""Period arithmetic: the next period's label and dates follow from the label."""

from datetime import date

import pytest

from missions.models import BudgetPeriod
from missions.periods import period_get_or_create, period_label_next, period_label_shift, period_spec
from rbb.exceptions import DomainError


@pytest.mark.parametrize("label, following", [
    ("2020/21", "2021/22"), ("2099/00", "2100/01"), ("1999/00", "2000/01"), ("2024", "2025"), ("2099", "2100"),
])
def test_the_next_label_keeps_the_shape(label, following):
    assert period_label_next(label) == following


def test_labels_shift_backwards_too():
    assert [period_label_shift("2021/22", -2), period_label_shift("2021/22", -1)] == ["2019/20", "2020/21"]
    assert period_label_shift("2025", -1) == "2024"


def test_a_july_june_label_gives_1_july_to_30_june():
    spec = period_spec("2021/22")
    assert (spec.start, spec.end, spec.kind) == (date(2021, 7, 1), date(2022, 6, 30), BudgetPeriod.Kind.JULY_JUNE)


def test_a_calendar_label_gives_the_calendar_year():
    spec = period_spec("2025")
    assert (spec.start, spec.end, spec.kind) == (date(2025, 1, 1), date(2025, 12, 31), BudgetPeriod.Kind.CALENDAR)


@pytest.mark.parametrize("label", ["2020/22", "2020-21", "20/21", "", "next", "2020/2021"])
def test_other_labels_are_refused_with_a_message(label):
    with pytest.raises(DomainError) as refused:
        period_spec(label)
    assert refused.value.code == "period_label"


@pytest.mark.django_db
def test_a_missing_period_is_created_once():
    first = period_get_or_create(label="2021/22")
    assert period_get_or_create(label="2021/22") == first
    assert (first.start, first.end) == (date(2021, 7, 1), date(2022, 6, 30))
