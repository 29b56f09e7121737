"""End to end in Chromium: a focal point fills an indicator and an output inline (htmx), is told
an explanation is required, gives it, and the approver submits the report."""

import pytest
from playwright.sync_api import expect

from indicators.models import Indicator, Output
from missions.models import ChangeRecord, Membership, Report
from tests.entry.factories import PASSWORD, fill_report, get_indicator, get_output, make_mission_report, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Performance reports")).to_be_visible()


def test_focal_point_fills_items_inline_and_the_approver_submits(page, live_server):
    report = fill_report(make_mission_report())
    focal = make_user("unmik.focal", role=Membership.Role.FOCAL_POINT, mission=report.mission)
    make_user("unmik.approver", role=Membership.Role.APPROVER, mission=report.mission)
    indicator, output = get_indicator(report, "1.1.1"), get_output(report, "1.1", "1")
    # The two items the focal point still has to fill.
    Indicator.objects.filter(pk=indicator.pk).update(actual="", actual_value=None, actual_narrative="", variance_explanation="")
    Output.objects.filter(pk=output.pk).update(completed_kind="blank", completed="", completed_value=None, remarks="")

    log_in(page, live_server, "unmik.focal")
    page.goto(f"{live_server.url}/reports/{report.pk}/entry/{indicator.accomplishment_id}/")
    page.evaluate("window.__noReload = true")  # survives only if no full page load happens

    card = page.locator(f"#indicator-{indicator.pk}")
    card.get_by_label("Actual value").fill("860")
    # The rule is explained live, before saving.
    expect(card.locator(".why")).to_contain_text("beats the target by more than 20.0%")
    card.get_by_label("What was achieved (Chinese)").fill("科索沃特派团记录了 860 项决定和活动")
    card.get_by_role("button", name="Save").click()
    card = page.locator(f"#indicator-{indicator.pk}")
    expect(card.get_by_role("status")).to_have_text("Saved.")
    expect(card.locator(".why .need")).to_have_text("Write why in the variance explanation.")
    assert page.evaluate("window.__noReload") is True

    card.get_by_label("Variance explanation (Chinese)").fill("决定的数量高于计划，原因是各市开展了广泛的活动")
    card.get_by_label("Variance explanation (Chinese)").press("Control+Enter")  # keyboard save
    expect(card.locator(".why .explained")).to_have_text("Explained.")

    out = page.locator(f"#output-{output.pk}")
    out.get_by_label("Number", exact=True).check()
    out.get_by_label("Number completed").fill("１５０")
    out.get_by_role("button", name="Save").click()
    out = page.locator(f"#output-{output.pk}")
    expect(out.get_by_role("status")).to_have_text("Saved.")
    expect(out.locator(".why .flag")).to_contain_text("differs from the planned 220 by more than 20.0%")
    expect(out.get_by_label("Number completed")).to_have_value("150")
    out.get_by_label("Remarks (Chinese)").fill("低于计划，原因是 COVID-19 限制")
    out.get_by_role("button", name="Save").click()
    expect(page.locator(f"#output-{output.pk} .why .explained")).to_have_text("Explained.")

    # A bad number gets a field message and the narrative typed stays.
    card = page.locator(f"#indicator-{indicator.pk}")
    card.get_by_label("Actual value").fill("12.3.4")
    card.get_by_label("What was achieved (Chinese)").fill("新的叙述")
    card.get_by_role("button", name="Save").click()
    expect(page.locator(f"#indicator-{indicator.pk} .errorlist")).to_contain_text("“12.3.4” is not a number.")
    expect(page.locator(f"#indicator-{indicator.pk}").get_by_label("What was achieved (Chinese)")).to_have_value("新的叙述")
    assert page.evaluate("window.__noReload") is True
    indicator.refresh_from_db()
    assert (indicator.actual, indicator.version) == ("860", 3)

    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server, "unmik.approver")
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    expect(page.locator("#report-progress")).to_have_attribute("value", "8")
    page.get_by_label("I certify that this report is complete and correct.").check()
    page.get_by_role("button", name="Submit to headquarters").click()
    expect(page.locator("#report-status")).to_have_text("Submitted")
    expect(page.locator(".messages")).to_contain_text("The report was submitted.")
    assert Report.objects.get(pk=report.pk).status == Report.Status.SUBMITTED
    changed = set(ChangeRecord.objects.filter(actor=focal).values_list("item_type", "field"))
    assert changed == {
        ("indicator", "actual"), ("indicator", "actual_narrative"), ("indicator", "variance_explanation"),
        ("output", "completed_kind"), ("output", "completed"), ("output", "remarks"),
    }


def test_saving_works_without_javascript(browser, live_server):
    report = make_mission_report()
    make_user("unmik.focal", role=Membership.Role.FOCAL_POINT, mission=report.mission)
    indicator = get_indicator(report, "1.1.2")
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    try:
        log_in(page, live_server, "unmik.focal")
        page.goto(f"{live_server.url}/reports/{report.pk}/entry/{indicator.accomplishment_id}/")
        card = page.locator(f"#indicator-{indicator.pk}")
        card.get_by_label("Actual value").fill("50")
        card.get_by_role("button", name="Save").click()
        assert page.url.endswith(f"/entry/{indicator.accomplishment_id}/#indicator-{indicator.pk}")
        expect(page.locator(".messages")).to_contain_text("Saved.")
        expect(page.locator(f"#indicator-{indicator.pk} .why .flag")).to_contain_text("misses the target")
    finally:
        context.close()
    indicator.refresh_from_db()
    assert indicator.actual == "50"
