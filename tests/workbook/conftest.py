"""UNMIK 2020/21 as the demo loads it (framework and resources), with personas and helpers to
edit a downloaded workbook the way a person would in Excel (here: openpyxl)."""

import io

import pytest
from openpyxl import load_workbook

from indicators.interchange import framework_import
from missions.models import ChangeRecord, Membership, Mission
from missions.services import resources_load_demo, resources_prepare
from rbb.demo_data import demo_document
from tests.entry.factories import make_user

Role = Membership.Role


@pytest.fixture(autouse=True)
def _urls(settings, tmp_path):
    settings.ROOT_URLCONF = "tests.entry.urls"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def unmik(db):
    report = framework_import(data=demo_document(name="unmik-2020-21.json"))
    resources_load_demo(report=report)
    resources_prepare(report=report)
    ChangeRecord.objects.all().delete()  # the loader's own records; tests count the workbook's
    return report


@pytest.fixture
def focal(unmik):
    return make_user("unmik.focal", role=Role.FOCAL_POINT, mission=unmik.mission)


@pytest.fixture
def approver(unmik):
    return make_user("unmik.approver", role=Role.APPROVER, mission=unmik.mission)


@pytest.fixture
def reviewer(db):
    return make_user("hq.reviewer", role=Role.HQ_REVIEWER)


@pytest.fixture
def outsider(db):
    other = Mission.objects.create(code="UNMISS", name_en="UNMISS")
    return make_user("unmiss.focal", role=Role.FOCAL_POINT, mission=other)


def open_book(content: bytes):
    return load_workbook(io.BytesIO(content))


def save_book(book) -> bytes:
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def find_row(sheet, item: str, number: str, ea: str | None = None) -> int:
    """The row of an indicator (item "Indicator", number 1.1.1) or an output (ea 1.1, number 2)."""
    for row in range(4, sheet.max_row + 1):
        if sheet.cell(row, 1).value == item and str(sheet.cell(row, 3).value) == number and (
            ea is None or str(sheet.cell(row, 2).value) == ea
        ):
            return row
    raise AssertionError(f"{item} {number} not found in {sheet.title}")
