"""The review page: the framework read-only with flags, threads and changes; scoped to the mission and HQ."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Indicator, Output
from rbb.review.services import comment_add, comment_reply, comment_resolve
from tests.entry.factories import fill_report, get_indicator, get_output, make_hq_report

from .conftest import grown_report, login

pytestmark = pytest.mark.django_db


def url(report, **params):
    return reverse("review:report", args=[report.pk])


def keys_shown(response):
    return [entry.key for unit in response.context["page"].units for ea in unit.review_eas
            for entry in ea.review_indicators + [e for g in ea.review_output_groups for e in g["items"]]]


@pytest.fixture
def reviewed(report, reviewer, focal):
    """1.1.1 off target and unexplained; a thread on 1.1.2 answered; a resolved thread on output 2.1 / 1."""
    fill_report(report)
    Indicator.objects.filter(pk=get_indicator(report, "1.1.1").pk).update(actual="100", variance_explanation="")
    thread = comment_add(report=report, item=get_indicator(report, "1.1.2"), body="天数从哪里来？", by=reviewer)
    comment_reply(comment=thread, body="来自人力资源系统。", by=focal)
    done = comment_add(report=report, item=get_output(report, "2.1", "1"), body="ok?", by=reviewer)
    comment_resolve(comment=done, by=reviewer)
    return report


class TestContent:
    def test_every_item_shows_in_document_order_with_its_flags_and_threads(self, client, reviewer, reviewed):
        response = login(client, reviewer).get(url(reviewed))
        assert response.status_code == 200
        page = response.context["page"]
        assert (page.total, page.flagged, page.open_threads, page.changed) == (8, 1, 1, 0)
        assert keys_shown(response)[:2] == ["1|1.1|indicator|1.1.1", "1|1.1|indicator|1.1.2"]
        html = response.content.decode()
        assert "Off target" in html and "Missing explanation" in html and "The actual value misses the target." in html
        assert "天数从哪里来？" in html and "来自人力资源系统。" in html
        assert "Resolved by reviewer" in html
        # A reviewer may comment on every item: a form under items with a panel, a link under the others.
        assert (html.count('class="add-comment"'), html.count('class="comment-link"')) == (3, 5)

    def test_a_not_delivered_output_and_a_large_variance_are_flagged(self, client, reviewer, report):
        fill_report(report)
        Output.objects.filter(pk=get_output(report, "1.1", "1").pk).update(completed_kind="no", remarks="")
        Output.objects.filter(pk=get_output(report, "1.1", "2").pk).update(completed_kind="number", completed="99", completed_value=99)
        Indicator.objects.filter(pk=get_indicator(report, "1.1.1").pk).update(actual="860", actual_value=860)
        html = login(client, reviewer).get(url(report)).content.decode()
        assert "Not delivered" in html and "Large variance" in html

    def test_the_headquarters_shape_shows_target_estimate_actual(self, client, reviewer):
        hq = make_hq_report()
        html = login(client, reviewer).get(url(hq)).content.decode()
        assert "Estimate" in html and "Delivery ratio" in html and "I (a) / 1" in html


class TestFilters:
    def test_only_flagged(self, client, reviewer, reviewed):
        assert keys_shown(login(client, reviewer).get(url(reviewed), {"flagged": "on"})) == ["1|1.1|indicator|1.1.1"]

    def test_only_with_open_comments(self, client, reviewer, reviewed):
        assert keys_shown(login(client, reviewer).get(url(reviewed), {"open": "on"})) == ["1|1.1|indicator|1.1.2"]

    def test_by_unit(self, client, reviewer, reviewed):
        assert keys_shown(login(client, reviewer).get(url(reviewed), {"unit": "2"})) == ["2|2.1|indicator|2.1.1", "2|2.1|output|1"]

    def test_filters_combine_and_may_match_nothing(self, client, reviewer, reviewed):
        response = login(client, reviewer).get(url(reviewed), {"flagged": "on", "unit": "2"})
        assert keys_shown(response) == [] and "No item matches these filters." in response.content.decode()

    def test_an_unknown_unit_gets_a_field_message_and_everything_shows(self, client, reviewer, reviewed):
        response = login(client, reviewer).get(url(reviewed), {"unit": "<script>"})
        assert response.status_code == 200 and "unit" in response.context["form"].errors
        assert len(keys_shown(response)) == 8 and "<script>" not in response.content.decode()

    def test_only_changed_since_the_previous_submission(self, client, reviewer, resubmitted):
        response = login(client, reviewer).get(url(resubmitted), {"changed": "on"})
        assert keys_shown(response) == ["1|1.1|indicator|1.1.1"]
        html = response.content.decode()
        assert "Changed since submission 1" in html and "<ins>记录了 860 项决定和活动</ins>" in html


class TestScope:
    @pytest.mark.parametrize("persona", ["focal", "approver", "viewer"])
    def test_the_missions_staff_read_it_and_may_not_start_threads(self, client, personas, reviewed, persona):
        response = login(client, personas[persona]).get(url(reviewed))
        assert response.status_code == 200
        html = response.content.decode()
        assert "天数从哪里来？" in html and 'class="add-comment"' not in html and 'class="comment-link"' not in html
        assert ("Your reply" in html) == (persona != "viewer")

    @pytest.mark.parametrize("persona", ["viewer_all", "outsider"])
    def test_viewers_of_every_mission_and_outsiders_get_404(self, client, personas, reviewed, persona):
        assert login(client, personas[persona]).get(url(reviewed)).status_code == 404

    def test_another_missions_staff_get_404(self, client, approver, other_report):
        assert login(client, approver).get(url(other_report)).status_code == 404

    def test_a_missing_report_is_404(self, client, reviewer):
        assert login(client, reviewer).get(reverse("review:report", args=[999999])).status_code == 404


def count_queries(client, path):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_query_count_does_not_depend_on_the_number_of_items(client, reviewer, approver, report):
    from missions.models import Membership
    from rbb.workflow import report_return, report_submit

    large = grown_report("UNMIK-LARGE", 600)
    assert Output.objects.filter(accomplishment__unit__report=large).count() >= 600
    Membership.objects.create(user=approver, role=Membership.Role.APPROVER, mission=large.mission)
    small = fill_report(report)
    for each in (small, large):  # two submissions, comments, a change: every part of the page has data
        report_submit(report=each, by=approver)
        comment_add(report=each, item=get_indicator(each, "1.1.1"), body="?", by=reviewer)
        report_return(report=each, by=reviewer, comment="x")
        Indicator.objects.filter(pk=get_indicator(each, "1.1.2").pk).update(actual="50", variance_explanation="因为")
        report_submit(report=each, by=approver)
    login(client, reviewer)
    counts = [count_queries(client, url(each)) for each in (small, large)]
    # session, user, memberships, report, units, accomplishments, indicators, figures, outputs,
    # comments, baseline submission
    assert counts == [11, 11]


@pytest.fixture
def chinese_request():
    """A request in Chinese leaves the language active in this thread: restore English for the next test."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.mark.parametrize("name", ["review:report", "review:changes", "review:return"])
