"""The framework editor's services: numbering, versions, locks, deletion with confirmation, audit."""

import datetime

import pytest

from indicators import framework_services as fs
from indicators.models import ExpectedAccomplishment, Indicator, IndicatorFigure, Output
from missions.models import BudgetPeriod, ChangeRecord, Report, ReportType, Unit
from rbb.exceptions import NotPermitted, StaleVersion

pytestmark = pytest.mark.django_db


def numbers(model, **filters):
    return list(model.objects.filter(**filters).order_by("order", "id").values_list("number", flat=True))


def test_adding_an_indicator_at_the_top_renumbers_its_siblings_and_is_audited(planning, approver):
    ea = ExpectedAccomplishment.objects.get(unit__report=planning, number="1.1")
    created = fs.indicator_create(
        accomplishment=ea, by=approver, statement="新指标", statement_en="New indicator", measure="percentage", unit_hint="百分比",
        direction="increase", figures=fs.PlannedFigures(baselines=(("2018/19", "20%"), ("2019/20", "25%")), target="30%"), position=0,
    )
    assert created.number == "1.1.1"
    assert numbers(Indicator, accomplishment=ea) == ["1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1.5"]
    figures = list(created.figures.order_by("order").values_list("kind", "period_label", "printed", "value"))
    assert figures[-1][:3] == ("target", "2020/21", "30%") and figures[0][1] == "2018/19"
    assert ChangeRecord.objects.filter(item_type="indicator", item_id=created.pk, field="created", actor=approver).exists()
    # The former 1.1.1 is now 1.1.2, and the audit trail says so.
    assert ChangeRecord.objects.filter(item_type="indicator", field="number", old_value="1.1.1", new_value="1.1.2").exists()


def test_moving_a_component_renumbers_its_accomplishments_and_indicators(planning, approver):
    support = Unit.objects.get(report=planning, number="2")
    fs.unit_move(unit=support, by=approver, position=0, version=support.version)
    assert numbers(Unit, report=planning) == ["1", "2"]
    moved = Unit.objects.get(pk=support.pk)
    assert moved.number == "1" and moved.title == "支助"
    assert numbers(ExpectedAccomplishment, unit=moved) == ["1.1"]
    assert numbers(Indicator, accomplishment__unit=moved) == ["1.1.1"]
    assert numbers(Indicator, accomplishment__unit__report=planning, accomplishment__unit__number="2")[:2] == ["2.1.1", "2.1.2"]


def test_a_save_from_an_old_version_is_refused_with_the_other_persons_values(planning, approver, focal):
    output = Output.objects.get(accomplishment__unit__report=planning, accomplishment__number="1.1", number="1")
    fs.output_plan_update(output=output, by=focal, version=output.version, planned_text="焦点的文本", planned_quantity="240")
    with pytest.raises(StaleVersion) as caught:
        fs.output_plan_update(output=output, by=approver, version=1, planned_text="批准人的文本", planned_quantity="250")
    assert caught.value.extra["values"]["planned_text"] == "焦点的文本" and caught.value.extra["updated_by"] == "focal"
    assert Output.objects.get(pk=output.pk).planned_quantity == "240"


def test_the_framework_is_read_only_outside_the_planning_phase_and_once_submitted(planning, approver):
    ea = ExpectedAccomplishment.objects.get(unit__report=planning, number="1.1")
    for phase, status in ((Report.Phase.PERFORMANCE, Report.Status.DRAFT), (Report.Phase.PLANNING, Report.Status.SUBMITTED)):
        Report.objects.filter(pk=planning.pk).update(phase=phase, status=status)
        with pytest.raises(fs.FrameworkLocked):
            fs.output_create(accomplishment=ea, by=approver, planned_text="X")
    assert Output.objects.filter(accomplishment=ea).count() == 2


def test_people_without_a_role_on_the_mission_may_not_edit(planning, reviewer, personas):
    ea = ExpectedAccomplishment.objects.get(unit__report=planning, number="1.1")
    for user in (reviewer, personas["viewer"], personas["outsider"]):
        with pytest.raises(NotPermitted):
            fs.accomplishment_create(unit=ea.unit, by=user, text="X")
    # A focal point limited to unit 2 may edit there, not in unit 1, and may not add units.
    limited = personas["focal_limited"]
    with pytest.raises(NotPermitted):
        fs.output_create(accomplishment=ea, by=limited, planned_text="X")
    with pytest.raises(NotPermitted):
        fs.unit_create(report=planning, by=limited, title="X")
    fs.output_create(accomplishment=ExpectedAccomplishment.objects.get(unit__report=planning, number="2.1"), by=limited, planned_text="Y")


