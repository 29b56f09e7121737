"""Roll-forward: UNMIK 2020/21 → its 2021/22 budget proposal, with lineage, baselines and refusals."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from indicators.models import ExpectedAccomplishment, Indicator, IndicatorFigure, Output
from missions.models import BudgetPeriod, ChangeRecord, Membership, Report, ReportEvent, Unit
from rbb.cycle.services import RollForwardRefused, report_roll_forward
from rbb.exceptions import DomainError, NotPermitted
from tests.foundation.builders import add_framework, make_report

Source = IndicatorFigure.Source


def _counts(report):
    return (
        Unit.objects.filter(report=report).count(),
        ExpectedAccomplishment.objects.filter(unit__report=report).count(),
        Indicator.objects.filter(accomplishment__unit__report=report).count(),
        Output.objects.filter(accomplishment__unit__report=report).count(),
    )


def _baselines(report, number):
    indicator = Indicator.objects.get(accomplishment__unit__report=report, number=number)
    return [
        (f.period_label, f.printed, f.source, f.is_estimate)
        for f in indicator.figures.filter(kind=IndicatorFigure.Kind.BASELINE).order_by("period_label")
    ]


def test_unmik_is_copied_whole_into_a_planning_draft(world, proposal):
    assert _counts(proposal) == (2, 4, 17, 59) == _counts(world.unmik)
    assert (proposal.phase, proposal.status) == (Report.Phase.PLANNING, Report.Status.DRAFT)
    assert proposal.planned_side_editable
    period = BudgetPeriod.objects.get(label="2021/22")
    assert (proposal.period, period.start, period.end) == (period, date(2021, 7, 1), date(2022, 6, 30))
    assert proposal.report_type_id == world.unmik.report_type_id
    # The source report is untouched.
    assert (Report.objects.get(pk=world.unmik.pk).phase, _counts(world.unmik)) == (Report.Phase.PERFORMANCE, (2, 4, 17, 59))


def test_every_item_keeps_its_lineage_and_its_planned_side(world, proposal):
    for model, path in ((Unit, "report"), (ExpectedAccomplishment, "unit__report"),
                        (Indicator, "accomplishment__unit__report"), (Output, "accomplishment__unit__report")):
        old = set(model.objects.filter(**{path: world.unmik}).values_list("lineage", flat=True))
        new = set(model.objects.filter(**{path: proposal}).values_list("lineage", flat=True))
        assert old == new and len(new) == model.objects.filter(**{path: proposal}).count()
    old = Indicator.objects.get(accomplishment__unit__report=world.unmik, number="1.1.3")
    new = Indicator.objects.get(accomplishment__unit__report=proposal, lineage=old.lineage)
    assert (new.number, new.statement, new.statement_en, new.measure, new.unit_hint, new.direction) == (
        old.number, old.statement, old.statement_en, old.measure, old.unit_hint, old.direction
    )
    # The actual side is not carried: it is the next performance report's to enter.
    assert (new.actual, new.actual_narrative, new.variance_explanation) == ("", "", "")


def test_outputs_carry_heading_text_and_quantity_marked_to_confirm(world, proposal):
    old = Output.objects.get(accomplishment__unit__report=world.unmik, accomplishment__number="1.1", number="4")
    new = Output.objects.get(accomplishment__unit__report=proposal, lineage=old.lineage)
    assert (new.heading, new.planned_text, new.planned_quantity, new.planned_value) == (
        old.heading, old.planned_text, "200; 500", old.planned_value
    )
    assert new.quantity_carried_over
    assert (new.completed_kind, new.completed, new.remarks) == (Output.Completed.BLANK, "", "")
    without_quantity = Output.objects.get(accomplishment__unit__report=proposal, accomplishment__number="1.1", number="1")
    assert not without_quantity.quantity_carried_over


def test_both_languages_are_copied(world):
    unit = Unit.objects.get(report=world.unmik, number="1")
    unit.title_en = "Substantive"
    unit.save()
    ea = ExpectedAccomplishment.objects.get(unit=unit, number="1.1")
    ea.text_en = "Progress towards reconciliation"
    ea.save()
    Output.objects.filter(accomplishment=ea, number="3").update(planned_text_en="220 field reports", heading_en="Services")
    proposal = report_roll_forward(source=world.unmik, to_label="2021/22", by=world.users["admin"])
    assert Unit.objects.get(report=proposal, number="1").title_en == "Substantive"
    assert ExpectedAccomplishment.objects.get(unit__report=proposal, number="1.1").text_en == "Progress towards reconciliation"
    copied = Output.objects.get(accomplishment__unit__report=proposal, accomplishment__number="1.1", number="3")
    assert (copied.planned_text_en, copied.heading_en) == ("220 field reports", "Services")


def test_the_series_of_1_1_1_reads_the_printed_actual_and_the_entered_estimate(proposal):
    assert _baselines(proposal, "1.1.1") == [
        ("2019/20", "754", Source.ANCESTOR_SERIES, False),  # printed in the 2020/21 framework: an actual
        ("2020/21", "860", Source.ENTERED_ACTUAL, True),  # entered, not accepted: an estimate
    ]
    # The new target is left to fill.
    assert not IndicatorFigure.objects.filter(
        indicator__accomplishment__unit__report=proposal, kind=IndicatorFigure.Kind.TARGET
    ).exists()


def test_without_an_entered_actual_the_ancestor_target_is_the_estimate(proposal):
    # 1.1.2 has no actual in 2020/21: its target 10 stands in, as an estimate.
    assert _baselines(proposal, "1.1.2") == [
        ("2019/20", "15", Source.ANCESTOR_SERIES, False),
        ("2020/21", "10", Source.ANCESTOR_TARGET, True),
    ]


def test_the_series_prints_the_estimate_as_such(proposal):
    from indicators.presentation import Printing, planned_series

    indicator = Indicator.objects.get(accomplishment__unit__report=proposal, number="1.1.1")
    assert planned_series(indicator, printing=Printing.for_report(proposal)) == "(2019/20: 754; 2020/21: 860 [estimate])"


def test_accepting_the_source_turns_the_estimate_into_an_actual(world, proposal):
    from rbb.workflow import report_accept

    Report.objects.filter(pk=world.unmik.pk).update(status=Report.Status.SUBMITTED)
    report_accept(report=Report.objects.get(pk=world.unmik.pk), by=world.users["reviewer"])
    assert _baselines(proposal, "1.1.1") == [
        ("2019/20", "754", Source.ANCESTOR_SERIES, False),
        ("2020/21", "860", Source.ACCEPTED_ACTUAL, False),
    ]


def test_an_override_survives_a_later_acceptance(world, proposal):
    from indicators.baselines import baseline_override
    from rbb.workflow import report_accept

    figure = IndicatorFigure.objects.get(
        indicator__accomplishment__unit__report=proposal, indicator__number="1.1.1", period_label="2020/21"
    )
    baseline_override(figure=figure, printed="870")
    figure.save()
    Indicator.objects.filter(accomplishment__unit__report=world.unmik, number="1.1.1").update(actual="865")
    Report.objects.filter(pk=world.unmik.pk).update(status=Report.Status.SUBMITTED)
    report_accept(report=Report.objects.get(pk=world.unmik.pk), by=world.users["reviewer"])
    figure.refresh_from_db()
    assert (figure.printed, figure.overridden, figure.source) == ("870", True, Source.ENTERED_ACTUAL)
    # The untouched figure of another indicator followed its source.
    assert _baselines(proposal, "1.2.1")[1] == ("2020/21", "2 446", Source.ACCEPTED_ACTUAL, False)


def test_the_series_stops_following_once_the_proposal_is_submitted(world, proposal):
    from rbb.workflow import report_accept

    Report.objects.filter(pk=proposal.pk).update(status=Report.Status.SUBMITTED)
    Report.objects.filter(pk=world.unmik.pk).update(status=Report.Status.SUBMITTED)
    report_accept(report=Report.objects.get(pk=world.unmik.pk), by=world.users["reviewer"])
    assert _baselines(proposal, "1.1.1")[1][2] == Source.ENTERED_ACTUAL


def test_a_report_that_has_a_framework_is_refused(world, proposal):
    before = _counts(proposal)
    with pytest.raises(RollForwardRefused) as refused:
        report_roll_forward(source=world.unmik, to_label="2021/22", by=world.users["admin"])
    assert (refused.value.code, refused.value.http_status) == ("framework_exists", 409)
    assert "already has a framework" in str(refused.value.message)
    assert _counts(proposal) == before


def test_an_empty_report_of_the_new_period_receives_the_framework(world):
    existing = Report.objects.create(
        mission=world.unmik.mission, period=BudgetPeriod.objects.create(label="2021/22", start=date(2021, 7, 1), end=date(2022, 6, 30)),
        report_type=world.unmik.report_type,
    )
    proposal = report_roll_forward(source=world.unmik, to_label="2021/22", by=world.users["admin"])
    assert proposal.pk == existing.pk
    assert Report.objects.get(pk=existing.pk).phase == Report.Phase.PLANNING
    assert _counts(proposal) == (2, 4, 17, 59)


@pytest.mark.parametrize("label, code", [("2019/20", "period_not_later"), ("2020/21", "period_not_later"), ("2021-22", "period_label")])
def test_the_new_period_must_be_a_later_period(world, label, code):
    with pytest.raises(DomainError) as refused:
        report_roll_forward(source=world.unmik, to_label=label, by=world.users["admin"])
    assert refused.value.code == code


def test_a_report_without_framework_has_nothing_to_copy(world):
    empty = make_report(code="EMPTY", period="2020/21")
    with pytest.raises(RollForwardRefused) as refused:
        report_roll_forward(source=empty, to_label="2021/22")
    assert refused.value.code == "nothing_to_copy"


@pytest.mark.parametrize("persona, allowed", [
    ("admin", True), ("approver", True), ("focal", False), ("reviewer", False), ("viewer", False), ("other_focal", False),
])
def test_who_may_roll_forward(world, persona, allowed):
    if allowed:
        assert report_roll_forward(source=world.unmik, to_label="2021/22", by=world.users[persona]).is_planning
    else:
        with pytest.raises(NotPermitted):
            report_roll_forward(source=world.unmik, to_label="2021/22", by=world.users[persona])
        assert not Report.objects.filter(period__label="2021/22").exists()


def test_the_event_the_audit_trail_and_the_deadline_carry_over(world):
    Report.objects.filter(pk=world.unmik.pk).update(due_date=date(2021, 9, 28))
    source = Report.objects.select_related("mission", "period").get(pk=world.unmik.pk)
    proposal = report_roll_forward(source=source, to_label="2021/22", by=world.users["approver"])
    assert proposal.due_date == date(2022, 9, 28)
    event = ReportEvent.objects.get(report=proposal)
    assert (event.action, event.phase, event.actor) == ("roll_forward", Report.Phase.PLANNING, world.users["approver"])
    assert ChangeRecord.objects.filter(report=proposal, field="roll_forward", new_value="UNMIK 2020/21").exists()
    # Roles belong to the entity: the focal point of 2020/21 is the focal point of 2021/22.
    assert Membership.objects.filter(mission=proposal.mission, role=Membership.Role.FOCAL_POINT).exists()


def test_sub_units_keep_their_department(world):
    report = make_report(code="HQ", period="2020/21", shape="headquarters")
    department = Unit.objects.create(report=report, number="A", title="Department", kind=Unit.Kind.DEPARTMENT)
    Unit.objects.create(report=report, number="A.1", title="Office", kind=Unit.Kind.SUB_UNIT, parent=department, order=1)
    proposal = report_roll_forward(source=report, to_label="2021/22")
    copied = Unit.objects.get(report=proposal, number="A.1")
    assert (copied.parent.number, copied.parent.report_id) == ("A", proposal.pk)


def test_calendar_year_periods_roll_into_the_next_year(db):
    report = make_report(code="DPPA", period="2024")
    BudgetPeriod.objects.filter(label="2024").update(start=date(2024, 1, 1), end=date(2024, 12, 31), kind="calendar")
    add_framework(report, units=1, eas_per_unit=1, indicators_per_ea=1, outputs_per_ea=1)
    report.refresh_from_db()
    proposal = report_roll_forward(source=report, to_label="2025")
    assert (proposal.period.start, proposal.period.end, proposal.period.kind) == (date(2025, 1, 1), date(2025, 12, 31), "calendar")


# Sizes whose rows fit one insert on SQLite too, which splits a bulk insert at 999 parameters
# (PostgreSQL does not split): test_a_large_framework_needs_only_the_insert_batches covers more.
@pytest.mark.parametrize("size", [1, 2])
def test_roll_forward_takes_a_fixed_number_of_queries(db, size, django_assert_num_queries):
    report = make_report(code=f"SIZE{size}", period="2020/21")
    add_framework(report, units=size, eas_per_unit=size, indicators_per_ea=size, outputs_per_ea=3 * size)
    report = Report.objects.select_related("mission", "period").get(pk=report.pk)
    # Savepoint; source units; period read + insert (in a savepoint pair); target report lock;
    # report insert; unit insert (a second one only when there are sub-units); accomplishments,
    # indicators and outputs read + insert; baselines in a savepoint: indicators, reports,
    # sources, ancestor figures, existing figures, insert; event; change record; release.
    # Plus the new period's class list (its size, not the framework's: _class_list_queries).
    with django_assert_num_queries(QUERIES + _class_list_queries(report)):
        report_roll_forward(source=report, to_label="2021/22")
    assert _counts(Report.objects.get(period__label="2021/22", mission=report.mission))[3] == size * size * 3 * size


QUERIES = 30  # 26 for the framework and baselines, 4 for the follow-up ledger's carry-forward


class _Undo(Exception):
    pass


def _class_list_queries(report) -> int:
    """The queries roll-forward spends on the new period's class list (missions.class_lists):
    one to ask whether the period has its own, and the copy, which grows with the list only."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from missions.class_lists import class_list_copy, class_list_is_own

    report_type = report.report_type  # read outside the count, as roll-forward's caller loaded it
    try:
        with transaction.atomic():
            period = BudgetPeriod.objects.create(label="2039/40", start=date(2039, 7, 1), end=date(2040, 6, 30))
            with CaptureQueriesContext(connection) as context:
                if not class_list_is_own(report_type=report_type, period=period):
                    class_list_copy(report_type=report_type, from_period=report.period, to_period=period)
            raise _Undo
    except _Undo:
        pass
    return len(context)


