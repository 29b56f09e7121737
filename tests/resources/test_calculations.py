"""The resource arithmetic without a database (missions.resources)."""

import datetime
from decimal import Decimal as D
from types import SimpleNamespace

from missions import resources as calc


def _classes(*specs):
    """(id, code, kind, parent_id, in_totals) tuples as class-like objects."""
    return [SimpleNamespace(id=i, code=code, kind=kind, parent_id=parent, in_totals=totals, name=code)
            for i, code, kind, parent, totals in specs]


def _table(classes, amounts, percent="5.0", usd="100000"):
    return calc.financial_table(classes=classes, amounts=amounts, threshold_percent=D(percent), threshold_usd=D(usd))


def test_variance_is_apportionment_minus_expenditure_with_half_up_percentage():
    row = calc.FinancialRow(cls=None, apportionment=D("10273.9"), expenditure=D("11184.9"))
    assert row.variance == D("-911.0")
    assert row.percent == D("-8.9")  # −8.867 rounds half-up away from zero
    assert calc.FinancialRow(cls=None, apportionment=D("62.0"), expenditure=D("117.7")).percent == D("-89.8")


def test_percentage_is_none_when_apportionment_is_nil_or_zero():
    assert calc.FinancialRow(cls=None, apportionment=None, expenditure=D("5.0")).percent is None
    assert calc.FinancialRow(cls=None, apportionment=D("0"), expenditure=D("5.0")).percent is None
    assert calc.FinancialRow(cls=None, apportionment=None, expenditure=None).variance is None


def test_half_up_rounding_at_the_midpoint():
    # 1.25 % exactly: half-up gives 1.3 (banker's rounding would give 1.2).
    assert calc.FinancialRow(cls=None, apportionment=D("400.0"), expenditure=D("395.0")).percent == D("1.3")


def test_groups_gross_net_and_total_come_from_the_lines():
    classes = _classes(
        (1, "g1", "group", None, True), (2, "a", "line", 1, True), (3, "b", "line", 1, True), (4, "s1", "subtotal", 1, True),
        (5, "top", "line", None, True),
        (6, "memo", "memo", 1, False),
        (7, "gross", "gross", None, True), (8, "sa", "staff_assessment", None, True), (9, "net", "net", None, True),
        (10, "ik", "in_kind", None, True), (11, "total", "total", None, True),
    )
    amounts = {2: (D("10.0"), D("8.0")), 3: (D("5.5"), None), 5: (D("100.0"), D("90.0")), 6: (D("3.0"), D("3.0")),
               8: (D("12.0"), D("11.0")), 10: (D("1.0"), D("1.0"))}
    table = _table(classes, amounts)
    assert (table.row("s1").apportionment, table.row("s1").expenditure) == (D("15.5"), D("8.0"))
    assert table.row("g1").apportionment == D("15.5")  # the summary shows the group with its subtotal
    # The memo line is already part of a class: it is never added again.
    assert (table.row("gross").apportionment, table.row("gross").expenditure) == (D("115.5"), D("98.0"))
    assert (table.row("net").apportionment, table.row("net").expenditure) == (D("103.5"), D("87.0"))
    assert (table.row("total").apportionment, table.row("total").expenditure) == (D("116.5"), D("99.0"))
    assert [r.cls.code for r in table.summary] == ["g1", "top", "gross", "sa", "net", "ik", "total"]


def test_nil_lines_give_a_nil_subtotal():
    classes = _classes((1, "g", "group", None, True), (2, "a", "line", 1, True), (3, "s", "subtotal", 1, True))
    table = _table(classes, {})
    assert table.row("s").apportionment is None
    assert table.row("s").variance is None


def test_the_rule_selects_by_percentage_or_by_dollars_and_only_lines():
    classes = _classes(
        (1, "pct", "line", None, True), (2, "usd", "line", None, True), (3, "neither", "line", None, True),
        (4, "memo", "memo", None, False), (5, "sa", "staff_assessment", None, True), (6, "gross", "gross", None, True),
        (7, "nil", "line", None, True), (8, "even", "line", None, True),
    )
    amounts = {
        1: (D("35.6"), D("24.6")),        # 11.0 thousand, 30.9 %
        2: (D("19538.9"), D("18834.5")),  # 704.4 thousand, 3.6 %
        3: (D("868.4"), D("878.1")),      # (9.7), (1.1)
        4: (D("500.0"), D("100.0")),      # memo: never analysed
        5: (D("3922.1"), D("4038.0")),    # staff assessment: never analysed
        8: (D("64.0"), D("64.0")),        # no variance
    }
    table = _table(classes, amounts)
    assert [r.cls.code for r in table.analysed] == ["pct", "usd"]


