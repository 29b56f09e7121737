"""Request handling of the API: the body limit before anything reads the body, chunked bodies,
duplicate keys (issue 20 §2–§4)."""

import io
import json

import pytest

from indicators.models import Indicator
from missions.models import ChangeRecord

pytestmark = pytest.mark.django_db


def _indicator(world) -> Indicator:
    return Indicator.objects.get(accomplishment__unit__report=world.unmik, number="1.1.1")


def _url(indicator) -> str:
    return f"/api/v1/indicators/{indicator.pk}/actual/"


def _state(indicator) -> tuple:
    indicator.refresh_from_db()
    return indicator.version, indicator.actual, indicator.actual_narrative, ChangeRecord.objects.count()


@pytest.mark.parametrize("size", [300 * 1024, 3 * 1024 * 1024, 30 * 1024 * 1024])
def test_a_body_over_the_limit_is_a_json_413_whatever_its_size(world, size):
    """Over Django's 2.5 MiB DATA_UPLOAD_MAX_MEMORY_SIZE the answer used to be an HTML 400."""
    indicator = _indicator(world)
    before = _state(indicator)
    body = json.dumps({"version": indicator.version, "actual_narrative": "x" * size}).encode()
    response = world.client("focal", token=True).generic("PATCH", _url(indicator), body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"message": "The request body is too large.", "code": "too_large",
                               "extra": {"limit_bytes": 256 * 1024}}
    assert _state(indicator) == before


def test_the_declared_length_is_enough_to_refuse_unread(world):
    """The limit holds on the header: the body is never read (here it is not even there)."""
    indicator = _indicator(world)
    response = world.client("focal", token=True).generic(
        "PATCH", _url(indicator), b"{}", content_type="application/json", CONTENT_LENGTH=str(10 * 1024 * 1024),
    )
    assert response.status_code == 413 and response.json()["code"] == "too_large"


def _chunked(client, url, body: bytes, *, terminated: bool):
    """A chunked request as a WSGI server hands it on: no Content-Length, the body in wsgi.input
    (already taken apart by gunicorn, which then sets wsgi.input_terminated)."""
    extra = {"CONTENT_LENGTH": "", "HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input": io.BytesIO(body)}
    if terminated:
        extra["wsgi.input_terminated"] = True
    return client.generic("PATCH", url, b"", content_type="application/json", **extra)


def test_a_chunked_patch_is_read_within_the_limit(world):
    indicator = _indicator(world)
    body = json.dumps({"version": indicator.version, "actual": "1,050"}).encode()
    response = _chunked(world.client("focal", token=True), _url(indicator), body, terminated=True)
    assert response.status_code == 200, response.content
    assert response.json()["actual"] == "1 050"


def test_a_chunked_body_over_the_limit_is_a_413(world):
    indicator = _indicator(world)
    before = _state(indicator)
    body = json.dumps({"version": indicator.version, "actual_narrative": "x" * 300 * 1024}).encode()
    response = _chunked(world.client("focal", token=True), _url(indicator), body, terminated=True)
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    assert _state(indicator) == before


def test_a_chunked_body_the_server_cannot_frame_is_a_clear_411(world):
    indicator = _indicator(world)
    before = _state(indicator)
    body = json.dumps({"version": indicator.version, "actual": "5"}).encode()
    response = _chunked(world.client("focal", token=True), _url(indicator), body, terminated=False)
    assert response.status_code == 411
    payload = response.json()
    assert payload["code"] == "length_required" and "Content-Length" in payload["message"]
    assert _state(indicator) == before


@pytest.mark.parametrize("body, key", [
    ('{"version": 1, "version": 7, "actual": "5"}', "version"),
    ('{"version": %(v)s, "actual": "5", "actual": "=1"}', "actual"),
])
def test_duplicate_keys_are_refused_naming_the_key(world, body, key):
    indicator = _indicator(world)
    Indicator.objects.filter(pk=indicator.pk).update(version=7)
    before = _state(indicator)
    response = world.client("focal", token=True).generic(
        "PATCH", _url(indicator), (body % {"v": 7}).encode(), content_type="application/json",
    )
    assert response.status_code == 400, response.content
    payload = response.json()
    assert payload["code"] == "duplicate_key"
    assert f'"{key}"' in payload["message"]
    assert _state(indicator) == before


def test_a_deeply_nested_body_is_a_400_not_a_500(world):
    indicator = _indicator(world)
    body = b'{"version": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = world.client("focal", token=True).generic("PATCH", _url(indicator), body, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "parse_error"


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def gunicorn(tmp_path):
    """The production server (Dockerfile) on a free port; no database is needed for what is asked."""
    import os
    import subprocess
    import sys
    import time
    import urllib.request

    port = _free_port()
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "rbb.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/me/", timeout=1)
            except urllib.error.HTTPError:
                break  # answering (401)
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def _send_chunked(port: int, body: bytes) -> tuple[int, dict]:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    chunks = (body[i:i + 4096] for i in range(0, len(body), 4096))
    connection.request("PATCH", "/api/v1/indicators/1/actual/", body=chunks,
                       headers={"Content-Type": "application/json"}, encode_chunked=True)
    response = connection.getresponse()
    return response.status, json.loads(response.read())


def test_gunicorn_hands_a_chunked_body_on_and_holds_the_limit(gunicorn):
    # Read (not 411): the request gets as far as authentication.
    status, payload = _send_chunked(gunicorn, b'{"version": 1, "actual": "5"}')
    assert (status, payload["code"]) == (401, "not_authenticated")
    status, payload = _send_chunked(gunicorn, b'{"actual_narrative": "' + b"x" * 400 * 1024 + b'"}')
    assert (status, payload["code"]) == (413, "too_large")
