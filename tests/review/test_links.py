"""Where the review is reached from: the list of reports, the report home, the admin."""

import pytest
from django.urls import reverse

from rbb.models import Comment
from rbb.review.services import comment_add
from tests.entry.factories import get_indicator

from .conftest import login

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


class TestHome:
    @pytest.mark.parametrize("persona", ["reviewer", "admin"])
    def test_headquarters_get_a_link_to_the_dashboard(self, client, personas, report, persona):
        html = login(client, personas[persona]).get(reverse("missions:home")).content.decode()
        assert html.count(f'href="{reverse("review:dashboard")}"') == 1

    @pytest.mark.parametrize("persona", ["focal", "approver", "viewer", "viewer_all"])
    def test_others_do_not(self, client, personas, report, persona):
        html = login(client, personas[persona]).get(reverse("missions:home")).content.decode()
        assert f'href="{reverse("review:dashboard")}"' not in html


class TestReportHome:
    def test_the_report_home_loads_the_review_line(self, client, focal, report):
        html = login(client, focal).get(reverse("workflow:report-home", args=[report.pk])).content.decode()
        assert f'hx-get="{reverse("review:report-summary", args=[report.pk])}"' in html

    def test_the_line_counts_open_comments_and_links_the_review(self, client, reviewer, submitted):
        comment_add(report=submitted, item=get_indicator(submitted, "1.1.1"), body="?", by=reviewer)
        response = login(client, reviewer).get(reverse("review:report-summary", args=[submitted.pk]), **HTMX)
        html = response.content.decode()
        assert "1 open comment" in html and reverse("review:report", args=[submitted.pk]) in html
        assert reverse("review:changes", args=[submitted.pk]) in html and reverse("review:dashboard") in html

    def test_mission_staff_get_no_dashboard_link(self, client, focal, submitted):
        html = login(client, focal).get(reverse("review:report-summary", args=[submitted.pk]), **HTMX).content.decode()
        assert "0 open comments" in html and f'href="{reverse("review:dashboard")}' not in html

    def test_viewers_of_every_mission_get_nothing(self, client, personas, report):
        response = login(client, personas["viewer_all"]).get(reverse("review:report-summary", args=[report.pk]), **HTMX)
        assert response.status_code == 204

    def test_another_missions_report_is_404(self, client, approver, other_report):
        assert login(client, approver).get(reverse("review:report-summary", args=[other_report.pk])).status_code == 404


class TestAdmin:
    @pytest.fixture
    def comments(self, personas, report, other_report):
        comment_add(report=report, item=get_indicator(report, "1.1.1"), body="ours", by=personas["reviewer"])
        comment_add(report=other_report, item=get_indicator(other_report, "1.1.1"), body="theirs", by=personas["reviewer"])

    def staff(self, user):
        from django.contrib.auth.models import Permission

        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.user_permissions.add(*Permission.objects.filter(content_type__app_label="rbb", codename__endswith="_comment"))
        return user

    def bodies(self, client):
        response = client.get(reverse("admin:rbb_comment_changelist"))
        assert response.status_code == 200
        return sorted(c.body for c in response.context["cl"].result_list)

    def test_a_mission_viewer_sees_only_its_missions_comments(self, client, personas, comments):
        assert self.bodies(login(client, self.staff(personas["viewer"]))) == ["ours"]

    def test_a_viewer_of_every_mission_sees_none(self, client, personas, comments):
        assert self.bodies(login(client, self.staff(personas["viewer_all"]))) == []

    def test_headquarters_sees_all_and_nobody_edits_or_deletes(self, client, personas, comments):
        login(client, self.staff(personas["reviewer"]))
        assert self.bodies(client) == ["ours", "theirs"]
        comment = Comment.objects.get(body="ours")
        assert client.post(reverse("admin:rbb_comment_delete", args=[comment.pk]), {"post": "yes"}).status_code == 403
        assert client.post(reverse("admin:rbb_comment_change", args=[comment.pk]), {"body": "edited"}).status_code == 403
        assert Comment.objects.get(pk=comment.pk).body == "ours"
