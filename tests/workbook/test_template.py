"""A framework from a workbook: an empty template, filled, uploaded, creates the framework with the
checks of import_framework, every error at its cell."""

import io

import pytest
from django.core.management import CommandError, call_command

from indicators.models import Indicator, Output
from missions.models import BudgetPeriod, Mission, Report, ReportType, Unit
from rbb.workbook.services import WorkbookInvalid
from rbb.workbook.template import TemplateRefused, template_build, template_import

from .conftest import open_book, save_book

pytestmark = pytest.mark.django_db

ROWS = [
    # unit, title, title en, ea, ea text, ea text en, item, number, text, text en, planned
    ("1", "实务", "Substantive", "1.1", "和解取得进展", "Progress in reconciliation", "Indicator", "1.1.1", "活动数量增加",
     "More activities", "２９０"),
    (None, None, None, None, None, None, "Output", "1", "每日会议", "Daily meetings", "220"),
    (None, None, None, "1.2", "法治", "Rule of law", "Output", "1", "培训", "Training", "1,300"),
    ("2", "支助", "Support", "2.1", "高效支助", "Efficient support", "指标", "2.1.1", "及时付款", "Timely payments", "98%"),
]


@pytest.fixture
def empty():
    entity = Mission.objects.create(code="UNNEW", name_en="A new mission")
    period = BudgetPeriod.objects.create(label="2022/23", start="2022-07-01", end="2023-06-30")
    report_type, _created = ReportType.objects.get_or_create(code="mission", defaults={"name_en": "Mission", "shape": "mission"})
    return entity, period, report_type


def filled(empty, rows=ROWS) -> bytes:
    entity, period, report_type = empty
    book = open_book(template_build(entity=entity, period=period, report_type=report_type, lang="en"))
    sheet = book["Framework"]
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            if value is not None:
                sheet.cell(4 + offset, column).value = value
    return save_book(book)


def test_a_filled_template_creates_the_framework_in_both_languages(empty):
    report = template_import(content=filled(empty))
    assert [(u.number, u.title, u.title_en) for u in Unit.objects.filter(report=report).order_by("order")] == [
        ("1", "实务", "Substantive"), ("2", "支助", "Support"),
    ]
    indicator = Indicator.objects.get(accomplishment__unit__report=report, number="1.1.1")
    assert (indicator.statement, indicator.statement_en, indicator.figures.get().printed) == ("活动数量增加", "More activities", "290")
    outputs = Output.objects.filter(accomplishment__unit__report=report).order_by("accomplishment__number", "number")
    assert [(o.accomplishment.number, o.planned_text_en, o.planned_quantity) for o in outputs] == [
        ("1.1", "Daily meetings", "220"), ("1.2", "Training", "1 300"),
    ]
    assert Indicator.objects.get(accomplishment__unit__report=report, number="2.1.1").statement == "及时付款"


def test_errors_come_back_at_their_cells_and_nothing_is_created(empty):
    rows = [ROWS[0], (None, None, None, None, None, None, "Output", "1", "", "", "lots"),
            (None, None, None, None, None, None, "Thing", "2", "x", "", "")]
    with pytest.raises(WorkbookInvalid) as refused:
        template_import(content=filled(empty, rows))
    assert [str(p) for p in refused.value.problems] == [
        "'Framework'!K5: “lots” is not a number.", "'Framework'!G6: Write Indicator or Output here.",
    ]
    rows = rows[:2]
    with pytest.raises(WorkbookInvalid) as refused:
        template_import(content=filled(empty, rows))
    cells = {p.cell for p in refused.value.problems}
    assert cells == {"K5"} and "“lots” is not a number." in str(refused.value.problems[0])
    rows = [ROWS[0], (None, None, None, None, None, None, "Output", "1", "", "", "5")]
    with pytest.raises(WorkbookInvalid) as refused:
        template_import(content=filled(empty, rows))
    # import_framework's own check (an empty planned output), at its cell.
    assert {p.cell for p in refused.value.problems} == {"I5"}, [str(p) for p in refused.value.problems]
    assert not Report.objects.exists()


def test_a_report_with_a_framework_is_not_replaced(empty):
    template_import(content=filled(empty))
    with pytest.raises(TemplateRefused):
        template_import(content=filled(empty))


def test_commands_write_the_template_and_create_the_framework(empty, tmp_path):
    path = tmp_path / "new.xlsx"
    call_command("export_workbook", "UNNEW", "2022/23", "--template", "--output", str(path), stdout=io.StringIO())
    book = open_book(path.read_bytes())
    for column, value in enumerate(ROWS[0], start=1):
        book["Framework"].cell(4, column).value = value
    path.write_bytes(save_book(book))
    out = io.StringIO()
    call_command("import_workbook", "UNNEW", "2022/23", str(path), "--dry-run", stdout=out)
    assert "indicators 1" in out.getvalue() and not Report.objects.exists()
    call_command("import_workbook", "UNNEW", "2022/23", str(path), stdout=io.StringIO())
    assert Indicator.objects.filter(accomplishment__unit__report__mission__code="UNNEW").count() == 1
    with pytest.raises(CommandError):
        call_command("import_workbook", "UNMIK", "2022/23", str(path), stdout=io.StringIO())


def test_the_page_is_for_budget_administrators(client, empty, focal):
    from missions.models import Membership
    from tests.entry.factories import make_user

    client.force_login(focal)
    assert client.get("/workbook/new-framework/").status_code == 403
    admin = make_user("budget.admin", role=Membership.Role.BUDGET_ADMIN)
    client.force_login(admin)
    assert b"/workbook/new-framework/" in client.get("/").content
    assert client.get("/workbook/new-framework/").status_code == 200
    response = client.get("/workbook/new-framework/", {"entity": "UNNEW", "period": "2022/23", "report_type": "mission",
                                                        "lang": "zh-hans", "download": "1"})
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    assert open_book(response.content)["Framework"].cell(3, 7).value == "项目"
    response = client.post("/workbook/new-framework/", {"file": io.BytesIO(filled(empty))})
    assert response.status_code == 302
    report = Report.objects.get(mission__code="UNNEW")
    assert response["Location"] == f"/reports/{report.pk}/"
    bad = client.post("/workbook/new-framework/", {"file": io.BytesIO(filled(empty))})
    assert bad.status_code == 409
