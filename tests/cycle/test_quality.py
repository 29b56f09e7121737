"""Design-time quality rules (indicators.quality): each rule on both sides of its threshold."""

import pytest
from django.utils import translation

from indicators.models import ExpectedAccomplishment, Indicator, IndicatorFigure
from indicators.quality import HARD, SOFT, accomplishment_quality, indicator_quality, output_quality, report_quality
from missions.models import Unit
from tests.entry.factories import indicator as make_indicator
from tests.entry.factories import output as make_output
from tests.foundation.builders import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def ea():
    report = make_report(code="QUAL", period="2021/22")
    unit = Unit.objects.create(report=report, number="1", title="Component")
    return ExpectedAccomplishment.objects.create(unit=unit, number="1.1", text="EA")


def _indicator(ea, *, number="1.1.1", statement="Number of meetings", measure="count", unit_hint="meetings",
               direction="increase", baselines=(("2019/20", "100"), ("2020/21", "120")), target="150"):
    item = make_indicator(ea, number, statement, measure=measure, direction=direction, baselines=baselines)
    if target is not None:
        figure = IndicatorFigure(indicator=item, kind=IndicatorFigure.Kind.TARGET, period_label="2021/22", order=9)
        figure.set_printed(target)
        figure.save()
    Indicator.objects.filter(pk=item.pk).update(unit_hint=unit_hint)
    return Indicator.objects.prefetch_related("figures").get(pk=item.pk)


def _codes(flags):
    return {(flag.code, flag.severity) for flag in flags}


def test_a_well_formed_indicator_has_no_flag(ea):
    assert indicator_quality(_indicator(ea)) == []


def test_no_measure_is_hard(ea):
    assert ("no_measure", HARD) in _codes(indicator_quality(_indicator(ea, measure="")))
    assert "no_measure" not in {f.code for f in indicator_quality(_indicator(ea, number="1.1.2", measure="count"))}


def test_a_count_without_unit_is_a_warning_a_percentage_needs_none(ea):
    assert ("no_unit", SOFT) in _codes(indicator_quality(_indicator(ea, unit_hint="")))
    percentage = _indicator(ea, number="1.1.2", measure="percentage", unit_hint="", baselines=(("2020/21", "40%"),), target="45%")
    assert indicator_quality(percentage) == []


def test_no_baseline_is_a_warning(ea):
    assert ("no_baseline", SOFT) in _codes(indicator_quality(_indicator(ea, baselines=())))
    assert ("no_baseline", SOFT) in _codes(indicator_quality(_indicator(ea, number="1.1.2", baselines=(("2020/21", "不适用"),))))
    one = _indicator(ea, number="1.1.3", baselines=(("2020/21", "120"),))
    assert "no_baseline" not in {f.code for f in indicator_quality(one)}


@pytest.mark.parametrize("target, flagged", [("119", True), ("120", False), ("121", False)])
def test_an_increase_target_below_the_last_baseline_is_a_warning(ea, target, flagged):
    flags = indicator_quality(_indicator(ea, target=target))
    assert (("target_wrong_side", SOFT) in _codes(flags)) is flagged


@pytest.mark.parametrize("target, flagged", [("121", True), ("120", False), ("119", False)])
def test_a_decrease_target_above_the_last_baseline_is_a_warning(ea, target, flagged):
    flags = indicator_quality(_indicator(ea, direction="decrease", target=target))
    assert (("target_wrong_side", SOFT) in _codes(flags)) is flagged


def test_the_last_baseline_is_the_latest_period_not_the_first_printed(ea):
    # 2020/21 (120) is later than 2019/20 (200) even when printed first.
    item = _indicator(ea, baselines=(("2020/21", "120"), ("2019/20", "200")), target="150")
    assert "target_wrong_side" not in {f.code for f in indicator_quality(item)}


@pytest.mark.parametrize("target, flagged", [("不适用", True), ("more", True), ("", True), ("12", False), ("≤ 48", False)])
def test_a_count_target_must_be_a_number(ea, target, flagged):
    item = _indicator(ea, target=target or None, baselines=(("2020/21", "10"),))
    assert (("target_not_number", HARD) in _codes(indicator_quality(item))) is flagged


