"""Resources by department/office (issue 16 §4): entry, import, variances, warning, tables, API, export."""

import io
import json
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from indicators.interchange import framework_import
from missions.models import FinancialLine, Membership, Report, UnitResourceLine
from missions.resource_selectors import resource_performance
from missions.services import financial_line_update, resources_prepare
from rbb.narrative.structure import RowKind
from rbb.narrative.tables import document_build
from tests.narrative.readback import docx_bytes, docx_grids, open_xlsx, xlsx_bytes

pytestmark = pytest.mark.django_db
DEMO = Path(__file__).resolve().parents[2] / "rbb" / "demo" / "support-account-2020-21.json"


@pytest.fixture
def hq_report(class_lists):
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    data["units"].append({"number": "II", "kind": "department", "parent": None, "title": "内部监督事务厅", "narrative": [],
                          "expected_accomplishments": []})
    data["units"].append({"number": "II.1", "kind": "sub_unit", "parent": "II", "title": "内部审计司", "narrative": [],
                          "expected_accomplishments": []})
    report = framework_import(data=data)
    resources_prepare(report=report)
    return Report.objects.select_related("mission", "period", "report_type").get(pk=report.pk)


def _gross(report, apportionment, expenditure):
    line = FinancialLine.objects.get(report=report, financial_class__code="post-resources")
    financial_line_update(line=line, version=line.version, by=None, apportionment=D(apportionment), expenditure=D(expenditure))


def _import(report, content: bytes, name="by-unit.csv"):
    path = Path(f"/tmp/{report.pk}-{name}")
    path.write_bytes(content)
    call_command("import_expenditure", report.mission.code, report.period.label, str(path), "--by", "unit")


def test_rows_for_each_department_and_variances_as_the_class_table(hq_report):
    assert [line.unit.number for line in UnitResourceLine.objects.filter(report=hq_report).order_by("unit__order")] == ["I", "II"]
    _import(hq_report, "部厅,分配数,支出数\n道德操守办公室,1 000.0,900.0\nII,500.0,520.0\n".encode())
    table = resource_performance(report=hq_report).by_unit
    assert [(r.cls.number, r.variance, r.percent) for r in table.rows] == [("I", D("100.0"), D("10.0")), ("II", D("-20.0"), D("-4.0"))]
    assert (table.total.apportionment, table.total.expenditure, table.total.variance) == (D("1500.0"), D("1420.0"), D("80.0"))
    assert table.differs_from_classes  # nothing in the class table yet
    _gross(hq_report, "1500.0", "1420.0")
    assert not resource_performance(report=hq_report).by_unit.differs_from_classes


def test_import_by_unit_is_all_or_nothing_with_line_numbers(hq_report):
    with pytest.raises(CommandError) as error:
        _import(hq_report, "unit,apportionment,expenditure\nI,10.0,5.0\nIII,1.0,1.0\nII,abc,1.0\nII.1,1.0,1.0\n".encode())
    message = str(error.value)
    assert "line 3" in message and "III" in message and "line 4" in message and "line 5" in message  # a sub-unit is not a row
    assert not UnitResourceLine.objects.filter(report=hq_report, expenditure__isnull=False).exists()


