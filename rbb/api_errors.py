"""The one DRF exception handler: every API error leaves in one shape.

    {"message": "<translated sentence>", "code": "<stable code>", "extra": {...}}

Domain errors keep their own status, code and extra (a stale version carries the current
values); field problems go in extra.fields as {field: [messages]}, like Django form errors.
"""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from rbb.exceptions import DomainError

# Headers DRF sets on some errors and a client needs (401 challenge, 429 retry delay).
KEPT_HEADERS = ("WWW-Authenticate", "Retry-After", "Allow")


def error_body(message, code: str, extra: dict | None = None) -> dict:
    return {"message": str(message), "code": code, "extra": jsonable(extra or {})}


def jsonable(value):
    """Make a domain error's extra JSON-safe: dataclasses (blocking items), lazy translations,
    decimals (as strings, like every API decimal), dates."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(item) for item in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)  # lazy translations and anything else printable


def _fields_of_django_error(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}


def _first_code(detail, default: str) -> str:
    """The code of the first error in a DRF detail (a string, list or dict of them)."""
    while isinstance(detail, (list, dict)) and detail:
        detail = next(iter(detail.values())) if isinstance(detail, dict) else detail[0]
    return getattr(detail, "code", None) or default


def _as_strings(detail):
    if isinstance(detail, dict):
        return {str(key): _as_strings(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_as_strings(item) for item in detail]
    return str(detail)


def api_exception_handler(exc, context):
    """Translate domain, Django and DRF errors into the API's error shape."""
    if isinstance(exc, DomainError):
        extra = dict(exc.extra)
        if exc.field:
            extra.setdefault("fields", {exc.field: [str(exc.message)]})
        return Response(error_body(exc.message, exc.code, extra), status=exc.http_status)

    if isinstance(exc, DjangoValidationError):
        codes = [e.code for e in exc.error_list] if hasattr(exc, "error_list") else []
        code = next((c for c in codes if c), "invalid")
        if hasattr(exc, "error_dict"):
            code = next((e.code for errors in exc.error_dict.values() for e in errors if e.code), "invalid")
        return Response(
            error_body(_("Invalid input."), code, {"fields": _fields_of_django_error(exc)}),
            status=status.HTTP_400_BAD_REQUEST,
        )

    # Another mission's object and a missing one look the same: one 404, one message.
    if isinstance(exc, (Http404, exceptions.NotFound)):
        return Response(error_body(_("Not found."), "not_found"), status=status.HTTP_404_NOT_FOUND)

    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django's 500 handling and logging take over

    if isinstance(exc, exceptions.ValidationError):
        body = error_body(_("Invalid input."), _first_code(exc.detail, "invalid"), {"fields": _as_strings(exc.detail)})
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else ""
        code = detail.code if hasattr(detail, "code") else getattr(exc, "default_code", "error")
        body = error_body(detail, code)
    kept = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    return Response(body, status=response.status_code, headers=kept)
