"""Download → edit in a spreadsheet → upload → preview → confirm, on the real UNMIK 2020/21 report."""

import io
import json

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from indicators.models import Indicator, Output
from missions.models import ChangeRecord, Report
from rbb.exceptions import ReportLocked
from rbb.workbook.build import workbook_build
from rbb.workbook.models import WorkbookUpload
from rbb.workbook.services import ChoiceRequired, workbook_confirm, workbook_preview

from .conftest import find_row, open_book, save_book

pytestmark = pytest.mark.django_db


def download(report, user, lang="en") -> bytes:
    return workbook_build(report=report, lang=lang, user=user, include_resources=True)


def exported(report) -> dict:
    out = io.StringIO()
    call_command("export_framework", report.mission.code, report.period.label, stdout=out)
    return json.loads(out.getvalue())


def find(document: dict, kind: str, number: str, ea: str | None = None) -> dict:
    for unit in document["units"]:
        for accomplishment in unit["expected_accomplishments"]:
            if ea is not None and accomplishment["number"] != ea:
                continue
            for item in accomplishment[kind]:
                if item["number"] == number:
                    return item
    raise AssertionError(number)


def test_an_unchanged_workbook_changes_nothing(unmik, focal):
    before = exported(unmik)
    upload = workbook_preview(report=unmik, content=download(unmik, focal), by=focal)
    assert upload.changes == []
    assert workbook_confirm(upload=upload, by=focal) == 0
    assert not ChangeRecord.objects.exists()
    assert exported(unmik) == before


def test_an_unchanged_workbook_in_chinese_changes_nothing(unmik, focal):
    upload = workbook_preview(report=unmik, content=download(unmik, focal, "zh-hans"), by=focal)
    assert upload.changes == []


def test_three_actuals_and_a_remark_are_previewed_and_applied_via_workbook(unmik, focal):
    book = open_book(download(unmik, focal))
    sheet = book["1"]
    sheet.cell(find_row(sheet, "Indicator", "1.1.1"), 6).value = 900           # a number
    sheet.cell(find_row(sheet, "Indicator", "1.1.3"), 6).value = "30%"          # a percentage as typed
    sheet.cell(find_row(sheet, "Indicator", "1.2.1"), 6).value = "１,２３４"     # full-width with a comma
    sheet.cell(find_row(sheet, "Output", "1", "1.1"), 8).value = "Daily meetings held in all 38 municipalities."
    # Retyping a figure as it already is (8 6 0 → 860) is not a change.
    upload = workbook_preview(report=unmik, content=save_book(book), filename="unmik.xlsx", by=focal)

    listed = {(c["label"], f["name"], f["new"]) for c in upload.changes for f in c["fields"]}
    assert listed == {
        ("1.1.1", "actual", "900"), ("1.1.3", "actual", "30%"), ("1.2.1", "actual", "1 234"),
        ("1.1 / 1", "remarks_en", "Daily meetings held in all 38 municipalities."),
    }
    assert [f["cell"] for c in upload.changes for f in c["fields"] if c["label"] == "1.1.1"] == [
        f"F{find_row(sheet, 'Indicator', '1.1.1')}"
    ]
    assert not ChangeRecord.objects.exists()  # the preview writes nothing

    assert workbook_confirm(upload=upload, by=focal) == 4
    document = exported(unmik)
    assert find(document, "indicators", "1.1.1")["actual"] == "900"
    assert find(document, "indicators", "1.1.3")["actual"] == "30%"
    assert find(document, "indicators", "1.2.1")["actual"] == "1 234"
    assert Output.objects.get(accomplishment__unit__report=unmik, accomplishment__number="1.1", number="1").remarks_en == (
        "Daily meetings held in all 38 municipalities."
    )
    records = ChangeRecord.objects.all()
    assert records.count() == 4
    assert {r.source for r in records} == {"workbook"} and {r.actor for r in records} == {focal}
    upload.refresh_from_db()
    assert upload.status == WorkbookUpload.Status.APPLIED


def test_an_api_change_after_the_download_is_a_conflict_and_not_overwritten(unmik, focal, approver):
    content = download(unmik, focal)
    indicator = Indicator.objects.get(accomplishment__unit__report=unmik, number="1.1.1")
    api = APIClient()
    api.force_authenticate(approver)
    response = api.patch(f"/api/v1/indicators/{indicator.pk}/actual/", {"version": indicator.version, "actual": "870"}, format="json")
    assert response.status_code == 200, response.content

    book = open_book(content)
    sheet = book["1"]
    sheet.cell(find_row(sheet, "Indicator", "1.1.1"), 6).value = 900
    sheet.cell(find_row(sheet, "Indicator", "1.1.3"), 6).value = "30%"
    upload = workbook_preview(report=unmik, content=save_book(book), by=focal)
    conflict = next(c for c in upload.changes if c["label"] == "1.1.1")
    assert conflict["conflict"] and conflict["fields"][0]["old"] == "870" and conflict["fields"][0]["new"] == "900"
    assert not next(c for c in upload.changes if c["label"] == "1.1.3")["conflict"]

    with pytest.raises(ChoiceRequired):
        workbook_confirm(upload=upload, by=focal)
    assert workbook_confirm(upload=upload, choices={conflict["key"]: "theirs"}, by=focal) == 1
    indicator.refresh_from_db()
    assert indicator.actual == "870"  # theirs kept, not overwritten
    assert Indicator.objects.get(pk=Indicator.objects.get(accomplishment__unit__report=unmik, number="1.1.3").pk).actual == "30%"


