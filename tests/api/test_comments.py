"""Review comments through the API, with rbb.review's rules: who starts, replies, resolves, reads."""

import pytest

from indicators.models import Indicator, Output
from missions.models import ChangeRecord, Report
from rbb.models import Comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(world):
    return Indicator.objects.get(accomplishment__unit__report=world.unmik, number="1.1.1")


def _start(world, persona, item, body="Explain the jump from 290 to 860."):
    kind = "indicators" if isinstance(item, Indicator) else "outputs"
    return world.client(persona).post(f"/api/v1/{kind}/{item.pk}/comments/", {"body": body}, format="json")


def test_headquarters_starts_a_thread_the_mission_replies_and_it_is_resolved(world, indicator):
    started = _start(world, "reviewer", indicator)
    assert started.status_code == 201, started.content
    thread = started.json()
    assert (thread["item_key"], thread["item_kind"], thread["item_label"]) == ("1|1.1|indicator|1.1.1", "indicator", "1.1.1")
    assert thread["author"] == "reviewer" and thread["is_open"] is True and thread["parent_id"] is None

    reply = world.client("focal").post(f"/api/v1/comments/{thread['id']}/replies/", {"body": "Many COVID-19 activities."}, format="json")
    assert reply.status_code == 201 and reply.json()["parent_id"] == thread["id"]

    listed = world.client("focal").get(f"/api/v1/indicators/{indicator.pk}/comments/").json()
    assert [c["body"] for c in listed] == ["Explain the jump from 290 to 860.", "Many COVID-19 activities."]

    resolved = world.client("reviewer").post(f"/api/v1/comments/{thread['id']}/resolve/", {}, format="json")
    assert resolved.status_code == 200 and resolved.json()["is_open"] is False and resolved.json()["resolved_by"] == "reviewer"
    late = world.client("focal").post(f"/api/v1/comments/{thread['id']}/replies/", {"body": "One more."}, format="json")
    assert late.status_code == 409 and late.json()["code"] == "thread_resolved"
    assert ChangeRecord.objects.filter(item_type="comment").count() == 3  # thread, reply, resolved


@pytest.mark.parametrize("persona, status", [
    ("focal", 403), ("approver", 403), ("viewer", 403), ("unmik_viewer", 403), ("other_focal", 404), (None, 401),
])
def test_only_headquarters_starts_a_thread(world, indicator, persona, status):
    assert _start(world, persona, indicator).status_code == status
    assert not Comment.objects.exists()


def test_an_empty_comment_is_refused_with_the_services_message(world, indicator):
    response = _start(world, "reviewer", indicator, body="   ")
    assert response.status_code == 400 and response.json()["code"] == "body_required"
    assert "body" in response.json()["extra"]["fields"]
    assert not Comment.objects.exists()


def test_an_accepted_report_closes_its_review(world, indicator):
    Report.objects.filter(pk=world.unmik.pk).update(status=Report.Status.ACCEPTED)
    response = _start(world, "reviewer", indicator)
    assert response.status_code == 409 and response.json()["code"] == "review_closed"


def test_all_mission_viewers_do_not_read_the_review_but_mission_staff_do(world, indicator):
    thread = _start(world, "admin", indicator).json()
    assert world.client("viewer").get("/api/v1/comments/").json()["results"] == []
    assert world.client("viewer").get(f"/api/v1/comments/{thread['id']}/").status_code == 404
    assert [c["id"] for c in world.client("unmik_viewer").get("/api/v1/comments/").json()["results"]] == [thread["id"]]
    assert world.client("other_focal").get(f"/api/v1/comments/{thread['id']}/").status_code == 404
    assert world.client("unmik_viewer").post(f"/api/v1/comments/{thread['id']}/replies/", {"body": "x"}, format="json").status_code == 403


def test_comment_filters(world, indicator):
    output = Output.objects.filter(accomplishment__unit__report=world.unmik).first()
    first = _start(world, "reviewer", indicator).json()
    _start(world, "reviewer", output, body="Why not delivered?")
    client = world.client("reviewer")
    client.post(f"/api/v1/comments/{first['id']}/resolve/", {}, format="json")
    assert [c["item_kind"] for c in client.get("/api/v1/comments/?open=true").json()["results"]] == ["output"]
    assert len(client.get(f"/api/v1/comments/?report={world.unmik.pk}&item_kind=indicator").json()["results"]) == 1
    assert client.get("/api/v1/comments/?mission=OTHER").json()["results"] == []
