"""Responses, rules, locks, scoping, submission and carry-forward of the follow-up ledger."""

import pytest
from django.urls import reverse

from missions.models import BudgetPeriod, ChangeRecord, Report
from rbb import workflow
from rbb.exceptions import DomainError, NotPermitted, ReportLocked, StaleVersion, SubmissionIncomplete
from rbb.ledger import services
from rbb.ledger.models import Assignment, Response
from tests.entry.factories import fill_report, make_report_type

Status = Response.Status


def test_it_records_the_response_with_its_audit(assignment, focal):
    response = assignment.response
    assert (response.status, response.version) == (Status.NOT_STARTED, 1)
    services.response_record(response=response, action="特派团设立了工作队。", status=Status.IMPLEMENTED, version=1, by=focal)
    response.refresh_from_db()
    assert (response.status, response.action, response.version) == (Status.IMPLEMENTED, "特派团设立了工作队。", 2)
    fields = set(ChangeRecord.objects.filter(item_type="response", item_id=response.pk).values_list("field", flat=True))
    assert fields == {"action", "status"}


def test_implemented_without_an_action_is_refused(assignment, focal):
    with pytest.raises(DomainError) as refused:
        services.response_record(response=assignment.response, action="  ", status=Status.IMPLEMENTED, version=1, by=focal)
    assert refused.value.code == "action_required"
    assert Response.objects.get(pk=assignment.response.pk).status == Status.NOT_STARTED


def test_a_stale_version_is_refused_with_the_other_values(assignment, focal, approver):
    services.response_record(response=assignment.response, action="第一", status=Status.IN_PROGRESS, version=1, by=focal)
    with pytest.raises(StaleVersion) as stale:
        services.response_record(response=assignment.response, action="第二", status=Status.IN_PROGRESS, version=1, by=approver)
    assert stale.value.extra["values"]["action"] == "第一"
    assert Response.objects.get(pk=assignment.response.pk).action == "第一"


def test_headquarters_and_other_missions_do_not_answer(assignment, reviewer, other_focal):
    for user in (reviewer, other_focal):
        with pytest.raises(NotPermitted):
            services.response_record(response=assignment.response, action="x", status=Status.IN_PROGRESS, version=1, by=user)


def test_a_mission_does_not_record_requests(resolution, focal):
    with pytest.raises(NotPermitted):
        services.request_create(source=resolution, draft=services.RequestDraft(paragraph="第 1 段"), by=focal)


@pytest.mark.parametrize("status", [Report.Status.SUBMITTED, Report.Status.ACCEPTED])
def test_a_locked_report_refuses_responses_evidence_and_assignments(assignment, focal, reviewer, status):
    Report.objects.filter(pk=assignment.report_id).update(status=status)
    with pytest.raises(ReportLocked):
        services.response_record(response=assignment.response, action="x", status=Status.IN_PROGRESS, version=1, by=focal)
    with pytest.raises(ReportLocked):
        services.evidence_add(response=assignment.response, link="https://example.org/x", by=focal)
    request = services.request_create(source=assignment.request.source, draft=services.RequestDraft(paragraph="第 30 段"), by=reviewer)
    with pytest.raises(ReportLocked):
        services.request_assign(request=request, report=assignment.report, by=reviewer)


def test_a_due_request_without_a_response_blocks_submission(assignment, approver):
    report = fill_report(assignment.report)
    blocking = workflow.report_blocking_items(report=report)
    assert [(item.kind, item.label) for item in blocking] == [("request", "A/RES/75/301 第 11 段")]
    assert blocking[0].url == reverse("ledger:response", args=[assignment.pk])
    with pytest.raises(SubmissionIncomplete):
        workflow.report_submit(report=report, by=approver)
    services.response_record(response=assignment.response, action="已提供最新信息。", status=Status.IMPLEMENTED, version=1, by=approver)
    workflow.report_submit(report=report, by=approver)
    assert Report.objects.get(pk=report.pk).status == Report.Status.SUBMITTED


def test_a_request_not_addressed_to_the_secretariat_needs_no_action(assignment, approver):
    services.response_record(response=assignment.response, action="", status=Status.NOT_ADDRESSED, version=1, by=approver)
    assert workflow.report_blocking_items(report=fill_report(assignment.report)) == []


def _next_report(report):
    period, _ = BudgetPeriod.objects.get_or_create(label="2021/22", defaults={"start": "2021-07-01", "end": "2022-06-30"})
    return Report.objects.create(mission=report.mission, period=period, report_type=make_report_type())


def test_an_open_request_stays_open_across_carry_forward(assignment, resolution, reviewer, focal):
    done = services.request_assign(
        request=services.request_create(source=resolution, draft=services.RequestDraft(paragraph="第 10 段"), by=reviewer),
        report=assignment.report, by=reviewer,
    )
    services.response_record(response=done.response, action="已接种疫苗。", status=Status.IMPLEMENTED, version=1, by=focal)
    services.response_record(response=assignment.response, action="工作队已设立。", status=Status.IN_PROGRESS, version=1, by=focal)
    following = _next_report(assignment.report)

    carried = services.ledger_carry_forward(from_report=assignment.report, to_report=following)

    assert [a.request.paragraph for a in carried] == ["第 11 段"]
    new = Assignment.objects.select_related("response").get(report=following)
    assert (new.carried_from_id, new.response.status, new.response.action) == (assignment.pk, Status.IN_PROGRESS, "工作队已设立。")
    # Again: nothing doubles.
    assert services.ledger_carry_forward(from_report=assignment.report, to_report=following) == []
    from rbb.ledger.selectors import response_history

    assert response_history(assignment=new)[0]["action"] == ["工作队已设立。"]


