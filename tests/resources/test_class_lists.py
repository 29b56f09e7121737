"""Class lists per report type and period (issue 16 §3) and variance selection with them (§5)."""

import datetime
import json
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from missions import class_lists as lists
from missions.models import BudgetPeriod, FinancialClass, FinancialLine, Report, ReportType, StaffCategory
from missions.resource_selectors import financial_table_for_report
from missions.services import expenditure_import, financial_line_update, resources_prepare

pytestmark = pytest.mark.django_db


@pytest.fixture
def next_period(db):
    return BudgetPeriod.objects.create(label="2021/22", start=datetime.date(2021, 7, 1), end=datetime.date(2022, 6, 30))


@pytest.fixture
def support(class_lists):
    return ReportType.objects.get(code="support-account")


def _codes(report_type, period):
    return [c.code for c in lists.class_list_financial(report_type=report_type, period=period)]


def test_a_new_period_starts_as_a_copy_and_then_differs(support, period, next_period):
    assert _codes(support, next_period) == _codes(support, period)  # both read the base list
    copied = lists.class_list_copy(report_type=support, from_period=period, to_period=next_period)
    assert copied == FinancialClass.objects.filter(report_type=support, period__isnull=True).count()
    # A readiness line in one year, a rename in another: the base list and 2020/21 are untouched.
    lists.class_add(kind="financial", report_type=support, period=next_period, code="readiness", name_en="Readiness",
                    name_zh="准备", parent_code="non-post-resources")
    lists.class_update(kind="financial", report_type=support, period=next_period, code="consultants",
                       name_en="Consultants and consulting services", name_zh="咨询人和咨询事务")
    assert "readiness" in _codes(support, next_period) and "readiness" not in _codes(support, period)
    consultants = FinancialClass.objects.get(report_type=support, period=next_period, code="consultants")
    assert consultants.name_zh == "咨询人和咨询事务" and "咨询人和咨询服务" in consultants.alias_list
    assert FinancialClass.objects.get(report_type=support, period__isnull=True, code="consultants").name_zh == "咨询人和咨询服务"
    with pytest.raises(Exception, match="already has its own class list"):
        lists.class_list_copy(report_type=support, from_period=period, to_period=next_period)


def test_a_copy_keeps_the_periods_report_figures(support_account_report, support):
    report = support_account_report
    resources_prepare(report=report)
    line = FinancialLine.objects.get(report=report, financial_class__code="official-travel")
    financial_line_update(line=line, version=line.version, by=None, apportionment=D("100.0"), expenditure=D("80.0"))
    lists.class_list_copy(report_type=support, from_period=None, to_period=report.period)
    line = FinancialLine.objects.select_related("financial_class").get(report=report, financial_class__code="official-travel")
    assert line.financial_class.period_id == report.period_id and line.expenditure == D("80.0")
    table = financial_table_for_report(report=Report.objects.get(pk=report.pk))
    assert table.row("official-travel").variance == D("20.0")


def test_import_expenditure_accepts_the_periods_names_and_aliases(support_account_report, support):
    report = support_account_report
    lists.class_list_copy(report_type=support, from_period=None, to_period=report.period)
    lists.class_update(kind="financial", report_type=support, period=report.period, code="medical",
                       name_en="Medical", name_zh="医务", aliases="Health services")
    csv = "class,expenditure,apportionment\n医务,10.0,12.0\n医疗,,\n".encode()
    with pytest.raises(Exception):  # 医疗 names the class too: a class twice is refused
        expenditure_import(report=report, filename="x.csv", content=csv, by=None)
    csv = "class,expenditure,apportionment\nHealth services,10.0,12.0\n咨询人和咨询服务,5.0,5.0\n".encode()
    result = expenditure_import(report=report, filename="x.csv", content=csv, by=None)
    assert result.rows == 2
    assert FinancialLine.objects.get(report=report, financial_class__code="medical").expenditure == D("10.0")


def test_export_and_import_class_list_commands(tmp_path, support, period, next_period, capsys):
    call_command("export_class_list", "support-account", "2020/21")
    document = json.loads(capsys.readouterr().out)
    assert document["format"] == "rbb-class-list" and document["period"] == "2020/21"
    document["period"] = "2021/22"
    document["financial_classes"].insert(1, {"code": "erp-maintenance", "kind": "line", "name_en": "Enterprise system maintenance",
                                              "name_zh": "企业系统维护", "parent": None, "aliases": []})
    medical = next(c for c in document["financial_classes"] if c["code"] == "medical")
    medical.update(name_zh="医务", aliases=["医疗"])
    path = tmp_path / "list.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    call_command("import_class_list", str(path))
    assert _codes(support, next_period)[1] == "erp-maintenance"
    assert FinancialClass.objects.get(report_type=support, period=next_period, code="medical").alias_list == ["医疗"]
    assert "erp-maintenance" not in _codes(support, period)

    document["financial_classes"][2]["parent"] = "nowhere"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match=r"\$\.financial_classes\[2\]\.parent"):
        call_command("import_class_list", str(path))
    assert _codes(support, next_period)[1] == "erp-maintenance"  # nothing changed


