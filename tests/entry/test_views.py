"""The pages and htmx endpoints: data entry, preview, history, report home and workflow posts."""

import pytest
from django.urls import reverse

from indicators.models import Indicator
from missions.models import ChangeRecord, Report

from .factories import PASSWORD, fill_report, get_indicator, get_output, make_hq_report

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def indicator_post(item, **values):
    prefix = f"indicator-{item.pk}"
    data = {"version": item.version, "actual": "", "actual_narrative": "", "variance_explanation": ""}
    data.update(values)
    return {f"{prefix}-{key}": value for key, value in data.items()}


def output_post(item, **values):
    prefix = f"output-{item.pk}"
    data = {"version": item.version, "completed_kind": "blank", "completed": "", "remarks": ""}
    data.update(values)
    return {f"{prefix}-{key}": value for key, value in data.items()}


def save_url(item):
    name = "indicators:indicator-save" if isinstance(item, Indicator) else "indicators:output-save"
    return reverse(name, args=[item.accomplishment.unit.report_id, item.pk])


class TestEntryPage:
    def test_it_shows_the_planned_side_beside_labelled_inputs(self, client, report, focal):
        item = get_indicator(report, "1.1.1")
        response = login(client, focal).get(reverse("indicators:entry", args=[report.pk, item.accomplishment_id]))
        html = response.content.decode()
        assert response.status_code == 200
        assert "法定市政机制" in html and "574" in html and "754" in html and "290" in html
        assert "Increase (higher is better)" in html
        assert f'<label for="id_indicator-{item.pk}-actual">' in html
        assert f'<label for="id_indicator-{item.pk}-actual_narrative">' in html
        assert f'hx-post="{save_url(item)}"' in html and f'action="{save_url(item)}"' in html
        assert "编写并以电子方式分发 220 份外地报告" in html and "Several numbers" in html

    def test_a_viewer_sees_values_without_forms(self, client, report, personas):
        item = get_indicator(report, "1.1.1")
        response = login(client, personas["viewer"]).get(reverse("indicators:entry", args=[report.pk, item.accomplishment_id]))
        assert response.status_code == 200
        assert "<form method=\"post\" action=\"/reports" not in response.content.decode()
        assert "You can read this part of the report but not change it." in response.content.decode()

    def test_a_submitted_report_shows_no_forms(self, client, report, focal):
        Report.objects.filter(pk=report.pk).update(status=Report.Status.SUBMITTED)
        item = get_indicator(report, "1.1.1")
        html = login(client, focal).get(reverse("indicators:entry", args=[report.pk, item.accomplishment_id])).content.decode()
        assert "its data cannot be changed" in html and "hx-post" not in html

    def test_headquarters_shape_shows_target_estimate_and_the_delivery_ratio(self, client, personas):
        hq = make_hq_report()
        from missions.models import Membership

        Membership.objects.create(user=personas["outsider"], role=Membership.Role.FOCAL_POINT, mission=hq.mission)
        item = get_output(hq, "(a)", "1")
        client = login(client, personas["outsider"])
        html = client.get(reverse("indicators:entry", args=[hq.pk, item.accomplishment_id])).content.decode()
        assert "Estimate" in html and "110" in html and "Actual number" in html and "Delivery ratio" in html
        preview = client.get(reverse("indicators:output-preview", args=[hq.pk, item.pk]), {f"output-{item.pk}-completed": "77"}, **HTMX)
        assert "77.0" in preview.content.decode() and "outside 90.0–110.0" in preview.content.decode()
        response = client.post(save_url(item), output_post(item, completed="77", completed_kind=""), **HTMX)
        assert response.status_code == 200
        item.refresh_from_db()
        assert (item.completed_kind, item.completed) == ("number", "77")
        assert "77.0" in response.content.decode()


