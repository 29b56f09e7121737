"""The programme-plan interchange: round trip, commands, all-or-nothing errors, flags."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from missions.models import Report
from rbb.exceptions import ReportLocked
from rbb.programme.interchange import programme_dumps, programme_export, programme_import
from rbb.programme.models import Deliverable, Subprogramme
from rbb.programme.transcription import subprogramme_from_transcription

from .conftest import DPPA_FILE

pytestmark = pytest.mark.django_db


def _call(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_demo_file_round_trips_byte_for_byte(tmp_path):
    out, _err = _call("import_framework", str(DPPA_FILE))
    assert "DPPA 2024" in out and "subprogrammes 2, results 8, deliverables 22" in out
    first = tmp_path / "first.json"
    _call("export_framework", "DPPA", "2024", "--output", str(first))
    assert first.read_bytes() == DPPA_FILE.read_bytes()
    _call("import_framework", str(first))
    second = tmp_path / "second.json"
    _call("export_framework", "DPPA", "2024", "--output", str(second))
    assert second.read_bytes() == first.read_bytes()


def test_subprogramme_4_of_the_demo_is_the_transcription(dppa, transcription):
    def strip(node):
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k != "lineage"}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    sp4 = next(sp for sp in dppa["subprogrammes"] if sp["number"] == 4)
    assert strip(sp4) == subprogramme_from_transcription(transcription, plan_year=2024)


def test_importing_twice_replaces_rather_than_adds(dppa):
    programme_import(data=dppa)
    report = programme_import(data=dppa)
    assert Subprogramme.objects.filter(report=report).count() == 2
    assert Deliverable.objects.filter(subcategory__subprogramme__report=report).count() == 22


def test_errors_are_listed_with_their_path_and_nothing_is_written(dppa, tmp_path):
    sp = dppa["subprogrammes"][1]
    items = sp["deliverables"]["categories"][0]["subcategories"][1]["items"]
    items[0]["prior_actual"] = "nine"
    items[1]["number"] = items[0]["number"]
    dppa["subprogrammes"][0]["resources"]["financial"][0]["expenditure"] = "4 106.8"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(dppa, ensure_ascii=False), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_framework", str(path), stdout=StringIO(), stderr=err)
    text = err.getvalue()
    base = "$.subprogrammes[1].deliverables.categories[0].subcategories[1].items"
    # A schema error is reported first (the content checks read the shape it guarantees).
    assert "$.subprogrammes[0].resources.financial[0].expenditure: Enter a number with at most one decimal place" in text
    assert Report.objects.count() == 0
    dppa["subprogrammes"][0]["resources"]["financial"][0]["expenditure"] = "4106.8"
    path.write_text(json.dumps(dppa, ensure_ascii=False), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_framework", str(path), stdout=StringIO(), stderr=err)
    assert f"{base}[0].prior_actual: Enter a number or — for nil." in err.getvalue()
    assert f"{base}[1].number: Deliverable 7 appears twice." in err.getvalue()
    assert Report.objects.count() == 0


def test_a_printed_total_that_differs_from_the_sum_is_flagged_and_the_sum_kept(dppa):
    sub = dppa["subprogrammes"][1]["deliverables"]["categories"][0]["subcategories"][1]
    sub["printed_totals"]["prior_actual"] = "38"  # the items sum to 37
    path_out, err = StringIO(), StringIO()
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump(dppa, f, ensure_ascii=False)
    call_command("import_framework", f.name, stdout=path_out, stderr=err)
    assert "Printed total 38" in err.getvalue() and "37" in err.getvalue()
    report = Report.objects.get()
    # The export keeps the printed figure as it came, the total printed is the sum.
    exported = programme_export(report=report)
    assert exported["subprogrammes"][1]["deliverables"]["categories"][0]["subcategories"][1]["printed_totals"]["prior_actual"] == "38"


def test_a_locked_report_is_not_replaced(dppa):
    report = programme_import(data=dppa)
    Report.objects.filter(pk=report.pk).update(status=Report.Status.SUBMITTED)
    with pytest.raises(ReportLocked):
        programme_import(data=dppa)


def test_the_schema_in_docs_is_the_one_the_app_uses():
    from django.conf import settings

    from rbb.programme.interchange import SCHEMA_PATH

    docs = settings.BASE_DIR / "docs" / "programme.schema.json"
    assert docs.read_text(encoding="utf-8") == SCHEMA_PATH.read_text(encoding="utf-8")


def test_dumps_is_the_command_output(dppa_report):
    out, _err = _call("export_framework", "DPPA", "2024")
    assert out == programme_dumps(programme_export(report=dppa_report))
