"""The workbook: one sheet per table, the report's cells, numbers stored as numbers in UN formats."""

from decimal import Decimal

import pytest
from django.utils import translation

from rbb.narrative import labels

from . import expected
from .readback import open_xlsx, xlsx_bytes, xlsx_sheet_rows

ZH = "zh-hans"
pytestmark = pytest.mark.django_db


@pytest.fixture
def workbook(unmik_report):
    return open_xlsx(xlsx_bytes(unmik_report, ZH))


def _label(label) -> str:
    with translation.override(ZH):
        return str(label)


def as_printed(value, printed: str) -> bool:
    """A stored cell equals a printed figure: `(911.0)` is the number −911.0.

    `—` is either no figure (the text) or zero, stored as 0 and shown as `—` by its format.
    """
    if isinstance(value, (int, float)):
        if printed == "—":
            return value == 0
        number = printed.replace(" ", "").replace("%", "")
        if number.startswith("("):
            number = "-" + number.strip("()")
        return Decimal(str(value)) == Decimal(number)
    return value == printed


def rows_match(rows, expected_rows) -> bool:
    if len(rows) != len(expected_rows):
        return False
    for row, want in zip(rows, expected_rows):
        if len(row) != len(want) or not all(as_printed(v, p) for v, p in zip(row, want)):
            return False
    return True


def test_there_is_one_sheet_per_table(workbook):
    names = workbook.sheetnames
    assert names[0] == _label(labels.CONTENTS)
    framework = [n for n in names if n[:3] in ("1.1", "1.2", "1.3", "2.1")]
    assert len(framework) == 8 and f"1.1 {_label(labels.INDICATORS)}" in framework
    assert len(names) == 1 + 2 + 8 + 4 + 1 + 1  # contents, summary ×2, framework, III ×4, IV, V


def test_it_holds_every_indicator_and_output(workbook, unmik_data):
    framework = expected.mission_framework(unmik_data, ZH)
    for ea in framework:
        indicators = workbook[f"{ea['number']} {_label(labels.INDICATORS)}"]
        assert [row[0] for row in indicators.iter_rows(min_row=2, max_row=2, values_only=True)] == [
            _label(labels.PLANNED_INDICATORS)
        ]
        assert xlsx_sheet_rows(indicators, 3) == ea["indicators"], ea["number"]
        outputs = workbook[f"{ea['number']} {_label(labels.OUTPUTS)}"]
        rows = xlsx_sheet_rows(outputs, 3)
        assert rows_match(rows, ea["outputs"]), ea["number"]
    assert sum(len(ea["indicators"]) for ea in framework) == 17
    assert sum(1 for ea in framework for row in ea["outputs"] if row[0] != expected.HEADING) == 59


def test_a_completed_number_is_a_number(workbook):
    outputs = workbook[f"1.1 {_label(labels.OUTPUTS)}"]
    completed = [row[1] for row in outputs.iter_rows(min_row=3, values_only=True)]
    assert 250 in completed and "180; 841" in completed and "是" in completed


def test_the_financial_table_stores_every_computed_cell_as_a_number(workbook, unmik_resources):
    sheet = workbook[_label(labels.FINANCIAL_RESOURCES)]
    rows = [row for row in xlsx_sheet_rows(sheet, 6) if row[0] != "heading"]  # title, subtitle, 3 header rows
    assert rows_match(rows, expected.financial_rows(unmik_resources, "detailed_table"))
    national = next(r for r in sheet.iter_rows(min_row=6) if r[0].value == "本国工作人员")
    assert [c.value for c in national[1:]] == [10273.9, 11184.9, -911, -8.9]
    assert national[1].number_format == '#\\ ##0.0;(#\\ ##0.0);"—"'
    assert national[3].number_format == '0.0;(0.0);"—"'
    gross = next(r for r in sheet.iter_rows(min_row=6) if r[0].value == "所需资源毛额")
    assert [c.value for c in gross[1:]] == [39827.3, 39682.8, 144.5, 0.4]

    summary = workbook[_label(labels.SHEET_FINANCIAL_SUMMARY)]
    assert rows_match(xlsx_sheet_rows(summary, 5), expected.financial_rows(unmik_resources, "summary_table"))


def test_the_other_resource_sheets_hold_every_cell(workbook, unmik_resources):
    hr = workbook[_label(labels.SHEET_HUMAN_RESOURCES)]
    rows = xlsx_sheet_rows(hr, 3)
    assert rows_match(rows[: rows.index(("heading", "本国工作人员")) + 4], expected.incumbency_rows(unmik_resources))
    redeployment = workbook[_label(labels.REDEPLOYMENT)]
    rows = xlsx_sheet_rows(redeployment, 5)
    assert rows_match(rows[:4], expected.redeployment_rows(unmik_resources, ZH))
    other = workbook[_label(labels.SHEET_OTHER_REVENUE)]
    assert rows_match(xlsx_sheet_rows(other, 4), expected.revenue_rows(unmik_resources, "other_revenue", "amount", ZH))

    variances = workbook[_label(labels.SHEET_VARIANCES)]
    entries = [row for row in variances.iter_rows(min_row=3, values_only=True)]
    want = expected.variance_entries(unmik_resources)
    assert [row[0] for row in entries] == [name for name, *_ in want]
    assert all(as_printed(row[1], amount) and as_printed(row[2], pct) for row, (_, amount, pct, _) in zip(entries, want))
    assert [row[3] for row in entries] == ["\n".join(texts) for *_, texts in want]

    ga = workbook[_label(labels.SHEET_GA_ACTIONS)]
    amounts = [row[1] for row in ga.iter_rows(min_row=3, values_only=True)]
    assert amounts == [144500, 126500, 40300, 68200, 18000]
    assert ga["B3"].number_format == '#\\ ##0;(#\\ ##0);"—"'


def test_text_wraps_and_headers_repeat_when_printed(workbook):
    sheet = workbook[f"2.1 {_label(labels.OUTPUTS)}"]
    assert sheet["C4"].alignment.wrap_text
    assert sheet.print_title_rows == "$2:$2"