class TestSaveWithHtmx:
    def test_it_swaps_the_item_and_says_why_an_explanation_is_required(self, client, report, focal):
        item = get_indicator(report, "1.1.1")
        response = login(client, focal).post(save_url(item), indicator_post(item, actual="860"), **HTMX)
        html = response.content.decode()
        assert response.status_code == 200
        assert html.strip().startswith(f'<article class="item needs" id="indicator-{item.pk}"')
        assert "Saved." in html and "The actual value beats the target by more than 20.0%." in html
        assert "Write why in the variance explanation." in html
        assert 'name="indicator-%d-version" value="2"' % item.pk in html

    def test_bad_input_gives_a_field_message_and_keeps_the_other_fields(self, client, report, focal):
        item = get_indicator(report, "1.1.1")
        response = login(client, focal).post(
            save_url(item), indicator_post(item, actual="1e309", actual_narrative="第一段\n第二段", variance_explanation="解释"), **HTMX
        )
        html = response.content.decode()
        assert response.status_code == 422
        assert "“1e309” is not a number." in html and "第一段\n第二段" in html and "解释" in html and 'value="1e309"' in html
        item.refresh_from_db()
        assert item.version == 1 and item.actual == ""

    def test_a_stale_save_shows_the_other_persons_values_and_what_was_typed(self, client, report, focal, approver):
        item = get_indicator(report, "1.1.1")
        login(client, approver).post(save_url(item), indicator_post(item, actual="900", variance_explanation="他们的"), **HTMX)
        response = login(client, focal).post(save_url(item), indicator_post(item, actual="860", variance_explanation="我的"), **HTMX)
        html = response.content.decode()
        assert response.status_code == 409
        assert "Someone else changed this item" in html and "Last saved by approver." in html
        assert 'value="900"' in html and "他们的</textarea>" in html  # their values in the form
        assert "What you typed (not saved)" in html and "我的" in html
        assert 'name="indicator-%d-version" value="2"' % item.pk in html
        item.refresh_from_db()
        assert (item.actual, item.variance_explanation) == ("900", "他们的")

    @pytest.mark.parametrize("status", [Report.Status.SUBMITTED, Report.Status.ACCEPTED])
    def test_locked_reports_refuse_indicator_and_output_saves(self, client, report, focal, status):
        Report.objects.filter(pk=report.pk).update(status=status)
        indicator, output = get_indicator(report, "1.1.1"), get_output(report, "1.1", "1")
        client = login(client, focal)
        for item, data in ((indicator, indicator_post(indicator, actual="860")), (output, output_post(output, completed_kind="yes"))):
            for extra in (HTMX, {}):
                response = client.post(save_url(item), data, **extra)
                assert response.status_code == 409
                assert "its data cannot be changed" in response.content.decode()
        assert not ChangeRecord.objects.exists()
        indicator.refresh_from_db()
        assert indicator.actual == ""

    def test_output_radio_and_number(self, client, report, focal):
        item = get_output(report, "1.1", "1")
        response = login(client, focal).post(save_url(item), output_post(item, completed_kind="number", completed="１５０"), **HTMX)
        assert response.status_code == 200
        html = response.content.decode()
        assert "The number completed differs from the planned 220 by more than 20.0%." in html and "Write why in the remarks." in html
        item.refresh_from_db()
        assert (item.completed_kind, item.completed, str(item.completed_value)) == ("number", "150", "150.0000")


class TestSaveWithoutJavaScript:
    def test_a_plain_post_redirects_to_the_items_anchor(self, client, report, focal):
        item = get_indicator(report, "1.1.1")
        response = login(client, focal).post(save_url(item), indicator_post(item, actual="1,234"))
        assert response.status_code == 302
        assert response["Location"] == f"/reports/{report.pk}/entry/{item.accomplishment_id}/#indicator-{item.pk}"
        item.refresh_from_db()
        assert item.actual == "1 234"
        page = client.get(response["Location"])
        assert "Saved." in page.content.decode()

    def test_bad_input_re_renders_the_page_with_the_bound_form(self, client, report, focal):
        item = get_output(report, "1.1", "1")
        response = login(client, focal).post(save_url(item), output_post(item, completed_kind="number", completed="12.3.4", remarks="说明"))
        html = response.content.decode()
        assert response.status_code == 422
        assert "<html" in html and "“12.3.4” is not a number." in html and "说明</textarea>" in html

    def test_a_stale_plain_post_re_renders_the_page_with_their_values(self, client, report, focal, approver):
        item = get_output(report, "1.1", "1")
        stale = output_post(item, completed_kind="no", remarks="我的说明")
        login(client, approver).post(save_url(item), output_post(item, completed_kind="yes"))
        response = login(client, focal).post(save_url(item), stale)
        html = response.content.decode()
        assert response.status_code == 409 and "<html" in html
        assert "Someone else changed this item" in html and "我的说明" in html
        item.refresh_from_db()
        assert (item.completed_kind, item.remarks) == ("yes", "")

    def test_get_is_not_allowed_on_a_save_url(self, client, report, focal):
        assert login(client, focal).get(save_url(get_indicator(report, "1.1.1"))).status_code == 405


class TestPreviewAndHistory:
    def test_preview_explains_the_rule_for_what_is_typed_without_saving(self, client, report, focal):
        item = get_indicator(report, "1.1.2")
        url = reverse("indicators:indicator-preview", args=[report.pk, item.pk])
        client = login(client, focal)
        html = client.get(url, {f"indicator-{item.pk}-actual": "50"}, **HTMX).content.decode()
        assert "The actual value misses the target." in html
        assert "The actual value" not in client.get(url, {f"indicator-{item.pk}-actual": "45"}, **HTMX).content.decode()
        assert "“abc” is not a number." in client.get(url, {f"indicator-{item.pk}-actual": "abc"}, **HTMX).content.decode()
        item.refresh_from_db()
        assert item.actual == "" and item.version == 1

    def test_history_lists_who_changed_what(self, client, report, focal, approver):
        item = get_indicator(report, "1.1.1")
        login(client, focal).post(save_url(item), indicator_post(item, actual="860"), **HTMX)
        item.refresh_from_db()
        login(client, approver).post(save_url(item), indicator_post(item, actual="861"), **HTMX)
        url = reverse("indicators:indicator-history", args=[report.pk, item.pk])
        partial = client.get(url, **HTMX).content.decode()
        assert "<html" not in partial
        assert partial.index("approver") < partial.index("focal")  # newest first
        assert "actual value" in partial and "861" in partial
        page = client.get(url)
        assert "<html" in page.content.decode() and "Back to data entry" in page.content.decode()

    def test_output_history_shows_kind_labels(self, client, report, focal):
        item = get_output(report, "1.1", "1")
        client = login(client, focal)
        client.post(save_url(item), output_post(item, completed_kind="no", remarks="未能举办"), **HTMX)
        html = client.get(reverse("indicators:output-history", args=[report.pk, item.pk]), **HTMX).content.decode()
        assert "Not yet (blank)" in html and "No" in html and "未能举办" in html


