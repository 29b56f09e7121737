"""An IATI file a registry accepts (issue 20 §8): the IATI Standard rulesets' conditions
(rbb.iati.rules, listed in docs/api.md) hold on what is served for publication; a file that
breaks one is refused for publication and served only as a preview."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from lxml import etree

from missions.models import Mission
from rbb.iati import activities_build, iati_validate
from rbb.iati.rules import publication_problems
from rbb.iati.selectors import reports_with_framework
from tests.foundation.builders import make_report

from .test_iati import C, _output, odd_mission  # noqa: F401 — the odd cases' fixture

pytestmark = pytest.mark.django_db

REF = "XM-DAC-41000"


@pytest.fixture
def publishable(world, settings):
    """A registered reporting-org ref, and each entity's recipient and sector set by the budget administrator."""
    settings.IATI_REPORTING_ORG_REF = REF
    Mission.objects.filter(code="UNMIK").update(iati_recipient_country="XK", iati_sector_code="15230")
    Mission.objects.exclude(code="UNMIK").update(iati_recipient_region="998", iati_sector_code="15230")


def test_the_placeholder_ref_and_missing_entity_fields_are_refused_for_publication(world):
    response = world.client("focal").get(f"/api/v1/reports/{world.unmik.pk}/iati.xml")
    assert response.status_code == 409
    payload = response.json()
    assert payload["code"] == "iati_not_publishable"
    problems = "\n".join(payload["extra"]["problems"])
    assert "“XX-RBB-TRACKER” is a placeholder" in problems
    assert "no recipient-country or recipient-region" in problems and "no sector" in problems


def test_a_preview_is_served_valid_and_says_what_is_missing(world):
    response = world.client("focal").get(f"/api/v1/reports/{world.unmik.pk}/iati.xml?preview=true")
    assert response.status_code == 200
    assert iati_validate(response.content) == []
    assert b"<!-- Preview, not for publication." in response.content and b"is a placeholder" in response.content


def test_the_publication_file_meets_every_rule(world, publishable, odd_mission):  # noqa: F811
    Mission.objects.filter(code="ODD").update(iati_recipient_region="998", iati_sector_code="15230")
    response = world.client("reviewer").get("/api/v1/iati.xml?period=2020/21")
    assert response.status_code == 200, response.content
    xml = response.content
    assert iati_validate(xml) == [] and publication_problems(xml) == []
    root = etree.fromstring(xml)
    unmik = next(a for a in root.iter("iati-activity") if a.findtext("iati-identifier") == f"{REF}-UNMIK-2020-21")
    assert unmik.find("recipient-country").attrib == {"code": "XK", "percentage": "100"}
    assert unmik.find("sector").attrib == {"vocabulary": "1", "code": "15230", "percentage": "100"}
    # 2020/21 is over: completed, with its actual start and end.
    assert unmik.find("activity-status").get("code") == "3"
    dates = {d.get("type"): d.get("iso-date") for d in unmik.findall("activity-date")}
    assert dates == {"1": "2020-07-01", "2": "2020-07-01", "3": "2021-06-30", "4": "2021-06-30"}
    support = next(a for a in root.iter("iati-activity") if "SUPPORT" in a.findtext("iati-identifier"))
    assert support.find("recipient-region").attrib == {"code": "998", "vocabulary": "1", "percentage": "100"}


def test_several_figures_are_paired_by_dimension(world, publishable, odd_mission):  # noqa: F811
    Mission.objects.filter(code="ODD").update(iati_recipient_region="998", iati_sector_code="15230")
    root = etree.fromstring(world.client("reviewer").get(f"/api/v1/reports/{odd_mission.pk}/iati.xml").content)

    def pairs(nodes):
        return [(n.get("value"), [(d.get("name"), d.get("value")) for d in n.findall("dimension")]) for n in nodes]

    compound = next(r for r in root.iter("result") if r.findtext("title/narrative") == "Output 2")
    period = compound.find("indicator/period")
    assert pairs(period.findall("target")) == [("200", [("figure", "1")]), ("500", [("figure", "2")])]
    assert pairs(period.findall("actual")) == [("180", [("figure", "1")]), ("841", [("figure", "2")])]
    three = next(i for i in root.iter("indicator") if i.findtext("title/narrative").startswith("1.1.2"))
    assert pairs(three.findall("period/actual")) == [("24", [("figure", "1")]), ("23", [("figure", "2")]), ("37", [("figure", "3")])]
    single = next(r for r in root.iter("result") if r.findtext("title/narrative") == "Output 1")
    assert single.find("indicator/period/actual/dimension") is None


