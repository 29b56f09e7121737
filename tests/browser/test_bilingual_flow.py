"""In Chromium (issue 19 §12): the entry page shows both languages side by side and saves the
English text inline; the translation page, reached from the report home, counts what English
lacks and takes a translation; a screenshot of each goes to docs/."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from indicators.models import ExpectedAccomplishment, Indicator, Output
from missions.models import Membership
from tests.entry.factories import get_indicator, get_output, make_mission_report, make_user

from .test_entry_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_both_languages_on_the_entry_page_and_the_translation_page(page, live_server):
    report = make_mission_report()
    make_user("unmik.focal", role=Membership.Role.FOCAL_POINT, mission=report.mission)
    indicator, output = get_indicator(report, "1.1.1"), get_output(report, "1.1", "1")
    Indicator.objects.filter(pk=indicator.pk).update(statement_en="Increased number of activities initiated by municipal mechanisms")
    ExpectedAccomplishment.objects.filter(pk=indicator.accomplishment_id).update(
        text_en="Progress towards reconciliation and integration of all communities in Kosovo",
    )

    log_in(page, live_server, "unmik.focal")
    page.goto(f"{live_server.url}/reports/{report.pk}/entry/{indicator.accomplishment_id}/")
    card = page.locator(f"#indicator-{indicator.pk}")
    expect(card.locator(".statement .own-language")).to_have_text("Increased number of activities initiated by municipal mechanisms")
    expect(card.locator(".statement .other-language")).to_have_text(indicator.statement)
    expect(page.locator(f"#indicator-{get_indicator(report, '1.1.2').pk} .statement .untranslated-label")).to_have_text("[untranslated]")
    # English first on an English page, the Chinese input beside it.
    labels = card.locator(".bilingual").first.locator("label")
    expect(labels.nth(0)).to_have_text("What was achieved (English)")
    expect(labels.nth(1)).to_have_text("What was achieved (Chinese)")
    if os.environ.get("RBB_SCREENSHOTS"):
        card.screenshot(path=str(DOCS / "entry-both-languages.png"))

    out = page.locator(f"#output-{output.pk}")
    out.get_by_label("Yes", exact=True).check()
    out.get_by_label("Remarks (English)").fill("250 field reports were prepared and disseminated")
    out.get_by_role("button", name="Save").click()
    expect(page.locator(f"#output-{output.pk}").get_by_role("status")).to_have_text("Saved.")
    assert Output.objects.get(pk=output.pk).remarks_en == "250 field reports were prepared and disseminated"

    page.goto(f"{live_server.url}/reports/{report.pk}/")
    page.get_by_role("link", name="Translation (Chinese and English)").click()
    counts = page.locator("#translation-counts")
    expect(counts.locator('tr[data-kind="accomplishment"] td').nth(1)).to_have_text("1")
    if os.environ.get("RBB_SCREENSHOTS"):
        page.screenshot(path=str(DOCS / "translation-page.png"), full_page=False)
    counts.locator('tr[data-kind="accomplishment"] td').nth(1).get_by_role("link").click()
    gap = page.locator("article.translation-gap").first
    gap.get_by_label("English text").fill("Effective and efficient support services for the Mission")
    gap.get_by_role("button", name="Save translation").click()
    expect(page.get_by_text("Translation saved.")).to_be_visible()
    expect(page.locator('#translation-counts tr[data-kind="accomplishment"] td').nth(1)).to_have_text("0")
    assert ExpectedAccomplishment.objects.get(unit__report=report, number="2.1").text_en == (
        "Effective and efficient support services for the Mission"
    )
