"""End to end in Chromium: headquarters imports requests from the pasted text of A/RES/76/274 and
assigns two to UNMIK; the focal point answers them; headquarters sees them on the ledger page."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from missions.models import Membership
from rbb.ledger.models import Assignment
from tests.entry.factories import PASSWORD, make_mission_report, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Role = Membership.Role

RESOLUTION = (Path(__file__).resolve().parents[2] / "rbb" / "demo" / "a-res-76-274-cross-cutting.zh.txt").read_text(encoding="utf-8")
# The resolution up to its paragraph 13: paragraphs 1, 5, 8 and 12 ask the Secretary-General.
PASTED = RESOLUTION[: RESOLUTION.index(" 13. ")]


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Performance reports")).to_be_visible()


def test_import_assign_answer_and_see_on_the_ledger(page, live_server):
    report = make_mission_report("UNMIK")
    make_mission_report("UNMISS")
    make_user("unmik.focal", role=Role.FOCAL_POINT, mission=report.mission)
    make_user("hq.reviewer", role=Role.HQ_REVIEWER)

    # Headquarters pastes the text, sees the four paragraphs asking the Secretary-General, keeps 8 and 12 for UNMIK.
    log_in(page, live_server, "hq.reviewer")
    page.get_by_role("link", name="Follow-up ledger").click()
    page.get_by_role("link", name="Import requests").click()
    page.get_by_label("Document symbol").fill("A/RES/76/274")
    page.get_by_label("Body").select_option("GA")
    page.get_by_label("Text of the operative paragraphs").fill(PASTED)
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#found-count")).to_have_text("4 numbered paragraphs found.")
    expect(page.locator('#preview input[name="paragraph_3"]')).to_have_value("第 12 段")
    page.locator("#keep-0").uncheck()
    page.locator("#keep-1").uncheck()
    page.get_by_label("UNMIK 2020/21").check()
    page.get_by_label("Due date").fill("2020-12-31")
    page.get_by_role("button", name="Confirm and save").click()
    expect(page.get_by_role("heading", name="Follow-up ledger")).to_be_visible()
    expect(page.locator("#ledger-total")).to_have_text("2")
    assert sorted(Assignment.objects.filter(report=report).values_list("request__paragraph", flat=True)) == ["第 12 段", "第 8 段"]
    page.get_by_role("button", name="Log out").click()

    # The focal point answers both from the report's follow-up requests.
    log_in(page, live_server, "unmik.focal")
    page.goto(f"{live_server.url}/reports/{report.pk}/requests/")
    page.get_by_role("link", name="第 8 段").click()
    page.get_by_label("Action taken", exact=True).fill("特派团继续与保护平民相关构成部分接触。")
    page.get_by_label("Status").select_option("implemented")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Saved.")
    page.goto(f"{live_server.url}/reports/{report.pk}/requests/")
    page.get_by_role("link", name="第 12 段").click()
    page.get_by_label("Action taken", exact=True).fill("将在下次报告中提供 COVID-19 影响的资料。")
    page.get_by_label("Status").select_option("in_progress")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Saved.")
    page.get_by_role("button", name="Log out").click()

    # Headquarters sees them: the open one (overdue) by default, the implemented one under its status.
    log_in(page, live_server, "hq.reviewer")
    page.get_by_role("link", name="Follow-up ledger").click()
    row = page.locator("#ledger tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("第 12 段")
    expect(row).to_contain_text("In progress")
    expect(row).to_contain_text("overdue")
    page.get_by_label("Status").select_option("implemented")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#ledger tbody tr")).to_contain_text("第 8 段")
    expect(page.locator("#ledger tbody tr")).to_contain_text("Implemented")
