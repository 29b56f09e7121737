"""Personas, reports and helpers for the headquarters review.

The personas are those of tests/entry (mission A "UNMIK" is own, "UNMISS" is another mission):
- focal, approver: mission A staff — read the review of A, reply; the approver submits.
- reviewer, admin: headquarters — the dashboard, comment, resolve, return, accept.
- viewer: mission A viewer — reads A's comments, writes nothing.
- viewer_all: viewer of every mission — sees reports, not the review between HQ and a mission.
- outsider: no role.
"""

import pytest

from indicators.models import Indicator
from missions.models import Report
from rbb.review.services import comment_add
from rbb.workflow import report_return, report_submit
from tests.entry.conftest import _workflow_urls, eager_celery, other_report, personas, report  # noqa: F401
from tests.entry.factories import PASSWORD, fill_report, get_indicator, make_mission_report

__all__ = ["PASSWORD"]


@pytest.fixture
def focal(personas):  # noqa: F811
    return personas["focal"]


@pytest.fixture
def approver(personas):  # noqa: F811
    return personas["approver"]


@pytest.fixture
def reviewer(personas):  # noqa: F811
    return personas["reviewer"]


@pytest.fixture
def submitted(report, approver):  # noqa: F811
    """Mission A's report, complete, submitted once (submission 1)."""
    fill_report(report)
    return report_submit(report=report, by=approver)


@pytest.fixture
def resubmitted(submitted, reviewer, approver, focal):
    """Commented on 1.1.1, returned, 1.1.1's narrative rewritten, submitted again (submission 2)."""
    comment_add(report=submitted, item=get_indicator(submitted, "1.1.1"), body="请说明 1.1.1 的实际数字来源。", by=reviewer)
    report_return(report=submitted, by=reviewer, comment="请处理意见。")
    Indicator.objects.filter(pk=get_indicator(submitted, "1.1.1").pk).update(actual_narrative="记录了 860 项决定和活动。")
    return report_submit(report=Report.objects.get(pk=submitted.pk), by=approver)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def grown_report(code: str, outputs: int) -> Report:
    """A filled mission report with about `outputs` outputs (2 per added expected accomplishment)."""
    return fill_report(make_mission_report(code, size=(max(outputs - 3, 0) + 1) // 2))
