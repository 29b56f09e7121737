"""Personas and reports for the ledger tests (mission A is UNMIK, "own"; UNMISS is "other").

- focal: UNMIK focal point — answers UNMIK's requests.
- approver: UNMIK approver — answers and submits.
- reviewer: headquarters reviewer — records, imports and assigns requests; comments.
- other_focal: UNMISS focal point — must see none of UNMIK's assignments.
"""

import pytest

from missions.models import Membership
from rbb.ledger import services
from rbb.ledger.models import SourceDocument
from tests.entry.factories import make_mission, make_mission_report, make_user

Role = Membership.Role


@pytest.fixture(autouse=True)
def _urls(settings):
    settings.ROOT_URLCONF = "tests.entry.urls"


@pytest.fixture
def report(db):
    return make_mission_report("UNMIK")


@pytest.fixture
def other_report(db):
    return make_mission_report("UNMISS")


@pytest.fixture
def focal(db):
    return make_user("focal", role=Role.FOCAL_POINT, mission=make_mission("UNMIK"))


@pytest.fixture
def approver(db):
    return make_user("approver", role=Role.APPROVER, mission=make_mission("UNMIK"))


@pytest.fixture
def reviewer(db):
    return make_user("reviewer", role=Role.HQ_REVIEWER)


@pytest.fixture
def other_focal(db):
    return make_user("other_focal", role=Role.FOCAL_POINT, mission=make_mission("UNMISS"))


@pytest.fixture
def resolution(db, reviewer):
    return services.source_document_get_or_create(symbol="A/RES/75/301", body=SourceDocument.Body.GA, by=reviewer)


@pytest.fixture
def assignment(report, resolution, reviewer):
    request = services.request_create(
        source=resolution, by=reviewer,
        draft=services.RequestDraft(paragraph="第 11 段", text="请秘书长在下次特派团执行情况报告中提供最新信息"),
    )
    return services.request_assign(request=request, report=report, by=reviewer)