class TestReportHome:
    def test_it_shows_progress_attention_deadline_links_and_history(self, client, report, focal):
        item = get_indicator(report, "1.1.1")
        client = login(client, focal)
        client.post(save_url(item), indicator_post(item, actual="860"), **HTMX)
        html = client.get(reverse("workflow:report-home", args=[report.pk])).content.decode()
        assert "0 of 8 items complete" in html
        assert f'href="/reports/{report.pk}/entry/{item.accomplishment_id}/#indicator-{item.pk}"' in html
        assert "The actual value beats the target by more than 20.0%." in html
        assert "2021-09-30" in html and reverse("indicators:framework", args=[report.pk]) in html
        assert "Resources" in html
        assert "Submit to headquarters" not in html  # a focal point does not submit

    def test_submit_lists_every_blocking_item_with_links(self, client, report, approver):
        client = login(client, approver)
        home = client.get(reverse("workflow:report-home", args=[report.pk])).content.decode()
        assert "Submit to headquarters" in home
        response = client.post(reverse("workflow:report-submit", args=[report.pk]), {"submit-certify": "on"})
        html = response.content.decode()
        assert response.status_code == 409
        assert "cannot be submitted yet" in html
        blocking = html[html.index('<ul class="blocking">'):]
        blocking = blocking[: blocking.index("</ul>")]
        assert blocking.count('<li><a href="/reports/') == 8
        indicator = get_indicator(report, "1.1.1")
        assert f'href="/reports/{report.pk}/entry/{indicator.accomplishment_id}/#indicator-{indicator.pk}">Indicator 1.1.1</a>' in blocking

    def test_submit_needs_the_certification(self, client, report, approver):
        fill_report(report)
        response = login(client, approver).post(reverse("workflow:report-submit", args=[report.pk]), {})
        assert response.status_code == 422 and "Tick the box to certify the report." in response.content.decode()
        assert Report.objects.get(pk=report.pk).status == "draft"

    def test_the_cycle_through_the_pages(self, client, report, personas):
        fill_report(report)
        login(client, personas["approver"])
        response = client.post(reverse("workflow:report-submit", args=[report.pk]), {"submit-certify": "on"})
        assert response.status_code == 302 and Report.objects.get(pk=report.pk).status == "submitted"
        login(client, personas["reviewer"])
        response = client.post(reverse("workflow:report-return", args=[report.pk]), {"return-comment": ""})
        assert response.status_code == 422
        client.post(reverse("workflow:report-return", args=[report.pk]), {"return-comment": "请修改格式"})
        home = client.get(reverse("workflow:report-home", args=[report.pk])).content.decode()
        assert "请修改格式" in home and "Submitted → Returned" in home
        login(client, personas["approver"])
        client.post(reverse("workflow:report-submit", args=[report.pk]), {"submit-certify": "on"})
        login(client, personas["reviewer"])
        client.post(reverse("workflow:report-accept", args=[report.pk]), {})
        assert Report.objects.get(pk=report.pk).status == "accepted"
        login(client, personas["admin"])
        assert client.post(reverse("workflow:report-reopen", args=[report.pk]), {"reopen-reason": ""}).status_code == 422
        client.post(reverse("workflow:report-reopen", args=[report.pk]), {"reopen-reason": "更正"})
        assert Report.objects.get(pk=report.pk).status == "returned"

    def test_accepting_twice_is_a_conflict(self, client, report, personas):
        Report.objects.filter(pk=report.pk).update(status=Report.Status.ACCEPTED)
        response = login(client, personas["reviewer"]).post(reverse("workflow:report-accept", args=[report.pk]), {})
        assert response.status_code == 409

    def test_a_headquarters_report_home_lists_its_offices(self, client, reviewer):
        hq = make_hq_report()
        html = login(client, reviewer).get(reverse("workflow:report-home", args=[hq.pk])).content.decode()
        assert "Department or office" in html and "I. 道德操守办公室" in html and "0 of 6 items complete" in html

    def test_a_missing_report_is_404(self, client, focal):
        assert login(client, focal).get(reverse("workflow:report-home", args=[999999])).status_code == 404
