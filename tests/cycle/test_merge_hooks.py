"""Roll-forward meets issue 16: class lists per period and a headquarters unit's own outputs.

The support account (A/76/596) has the Ethics Office's outputs on the unit itself (no expected
accomplishment); a budget proposal rolled from it must carry them, judge them and link to them.
"""

from django.urls import reverse

from indicators.models import Output
from missions.class_lists import class_list_copy, class_list_financial, class_list_is_own
from missions.models import BudgetPeriod, FinancialClass
from rbb.cycle.services import report_roll_forward
from rbb.workflow import proposal_blocking_items
from indicators.quality import report_quality


def _codes(report_type, period):
    return [c.code for c in class_list_financial(report_type=report_type, period=period)]


def test_roll_forward_gives_the_new_period_its_own_class_list(world):
    source = world.unmik
    proposal = report_roll_forward(source=source, to_label="2021/22")
    assert class_list_is_own(report_type=source.report_type, period=proposal.period)
    assert _codes(source.report_type, proposal.period) == _codes(source.report_type, source.period)
    assert _codes(source.report_type, proposal.period)  # not an empty list


def test_roll_forward_keeps_a_class_list_the_period_already_has(world):
    source = world.unmik
    period = BudgetPeriod.objects.create(label="2021/22", start="2021-07-01", end="2022-06-30")
    class_list_copy(report_type=source.report_type, from_period=source.period, to_period=period)
    mine = FinancialClass.objects.filter(report_type=source.report_type, period=period).order_by("order", "id").first()
    FinancialClass.objects.filter(pk=mine.pk).update(name_en="Renamed by the administrator")
    own = FinancialClass.objects.filter(report_type=source.report_type, period=period).count()

    proposal = report_roll_forward(source=source, to_label="2021/22")

    assert proposal.period == period
    assert FinancialClass.objects.filter(report_type=source.report_type, period=period).count() == own
    assert FinancialClass.objects.get(pk=mine.pk).name_en == "Renamed by the administrator"


def test_a_units_own_outputs_are_rolled_forward_with_their_lineage(world):
    source_outputs = list(Output.objects.filter(unit__report=world.support, accomplishment__isnull=True).select_related("unit"))
    assert len(source_outputs) == 4  # the Ethics Office's

    proposal = report_roll_forward(source=world.support, to_label="2021/22")

    copies = {o.lineage: o for o in Output.objects.filter(unit__report=proposal, accomplishment__isnull=True).select_related("unit")}
    assert set(copies) == {o.lineage for o in source_outputs}
    for output in source_outputs:
        copy = copies[output.lineage]
        assert (copy.unit.number, copy.unit.lineage, copy.number) == (output.unit.number, output.unit.lineage, output.number)
        assert copy.planned_text == output.planned_text and copy.planned_quantity == output.planned_quantity
        assert copy.quantity_carried_over is True
        assert (copy.completed_kind, copy.completed) == (Output.Completed.BLANK, "")  # the actual side is not copied


def test_quality_and_blocking_items_cover_a_units_own_outputs(world):
    proposal = report_roll_forward(source=world.support, to_label="2021/22")
    output = Output.objects.filter(unit__report=proposal, accomplishment__isnull=True).order_by("order").first()
    Output.objects.filter(pk=output.pk).update(planned_text="", planned_text_en="")

    flags = [f for f in report_quality(report=proposal) if f.item_id == output.pk]
    assert [(f.code, f.kind, f.label) for f in flags] == [("quantity_without_text", "output", f"{output.unit.number} / {output.number}")]

    items = [item for item in proposal_blocking_items(report=proposal) if item.label == flags[0].label]
    assert [item.url for item in items] == [reverse("indicators:unit-outputs", args=[proposal.pk, output.unit_id]) + f"#output-{output.pk}"]


def test_a_proposals_snapshot_freezes_the_planned_side_of_a_units_own_outputs(world):
    from rbb.review.selectors import PLANNED_SNAPSHOT_FIELDS, framework_snapshot

    proposal = report_roll_forward(source=world.support, to_label="2021/22")
    output = Output.objects.get(unit__report=proposal, accomplishment__isnull=True, number="2")
    item = next(i for i in framework_snapshot(report=proposal) if i["label"] == f"{output.unit.number} / 2")
    assert set(item["fields"]) == set(PLANNED_SNAPSHOT_FIELDS["output"])
    assert item["fields"]["planned_quantity"] == output.planned_quantity == "1 300"