def test_deleting_an_item_with_a_later_descendant_asks_for_confirmation_and_is_audited(planning, approver):
    indicator = Indicator.objects.get(accomplishment__unit__report=planning, number="1.1.2")
    later_period = BudgetPeriod.objects.create(label="2021/22", start=datetime.date(2021, 7, 1), end=datetime.date(2022, 6, 30))
    later = Report.objects.create(mission=planning.mission, period=later_period, report_type=planning.report_type)
    unit = Unit.objects.create(report=later, number="1", title="实务")
    ea = ExpectedAccomplishment.objects.create(unit=unit, number="1.1", text="和解")
    Indicator.objects.create(accomplishment=ea, number="1.1.1", statement="征聘天数", lineage=indicator.lineage)
    with pytest.raises(fs.ConfirmationRequired) as caught:
        fs.indicator_delete(indicator=indicator, by=approver)
    assert caught.value.extra["later_periods"] == 1
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    pk = indicator.pk
    fs.indicator_delete(indicator=indicator, by=approver, confirm=True)
    assert not Indicator.objects.filter(pk=pk).exists()
    record = ChangeRecord.objects.get(item_type="indicator", item_id=pk, field="deleted")
    assert "征聘天数" in record.old_value and record.actor == approver and "1" in record.new_value
    assert numbers(Indicator, accomplishment=indicator.accomplishment) == ["1.1.1", "1.1.2", "1.1.3"]


def test_deleting_an_item_with_entered_data_asks_for_confirmation(planning, approver):
    output = Output.objects.get(accomplishment__unit__report=planning, accomplishment__number="1.1", number="1")
    Output.objects.filter(pk=output.pk).update(completed_kind="number", completed="200")
    with pytest.raises(fs.ConfirmationRequired):
        fs.output_delete(output=output, by=approver)
    plain = Output.objects.get(accomplishment__unit__report=planning, accomplishment__number="1.1", number="2")
    pk = plain.pk
    fs.output_delete(output=plain, by=approver)  # nothing to lose: no confirmation
    assert not Output.objects.filter(pk=pk).exists()


def test_changing_figures_keeps_other_rows_and_audits_each_kind(planning, approver):
    indicator = Indicator.objects.get(accomplishment__unit__report=planning, number="1.1.1")
    kept = IndicatorFigure.objects.get(indicator=indicator, kind="baseline", period_label="2018/19")
    fs.indicator_plan_update(
        indicator=indicator, by=approver, version=indicator.version, statement=indicator.statement, measure="count",
        direction="increase", figures=fs.PlannedFigures(baselines=(("2018/19", "574"), ("2019/20", "760")), target="300"),
    )
    assert IndicatorFigure.objects.filter(pk=kept.pk).exists()
    assert IndicatorFigure.objects.get(indicator=indicator, kind="target").value == 300
    fields = set(ChangeRecord.objects.filter(item_type="indicator", item_id=indicator.pk).values_list("field", flat=True))
    assert {"baselines", "target"} <= fields
    with pytest.raises(fs.DomainError) as caught:
        fs.indicator_plan_update(indicator=indicator, by=approver, version=indicator.version + 1, statement="x", measure="count",
                                 direction="increase", figures=fs.PlannedFigures(baselines=(("2018/19", ""),)))
    assert caught.value.field == "baselines"


def test_a_budget_administrator_creates_an_entity_period_and_empty_planning_report(admin, approver):
    report_type = ReportType.objects.create(code="mission-2", name_en="Mission", shape=ReportType.Shape.MISSION)
    with pytest.raises(NotPermitted):
        fs.planning_report_create(by=approver, entity_code="NEWM", period_label="2022/23", report_type=report_type)
    report = fs.planning_report_create(
        by=admin, entity_code="NEWM", name_en="New mission", period_label="2022/23",
        period_start=datetime.date(2022, 7, 1), period_end=datetime.date(2023, 6, 30), report_type=report_type,
    )
    assert report.phase == Report.Phase.PLANNING and report.planned_side_editable and not report.units.exists()
    unit = fs.unit_create(report=report, by=admin, title="实务构成部分")
    ea = fs.accomplishment_create(unit=unit, by=admin, text="和平进程取得进展")
    assert (unit.number, ea.number) == ("1", "1.1")
    with pytest.raises(fs.DomainError):
        fs.planning_report_create(by=admin, entity_code="NEWM", period_label="2022/23", report_type=report_type)


def test_headquarters_numbers_accomplishments_by_letter_and_indicators_by_circled_numeral():
    assert [fs.hq_accomplishment_number(i) for i in (0, 1, 25)] == ["(a)", "(b)", "(z)"]
    assert [fs.hq_indicator_number(i) for i in (0, 9, 10, 19, 20)] == ["㈠", "㈩", "(十一)", "(二十)", "(二十一)"]
