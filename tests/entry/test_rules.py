"""The explanation rule (indicators/rules.py) against the seed cases of A/76/525."""

from decimal import Decimal

import pytest

from indicators import rules
from indicators.models import Output

from .factories import get_indicator, get_output, make_hq_report, make_mission_report

pytestmark = pytest.mark.django_db


def flags_for(report, number, actual):
    item = get_indicator(report, number)
    item.set_actual(actual)
    return [flag.code for flag in rules.indicator_flags(item, tolerance_percent=report.tolerance_percent)]


@pytest.fixture
def report():
    return make_mission_report()


def test_1_1_1_beating_its_target_of_290_with_860_needs_an_explanation(report):
    assert flags_for(report, "1.1.1", "860") == ["target_exceeded"]


def test_an_increase_within_the_tolerance_needs_none(report):
    assert flags_for(report, "1.1.1", "300") == []


def test_an_increase_missed_needs_an_explanation(report):
    assert flags_for(report, "1.1.1", "250") == ["target_missed"]


@pytest.mark.parametrize(
    "actual, expected",
    [
        ("21", ["target_exceeded"]),  # 27 days better than ≤ 48 is 56 %: a surprise to explain
        ("50", ["target_missed"]),
        ("45", []),
        ("48", []),
    ],
)
def test_lower_is_better_target_of_at_most_48_days(report, actual, expected):
    assert flags_for(report, "1.1.2", actual) == expected


@pytest.mark.parametrize("actual, expected", [("14.2%", ["outside_band"]), ("5%", ["outside_band"]), ("12.9%", []), ("7%", [])])
def test_band_of_10_percent_plus_minus_3(report, actual, expected):
    assert flags_for(report, "1.1.3", actual) == expected


@pytest.mark.parametrize("actual", ["正面", "负面", "0", "1000"])
def test_a_qualitative_indicator_never_needs_an_explanation(report, actual):
    assert flags_for(report, "1.1.4", actual) == []


def test_several_figures_against_one_target_are_not_judged(report):
    assert flags_for(report, "2.1.1", "24%; 23%; 37%") == []


def test_the_report_tolerance_decides_what_counts_as_a_surprise(report):
    report.tolerance_percent = Decimal("300")
    assert flags_for(report, "1.1.1", "860") == []


@pytest.mark.parametrize(
    "kind, completed, expected",
    [
        (Output.Completed.NO, "", ["not_delivered"]),
        (Output.Completed.BLANK, "", ["not_completed"]),
        (Output.Completed.YES, "", []),
        (Output.Completed.NUMBER, "250", []),  # 13.6 % over 220
        (Output.Completed.NUMBER, "150", ["quantity_differs"]),  # 31.8 % under
        (Output.Completed.NUMBER, "270", ["quantity_differs"]),
    ],
)
def test_mission_output_rule(report, kind, completed, expected):
    item = get_output(report, "1.1", "1")
    item.set_completed(kind, completed)
    assert [f.code for f in rules.output_flags(item, **rules.report_rule_options(report))] == expected


@pytest.mark.parametrize(
    "number, actual, ratio, expected",
    [("1", "77", Decimal("77.0"), ["ratio_outside_band"]), ("2", "1 262", Decimal("97.1"), []), ("3", "0", Decimal("0.0"), ["ratio_outside_band"]), ("4", "1", Decimal("100.0"), [])],
)
def test_headquarters_output_ratio_outside_90_to_110_needs_an_explanation(number, actual, ratio, expected):
    report = make_hq_report()
    item = get_output(report, "(a)", number)
    item.set_completed(Output.Completed.NUMBER, actual)
    assert rules.output_delivery_ratio(item) == ratio
    assert [f.code for f in rules.output_flags(item, **rules.report_rule_options(report))] == expected


def test_item_state_blocks_until_explained(report):
    item = get_indicator(report, "1.1.1")
    assert rules.indicator_state(item).blocking_reasons == ["Enter the actual value or the narrative."]
    item.set_actual("860")
    state = rules.indicator_state(item)
    assert state.complete and state.needs_explanation and not state.done
    item.variance_explanation = "高于计划，原因是…"
    assert rules.indicator_state(item).done


def test_a_flag_message_is_written_in_the_language_it_is_printed_in(report):
    from django.utils.translation import override

    item = get_indicator(report, "1.1.1")
    item.set_actual("860")
    with override("en"):
        (flag,) = rules.indicator_flags(item, tolerance_percent=report.tolerance_percent)
    with override("zh-hans"):
        assert str(flag.message) == "实际值超出目标数逾 20.0%。"
    with override("en"):
        assert str(flag.message) == "The actual value beats the target by more than 20.0%."


def test_a_flag_with_figures_can_be_pickled(report):
    # Cached pages and Celery's pickle serializer must be able to carry a flag.
    import pickle

    from django.utils.translation import override

    item = get_indicator(report, "1.1.1")
    item.set_actual("860")
    (flag,) = rules.indicator_flags(item, tolerance_percent=report.tolerance_percent)
    with override("en"):
        assert str(pickle.loads(pickle.dumps(flag)).message) == "The actual value beats the target by more than 20.0%."
