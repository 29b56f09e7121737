"""Expenditure import from CSV and XLSX: every line checked first, then all or nothing."""

import io
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from missions.models import ChangeRecord, FinancialLine, Report
from missions.services import ImportFailed, expenditure_import
from rbb.exceptions import ReportLocked

pytestmark = pytest.mark.django_db


def _expenditure(report, code):
    line = FinancialLine.objects.filter(report=report, financial_class__code=code).first()
    return None if line is None else line.expenditure


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_csv_with_codes_and_names_in_both_languages(report, alice):
    content = (
        "class,expenditure,apportionment\n"
        "official-travel,31.4,318.6\n"          # code
        "Medical,117.7,\n"                       # English name, apportionment left as it is
        "本国工作人员,\"11 184.9\",\"10 273.9\"\n"  # Chinese name, printed with thousands spaces
        "  ＭＩＬＩＴＡＲＹ  OBSERVERS ,278.2,339.7\n"  # full-width letters and stray spaces
        "Staff assessment income,(4 038.0),3 922.1\n"
        "Air operations,—,\n"                    # nil
    ).encode()

    result = expenditure_import(report=report, filename="unmik.csv", content=content, by=alice)

    assert (result.rows, result.changed) == (6, 5)  # air operations was already nil
    assert _expenditure(report, "official-travel") == D("31.4")
    assert FinancialLine.objects.get(report=report, financial_class__code="official-travel").apportionment == D("318.6")
    assert FinancialLine.objects.get(report=report, financial_class__code="medical").apportionment is None
    assert _expenditure(report, "national-staff") == D("11184.9")
    assert _expenditure(report, "military-observers") == D("278.2")
    assert _expenditure(report, "staff-assessment") == D("-4038.0")
    assert ChangeRecord.objects.filter(item_type="financial line", field="expenditure", actor=alice).count() == 5


def test_xlsx_without_a_header_row(report, alice):
    content = _xlsx([["公务差旅", 31.4, 318.6], ["Medical", 117.7], ["other-supplies", 2525.1, None]])

    expenditure_import(report=report, filename="unmik.xlsx", content=content, by=alice)

    assert _expenditure(report, "official-travel") == D("31.4")
    assert _expenditure(report, "medical") == D("117.7")
    assert _expenditure(report, "other-supplies") == D("2525.1")


def test_a_float_from_a_formula_is_read_as_the_spreadsheet_shows_it(report, alice):
    expenditure_import(report=report, filename="f.xlsx", content=_xlsx([["medical", 0.1 + 0.2]]), by=alice)
    assert _expenditure(report, "medical") == D("0.3")


def test_errors_name_their_lines_and_nothing_is_imported(demo_report, alice):
    content = (
        "Class,Expenditure\n"              # line 1
        "official-travel,40.0\n"           # line 2: fine, but must not be saved
        "Medical,12.3.4\n"                 # line 3
        "Unicorns,1.0\n"                   # line 4
        "Gross requirements,5.0\n"         # line 5
        "official-travel,41.0\n"           # line 6
        "ground-transportation,1.25\n"     # line 7
        ",3.0\n"                           # line 8
        "空中业务,\n"                       # line 9
    ).encode()
    before = ChangeRecord.objects.count()

    with pytest.raises(ImportFailed) as caught:
        expenditure_import(report=demo_report, filename="bad.csv", content=content, by=alice)

    assert [str(e) for e in caught.value.extra["errors"]] == [
        "line 3: “12.3.4” is not a number.",
        "line 4: “Unicorns” is not a class of this report (give its code, or its name in English or Chinese).",
        "line 5: “Gross requirements” is computed from the other lines; leave it out.",
        "line 6: “official-travel” is already on line 2.",
        "line 7: “1.25” has more than one decimal place (expenditure, thousands of US$).",
        "line 8: the class is missing.",
        "line 9: the expenditure is missing (write — for nil).",
    ]
    assert caught.value.http_status == 400
    assert _expenditure(demo_report, "official-travel") == D("31.4")
    assert ChangeRecord.objects.count() == before


def test_xlsx_errors_use_spreadsheet_row_numbers(report, alice):
    content = _xlsx([["code", "expenditure"], ["medical", 5], [None, None], ["medical", "abc"]])
    with pytest.raises(ImportFailed) as caught:
        expenditure_import(report=report, filename="x.xlsx", content=content, by=alice)
    assert [str(e) for e in caught.value.extra["errors"]] == ["line 4: “medical” is already on line 2."]


