"""Comment threads over HTTP: htmx swaps the thread in place, a plain post redirects back to the item."""

import pytest
from django.urls import reverse

from rbb.models import Comment
from rbb.review.services import comment_add, comment_resolve
from rbb.workflow import report_accept
from tests.entry.factories import get_indicator, get_output

from .conftest import login

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def indicator(report):
    return get_indicator(report, "1.1.1")


@pytest.fixture
def thread(report, indicator, reviewer):
    return comment_add(report=report, item=indicator, body="请核实。", by=reviewer)


def comments_url(report, item, kind="indicator"):
    return reverse(f"review:{kind}-comments", args=[report.pk, item.pk])


def reply_url(report, item, comment):
    return reverse("review:indicator-reply", args=[report.pk, item.pk, comment.pk])


def resolve_url(report, item, comment):
    return reverse("review:indicator-resolve", args=[report.pk, item.pk, comment.pk])


class TestAdd:
    def test_with_htmx_the_thread_comes_back_with_the_new_comment(self, client, reviewer, report, indicator):
        response = login(client, reviewer).post(comments_url(report, indicator), {"body": "差异解释不够具体。"}, **HTMX)
        assert response.status_code == 200
        assert response.templates[0].name == "rbb/review/_threads.html"
        html = response.content.decode()
        assert f'id="threads-indicator-{indicator.pk}"' in html and "差异解释不够具体。" in html
        assert Comment.objects.get().author == reviewer

    def test_a_plain_post_redirects_back_to_the_item(self, client, reviewer, report, indicator):
        response = login(client, reviewer).post(comments_url(report, indicator), {"body": "x"})
        assert response.status_code == 302
        assert response.url == reverse("review:report", args=[report.pk]) + f"#indicator-{indicator.pk}"

    def test_a_safe_next_is_followed_and_an_outside_one_ignored(self, client, reviewer, report, indicator):
        login(client, reviewer)
        entry = reverse("indicators:entry", args=[report.pk, indicator.accomplishment_id])
        assert client.post(comments_url(report, indicator), {"body": "x", "next": entry}).url == f"{entry}#indicator-{indicator.pk}"
        outside = client.post(comments_url(report, indicator), {"body": "x", "next": "https://evil.example/"}).url
        assert outside.startswith(reverse("review:report", args=[report.pk]))

    def test_an_empty_comment_gets_a_field_message(self, client, reviewer, report, indicator):
        response = login(client, reviewer).post(comments_url(report, indicator), {"body": "  "}, **HTMX)
        assert response.status_code == 422 and "Write the comment." in response.content.decode()
        assert not Comment.objects.exists()

    def test_a_too_long_comment_gets_a_field_message_without_javascript_too(self, client, reviewer, report, indicator):
        response = login(client, reviewer).post(comments_url(report, indicator), {"body": "字" * 5001})
        assert response.status_code == 422 and "Keep the comment under 5000 characters." in response.content.decode()

    def test_an_accepted_report_refuses_with_the_reason(self, client, reviewer, submitted, indicator):
        report_accept(report=submitted, by=reviewer)
        response = login(client, reviewer).post(comments_url(submitted, indicator), {"body": "late"}, **HTMX)
        assert response.status_code == 409 and "its review is closed" in response.content.decode()

    @pytest.mark.parametrize("persona", ["focal", "approver", "viewer"])
    def test_mission_staff_may_not_start_a_thread(self, client, personas, report, indicator, persona):
        assert login(client, personas[persona]).post(comments_url(report, indicator), {"body": "x"}).status_code == 403
        assert not Comment.objects.exists()

    @pytest.mark.parametrize("persona", ["viewer_all", "outsider"])
    def test_others_get_404(self, client, personas, report, indicator, persona):
        assert login(client, personas[persona]).post(comments_url(report, indicator), {"body": "x"}).status_code == 404

    def test_an_item_of_another_report_is_404(self, client, reviewer, report, other_report):
        other_item = get_indicator(other_report, "1.1.1")
        assert login(client, reviewer).post(comments_url(report, other_item), {"body": "x"}).status_code == 404

    def test_a_get_is_not_allowed_to_write(self, client, reviewer, report, indicator):
        login(client, reviewer).get(comments_url(report, indicator), {"body": "x"})
        assert not Comment.objects.exists()


