"""End to end in Chromium: the focal point downloads the workbook, changes it offline, uploads it,
sees the preview, resolves a conflict with a change made meanwhile, and confirms."""

import pytest
from playwright.sync_api import expect

from indicators.interchange import framework_import
from indicators.models import Indicator
from indicators.services import indicator_actual_record
from missions.models import ChangeRecord, Membership
from rbb.demo_data import demo_document
from tests.entry.factories import PASSWORD, make_user
from tests.workbook.conftest import find_row, open_book, save_book

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_focal_point_round_trips_a_workbook_and_resolves_a_conflict(page, live_server, tmp_path):
    report = framework_import(data=demo_document(name="unmik-2020-21.json"))
    make_user("unmik.focal", role=Membership.Role.FOCAL_POINT, mission=report.mission)
    approver = make_user("unmik.approver", role=Membership.Role.APPROVER, mission=report.mission)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("unmik.focal")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    page.get_by_role("link", name="Work offline in Excel").click()
    expect(page.get_by_role("heading", name="Work offline in Excel")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the workbook").click()
    path = tmp_path / "unmik.xlsx"
    download.value.save_as(path)

    # Offline: two actuals changed. Meanwhile the approver saves 1.1.1 in the product.
    book = open_book(path.read_bytes())
    sheet = book["1"]
    sheet.cell(find_row(sheet, "Indicator", "1.1.1"), 6).value = 900
    sheet.cell(find_row(sheet, "Indicator", "1.1.3"), 6).value = "30%"
    path.write_bytes(save_book(book))
    indicator = Indicator.objects.get(accomplishment__unit__report=report, number="1.1.1")
    indicator_actual_record(indicator=indicator, actual="870", actual_narrative=indicator.actual_narrative,
                            variance_explanation=indicator.variance_explanation, version=indicator.version, by=approver)

    page.get_by_label("Filled workbook (XLSX)").set_input_files(str(path))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", name="Workbook preview")).to_be_visible()
    changes = page.locator("table.workbook-changes")
    expect(changes).to_contain_text("1.1.3")
    conflict = changes.locator("tr.conflict")
    expect(conflict).to_contain_text("870")
    expect(conflict).to_contain_text("900")
    assert not ChangeRecord.objects.filter(source="workbook").exists()

    # Confirming without a choice for the conflict is refused; then keep mine.
    page.get_by_role("button", name="Confirm and save").click()
    expect(page.get_by_role("alert")).to_contain_text("keep mine")
    page.get_by_label("Keep mine (the workbook)").check()
    page.get_by_role("button", name="Confirm and save").click()
    expect(page.get_by_text("The workbook was applied: 2 items changed.")).to_be_visible()
    indicator.refresh_from_db()
    assert indicator.actual == "900"
    assert Indicator.objects.get(accomplishment__unit__report=report, number="1.1.3").actual == "30%"
    assert ChangeRecord.objects.filter(source="workbook").count() == 2
