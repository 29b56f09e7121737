"""The narrative page reads a fixed number of queries, whatever the size of the report."""

import copy

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Output
from missions.models import Membership
from rbb.narrative.services import export_job_create

pytestmark = pytest.mark.django_db

# session, user, memberships, report; the framework (units, accomplishments, indicators, figures,
# outputs); the resource performance (classes with lines, explanations and redeployments; revenue
# lines; months; narratives; staff categories with incumbency; its months; resources by
# department/office); the exports.
PAGE_QUERIES = 17


def _bigger(data: dict, *, times: int) -> dict:
    """UNMIK's framework under another code with every indicator and output `times` over."""
    data = copy.deepcopy(data)
    data["entity"].update(code="UNMIK-X5", short_name_en="UNMIK-X5")
    for unit in data["units"]:
        for ea in unit["expected_accomplishments"]:
            ea["indicators"] = [
                {**indicator, "number": f"{indicator['number']}.{n}" if n else indicator["number"]}
                for n in range(times) for indicator in ea["indicators"]
            ]
            ea["outputs"] = [
                {**output, "number": f"{output['number']}.{n}" if n else output["number"]}
                for n in range(times) for output in ea["outputs"]
            ]
    return data


def _queries(client, report) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("narrative:report", args=[report.pk]), {"lang": "zh-hans"})
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_page_costs_the_same_queries_for_a_small_and_a_bigger_report(client, focal_point, unmik_report, unmik_data):
    from indicators.interchange import framework_import
    from missions.services import resources_load_demo

    bigger = framework_import(data=_bigger(unmik_data, times=5))
    resources_load_demo(report=bigger)
    Membership.objects.create(user=focal_point, role=Membership.Role.FOCAL_POINT, mission=bigger.mission)
    small_outputs = Output.objects.filter(accomplishment__unit__report=unmik_report).count()
    assert Output.objects.filter(accomplishment__unit__report=bigger).count() == 5 * small_outputs
    for report in (unmik_report, bigger):  # each with a few exports in its list, of every format
        for file_format in ("docx", "xlsx", "pdf", "html"):
            export_job_create(report=report, requester=focal_point, file_format=file_format, language="zh-hans", enqueue=False)

    client.force_login(focal_point)
    assert _queries(client, unmik_report) == _queries(client, bigger) == PAGE_QUERIES
