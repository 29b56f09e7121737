"""Importing the UNMIK 2020/21 framework reproduces the report (domain.md §2, A/76/525 sect. II.E)."""

from collections import Counter
from decimal import Decimal

import pytest

from indicators.interchange import framework_import
from indicators.models import Indicator, IndicatorFigure, Output
from indicators.rules import output_delivery_ratio
from indicators.selectors import framework_counts
from missions.models import Report, ReportType, Unit
from rbb.exceptions import ReportLocked
from rbb.lib.figures import Comparator

from .conftest import db_counts

pytestmark = pytest.mark.django_db


def _indicator(report: Report, number: str) -> Indicator:
    return Indicator.objects.get(accomplishment__unit__report=report, number=number)


def _figures(indicator: Indicator, kind: str) -> list[IndicatorFigure]:
    return list(indicator.figures.filter(kind=kind).order_by("order"))


def test_unmik_import_reproduces_the_counts(unmik):
    report = framework_import(data=unmik)

    assert framework_counts(report=report) == {"units": 2, "accomplishments": 4, "indicators": 17, "outputs": 59}
    kinds = Counter(Output.objects.filter(accomplishment__unit__report=report).values_list("completed_kind", flat=True))
    assert kinds == {"yes": 34, "no": 4, "number": 19, "numbers": 1, "blank": 1}
    assert list(Unit.objects.filter(report=report).values_list("number", "kind", "title")) == [
        ("1", "component", "实务"),
        ("2", "component", "支助"),
    ]
    assert (report.mission.code, report.period.label, report.symbol, report.budget_symbol) == (
        "UNMIK", "2020/21", "A/76/525", "A/74/692",
    )
    assert report.mission.name_en == "United Nations Interim Administration Mission in Kosovo"
    assert report.report_type.shape == ReportType.Shape.MISSION
    assert report.report_type.variance_threshold_percent == Decimal("5.0")
    assert report.report_type.variance_threshold_usd == Decimal("100000")


def test_indicator_figures_are_parsed(unmik):
    report = framework_import(data=unmik)

    first = _indicator(report, "1.1.1")
    baselines = _figures(first, IndicatorFigure.Kind.BASELINE)
    assert [(f.period_label, f.printed, f.value) for f in baselines] == [
        ("2018/19", "574", Decimal("574")),
        ("2019/20", "754", Decimal("754")),
    ]
    [target] = _figures(first, IndicatorFigure.Kind.TARGET)
    assert (target.period_label, target.printed, target.value) == ("2020/21", "290", Decimal("290"))
    assert (first.actual, first.actual_value) == ("860", Decimal("860"))
    assert first.variance_explanation.startswith("决定的数量高于计划")

    [band] = _figures(_indicator(report, "2.1.1"), IndicatorFigure.Kind.TARGET)
    assert (band.printed, band.value, band.comparator, band.tolerance) == ("10%±3%", Decimal("10"), Comparator.BAND, Decimal("3"))
    [bound] = _figures(_indicator(report, "2.1.3"), IndicatorFigure.Kind.TARGET)
    assert (bound.printed, bound.value, bound.comparator) == ("≤ 48", Decimal("48"), Comparator.LE)

    na = _figures(_indicator(report, "1.1.2"), IndicatorFigure.Kind.BASELINE)[0]
    assert (na.printed, na.value, na.not_applicable) == ("不适用", None, True)
    several = _indicator(report, "1.3.1")
    assert (several.actual_value, several.actual_figure.values) == (None, (Decimal(24), Decimal(23), Decimal(37)))


