"""End to end in Chromium, a programme plan (DPPA 2024): the focal point enters an explanation of a
2022 actual below plan, the approver submits, headquarters returns it, the approver resubmits,
headquarters accepts, and the plan is locked for the focal point."""

import pytest
from playwright.sync_api import expect

from missions.models import Membership, Report
from rbb.programme.interchange import programme_import
from rbb.programme.models import Deliverable
from rbb.programme.services import deliverable_actual_record
from tests.entry.factories import PASSWORD, make_user
from tests.programme.conftest import DPPA_FILE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Role = Membership.Role


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Performance reports")).to_be_visible()


def log_out(page):
    page.get_by_role("button", name="Log out").click()


def test_programme_plan_entry_submit_return_accept(page, live_server):
    import json

    report = programme_import(data=json.loads(DPPA_FILE.read_text(encoding="utf-8")))
    focal = make_user("dppa.focal", role=Role.FOCAL_POINT, mission=report.mission)
    make_user("dppa.approver", role=Role.APPROVER, mission=report.mission)
    make_user("hq.reviewer", role=Role.HQ_REVIEWER)
    items = {d.number: d for d in Deliverable.objects.filter(subcategory__subprogramme__report=report).select_related("subcategory__subprogramme")}
    # Five of the six items below plan are explained already; the browser explains item 9.
    for number in (10, 11, 13, 14, 15):
        d = items[number]
        deliverable_actual_record(deliverable=d, prior_actual=d.prior_actual, planned=d.planned, explanation="因 COVID-19 减少。",
                                  explanation_en="", version=d.version, by=focal)
    home = f"{live_server.url}/reports/{report.pk}/"
    item = f"#deliverable-{items[9].pk}"

    log_in(page, live_server, "dppa.focal")
    page.goto(home)
    expect(page.locator(".attention")).to_contain_text("4 · 9")
    page.get_by_role("link", name="Programme plan").first.click()
    page.get_by_role("link", name="4. 非殖民化").click()
    expect(page.locator(item)).to_contain_text("The actual is below the plan: explain why.")
    page.evaluate("window.__noReload = true")
    page.locator(item).get_by_label("Explanation (Chinese)").fill("特别委员会 2022 年举行的会议减少。")
    page.locator(item).get_by_label("Explanation (English)").fill("The Special Committee met less often in 2022.")
    page.locator(item).get_by_role("button", name="Save").click()
    expect(page.locator(item)).to_contain_text("Saved.")
    assert page.evaluate("window.__noReload") is True  # htmx swapped the item in place
    log_out(page)

    log_in(page, live_server, "dppa.approver")
    page.goto(home)
    page.get_by_label("I certify that this report is complete and correct.").check()
    page.get_by_role("button", name="Submit to headquarters").click()
    expect(page.locator("#report-status")).to_have_text("Submitted")
    log_out(page)

    log_in(page, live_server, "hq.reviewer")
    page.goto(home)
    page.get_by_label("What should the mission change?").fill("请补充第 9 项的英文说明。")
    page.get_by_role("button", name="Return to the mission").click()
    expect(page.locator("#report-status")).to_have_text("Returned")
    log_out(page)

    log_in(page, live_server, "dppa.approver")
    page.goto(home)
    page.get_by_label("I certify that this report is complete and correct.").check()
    page.get_by_role("button", name="Submit to headquarters").click()
    expect(page.locator("#report-status")).to_have_text("Submitted")
    log_out(page)

    log_in(page, live_server, "hq.reviewer")
    page.goto(home)
    page.get_by_role("button", name="Accept").click()
    expect(page.locator("#report-status")).to_have_text("Accepted")
    log_out(page)

    log_in(page, live_server, "dppa.focal")
    page.goto(f"{live_server.url}/reports/{report.pk}/programme/4/")
    expect(page.locator(".notice").first).to_contain_text("The report is submitted or accepted")
    expect(page.locator(item).get_by_role("button", name="Save")).to_have_count(0)
    assert Report.objects.get(pk=report.pk).status == Report.Status.ACCEPTED
    assert Deliverable.objects.get(pk=items[9].pk).explanation_en == "The Special Committee met less often in 2022."
