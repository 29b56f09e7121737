"""The entry page's comment threads: one request for the whole page, each thread put in its item's slot."""

import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import ExpectedAccomplishment, Indicator, Output
from missions.models import Membership
from rbb.bench.pages import entry_page_extra_requests, load_urls
from rbb.review.services import comment_add, comment_reply

from .factories import PASSWORD, get_indicator, get_output, indicator, make_hq_report, make_mission, make_user, output

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def entry_url(report, ea):
    return reverse("indicators:entry", args=[report.pk, ea.pk])


def threads_url(report, ea):
    return reverse("review:accomplishment-threads", args=[report.pk, ea.pk])


def ea_of(report, number):
    return ExpectedAccomplishment.objects.get(unit__report=report, number=number)


def blocks(html):
    """The slots an answer fills: {slot id: the block's HTML}."""
    found = re.findall(r'<div class="threads-slot" id="(threads-slot-[a-z]+-\d+)" hx-swap-oob="true">(.*?)</div>\s*(?=<div class="threads-slot"|$)', html, re.S)
    return dict(found)


def slot(item):
    kind = "indicator" if isinstance(item, Indicator) else "output"
    return f"threads-slot-{kind}-{item.pk}"


@pytest.fixture
def thread(report, reviewer):
    return comment_add(report=report, item=get_indicator(report, "1.1.2"), body="请核实征聘天数。", by=reviewer)


class TestThePage:
    def test_it_asks_once_for_every_items_threads(self, client, focal, report):
        ea = ea_of(report, "1.1")
        html = login(client, focal).get(entry_url(report, ea)).content.decode()
        assert load_urls(html) == [threads_url(report, ea)]
        items = list(Indicator.objects.filter(accomplishment=ea)) + list(Output.objects.filter(accomplishment=ea))
        for item in items:
            assert f'<div class="threads-slot" id="{slot(item)}"></div>' in html  # empty until the answer fills it
        assert "/comments/" not in html

    def test_a_viewer_of_every_mission_is_not_sent_for_threads_they_may_not_read(self, client, personas, report):
        html = login(client, personas["viewer_all"]).get(entry_url(report, ea_of(report, "1.1"))).content.decode()
        assert load_urls(html) == []

    def test_an_item_saved_with_htmx_loads_its_own_threads(self, client, focal, report, thread):
        item = get_indicator(report, "1.1.2")
        prefix = f"indicator-{item.pk}"
        data = {f"{prefix}-{k}": v for k, v in {"version": item.version, "actual": "40", "actual_narrative": "x", "variance_explanation": ""}.items()}
        response = login(client, focal).post(reverse("indicators:indicator-save", args=[report.pk, item.pk]), data, **HTMX)
        assert response.status_code == 200
        assert load_urls(response.content.decode()) == [reverse("review:indicator-comments", args=[report.pk, item.pk])]

    def test_the_benchmark_counts_the_one_request(self, approver, report):
        subjects = SimpleNamespace(approver=approver, entry_report=report, largest_ea=ea_of(report, "1.1"))
        assert entry_page_extra_requests(subjects) == 1


