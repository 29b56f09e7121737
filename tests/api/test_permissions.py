"""The permission matrix: every role × every endpoint × its own mission and another one.

Scoping is the screens' (missions.selectors): HQ roles and all-mission viewers see every
mission; mission staff and mission viewers see theirs; another mission's object is a 404,
exactly like one that does not exist. Who may write is the services' rule.
"""

import pytest

from indicators.models import ExpectedAccomplishment, Indicator, Output
from missions.models import Unit

pytestmark = pytest.mark.django_db

ALL = "all"
SEES = {
    "focal": {"UNMIK"}, "approver": {"UNMIK"}, "unmik_viewer": {"UNMIK"}, "other_focal": {"OTHER"},
    "reviewer": ALL, "admin": ALL, "viewer": ALL, "outsider": set(),
}
ENTERS = {"focal": {"UNMIK"}, "approver": {"UNMIK"}, "other_focal": {"OTHER"}}
SUBMITS = {"approver": {"UNMIK"}}
REVIEWS = {"reviewer", "admin"}  # return and accept
REOPENS = {"admin"}


def _sees(persona, code) -> bool:
    return SEES[persona] == ALL or code in SEES[persona]


def _objects(report) -> dict:
    unit = Unit.objects.filter(report=report).first()
    return {
        "unit": unit,
        "ea": ExpectedAccomplishment.objects.filter(unit=unit).first(),
        "indicator": Indicator.objects.filter(accomplishment__unit__report=report).first(),
        "output": Output.objects.filter(accomplishment__unit__report=report).first(),
    }


def _reads(report, o) -> list[str]:
    r = report.pk
    return [
        f"/api/v1/reports/{r}/", f"/api/v1/reports/{r}/framework/", f"/api/v1/reports/{r}/narrative/",
        f"/api/v1/reports/{r}/resources/", f"/api/v1/reports/{r}/iati.xml?preview=true",
        f"/api/v1/missions/{report.mission_id}/", f"/api/v1/units/{o['unit'].pk}/", f"/api/v1/accomplishments/{o['ea'].pk}/",
        f"/api/v1/indicators/{o['indicator'].pk}/", f"/api/v1/outputs/{o['output'].pk}/",
        f"/api/v1/indicators/{o['indicator'].pk}/changes/", f"/api/v1/outputs/{o['output'].pk}/changes/",
    ]


def _expected_write(persona, code, allowed: dict | set, permitted_status: int) -> int:
    if persona is None:
        return 401
    if not _sees(persona, code):
        return 404
    if isinstance(allowed, set):
        return permitted_status if persona in allowed else 403
    return permitted_status if code in allowed.get(persona, set()) else 403


@pytest.mark.parametrize("persona", [None, *SEES])
def test_permission_matrix(world, persona):
    client = world.client(persona)
    problems = []

    def check(method, url, expected, body=None):
        response = getattr(client, method)(url, body, format="json") if body is not None else getattr(client, method)(url)
        if response.status_code != expected:
            problems.append(f"{method.upper()} {url}: {response.status_code}, expected {expected}")
        elif expected >= 400:
            body = response.json()
            if set(body) != {"message", "code", "extra"}:
                problems.append(f"{method.upper()} {url}: error body {body}")

    for report in (world.unmik, world.other):
        code = report.mission.code
        objects = _objects(report)
        read_status = 401 if persona is None else (200 if _sees(persona, code) else 404)
        for url in _reads(report, objects):
            check("get", url, read_status)

        indicator, output = objects["indicator"], objects["output"]
        # Permitted writes that change nothing keep the data as it is for the next checks.
        check("patch", f"/api/v1/indicators/{indicator.pk}/actual/", _expected_write(persona, code, ENTERS, 200),
              {"version": indicator.version})
        check("patch", f"/api/v1/outputs/{output.pk}/delivery/", _expected_write(persona, code, ENTERS, 200),
              {"version": output.version})
        # The reports are drafts, incomplete: a permitted submit is refused as incomplete (409),
        # a permitted accept or reopen as not possible from draft (409); others are refused (403).
        check("post", f"/api/v1/reports/{report.pk}/submit/", _expected_write(persona, code, SUBMITS, 409), {})
        check("post", f"/api/v1/reports/{report.pk}/accept/", _expected_write(persona, code, REVIEWS, 409), {})
        check("post", f"/api/v1/reports/{report.pk}/return/", _expected_write(persona, code, REVIEWS, 409), {"comment": "x"})
        check("post", f"/api/v1/reports/{report.pk}/reopen/", _expected_write(persona, code, REOPENS, 409), {"reason": "x"})
        # Review comments: headquarters starts a thread (201), everyone else who sees the item is refused.
        check("post", f"/api/v1/indicators/{indicator.pk}/comments/", _expected_write(persona, code, REVIEWS, 201),
              {"body": "Please explain."})

    assert problems == []


LISTS = ["/api/v1/reports/", "/api/v1/units/", "/api/v1/accomplishments/", "/api/v1/indicators/", "/api/v1/outputs/"]


@pytest.mark.parametrize("persona", list(SEES))
def test_lists_hold_exactly_the_missions_the_role_sees(world, persona):
    client = world.client(persona)
    expected = {"UNMIK", "SUPPORT", "OTHER"} if SEES[persona] == ALL else SEES[persona]
    code_of_report = {world.unmik.pk: "UNMIK", world.support.pk: "SUPPORT", world.other.pk: "OTHER"}
    for url in LISTS:
        results = client.get(url, {"page_size": 500}).json()["results"]
        missions = {row.get("mission") or code_of_report[row["report_id"]] for row in results}
        assert missions == expected, url
    codes = {m["code"] for m in client.get("/api/v1/missions/").json()["results"]}
    assert codes == expected


def test_anonymous_requests_are_401_with_a_token_challenge(world):
    response = world.client(None).get("/api/v1/reports/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"


def test_a_wrong_token_is_401(world):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    response = client.get("/api/v1/reports/")
    assert response.status_code == 401 and response.json()["code"] == "authentication_failed"