def test_pages_render_in_chinese(client, reviewer, resubmitted, name, chinese_request):
    response = login(client, reviewer).get(reverse(name, args=[resubmitted.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code in (200, 409) and 'lang="zh-hans"' in response.content.decode()


def test_the_dashboard_renders_in_chinese(client, reviewer, resubmitted, chinese_request):
    response = login(client, reviewer).get(reverse("review:dashboard"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200 and 'lang="zh-hans"' in response.content.decode()


def thread_block(html, dom_id):
    """An item's thread block without threads in a page (no inner <div>): `<div class="threads" …>…</div>`."""
    start = html.index(f'<div class="threads" id="threads-{dom_id}">')
    return html[start:html.index("</div>", start) + len("</div>")]


def without_tokens(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value=""', html)


def test_the_page_stamps_on_each_item_the_thread_block_its_thread_view_renders(client, reviewer, reviewed):
    """The page renders an item's empty thread block once per kind of item and stamps it on each."""
    Output.objects.filter(pk=get_output(reviewed, "1.1", "2").pk).update(completed_kind="no", remarks="")
    page_url = url(reviewed) + "?unit=1"
    html = login(client, reviewer).get(page_url).content.decode()
    for kind, item in (("indicator", get_indicator(reviewed, "1.1.1")), ("output", get_output(reviewed, "1.1", "2"))):
        dom_id = f"{kind}-{item.pk}"
        view = client.get(reverse(f"review:{kind}-comments", args=[reviewed.pk, item.pk]), {"next": page_url}, HTTP_HX_REQUEST="true")
        assert without_tokens(thread_block(html, dom_id)) == without_tokens(view.content.decode().strip())
        assert f'action="/reports/{reviewed.pk}/review/{kind}s/{item.pk}/comments/"' in thread_block(html, dom_id)


def test_an_accepted_report_offers_no_comment_link(client, reviewer, report):
    """Issue 19 §7: 48 "Add a comment" links opened a page without a comment box."""
    from missions.models import Report

    html = login(client, reviewer).get(url(report)).content.decode()
    assert 'class="comment-link"' in html
    Report.objects.filter(pk=report.pk).update(status=Report.Status.ACCEPTED)
    html = client.get(url(report)).content.decode()
    assert 'class="comment-link"' not in html and "Add a comment" not in html