def test_the_summary_lists_institutional_lines_and_a_cumulative_total(support_account_report, support):
    report = support_account_report
    lists.class_list_copy(report_type=support, from_period=None, to_period=report.period)
    lists.class_add(kind="financial", report_type=support, period=report.period, code="categories-1-2", row_kind="cumulative",
                    name_en="Total, categories I and II", name_zh="第一类和第二类共计")
    # Put the cumulative total right after the non-post group's subtotal.
    rows = [c.code for c in lists.class_list_financial(report_type=support, period=report.period)]
    for _step in range(len(rows) - rows.index("non-post-resources-subtotal") - 1):
        lists.class_move(kind="financial", report_type=support, period=report.period, code="categories-1-2", up=True)
    resources_prepare(report=report)
    for code, amount in (("post-resources", "100.0"), ("official-travel", "10.0"), ("enterprise-resource-planning", "7.0")):
        line = FinancialLine.objects.get(report=report, financial_class__code=code)
        financial_line_update(line=line, version=line.version, by=None, apportionment=D(amount), expenditure=D(amount))
    table = financial_table_for_report(report=Report.objects.get(pk=report.pk))
    assert table.row("categories-1-2").apportionment == D("110.0")
    summary = [r.cls.code for r in table.summary]
    assert "institutional-costs" not in summary
    assert summary[:6] == ["post-resources", "non-post-resources", "categories-1-2", "enterprise-resource-planning",
                           "global-service-delivery-model", "information-systems-security"]


def test_the_class_list_page_is_for_the_budget_administrator(client, carol, alice, support, period):
    client.force_login(alice)
    assert client.get("/class-lists/").status_code == 403
    client.force_login(carol)
    page = client.get("/class-lists/?type=support-account&period=2020/21")
    assert page.status_code == 200 and "official-travel" in page.content.decode()
    response = client.post("/class-lists/", {
        "type": "support-account", "period": "2020/21", "action": "add", "list": "financial", "code": "readiness",
        "name_en": "Readiness", "name_zh": "准备", "kind": "line", "parent": "non-post-resources", "in_totals": "on",
    })
    assert response.status_code == 302
    assert FinancialClass.objects.filter(report_type=support, period=period, code="readiness").exists()
    refused = client.post("/class-lists/", {"type": "support-account", "period": "2020/21", "action": "retire",
                                            "list": "financial", "code": "non-post-resources"})
    assert refused.status_code == 400


# --- §5 variance selection with the period's list -----------------------------------------------


def test_variance_selection_with_the_periods_list(support_account_report, support):
    """±4 % or ±US$50 000: 0.2 % but over $50 000 is selected; 0.1 % and under $50 000 is not; a memo line never."""
    report = support_account_report
    lists.class_list_copy(report_type=support, from_period=None, to_period=report.period)
    resources_prepare(report=report)
    figures = {
        "post-resources": ("40000.0", "39920.0"),  # 0.2 %, US$80 000 → selected
        "official-travel": ("30000.0", "29970.0"),  # 0.1 %, US$30 000 → not selected
        "after-service-health-insurance": ("100.0", "50.0"),  # memo line: 50 %, never on its own
    }
    for code, (apportionment, expenditure) in figures.items():
        line = FinancialLine.objects.get(report=report, financial_class__code=code)
        financial_line_update(line=line, version=line.version, by=None, apportionment=D(apportionment), expenditure=D(expenditure))
    table = financial_table_for_report(report=Report.objects.get(pk=report.pk))
    assert table.row("post-resources").percent == D("0.2")
    assert table.row("official-travel").percent == D("0.1")
    assert [row.cls.code for row in table.analysed] == ["post-resources"]
    assert table.row("after-service-health-insurance").cls.period_id == report.period_id


def test_the_exported_list_follows_the_documented_schema(support, period):
    from pathlib import Path

    from jsonschema import Draft202012Validator

    root = Path(__file__).resolve().parents[2]
    documented = (root / "docs" / "class-list.schema.json").read_text(encoding="utf-8")
    assert documented == (root / "missions" / "data" / "class-list.schema.json").read_text(encoding="utf-8")
    document = lists.class_list_export(report_type=support, period=period)
    assert list(Draft202012Validator(json.loads(documented)).iter_errors(document)) == []
    document["financial_classes"][0]["kind"] = "bogus"
    with pytest.raises(lists.ClassListInvalid) as error:
        lists.class_list_import(data=document)
    assert error.value.errors[0].startswith("$.financial_classes[0].kind")
