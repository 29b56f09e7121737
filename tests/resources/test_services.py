"""Writes: locking, optimistic concurrency, the audit trail, explanations and incumbency."""

import io
from decimal import Decimal as D

import pytest

from missions.models import (
    ChangeRecord,
    FinancialLine,
    Report,
    ResourceNarrative,
    StaffIncumbency,
    VarianceExplanation,
)
from missions.resource_selectors import resource_blocking_items, resource_performance
from missions.services import (
    financial_line_update,
    financial_lines_update,
    incumbency_months_update,
    incumbency_update,
    resource_narrative_update,
    resources_load_demo,
    resources_prepare,
    variance_explanation_save,
)
from rbb.exceptions import DomainError, ReportLocked, StaleVersion

pytestmark = pytest.mark.django_db


def _line(report, code):
    return FinancialLine.objects.get(report=report, financial_class__code=code)


def _lock(report):
    Report.objects.filter(pk=report.pk).update(status=Report.Status.SUBMITTED)
    report.refresh_from_db()


class TestFinancialLineUpdate:
    def test_it_saves_bumps_the_version_and_records_each_changed_field(self, report, alice):
        resources_prepare(report=report)
        line = _line(report, "official-travel")
        assert (line.apportionment, line.expenditure, line.version) == (None, None, 1)

        financial_line_update(line=line, apportionment=D("318.6"), expenditure=D("31.4"), version=1, by=alice)

        line.refresh_from_db()
        assert (line.apportionment, line.expenditure, line.version, line.updated_by) == (D("318.6"), D("31.4"), 2, alice)
        changes = list(ChangeRecord.objects.filter(item_type="financial line", item_id=line.pk).order_by("field"))
        assert [(c.field, c.old_value, c.new_value, c.version, c.actor) for c in changes] == [
            ("apportionment", "", "318.6", 2, alice), ("expenditure", "", "31.4", 2, alice)]
        assert changes[0].item_label == "Official travel" and changes[0].report == report

    def test_saving_the_same_values_writes_nothing(self, demo_report, alice):
        line = _line(demo_report, "official-travel")
        before = ChangeRecord.objects.count()
        financial_line_update(line=line, apportionment=D("318.6"), expenditure=D("31.4"), version=line.version, by=alice)
        line.refresh_from_db()
        assert line.version == 1 + 1  # only the demo load changed it
        assert ChangeRecord.objects.count() == before

    def test_a_stale_version_is_refused_with_the_current_values_and_nothing_is_overwritten(self, demo_report, alice, bob):
        line = _line(demo_report, "medical")
        seen = line.version
        financial_line_update(line=line, apportionment=D("62.0"), expenditure=D("120.0"), version=seen, by=bob)
        before = ChangeRecord.objects.count()

        with pytest.raises(StaleVersion) as caught:
            financial_line_update(line=line, apportionment=D("62.0"), expenditure=D("99.9"), version=seen, by=alice)

        assert caught.value.extra["current"] == {"apportionment": D("62.0"), "expenditure": D("120.0")}
        assert caught.value.extra["version"] == seen + 1
        assert caught.value.http_status == 409
        line.refresh_from_db()
        assert line.expenditure == D("120.0")
        assert ChangeRecord.objects.count() == before

    def test_a_locked_report_refuses_every_change(self, demo_report, alice):
        _lock(demo_report)
        line = _line(demo_report, "medical")
        with pytest.raises(ReportLocked):
            financial_line_update(line=line, apportionment=D("1.0"), expenditure=D("1.0"), version=line.version, by=alice)
        line.refresh_from_db()
        assert line.expenditure == D("117.7")

    def test_more_than_one_decimal_is_refused_not_rounded(self, report, alice):
        resources_prepare(report=report)
        line = _line(report, "medical")
        with pytest.raises(DomainError) as caught:
            financial_line_update(line=line, apportionment=D("62.05"), expenditure=None, version=1, by=alice)
        assert (caught.value.code, caught.value.field) == ("too_many_decimals", "apportionment")

    def test_a_batch_is_all_or_nothing(self, demo_report, alice, bob):
        travel, medical = _line(demo_report, "official-travel"), _line(demo_report, "medical")
        financial_line_update(line=medical, apportionment=D("62.0"), expenditure=D("1.0"), version=medical.version, by=bob)
        with pytest.raises(StaleVersion) as caught:
            financial_lines_update(by=alice, updates=[
                {"line": travel, "apportionment": D("318.6"), "expenditure": D("40.0"), "version": travel.version},
                {"line": medical, "apportionment": D("62.0"), "expenditure": D("2.0"), "version": medical.version},
            ])
        assert caught.value.extra["id"] == medical.pk
        travel.refresh_from_db()
        assert travel.expenditure == D("31.4")