def test_a_header_without_an_expenditure_column_is_refused(report, alice):
    with pytest.raises(ImportFailed) as caught:
        expenditure_import(report=report, filename="h.csv", content=b"class,apportionment\nmedical,1.0\n", by=alice)
    assert [str(e) for e in caught.value.extra["errors"]] == ["line 1: no “expenditure” column."]


@pytest.mark.parametrize(("filename", "content", "message"), [
    ("notes.pdf", b"%PDF", "Upload a .csv or .xlsx file."),
    ("broken.xlsx", b"not a zip", "The file is not a readable XLSX workbook."),
    ("empty.csv", b"\n\n", "The file has no rows."),
])
def test_unreadable_files_are_refused(report, alice, filename, content, message):
    with pytest.raises(ImportFailed) as caught:
        expenditure_import(report=report, filename=filename, content=content, by=alice)
    assert [str(e) for e in caught.value.extra["errors"]] == [message]


def test_a_locked_report_refuses_an_import(demo_report, alice):
    Report.objects.filter(pk=demo_report.pk).update(status=Report.Status.ACCEPTED)
    demo_report.refresh_from_db()
    with pytest.raises(ReportLocked):
        expenditure_import(report=demo_report, filename="a.csv", content=b"medical,1.0\n", by=alice)


def test_the_command_imports_a_file(report, tmp_path, alice):
    path = tmp_path / "unmik.csv"
    path.write_text("code,expenditure\nmedical,117.7\n", encoding="utf-8")
    out = io.StringIO()

    call_command("import_expenditure", "UNMIK", "2020/21", str(path), "--user", "alice", stdout=out)

    assert "Imported 1 rows" in out.getvalue()
    assert _expenditure(report, "medical") == D("117.7")
    assert ChangeRecord.objects.get(field="expenditure").actor == alice


def test_the_command_reports_every_error_and_imports_nothing(report, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("medical,abc\nofficial-travel,1.0\nnope,2.0\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("import_expenditure", "UNMIK", "2020/21", str(path))
    assert "line 1: “abc” is not a number." in str(caught.value)
    assert "line 3: “nope” is not a class" in str(caught.value)
    assert _expenditure(report, "official-travel") is None


def test_the_command_names_a_missing_report(report, tmp_path):
    with pytest.raises(CommandError, match="No report for UNMIK 1999/00"):
        call_command("import_expenditure", "UNMIK", "1999/00", str(tmp_path / "x.csv"))


def _run_command(*args, capsys, monkeypatch) -> tuple[int, str]:
    from django.core.management import load_command_class
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)  # keep the test's transaction
    with pytest.raises(SystemExit) as exited:
        load_command_class("missions", "import_expenditure").run_from_argv(["manage.py", "import_expenditure", *map(str, args)])
    return exited.value.code, capsys.readouterr().err


BROKEN_FILES = {
    "utf-16": ("a.csv", "code,expenditure\nmedical,117.7\n".encode("utf-16"), "encoded as UTF-16"),
    "utf-16 without a byte-order mark": ("a.csv", "code,expenditure\nmedical,117.7\n".encode("utf-16-le"), "looks like UTF-16"),
    "invalid utf-8": ("a.csv", b"code,expenditure\nmedical\xff\xfe,117.7\n", "not UTF-8 text"),
    "a 5000-digit number": ("a.csv", b"code,expenditure\nmedical," + b"9" * 5000 + b"\n", "line 2: This number is too large."),
    "a NUL byte": ("a.csv", b"code,expenditure\nmed\x00ical,1\n", "not a readable CSV"),
    "a 5000-digit number in a workbook": ("a.xlsx", None, "line 2: This number is too large."),
}


@pytest.mark.parametrize("case", list(BROKEN_FILES))
def test_the_command_refuses_a_broken_file_clearly(demo_report, tmp_path, capsys, monkeypatch, case):
    filename, content, words = BROKEN_FILES[case]
    if content is None:
        content = _xlsx([["code", "expenditure"], ["medical", "9" * 5000]])
    path = tmp_path / filename
    path.write_bytes(content)
    before = _expenditure(demo_report, "medical")

    code, err = _run_command("UNMIK", "2020/21", path, capsys=capsys, monkeypatch=monkeypatch)

    assert code == 1
    assert "Traceback" not in err
    assert words in err, err[:2000]
    assert len(err) < 1000  # a sentence, not the file echoed back
    assert _expenditure(demo_report, "medical") == before