def test_the_threshold_is_inclusive_and_compared_in_dollars():
    classes = _classes((1, "at-usd", "line", None, True), (2, "below-usd", "line", None, True), (3, "at-pct", "line", None, True))
    amounts = {1: (D("10000.0"), D("9950.0")), 2: (D("10000.0"), D("9950.1")), 3: (D("1000.0"), D("960.0"))}
    table = _table(classes, amounts, percent="4.0", usd="50000")
    # 50.0 thousand = US$50 000 is "at least"; 49.9 thousand is not; 4.0 % is "at least" 4 %.
    assert [r.cls.code for r in table.analysed] == ["at-usd", "at-pct"]


def test_variance_heading_prints_as_in_section_iv():
    assert calc.variance_heading("公务差旅", D("287.2"), D("90.1")) == "公务差旅 287.2 90.1%"
    assert calc.variance_heading("本国工作人员", D("-911.0"), D("-8.9")) == "本国工作人员 (911.0) (8.9%)"


def test_explanation_opening_follows_the_sign():
    from django.utils.translation import override

    with override("en"):
        assert calc.explanation_opening(D("287.2")) == "Reduced requirements were attributable mainly to"
        assert calc.explanation_opening(D("-911.0")) == "Increased requirements were attributable mainly to"


def test_redeployment_revised_totals_and_share_of_appropriation():
    table = calc.RedeploymentTable(rows=[
        calc.RedeploymentRow(category="I", original=D("730.0"), redeployment=D("-118.8")),
        calc.RedeploymentRow(category="II", original=D("30745.2"), redeployment=D("216.6")),
        calc.RedeploymentRow(category="III", original=D("8352.1"), redeployment=D("-97.8")),
    ])
    assert [r.revised for r in table.rows] == [D("611.2"), D("30961.8"), D("8254.3")]
    assert table.total_redeployment == D("0.0")
    assert table.total_revised == D("39827.3")
    assert table.percent_of_appropriation == D("0.5")


def test_vacancy_rate_from_the_average():
    assert calc.vacancy_rate_from_average(D("113"), D("97")) == D("14.2")
    assert calc.vacancy_rate_from_average(D("8"), D("8")) == D("0.0")
    assert calc.vacancy_rate_from_average(None, D("8")) is None
    assert calc.vacancy_rate_from_average(D("0"), D("0")) is None


def test_vacancy_rate_from_months_is_the_mean_of_monthly_rates():
    # Six months at 10 of 100 vacant, six at 30 of 150 vacant: rates 10 % and 20 % → mean 15.0 %,
    # where the averages (125 authorized, 105 incumbent) would give 16.0 %.
    months = [(D("100"), D("90"))] * 6 + [(D("150"), D("120"))] * 6
    assert calc.vacancy_rate_from_months(months) == D("15.0")
    assert calc.vacancy_rate_from_average(D("125"), D("105")) == D("16.0")
    assert calc.vacancy_rate(method="monthly", authorized=D("125"), actual_average=D("105"), months=months) == D("15.0")
    assert calc.vacancy_rate(method="entered", authorized=None, actual_average=None, entered=D("7.45")) == D("7.5")


def test_period_months_run_july_to_june():
    months = calc.period_months(datetime.date(2020, 7, 1))
    assert months[0] == datetime.date(2020, 7, 1)
    assert months[6] == datetime.date(2021, 1, 1)
    assert months[-1] == datetime.date(2021, 6, 1)


def test_bar_chart_scales_to_the_largest_month():
    chart = calc.bar_chart([D("50.0"), None, D("100.0")], ["a", "b", "c"], width=300, height=200)
    heights = [bar.height for bar in chart.bars]
    assert heights[2] == D("166.0")  # the plot area: 200 − 10 − 24
    assert heights[0] == D("83.0")
    assert heights[1] == 0
    assert chart.bars[2].value == "100.0" and chart.bars[1].value == "—"
    assert chart.has_data
    assert not calc.bar_chart([None] * 12, [""] * 12).has_data
