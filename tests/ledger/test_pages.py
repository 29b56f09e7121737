"""The ledger page (fixed queries whatever the number of requests), the import with its preview, the command."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from rbb.ledger import services
from rbb.ledger.models import Assignment, Request, SourceDocument
from tests.entry.factories import make_mission_report

TEXT = """ 1. 重申其各项决议；

 2. 请秘书长在下次报告中提供

资料；

 3. 又请秘书长确保执行；
"""


def _requests(source, reviewer, reports, n, start=0):
    for i in range(start, start + n):
        request = services.request_create(source=source, draft=services.RequestDraft(paragraph=f"第 {i} 段", text="请秘书长"), by=reviewer)
        for report in reports:
            services.request_assign(request=request, report=report, by=reviewer, due_date=datetime.date(2020, 1, 1) if i % 2 else None)


def test_the_ledger_page_costs_the_same_queries_for_more_requests(client, reviewer, resolution, report, other_report, django_assert_num_queries):
    client.force_login(reviewer)
    _requests(resolution, reviewer, [report, other_report], 3)
    client.get(reverse("ledger:ledger"))
    # session, user, memberships, the counts by body and status, one page of rows
    with django_assert_num_queries(5) as few:
        page = client.get(reverse("ledger:ledger"))
    _requests(resolution, reviewer, [report, other_report], 30, start=10)
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(reverse("ledger:ledger"))
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html
    assert 'id="ledger-total">66<' in html and 'id="ledger-overdue">32<' in html
    # Overdue first: the first row of the table is an overdue one.
    first_row = html[html.index('<tr id="assignment-'):]
    assert first_row.split(">", 1)[0].endswith('class="is-overdue"')


def test_a_mission_sees_only_its_own_rows(client, focal, reviewer, resolution, report, other_report):
    _requests(resolution, reviewer, [report, other_report], 2)
    client.force_login(focal)
    html = client.get(reverse("ledger:ledger")).content.decode()
    assert 'id="ledger-total">2<' in html
    assert client.get(reverse("ledger:import")).status_code == 404


def test_import_preview_then_confirm_and_assign(client, reviewer, report):
    client.force_login(reviewer)
    preview = client.post(reverse("ledger:import"), {"step": "preview", "symbol": "A/RES/76/274", "body": "GA", "text": TEXT,
                                                     "only_secretary_general": "on"})
    html = preview.content.decode()
    assert preview.status_code == 200 and "第 2 段" in html and "第 3 段" in html and "第 1 段" not in html
    assert Request.objects.count() == 0  # nothing saved before the confirmation
    confirm = client.post(reverse("ledger:import"), {
        "step": "confirm", "symbol": "A/RES/76/274", "body": "GA", "rows": "2", "keep": ["0"],
        "paragraph_0": "第 2 段", "text_0": "请秘书长在下次报告中提供资料(已编辑)", "kind_0": "request",
        "paragraph_1": "第 3 段", "text_1": "x", "kind_1": "request", "reports": [report.pk], "due_date": "2022-09-30",
    })
    assert confirm.status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.request.paragraph, assignment.request.text, assignment.report_id) == ("第 2 段", "请秘书长在下次报告中提供资料(已编辑)", report.pk)


def test_the_command_prints_what_it_found_and_saves_all_or_nothing(db, tmp_path, capsys):
    report = make_mission_report("UNMIK")
    text = tmp_path / "res.txt"
    text.write_text(TEXT, encoding="utf-8")
    call_command("import_requests", str(text), "--source", "A/RES/76/274", "--body", "GA", "--dry-run")
    assert "Found 2 requests: 2; 3" in capsys.readouterr().out
    assert not SourceDocument.objects.exists()
    call_command("import_requests", str(text), "--source", "A/RES/76/274", "--body", "GA", "--assign", "UNMIK:2020/21")
    assert Assignment.objects.filter(report=report).count() == 2
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"requests": [{"paragraph": "第 5 段"}, {"text": "no reference"}]}), encoding="utf-8")
    with pytest.raises(Exception) as error:
        call_command("import_requests", str(bad), "--source", "A/76/999", "--body", "OIOS")
    assert "$.requests[1]" in str(error.value)
    assert not SourceDocument.objects.filter(symbol="A/76/999").exists()


def test_the_c34_summary_table_imports_as_responses(db, capsys):
    from pathlib import Path

    from missions.models import Report
    from tests.entry.factories import make_hq_report

    report = make_hq_report("SUPPORT")
    path = Path(__file__).resolve().parents[2] / "rbb" / "demo" / "a-76-505-addendum-c34-recommendations.json"
    call_command("import_requests", str(path), "--source", "A/75/19", "--body", "C34", "--assign", "SUPPORT:2020/21")
    statuses = list(Assignment.objects.filter(report=report).order_by("request__order").values_list("request__paragraph", "response__status"))
    assert len(statuses) == 10
    assert statuses[:3] == [("A/75/19, para. 18", "in_progress"), ("A/75/19, para. 40", "not_addressed"), ("A/75/19, para. 44", "implemented")]
    assert isinstance(report, Report)


def test_the_api_lists_with_filters_and_hq_writes(client, reviewer, resolution, report, other_report):
    _requests(resolution, reviewer, [report], 2)
    client.force_login(reviewer)
    listed = client.get("/api/v1/requests/?body=GA&entity=UNMIK&status=not_started").json()
    assert listed["count"] == 2 and listed["results"][0]["assignments"][0]["entity"] == "UNMIK"
    assert client.get("/api/v1/requests/?status=implemented").json()["count"] == 0
    created = client.post("/api/v1/requests/", {"source": "A/75/822/Add.11", "body": "ACABQ", "paragraph": "第 28 段", "text": "行预咨委会相信"},
                          content_type="application/json")
    assert created.status_code == 201
    assigned = client.post(f"/api/v1/requests/{created.json()['id']}/assignments/", {"report": other_report.pk}, content_type="application/json")
    assert assigned.status_code == 201 and assigned.json()["entity"] == "UNMISS"
    bad = client.post("/api/v1/requests/", {"source": "A/1", "body": "XX", "paragraph": ""}, content_type="application/json")
    assert bad.status_code == 400


def test_the_bulk_export_carries_the_requests_as_a_content_of_its_own(client, reviewer, focal, resolution, report, other_report):
    _requests(resolution, reviewer, [report, other_report], 2)
    client.force_login(focal)
    response = client.get("/api/v1/export/?period=2020/21&content=requests")
    lines = [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines()]
    assert [(row["mission"], row["paragraph"], row["status"]) for row in lines] == [("UNMIK", "第 0 段", "not_started"), ("UNMIK", "第 1 段", "not_started")]
    client.force_login(reviewer)
    csv_text = b"".join(client.get("/api/v1/export/?period=2020/21&content=requests&format=csv").streaming_content).decode()
    assert csv_text.splitlines()[0].startswith("item_type,id,mission,period") and len(csv_text.splitlines()) == 5
