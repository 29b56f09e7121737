"""A database that goes away in the middle of a request: 503 with a message, nothing half written.

On PostgreSQL the request's own backend is terminated (pg_terminate_backend) between the
item's UPDATE and its audit records; everywhere, the same point raises OperationalError.
"""

from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.urls import reverse
from rest_framework.test import APIClient

from indicators.models import Indicator
from missions.models import ChangeRecord
from rbb.middleware import database_unavailable_message
from tests.entry.factories import get_indicator

from .conftest import needs_postgresql

HTMX = {"HTTP_HX_REQUEST": "true"}


def _post(client, item, *, actual="321"):
    prefix = f"indicator-{item.pk}"
    data = {f"{prefix}-version": item.version, f"{prefix}-actual": actual, f"{prefix}-actual_narrative": "新的叙述",
            f"{prefix}-variance_explanation": ""}
    return client.post(reverse("indicators:indicator-save", args=[item.accomplishment.unit.report_id, item.pk]), data, **HTMX)


def _unchanged(item) -> bool:
    stored = Indicator.objects.get(pk=item.pk)
    return (stored.version, stored.actual, stored.actual_narrative) == (item.version, item.actual, item.actual_narrative) and not (
        ChangeRecord.objects.filter(item_type="indicator", item_id=item.pk).exists()
    )


def _fail_before_the_audit(effect):
    """Run `effect` when the service writes the change records, after the item's UPDATE."""
    manager = ChangeRecord.objects
    original = manager.bulk_create

    def bulk_create(*args, **kwargs):
        effect()
        return original(*args, **kwargs)

    return mock.patch.object(manager, "bulk_create", side_effect=bulk_create)


@pytest.mark.django_db
def test_an_operational_error_mid_save_is_a_503_with_a_message_and_no_write(client, report, focal):
    item = get_indicator(report, "1.1.1")
    client.force_login(focal)

    def fail():
        raise OperationalError("server closed the connection unexpectedly")

    with _fail_before_the_audit(fail):
        response = _post(client, item)

    assert response.status_code == 503
    assert database_unavailable_message() in response.content.decode()
    assert response["Retry-After"]
    assert _unchanged(item)


@pytest.mark.django_db
def test_the_api_answers_503_in_its_error_shape(report, focal):
    item = get_indicator(report, "1.1.1")
    client = APIClient()
    client.force_authenticate(focal)

    def fail():
        raise OperationalError("terminating connection due to administrator command")

    with _fail_before_the_audit(fail):
        response = client.patch(f"/api/v1/indicators/{item.pk}/actual/", {"version": item.version, "actual": "321"}, format="json")

    assert response.status_code == 503
    assert response.json() == {"message": database_unavailable_message(), "code": "database_unavailable", "extra": {}}
    assert _unchanged(item)


@pytest.mark.django_db
def test_other_errors_are_not_taken_for_a_lost_database(client, report, focal):
    item = get_indicator(report, "1.1.1")
    client.force_login(focal)
    client.raise_request_exception = True

    def fail():
        raise ZeroDivisionError

    with _fail_before_the_audit(fail), pytest.raises(ZeroDivisionError):
        _post(client, item)


@pytest.mark.postgres
@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_terminated_backend_mid_save_is_a_503_and_postgresql_rolls_the_update_back(client, report, focal):
    import psycopg

    item = get_indicator(report, "1.1.1")
    client.force_login(focal)
    settings = connection.settings_dict
    killer = psycopg.connect(
        dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"] or None, port=settings["PORT"] or None,
        password=settings["PASSWORD"] or None, autocommit=True,
    )
    terminated = []

    def terminate_own_backend():
        # The UPDATE of the item has run in this transaction; now the server drops the connection.
        pid = connection.connection.info.backend_pid
        killer.execute("SELECT pg_terminate_backend(%s)", [pid])
        terminated.append(pid)

    try:
        with _fail_before_the_audit(terminate_own_backend):
            response = _post(client, item)
    finally:
        killer.close()

    assert terminated, "the save did not reach the audit records"
    assert response.status_code == 503
    assert database_unavailable_message() in response.content.decode()
    # A new connection (the broken one was dropped) sees the item as it was.
    assert connection.connection is None or connection.connection.info.backend_pid != terminated[0]
    assert _unchanged(item)
    # And the next request works again.
    assert client.get(reverse("indicators:entry", args=[report.pk, item.accomplishment_id])).status_code == 200