def test_keep_mine_applies_the_workbook_value_over_the_newer_one(unmik, focal, approver):
    content = download(unmik, focal)
    indicator = Indicator.objects.get(accomplishment__unit__report=unmik, number="1.1.1")
    from indicators.services import indicator_actual_record

    indicator_actual_record(indicator=indicator, actual="870", actual_narrative=indicator.actual_narrative,
                            variance_explanation=indicator.variance_explanation, version=indicator.version, by=approver)
    book = open_book(content)
    book["1"].cell(find_row(book["1"], "Indicator", "1.1.1"), 6).value = 900
    upload = workbook_preview(report=unmik, content=save_book(book), by=focal)
    assert workbook_confirm(upload=upload, choices={f"indicator:{indicator.pk}": "mine"}, by=focal) == 1
    indicator.refresh_from_db()
    assert indicator.actual == "900"


def test_an_unrelated_change_after_the_download_is_no_conflict_and_kept(unmik, focal, approver):
    content = download(unmik, focal)
    from indicators.services import indicator_actual_record

    other = Indicator.objects.get(accomplishment__unit__report=unmik, number="1.1.1")
    indicator_actual_record(indicator=other, actual="870", actual_narrative=other.actual_narrative,
                            variance_explanation=other.variance_explanation, version=other.version, by=approver)
    book = open_book(content)
    book["1"].cell(find_row(book["1"], "Indicator", "1.1.3"), 6).value = "30%"
    upload = workbook_preview(report=unmik, content=save_book(book), by=focal)
    # 1.1.1 still shows 860 in the workbook, but the person did not touch it: it is not a change.
    assert [c["label"] for c in upload.changes] == ["1.1.3"]
    workbook_confirm(upload=upload, by=focal)
    other.refresh_from_db()
    assert other.actual == "870"


def test_an_accepted_report_refuses_with_the_reason(unmik, focal):
    content = download(unmik, focal)
    Report.objects.filter(pk=unmik.pk).update(status=Report.Status.ACCEPTED)
    unmik.refresh_from_db()
    with pytest.raises(ReportLocked) as refused:
        workbook_preview(report=unmik, content=content, by=focal)
    assert "accepted" in str(refused.value.message)
    assert not WorkbookUpload.objects.exists()


def test_a_report_accepted_between_preview_and_confirm_refuses_and_writes_nothing(unmik, focal):
    book = open_book(download(unmik, focal))
    book["1"].cell(find_row(book["1"], "Indicator", "1.1.1"), 6).value = 900
    upload = workbook_preview(report=unmik, content=save_book(book), by=focal)
    Report.objects.filter(pk=unmik.pk).update(status=Report.Status.ACCEPTED)
    with pytest.raises(ReportLocked):
        workbook_confirm(upload=upload, by=focal)
    assert not ChangeRecord.objects.exists()


def test_resources_round_trip_through_the_resource_services(unmik, focal):
    book = open_book(download(unmik, focal))
    sheet = book["Financial resources"]
    row = next(r for r in range(4, sheet.max_row + 1) if sheet.cell(r, 3).value is not None)
    code = sheet.cell(row, 1).value
    sheet.cell(row, 4).value = "1,234.5"
    upload = workbook_preview(report=unmik, content=save_book(book), by=focal)
    assert [(c["type"], f["name"], f["new"]) for c in upload.changes for f in c["fields"]] == [
        ("financial_line", "expenditure", "1234.5")
    ]
    workbook_confirm(upload=upload, by=focal)
    from missions.models import FinancialLine

    assert str(FinancialLine.objects.get(report=unmik, financial_class__code=code).expenditure) == "1234.5"
    assert ChangeRecord.objects.get().source == "workbook"


def test_several_changes_apply_all_or_nothing(unmik, focal, approver):
    book = open_book(download(unmik, focal))
    sheet = book["1"]
    sheet.cell(find_row(sheet, "Indicator", "1.1.1"), 6).value = 900
    sheet.cell(find_row(sheet, "Indicator", "1.1.3"), 6).value = "30%"
    upload = workbook_preview(report=unmik, content=save_book(book), by=focal)
    # Someone saves 1.1.3 after the preview: the whole confirmation is refused.
    from indicators.services import indicator_actual_record
    from rbb.workbook.services import WorkbookStale

    late = Indicator.objects.get(accomplishment__unit__report=unmik, number="1.1.3")
    indicator_actual_record(indicator=late, actual="31%", actual_narrative=late.actual_narrative,
                            variance_explanation=late.variance_explanation, version=late.version, by=approver)
    with pytest.raises(WorkbookStale):
        workbook_confirm(upload=upload, by=focal)
    assert Indicator.objects.get(accomplishment__unit__report=unmik, number="1.1.1").actual == "860"
