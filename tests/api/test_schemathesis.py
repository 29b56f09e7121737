"""Property-based tests of the whole API against its own OpenAPI schema (schemathesis).

For every operation and every role, generated requests, valid by the schema and invalid on
purpose, go through the real WSGI application: no 5xx, every status code, content type and
body as the schema documents. Path ids are the real objects of the role's own mission as
often as random ones, so the requests reach the views, not only the 404s.
"""

from __future__ import annotations

import os
import tempfile
import time

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings, strategies
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from indicators.models import ExpectedAccomplishment, Indicator, Output
from missions.models import Unit
from rbb.models import Comment, ExportJob
from rbb.review.keys import item_key

pytestmark = pytest.mark.django_db

# Hypothesis keeps caches in ./.hypothesis; keep the working tree clean.
set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "rbb-hypothesis"))

# Small on purpose: 38 operations × 6 roles × 2 modes × 5 examples take about a minute and a
# half on PostgreSQL, within CI's time. RBB_FUZZ_EXAMPLES=200 searches deeper.
MAX_EXAMPLES = int(os.environ.get("RBB_FUZZ_EXAMPLES", "5"))
ROLES = ["focal", "approver", "other_focal", "reviewer", "admin", "viewer"]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Generating a DOCX or PDF on every example adds nothing here (tests/narrative covers them).
SKIPPED = {("POST", "/api/v1/reports/{id}/exports/")}


@pytest.fixture
def wsgi_app(settings):
    """The real WSGI application, sharing the test's database transaction like Django's test client."""
    settings.ALLOWED_HOSTS = ["*"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _real_ids(world, report) -> dict[str, int]:
    """An existing object of the report's mission for each kind of path id."""
    job = ExportJob.objects.create(report=report, format=ExportJob.Format.HTML, language="en")
    indicator = Indicator.objects.filter(accomplishment__unit__report=report).first()
    comment = Comment.objects.create(report=report, item_key=item_key(indicator), item_kind="indicator",
                                     item_label=indicator.number, author=world.users["reviewer"], body="Why?")
    return {
        "/api/v1/comments/": comment.pk,
        "/api/v1/reports/": report.pk,
        "/api/v1/missions/": report.mission_id,
        "/api/v1/units/": Unit.objects.filter(report=report).first().pk,
        "/api/v1/accomplishments/": ExpectedAccomplishment.objects.filter(unit__report=report).first().pk,
        "/api/v1/indicators/": indicator.pk,
        "/api/v1/outputs/": Output.objects.filter(accomplishment__unit__report=report).first().pk,
        "/api/v1/exports/": job.pk,
        # A programme plan (rbb.programme): the demo's DPPA 2024; other personas' requests are 404s.
        "/api/v1/programme/": _programme_plan().pk,
    }


def _programme_plan():
    from rbb.demo_data import demo_document
    from rbb.programme.interchange import programme_import

    return programme_import(data=demo_document(name="dppa-2024.json"))


def _strategy(operation, ids: dict[str, int], mode: GenerationMode):
    strategy = operation.as_strategy(generation_mode=mode)
    if "{id}" not in operation.path:
        return strategy
    real = next(pk for prefix, pk in ids.items() if operation.path.startswith(prefix))
    return strategies.one_of(strategy, operation.as_strategy(generation_mode=mode, path_parameters={"id": real}))


@pytest.mark.parametrize("persona", ROLES)
def test_the_api_conforms_to_its_schema_under_generated_input(world, wsgi_app, persona):
    started = time.monotonic()
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)
    user = world.users[persona]
    own = world.other if persona == "other_focal" else world.unmik
    ids = _real_ids(world, own)
    headers = {"Authorization": f"Token {Token.objects.create(user=user).key}"}
    failures: list[str] = []
    operations = 0

    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=_strategy(operation, ids, mode))
            @settings(
                max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
                phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
            )
            def run(case):
                # Each example in its own savepoint, rolled back after: examples do not see each
                # other's writes, and a database error in one (PostgreSQL aborts the transaction)
                # does not fail all that follow.
                savepoint = transaction.savepoint()
                try:
                    response = case.call(headers=headers)
                finally:
                    transaction.savepoint_rollback(savepoint)
                case.validate_response(response, checks=CHECKS, headers=headers)

            try:
                run()
            except Unsatisfiable:
                continue  # nothing to make invalid: an operation without parameters or body
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 — go on with the others, report all
                failures.append(f"{operation.method.upper()} {operation.path} [{mode.value}]: {exc}"[:2000])

    elapsed = time.monotonic() - started
    print(f"\nschemathesis {persona}: {operations} operations, {elapsed:.1f}s")
    assert operations >= 30
    assert not failures, "\n\n".join(failures[:10])
