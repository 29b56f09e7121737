"""The planning phase: the planned side is written in the workbook, and rows added at the end of a
unit sheet become new indicators and outputs."""

import pytest

from indicators.models import Indicator, Output
from missions.models import ChangeRecord, Report
from rbb.workbook.build import workbook_build
from rbb.workbook.services import WorkbookInvalid, workbook_confirm, workbook_preview

from .conftest import find_row, open_book, save_book

pytestmark = pytest.mark.django_db


@pytest.fixture
def planning(unmik):
    Report.objects.filter(pk=unmik.pk).update(phase=Report.Phase.PLANNING)
    unmik.refresh_from_db()
    return unmik


def test_the_planned_side_is_changed_and_rows_are_added(planning, focal):
    book = open_book(workbook_build(report=planning, lang="en", user=focal))
    sheet = book["1"]
    row = find_row(sheet, "Indicator", "1.1.1")
    assert sheet.cell(row, 6).value == 290  # the target, a number
    sheet.cell(row, 6).value = "３００"
    sheet.cell(row, 5).value = "More confidence-building activities"
    out = find_row(sheet, "Output", "3", "1.1")
    sheet.cell(out, 6).value = "1,250"
    last = sheet.max_row + 1
    for column, value in enumerate(["Indicator", "1.1", "1.1.4", "新指标", "A new indicator", "50%"], start=1):
        sheet.cell(last, column).value = value
    for column, value in enumerate(["Output", "1.1", "20", "新产出", "", 12], start=1):
        sheet.cell(last + 1, column).value = value
    upload = workbook_preview(report=planning, content=save_book(book), by=focal)
    assert sorted((c["type"], c["label"]) for c in upload.changes) == [
        ("indicator_plan", "1.1.1"), ("new_indicator", "1.1 1.1.4"), ("new_output", "1.1 / 20"), ("output_plan", "1.1 / 3"),
    ]
    workbook_confirm(upload=upload, by=focal)
    indicator = Indicator.objects.get(accomplishment__unit__report=planning, number="1.1.1")
    assert indicator.statement_en == "More confidence-building activities"
    assert indicator.figures.get(kind="target").printed == "300"
    assert Output.objects.get(accomplishment__unit__report=planning, accomplishment__number="1.1", number="3").planned_quantity == "1 250"
    new = Indicator.objects.get(accomplishment__unit__report=planning, number="1.1.4")
    assert (new.statement, new.statement_en, new.figures.get().printed) == ("新指标", "A new indicator", "50%")
    assert Output.objects.get(accomplishment__unit__report=planning, accomplishment__number="1.1", number="20").planned_quantity == "12"
    assert set(ChangeRecord.objects.values_list("source", flat=True)) == {"workbook"}
    # Downloaded again, nothing changes.
    assert workbook_preview(report=planning, content=workbook_build(report=planning, lang="en", user=focal), by=focal).changes == []


def test_added_rows_are_checked_with_their_cells(planning, focal):
    book = open_book(workbook_build(report=planning, lang="en", user=focal))
    sheet = book["1"]
    last = sheet.max_row + 1
    for column, value in enumerate(["Indicator", "1.1", "1.1.1", "重复", "", ""], start=1):
        sheet.cell(last, column).value = value
    for column, value in enumerate(["Output", "9.9", "1", "x", "", ""], start=1):
        sheet.cell(last + 1, column).value = value
    with pytest.raises(WorkbookInvalid) as refused:
        workbook_preview(report=planning, content=save_book(book), by=focal)
    assert [str(p) for p in refused.value.problems] == [
        f"'1'!C{last}: Number 1.1.1 is already used in this expected accomplishment.",
        f"'1'!B{last + 1}: Name an expected accomplishment of this sheet.",
    ]


def test_the_performance_phase_workbook_is_refused_in_the_planning_phase(unmik, focal):
    content = workbook_build(report=unmik, lang="en", user=focal)
    Report.objects.filter(pk=unmik.pk).update(phase=Report.Phase.PLANNING)
    unmik.refresh_from_db()
    with pytest.raises(WorkbookInvalid) as refused:
        workbook_preview(report=unmik, content=content, by=focal)
    assert "another phase" in str(refused.value.problems[0])
