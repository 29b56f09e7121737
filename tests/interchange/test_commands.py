"""manage.py import_framework and export_framework."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command, load_command_class
from django.db import connections

from indicators.interchange import framework_import
from missions.models import Report
from rbb.demo_data import DEMO_DIR

from .conftest import db_counts

pytestmark = pytest.mark.django_db

UNMIK_FILE = DEMO_DIR / "unmik-2020-21.json"


def _call(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_prints_the_counts():
    out, _err = _call("import_framework", str(UNMIK_FILE))
    assert "UNMIK 2020/21" in out
    assert "units 2, expected accomplishments 4, indicators 17, outputs 59" in out
    assert Report.objects.count() == 1


def test_import_prints_every_error_and_fails(unmik, tmp_path):
    ea = unmik["units"][0]["expected_accomplishments"][2]
    ea["indicators"][2]["target"] = None
    ea["outputs"][0]["planned_quantity"] = "12.3.4"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(unmik, ensure_ascii=False), encoding="utf-8")
    err = StringIO()

    with pytest.raises(CommandError, match="2 errors; nothing was imported"):
        call_command("import_framework", str(path), stdout=StringIO(), stderr=err)

    lines = err.getvalue().splitlines()
    assert lines[0].startswith("$.units[0].expected_accomplishments[2].indicators[2].target: ")
    assert lines[1].startswith("$.units[0].expected_accomplishments[2].outputs[0].planned_quantity: ")
    assert "12.3.4" in lines[1]
    assert db_counts()["Report"] == 0


def test_import_exits_non_zero_from_the_command_line(unmik, tmp_path, capsys, monkeypatch):
    unmik["format_version"] = 7
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(unmik), encoding="utf-8")
    # run_from_argv is what manage.py calls; it closes the connections afterwards, which
    # would end the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    with pytest.raises(SystemExit) as exited:
        load_command_class("indicators", "import_framework").run_from_argv(["manage.py", "import_framework", str(path)])

    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert "$.format_version: Expected 1." in err
    assert "1 error; nothing was imported." in err


def test_import_refuses_a_file_that_is_not_json(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format_version": 1,', encoding="utf-8")
    with pytest.raises(CommandError, match="JSON is not valid"):
        _call("import_framework", str(path))


def test_import_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        _call("import_framework", str(tmp_path / "nothing.json"))


def test_import_onto_a_submitted_report_fails(unmik):
    report = framework_import(data=unmik)
    report.status = Report.Status.SUBMITTED
    report.save(update_fields=["status"])
    with pytest.raises(CommandError, match="submitted or accepted"):
        _call("import_framework", str(UNMIK_FILE))


def test_export_writes_the_document_to_stdout(unmik):
    framework_import(data=unmik)
    out, _err = _call("export_framework", "UNMIK", "2020/21")
    assert out == UNMIK_FILE.read_text(encoding="utf-8")


def test_export_writes_to_a_file(unmik, tmp_path):
    framework_import(data=unmik)
    target = tmp_path / "unmik.json"
    out, _err = _call("export_framework", "UNMIK", "2020/21", "--output", str(target))
    assert out == ""
    assert target.read_bytes() == UNMIK_FILE.read_bytes()


def test_export_of_an_unknown_report_fails():
    with pytest.raises(CommandError, match="no report for UNMIK 2031/32"):
        _call("export_framework", "UNMIK", "2031/32")