def test_outputs_keep_planned_and_completed_quantities(unmik):
    report = framework_import(data=unmik)
    outputs = Output.objects.filter(accomplishment__unit__report=report)

    compound = outputs.get(accomplishment__number="1.1", number="4")
    assert (compound.completed_kind, compound.completed, compound.completed_value) == ("numbers", "180; 841", None)
    assert compound.planned_quantity == "200; 500"
    assert compound.completed_values == (Decimal(180), Decimal(841))
    assert len(compound.remark_paragraphs) == 3

    reports = outputs.get(accomplishment__number="1.1", number="3")
    assert (reports.planned_value, reports.completed_value) == (Decimal(220), Decimal(250))
    certificates = outputs.get(accomplishment__number="1.3", number="4")
    assert (certificates.planned_quantity, certificates.planned_value, certificates.completed_value) == (
        "2 000", Decimal(2000), Decimal(3514),
    )
    # The semi-annual reports state no number to deliver, so none is planned.
    assert outputs.get(accomplishment__number="1.1", number="8").planned_quantity == ""
    grouped = outputs.filter(accomplishment__number="2.1", heading="设施和基础设施").count()
    assert grouped == 6


def test_support_account_is_a_headquarters_framework(support):
    report = framework_import(data=support)

    assert report.report_type.is_headquarters
    assert (report.report_type.variance_threshold_percent, report.report_type.variance_threshold_usd) == (
        Decimal("4.0"), Decimal("50000"),
    )
    unit = Unit.objects.get(report=report)
    assert (unit.number, unit.kind, unit.title) == ("I", "department", "道德操守办公室")
    measures = [
        (i.number, i.unit_hint, [f.value for f in i.figures.order_by("order")], i.actual_value)
        for i in Indicator.objects.filter(accomplishment__unit=unit).order_by("order")
    ]
    assert measures == [
        ("㈠", "请求数目", [Decimal(100), Decimal(110)], Decimal(77)),
        ("㈡", "百分比", [Decimal(100), Decimal(100)], Decimal(100)),
        ("㈢", "", [Decimal(30), Decimal(40)], Decimal(55)),
    ]
    outputs = Output.objects.filter(unit=unit, accomplishment__isnull=True).order_by("order")  # the unit's own (A/76/596)
    assert [output_delivery_ratio(o) for o in outputs] == [Decimal("77.0"), Decimal("97.1"), Decimal("0.0"), Decimal("100.0")]
    assert {o.heading_path[-1] for o in outputs} == {"斡旋、实况调查和其他特别任务"}


def test_reimporting_duplicates_nothing(unmik, support):
    framework_import(data=unmik)
    framework_import(data=support)
    before = db_counts()

    framework_import(data=unmik)
    framework_import(data=support)

    assert db_counts() == before
    assert before["Mission"] == 2 and before["BudgetPeriod"] == 1 and before["ReportType"] == 2 and before["Report"] == 2


def test_reimporting_replaces_the_framework_and_keeps_the_report(unmik):
    report = framework_import(data=unmik)
    report.status = Report.Status.RETURNED
    report.save(update_fields=["status"])
    unmik["units"][0]["expected_accomplishments"][0]["indicators"][0]["actual"] = "900"
    unmik["report"]["symbol"] = "A/76/525/Corr.1"

    again = framework_import(data=unmik)

    assert again.pk == report.pk
    again.refresh_from_db()
    assert (again.symbol, again.status) == ("A/76/525/Corr.1", Report.Status.RETURNED)
    assert _indicator(again, "1.1.1").actual_value == Decimal(900)
    assert Indicator.objects.filter(accomplishment__unit__report=again).count() == 17


@pytest.mark.parametrize("status", [Report.Status.SUBMITTED, Report.Status.ACCEPTED])
def test_import_onto_a_locked_report_is_refused(unmik, status):
    report = framework_import(data=unmik)
    report.status = status
    report.save(update_fields=["status"])
    unmik["units"][0]["title"] = "改过的标题"
    unmik["entity"]["name_en"] = "Changed"
    before = db_counts()

    with pytest.raises(ReportLocked):
        framework_import(data=unmik)

    assert db_counts() == before
    assert Unit.objects.get(report=report, number="1").title == "实务"
    report.mission.refresh_from_db()
    assert report.mission.name_en == "United Nations Interim Administration Mission in Kosovo"


def test_import_records_who_imported(unmik, django_user_model):
    user = django_user_model.objects.create_user(username="importer")
    report = framework_import(data=unmik, user=user)
    assert set(Output.objects.filter(accomplishment__unit__report=report).values_list("updated_by", flat=True)) == {user.pk}
    assert _indicator(report, "1.1.1").updated_by == user
