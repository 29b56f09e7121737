"""The resources page and the entry pages: scoping, roles, locking, conflicts, query count."""

import datetime
import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from openpyxl import Workbook

from missions.models import (
    BudgetPeriod,
    ChangeRecord,
    FinancialClass,
    FinancialLine,
    MonthlyExpenditure,
    Report,
    ReportType,
    StaffIncumbency,
    VarianceExplanation,
)
from missions.services import financial_line_update, resources_prepare

pytestmark = pytest.mark.django_db


def _url(name, report, *args):
    return reverse(f"missions:{name}", args=[report.pk, *args])


def _line(report, code):
    return FinancialLine.objects.get(report=report, financial_class__code=code)


class TestResourcesPage:
    def test_it_prints_the_tables_as_the_document(self, client, demo_report, alice):
        client.force_login(alice)
        response = client.get(_url("resources", demo_report), HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        html = response.content.decode()
        for printed in ("30 745.2", "(216.3)", "39 827.3", "39 682.8", "144.5", "(89.8)", "99.6", "126.5", "95.3",
                        "611.2", "14.2", "144 500", "40 300", "68 200", "18 000"):
            assert printed in html, printed
        assert "Official travel 287.2 90.1%" in html
        assert "National staff (911.0) (8.9%)" in html
        assert "<svg" not in html  # no monthly figures in the source, so no chart is drawn
        assert html.count('class="variance-entry') == 10
        assert _url("resources-explanation", demo_report, _line(demo_report, "medical").pk) in html

    def test_the_page_follows_the_language(self, client, demo_report, alice):
        client.force_login(alice)
        client.cookies["django_language"] = "zh-hans"
        html = client.get(_url("resources", demo_report)).content.decode()
        assert "公务差旅 287.2 90.1%" in html
        assert "本国工作人员 (911.0) (8.9%)" in html

    def test_the_monthly_chart_is_inline_svg(self, client, report, alice):
        resources_prepare(report=report)
        MonthlyExpenditure.objects.filter(report=report, month=1).update(amount=D("3310.5"))
        client.force_login(alice)
        html = client.get(_url("resources", report)).content.decode()
        assert "<svg" in html and "<rect" in html and "3 310.5" in html
        assert "<script" not in html.split("<main", 1)[1]

    def test_a_focal_point_of_another_mission_gets_404(self, client, demo_report, oscar):
        client.force_login(oscar)
        assert client.get(_url("resources", demo_report)).status_code == 404
        assert client.get(_url("resources-financial", demo_report)).status_code == 404
        line = _line(demo_report, "medical")
        assert client.post(_url("resources-explanation", demo_report, line.pk), {"main": "x", "version": 1}).status_code == 404
        assert client.post(_url("resources-import", demo_report), {}).status_code == 404

    def test_a_reviewer_reads_but_may_not_edit(self, client, demo_report, hugo):
        client.force_login(hugo)
        response = client.get(_url("resources", demo_report))
        assert response.status_code == 200
        assert _url("resources-financial", demo_report) not in response.content.decode()
        assert client.get(_url("resources-financial", demo_report)).status_code == 403
        assert client.post(_url("resources-financial", demo_report), {}).status_code == 403

    def test_anonymous_people_are_sent_to_log_in(self, client, demo_report):
        response = client.get(_url("resources", demo_report))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_a_missing_report_is_404(self, client, alice):
        client.force_login(alice)
        assert client.get(reverse("missions:resources", args=[987654])).status_code == 404

    def test_the_query_count_does_not_grow_with_the_number_of_classes(self, client, demo_report, alice, django_assert_num_queries):
        client.force_login(alice)
        url = _url("resources", demo_report)
        client.get(url)
        # session, user, memberships (access), report with entity/period/type, then the seven
        # reads of resource_performance: classes with lines, explanations and redeployments;
        # revenue lines; months; narratives; staff categories with incumbency; its months;
        # resources by department/office.
        with django_assert_num_queries(11):
            client.get(url)

        group = FinancialClass.objects.get(report_type=demo_report.report_type, code="operational-costs")
        for i in range(25):
            cls = FinancialClass.objects.create(report_type=demo_report.report_type, code=f"extra-{i}", name_en=f"Extra {i}",
                                                kind="line", parent=group, order=1000 + i)
            FinancialLine.objects.create(report=demo_report, financial_class=cls, apportionment=D("1.0"), expenditure=D("0.5"))
        with django_assert_num_queries(11):
            response = client.get(url)
        assert "Extra 24" in response.content.decode()


class TestFinancialEdit:
    def _post_data(self, client, report):
        """The form as the browser would send it back untouched."""
        response = client.get(_url("resources-financial", report))
        assert response.status_code == 200
        data = {}
        for line, form in response.context["table"].rows:
            for name in ("apportionment", "expenditure"):
                value = form[name].value()
                data[form.add_prefix(name)] = "" if value is None else value
                data[form.add_initial_prefix(name)] = data[form.add_prefix(name)]
            data[form.add_prefix("version")] = line.version
        return data

    def test_a_focal_point_saves_an_edited_row_and_it_is_audited(self, client, demo_report, alice):
        client.force_login(alice)
        data = self._post_data(client, demo_report)
        medical = _line(demo_report, "medical")
        data[f"r{medical.pk}-expenditure"] = "12.3.4"

        response = client.post(_url("resources-financial", demo_report), data)

        assert response.status_code == 400
        assert "is not a number" in response.content.decode()
        data[f"r{medical.pk}-expenditure"] = "1 120.5"
        response = client.post(_url("resources-financial", demo_report), data)
        assert response.status_code == 302
        medical.refresh_from_db()
        assert medical.expenditure == D("1120.5")
        change = ChangeRecord.objects.filter(item_id=medical.pk, item_type="financial line").latest("id")
        assert (change.field, change.old_value, change.new_value, change.actor) == ("expenditure", "117.7", "1120.5", alice)
        # Untouched rows are not rewritten.
        assert _line(demo_report, "official-travel").version == 2

    def test_an_approver_and_a_budget_admin_may_edit_too(self, client, demo_report, bob, carol):
        for person in (bob, carol):
            client.force_login(person)
            assert client.get(_url("resources-financial", demo_report)).status_code == 200

    def test_a_stale_row_shows_the_other_persons_values_and_keeps_them(self, client, demo_report, alice, bob):
        client.force_login(alice)
        data = self._post_data(client, demo_report)
        medical = _line(demo_report, "medical")
        financial_line_update(line=medical, apportionment=D("62.0"), expenditure=D("130.0"), version=medical.version, by=bob)
        data[f"r{medical.pk}-expenditure"] = "99.0"

        response = client.post(_url("resources-financial", demo_report), data)

        assert response.status_code == 409
        form = response.context["table"].form_for(medical.pk)
        assert form["expenditure"].value() == "130.0"
        assert "Someone else changed this item" in response.content.decode()
        medical.refresh_from_db()
        assert medical.expenditure == D("130.0")

    def test_a_row_someone_else_changed_is_no_conflict_when_i_did_not_touch_it(self, client, demo_report, alice, bob):
        client.force_login(alice)
        data = self._post_data(client, demo_report)
        medical, travel = _line(demo_report, "medical"), _line(demo_report, "official-travel")
        financial_line_update(line=medical, apportionment=D("62.0"), expenditure=D("130.0"), version=medical.version, by=bob)
        data[f"r{travel.pk}-expenditure"] = "35.0"

        assert client.post(_url("resources-financial", demo_report), data).status_code == 302
        medical.refresh_from_db()
        travel.refresh_from_db()
        assert (medical.expenditure, travel.expenditure) == (D("130.0"), D("35.0"))

    def test_a_locked_report_cannot_be_changed_through_the_page(self, client, demo_report, alice):
        client.force_login(alice)
        data = self._post_data(client, demo_report)
        medical = _line(demo_report, "medical")
        data[f"r{medical.pk}-expenditure"] = "1.0"
        Report.objects.filter(pk=demo_report.pk).update(status=Report.Status.SUBMITTED)

        response = client.post(_url("resources-financial", demo_report), data)

        assert response.status_code == 409
        medical.refresh_from_db()
        assert medical.expenditure == D("117.7")
        assert 'type="submit">Save' not in client.get(_url("resources-financial", demo_report)).content.decode()


class TestExplanationEdit:
    def test_the_form_opens_with_the_words_the_sign_calls_for(self, client, demo_report, alice):
        VarianceExplanation.objects.filter(line__report=demo_report).delete()
        client.force_login(alice)
        travel, medical = _line(demo_report, "official-travel"), _line(demo_report, "medical")
        response = client.get(_url("resources-explanation", demo_report, travel.pk), HTTP_ACCEPT_LANGUAGE="en")
        assert response.context["form"]["main"].value().startswith("Reduced requirements were attributable mainly to")
        assert "Official travel 287.2 90.1%" in response.content.decode()
        response = client.get(_url("resources-explanation", demo_report, medical.pk), HTTP_ACCEPT_LANGUAGE="en")
        assert response.context["form"]["main"].value().startswith("Increased requirements were attributable mainly to")

    def test_saving_an_explanation_removes_the_blocking_item(self, client, demo_report, alice):
        VarianceExplanation.objects.filter(line__report=demo_report, line__financial_class__code="medical").delete()
        client.force_login(alice)
        medical = _line(demo_report, "medical")
        url = _url("resources-explanation", demo_report, medical.pk)

        response = client.post(url, {"main": "Increased requirements were attributable mainly to ", "offset": "", "version": 0})
        assert response.status_code == 400
        assert "Write the reasons after the opening words." in response.content.decode()

        response = client.post(url, {"main": "Increased requirements were attributable mainly to test kits.", "offset": "", "version": 0})
        assert response.status_code == 302
        assert VarianceExplanation.objects.get(line=medical).updated_by == alice

    def test_a_line_of_another_report_is_404(self, client, demo_report, alice, class_lists, unmik):
        other_period = BudgetPeriod.objects.create(label="2019/20", start=datetime.date(2019, 7, 1), end=datetime.date(2020, 6, 30))
        other = Report.objects.create(mission=unmik, period=other_period, report_type=ReportType.objects.get(code="mission"))
        resources_prepare(report=other)
        client.force_login(alice)
        assert client.get(_url("resources-explanation", demo_report, _line(other, "medical").pk)).status_code == 404


class TestOtherEntryPages:
    def test_incumbency_with_an_entered_rate_needs_its_note(self, client, demo_report, alice):
        client.force_login(alice)
        response = client.get(_url("resources-incumbency", demo_report))
        row = StaffIncumbency.objects.get(report=demo_report, category__code="international-staff")
        form = response.context["table"].form_for(row.pk)
        data = {}
        for item, f in response.context["table"].rows:
            for name in f.fields:
                if name == "version":
                    data[f.add_prefix(name)] = item.version
                    continue
                value = f[name].value()
                data[f.add_prefix(name)] = data[f.add_initial_prefix(name)] = "" if value is None else value
        data[form.add_prefix("method")] = "entered"
        data[form.add_prefix("vacancy_rate_entered")] = "13.9"

        response = client.post(_url("resources-incumbency", demo_report), data)
        assert response.status_code == 400
        assert "Say where the entered rate comes from." in response.content.decode()

        data[form.add_prefix("vacancy_rate_note")] = "Umoja"
        assert client.post(_url("resources-incumbency", demo_report), data).status_code == 302
        html = client.get(_url("resources", demo_report), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "13.9" in html and "Entered directly: Umoja" in html

    def test_monthly_incumbency_page(self, client, demo_report, alice):
        client.force_login(alice)
        row = StaffIncumbency.objects.get(report=demo_report, category__code="united-nations-police")
        url = _url("resources-incumbency-months", demo_report, row.pk)
        assert client.get(url).status_code == 200
        data = {"version": row.version}
        for i in range(1, 13):
            data[f"authorized_{i}"], data[f"incumbent_{i}"] = ("10", "9") if i <= 6 else ("20", "16")
        data["incumbent_12"] = "-1"
        assert client.post(url, data).status_code == 400
        data["incumbent_12"] = "16"
        assert client.post(url, data).status_code == 302
        row.refresh_from_db()
        assert row.method == "monthly"

    @pytest.mark.parametrize("name", ["resources-redeployment", "resources-revenue", "resources-monthly", "resources-incumbency"])
    def test_each_table_page_opens_for_staff(self, client, demo_report, alice, name):
        client.force_login(alice)
        assert client.get(_url(name, demo_report)).status_code == 200

    def test_narrative_page(self, client, demo_report, alice):
        client.force_login(alice)
        assert client.get(_url("resources-narrative", demo_report, "nonsense")).status_code == 404
        url = _url("resources-narrative", demo_report, "monthly_pattern")
        response = client.get(url)
        version = response.context["form"]["version"].value()
        assert client.post(url, {"text": "Expenditure peaked in June.", "version": version}).status_code == 302
        assert "Expenditure peaked in June." in client.get(_url("resources", demo_report)).content.decode()


class TestImportPage:
    def test_a_good_file_is_imported(self, client, report, alice):
        workbook = Workbook()
        workbook.active.append(["代码", "支出数", "分配数"])
        workbook.active.append(["medical", 117.7, 62])
        buffer = io.BytesIO()
        workbook.save(buffer)
        buffer.seek(0)
        buffer.name = "unmik.xlsx"
        client.force_login(alice)

        response = client.post(_url("resources-import", report), {"file": buffer})

        assert response.status_code == 302
        line = _line(report, "medical")
        assert (line.apportionment, line.expenditure) == (D("62.0"), D("117.7"))

    def test_a_bad_file_lists_its_lines_and_changes_nothing(self, client, demo_report, alice):
        client.force_login(alice)
        upload = io.BytesIO("medical,12.3.4\nofficial-travel,1.0\n".encode())
        upload.name = "bad.csv"

        response = client.post(_url("resources-import", demo_report), {"file": upload})

        assert response.status_code == 400
        assert "line 1: “12.3.4” is not a number." in response.content.decode()
        assert _line(demo_report, "official-travel").expenditure == D("31.4")

    def test_no_file_or_a_wrong_type_is_a_field_error(self, client, report, alice):
        client.force_login(alice)
        assert client.post(_url("resources-import", report), {}).status_code == 400
        upload = io.BytesIO(b"x")
        upload.name = "figures.pdf"
        response = client.post(_url("resources-import", report), {"file": upload})
        assert response.status_code == 400
        assert "Upload a .csv or .xlsx file." in response.content.decode()

    def test_a_locked_report_refuses_the_upload(self, client, demo_report, alice):
        Report.objects.filter(pk=demo_report.pk).update(status=Report.Status.SUBMITTED)
        client.force_login(alice)
        upload = io.BytesIO(b"medical,1.0\n")
        upload.name = "a.csv"
        response = client.post(_url("resources-import", demo_report), {"file": upload})
        assert response.status_code == 409
        assert _line(demo_report, "medical").expenditure == D("117.7")
