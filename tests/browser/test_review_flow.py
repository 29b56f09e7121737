"""End to end in Chromium: headquarters reviews a submission, comments and returns it; the focal
point answers and fixes the item; the approver resubmits; the reviewer sees exactly that change,
accepts, and the report is locked for the focal point."""

import re

import pytest
from playwright.sync_api import expect

from missions.models import Membership, Report
from rbb.models import Comment, Submission
from rbb.workflow import report_submit
from tests.entry.factories import PASSWORD, fill_report, get_indicator, make_mission_report, make_user

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


def test_review_return_fix_resubmit_diff_accept(page, live_server):
    report = fill_report(make_mission_report())
    make_user("unmik.focal", role=Role.FOCAL_POINT, mission=report.mission)
    approver = make_user("unmik.approver", role=Role.APPROVER, mission=report.mission)
    make_user("hq.reviewer", role=Role.HQ_REVIEWER)
    report_submit(report=report, by=approver)  # submission 1
    indicator = get_indicator(report, "1.1.1")
    threads = f"#threads-indicator-{indicator.pk}"

    # The reviewer goes from the dashboard to the report, comments on 1.1.1 and returns the report.
    log_in(page, live_server, "hq.reviewer")
    page.get_by_role("link", name="Review dashboard").click()
    page.locator(f"#report-{report.pk}").get_by_role("link", name="UNMIK").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Review: "))).to_be_visible()
    page.evaluate("window.__noReload = true")
    page.locator(threads).get_by_role("link", name="Add a comment").click()
    page.locator(threads).get_by_label("Comment", exact=True).fill("请说明 290 项活动的来源。")
    page.locator(threads).get_by_role("button", name="Add comment").click()
    expect(page.locator(f"{threads} .thread")).to_contain_text("请说明 290 项活动的来源。")
    assert page.evaluate("window.__noReload") is True  # htmx swapped the thread in place

    page.get_by_role("link", name="Return to the mission…").click()
    expect(page.locator(".open-item-list")).to_contain_text("Indicator 1.1.1")
    expect(page.locator(".open-item-list")).to_contain_text("请说明 290 项活动的来源。")
    comment = page.get_by_label("What should the mission change?")
    page.get_by_role("button", name="Return to the mission").click()  # no comment yet: the browser refuses
    assert comment.evaluate("el => el.validity.valueMissing") is True
    comment.fill("请处理 1.1.1 的意见。")
    page.get_by_role("button", name="Return to the mission").click()
    expect(page.locator("#report-status")).to_have_text("Returned")
    log_out(page)

    # The focal point sees the comment on the entry page, replies and fixes the item.
    log_in(page, live_server, "unmik.focal")
    page.goto(f"{live_server.url}/reports/{report.pk}/entry/{indicator.accomplishment_id}/")
    card = page.locator(f"#indicator-{indicator.pk}")
    expect(card.locator(".thread")).to_contain_text("请说明 290 项活动的来源。")
    card.get_by_label("Your reply").fill("已在叙述中补充来源。")
    card.get_by_role("button", name="Reply").click()
    expect(page.locator(f"{threads} .reply")).to_contain_text("已在叙述中补充来源。")
    card.get_by_label("What was achieved (Chinese)").fill("记录了 290 项活动，来源：市政记录。")
    card.get_by_role("button", name="Save").click()
    card = page.locator(f"#indicator-{indicator.pk}")
    expect(card.get_by_role("status")).to_have_text("Saved.")
    expect(card.locator(".thread")).to_contain_text("已在叙述中补充来源。")  # loaded again with the item
    log_out(page)

    # The approver submits again.
    log_in(page, live_server, "unmik.approver")
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    page.get_by_label("I certify that this report is complete and correct.").check()
    page.get_by_role("button", name="Submit to headquarters").click()
    expect(page.locator("#report-status")).to_have_text("Submitted")
    log_out(page)

    # The reviewer sees exactly that change, resolves the comment and accepts.
    log_in(page, live_server, "hq.reviewer")
    page.goto(f"{live_server.url}/reports/{report.pk}/review/")
    page.get_by_role("link", name="1 item changed since submission 1").click()
    changes = page.locator(".change-item")
    expect(changes).to_have_count(1)
    expect(changes.get_by_role("heading")).to_contain_text("Indicator 1.1.1")
    expect(changes.locator("del")).to_have_text("实现")
    expect(changes.locator("ins")).to_have_text("记录了 290 项活动，来源：市政记录")

    page.get_by_role("link", name="Back to the review").click()
    page.locator(threads).get_by_role("button", name="Resolve").click()
    expect(page.locator(f"{threads} .resolved-note")).to_contain_text("Resolved by hq.reviewer")
    page.get_by_role("link", name="Accept…").click()
    expect(page.get_by_text("The report is locked: the mission can no longer change it.")).to_be_visible()
    page.get_by_role("button", name="Accept the report").click()
    expect(page.locator("#report-status")).to_have_text("Accepted")
    expect(page.locator(".messages")).to_contain_text("The report was accepted.")
    log_out(page)

    # The report is locked for the focal point.
    log_in(page, live_server, "unmik.focal")
    page.goto(f"{live_server.url}/reports/{report.pk}/entry/{indicator.accomplishment_id}/")
    expect(page.get_by_text("The report is submitted or accepted; its data cannot be changed.")).to_be_visible()
    card = page.locator(f"#indicator-{indicator.pk}")
    expect(card.get_by_role("button", name="Save")).to_have_count(0)
    expect(card.locator(".thread")).to_contain_text("请说明 290 项活动的来源。")
    expect(card.get_by_label("Your reply")).to_have_count(0)

    assert Report.objects.get(pk=report.pk).status == Report.Status.ACCEPTED
    assert list(Submission.objects.filter(report=report).values_list("number", flat=True)) == [1, 2]
    assert Comment.objects.filter(parent__isnull=True, resolved_at__isnull=False).count() == 1