def test_a_period_not_over_has_no_actual_end_and_a_future_one_no_actual_start(world, publishable):
    today = datetime.date.today()
    running = make_report(code="RUN", period=f"{today.year - 1}/{str(today.year)[2:]}")
    running.period.start, running.period.end = today - datetime.timedelta(days=10), today + datetime.timedelta(days=300)
    running.period.save()
    future = make_report(code="LATER", period="2098/99")
    Mission.objects.filter(code__in=["RUN", "LATER"]).update(iati_recipient_country="XK", iati_sector_code="15230")
    for report, expected, status in ((running, {"1", "2", "3"}, "2"), (future, {"1", "3"}, "1")):
        xml = activities_build(list(reports_with_framework(type(report).objects.filter(pk=report.pk))))
        activity = etree.fromstring(xml).find("iati-activity")
        assert {d.get("type") for d in activity.findall("activity-date")} == expected
        assert activity.find("activity-status").get("code") == status  # implementation, pipeline
        assert publication_problems(xml) == []


# --- each rule catches what it is for ------------------------------------------------------------


def _good(world, settings) -> etree._Element:
    settings.IATI_REPORTING_ORG_REF = REF
    Mission.objects.filter(code="UNMIK").update(iati_recipient_country="XK", iati_sector_code="15230")
    root = etree.fromstring(activities_build(list(reports_with_framework(type(world.unmik).objects.filter(pk=world.unmik.pk)))))
    assert publication_problems(etree.tostring(root)) == []
    return root


def _break(root, how) -> list[str]:
    how(root.find("iati-activity"))
    return publication_problems(etree.tostring(root))


@pytest.mark.parametrize("how, words", [
    (lambda a: a.find("iati-identifier").__setattr__("text", "OTHER-UNMIK"), "does not start with"),
    (lambda a: a.find("reporting-org").set("ref", "XX-ANY"), "placeholder"),
    (lambda a: a.remove(a.find("recipient-country")), "no recipient-country"),
    (lambda a: a.find("recipient-country").set("percentage", "60"), "do not add up to 100"),
    (lambda a: a.remove(a.find("sector")), "no sector"),
    (lambda a: a.find("sector").set("code", "152"), "does not have 5 digits"),
    (lambda a: (a.find("sector").set("vocabulary", "99")), "needs a vocabulary-uri"),
    (lambda a: a.find("activity-date[@type='4']").set("iso-date", "2999-01-01"), "in the future"),
    (lambda a: a.remove(a.find("activity-date[@type='4']")), "needs an actual end date"),
    (lambda a: a.remove(a.find("activity-date[@type='2']")), "needs an actual start date"),
    (lambda a: a.find("result/indicator/period/period-start").set("iso-date", "2030-01-01"), "starts after it ends"),
    (lambda a: a.find("result/indicator/period").append(etree.fromstring('<actual value="1"/>')), "not told apart by dimensions"),
    (lambda a: a.find("result/indicator/baseline").attrib.pop("value"), "needs a value and a year"),
    (lambda a: (a.find("result/indicator").set("measure", "5")), "qualitative indicator"),
])
def test_each_rule_catches_its_case(world, settings, how, words):
    problems = _break(_good(world, settings), how)
    assert any(words in problem for problem in problems), problems


def test_the_budget_administrator_sets_valid_codes(world):
    mission = Mission.objects.get(code="UNMIK")
    for fields, field in (
        ({"iati_recipient_country": "XK", "iati_recipient_region": "998"}, "iati_recipient_region"),
        ({"iati_recipient_country": "Kosovo"}, "iati_recipient_country"),
        ({"iati_sector_code": "152"}, "iati_sector_code"),
        ({"iati_sector_vocabulary": "99", "iati_sector_code": "PK-1"}, "iati_sector_vocabulary_uri"),
    ):
        for name, value in fields.items():
            setattr(mission, name, value)
        with pytest.raises(ValidationError) as caught:
            mission.full_clean()
        assert field in caught.value.message_dict
        mission.refresh_from_db()


def test_the_admin_shows_the_iati_fields_to_the_budget_administrator(world, client):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    mission = Mission.objects.get(code="UNMIK")
    page = client.get(f"/admin/missions/mission/{mission.pk}/change/").content.decode()
    assert 'name="iati_recipient_country"' in page and 'name="iati_sector_code"' in page
