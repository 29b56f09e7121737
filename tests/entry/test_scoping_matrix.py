"""Role × action × own/other mission, through the real URLs.

A mission person gets 404 for anything of another mission, as for a report that does not
exist; someone who may see a report but not do the action gets 403.
"""

import pytest
from django.urls import reverse

from missions.models import Report

from .factories import PASSWORD, fill_report, get_indicator, get_output, make_mission_report

pytestmark = pytest.mark.django_db

PERSONAS = ["focal", "focal_limited", "approver", "reviewer", "admin", "viewer", "viewer_all", "outsider"]
MISSION_PEOPLE = {"focal", "focal_limited", "approver", "viewer"}  # roles on mission A only

READ = {persona: 200 for persona in PERSONAS} | {"outsider": 404}
DONE = 302  # a plain form post redirects when it worked
EXPECTED = {
    "home": READ,
    "framework": READ,
    "entry": READ,
    "indicator_history": READ,
    "output_history": READ,
    "indicator_preview": READ,
    # Unit 1 items: the limited focal point may edit unit 2 only.
    "save_indicator": {"focal": DONE, "approver": DONE, "outsider": 404},
    "save_output": {"focal": DONE, "approver": DONE, "outsider": 404},
    "submit": {"approver": DONE, "outsider": 404},
    "return": {"reviewer": DONE, "admin": DONE, "outsider": 404},
    "accept": {"reviewer": DONE, "admin": DONE, "outsider": 404},
    "reopen": {"admin": DONE, "outsider": 404},
}
STATUS_FOR = {"return": Report.Status.SUBMITTED, "accept": Report.Status.SUBMITTED, "reopen": Report.Status.ACCEPTED}


def expected_status(action, persona, mission):
    if mission == "other" and persona in MISSION_PEOPLE:
        return 404
    return EXPECTED[action].get(persona, 403)


def request(client, action, report):
    indicator, output = get_indicator(report, "1.1.1"), get_output(report, "1.1", "1")
    pk, ea = report.pk, indicator.accomplishment_id
    if action == "home":
        return client.get(reverse("workflow:report-home", args=[pk]))
    if action == "framework":
        return client.get(reverse("indicators:framework", args=[pk]))
    if action == "entry":
        return client.get(reverse("indicators:entry", args=[pk, ea]))
    if action == "indicator_history":
        return client.get(reverse("indicators:indicator-history", args=[pk, indicator.pk]))
    if action == "output_history":
        return client.get(reverse("indicators:output-history", args=[pk, output.pk]))
    if action == "indicator_preview":
        return client.get(reverse("indicators:indicator-preview", args=[pk, indicator.pk]), {f"indicator-{indicator.pk}-actual": "5"})
    if action == "save_indicator":
        prefix = f"indicator-{indicator.pk}"
        return client.post(reverse("indicators:indicator-save", args=[pk, indicator.pk]), {f"{prefix}-version": indicator.version, f"{prefix}-actual": "860"})
    if action == "save_output":
        prefix = f"output-{output.pk}"
        return client.post(reverse("indicators:output-save", args=[pk, output.pk]), {f"{prefix}-version": output.version, f"{prefix}-completed_kind": "yes"})
    data = {"submit": {"submit-certify": "on"}, "return": {"return-comment": "请修改"}, "accept": {}, "reopen": {"reopen-reason": "更正"}}[action]
    return client.post(reverse(f"workflow:report-{action}", args=[pk]), data)


@pytest.mark.parametrize("mission", ["own", "other"])
@pytest.mark.parametrize("action", list(EXPECTED))
@pytest.mark.parametrize("persona", PERSONAS)
def test_scoping(client, personas, persona, action, mission):
    report = make_mission_report("UNMIK" if mission == "own" else "UNMISS")
    fill_report(report)
    if action in STATUS_FOR:
        Report.objects.filter(pk=report.pk).update(status=STATUS_FOR[action])
    before = Report.objects.get(pk=report.pk).status
    assert client.login(username=personas[persona].username, password=PASSWORD)
    response = request(client, action, report)
    expected = expected_status(action, persona, mission)
    assert response.status_code == expected, response.content[:300]
    if expected != DONE and action in {"submit", "return", "accept", "reopen"}:
        assert Report.objects.get(pk=report.pk).status == before


@pytest.mark.parametrize("action", ["save_indicator", "save_output", "home", "entry"])
def test_anonymous_users_are_sent_to_log_in(client, action):
    report = make_mission_report()
    response = request(client, action, report)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_htmx_endpoints_of_another_mission_are_404_too(client, personas):
    report = make_mission_report("UNMISS")
    indicator = get_indicator(report, "1.1.1")
    client.login(username="focal", password=PASSWORD)
    prefix = f"indicator-{indicator.pk}"
    response = client.post(
        reverse("indicators:indicator-save", args=[report.pk, indicator.pk]),
        {f"{prefix}-version": 1, f"{prefix}-actual": "860"}, HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 404


def test_an_item_of_another_report_under_my_report_url_is_404(client, personas):
    mine, theirs = make_mission_report("UNMIK"), make_mission_report("UNMISS")
    indicator = get_indicator(theirs, "1.1.1")
    client.login(username="focal", password=PASSWORD)
    prefix = f"indicator-{indicator.pk}"
    response = client.post(
        reverse("indicators:indicator-save", args=[mine.pk, indicator.pk]), {f"{prefix}-version": 1, f"{prefix}-actual": "860"}
    )
    assert response.status_code == 404
    assert client.get(reverse("indicators:entry", args=[mine.pk, indicator.accomplishment_id])).status_code == 404


def test_the_limited_focal_point_edits_their_own_unit(client, personas):
    report = make_mission_report()
    indicator = get_indicator(report, "2.1.1")
    client.login(username="focal_limited", password=PASSWORD)
    prefix = f"indicator-{indicator.pk}"
    response = client.post(
        reverse("indicators:indicator-save", args=[report.pk, indicator.pk]), {f"{prefix}-version": 1, f"{prefix}-actual": "27%"}
    )
    assert response.status_code == 302
    html = client.get(reverse("indicators:entry", args=[report.pk, get_indicator(report, "1.1.1").accomplishment_id])).content.decode()
    assert "hx-post" not in html  # unit 1 is read-only for them
