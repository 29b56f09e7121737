"""CSRF is enforced on every route that takes a form or an htmx post, pages and API alike.

Every URL the project routes is posted to without a token by a signed-in person, with the
client Django uses to check CSRF (enforce_csrf_checks=True): each must refuse with 403. The
pages hand the token to htmx (hx-headers) and to every POST form, and a post that carries
it goes through.
"""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RoutePattern

from rbb.api.views import api_not_found
from tests.entry.factories import get_indicator

pytestmark = pytest.mark.django_db

PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
SAMPLES = {"int": "1", "id": "1", "slug": "redeployment", "str": "missions", "path": "1", "uuid": "00000000-0000-0000-0000-000000000001"}


def _routes(patterns=None, prefix=""):
    """(concrete path, view) for every route pattern, parameters filled with sample values."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if not isinstance(pattern.pattern, RoutePattern):
            continue  # regex routes: the admin's app index and the API's catch-all 404, checked apart
        route = prefix + PARAM.sub(lambda m: SAMPLES.get(m["converter"] or "str", "1"), str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield "/" + route, pattern.callback


def _exempt(view) -> bool:
    return getattr(view, "csrf_exempt", False)


@pytest.fixture
def signed_in(report, approver):
    client = Client(enforce_csrf_checks=True)
    client.force_login(approver)
    return client


def test_no_page_is_exempt_from_csrf_only_the_api_views_which_check_it_themselves():
    exempt = {(path, view) for path, view in _routes() if _exempt(view)}
    # DRF's views are exempt from the middleware because SessionAuthentication enforces CSRF
    # itself for cookie-signed-in requests (token requests carry no cookie to forge).
    pages = sorted(path for path, view in exempt if not hasattr(view, "cls") and view is not api_not_found)
    assert pages == []


def test_every_route_refuses_a_post_without_the_token(signed_in):
    checked, accepted = 0, []
    for path, view in _routes():
        try:
            if resolve(path).func is not view:
                continue  # shadowed by an earlier route
        except Resolver404:
            continue
        if view is api_not_found:
            continue
        # Error pages carry the language form and so set a CSRF cookie; each post starts without
        # one, as a forged cross-site post would (with a cookie and no token DRF reads the body
        # to look for the token, and a JSON-only route answers 415: refused all the same).
        signed_in.cookies.pop("csrftoken", None)
        response = signed_in.post(path, {"x": "1"})
        checked += 1
        if response.status_code != 403:
            accepted.append((path, response.status_code))
    assert checked > 50
    assert accepted == []


def test_the_api_refuses_cookie_signed_in_writes_without_the_token(signed_in, report):
    item = get_indicator(report, "1.1.1")
    response = signed_in.patch(f"/api/v1/indicators/{item.pk}/actual/", {"version": 1, "actual": "5"}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["message"]


def test_pages_give_htmx_and_every_post_form_the_token(signed_in, report):
    item = get_indicator(report, "1.1.1")
    for url in (f"/reports/{report.pk}/entry/{item.accomplishment_id}/", f"/reports/{report.pk}/", f"/reports/{report.pk}/resources/",
                f"/reports/{report.pk}/resources/financial/", "/api/token/", "/accounts/login/"):
        html = signed_in.get(url).content.decode()
        assert re.search(r"""hx-headers='\{"X-CSRFToken": "[^"]{32,}"\}'""", html), url
        forms = re.findall(r'<form[^>]*method="post"[^>]*>(.*?)</form>', html, flags=re.S | re.I)
        assert forms, url
        assert all('name="csrfmiddlewaretoken"' in form for form in forms), url


def test_an_htmx_save_with_the_pages_token_goes_through(signed_in, report):
    item = get_indicator(report, "1.1.1")
    page = signed_in.get(f"/reports/{report.pk}/entry/{item.accomplishment_id}/").content.decode()
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page)[1]
    prefix = f"indicator-{item.pk}"
    data = {f"{prefix}-version": item.version, f"{prefix}-actual": "12", f"{prefix}-actual_narrative": "", f"{prefix}-variance_explanation": ""}
    url = f"/reports/{report.pk}/indicators/{item.pk}/"

    assert signed_in.post(url, data, HTTP_HX_REQUEST="true").status_code == 403
    assert signed_in.post(url, data, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=token).status_code == 200
