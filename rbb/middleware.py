"""A lost database answers 503 with a sentence people can act on, not a 500 traceback page.

A dropped connection (PostgreSQL restarted, the backend terminated, the network gone) or a
statement the server cancelled raises OperationalError or InterfaceError in the view. Every
write goes through an atomic service, so the server rolled the transaction back: nothing was
half saved, and trying again is the right advice. Other errors keep Django's handling.
"""

from __future__ import annotations

import io
import logging

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.utils.html import format_html
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


def database_unavailable_message() -> str:
    return _("The database could not be reached, so nothing was saved. Please try again in a minute.")


class DatabaseUnavailableMiddleware:
    """Turn OperationalError / InterfaceError from a view into 503 (HTML, or JSON under /api/)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error("Database unavailable during %s %s", request.method, request.path, exc_info=exception)
        _drop_broken_connections()
        message = database_unavailable_message()
        if request.path.startswith("/api/"):
            response = JsonResponse({"message": message, "code": "database_unavailable", "extra": {}}, status=503)
        else:
            # Built here, not from a template: base.html reads the user and the session, which
            # would need the database that just failed.
            title = _("Service temporarily unavailable")
            html = format_html(
                '<!DOCTYPE html><html lang="{}"><head><meta charset="utf-8"><title>{}</title></head>'
                '<body><main><h1>{}</h1><p role="alert">{}</p></main></body></html>',
                getattr(request, "LANGUAGE_CODE", "en"), title, title, message,
            )
            response = HttpResponse(html, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


def _drop_broken_connections() -> None:
    """Close connections that no longer work, so the next request opens a fresh one.

    Django does this at the end of the request too; doing it now also covers connections kept
    open between requests (CONN_MAX_AGE). A connection inside an atomic block (a test's
    transaction) is left to whoever opened the block.
    """
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            try:
                connection.close_if_unusable_or_obsolete()
            except DatabaseError:  # closing a dead socket may complain; it is closed either way
                connection.connection = None


class ApiRequestBodyMiddleware:
    """Hold the API's body limit before anything reads the body, and read chunked bodies.

    - A declared `Content-Length` over the limit answers 413 in the API's JSON error shape,
      unread (before, a body over Django's DATA_UPLOAD_MAX_MEMORY_SIZE got its HTML 400).
    - `Transfer-Encoding: chunked` has no length: Django reads such a body as empty under WSGI,
      so a PATCH lost its fields. When the server has already taken the chunks apart and says
      the input ends (gunicorn sets `wsgi.input_terminated`; an ASGI server always does), the
      body is read here, up to the limit, and handed on with its length. Otherwise (a server
      passing the raw chunks, such as `runserver`) the request answers 411, saying to send a
      Content-Length.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            refused = self._refusal(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def _refusal(self, request):
        from django.core.handlers.asgi import ASGIRequest

        from rbb.api.parsers import api_max_body_bytes

        limit = api_max_body_bytes()
        if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            if isinstance(request, ASGIRequest):
                source = request._stream  # the whole body, spooled by Django's ASGI handler
            elif request.META.get("wsgi.input_terminated"):
                source = request.META["wsgi.input"]
            else:
                return _api_error(
                    _("A body sent in chunks cannot be read here: send it with a Content-Length header."),
                    "length_required", 411,
                )
            body = source.read(limit + 1)
            if len(body) > limit:
                return _too_large(limit)
            # Hand the body on as if it had come with its length (Django and DRF read by length).
            request._stream = io.BytesIO(body)
            request.META["CONTENT_LENGTH"] = str(len(body))
            return None
        declared = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(declared)
        except ValueError:
            return _api_error(_("The Content-Length header is not a number."), "parse_error", 400)
        if length > limit:
            return _too_large(limit)
        return None


def _too_large(limit: int):
    return _api_error(_("The request body is too large."), "too_large", 413, {"limit_bytes": limit})


def _api_error(message, code: str, status: int, extra: dict | None = None):
    from rbb.api_errors import error_body

    return JsonResponse(error_body(message, code, extra), status=status)


# Scripts come only from this site's static files (htmx, rbb/*.js, the Swagger UI of the
# drf-spectacular sidecar): no inline script, no eval, no other origin. Styles may also be
# inline: the narrative tables carry per-column widths and alignments as style attributes,
# htmx adds its indicator style, and a style cannot run code. Images may be data: URLs
# (Swagger UI's icons, the charts). Nothing may frame the pages.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
# No page uses a device or a payment API: say so, so that no embedded content can ask.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()" for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer",
        "microphone", "midi", "payment", "usb",
    )
)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response; `Cache-Control:
    no-store` on API responses to an authenticated caller (their data must not stay in a shared
    or browser cache)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if request.path.startswith("/api/") and _authenticated(request):
            response["Cache-Control"] = "no-store"
        return response


def _authenticated(request) -> bool:
    # DRF sets the token's user on the Django request once it has authenticated it.
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META