class TestComposeLink:
    def test_the_link_brings_the_form_open_with_htmx(self, client, reviewer, report, indicator):
        response = login(client, reviewer).get(comments_url(report, indicator), {"compose": "1"}, **HTMX)
        html = response.content.decode()
        assert response.status_code == 200 and '<details class="add-comment" open>' in html and "autofocus" in html

    def test_without_javascript_the_link_opens_a_page_with_the_form(self, client, reviewer, report, indicator):
        response = login(client, reviewer).get(comments_url(report, indicator), {"compose": "1"})
        assert response.templates[0].name == "rbb/review/thread_page.html"
        assert "Back to the review" in response.content.decode()


class TestThreadOnTheEntryPage:
    def test_a_focal_point_gets_the_threads_with_a_reply_form(self, client, focal, report, indicator, thread):
        response = login(client, focal).get(comments_url(report, indicator), **HTMX)
        html = response.content.decode()
        assert response.status_code == 200 and "请核实。" in html and "Your reply" in html and "Add a comment" not in html

    def test_an_item_without_threads_loads_nothing_for_the_mission(self, client, focal, report):
        response = login(client, focal).get(comments_url(report, get_output(report, "1.1", "1"), "output"), **HTMX)
        assert response.status_code == 204

    def test_the_entry_page_asks_for_all_its_threads_in_one_request(self, client, focal, report, indicator):
        page = login(client, focal).get(reverse("indicators:entry", args=[report.pk, indicator.accomplishment_id]))
        html = page.content.decode()
        batch = reverse("review:accomplishment-threads", args=[report.pk, indicator.accomplishment_id])
        assert html.count(f'hx-get="{batch}"') == 1
        assert comments_url(report, indicator) not in html

    def test_another_missions_focal_point_gets_404(self, client, report, indicator, thread):
        from missions.models import Membership
        from tests.entry.factories import make_mission, make_user

        stranger = make_user("stranger", role=Membership.Role.FOCAL_POINT, mission=make_mission("UNMISS"))
        assert login(client, stranger).get(comments_url(report, indicator), **HTMX).status_code == 404


class TestReplyAndResolve:
    def test_a_focal_point_replies(self, client, focal, report, indicator, thread):
        response = login(client, focal).post(reply_url(report, indicator, thread), {"body": "已补充来源。"}, **HTMX)
        assert response.status_code == 200 and "已补充来源。" in response.content.decode()
        assert Comment.objects.get(parent=thread).author == focal

    def test_an_empty_reply_gets_a_field_message(self, client, focal, report, indicator, thread):
        response = login(client, focal).post(reply_url(report, indicator, thread), {"body": ""}, **HTMX)
        assert response.status_code == 422 and "Write the comment." in response.content.decode()

    def test_a_viewer_may_not_reply(self, client, personas, report, indicator, thread):
        assert login(client, personas["viewer"]).post(reply_url(report, indicator, thread), {"body": "x"}).status_code == 403

    def test_a_reply_to_a_resolved_thread_is_refused_on_the_field(self, client, focal, reviewer, report, indicator, thread):
        comment_resolve(comment=thread, by=reviewer)
        response = login(client, focal).post(reply_url(report, indicator, thread), {"body": "x"}, **HTMX)
        assert response.status_code == 409 and "This comment is resolved" in response.content.decode()

    def test_a_comment_under_another_item_is_404(self, client, focal, report, thread):
        other_item = get_indicator(report, "1.1.2")
        assert login(client, focal).post(reply_url(report, other_item, thread), {"body": "x"}).status_code == 404

    def test_a_reviewer_resolves(self, client, personas, report, indicator, thread):
        response = login(client, personas["admin"]).post(resolve_url(report, indicator, thread), **HTMX)
        assert response.status_code == 200 and "Resolved by admin" in response.content.decode()
        thread.refresh_from_db()
        assert thread.resolved_by == personas["admin"]

    def test_a_focal_point_may_not_resolve_a_reviewers_thread(self, client, focal, report, indicator, thread):
        assert login(client, focal).post(resolve_url(report, indicator, thread)).status_code == 403
        thread.refresh_from_db()
        assert thread.resolved_at is None

    def test_resolving_twice_says_so(self, client, reviewer, report, indicator, thread):
        login(client, reviewer).post(resolve_url(report, indicator, thread), **HTMX)
        response = client.post(resolve_url(report, indicator, thread), **HTMX)
        assert response.status_code == 409 and "already resolved" in response.content.decode()
