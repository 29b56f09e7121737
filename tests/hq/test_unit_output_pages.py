"""A headquarters unit's own outputs on every screen: entry, report home, review, workflow, IATI."""

import pytest
from django.test import Client

from indicators.models import Output
from missions.models import Membership
from rbb.workflow import report_blocking_items
from tests.api.conftest import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    world = build_world()
    world.hq_focal = world.users["focal"]
    Membership.objects.create(user=world.hq_focal, role=Membership.Role.FOCAL_POINT, mission=world.support.mission)
    return world


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _unit_output(world, number="1") -> Output:
    return Output.objects.get(unit__report=world.support, accomplishment__isnull=True, number=number)


def test_the_unit_outputs_page_saves_an_actual_printed_as_not_applicable(world, django_assert_max_num_queries):
    output = _unit_output(world)
    client = _client(world.hq_focal)
    url = f"/reports/{world.support.pk}/units/{output.unit_id}/outputs/"
    with django_assert_max_num_queries(20):
        page = client.get(url)
    assert page.status_code == 200
    assert "对外地特派团的问询作出答复" in page.content.decode()
    prefix = f"output-{output.pk}"
    response = client.post(f"/reports/{world.support.pk}/outputs/{output.pk}/", {
        f"{prefix}-version": output.version, f"{prefix}-completed": "不适用", f"{prefix}-remarks": "",
    })
    assert response.status_code == 302 and response["Location"].startswith(url)
    output.refresh_from_db()
    assert (output.completed_kind, output.completed, output.completed_value) == ("number", "不适用", None)


def test_another_missions_user_gets_404_on_the_unit_outputs_page(world):
    output = _unit_output(world)
    response = _client(world.users["other_focal"]).get(f"/reports/{world.support.pk}/units/{output.unit_id}/outputs/")
    assert response.status_code == 404
    # A unit of another report through this report's URL is a 404 too.
    unmik_unit = world.unmik.units.first()
    response = _client(world.hq_focal).get(f"/reports/{world.support.pk}/units/{unmik_unit.pk}/outputs/")
    assert response.status_code == 404


def test_unit_outputs_count_on_the_report_home_review_and_workflow(world):
    Output.objects.filter(unit__report=world.support).update(completed_kind="blank", completed="", completed_value=None)
    blocking = [item for item in report_blocking_items(report=world.support) if item.kind == "output"]
    assert [item.label for item in blocking] == ["I / 1", "I / 2", "I / 3", "I / 4"]
    assert all(f"/units/{_unit_output(world).unit_id}/outputs/" in item.url for item in blocking)

    home = _client(world.hq_focal).get(f"/reports/{world.support.pk}/").content.decode()
    assert f"/reports/{world.support.pk}/units/{_unit_output(world).unit_id}/outputs/" in home
    assert "(0/4)" in home

    review = _client(world.users["reviewer"]).get(f"/reports/{world.support.pk}/review/")
    assert review.status_code == 200
    page = review.context["page"]
    assert page.total == 7  # three indicators and the unit's four outputs
    assert len(page.units[0].review_output_groups[0]["items"]) == 4


def test_the_dashboard_counts_unit_outputs(world):
    from rbb.review.selectors import _output_states

    counts = sum(n for _report, _state, n in _output_states([world.support.pk]))
    assert counts == 4


def test_iati_carries_unit_outputs(world):
    # Preview: the test's entity has no IATI recipient or sector, which publication requires (rbb.iati.rules).
    response = _client(world.users["reviewer"]).get(f"/api/v1/reports/{world.support.pk}/iati.xml?preview=true")
    assert response.status_code == 200
    assert response.content.decode().count('type="1"') >= 4  # RESULT_OUTPUT results, one per output
    assert "对外地特派团的问询作出答复" in response.content.decode()


def test_reviewers_comment_on_a_unit_output(world):
    from rest_framework.test import APIClient

    from rbb.models import Comment

    output = _unit_output(world, "2")
    client = APIClient()
    client.force_authenticate(world.users["reviewer"])
    response = client.post(f"/api/v1/outputs/{output.pk}/comments/", {"body": "请说明。"}, format="json")
    assert response.status_code == 201, response.content
    comment = Comment.objects.get()
    assert (comment.item_key, comment.item_label) == ("I||output|2", "I / 2")
    assert [c["body"] for c in client.get(f"/api/v1/outputs/{output.pk}/comments/").json()] == ["请说明。"]
    review = _client(world.users["reviewer"]).get(f"/reports/{world.support.pk}/review/")
    assert review.context["page"].open_threads == 1


def test_the_history_of_a_unit_output_links_back_to_its_unit(world):
    output = _unit_output(world)
    page = _client(world.hq_focal).get(f"/reports/{world.support.pk}/outputs/{output.pk}/history/")
    assert page.status_code == 200
    assert f"/reports/{world.support.pk}/units/{output.unit_id}/outputs/#output-{output.pk}" in page.content.decode()
