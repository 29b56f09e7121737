"""A lost database answers 503 with a sentence people can act on, not a 500 traceback page.

A dropped connection (PostgreSQL restarted, the backend terminated, the network gone) or a
statement the server cancelled raises OperationalError or InterfaceError in the view. Every
write goes through an atomic service, so the server rolled the transaction back: nothing was
half saved, and trying again is the right advice. Other errors keep Django's handling.
"""

from __future__ import annotations

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
