"""Content in both languages on the entry page and the translation view (issue 19 §12)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from indicators.models import ExpectedAccomplishment, Indicator, Output
from indicators.selectors import translation_gaps
from indicators.services import AlreadyTranslated, content_translation_record, indicator_actual_record
from missions.content import content_text, marked
from missions.models import ChangeRecord, Report, Unit
from rbb.exceptions import ReportLocked, StaleVersion

from .factories import PASSWORD, get_indicator, get_output, make_mission_report
from .test_views import HTMX, indicator_post, login, output_post, save_url

pytestmark = pytest.mark.django_db


def entry_url(item):
    return reverse("indicators:entry", args=[item.accomplishment.unit.report_id, item.accomplishment_id])


def translation_url(report, **query):
    url = reverse("indicators:translation", args=[report.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


class TestContentText:
    def test_a_text_in_its_language_or_the_other_one_marked(self, report):
        item = get_indicator(report, "1.1.1")
        item.statement_en = "Increased number of activities"
        assert content_text(item, "statement", "en").text == "Increased number of activities"
        assert not content_text(item, "statement", "en").fallback
        assert content_text(item, "statement", "zh-hans").text.startswith("法定市政机制")
        item.statement_en = ""
        fallback = content_text(item, "statement", "en")
        assert fallback.fallback and fallback.language == "zh-hans"
        with translation.override("en"):
            assert marked(fallback).startswith("[untranslated] 法定市政机制")
        with translation.override("zh-hans"):
            assert marked(content_text(item, "statement", "en")).startswith("[未翻译] 法定市政机制")

    def test_either_language_satisfies_a_required_text(self, report):
        ea = ExpectedAccomplishment.objects.get(unit__report=report, number="1.1")
        ea.text, ea.text_en = "", "Progress towards reconciliation"
        ea.full_clean()
        ea.text_en = ""
        with pytest.raises(Exception) as error:
            ea.full_clean()
        assert "text" in error.value.message_dict


class TestEntryPageInBothLanguages:
    def test_both_languages_side_by_side_and_the_missing_one_marked(self, client, report, focal):
        item = get_indicator(report, "1.1.1")
        Indicator.objects.filter(pk=item.pk).update(statement_en="Increased number of activities")
        other = get_indicator(report, "1.1.2")
        client.cookies["django_language"] = "en"
        html = login(client, focal).get(entry_url(item), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        # Both texts: the page's language first, the other set apart with its lang.
        assert '<span class="own-language" lang="en">Increased number of activities</span>' in html
        assert '<span class="other-language" lang="zh-Hans">法定市政机制以及民间社会和地方组织发起的活动数量增加</span>' in html
        # Only Chinese: shown, marked untranslated.
        assert 'class="untranslated-label"' in html and f">{other.statement}</span>" in html
        # Both languages' inputs for every actual-side text.
        for name in ("actual_narrative", "actual_narrative_en", "variance_explanation", "variance_explanation_en"):
            assert f'name="indicator-{item.pk}-{name}"' in html
        assert f'name="output-{get_output(report, "1.1", "1").pk}-remarks_en"' in html

    def test_an_htmx_save_records_both_languages_audited(self, client, report, focal):
        item = get_indicator(report, "1.1.1")
        data = indicator_post(item, actual="860", actual_narrative="记录了 860 项决定", actual_narrative_en="860 decisions were recorded",
                              variance_explanation="高于计划", variance_explanation_en="Higher than planned")
        response = login(client, focal).post(save_url(item), data, **HTMX)
        assert response.status_code == 200
        item.refresh_from_db()
        assert (item.actual_narrative_en, item.variance_explanation_en, item.version) == (
            "860 decisions were recorded", "Higher than planned", 2,
        )
        fields = set(ChangeRecord.objects.filter(item_type="indicator", item_id=item.pk).values_list("field", flat=True))
        assert {"actual_narrative_en", "variance_explanation_en"} <= fields

    def test_a_plain_post_of_english_remarks_redirects_and_saves(self, client, report, focal):
        item = get_output(report, "1.1", "2")
        response = login(client, focal).post(save_url(item), output_post(item, completed_kind="yes", remarks_en="Daily meetings were held"))
        assert response.status_code == 302 and response.url.endswith(f"#output-{item.pk}")
        item.refresh_from_db()
        assert (item.remarks, item.remarks_en) == ("", "Daily meetings were held")

    def test_an_explanation_in_english_alone_explains(self, client, report, focal):
        item = get_indicator(report, "1.1.1")
        login(client, focal).post(save_url(item), indicator_post(item, actual="860", variance_explanation_en="Higher than planned"), **HTMX)
        item = Indicator.objects.get(pk=item.pk)
        from indicators import rules

        assert not rules.indicator_state(item).needs_explanation

    def test_a_post_without_the_english_fields_keeps_them(self, client, report, focal):
        item = get_indicator(report, "1.1.1")
        Indicator.objects.filter(pk=item.pk).update(actual_narrative_en="Kept")
        login(client, focal).post(save_url(item), indicator_post(item, actual="860"), **HTMX)
        item.refresh_from_db()
        assert item.actual == "860" and item.actual_narrative_en == "Kept"

    def test_a_stale_english_save_is_refused(self, report, focal, approver):
        item = get_indicator(report, "1.1.1")
        values = {"actual": "", "actual_narrative": "", "variance_explanation": ""}
        indicator_actual_record(indicator=item, by=approver, version=1, actual_narrative_en="Theirs", **values)
        with pytest.raises(StaleVersion):
            indicator_actual_record(indicator=item, by=focal, version=1, actual_narrative_en="Mine", **values)
        item.refresh_from_db()
        assert item.actual_narrative_en == "Theirs"


class TestTranslationView:
    def test_it_counts_what_each_language_misses_per_item_type(self, client, report, focal):
        summary = translation_gaps(report=report)
        # Everything of the factory framework is Chinese only: 2 units, 2 accomplishments,
        # 5 statements, 3 planned outputs and 1 heading miss their English.
        assert summary.counts["unit"] == {"zh-hans": 0, "en": 2}
        assert summary.counts["accomplishment"] == {"zh-hans": 0, "en": 2}
        assert summary.counts["indicator"] == {"zh-hans": 0, "en": 5}
        assert summary.counts["output"] == {"zh-hans": 0, "en": 4}
        Unit.objects.filter(report=report, number="1").update(title="", title_en="Substantive")
        summary = translation_gaps(report=report)
        assert summary.counts["unit"] == {"zh-hans": 1, "en": 1} and summary.totals == {"zh-hans": 1, "en": 12}
        html = login(client, focal).get(translation_url(report)).content.decode()
        assert 'id="translation-counts"' in html and ">12</a>" in html and "Substantive" in html

    def test_a_focal_point_fills_a_missing_english_text(self, client, report, focal):
        ea = ExpectedAccomplishment.objects.get(unit__report=report, number="1.1")
        data = {"kind": "accomplishment", "pk": ea.pk, "field": "text", "language": "en",
                "text": "Progress towards reconciliation", "missing": "en"}
        response = login(client, focal).post(translation_url(report), data)
        assert response.status_code == 302 and response.url.endswith("?missing=en")
        ea.refresh_from_db()
        assert ea.text_en == "Progress towards reconciliation"
        change = ChangeRecord.objects.get(item_type="expectedaccomplishment", item_id=ea.pk)
        assert (change.field, change.new_value, change.actor) == ("text_en", "Progress towards reconciliation", focal)
        # A second translator who had the page open is told, and nothing is overwritten.
        response = client.post(translation_url(report), {**data, "text": "Other"})
        assert response.status_code == 409
        ea.refresh_from_db()
        assert ea.text_en == "Progress towards reconciliation"

    def test_an_actual_text_is_filled_with_its_version_check(self, client, report, focal):
        item = get_indicator(report, "1.1.1")
        Indicator.objects.filter(pk=item.pk).update(variance_explanation="高于计划")
        data = {"kind": "indicator", "pk": item.pk, "field": "variance_explanation", "language": "en",
                "text": "Higher than planned", "version": 1}
        assert login(client, focal).post(translation_url(report), data).status_code == 302
        item.refresh_from_db()
        assert (item.variance_explanation_en, item.version) == ("Higher than planned", 2)
        response = client.post(translation_url(report), {**data, "text": "Stale"})
        assert response.status_code == 409 and "Stale" in response.content.decode()

    def test_headquarters_reads_but_does_not_fill(self, client, report, reviewer):
        html = login(client, reviewer).get(translation_url(report)).content.decode()
        assert 'id="translation-counts"' in html and 'name="text"' not in html
        ea = ExpectedAccomplishment.objects.get(unit__report=report, number="1.1")
        data = {"kind": "accomplishment", "pk": ea.pk, "field": "text", "language": "en", "text": "X"}
        assert client.post(translation_url(report), data).status_code == 403

    def test_a_locked_report_is_read_only(self, report, focal):
        Report.objects.filter(pk=report.pk).update(status=Report.Status.ACCEPTED)
        ea = ExpectedAccomplishment.objects.get(unit__report=report, number="1.1")
        with pytest.raises(ReportLocked):
            content_translation_record(item=ea, field="text", language="en", text="X", by=focal)

    def test_a_planned_text_is_never_rewritten_by_a_translation(self, report, focal):
        output = get_output(report, "1.1", "1")
        with pytest.raises(AlreadyTranslated):
            content_translation_record(item=output, field="planned_text", language="zh-hans", text="改写", version=1, by=focal)
        assert Output.objects.get(pk=output.pk).planned_text == output.planned_text

    def test_another_missions_report_and_item_are_404(self, client, report, other_report, focal):
        assert login(client, focal).get(translation_url(other_report)).status_code == 404
        foreign = ExpectedAccomplishment.objects.get(unit__report=other_report, number="1.1")
        data = {"kind": "accomplishment", "pk": foreign.pk, "field": "text", "language": "en", "text": "X"}
        assert client.post(translation_url(report), data).status_code == 404

    def test_the_page_is_linked_from_the_report_home(self, client, report, focal):
        html = login(client, focal).get(reverse("workflow:report-home", args=[report.pk])).content.decode()
        assert translation_url(report) in html

    def test_its_queries_do_not_grow_with_the_framework(self, client, personas):
        small, large = make_mission_report("UNMIK"), make_mission_report("UNMISS", size=12)
        client.login(username="reviewer", password=PASSWORD)
        counts = []
        for report in (small, large):
            with CaptureQueriesContext(connection) as context:
                assert client.get(translation_url(report)).status_code == 200
            counts.append(len(context.captured_queries))
        assert counts[0] == counts[1] <= 10


def test_the_admin_changes_the_english_actual_side_only_through_the_services():
    from django.contrib import admin

    indicator_admin, output_admin = admin.site._registry[Indicator], admin.site._registry[Output]
    assert {"actual_narrative_en", "variance_explanation_en"} <= set(indicator_admin.readonly_fields)
    assert "remarks_en" in output_admin.readonly_fields
