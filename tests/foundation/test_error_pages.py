"""403/404/500 pages in the site's layout and the user's language, with a way back; a refused
request is one line in the console, not a traceback."""

import io
import logging
import sys

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views import defaults

from rbb.log_filters import ClientErrorsOnOneLine
from tests.entry.factories import make_user

pytestmark = pytest.mark.django_db


def _request(language="zh-hans"):
    request = RequestFactory().get("/somewhere/")
    request.LANGUAGE_CODE = language
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    return request


def test_a_missing_page_has_the_layout_the_language_and_a_way_home(client):
    client.force_login(make_user("someone"))
    client.cookies["django_language"] = "zh-hans"
    response = client.get("/reports/987654/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="site-header"' in html and "找不到页面" in html
    assert f'href="{reverse("missions:home")}"' in html
    assert "Not Found" not in html


@pytest.mark.parametrize("language, title", [("zh-hans", "不允许"), ("en", "Not allowed")])
def test_a_refusal_speaks_the_users_language(language, title):
    with translation.override(language):
        response = defaults.permission_denied(_request(language), PermissionDenied())
    html = response.content.decode()
    assert response.status_code == 403 and title in html and 'class="site-header"' in html
    assert "403 Forbidden" not in html


def test_a_bad_request_and_a_server_error_have_pages_too():
    with translation.override("zh-hans"):
        bad = defaults.bad_request(_request(), Exception()).content.decode()
        error = defaults.server_error(_request()).content.decode()
    assert "错误的请求" in bad and "返回报告列表" in bad
    assert "服务器错误" in error and 'href="/"' in error


def _record(status, name="django.request"):
    try:
        raise PermissionDenied("no")
    except PermissionDenied:
        exc_info = sys.exc_info()
    record = logging.LogRecord(name, logging.WARNING, __file__, 1, "Forbidden (Permission denied): /reports/1/", (), exc_info)
    if status:
        record.status_code = status
    return record


def test_the_console_prints_a_refused_request_on_one_line():
    handlers = [h for h in logging.getLogger().handlers if any(isinstance(f, ClientErrorsOnOneLine) for f in h.filters)]
    assert handlers, "the console handler has no ClientErrorsOnOneLine filter (settings.LOGGING)"
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.filters = handlers[0].filters
    handler.handle(_record(403))
    assert stream.getvalue().strip() == "Forbidden (Permission denied): /reports/1/"


def test_a_server_error_keeps_its_traceback():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ClientErrorsOnOneLine())
    handler.handle(_record(500))
    assert "Traceback" in stream.getvalue()