class TestVarianceExplanation:
    def test_selected_lines_without_explanation_block_submission(self, report, alice):
        resources_load_demo(report=report)
        VarianceExplanation.objects.filter(line__report=report, line__financial_class__code__in=["medical", "official-travel"]).delete()

        items = resource_blocking_items(report=report)

        assert [item.label for item in items] == ["Official travel 287.2 90.1%", "Medical (55.7) (89.8%)"]
        medical = _line(report, "medical")
        assert items[1].url == f"/reports/{report.pk}/resources/variances/{medical.pk}/"
        assert items[1].code == "variance_explanation_missing"

        variance_explanation_save(line=medical, main="Increased requirements were attributable mainly to test kits.", version=0, by=alice)
        assert [item.label for item in resource_blocking_items(report=report)] == ["Official travel 287.2 90.1%"]

    def test_the_opening_words_alone_are_not_an_explanation(self, demo_report, alice):
        VarianceExplanation.objects.filter(line__report=demo_report).delete()
        with pytest.raises(DomainError) as caught:
            variance_explanation_save(line=_line(demo_report, "medical"), main="所需经费增加的主要原因是：", version=0, by=alice)
        assert (caught.value.code, caught.value.field) == ("explanation_blank", "main")
        with pytest.raises(DomainError):
            variance_explanation_save(line=_line(demo_report, "medical"), main="Increased requirements were attributable mainly to ", version=0, by=alice)

    def test_editing_an_explanation_checks_its_version_and_is_audited(self, demo_report, alice, bob):
        line = _line(demo_report, "medical")
        explanation = line.explanation
        variance_explanation_save(line=line, main=explanation.main, offset="Partly offset by no air evacuations.", version=explanation.version, by=bob)
        record = ChangeRecord.objects.filter(item_type="variance explanation", field="offset").latest("id")
        assert (record.new_value, record.actor) == ("Partly offset by no air evacuations.", bob)
        with pytest.raises(StaleVersion):
            variance_explanation_save(line=line, main="Something else entirely.", version=explanation.version, by=alice)

    def test_a_second_writer_of_a_new_explanation_gets_a_conflict(self, demo_report, alice, bob):
        VarianceExplanation.objects.filter(line__report=demo_report).delete()
        line = _line(demo_report, "medical")
        variance_explanation_save(line=line, main="Reasons by Bob.", version=0, by=bob)
        with pytest.raises(StaleVersion):
            variance_explanation_save(line=line, main="Reasons by Alice.", version=0, by=alice)
        assert VarianceExplanation.objects.get(line=line).main == "Reasons by Bob."

    def test_a_locked_report_refuses_explanations(self, demo_report, alice):
        _lock(demo_report)
        with pytest.raises(ReportLocked):
            variance_explanation_save(line=_line(demo_report, "medical"), main="New.", version=1, by=alice)


