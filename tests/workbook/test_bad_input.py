"""Each bad workbook is refused with the place of its problem, and nothing is written."""

import pytest
from openpyxl import Workbook

from missions.models import BudgetPeriod, ChangeRecord, Report
from rbb.workbook import layout
from rbb.workbook.build import workbook_build
from rbb.workbook.models import WorkbookUpload
from rbb.workbook.services import WorkbookInvalid, workbook_preview

from .conftest import find_row, open_book, save_book

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(unmik, focal):
    return open_book(workbook_build(report=unmik, lang="en", user=focal, include_resources=True))


def refused(report, content, user) -> list[str]:
    with pytest.raises(WorkbookInvalid) as error:
        workbook_preview(report=report, content=content, by=user)
    assert not WorkbookUpload.objects.exists() and not ChangeRecord.objects.exists()
    return [str(problem) for problem in error.value.problems]


def test_a_number_that_is_not_one_is_refused_with_its_cell(unmik, focal, book):
    row = find_row(book["1"], "Indicator", "1.1.1")
    book["1"].cell(row, 6).value = "abc"
    assert refused(unmik, save_book(book), focal) == [f"'1'!F{row}: “abc” is not a number."]


def test_an_output_with_words_for_a_number_is_refused(unmik, focal, book):
    row = find_row(book["1"], "Output", "3", "1.1")
    book["1"].cell(row, 6).value = "lots"
    assert refused(unmik, save_book(book), focal) == [f"'1'!F{row}: “lots” is not a number."]


def test_an_edit_of_a_protected_cell_is_refused(unmik, focal, book):
    row = find_row(book["1"], "Indicator", "1.1.1")
    book["1"].cell(row, 5).value = "Target 2020/21: 1 000"
    [problem] = refused(unmik, save_book(book), focal)
    assert problem.startswith(f"'1'!E{row}: This cell is protected and was changed")


def test_a_deleted_row_is_refused(unmik, focal, book):
    row = find_row(book["1"], "Indicator", "1.1.2")
    book["1"].delete_rows(row)
    problems = refused(unmik, save_book(book), focal)
    assert problems[0].startswith(f"'1'!A{row}: Rows were deleted or moved")


def test_reordered_rows_are_refused(unmik, focal, book):
    sheet = book["1"]
    first, second = find_row(sheet, "Indicator", "1.1.1"), find_row(sheet, "Indicator", "1.1.2")
    for column in range(1, 11):
        a, b = sheet.cell(first, column), sheet.cell(second, column)
        a.value, b.value = b.value, a.value
    problems = refused(unmik, save_book(book), focal)
    assert f"'1'!A{first}: Rows were deleted or moved: this row holds what row {second} held." in problems[0]


def test_an_added_row_is_refused_in_the_performance_phase(unmik, focal, book):
    sheet = book["1"]
    last = sheet.max_row + 1
    sheet.cell(last, 1).value = "Output"
    sheet.cell(last, 4).value = "A new output"
    assert refused(unmik, save_book(book), focal) == [
        f"'1'!A{last}: Rows cannot be added in the performance phase; new indicators and outputs are planned in the budget proposal."
    ]


def test_a_formula_is_refused_with_its_cell(unmik, focal, book):
    row = find_row(book["1"], "Indicator", "1.1.1")
    book["1"].cell(row, 6).value = "=800+60"
    problems = refused(unmik, save_book(book), focal)
    assert problems == [f"'1'!F{row}: This cell holds a formula (=800+60); type the value itself."]


def test_a_workbook_of_another_report_is_refused(unmik, focal, book):
    other_period = BudgetPeriod.objects.create(label="2021/22", start="2021-07-01", end="2022-06-30")
    other = Report.objects.create(mission=unmik.mission, period=other_period, report_type=unmik.report_type)
    assert refused(other, save_book(book), focal) == [
        "This workbook is for UNMIK 2020/21, not UNMIK 2021/22: upload it to its own report."
    ]


def test_a_workbook_of_an_older_template_is_refused(unmik, focal, book, monkeypatch):
    content = save_book(book)
    monkeypatch.setattr(layout, "TEMPLATE_VERSION", layout.TEMPLATE_VERSION + 1)
    [problem] = refused(unmik, content, focal)
    assert problem.startswith("'_rbb'!B1: This workbook was made with another template version (1, now 2)")


def test_a_changed_hidden_sheet_is_refused(unmik, focal, book):
    meta = book[layout.META_SHEET]
    meta.cell(len([*meta.iter_rows()]), 6).value = 99  # claim another version for the last row
    [problem] = refused(unmik, save_book(book), focal)
    assert "hidden sheet was changed" in problem


def test_a_file_that_is_not_xlsx_is_refused(unmik, focal):
    assert refused(unmik, b"PK\x03\x04 not really a zip", focal) == ["The file is not an Excel workbook (XLSX)."]
    assert refused(unmik, "实际数,860\n".encode(), focal) == ["The file is not an Excel workbook (XLSX)."]


def test_a_workbook_from_elsewhere_is_refused(unmik, focal):
    stranger = Workbook()
    stranger.active["A1"] = "hello"
    [problem] = refused(unmik, save_book(stranger), focal)
    assert "not downloaded from RBB Tracker" in problem


def test_every_problem_is_listed_at_once(unmik, focal, book):
    sheet = book["1"]
    one, two = find_row(sheet, "Indicator", "1.1.1"), find_row(sheet, "Indicator", "1.1.3")
    sheet.cell(one, 6).value = "abc"
    sheet.cell(two, 4).value = "changed plan"
    sheet.cell(two, 7).value = "=HYPERLINK(\"http://x\")"
    problems = refused(unmik, save_book(book), focal)
    assert {p.split(":")[0] for p in problems} == {f"'1'!F{one}", f"'1'!D{two}", f"'1'!G{two}"}


def test_a_neutralised_text_round_trips_as_typed(unmik, focal, book):
    row = find_row(book["1"], "Indicator", "1.1.1")
    book["1"].cell(row, 7).value = "'=not a formula"  # as the builder writes a text starting with "="
    upload = workbook_preview(report=unmik, content=save_book(book), by=focal)
    assert upload.changes[0]["fields"][0]["new"] == "=not a formula"
    # Written back, it is neutralised again, so the next round trip is unchanged.
    from rbb.workbook.services import workbook_confirm

    workbook_confirm(upload=upload, by=focal)
    content = workbook_build(report=unmik, lang="en", user=focal, include_resources=True)
    assert open_book(content)["1"].cell(row, 7).value == "'=not a formula"
    assert workbook_preview(report=unmik, content=content, by=focal).changes == []


def test_a_viewer_or_another_mission_may_not_upload(unmik, reviewer, outsider, book):
    from rbb.exceptions import NotPermitted

    for user in (reviewer, outsider):
        with pytest.raises(NotPermitted):
            workbook_preview(report=unmik, content=save_book(book), by=user)
