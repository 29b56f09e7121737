"""Security headers (issue 20 §6): CSP and Permissions-Policy everywhere, no-store on
authenticated API answers, and no inline script in any template (what the CSP forbids)."""

import re
from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_pages_carry_the_policies(world):
    client = Client()
    client.force_login(world.users["focal"])
    for url in ("/", "/accounts/login/", f"/reports/{world.unmik.pk}/framework/", "/api/schema/", "/api/docs/"):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-eval" not in policy and "script-src 'self' 'unsafe-inline'" not in policy
        assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("url", ["/api/v1/me/", "/api/v1/reports/", "/api/v1/export/?period=2020/21"])
def test_authenticated_api_answers_are_not_stored(world, url):
    response = world.client("focal", token=True).get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_a_session_api_answer_and_an_error_are_not_stored_either(world):
    client = Client()
    client.force_login(world.users["focal"])
    assert client.get("/api/v1/me/")["Cache-Control"] == "no-store"
    response = world.client("focal", token=True).get("/api/v1/reports/999999/")
    assert response.status_code == 404 and response["Cache-Control"] == "no-store"


def test_the_swagger_ui_start_up_script_is_a_file():
    html = Client().get("/api/docs/").content.decode()
    assert re.search(r'<script src="[^"]*\?[^"]*script=', html), html
    assert not re.search(r"<script>\s*\S", html)
    script = Client().get("/api/docs/?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE)


def test_no_template_holds_inline_script():
    offenders = []
    for path in ROOT.glob("*/**/templates/**/*.html"):
        if ".venv" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, HANDLER):
            offenders += [f"{path.relative_to(ROOT)}: {m.group()}" for m in pattern.finditer(text)]
        if "javascript:" in text:
            offenders.append(f"{path.relative_to(ROOT)}: javascript:")
    assert offenders == []