def test_a_missing_target_of_other_measures_is_a_warning(ea):
    item = _indicator(ea, measure="days", target=None, unit_hint="")
    assert ("no_target", SOFT) in _codes(indicator_quality(item))


def test_qualitative_indicators_need_no_number(ea):
    item = _indicator(ea, measure="qualitative", direction="qualitative", baselines=(), target="Adopted", unit_hint="")
    assert indicator_quality(item) == []


@pytest.mark.parametrize("target, flagged", [("100.1%", True), ("100%", False), ("0%", False), ("-1%", True), ("10%±3%", False)])
def test_a_percentage_lies_between_0_and_100(ea, target, flagged):
    item = _indicator(ea, measure="percentage", baselines=(("2020/21", "0%"),), target=target)
    assert (("percentage_out_of_range", HARD) in _codes(indicator_quality(item))) is flagged


def test_a_baseline_percentage_out_of_range_is_flagged_too(ea):
    item = _indicator(ea, measure="percentage", baselines=(("2020/21", "140%"),), target="50%")
    assert ("percentage_out_of_range", HARD) in _codes(indicator_quality(item))


def test_the_same_statement_twice_in_one_accomplishment_is_hard(ea):
    _indicator(ea, statement="Number of  meetings")
    _indicator(ea, number="1.1.2", statement="number of meetings")
    _indicator(ea, number="1.1.3", statement="Number of reports")
    loaded = ExpectedAccomplishment.objects.prefetch_related("indicators").get(pk=ea.pk)
    flags = accomplishment_quality(loaded)
    assert [(f.code, f.severity, f.label) for f in flags] == [("duplicate_statement", HARD, "1.1.2")]
    assert "1.1.1" in str(flags[0].message)


def test_the_same_statement_in_two_accomplishments_is_fine(ea):
    _indicator(ea, statement="Number of meetings")
    other = ExpectedAccomplishment.objects.create(unit=ea.unit, number="1.2", text="Other")
    _indicator(other, number="1.2.1", statement="Number of meetings")
    for item in ExpectedAccomplishment.objects.prefetch_related("indicators"):
        assert accomplishment_quality(item) == []


def test_an_accomplishment_without_indicator_is_hard(ea):
    flags = accomplishment_quality(ExpectedAccomplishment.objects.prefetch_related("indicators").get(pk=ea.pk))
    assert [(f.code, f.severity, f.kind, f.anchor) for f in flags] == [("no_indicator", HARD, "accomplishment", f"accomplishment-{ea.pk}")]
    _indicator(ea)
    assert accomplishment_quality(ExpectedAccomplishment.objects.prefetch_related("indicators").get(pk=ea.pk)) == []


def test_an_output_with_a_quantity_needs_planned_text(ea):
    assert [(f.code, f.severity) for f in output_quality(make_output(ea, 1, "", quantity="12"))] == [("quantity_without_text", HARD)]
    assert output_quality(make_output(ea, 2, "Twelve meetings", quantity="12")) == []
    assert output_quality(make_output(ea, 3, "", quantity="")) == []


def test_messages_come_in_both_languages(ea):
    flag = indicator_quality(_indicator(ea, target="不适用"))[0]
    with translation.override("en"):
        english = str(flag.message)
    with translation.override("zh-hans"):
        chinese = str(flag.message)
    assert english.startswith("The target") and chinese != english


def test_a_report_is_judged_in_the_five_framework_queries(ea, django_assert_num_queries):
    for n in range(1, 6):
        _indicator(ea, number=f"1.1.{n}", statement=f"Statement {n}", target="不适用")
        make_output(ea, n, "", quantity="3")
    with django_assert_num_queries(5):
        flags = report_quality(report=ea.unit.report)
    assert sum(1 for f in flags if f.code == "target_not_number") == 5
    assert sum(1 for f in flags if f.code == "quantity_without_text") == 5