class TestIncumbency:
    def _row(self, report, code):
        return StaffIncumbency.objects.get(report=report, category__code=code)

    def test_monthly_figures_make_the_rate_the_mean_of_monthly_rates(self, report, alice):
        resources_prepare(report=report)
        row = self._row(report, "international-staff")
        incumbency_update(row=row, authorized=D("150"), actual_average=D("105"), version=1, by=alice)
        row.refresh_from_db()
        months = [(D("100"), D("90"))] * 6 + [(D("150"), D("120"))] * 6

        incumbency_months_update(row=row, months=months, version=row.version, by=alice)

        performance = resource_performance(report=report)
        shown = next(r for r in performance.incumbency if r.category.code == "international-staff")
        assert shown.item.method == StaffIncumbency.Method.MONTHLY
        assert shown.rate == D("15.0")  # the simple formula would give 30.0
        assert ChangeRecord.objects.filter(item_type="staff incumbency", field="month 7", new_value="150.0/120.0").exists()

    def test_an_entered_rate_needs_a_note(self, report, alice):
        resources_prepare(report=report)
        row = self._row(report, "international-staff")
        with pytest.raises(DomainError) as caught:
            incumbency_update(row=row, authorized=D("113"), actual_average=D("97"), method="entered",
                              vacancy_rate_entered=D("13.9"), version=1, by=alice)
        assert caught.value.field == "vacancy_rate_note"

        incumbency_update(row=row, authorized=D("113"), actual_average=D("97"), method="entered",
                          vacancy_rate_entered=D("13.9"), vacancy_rate_note="Umoja staffing table", version=1, by=alice)

        shown = next(r for r in resource_performance(report=report).incumbency if r.category.code == "international-staff")
        assert (shown.rate, shown.item.vacancy_rate_note) == (D("13.9"), "Umoja staffing table")

    def test_the_monthly_method_needs_the_months(self, report, alice):
        resources_prepare(report=report)
        with pytest.raises(DomainError) as caught:
            incumbency_update(row=self._row(report, "international-staff"), authorized=D("1"), actual_average=D("1"),
                              method="monthly", version=1, by=alice)
        assert caught.value.code == "months_missing"

    def test_locked_report_refuses_incumbency(self, demo_report, alice):
        _lock(demo_report)
        row = self._row(demo_report, "international-staff")
        with pytest.raises(ReportLocked):
            incumbency_update(row=row, authorized=D("1"), actual_average=D("1"), version=row.version, by=alice)
        with pytest.raises(ReportLocked):
            incumbency_months_update(row=row, months=[(D("1"), D("1"))] * 12, version=row.version, by=alice)


def test_narratives_are_versioned(demo_report, alice, bob):
    narrative = ResourceNarrative.objects.get(report=demo_report, section="monthly_pattern")
    resource_narrative_update(narrative=narrative, text="First.\n\nSecond.", version=narrative.version, by=bob)
    narrative.refresh_from_db()
    assert narrative.text == "First.\nSecond."
    with pytest.raises(StaleVersion):
        resource_narrative_update(narrative=narrative, text="Other.", version=narrative.version - 1, by=alice)


def test_the_demo_load_is_idempotent(demo_report):
    changes = ChangeRecord.objects.count()
    versions = list(FinancialLine.objects.filter(report=demo_report).order_by("pk").values_list("version", flat=True))
    assert changes > 0

    resources_load_demo(report=demo_report)

    assert ChangeRecord.objects.count() == changes
    assert list(FinancialLine.objects.filter(report=demo_report).order_by("pk").values_list("version", flat=True)) == versions
    assert VarianceExplanation.objects.filter(line__report=demo_report).count() == 10


def test_the_demo_refuses_a_locked_report(report):
    _lock(report)
    with pytest.raises(ReportLocked):
        resources_load_demo(report=report)


def test_the_demo_needs_the_mission_class_list(support_account_report):
    with pytest.raises(DomainError) as caught:
        resources_load_demo(report=support_account_report)
    assert caught.value.code == "demo_class_missing"
    assert not FinancialLine.objects.filter(report=support_account_report).exclude(expenditure=None).exists()


def test_the_demo_command_loads_once_and_can_run_again(report):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("load_resources_demo", "UNMIK", "2020/21", stdout=out)
    changes = ChangeRecord.objects.count()
    call_command("load_resources_demo", "UNMIK", "2020/21", stdout=out)

    assert ChangeRecord.objects.count() == changes
    assert FinancialLine.objects.get(report=report, financial_class__code="medical").expenditure == D("117.7")
    assert "Loaded the UNMIK 2020/21 resource figures" in out.getvalue()


def test_the_demo_reinstalls_the_class_lists_of_a_flushed_database(report):
    from missions.models import FinancialClass, StaffCategory

    FinancialClass.objects.filter(report_type=report.report_type, parent__isnull=False).delete()
    FinancialClass.objects.filter(report_type=report.report_type).delete()
    StaffCategory.objects.filter(report_type=report.report_type, parent__isnull=False).delete()
    StaffCategory.objects.filter(report_type=report.report_type).delete()

    resources_load_demo(report=report)

    assert resource_performance(report=report).financial.gross.variance == D("144.5")
