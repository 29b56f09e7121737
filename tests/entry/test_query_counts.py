"""Pages cost the same number of queries for a small and a large framework."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import ExpectedAccomplishment

from .factories import PASSWORD, fill_report, get_indicator, indicator, make_mission_report, output

pytestmark = pytest.mark.django_db


def grow(report, extra):
    """Add items to expected accomplishment 1.1, with values and change history."""
    ea = ExpectedAccomplishment.objects.get(unit__report=report, number="1.1")
    for n in range(extra):
        indicator(ea, f"1.1.{n + 10}", f"Indicator {n}", baselines=[("2019/20", "5")], target="10", order=n + 10)
        output(ea, n + 10, f"Output {n}", quantity="8", heading=f"Heading {n % 3}", order=n + 10)
    fill_report(report)
    return report


def queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.fixture
def frameworks():
    return make_mission_report("UNMIK"), grow(make_mission_report("UNMISS", size=12), 25)


def test_report_home_queries_do_not_depend_on_the_number_of_items(client, personas, frameworks):
    client.login(username="reviewer", password=PASSWORD)
    small, large = (queries(client, reverse("workflow:report-home", args=[r.pk])) for r in frameworks)
    # session, user, memberships, report, units, accomplishments, indicators, figures, outputs, events
    assert small == large == 10


def test_data_entry_page_queries_do_not_depend_on_the_number_of_items(client, personas, frameworks):
    client.login(username="reviewer", password=PASSWORD)
    small, large = (
        queries(client, reverse("indicators:entry", args=[r.pk, get_indicator(r, "1.1.1").accomplishment_id])) for r in frameworks
    )
    # session, user, memberships, report, accomplishment with unit, indicators, figures, outputs, navigation,
    # and the items' series across periods: lineage indicators, their figures, lineage outputs
    assert small == large == 12


def test_data_entry_page_for_an_editor_is_bounded_too(client, personas, frameworks):
    client.login(username="approver", password=PASSWORD)
    small_report, _ = frameworks
    large = make_mission_report("UNMIK-LARGE")
    from missions.models import Membership

    Membership.objects.create(user=personas["approver"], role=Membership.Role.APPROVER, mission=large.mission)
    grow(large, 30)
    counts = [queries(client, reverse("indicators:entry", args=[r.pk, get_indicator(r, "1.1.1").accomplishment_id])) for r in (small_report, large)]
    assert counts[0] == counts[1]
