"""The benchmark dataset: the support account's shape, parsed figures, history, and the same data per seed."""

import hashlib
from collections import Counter

import pytest
from django.core.management import call_command

from indicators.models import ExpectedAccomplishment, Indicator, IndicatorFigure, Output
from missions.models import ChangeRecord, FinancialLine, Report, ReportEvent, Unit
from rbb.bench.dataset import SUPPORT_CODE, DatasetExists, dataset_generate, hq_indicator_number
from rbb.lib.figures import parse_figure

pytestmark = pytest.mark.django_db


def _digest() -> str:
    """Everything generated, without database ids: equal for equal seeds."""
    rows = []
    for i in Indicator.objects.select_related("accomplishment__unit__report__mission", "accomplishment__unit__report__period"):
        r = i.accomplishment.unit.report
        rows.append(("i", r.mission.code, r.period.label, i.accomplishment.number, i.number, i.statement, i.actual,
                     i.actual_narrative, i.variance_explanation, i.version, i.updated_at.isoformat()))
    for o in Output.objects.select_related("accomplishment__unit__report__mission", "accomplishment__unit__report__period"):
        r = o.accomplishment.unit.report
        rows.append(("o", r.mission.code, r.period.label, o.accomplishment.number, o.number, o.planned_text, o.completed_kind,
                     o.completed, o.remarks, o.version))
    rows += [("c", c.item_type, c.field, c.old_value, c.new_value, c.version, c.created_at.isoformat()) for c in ChangeRecord.objects.all()]
    rows += [("f", str(f.apportionment), str(f.expenditure)) for f in FinancialLine.objects.all()]
    return hashlib.sha256(repr(sorted(rows)).encode()).hexdigest()


def test_the_support_account_has_the_shape_of_a_76_596_and_missions_a_realistic_one():
    summary = dataset_generate(scale=1, seed=7, periods=2, missions=2)

    support = Report.objects.get(mission__code=SUPPORT_CODE, period__label="2020/21")
    counts = {
        "units": Unit.objects.filter(report=support).count(),
        "accomplishments": ExpectedAccomplishment.objects.filter(unit__report=support).count(),
        "indicators": Indicator.objects.filter(accomplishment__unit__report=support).count(),
        "outputs": Output.objects.filter(accomplishment__unit__report=support).count(),
    }
    assert counts == {"units": 26, "accomplishments": 55, "indicators": 161, "outputs": 623}
    assert summary.periods == ["2019/20", "2020/21"]
    for report in Report.objects.exclude(mission__code=SUPPORT_CODE):
        assert 270 <= Output.objects.filter(accomplishment__unit__report=report).count() <= 330
        assert 54 <= Indicator.objects.filter(accomplishment__unit__report=report).count() <= 66
        assert FinancialLine.objects.filter(report=report).count() > 20
    # Older periods went through the workflow; their history is dated inside the period.
    old = Report.objects.filter(period__label="2019/20")
    assert set(old.values_list("status", flat=True)) == {Report.Status.ACCEPTED}
    assert ReportEvent.objects.filter(report__in=old, action="accept").count() == old.count()
    submitted = ReportEvent.objects.filter(report=old.first(), action="submit").earliest("created_at").created_at
    assert not ChangeRecord.objects.filter(report=old.first(), item_type__in=["indicator", "output"], created_at__gt=submitted).exists()
    # The support account came back once: the review compares two submissions and shows threads.
    from django.apps import apps

    try:
        Submission, Comment = apps.get_model("rbb", "Submission"), apps.get_model("rbb", "Comment")
    except LookupError:
        return
    assert Submission.objects.filter(report=support).count() == 2
    first, second = Submission.objects.filter(report=support).order_by("number")
    assert len(first.items) == len(second.items) == 161 + 623 and first.items != second.items
    assert Comment.objects.filter(report=support, parent=None).count() >= 3


def test_figures_are_parsed_as_the_models_parse_them():
    dataset_generate(scale=1, seed=3, periods=1, missions=1)
    for figure in IndicatorFigure.objects.all()[:2000]:
        parsed = parse_figure(figure.printed)
        assert (figure.value, figure.comparator or "", figure.not_applicable) == (parsed.value, parsed.comparator or "", parsed.not_applicable)
    for indicator in Indicator.objects.exclude(actual=""):
        assert indicator.actual_value == parse_figure(indicator.actual).value
    kinds = Counter(Output.objects.values_list("completed_kind", flat=True))
    assert {"yes", "no", "number"} <= set(kinds)
    # Every saved item has its change records, the last one at the item's version.
    item = Output.objects.exclude(completed_kind="blank").exclude(remarks="").first()
    assert ChangeRecord.objects.filter(item_type="output", item_id=item.pk, version=item.version).exists()


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    dataset_generate(scale=1, seed=11, periods=1, missions=1)
    first = _digest()
    with pytest.raises(DatasetExists):
        dataset_generate(scale=1, seed=11, periods=1, missions=1)
    dataset_generate(scale=1, seed=11, periods=1, missions=1, replace=True)
    assert _digest() == first
    call_command("generate_dataset", "--seed", "12", "--periods", "1", "--missions", "1", "--replace", stdout=open("/dev/null", "w"))
    assert _digest() != first


def test_headquarters_indicators_are_numbered_as_the_report_prints_them():
    assert [hq_indicator_number(i) for i in (0, 9, 10, 11, 19, 20)] == ["㈠", "㈩", "(十一)", "(十二)", "(二十)", "(二十一)"]


def test_the_same_item_shares_one_lineage_across_the_generated_periods():
    dataset_generate(scale=1, seed=5, periods=3, missions=1, support=False)
    per_lineage = Counter(Output.objects.values_list("lineage", flat=True))
    assert set(per_lineage.values()) == {3}  # one output per period in every lineage
    per_lineage = Counter(Indicator.objects.values_list("lineage", flat=True))
    assert set(per_lineage.values()) == {3}
    first = Indicator.objects.select_related("accomplishment__unit__report__period").order_by("id").first()
    periods = set(Indicator.objects.filter(lineage=first.lineage).values_list("accomplishment__unit__report__period__label", flat=True))
    assert periods == {"2018/19", "2019/20", "2020/21"}
