"""The Content-Security-Policy holds in Chromium: no page reports a violation (issue 20 §6).

Each main page is opened as the people who use it; the browser's `securitypolicyviolation`
events and its console ("Refused to …") are collected. A violation would mean a script or a
style the page needs is blocked, or an inline script slipped into a template.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from missions.models import Membership
from rbb.workflow import report_submit
from tests.entry.factories import PASSWORD, fill_report, get_indicator, get_output, make_mission_report, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Role = Membership.Role

LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


def _watch(page) -> list[str]:
    refused = []
    page.add_init_script(LISTEN)
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text
            or message.text.startswith("Refused to") else None)
    return refused


def _log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Performance reports")).to_be_visible()


def _visit(page, url: str, refused: list[str]) -> None:
    response = page.goto(url)
    assert response.status == 200, url
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__violations")
    assert violations == [] and refused == [], (url, violations, refused)


def test_no_page_reports_a_csp_violation(page, live_server):
    report = fill_report(make_mission_report())
    make_user("unmik.focal", role=Role.FOCAL_POINT, mission=report.mission)
    approver = make_user("unmik.approver", role=Role.APPROVER, mission=report.mission)
    make_user("hq.reviewer", role=Role.HQ_REVIEWER)
    admin = make_user("budget.admin", role=Role.BUDGET_ADMIN)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    indicator, output = get_indicator(report, "1.1.1"), get_output(report, "1.1", "1")
    refused = _watch(page)
    base = live_server.url

    _visit(page, f"{base}/accounts/login/", refused)
    _log_in(page, live_server, "unmik.focal")
    for url in (
        reverse("missions:home"),
        reverse("workflow:report-home", args=[report.pk]),
        reverse("indicators:framework", args=[report.pk]),
        reverse("indicators:entry", args=[report.pk, indicator.accomplishment_id]),
        reverse("indicators:indicator-history", args=[report.pk, indicator.pk]),
        reverse("indicators:output-history", args=[report.pk, output.pk]),
        reverse("missions:resources", args=[report.pk]),
        reverse("narrative:report", args=[report.pk]),
        reverse("api:token"),
    ):
        _visit(page, base + url, refused)
    # The scripts that replaced inline handlers work: the table language switches on change.
    page.goto(base + reverse("narrative:report", args=[report.pk]))
    with page.expect_navigation():
        page.select_option("#narrative-lang", "en")
    assert "lang=en" in page.url
    page.get_by_role("button", name="Log out").click()

    report_submit(report=report, by=approver)
    _log_in(page, live_server, "hq.reviewer")
    for url in (reverse("review:dashboard"), reverse("review:report", args=[report.pk]),
                reverse("review:changes", args=[report.pk])):
        _visit(page, base + url, refused)
    page.get_by_role("button", name="Log out").click()

    _log_in(page, live_server, "budget.admin")
    for url in ("/admin/", "/admin/missions/report/", f"/admin/missions/report/{report.pk}/change/"):
        _visit(page, base + url, refused)
    # Swagger UI from the sidecar, its start-up script served as a file.
    _visit(page, f"{base}/api/docs/", refused)
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("RBB Tracker API")
    assert page.evaluate("window.__violations") == [] and refused == []
