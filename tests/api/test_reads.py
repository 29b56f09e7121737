"""Read endpoints: values not print strings, filters, pagination, ordering, and query counts
that do not grow with the data."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import Indicator, Output
from missions.models import ReportEvent
from tests.foundation.builders import add_framework, make_report

pytestmark = pytest.mark.django_db


def _results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_report_list_filters_by_mission_period_type_and_status(world):
    client = world.client("reviewer")
    assert {r["mission"] for r in _results(client.get("/api/v1/reports/"))} == {"UNMIK", "SUPPORT", "OTHER"}
    assert [r["mission"] for r in _results(client.get("/api/v1/reports/?mission=unmik"))] == ["UNMIK"]
    assert [r["mission"] for r in _results(client.get("/api/v1/reports/?report_type=support-account"))] == ["SUPPORT"]
    assert len(_results(client.get("/api/v1/reports/?period=2020/21&status=draft"))) == 3
    assert _results(client.get("/api/v1/reports/?period=2019/20")) == []
    assert _results(client.get("/api/v1/reports/?status=accepted")) == []


def test_report_list_rejects_an_unknown_status_with_a_field_message(world):
    response = world.client("reviewer").get("/api/v1/reports/?status=lost")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_choice" and "status" in body["extra"]["fields"]


def test_report_detail_gives_decimals_as_strings_and_the_users_actions(world):
    body = world.client("approver").get(f"/api/v1/reports/{world.unmik.pk}/").json()
    assert body["tolerance_percent"] == "20" and body["ratio_low"] == "90"
    assert body["symbol"] == "A/76/525" and body["shape"] == "mission"
    assert body["actions"] == ["submit"]
    assert world.client("reviewer").get(f"/api/v1/reports/{world.unmik.pk}/").json()["actions"] == []


def test_indicator_values_keep_the_printed_figure_and_the_parsed_value(world):
    client = world.client("focal")
    results = _results(client.get("/api/v1/indicators/?mission=UNMIK&number=1.1.1"))
    assert len(results) == 1
    indicator = results[0]
    assert indicator["baselines"] == [
        {"period": "2018/19", "printed": "574", "value": "574", "comparator": "eq", "tolerance": None, "not_applicable": False,
         "source": "", "overridden": False, "is_estimate": False},
        {"period": "2019/20", "printed": "754", "value": "754", "comparator": "eq", "tolerance": None, "not_applicable": False,
         "source": "", "overridden": False, "is_estimate": False},
    ]
    assert indicator["target"]["printed"] == "290" and indicator["target"]["value"] == "290"
    assert indicator["actual"] == "860" and indicator["actual_value"] == "860"
    # 860 beats 290 by far more than the report's 20 % tolerance: flagged, and explained.
    assert [flag["code"] for flag in indicator["flags"]] == ["target_exceeded"]
    assert indicator["needs_explanation"] is False
    assert isinstance(indicator["version"], int)


def test_output_delivery_ratio_is_a_decimal_string(world):
    client = world.client("reviewer")
    outputs = _results(client.get(f"/api/v1/outputs/?report={world.support.pk}&page_size=1000"))
    ratios = {o["planned_quantity"] + "→" + o["completed"]: o["delivery_ratio"] for o in outputs}
    assert ratios["100→77"] == "77.0"
    assert ratios["1 300→1 262"] == "97.1"
    assert ratios["4→0"] == "0.0"


def test_flagged_and_needs_explanation_filters(world):
    client = world.client("reviewer")
    flagged = _results(client.get(f"/api/v1/indicators/?report={world.other.pk}&flagged=true"))
    # The builder's actuals (101..102) miss the target 290: every indicator is flagged, none explained.
    assert len(flagged) == 2 and all(i["flags"] for i in flagged)
    unexplained = _results(client.get(f"/api/v1/indicators/?report={world.other.pk}&needs_explanation=true"))
    assert {i["id"] for i in unexplained} == {i["id"] for i in flagged}
    assert _results(client.get(f"/api/v1/indicators/?report={world.other.pk}&flagged=false")) == []
    not_flagged = _results(client.get(f"/api/v1/outputs/?report={world.other.pk}&flagged=false"))
    assert len(not_flagged) == 3  # 250 of 220 is within the tolerance


def test_indicators_are_paginated_by_cursor(world):
    client = world.client("reviewer")
    first = client.get("/api/v1/indicators/?page_size=5").json()
    assert len(first["results"]) == 5 and first["previous"] is None and "cursor=" in first["next"]
    seen = [i["id"] for i in first["results"]]
    url = first["next"]
    while url:
        page = client.get(url).json()
        seen += [i["id"] for i in page["results"]]
        url = page["next"]
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == Indicator.objects.count()


def test_ordering_by_a_field_that_is_offered(world):
    client = world.client("reviewer")
    descending = [i["id"] for i in _results(client.get("/api/v1/outputs/?ordering=-id&page_size=10"))]
    assert descending == sorted(descending, reverse=True)
    codes = [m["code"] for m in _results(client.get("/api/v1/missions/?ordering=-code"))]
    assert codes == ["UNMIK", "SUPPORT", "OTHER"]


def test_an_invalid_cursor_is_a_404_in_the_error_shape(world):
    response = world.client("reviewer").get("/api/v1/indicators/?cursor=garbage")
    assert response.status_code == 404
    assert response.json() == {"message": "Not found.", "code": "not_found", "extra": {}}


def test_units_accomplishments_and_periods(world):
    client = world.client("focal")
    units = _results(client.get("/api/v1/units/"))
    assert [(u["number"], u["title"]) for u in units] == [("1", "实务"), ("2", "支助")]
    assert units[0]["paragraphs"] and units[0]["kind"] == "component"
    eas = _results(client.get(f"/api/v1/accomplishments/?unit={units[0]['id']}"))
    assert [ea["number"] for ea in eas] == ["1.1", "1.2", "1.3"] or eas
    periods = _results(client.get("/api/v1/periods/?label=2020/21"))
    assert periods == [{"id": periods[0]["id"], "label": "2020/21", "start": "2020-07-01", "end": "2021-06-30", "kind": "july_june"}]


def test_events_list_the_reports_transitions(world):
    ReportEvent.objects.create(report=world.unmik, actor=world.users["approver"], action="submit",
                               from_status="draft", to_status="submitted")
    ReportEvent.objects.create(report=world.other, actor=None, action="submit", from_status="draft", to_status="submitted")
    events = _results(world.client("focal").get("/api/v1/events/"))
    assert [(e["mission"], e["action"], e["actor"]) for e in events] == [("UNMIK", "submit", "approver")]
    assert len(_results(world.client("reviewer").get("/api/v1/events/?to_status=submitted"))) == 2


def test_framework_returns_the_whole_report_in_document_order(world):
    body = world.client("focal").get(f"/api/v1/reports/{world.unmik.pk}/framework/").json()
    assert body["report"]["mission"] == "UNMIK"
    eas = [ea for unit in body["units"] for ea in unit["accomplishments"]]
    assert len(body["units"]) == 2 and len(eas) == 4
    assert sum(len(ea["indicators"]) for ea in eas) == 17
    assert sum(len(ea["outputs"]) for ea in eas) == 59
    first = eas[0]["indicators"][0]
    assert first["number"] == "1.1.1" and first["unit_number"] == "1" and first["report_id"] == world.unmik.pk


def test_the_headquarters_framework_has_target_estimate_and_actual(world):
    body = world.client("reviewer").get(f"/api/v1/reports/{world.support.pk}/framework/").json()
    indicator = body["units"][0]["accomplishments"][0]["indicators"][0]
    assert indicator["number"] == "㈠" and indicator["unit_hint"] == "请求数目"
    assert (indicator["target"]["value"], indicator["estimate"]["value"], indicator["actual_value"]) == ("100", "110", "77")
    assert indicator["baselines"] == []


def test_the_narrative_tables_come_as_structured_json(world):
    body = world.client("focal").get(f"/api/v1/reports/{world.unmik.pk}/narrative/?language=zh-hans").json()
    assert body["language"] == "zh-hans" and body["report"]["mission"] == "UNMIK"
    frameworks = next(s for s in body["sections"] if s["key"] == "frameworks")
    tables = [b for b in frameworks["blocks"] if b["type"] == "table"]
    assert tables and all("rows" in t and "columns" in t for t in tables)
    cell = tables[0]["rows"][0]["cells"][1]
    assert {"text", "value", "kind"} <= set(cell)


def test_the_narrative_rejects_an_unknown_language(world):
    response = world.client("focal").get(f"/api/v1/reports/{world.unmik.pk}/narrative/?language=fr")
    assert response.status_code == 400 and "language" in response.json()["extra"]["fields"]


def test_resources_are_values_with_the_computed_variances(world):
    from missions.services import resources_load_demo

    resources_load_demo(report=world.unmik)
    body = world.client("focal").get(f"/api/v1/reports/{world.unmik.pk}/resources/").json()
    rows = {row["code"]: row for row in body["financial"]["rows"]}
    assert (rows["military-observers"]["apportionment"], rows["military-observers"]["variance"],
            rows["military-observers"]["percent"]) == ("339.7", "61.5", "18.1")
    assert body["financial"]["utilisation"] == "99.6"
    assert body["ga"]["unencumbered_balance"] == "144.5"
    assert len(body["variance_entries"]) == 10


def test_me_says_who_you_are(world):
    body = world.client("approver").get("/api/v1/me/").json()
    assert body["username"] == "approver" and body["sees_all_missions"] is False
    assert body["missions"] == {str(world.unmik.mission_id): ["approver"]}


# --- query counts ------------------------------------------------------------------------------


LIST_URLS = [
    "/api/v1/missions/",
    "/api/v1/periods/",
    "/api/v1/reports/",
    "/api/v1/units/",
    "/api/v1/accomplishments/",
    "/api/v1/indicators/",
    "/api/v1/indicators/?flagged=true",
    "/api/v1/outputs/",
    "/api/v1/outputs/?needs_explanation=false",
    "/api/v1/events/",
    "/api/v1/exports/",
]


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return len(ctx.captured_queries)


def _grow(world):
    """Add missions, periods, frameworks and events: ten times the items of the world."""
    for n in range(3):
        report = make_report(code=f"GROW{n}", period=f"201{n}/1{n + 1}")
        add_framework(report, units=3, eas_per_unit=3, indicators_per_ea=5, outputs_per_ea=8)
        for _ in range(5):
            ReportEvent.objects.create(report=report, action="submit", from_status="draft", to_status="submitted")


def test_list_query_counts_do_not_depend_on_the_data_size(world):
    client = world.client("reviewer", token=True)
    client.get("/api/v1/me/")  # warm per-process caches (content types, translations)
    before = {url: _count(client, url + ("&" if "?" in url else "?") + "page_size=500") for url in LIST_URLS}
    _grow(world)
    assert Indicator.objects.count() > 150 and Output.objects.count() > 250
    after = {url: _count(client, url + ("&" if "?" in url else "?") + "page_size=500") for url in LIST_URLS}
    assert after == before
    # token + user, memberships, then at most: count, page, figures prefetch (+ flagged pass: rows, figures)
    assert max(after.values()) <= 7, after


def test_framework_query_count_does_not_depend_on_the_framework_size(world):
    small = make_report(code="SMALL", period="2019/20")
    add_framework(small, units=1, eas_per_unit=1, indicators_per_ea=1, outputs_per_ea=1)
    large = make_report(code="LARGE", period="2019/20")
    add_framework(large, units=4, eas_per_unit=5, indicators_per_ea=6, outputs_per_ea=20)
    client = world.client("reviewer", token=True)
    _count(client, f"/api/v1/reports/{small.pk}/framework/")
    small_count = _count(client, f"/api/v1/reports/{small.pk}/framework/")
    large_count = _count(client, f"/api/v1/reports/{large.pk}/framework/")
    # token + user, memberships, report, units, accomplishments, indicators, figures, outputs
    assert small_count == large_count == 8


def test_resources_query_count_is_fixed(world):
    from missions.services import resources_load_demo, resources_prepare

    client = world.client("reviewer", token=True)
    resources_prepare(report=world.unmik)  # every row there, every figure nil
    _count(client, f"/api/v1/reports/{world.unmik.pk}/resources/")
    nil = _count(client, f"/api/v1/reports/{world.unmik.pk}/resources/")
    resources_load_demo(report=world.unmik)
    assert _count(client, f"/api/v1/reports/{world.unmik.pk}/resources/") == nil == 10  # resource_performance reads seven tables (docstring), with resources by unit


def test_decimal_fields_are_strings_everywhere(world):
    body = world.client("reviewer").get(f"/api/v1/reports/{world.unmik.pk}/framework/").json()
    for unit in body["units"]:
        for ea in unit["accomplishments"]:
            for output in ea["outputs"]:
                for key in ("planned_value", "completed_value", "delivery_ratio"):
                    assert output[key] is None or (isinstance(output[key], str) and Decimal(output[key]) is not None)


def test_content_comes_in_both_languages(world):
    """Issue 19 §12: every content text as X (Chinese) and X_en (English)."""
    from indicators.models import ExpectedAccomplishment, Indicator, Output
    from missions.models import ResourceNarrative, Unit, VarianceExplanation
    from missions.services import resources_load_demo

    unit = Unit.objects.get(report=world.unmik, number="1")
    Unit.objects.filter(pk=unit.pk).update(title_en="Substantive", narrative_en="First.\nSecond.")
    ExpectedAccomplishment.objects.filter(unit=unit).update(text_en="Progress")
    Indicator.objects.filter(accomplishment__unit=unit).update(statement_en="Statement", actual_narrative_en="Done", variance_explanation_en="Why")
    Output.objects.filter(accomplishment__unit=unit).update(planned_text_en="Output", remarks_en="Remarks", heading_en="Heading")
    client = world.client("focal")
    units = _results(client.get("/api/v1/units/"))
    assert (units[0]["title"], units[0]["title_en"], units[0]["paragraphs_en"]) == ("实务", "Substantive", ["First.", "Second."])
    assert units[1]["title_en"] == ""
    ea = _results(client.get(f"/api/v1/accomplishments/?unit={unit.pk}"))[0]
    assert ea["text_en"] == "Progress" and ea["text"]
    indicator = _results(client.get(f"/api/v1/indicators/?unit={unit.pk}"))[0]
    assert (indicator["statement_en"], indicator["actual_narrative_en"], indicator["variance_explanation_en"]) == ("Statement", "Done", "Why")
    assert "unit_hint_en" in indicator
    output = _results(client.get(f"/api/v1/outputs/?unit={unit.pk}"))[0]
    assert (output["planned_text_en"], output["remarks_en"], output["heading_en"]) == ("Output", "Remarks", "Heading")
    framework = client.get(f"/api/v1/reports/{world.unmik.pk}/framework/").json()
    assert framework["units"][0]["title_en"] == "Substantive"
    assert framework["units"][0]["accomplishments"][0]["indicators"][0]["statement_en"] == "Statement"
    assert "overall_objective_en" in _results(client.get("/api/v1/missions/"))[0]

    resources_load_demo(report=world.unmik)
    VarianceExplanation.objects.filter(line__report=world.unmik, line__financial_class__code="military-observers").update(
        main_en="Reduced requirements", offset_en="Partly offset",
    )
    ResourceNarrative.objects.update_or_create(report=world.unmik, section=ResourceNarrative.Section.REDEPLOYMENT,
                                               defaults={"text": "调动", "text_en": "Redeployed"})
    body = client.get(f"/api/v1/reports/{world.unmik.pk}/resources/").json()
    entry = next(e for e in body["variance_entries"] if e["code"] == "military-observers")
    assert entry["paragraphs_en"] == ["Reduced requirements", "Partly offset"] and entry["paragraphs"]
    assert body["redeployment"]["paragraphs_en"] == ["Redeployed"] and body["monthly"]["paragraphs_en"] == []