def test_import_by_unit_from_xlsx(hq_report):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Department/office", "Apportionment", "Expenditure"])
    sheet.append(["I", 12.3, 10.1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    _import(hq_report, buffer.getvalue(), name="by-unit.xlsx")
    line = UnitResourceLine.objects.get(report=hq_report, unit__number="I")
    assert (line.apportionment, line.expenditure) == (D("12.3"), D("10.1"))


def test_the_page_shows_the_table_and_the_warning_and_saves_with_a_version_check(client, hq_report, django_user_model):
    user = django_user_model.objects.create_user(username="hq.focal", password="pw")
    Membership.objects.create(user=user, role=Membership.Role.FOCAL_POINT, mission=hq_report.mission)
    client.force_login(user)
    line = UnitResourceLine.objects.get(report=hq_report, unit__number="I")
    url = f"/reports/{hq_report.pk}/resources/by-unit/"
    assert client.get(url).status_code == 200
    data = {}
    for row in UnitResourceLine.objects.filter(report=hq_report):  # the table posts every row; only edited ones are saved
        data.update({f"r{row.pk}-version": row.version, f"r{row.pk}-apportionment": "", f"r{row.pk}-expenditure": "",
                     f"initial-r{row.pk}-apportionment": "", f"initial-r{row.pk}-expenditure": ""})
    data.update({f"r{line.pk}-apportionment": "100.0", f"r{line.pk}-expenditure": "90.0"})
    assert client.post(url, data).status_code == 302
    page = client.get(f"/reports/{hq_report.pk}/resources/").content.decode()
    assert 'id="by-unit"' in page and "differs from the gross requirements" in page
    data[f"r{line.pk}-expenditure"] = "95.0"  # typed over the stale version: refused, the saved values come back
    assert client.post(url, data).status_code == 409


def test_narrative_tables_in_both_languages_and_formats(hq_report):
    _import(hq_report, "unit,apportionment,expenditure\nI,1000.0,900.0\nII,500.0,520.0\n".encode())
    _gross(hq_report, "1500.0", "1420.0")
    zh = document_build(report=hq_report, language="zh-hans").table("financial-by-unit")
    assert zh.header_rows[0][0].text == "部厅/办公室"
    body = [[c.text for c in r.cells] for r in zh.rows]
    assert body == [["I. 道德操守办公室", "1 000.0", "900.0", "100.0", "10.0"],
                    ["II. 内部监督事务厅", "500.0", "520.0", "(20.0)", "(4.0)"],
                    ["共计", "1 500.0", "1 420.0", "80.0", "5.3"]]
    assert zh.rows[-1].kind == RowKind.TOTAL
    en = document_build(report=hq_report, language="en").table("financial-by-unit")
    assert en.title == "Resources by department/office" and en.rows[-1].cells[0].text == "Total"
    grids = docx_grids(docx_bytes(hq_report, "en"))
    assert any(row[:2] == ["II. 内部监督事务厅", "500.0"] for grid in grids for row in grid)
    workbook = open_xlsx(xlsx_bytes(hq_report, "en"))
    assert "By department or office" in workbook.sheetnames


def test_api_reads_and_patches_with_404_for_other_missions(hq_report, django_user_model):
    from rest_framework.test import APIClient

    focal = django_user_model.objects.create_user(username="f", password="pw")
    Membership.objects.create(user=focal, role=Membership.Role.FOCAL_POINT, mission=hq_report.mission)
    client = APIClient()
    client.force_authenticate(focal)
    data = client.get(f"/api/v1/reports/{hq_report.pk}/resources/").json()["by_unit"]
    row = data["rows"][0]
    assert (row["unit_number"], row["apportionment"], data["differs_from_classes"]) == ("I", None, False)
    url = f"/api/v1/reports/{hq_report.pk}/resources/by-unit/{row['line_id']}/"
    response = client.patch(url, {"version": row["version"], "apportionment": "10.0", "expenditure": "4.0"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["variance"], response.json()["percent"]) == ("6", "60")
    stale = client.patch(url, {"version": row["version"], "expenditure": "5.0"}, format="json")
    assert stale.status_code == 409

    from missions.models import Mission

    other = django_user_model.objects.create_user(username="o", password="pw")
    Membership.objects.create(user=other, role=Membership.Role.FOCAL_POINT, mission=Mission.objects.create(code="OTHER", name_en="O"))
    client.force_authenticate(other)
    assert client.get(f"/api/v1/reports/{hq_report.pk}/resources/").status_code == 404
    assert client.patch(url, {"version": 2, "expenditure": "5.0"}, format="json").status_code == 404


def test_bulk_export_of_resources_by_unit(hq_report, django_user_model):
    from rest_framework.test import APIClient

    _import(hq_report, "unit,apportionment,expenditure\nI,1000.0,900.0\n".encode())
    reviewer = django_user_model.objects.create_user(username="r", password="pw")
    Membership.objects.create(user=reviewer, role=Membership.Role.HQ_REVIEWER)
    client = APIClient()
    client.force_authenticate(reviewer)
    response = client.get("/api/v1/export/?period=2020/21&table=unit_resources")
    assert response.status_code == 200
    rows = [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines()]
    assert [(r["unit_number"], r["variance"], r["percent"]) for r in rows] == [("I", "100", "10"), ("II", None, None)]
    csv = b"".join(client.get("/api/v1/export/?period=2020/21&table=unit_resources&format=csv").streaming_content).decode()
    assert csv.splitlines()[0].startswith("mission,period,report_id")
