"""Sign-in is limited: 5 failures per username and address in 15 minutes, then HTTP 429 with a reason."""

import time
from unittest import mock

import pytest
from django.urls import reverse

from rbb import auth
from tests.entry.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _sign_in(client, username, password, address="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_the_sixth_attempt_after_five_failures_is_refused_with_429_even_with_the_right_password(client):
    make_user("alice")
    for _ in range(auth.LOGIN_FAILURE_LIMIT):
        response = _sign_in(client, "alice", "wrong")
        assert response.status_code == 200
        assert "correct username and password" in response.content.decode()

    response = _sign_in(client, "alice", PASSWORD)

    assert response.status_code == 429
    assert response["Retry-After"] == str(auth.LOGIN_FAILURE_WINDOW)
    assert str(auth.TOO_MANY_ATTEMPTS_MESSAGE) in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_limit_is_per_username_and_address(client):
    make_user("alice")
    make_user("bob")
    for _ in range(auth.LOGIN_FAILURE_LIMIT):
        _sign_in(client, "alice", "wrong")

    assert _sign_in(client, "alice", PASSWORD, address="198.51.100.1").status_code == 302  # another address
    client.logout()
    assert _sign_in(client, "bob", PASSWORD).status_code == 302  # another username
    client.logout()
    assert _sign_in(client, "ALICE ", PASSWORD).status_code == 429  # the same username, typed differently


def test_a_successful_sign_in_clears_the_count(client):
    make_user("alice")
    for _ in range(auth.LOGIN_FAILURE_LIMIT - 1):
        _sign_in(client, "alice", "wrong")
    assert _sign_in(client, "alice", PASSWORD).status_code == 302
    client.logout()

    for _ in range(auth.LOGIN_FAILURE_LIMIT - 1):
        assert _sign_in(client, "alice", "wrong").status_code == 200
    assert auth.login_failures(username="alice", address="203.0.113.7") == auth.LOGIN_FAILURE_LIMIT - 1


def test_unknown_usernames_are_limited_the_same_way(client):
    for _ in range(auth.LOGIN_FAILURE_LIMIT):
        assert _sign_in(client, "nobody", "guess").status_code == 200
    assert _sign_in(client, "nobody", "guess").status_code == 429


def test_the_window_ends_after_its_time(client):
    make_user("alice")
    with mock.patch.object(auth, "LOGIN_FAILURE_WINDOW", 1):  # one second instead of fifteen minutes
        for _ in range(auth.LOGIN_FAILURE_LIMIT):
            _sign_in(client, "alice", "wrong")
        assert _sign_in(client, "alice", PASSWORD).status_code == 429
        time.sleep(1.1)
        assert _sign_in(client, "alice", PASSWORD).status_code == 302


def test_the_admin_sign_in_counts_the_same_failures(client):
    admin = make_user("root")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    url = reverse("admin:login")
    for _ in range(auth.LOGIN_FAILURE_LIMIT):
        assert client.post(url, {"username": "root", "password": "wrong"}, REMOTE_ADDR="203.0.113.7").status_code == 200

    response = client.post(url, {"username": "root", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 429
    assert str(auth.TOO_MANY_ATTEMPTS_MESSAGE) in response.content.decode()
    # and the site's page refuses as well: one count for both doors
    assert _sign_in(client, "root", PASSWORD).status_code == 429
