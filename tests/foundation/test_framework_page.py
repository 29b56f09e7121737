"""The read-only framework page: document layout, scoping, and a query count that does not grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from missions.models import Membership, ReportType

from .builders import add_framework, make_report, make_user

Role = Membership.Role
pytestmark = pytest.mark.django_db


def _queries_for(client, report) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("indicators:framework", args=[report.pk]))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_is_the_same_for_10_and_600_outputs(client):
    small, large = make_report(code="SMALL"), make_report(code="LARGE")
    add_framework(small, units=1, eas_per_unit=1, indicators_per_ea=2, outputs_per_ea=10)
    add_framework(large, units=3, eas_per_unit=4, indicators_per_ea=5, outputs_per_ea=50)
    assert large.units.count() == 3
    client.force_login(make_user("reviewer", role=Role.HQ_REVIEWER))
    _queries_for(client, small)  # warm the session and any per-process caches
    small_count, large_count = _queries_for(client, small), _queries_for(client, large)
    # session, user, memberships, report, units, accomplishments, indicators, figures, outputs
    assert small_count == large_count
    assert large_count <= 10


def test_it_prints_the_planned_series_and_outputs(client):
    report = make_report()
    add_framework(report, units=1, eas_per_unit=1, indicators_per_ea=1, outputs_per_ea=3)
    client.force_login(make_user("reviewer", role=Role.HQ_REVIEWER))
    page = client.get(reverse("indicators:framework", args=[report.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "(2018/19：574；2019/20：不适用；2020/21：290)" in page
    assert page.count('id="output-') == 3
    assert "改进服务" in page


def test_staff_of_another_mission_get_404(client):
    report = make_report(code="AAA")
    other = make_report(code="BBB")
    client.force_login(make_user("focal", role=Role.FOCAL_POINT, mission=other.mission))
    assert client.get(reverse("indicators:framework", args=[report.pk])).status_code == 404
    assert client.get(reverse("indicators:framework", args=[other.pk])).status_code == 200
    home = client.get(reverse("missions:home")).content.decode()
    assert "BBB" in home and "AAA" not in home


def test_anonymous_users_are_sent_to_log_in(client):
    report = make_report()
    response = client.get(reverse("indicators:framework", args=[report.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_headquarters_shape_shows_target_estimate_actual_and_ratio(client):
    report = make_report(code="SUPPORT", shape=ReportType.Shape.HEADQUARTERS)
    add_framework(report, units=1, eas_per_unit=1, indicators_per_ea=1, outputs_per_ea=1)
    client.force_login(make_user("reviewer", role=Role.HQ_REVIEWER))
    page = client.get(reverse("indicators:framework", args=[report.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Delivery ratio" in page and "Estimate" in page
    assert "113.6" in page  # 250 ÷ 220 × 100, half-up
