"""Return and accept from the review page: GET shows what will happen, POST does it through rbb.workflow."""

import pytest
from django.urls import reverse

from missions.models import Report, ReportEvent
from rbb.review.services import comment_add, comment_resolve
from tests.entry.factories import get_indicator, get_output

from .conftest import login

pytestmark = pytest.mark.django_db


def return_url(report):
    return reverse("review:return", args=[report.pk])


def accept_url(report):
    return reverse("review:accept", args=[report.pk])


def status_of(report):
    return Report.objects.get(pk=report.pk).status


@pytest.fixture
def commented(submitted, reviewer):
    comment_add(report=submitted, item=get_output(submitted, "2.1", "1"), body="说明太短。", by=reviewer)
    comment_add(report=submitted, item=get_indicator(submitted, "1.1.2"), body="来源？", by=reviewer)
    done = comment_add(report=submitted, item=get_indicator(submitted, "1.1.1"), body="ok", by=reviewer)
    comment_resolve(comment=done, by=reviewer)
    return submitted


class TestReturn:
    def test_the_confirmation_lists_the_items_with_open_comments_in_document_order(self, client, reviewer, commented):
        response = login(client, reviewer).get(return_url(commented))
        assert response.status_code == 200
        assert [entry["label"] for entry in response.context["open_items"]] == ["1.1.2", "2.1 / 1"]
        html = response.content.decode()
        assert "2 items with open comments" in html and "说明太短。" in html and "来源？" in html
        assert "The report goes from Submitted to Returned." in html
        assert status_of(commented) == Report.Status.SUBMITTED  # a GET changes nothing

    def test_posting_returns_the_report_and_tells_the_focal_points(
        self, client, reviewer, focal, commented, mailoutbox, eager_celery, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = login(client, reviewer).post(return_url(commented), {"return-comment": "请处理两条意见。"})
        assert response.status_code == 302 and response.url == reverse("review:report", args=[commented.pk])
        assert status_of(commented) == Report.Status.RETURNED
        assert ReportEvent.objects.get(action="return").comment == "请处理两条意见。"
        (message,) = mailoutbox
        assert focal.email in message.to and "请处理两条意见。" in message.body

    def test_a_comment_is_required(self, client, reviewer, commented):
        response = login(client, reviewer).post(return_url(commented), {"return-comment": "   "})
        assert response.status_code == 422 and "This field is required." in response.content.decode()
        assert status_of(commented) == Report.Status.SUBMITTED

    @pytest.mark.parametrize("persona", ["focal", "approver", "viewer"])
    def test_mission_staff_may_not(self, client, personas, commented, persona):
        login(client, personas[persona])
        assert client.get(return_url(commented)).status_code == 403
        assert client.post(return_url(commented), {"return-comment": "x"}).status_code == 403
        assert status_of(commented) == Report.Status.SUBMITTED

    def test_another_missions_report_is_404_for_its_staff(self, client, approver, other_report):
        assert login(client, approver).get(return_url(other_report)).status_code == 404

    def test_a_draft_cannot_be_returned_and_the_page_says_why(self, client, reviewer, report):
        response = login(client, reviewer).get(return_url(report))
        assert response.status_code == 409 and "This is not possible while the report is Draft." in response.content.decode()
        response = client.post(return_url(report), {"return-comment": "x"})
        assert response.status_code == 409 and status_of(report) == Report.Status.DRAFT


class TestAccept:
    def test_the_confirmation_warns_of_open_comments_and_the_lock(self, client, reviewer, commented):
        html = login(client, reviewer).get(accept_url(commented)).content.decode()
        assert "The report is locked: the mission can no longer change it." in html
        assert "These comments are still open" in html

    def test_posting_accepts_and_locks(self, client, personas, commented):
        response = login(client, personas["admin"]).post(accept_url(commented))
        assert response.status_code == 302 and status_of(commented) == Report.Status.ACCEPTED

    def test_accepting_twice_is_refused_with_the_reason(self, client, reviewer, commented):
        login(client, reviewer).post(accept_url(commented))
        response = client.post(accept_url(commented))
        assert response.status_code == 409 and status_of(commented) == Report.Status.ACCEPTED

    def test_a_focal_point_may_not(self, client, focal, commented):
        assert login(client, focal).post(accept_url(commented)).status_code == 403
        assert status_of(commented) == Report.Status.SUBMITTED


def test_the_review_page_links_to_both_only_for_headquarters(client, reviewer, focal, submitted):
    page = reverse("review:report", args=[submitted.pk])
    html = login(client, reviewer).get(page).content.decode()
    assert return_url(submitted) in html and accept_url(submitted) in html
    html = login(client, focal).get(page).content.decode()
    assert return_url(submitted) not in html and accept_url(submitted) not in html