class TestTheAnswer:
    def test_a_focal_point_gets_the_items_with_threads_only_with_a_reply_form(self, client, focal, report, thread):
        response = login(client, focal).get(threads_url(report, ea_of(report, "1.1")), **HTMX)
        assert response.status_code == 200
        filled = blocks(response.content.decode())
        item = get_indicator(report, "1.1.2")
        assert list(filled) == [slot(item)]
        block = filled[slot(item)]
        assert f'id="threads-indicator-{item.pk}"' in block and "请核实征聘天数。" in block
        assert "Your reply" in block and "Add a comment" not in block
        assert reverse("review:indicator-reply", args=[report.pk, item.pk, thread.pk]) in block

    def test_headquarters_gets_every_item_with_the_form_to_comment(self, client, reviewer, report, thread):
        ea = ea_of(report, "1.1")
        filled = blocks(login(client, reviewer).get(threads_url(report, ea), **HTMX).content.decode())
        items = list(Indicator.objects.filter(accomplishment=ea).order_by("order")) + list(Output.objects.filter(accomplishment=ea).order_by("order"))
        assert list(filled) == [slot(item) for item in items]  # page order
        assert all("Add a comment" in block for block in filled.values())
        assert "请核实征聘天数。" in filled[slot(get_indicator(report, "1.1.2"))]
        assert "请核实征聘天数。" not in filled[slot(get_indicator(report, "1.1.1"))]

    def test_replies_come_with_their_thread(self, client, focal, report, thread):
        comment_reply(comment=thread, body="已补充来源。", by=focal)
        block = blocks(login(client, focal).get(threads_url(report, ea_of(report, "1.1")), **HTMX).content.decode())
        assert "已补充来源。" in block[slot(get_indicator(report, "1.1.2"))]

    def test_an_accomplishment_without_threads_answers_with_nothing_to_swap_for_the_mission(self, client, focal, report):
        response = login(client, focal).get(threads_url(report, ea_of(report, "2.1")), **HTMX)
        assert response.status_code == 200 and blocks(response.content.decode()) == {}

    def test_a_headquarters_item_is_found_by_its_unit_too(self, client, reviewer):
        hq_report = make_hq_report()
        item = Output.objects.get(accomplishment__unit__report=hq_report, number="2")
        comment_add(report=hq_report, item=item, body="请核对 1 300。", by=reviewer)
        filled = blocks(login(client, reviewer).get(threads_url(hq_report, item.accomplishment), **HTMX).content.decode())
        assert "请核对 1 300。" in filled[slot(item)]
        assert sum("请核对 1 300。" in block for block in filled.values()) == 1


class TestAccess:
    def test_another_missions_focal_point_gets_404(self, client, report, thread):
        stranger = make_user("stranger", role=Membership.Role.FOCAL_POINT, mission=make_mission("UNMISS"))
        assert login(client, stranger).get(threads_url(report, ea_of(report, "1.1")), **HTMX).status_code == 404

    @pytest.mark.parametrize("persona", ["viewer_all", "outsider"])
    def test_those_the_review_is_closed_to_get_404(self, client, personas, report, thread, persona):
        assert login(client, personas[persona]).get(threads_url(report, ea_of(report, "1.1")), **HTMX).status_code == 404

    def test_a_mission_viewer_reads_the_threads_and_cannot_reply(self, client, personas, report, thread):
        filled = blocks(login(client, personas["viewer"]).get(threads_url(report, ea_of(report, "1.1")), **HTMX).content.decode())
        block = filled[slot(get_indicator(report, "1.1.2"))]
        assert "请核实征聘天数。" in block and "Your reply" not in block

    def test_an_accomplishment_of_another_report_is_404(self, client, reviewer, report, other_report):
        assert login(client, reviewer).get(threads_url(report, ea_of(other_report, "1.1")), **HTMX).status_code == 404

    def test_anonymous_is_sent_to_log_in(self, client, report):
        response = client.get(threads_url(report, ea_of(report, "1.1")), **HTMX)
        assert response.status_code == 302 and reverse("login") in response.url


def test_the_answer_costs_the_same_queries_for_2_and_for_many_items(client, reviewer, report):
    small, large = ea_of(report, "2.1"), ea_of(report, "1.1")
    for n in range(30):
        item = indicator(large, f"1.1.{n + 10}", f"Indicator {n}", target="10", order=n + 10)
        comment_add(report=report, item=item, body=f"意见 {n}", by=reviewer)
        output(large, n + 10, f"Output {n}", quantity="8", order=n + 10)
    comment_add(report=report, item=get_output(report, "2.1", "1"), body="小", by=reviewer)
    login(client, reviewer)

    def count(ea):
        with CaptureQueriesContext(connection) as context:
            response = client.get(threads_url(report, ea), **HTMX)
        assert response.status_code == 200
        return len(context.captured_queries), len(blocks(response.content.decode()))

    # session, user, memberships, report, accomplishment with unit, indicators, outputs, comments
    assert count(small) == (8, 2)
    assert count(large) == (8, 66)
