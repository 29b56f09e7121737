"""The one exception handler: every error in the shape {"message", "code", "extra"}."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions

from rbb.api_errors import api_exception_handler
from rbb.exceptions import DomainError, NotPermitted, StaleVersion, SubmissionIncomplete


def _handle(exc):
    response = api_exception_handler(exc, {})
    return response.status_code, response.data


def test_a_domain_error_keeps_its_status_code_and_extra():
    status, body = _handle(StaleVersion(extra={"version": 3, "values": {"actual": "860"}}))
    assert status == 409
    assert body["code"] == "stale_version" and body["extra"] == {"version": 3, "values": {"actual": "860"}}
    assert body["message"].startswith("Someone else changed this item")


def test_a_domain_error_on_a_field_names_the_field():
    status, body = _handle(DomainError(_("Enter the number completed."), code="number_required", field="completed"))
    assert status == 400 and body["extra"] == {"fields": {"completed": ["Enter the number completed."]}}


def test_extra_is_made_json_safe():
    @dataclass(frozen=True)
    class Item:
        label: str
        reasons: tuple
        amount: Decimal

    _status, body = _handle(SubmissionIncomplete(extra={"items": [Item("1.1.1", (_("Explain."),), Decimal("1.50"))]}))
    assert body["extra"] == {"items": [{"label": "1.1.1", "reasons": ["Explain."], "amount": "1.50"}]}


def test_django_validation_errors_become_field_messages():
    status, body = _handle(DjangoValidationError({"end": [DjangoValidationError("Too early.", code="too_early")]}))
    assert status == 400 and body["code"] == "too_early"
    assert body["extra"] == {"fields": {"end": ["Too early."]}}
    _status, plain = _handle(DjangoValidationError("Wrong.", code="wrong"))
    assert plain["code"] == "wrong" and plain["extra"] == {"fields": {"non_field_errors": ["Wrong."]}}


def test_not_found_and_permission_denied():
    assert _handle(Http404("No such report.")) == (404, {"message": "Not found.", "code": "not_found", "extra": {}})
    status, body = _handle(PermissionDenied())
    assert status == 403 and body["code"] == "permission_denied"
    status, body = _handle(NotPermitted())
    assert status == 403 and body["code"] == "not_permitted"


def test_drf_errors_take_the_same_shape_and_keep_their_headers():
    status, body = _handle(exceptions.ValidationError({"version": ["A valid integer is required."]}))
    assert status == 400 and body["extra"]["fields"] == {"version": ["A valid integer is required."]}
    response = api_exception_handler(exceptions.NotAuthenticated(), {})
    assert response.status_code == 401 and response.data["code"] == "not_authenticated"
    throttled = api_exception_handler(exceptions.Throttled(wait=3), {})
    assert throttled.status_code == 429 and throttled["Retry-After"] == "3"


def test_messages_are_translated():
    with translation.override("zh-hans"):
        _status, body = _handle(Http404())
    assert body["code"] == "not_found" and body["message"]


def test_an_unexpected_error_is_left_to_django():
    assert api_exception_handler(ValueError("bug"), {}) is None
