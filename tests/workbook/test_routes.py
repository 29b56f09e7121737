"""The workbook on every route: pages, API (in the OpenAPI schema), commands; scoping and query counts."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from indicators.models import Indicator
from missions.models import ChangeRecord, Report
from rbb.workbook.build import workbook_build
from rbb.workbook.models import WorkbookUpload
from rbb.workbook.services import workbook_preview

from .conftest import find_row, open_book, save_book

pytestmark = pytest.mark.django_db
# soffice without Calc cannot load a spreadsheet at all ("source file could not be loaded").
CALC = Path("/usr/lib/libreoffice/program/libsclo.so")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def changed_workbook(report, user) -> bytes:
    book = open_book(workbook_build(report=report, lang="en", user=user, include_resources=True))
    book["1"].cell(find_row(book["1"], "Indicator", "1.1.1"), 6).value = 900
    return save_book(book)


def test_api_download_preview_and_confirm(unmik, focal):
    response = api(focal).get(f"/api/v1/reports/{unmik.pk}/workbook.xlsx?lang=zh-hans")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert open_book(response.content)["1"].cell(3, 1).value == "项目"

    file = io.BytesIO(changed_workbook(unmik, focal))
    file.name = "unmik.xlsx"
    response = api(focal).post(f"/api/v1/reports/{unmik.pk}/workbook/", {"file": file}, format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert [(c["label"], c["fields"][0]["old"], c["fields"][0]["new"]) for c in body["changes"]] == [("1.1.1", "860", "900")]
    again = api(focal).get(f"/api/v1/reports/{unmik.pk}/workbook/{body['id']}/")
    assert again.status_code == 200 and again.json()["changes"] == body["changes"]
    response = api(focal).post(f"/api/v1/reports/{unmik.pk}/workbook/{body['id']}/confirm/", {}, format="json")
    assert response.status_code == 200 and response.json() == {"applied": 1}
    assert Indicator.objects.get(accomplishment__unit__report=unmik, number="1.1.1").actual == "900"
    # Confirmed once: the upload is gone.
    assert api(focal).post(f"/api/v1/reports/{unmik.pk}/workbook/{body['id']}/confirm/", {}, format="json").status_code == 404


def test_api_refuses_a_bad_workbook_with_its_cells_and_a_locked_report_with_409(unmik, focal):
    book = open_book(workbook_build(report=unmik, lang="en", user=focal))
    row = find_row(book["1"], "Indicator", "1.1.1")
    book["1"].cell(row, 6).value = "abc"
    file = io.BytesIO(save_book(book))
    response = api(focal).post(f"/api/v1/reports/{unmik.pk}/workbook/", {"file": file}, format="multipart")
    assert response.status_code == 400
    assert [p["text"] for p in response.json()["extra"]["problems"]] == [f"'1'!F{row}: “abc” is not a number."]
    assert api(focal).post(f"/api/v1/reports/{unmik.pk}/workbook/", {}, format="multipart").status_code == 400

    Report.objects.filter(pk=unmik.pk).update(status=Report.Status.ACCEPTED)
    response = api(focal).post(f"/api/v1/reports/{unmik.pk}/workbook/", {"file": io.BytesIO(b"x")}, format="multipart")
    assert response.status_code == 409 and response.json()["code"] == "report_locked"


def test_another_missions_report_is_a_404_everywhere(unmik, focal, outsider):
    client = api(outsider)
    assert client.get(f"/api/v1/reports/{unmik.pk}/workbook.xlsx").status_code == 404
    assert client.post(f"/api/v1/reports/{unmik.pk}/workbook/", {"file": io.BytesIO(b"x")}, format="multipart").status_code == 404
    upload = workbook_preview(report=unmik, content=changed_workbook(unmik, focal), by=focal)
    assert client.post(f"/api/v1/reports/{unmik.pk}/workbook/{upload.pk}/confirm/", {}, format="json").status_code == 404
    # Another person of the same mission cannot confirm someone else's upload either.
    from tests.entry.factories import make_user
    from missions.models import Membership

    colleague = make_user("colleague", role=Membership.Role.APPROVER, mission=unmik.mission)
    assert api(colleague).post(f"/api/v1/reports/{unmik.pk}/workbook/{upload.pk}/confirm/", {}, format="json").status_code == 404
    page = APIClient()
    page.force_login(outsider)
    assert page.get(f"/reports/{unmik.pk}/workbook/").status_code == 404
    assert page.get(f"/reports/{unmik.pk}/workbook.xlsx").status_code == 404


def test_the_api_is_in_the_openapi_schema(unmik, focal):
    schema = api(focal).get("/api/schema/?format=json").json()
    assert {"/api/v1/reports/{id}/workbook.xlsx", "/api/v1/reports/{id}/workbook/",
            "/api/v1/reports/{id}/workbook/{upload_id}/confirm/"} <= set(schema["paths"])


def test_pages_upload_preview_and_confirm(client, unmik, focal):
    client.force_login(focal)
    home = client.get(f"/reports/{unmik.pk}/")
    assert f'href="/reports/{unmik.pk}/workbook/"'.encode() in home.content
    assert client.get(f"/reports/{unmik.pk}/workbook/").status_code == 200
    download = client.get(f"/reports/{unmik.pk}/workbook.xlsx?lang=en")
    assert download.status_code == 200 and download["Content-Type"] == XLSX

    file = io.BytesIO(changed_workbook(unmik, focal))
    file.name = "unmik.xlsx"
    response = client.post(f"/reports/{unmik.pk}/workbook/", {"file": file})
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 200 and "900" in preview.content.decode()
    assert not ChangeRecord.objects.exists()
    done = client.post(response["Location"])
    assert done.status_code == 302 and done["Location"] == f"/reports/{unmik.pk}/"
    assert Indicator.objects.get(accomplishment__unit__report=unmik, number="1.1.1").actual == "900"


def test_the_page_shows_each_problem_with_its_cell(client, unmik, focal):
    client.force_login(focal)
    response = client.post(f"/reports/{unmik.pk}/workbook/", {"file": io.BytesIO(b"not a workbook")})
    assert response.status_code == 422
    assert "The file is not an Excel workbook (XLSX)." in response.content.decode()


def test_commands_export_dry_run_and_apply(unmik, focal, tmp_path):
    path = tmp_path / "unmik.xlsx"
    call_command("export_workbook", "UNMIK", "2020/21", "--output", str(path))
    book = open_book(path.read_bytes())
    book["1"].cell(find_row(book["1"], "Indicator", "1.1.1"), 6).value = 900
    path.write_bytes(save_book(book))
    out = io.StringIO()
    call_command("import_workbook", "UNMIK", "2020/21", str(path), "--dry-run", "--user", "unmik.focal", stdout=out)
    assert "1.1.1 '1'!F" in out.getvalue() and "'860' → '900'" in out.getvalue()
    assert not WorkbookUpload.objects.exists() and not ChangeRecord.objects.exists()
    call_command("import_workbook", "UNMIK", "2020/21", str(path), "--user", "unmik.focal", stdout=io.StringIO())
    assert Indicator.objects.get(accomplishment__unit__report=unmik, number="1.1.1").actual == "900"
    assert ChangeRecord.objects.get().source == "workbook"


def test_the_command_lists_conflicts_and_exits_1(unmik, focal, approver, tmp_path):
    path = tmp_path / "unmik.xlsx"
    content = changed_workbook(unmik, focal)
    path.write_bytes(content)
    indicator = Indicator.objects.get(accomplishment__unit__report=unmik, number="1.1.1")
    from indicators.services import indicator_actual_record

    indicator_actual_record(indicator=indicator, actual="870", actual_narrative=indicator.actual_narrative,
                            variance_explanation=indicator.variance_explanation, version=indicator.version, by=approver)
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 conflicts; nothing was applied"):
        call_command("import_workbook", "UNMIK", "2020/21", str(path), stdout=io.StringIO(), stderr=err)
    assert "conflict: 1.1.1" in err.getvalue()
    indicator.refresh_from_db()
    assert indicator.actual == "870"


def test_the_command_prints_each_problem_and_exits_1(unmik, focal, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"nope")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_workbook", "UNMIK", "2020/21", str(path), "--user", "unmik.focal", stderr=err)
    assert "not an Excel workbook" in err.getvalue()


def test_building_and_previewing_take_a_fixed_number_of_queries(unmik, focal, django_assert_num_queries):
    # Build: units, accomplishments, indicators, figures, outputs, financial lines, incumbency.
    with django_assert_num_queries(7):
        content = workbook_build(report=unmik, lang="en", user=focal, include_resources=True)
    focal._rbb_access = None
    del focal._rbb_access
    # Preview of an unchanged workbook: the user's roles and the pending upload's insert.
    with django_assert_num_queries(2):
        workbook_preview(report=unmik, content=content, by=focal)
    # Changed items cost one query per item type, whatever their number.
    book = open_book(content)
    for number in ("1.1.1", "1.1.3", "1.2.1"):
        book["1"].cell(find_row(book["1"], "Indicator", number), 6).value = 1
    with django_assert_num_queries(3):  # (roles are cached on the user now) indicators, their figures, insert
        workbook_preview(report=unmik, content=save_book(book), by=focal)


@pytest.mark.skipif(shutil.which("soffice") is None or not CALC.exists(), reason="LibreOffice Calc (libreoffice-calc-nogui) is not installed")
def test_the_workbook_opens_in_libreoffice_without_repair(unmik, focal, tmp_path):
    path = tmp_path / "unmik.xlsx"
    path.write_bytes(workbook_build(report=unmik, lang="zh-hans", user=focal, include_resources=True))
    result = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "unmik.pdf").stat().st_size > 10_000
    assert "repair" not in (result.stdout + result.stderr).lower() and "error" not in result.stderr.lower()


@pytest.mark.skipif(shutil.which("soffice") is None or not CALC.exists(), reason="LibreOffice Calc (libreoffice-calc-nogui) is not installed")
def test_a_workbook_saved_again_by_libreoffice_reads_back_unchanged(unmik, focal, tmp_path):
    source = tmp_path / "in" / "unmik.xlsx"
    source.parent.mkdir()
    source.write_bytes(workbook_build(report=unmik, lang="zh-hans", user=focal, include_resources=True))
    result = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "xlsx:Calc MS Excel 2007 XML",
         "--outdir", str(tmp_path / "out"), str(source)],
        capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr
    saved = (tmp_path / "out" / "unmik.xlsx").read_bytes()
    assert workbook_preview(report=unmik, content=saved, by=focal).changes == []
