"""Printed indicator figures parse into value, comparator and tolerance (domain.md §2.1, §3)."""

from decimal import Decimal

import pytest

from rbb.lib.figures import Comparator, parse_figure


@pytest.mark.parametrize(
    "printed, value, comparator, tolerance, na",
    [
        ("574", Decimal("574"), Comparator.EQ, None, False),
        ("1 050", Decimal("1050"), Comparator.EQ, None, False),
        ("230 000", Decimal("230000"), Comparator.EQ, None, False),
        ("37.8%", Decimal("37.8"), Comparator.EQ, None, False),
        ("89/100", Decimal("89"), Comparator.EQ, None, False),
        ("10%±3%", Decimal("10"), Comparator.BAND, Decimal("3"), False),
        ("39%±1%", Decimal("39"), Comparator.BAND, Decimal("1"), False),
        ("≤ 48", Decimal("48"), Comparator.LE, None, False),
        ("≤ 20%", Decimal("20"), Comparator.LE, None, False),
        ("0.55", Decimal("0.55"), Comparator.EQ, None, False),
        ("不适用", None, "", None, True),
        ("N/A", None, "", None, True),
        ("—", None, "", None, True),
    ],
)
def test_parse_figure(printed, value, comparator, tolerance, na):
    figure = parse_figure(printed)
    assert figure.printed == printed
    assert figure.value == value
    assert figure.comparator == comparator
    assert figure.tolerance == tolerance
    assert figure.not_applicable is na


def test_several_figures_keep_every_value_and_no_single_one():
    figure = parse_figure("24%; 23%; 37%")
    assert figure.value is None
    assert figure.values == (Decimal("24"), Decimal("23"), Decimal("37"))
    assert parse_figure("180; 841").values == (Decimal("180"), Decimal("841"))


def test_qualitative_figures_are_not_numbers():
    for printed in ("正面", "是", "Positive"):
        figure = parse_figure(printed)
        assert figure.is_qualitative and figure.value is None
