"""With the real UNMIK 2020/21 figures every computed cell prints as A/76/525 prints it.

Only apportionment and expenditure of the classes (and the other entered figures) are
stored; the variances, percentages, subtotals, gross, net, total and rates compared here are
all computed.
"""

from decimal import Decimal

import pytest
from django.utils.translation import override

from missions.models import FinancialLine, Redeployment, Report, StaffIncumbency, StaffIncumbencyMonth
from missions.services import resources_load_demo
from missions.resource_selectors import resource_performance
from rbb.lib.numbers import format_count, format_number, format_percent

pytestmark = pytest.mark.django_db


def _printed(row):
    return {
        "apportionment": format_number(row.apportionment),
        "expenditure": format_number(row.expenditure),
        "variance_amount": format_number(row.variance),
        "variance_percent": format_percent(row.percent),
    }


def _expected(item):
    return {key: item[key]["printed"] for key in ("apportionment", "expenditure", "variance_amount", "variance_percent")}


@pytest.fixture
def performance(demo_report, other_mission):
    # Another report of the same type, with figures of its own, loaded before and after: the
    # figures are joined to the shared class lists per report, so none of them may show here.
    other = Report.objects.create(mission=other_mission, period=demo_report.period, report_type=demo_report.report_type)
    resources_load_demo(report=other)
    FinancialLine.objects.filter(report=other).update(apportionment=Decimal("1.0"), expenditure=Decimal("9.0"))
    Redeployment.objects.filter(report=other).update(redeployment=Decimal("7.0"))
    StaffIncumbency.objects.filter(report=other).update(authorized=Decimal("3"))
    StaffIncumbencyMonth.objects.filter(incumbency__report=other).update(incumbent=Decimal("1"))
    with override("zh-hans"):
        yield resource_performance(report=demo_report)


def test_every_row_of_the_detailed_table(performance, seed):
    rows = [r for r in performance.financial.rows if r.kind != "group"]
    expected = seed["detailed_table"]["rows"]
    assert len(rows) == len(expected) == 29
    for row, item in zip(rows, expected):
        assert row.cls.name_zh == item["class"]
        assert _printed(row) == _expected(item), item["class"]


def test_the_worked_rows_of_domain_4_1(performance):
    by_code = performance.financial.row
    assert _printed(by_code("national-staff")) == {
        "apportionment": "10 273.9", "expenditure": "11 184.9", "variance_amount": "(911.0)", "variance_percent": "(8.9)"}
    assert _printed(by_code("gross")) == {
        "apportionment": "39 827.3", "expenditure": "39 682.8", "variance_amount": "144.5", "variance_percent": "0.4"}
    assert _printed(by_code("medical")) == {
        "apportionment": "62.0", "expenditure": "117.7", "variance_amount": "(55.7)", "variance_percent": "(89.8)"}


def test_the_summary_table(performance, seed):
    rows = performance.financial.summary
    expected = seed["summary_table"]["rows"]
    assert [r.cls.name_zh for r in rows] == [item["class"] for item in expected]
    for row, item in zip(rows, expected):
        assert _printed(row) == _expected(item), item["class"]


def test_resource_utilisation(performance):
    assert format_percent(performance.financial.utilisation) == "99.6"


def test_redeployment_across_groups(performance, seed):
    table = performance.redeployment
    for row, item in zip(table.rows, [i for i in seed["redeployment"]["rows"] if i["kind"] == "category"]):
        assert f"{row.number} {row.category.name_zh}" == item["class"]
        assert format_number(row.original) == item["original_apportionment"]["printed"]
        assert format_number(row.redeployment) == item["redeployment"]["printed"]
        assert format_number(row.revised) == item["revised_apportionment"]["printed"]
    total = seed["redeployment"]["rows"][-1]
    assert format_number(table.total_original) == total["original_apportionment"]["printed"]
    assert format_number(table.total_redeployment) == total["redeployment"]["printed"] == "—"
    assert format_number(table.total_revised) == total["revised_apportionment"]["printed"]
    assert format_percent(table.percent_of_appropriation) == "0.5"
    assert len(performance.redeployment_paragraphs) == 2


def test_other_revenue_and_non_budgeted_contributions(performance, seed):
    assert [format_number(line.amount) for line in performance.other_revenue.lines] == [
        item["amount"]["printed"] for item in seed["other_revenue"]["rows"] if item["kind"] == "line"]
    assert format_number(performance.other_revenue.total) == "126.5"
    assert [format_number(line.amount) for line in performance.non_budgeted.lines] == ["95.3", "—"]
    assert format_number(performance.non_budgeted.total) == "95.3"


def test_human_resources_incumbency(performance, seed):
    shown = {}
    for row in performance.incumbency:
        for r in [row, *row.children]:
            if r.has_data and not r.is_group:
                shown[r.category.name_zh] = (format_count(r.item.authorized), format_count(r.item.actual_average), format_percent(r.rate), r.item.method)
    expected = {
        item["class"]: (item["authorized"]["printed"], item["actual_average"]["printed"], item["vacancy_rate_percent"]["printed"], "average")
        for item in seed["human_resources_incumbency"]["rows"] if item["kind"] == "line"
    }
    assert shown == expected
    assert [shown[name][2] for name in ("国际工作人员", "联合国警察", "本国一般事务人员", "联合国志愿人员", "军事观察员")] == [
        "14.2", "10.0", "1.6", "12.5", "—"]


def test_actions_of_the_general_assembly_in_full_dollars(performance, seed):
    ga = performance.ga
    assert ga.unencumbered_balance_dollars == "144 500"
    assert ga.other_revenue_dollars == "126 500"
    assert ga.other_revenue_parts == [("投资收入", "40 300"), ("其他/杂项收入", "68 200"), ("上期债务核销额", "18 000")]
    assert seed["actions"]["items"][0]["amount_usd"] == 144500


def test_the_rule_selects_exactly_the_ten_analysed_classes(performance, seed):
    analysed = [entry.row.cls.name_zh for entry in performance.variance_entries]
    assert analysed == [entry["class"] for entry in seed["variance_analysis"]["entries"]]
    assert "国际工作人员" in analysed and "咨询人和咨询服务" in analysed
    assert "联合国志愿人员" not in analysed and "通信和信息技术" not in analysed and "一般临时人员" not in analysed


def test_variance_headings_and_paragraphs_as_printed(performance, seed):
    for entry, item in zip(performance.variance_entries, seed["variance_analysis"]["entries"]):
        assert entry.row.heading == f"{item['class']} {item['amount']['printed']} {item['percentage']['printed']}"
        assert entry.paragraphs == [p["text"] for p in item["paragraphs"]]
        assert not entry.is_missing


def test_the_monthly_pattern_stays_empty(performance):
    assert all(month.amount is None for month in performance.months)
    assert not performance.chart.has_data
