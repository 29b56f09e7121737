"""The programme plan's API: reads with computed totals, versioned writes, scoping, locks, bad input."""

import pytest
from rest_framework.test import APIClient

from missions.models import ChangeRecord, Membership, Mission, Report
from rbb.programme.models import Deliverable, MeasureCell
from tests.foundation.builders import make_user

pytestmark = pytest.mark.django_db
Role = Membership.Role


@pytest.fixture
def clients(dppa_report):
    def client(user):
        c = APIClient()
        c.force_authenticate(user)
        return c

    return {
        "focal": client(make_user("dppa.focal", role=Role.FOCAL_POINT, mission=dppa_report.mission)),
        "reviewer": client(make_user("hq", role=Role.HQ_REVIEWER)),
        "outsider": client(make_user("other", role=Role.FOCAL_POINT, mission=Mission.objects.create(code="OTHER"))),
    }


def _item(report, number):
    return Deliverable.objects.get(subcategory__subprogramme__report=report, subcategory__subprogramme__number=4, number=number)


def test_the_plan_reads_as_the_interchange_document_with_computed_totals(dppa_report, clients, dppa):
    response = clients["reviewer"].get(f"/api/v1/programme/reports/{dppa_report.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert [sp["number"] for sp in body["document"]["subprogrammes"]] == [2, 4]
    meetings = body["computed"]["4"][1]
    assert (meetings["subcategory"], meetings["totals"]) == (
        "实质性会议服务", {"prior_planned": "63", "prior_actual": "37", "previous_planned": "63", "planned": "43"}
    )
    assert meetings["mismatches"] == []
    nil = body["computed"]["4"][2]
    assert nil["totals"]["prior_actual"] is None  # every item nil: the total is nil (—)


def test_deliverables_list_in_document_order_with_their_state(dppa_report, clients, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = clients["focal"].get(f"/api/v1/programme/reports/{dppa_report.pk}/deliverables/")
    rows = response.json()
    # Each subprogramme's table numbers its own items (subprogramme 2: 1–7, subprogramme 4: 1–15).
    assert [(r["subprogramme"], r["number"]) for r in rows] == [(2, n) for n in range(1, 8)] + [(4, n) for n in range(1, 16)]
    nine = next(r for r in rows if r["subprogramme"] == 4 and r["number"] == 9)
    assert (nine["prior_planned"], nine["prior_actual"], nine["needs_explanation"], nine["complete"]) == ("20", "8", True, False)


def test_a_patch_records_with_the_version_and_a_stale_one_is_a_409(dppa_report, clients):
    item = _item(dppa_report, 9)
    url = f"/api/v1/programme/reports/{dppa_report.pk}/deliverables/{item.pk}/"
    ok = clients["focal"].patch(url, {"version": 1, "explanation": "会议减少。"}, format="json")
    assert ok.status_code == 200, ok.json()
    assert (ok.json()["version"], ok.json()["complete"]) == (2, True)
    assert ChangeRecord.objects.filter(item_type="deliverable", item_id=item.pk, field="explanation").exists()
    stale = clients["focal"].patch(url, {"version": 1, "prior_actual": "7"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["extra"]["current"]["prior_actual"] == "8"
    bad = clients["focal"].patch(url, {"version": 2, "prior_actual": "many", "colour": "red"}, format="json")
    assert bad.status_code == 400
    wrong = clients["focal"].patch(url, {"version": 2, "prior_actual": "many"}, format="json")
    assert wrong.status_code == 400 and wrong.json()["code"] == "not_a_count"
    assert _item(dppa_report, 9).prior_actual == "8"


def test_cells_outside_year_minus_2_actual_and_plan_year_are_refused(dppa_report, clients):
    cells = clients["focal"].get(f"/api/v1/programme/reports/{dppa_report.pk}/cells/").json()
    editable = [c for c in cells if c["editable"]]
    assert {(c["year"], c["kind"]) for c in editable} == {(2022, "actual"), (2024, "planned")}
    other = next(c for c in cells if not c["editable"])
    url = f"/api/v1/programme/reports/{dppa_report.pk}/cells/{other['id']}/"
    assert clients["focal"].patch(url, {"version": other["version"], "text": "x"}, format="json").status_code == 400
    target = editable[0]
    url = f"/api/v1/programme/reports/{dppa_report.pk}/cells/{target['id']}/"
    ok = clients["focal"].patch(url, {"version": target["version"], "text_en": "English"}, format="json")
    assert ok.status_code == 200 and MeasureCell.objects.get(pk=target["id"]).text_en == "English"


def test_another_entity_is_a_404_and_a_reviewer_cannot_write(dppa_report, clients):
    item = _item(dppa_report, 9)
    for url in (f"/api/v1/programme/reports/{dppa_report.pk}/", f"/api/v1/programme/reports/{dppa_report.pk}/deliverables/"):
        assert clients["outsider"].get(url).status_code == 404
    url = f"/api/v1/programme/reports/{dppa_report.pk}/deliverables/{item.pk}/"
    assert clients["outsider"].patch(url, {"version": 1}, format="json").status_code == 404
    assert clients["reviewer"].patch(url, {"version": 1, "prior_actual": "9"}, format="json").status_code == 403


def test_a_locked_plan_refuses_writes(dppa_report, clients):
    Report.objects.filter(pk=dppa_report.pk).update(status=Report.Status.ACCEPTED)
    item = _item(dppa_report, 9)
    url = f"/api/v1/programme/reports/{dppa_report.pk}/deliverables/{item.pk}/"
    assert clients["focal"].patch(url, {"version": 1, "prior_actual": "9"}, format="json").status_code == 409
    assert _item(dppa_report, 9).prior_actual == "8"


def test_the_openapi_schema_lists_the_programme_endpoints(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert {
        "/api/v1/programme/reports/{id}/", "/api/v1/programme/reports/{id}/deliverables/",
        "/api/v1/programme/reports/{report_pk}/deliverables/{id}/", "/api/v1/programme/reports/{report_pk}/cells/{id}/",
    } <= set(schema["paths"])


def test_the_iati_export_carries_results_with_measures_and_deliverables(dppa_report, clients):
    from lxml import etree

    from rbb.iati import iati_validate

    response = clients["reviewer"].get(f"/api/v1/reports/{dppa_report.pk}/iati.xml?preview=true")  # no registered reporting-org in tests
    assert response.status_code == 200
    xml = b"".join(response) if hasattr(response, "streaming_content") else response.content
    assert iati_validate(xml) == []
    root = etree.fromstring(xml)
    outputs = root.findall(".//result[@type='1']")
    assert len(outputs) == 22
    nine = next(r for r in outputs if r.findtext("title/narrative").startswith("9. 特别委员会全体会议"))
    first = nine.find("indicator/period")
    assert (first.find("period-start").get("iso-date"), first.find("target").get("value"), first.find("actual").get("value")) == (
        "2022-01-01", "20", "8",
    )
    fifteen = next(r for r in outputs if r.findtext("title/narrative").startswith("15. "))
    assert fifteen.find("indicator/period/actual").get("value") == "0"  # "—": none delivered
    outcomes = root.findall(".//result[@type='2']")
    # Subprogramme 4's performance and three planned results have tables; subprogramme 2's are figures.
    assert len(outcomes) == 4
    years = [p.find("period-start").get("iso-date")[:4] for p in outcomes[1].findall("indicator/period")]
    assert years == ["2021", "2022", "2023", "2024"]  # 2020 is "—": no entry
