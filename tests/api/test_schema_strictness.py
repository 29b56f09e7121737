"""The OpenAPI schema says what the server does (issue 20 §7); schemathesis checks the whole of
it (tests/api/test_schemathesis.py), these name the rules one by one."""

import pytest

from indicators.models import Indicator
from rbb.api.schema import NO_NUL, NON_BLANK
from rbb.models import Comment
from rbb.review.keys import item_key

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    from rest_framework.test import APIClient

    with django_db_blocker.unblock():
        return APIClient().get("/api/schema/?format=json").json()


def _parameters(schema, path, method="get") -> dict:
    return {p["name"]: p["schema"] for p in schema["paths"][path][method].get("parameters", []) if p["in"] == "query"}


@pytest.mark.parametrize("query, field", [
    ("page_size=null", "page_size"), ("page_size=0", "page_size"), ("page_size=501", "page_size"), ("page_size=", "page_size"),
    ("page=", "page"), ("page=last", "page"), ("page=0", "page"),
    ("report=", "report"), ("report=0", "report"), ("mission=", "mission"), ("ordering=", "ordering"),
    ("ordering=-secret", "ordering"),
])
def test_short_lists_refuse_what_the_schema_refuses(world, query, field):
    response = world.client("focal").get(f"/api/v1/units/?{query}")
    assert response.status_code == 400, response.content
    assert field in response.json()["extra"]["fields"]


@pytest.mark.parametrize("query, field", [
    ("updated_since=", "updated_since"), ("page_size=null", "page_size"), ("page_size=1001", "page_size"),
    ("cursor=", "cursor"), ("needs_explanation=yes", "needs_explanation"), ("needs_explanation=1", "needs_explanation"),
    ("flagged=", "flagged"), ("accomplishment=-1", "accomplishment"), ("mission=%00", "mission"),
])
def test_item_lists_refuse_what_the_schema_refuses(world, query, field):
    response = world.client("focal").get(f"/api/v1/indicators/?{query}")
    assert response.status_code == 400, response.content
    assert field in response.json()["extra"]["fields"]


def test_valid_queries_still_work(world):
    client = world.client("focal")
    assert client.get("/api/v1/units/?page=1&page_size=500&ordering=-number,id").status_code == 200
    assert client.get("/api/v1/indicators/?needs_explanation=false&page_size=1000&ordering=-updated_at").status_code == 200


def test_the_schema_documents_those_rules(schema):
    units = _parameters(schema, "/api/v1/units/")
    assert units["page_size"] == {"type": "integer", "minimum": 1, "maximum": 500}
    assert units["page"]["minimum"] == 1
    assert units["report"]["minimum"] == 1 and units["mission"] == {"type": "string", "minLength": 1, "pattern": NO_NUL}
    assert units["ordering"]["pattern"] == "^-?(id|order|number)(,-?(id|order|number))*$"
    indicators = _parameters(schema, "/api/v1/indicators/")
    assert indicators["page_size"]["maximum"] == 1000 and indicators["cursor"]["minLength"] == 1
    comments = _parameters(schema, "/api/v1/comments/")
    assert "nullable" not in comments["thread"] and comments["thread"]["minimum"] == 1
    export = _parameters(schema, "/api/v1/export/")
    assert export["period"]["minLength"] == 1 and export["period"]["maxLength"] == 20
    body = schema["components"]["schemas"]["BodyInputRequest"]
    assert body["additionalProperties"] is False
    assert body["properties"]["body"] == {"type": "string", "minLength": 1, "pattern": NON_BLANK, "maxLength": 5000}
    for name, component in schema["components"]["schemas"].items():
        if name.endswith("Request"):
            assert component["additionalProperties"] is False, name
    download = schema["paths"]["/api/v1/exports/{id}/download/"]["get"]["responses"]["200"]["content"]
    assert set(download) == {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/pdf", "text/html",
    }


@pytest.mark.parametrize("body", ["", "   ", "\u3000\n", "\x1c"])
def test_a_blank_comment_is_refused_and_the_schema_says_so(world, body):
    import re

    indicator = Indicator.objects.filter(accomplishment__unit__report=world.unmik).first()
    response = world.client("reviewer").post(f"/api/v1/indicators/{indicator.pk}/comments/", {"body": body}, format="json")
    assert response.status_code == 400
    assert not re.fullmatch(NON_BLANK.replace("\\u", "\\u"), body)


def test_resolving_a_resolved_thread_is_a_409(world):
    indicator = Indicator.objects.filter(accomplishment__unit__report=world.unmik).first()
    thread = Comment.objects.create(report=world.unmik, item_key=item_key(indicator), item_kind="indicator",
                                    item_label=indicator.number, author=world.users["reviewer"], body="Why?")
    client = world.client("reviewer")
    assert client.post(f"/api/v1/comments/{thread.pk}/resolve/", {}, format="json").status_code == 200
    again = client.post(f"/api/v1/comments/{thread.pk}/resolve/", {}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_resolved"
