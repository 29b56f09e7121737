"""In Chromium: the entry page fetches every item's comment threads with one request, puts each in
its item, and a reply still swaps just that thread in place."""

import pytest
from playwright.sync_api import expect

from missions.models import Membership
from rbb.review.services import comment_add
from tests.entry.factories import PASSWORD, get_indicator, get_output, make_mission_report, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Role = Membership.Role


def test_one_request_fills_every_items_threads(page, live_server):
    report = make_mission_report()
    make_user("unmik.focal", role=Role.FOCAL_POINT, mission=report.mission)
    reviewer = make_user("hq.reviewer", role=Role.HQ_REVIEWER)
    first, second = get_indicator(report, "1.1.1"), get_output(report, "1.1", "2")
    comment_add(report=report, item=first, body="请说明 290 项活动的来源。", by=reviewer)
    comment_add(report=report, item=second, body="会议次数是多少？", by=reviewer)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("unmik.focal")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Performance reports")).to_be_visible()

    requested = []
    page.on("request", lambda request: requested.append(request.url) if "/review/" in request.url else None)
    page.goto(f"{live_server.url}/reports/{report.pk}/entry/{first.accomplishment_id}/")
    expect(page.locator(f"#indicator-{first.pk} .thread")).to_contain_text("请说明 290 项活动的来源。")
    expect(page.locator(f"#output-{second.pk} .thread")).to_contain_text("会议次数是多少？")
    expect(page.locator(".threads-loader")).to_have_count(0)  # swapped away with the answer
    expect(page.locator("#entry-alert")).to_be_hidden()
    assert requested == [f"{live_server.url}/reports/{report.pk}/review/accomplishments/{first.accomplishment_id}/threads/"]

    page.evaluate("window.__noReload = true")
    card = page.locator(f"#output-{second.pk}")
    card.get_by_label("Your reply").fill("每日一次。")
    card.get_by_role("button", name="Reply").click()
    expect(page.locator(f"#threads-output-{second.pk} .reply")).to_contain_text("每日一次。")
    expect(page.locator(f"#indicator-{first.pk} .thread")).to_contain_text("请说明 290 项活动的来源。")
    assert page.evaluate("window.__noReload") is True  # htmx swapped the one thread in place
