"""The review dashboard: every report of a period, for headquarters only, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Indicator
from missions.models import BudgetPeriod, Report
from rbb.review.services import comment_add, comment_resolve
from tests.entry.factories import fill_report, get_indicator, make_hq_report, make_mission_report

from .conftest import grown_report, login

pytestmark = pytest.mark.django_db
URL = reverse("review:dashboard")


def rows_of(response):
    return {row.report.mission.code: row for row in response.context["rows"]}


@pytest.fixture
def period_reports(report, reviewer):
    """UNMIK: empty draft, overdue (due 2021-09-30); UNMISS: filled and submitted; support account: draft, no due date."""
    unmiss = fill_report(make_mission_report("UNMISS", status=Report.Status.SUBMITTED))
    Indicator.objects.filter(pk=get_indicator(unmiss, "1.1.1").pk).update(actual="100", variance_explanation="")
    comment_add(report=unmiss, item=get_indicator(unmiss, "1.1.2"), body="?", by=reviewer)
    resolved = comment_add(report=unmiss, item=get_indicator(unmiss, "1.1.3"), body="?", by=reviewer)
    comment_resolve(comment=resolved, by=reviewer)
    comment_add(report=unmiss, item=get_indicator(unmiss, "1.1.3"), body="again", by=reviewer)
    hq = make_hq_report()
    return report, unmiss, hq


class TestRows:
    def test_a_reviewer_sees_every_report_of_the_period_with_its_figures(self, client, reviewer, period_reports):
        response = login(client, reviewer).get(URL)
        assert response.status_code == 200
        rows = rows_of(response)
        assert set(rows) == {"UNMIK", "UNMISS", "SUPPORT-ACCOUNT"}
        unmik, unmiss, hq = rows["UNMIK"], rows["UNMISS"], rows["SUPPORT-ACCOUNT"]
        # UNMIK: nothing entered; the blank outputs count as not delivered.
        assert (unmik.items_total, unmik.items_done, unmik.completeness, unmik.flagged) == (8, 0, 0, 3)
        # UNMISS: 1.1.1 is 100 against 290 and unexplained: off target and missing explanation.
        assert (unmiss.items_total, unmiss.items_done, str(unmiss.completeness), unmiss.flagged) == (8, 7, "87.5", 1)
        assert unmiss.open_comments == 2
        assert unmik.due == datetime.date(2021, 9, 30) and not unmik.due_is_default
        assert hq.due == datetime.date(2021, 9, 28) and hq.due_is_default
        assert unmik.days_overdue > 0 and unmiss.days_overdue == 0  # submitted: not overdue
        page = response.content.decode()
        assert f'href="{reverse("review:report", args=[unmik.report.pk])}"' in page
        assert "(default)" in page

    def test_the_last_change_is_the_missions_not_a_comment(self, client, reviewer, period_reports):
        rows = rows_of(login(client, reviewer).get(URL))
        assert rows["UNMIK"].last_change is None and rows["UNMISS"].last_change is None

    def test_a_budget_administrator_sees_it_too(self, client, personas, period_reports):
        assert login(client, personas["admin"]).get(URL).status_code == 200

    @pytest.mark.parametrize("persona", ["focal", "approver", "viewer", "viewer_all", "outsider"])
    def test_mission_staff_and_viewers_get_404(self, client, personas, period_reports, persona):
        assert login(client, personas[persona]).get(URL).status_code == 404

    def test_anonymous_users_are_sent_to_log_in(self, client):
        assert client.get(URL).status_code == 302


class TestFiltersAndSorting:
    def test_filter_by_status(self, client, reviewer, period_reports):
        rows = rows_of(login(client, reviewer).get(URL, {"status": "submitted"}))
        assert set(rows) == {"UNMISS"}

    def test_filter_by_report_type(self, client, reviewer, period_reports):
        rows = rows_of(login(client, reviewer).get(URL, {"type": "headquarters-performance"}))
        assert set(rows) == {"SUPPORT-ACCOUNT"}

    def test_filter_overdue(self, client, reviewer, period_reports):
        rows = rows_of(login(client, reviewer).get(URL, {"overdue": "on"}))
        assert set(rows) == {"UNMIK", "SUPPORT-ACCOUNT"}

    @pytest.mark.parametrize("sort, order", [
        ("entity", ["SUPPORT-ACCOUNT", "UNMIK", "UNMISS"]),
        ("-entity", ["UNMISS", "UNMIK", "SUPPORT-ACCOUNT"]),
        ("-comments", ["UNMISS", "SUPPORT-ACCOUNT", "UNMIK"]),  # ties in entity order
        ("due", ["SUPPORT-ACCOUNT", "UNMIK", "UNMISS"]),
        ("-complete", ["UNMISS", "SUPPORT-ACCOUNT", "UNMIK"]),
    ])
    def test_sort(self, client, reviewer, period_reports, sort, order):
        response = login(client, reviewer).get(URL, {"sort": sort})
        assert [row.report.mission.code for row in response.context["rows"]] == order

    def test_the_period_selector_shows_another_periods_reports(self, client, reviewer, period_reports):
        older = BudgetPeriod.objects.create(label="2019/20", start=datetime.date(2019, 7, 1), end=datetime.date(2020, 6, 30))
        Report.objects.create(mission=period_reports[0].mission, period=older, report_type=period_reports[0].report_type)
        response = login(client, reviewer).get(URL, {"period": "2019/20"})
        assert set(rows_of(response)) == {"UNMIK"} and response.context["period"] == older
        assert login(client, reviewer).get(URL).context["period"].label == "2020/21"  # the newest by default

    def test_bad_input_gets_field_messages_not_an_error(self, client, reviewer, period_reports):
        response = login(client, reviewer).get(URL, {"period": "1999/00", "sort": "evil", "status": "lost", "type": "x"})
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert set(errors) == {"period", "sort", "status", "type"}
        assert "Select a valid choice" in response.content.decode()
        assert len(response.context["rows"]) == 3  # the defaults


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_query_count_does_not_depend_on_the_number_of_reports_or_items(client, reviewer, report):
    login(client, reviewer)
    small = count_queries(client, URL)
    for code in ("A1", "A2", "A3", "A4"):
        grown_report(code, 60)
    comment_add(report=report, item=get_indicator(report, "1.1.1"), body="?", by=reviewer)
    large = count_queries(client, URL)
    assert len(client.get(URL).context["rows"]) == 5
    # session, user, memberships, periods, report types, reports, indicators, figures, outputs,
    # open comments per report, last change per report
    assert small == large == 11


def test_white_space_is_not_a_narrative_or_an_explanation(client, reviewer, report):
    """The dashboard reads whether texts are filled in SQL; it must agree with the rules' strip()."""
    fill_report(report)
    Indicator.objects.filter(pk=get_indicator(report, "1.1.2").pk).update(actual="", actual_narrative=" \n\t ")
    Indicator.objects.filter(pk=get_indicator(report, "1.1.1").pk).update(actual="100", variance_explanation="\n ")
    (row,) = login(client, reviewer).get(URL).context["rows"]
    assert (row.items_done, row.flagged) == (6, 1)
