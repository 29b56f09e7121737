"""API tokens: made on the user's own page or with manage.py drf_create_token, used as `Token <key>`."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def _api_as(key: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/v1/me/")


def test_a_user_creates_sees_once_and_revokes_their_token(client, world):
    client.force_login(world.users["focal"])
    page = client.get(reverse("api:token"))
    assert page.status_code == 200 and "You have no token." in page.content.decode()

    created = client.post(reverse("api:token"), {"action": "create"})
    key = Token.objects.get(user=world.users["focal"]).key
    assert key in created.content.decode()
    assert _api_as(key).json()["username"] == "focal"
    assert key not in client.get(reverse("api:token")).content.decode()  # shown once only

    replaced = client.post(reverse("api:token"), {"action": "create"})
    new_key = Token.objects.get(user=world.users["focal"]).key
    assert new_key != key and new_key in replaced.content.decode()
    assert _api_as(key).status_code == 401

    client.post(reverse("api:token"), {"action": "revoke"})
    assert not Token.objects.filter(user=world.users["focal"]).exists()
    assert _api_as(new_key).status_code == 401


def test_the_page_needs_a_login_and_a_csrf_token(world):
    from django.test import Client

    anonymous = Client()
    assert anonymous.get(reverse("api:token")).status_code == 302
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.users["focal"])
    assert strict.post(reverse("api:token"), {"action": "create"}).status_code == 403
    assert not Token.objects.exists()


def test_an_unknown_action_changes_nothing(client, world):
    client.force_login(world.users["focal"])
    response = client.post(reverse("api:token"), {"action": "steal"})
    assert response.status_code == 302 and not Token.objects.exists()


def test_the_page_speaks_chinese(client, world):
    client.force_login(world.users["focal"])
    page = client.get(reverse("api:token"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200 and '<html lang="zh-hans">' in page.content.decode()


def test_drf_create_token_makes_a_working_token(world):
    out = StringIO()
    call_command("drf_create_token", "approver", stdout=out)
    key = Token.objects.get(user=world.users["approver"]).key
    assert key in out.getvalue()
    assert _api_as(key).json()["missions"] == {str(world.unmik.mission_id): ["approver"]}


def test_an_unknown_api_path_is_a_json_404(world):
    client = world.client("focal")
    response = client.get("/api/v1/nothing/here/")
    assert response.status_code == 404
    assert response.json() == {"message": "Not found.", "code": "not_found", "extra": {}}
    assert client.get("/api/v1/reports/abc/").json()["code"] == "not_found"
    assert client.get("/api/v1/reports/" + "9" * 30 + "/").status_code == 404  # no 64-bit overflow
    redirected = client.get("/api/v1/reports")
    assert redirected.status_code == 301 and redirected["Location"].endswith("/api/v1/reports/")
