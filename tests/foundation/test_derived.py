"""Derived values computed in one place (indicators/rules.py), against the seed figures."""

from decimal import Decimal

import pytest

from indicators.models import Indicator, Output
from indicators.rules import delivery_ratio, output_delivery_ratio, target_met
from rbb.lib.figures import parse_figure

D = Indicator.Direction


@pytest.mark.parametrize(
    "planned, actual, ratio",
    [
        # Ethics Office 2020/21 (A/76/596, domain.md §3): 100→77, 1 300→1 262, 4→0, 1→1.
        ("100", "77", Decimal("77.0")),
        ("1 300", "1 262", Decimal("97.1")),
        ("4", "0", Decimal("0.0")),
        ("1", "1", Decimal("100.0")),
        ("0", "3", None),
        ("不适用", "3", None),
        ("", "3", None),
    ],
)
def test_delivery_ratio_from_printed_figures(planned, actual, ratio):
    output = Output(planned_text="x")
    output.set_planned_quantity(planned)
    output.set_completed(Output.Completed.NUMBER, actual)
    assert output_delivery_ratio(output) == ratio


def test_delivery_ratio_needs_a_number_completed():
    output = Output(planned_text="x")
    output.set_planned_quantity("4")
    output.set_completed(Output.Completed.YES)
    assert output_delivery_ratio(output) is None
    assert delivery_ratio(None, Decimal(1)) is None


@pytest.mark.parametrize(
    "direction, target, actual, met",
    [
        (D.INCREASE, "290", "860", True),  # UNMIK 1.1.1
        (D.INCREASE, "35%", "27%", False),  # UNMIK 1.1.3
        (D.DECREASE, "≤ 48", "21", True),  # UNMIK 2.1.3, lower is better
        (D.DECREASE, "≤ 48", "50", False),
        (D.DECREASE, "15", "20", False),
        (D.BAND, "10%±3%", "14.2%", False),  # UNMIK 2.1.1
        (D.BAND, "39%±1%", "39.5%", True),
        (D.BAND, "10%±3%", "13%", True),  # the band's edge is inside
        (D.EXACT, "100%", "100%", True),
        (D.EXACT, "100%", "99%", False),
        (D.QUALITATIVE, "正面", "正面", None),
        (D.INCREASE, "10", "不适用", None),
        (D.INCREASE, "不适用", "5", None),
        (D.INCREASE, "31%", "24%; 23%; 37%", None),  # several figures: no single verdict
    ],
)
def test_target_met_given_direction(direction, target, actual, met):
    assert target_met(direction, parse_figure(target), parse_figure(actual)) is met
