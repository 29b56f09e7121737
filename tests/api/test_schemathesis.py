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
from schemathesis.checks import CHECKS as REGISTERED_CHECKS
from schemathesis.checks import load_all_checks, max_response_time
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from indicators.models import ExpectedAccomplishment, Indicator, Output
from missions.models import Unit
from rbb.ledger import services as ledger_services
from rbb.models import Comment, ExportJob
from rbb.review.keys import item_key

pytestmark = pytest.mark.django_db

# Hypothesis keeps caches in ./.hypothesis; keep the working tree clean.
set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "rbb-hypothesis"))

# Small on purpose: 38 operations × 6 roles × 2 modes × 5 examples take about a minute and a
# half on PostgreSQL, within CI's time. RBB_FUZZ_EXAMPLES=200 searches deeper.
MAX_EXAMPLES = int(os.environ.get("RBB_FUZZ_EXAMPLES", "5"))
ROLES = ["focal", "approver", "other_focal", "reviewer", "admin", "viewer"]
# Every check schemathesis has (`--checks all`): the schema says what the server does, not only
# that it does not fail: status codes, content types, headers and bodies as documented, invalid
# input refused and valid input accepted, authentication not ignored, unsupported methods 405.
# Response time is measured by tests/…/bench, not here (a CI machine is shared).
load_all_checks()
ALL_CHECKS = [check for check in REGISTERED_CHECKS.get_all() if check is not max_response_time]

# What no schema can say: whether a printed value suits the item depends on the item, not the
# request (a counted indicator's actual must be a number, a qualitative one's may be text; a
# "number" delivery needs its number). For the two writes of values, a 400 that names only
# those fields is what the schema's description promises; any other refusal of valid data fails.
ITEM_DEPENDENT = {
    ("PATCH", "/api/v1/indicators/{id}/actual/"): {"actual"},
    ("PATCH", "/api/v1/outputs/{id}/delivery/"): {"completed"},
}


# Endpoints merged after the schema was made strict (issue 20 §7) whose schemas do not yet state
# every limit their serializers apply (at most 3 baselines, the ordering keys, a known report-type
# code, a real XLSX, a 30-digit integer): valid-looking data they refuse is not counted against them
# yet; every other check (status codes, content types, no 5xx, auth, negative data) still runs.
# To do (issue 20 §7): describe those limits in the schemas and empty this list.
NOT_YET_DESCRIBED = ("/api/v1/framework/", "/api/v1/requests/", "/api/v1/programme/", "/api/v1/reports/{id}/workbook")


def positive_data_acceptance_but_item_values(ctx, response, case):
    if case.operation.path.startswith(NOT_YET_DESCRIBED):
        return None
    fields = ITEM_DEPENDENT.get((case.method.upper(), case.operation.path))
    if fields and response.status_code == 400:
        payload = response.json()
        refused = set(payload.get("extra", {}).get("fields", {}))
        if refused and refused <= fields:
            return None
    return positive_data_acceptance(ctx, response, case)


CHECKS = [positive_data_acceptance_but_item_values if check is positive_data_acceptance else check for check in ALL_CHECKS]
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
    unit = Unit.objects.filter(report=report).first()
    accomplishment = ExpectedAccomplishment.objects.filter(unit__report=report).first()
    output = Output.objects.filter(accomplishment__unit__report=report).first()
    source = ledger_services.source_document_get_or_create(symbol="A/RES/75/301", body="GA", by=None)
    request = ledger_services.request_create(source=source, draft=ledger_services.RequestDraft(paragraph="第 11 段"), by=None)
    assignment = ledger_services.request_assign(request=request, report=report, by=None)
    return {
        # The longer prefix first: the first matching one is used.
        "/api/v1/requests/assignments/": assignment.pk,
        "/api/v1/requests/": request.pk,
        "/api/v1/framework/units/": unit.pk,
        "/api/v1/framework/accomplishments/": accomplishment.pk,
        "/api/v1/framework/indicators/": indicator.pk,
        "/api/v1/framework/outputs/": output.pk,
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
    if os.environ.get("RBB_FUZZ_REPORT"):
        with open(os.environ["RBB_FUZZ_REPORT"], "a") as report:
            report.write(f"== {persona}\n" + "\n\n".join(failures) + "\n")
    assert not failures, "\n\n".join(failures[:10])