def test_a_large_framework_needs_only_the_insert_batches(db, django_assert_max_num_queries):
    """623 outputs, as in the support account (A/76/596): only the backend's insert batches add queries."""
    from django.db import connection

    report = make_report(code="BIG", period="2020/21")
    add_framework(report, units=1, eas_per_unit=7, indicators_per_ea=3, outputs_per_ea=89)
    report = Report.objects.select_related("mission", "period").get(pk=report.pk)
    counts = _counts(report)
    fields = {model: [f for f in model._meta.concrete_fields if not f.primary_key]
              for model in (ExpectedAccomplishment, Indicator, Output, IndicatorFigure)}
    rows = {ExpectedAccomplishment: counts[1], Indicator: counts[2], Output: counts[3], IndicatorFigure: counts[2] * 2}
    extra = sum(
        -(-n // min(connection.ops.bulk_batch_size(fields[model], [None] * n), 1000)) - 1 for model, n in rows.items()
    )
    with django_assert_max_num_queries(QUERIES + extra + _class_list_queries(report)):
        report_roll_forward(source=report, to_label="2021/22")
    assert counts[3] == 623


def test_the_command_rolls_forward_and_says_what_it_copied(world, capsys):
    call_command("roll_forward", "UNMIK", "2020/21", "2021/22")
    out = capsys.readouterr().out
    assert "UNMIK 2021/22" in out and "indicators 17, outputs 59" in out
    with pytest.raises(CommandError, match="already has a framework"):
        call_command("roll_forward", "UNMIK", "2020/21", "2021/22")
    with pytest.raises(CommandError, match="no report for UNMIK 2031/32"):
        call_command("roll_forward", "UNMIK", "2031/32", "2032/33")


def test_the_benchmark_measures_roll_forward_and_leaves_the_data_alone(world):
    from rbb.bench.cycle import roll_forward_measure, roll_forward_rows
    from rbb.bench.runner import _asdict

    class_list = _class_list_queries(world.unmik)
    runs = roll_forward_measure([world.unmik], runs=1)
    assert (runs[0].report, runs[0].outputs) == ("UNMIK 2020/21", 59)
    # SQLite splits the 59 outputs' insert in two (999 parameters a statement); PostgreSQL does not.
    assert QUERIES + class_list <= runs[0].queries <= QUERIES + class_list + 1
    assert not Report.objects.filter(period__label="2021/22").exists()
    assert f"| UNMIK 2020/21 | 59 | {runs[0].queries} |" in "\n".join(roll_forward_rows(_asdict(runs)))