def test_another_missions_assignment_is_a_404_on_every_path(client, assignment, other_focal):
    client.force_login(other_focal)
    for url in (reverse("ledger:response", args=[assignment.pk]), f"/api/v1/requests/assignments/{assignment.pk}/",
                f"/api/v1/requests/{assignment.request_id}/"):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("ledger:response", args=[assignment.pk]), {"action": "x", "status": "in_progress", "version": 1}).status_code == 404
    assert client.patch(f"/api/v1/requests/assignments/{assignment.pk}/", {"action": "x", "status": "in_progress", "version": 1},
                        content_type="application/json").status_code == 404
    assert client.get("/api/v1/requests/").json()["count"] == 0


def test_the_page_and_the_api_answer_and_refuse_when_locked(client, assignment, focal):
    client.force_login(focal)
    url = reverse("ledger:response", args=[assignment.pk])
    page = client.post(url, {"action": "", "status": "implemented", "version": 1})
    assert page.status_code == 400 and "Say what was done" in page.content.decode()
    assert client.post(url, {"action": "已完成。", "status": "implemented", "version": 1}).status_code == 302
    api = client.patch(f"/api/v1/requests/assignments/{assignment.pk}/", {"action": "再次", "status": "implemented", "version": 1},
                       content_type="application/json")
    assert api.status_code == 409 and api.json()["code"] == "stale_version"
    Report.objects.filter(pk=assignment.report_id).update(status=Report.Status.ACCEPTED)
    api = client.patch(f"/api/v1/requests/assignments/{assignment.pk}/", {"action": "再次", "status": "implemented", "version": 2},
                       content_type="application/json")
    assert api.status_code == 409 and api.json()["code"] == "report_locked"
    assert client.post(url, {"action": "再次", "status": "implemented", "version": 2}).status_code == 409
    assert Response.objects.get(pk=assignment.response.pk).action == "已完成。"


def test_the_admin_does_not_change_a_response(client, assignment, django_user_model):
    admin_user = django_user_model.objects.create_superuser("root", "root@example.org", "pw-123456789")
    client.force_login(admin_user)
    url = reverse("admin:ledger_response_change", args=[assignment.response.pk])
    assert client.post(url, {"action": "x", "status": "implemented"}).status_code == 403
    Report.objects.filter(pk=assignment.report_id).update(status=Report.Status.ACCEPTED)
    assert client.post(reverse("admin:ledger_assignment_delete", args=[assignment.pk]), {"post": "yes"}).status_code == 403
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_headquarters_comments_on_a_response_and_the_mission_replies(client, assignment, reviewer, focal):
    comment = services.response_comment_add(assignment=assignment, body="请补充疫苗接种率。", by=reviewer)
    assert comment.item_kind == "response"
    client.force_login(focal)
    url = reverse("ledger:comment-reply", args=[assignment.pk, comment.pk])
    assert client.post(url, {"body": "已补充。"}).status_code == 302
    page = client.get(reverse("ledger:response", args=[assignment.pk])).content.decode()
    assert "请补充疫苗接种率。" in page and "已补充。" in page
    with pytest.raises(NotPermitted):
        services.response_comment_add(assignment=assignment, body="x", by=focal)


def test_evidence_files_are_served_only_within_the_scope(client, assignment, focal, other_focal, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(focal)
    upload = SimpleUploadedFile("minutes.txt", b"meeting minutes", content_type="text/plain")
    assert client.post(reverse("ledger:evidence-add", args=[assignment.pk]), {"label": "Minutes", "file": upload}).status_code == 302
    evidence = assignment.response.evidence.get()
    url = reverse("ledger:evidence-file", args=[assignment.pk, evidence.pk])
    assert b"".join(client.get(url).streaming_content) == b"meeting minutes"
    client.force_login(other_focal)
    assert client.get(url).status_code == 404


def test_headquarters_corrects_a_request_through_the_api(client, assignment, reviewer, focal):
    url = f"/api/v1/requests/{assignment.request_id}/"
    client.force_login(focal)
    assert client.put(url, {"paragraph": "第 12 段"}, content_type="application/json").status_code == 403
    client.force_login(reviewer)
    answer = client.put(url, {"paragraph": "第 12 段", "text": "请秘书长报告"}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["paragraph"] == "第 12 段"


def test_roll_forward_carries_the_open_requests_into_the_proposal(assignment, focal):
    """Issue 18: a request not implemented stays open into the next period's report."""
    from rbb.cycle.services import report_roll_forward

    services.response_record(response=assignment.response, action="工作队已设立。", status=Status.IN_PROGRESS, version=1, by=focal)
    proposal = report_roll_forward(source=assignment.report, to_label="2021/22")
    carried = Assignment.objects.select_related("response").get(report=proposal)
    assert carried.carried_from_id == assignment.pk and carried.response.status == Status.IN_PROGRESS
