"""Entering a programme plan: services (role, lock, version, audit), pages (htmx, 409, 404), workflow, review."""

import pytest
from django.urls import reverse

from missions.models import ChangeRecord, Membership, Mission, Report
from rbb.exceptions import NotPermitted, ReportLocked, StaleVersion, SubmissionIncomplete
from rbb.models import Comment
from rbb.programme.models import Deliverable, MeasureCell, Result
from rbb.programme.services import deliverable_actual_record, measure_cell_record
from rbb.workflow import report_accept, report_blocking_items, report_return, report_submit
from tests.foundation.builders import make_report, make_user

pytestmark = pytest.mark.django_db
Role = Membership.Role


@pytest.fixture
def people(dppa_report):
    mission = dppa_report.mission
    return {
        "focal": make_user("dppa.focal", role=Role.FOCAL_POINT, mission=mission),
        "approver": make_user("dppa.approver", role=Role.APPROVER, mission=mission),
        "hq": make_user("hq", role=Role.HQ_REVIEWER),
        "outsider": make_user("unmik.focal", role=Role.FOCAL_POINT, mission=Mission.objects.create(code="UNMIK")),
    }


def _item(report, sp, number) -> Deliverable:
    return Deliverable.objects.select_related("subcategory__subprogramme").get(
        subcategory__subprogramme__report=report, subcategory__subprogramme__number=sp, number=number
    )


def _record(item, by, **values):
    data = {"prior_actual": item.prior_actual, "planned": item.planned, "explanation": "", "explanation_en": "", "version": item.version}
    data.update(values)
    return deliverable_actual_record(deliverable=item, by=by, **data)


def test_a_focal_point_records_an_actual_with_an_audit_trail(dppa_report, people):
    item = _item(dppa_report, 4, 9)
    _record(item, people["focal"], prior_actual="9", explanation="会议减少。")
    item.refresh_from_db()
    assert (item.prior_actual, item.explanation, item.version) == ("9", "会议减少。", 2)
    changes = ChangeRecord.objects.filter(item_type="deliverable", item_id=item.pk)
    assert {(c.field, c.old_value, c.new_value) for c in changes} == {("prior_actual", "8", "9"), ("explanation", "", "会议减少。")}


def test_typed_counts_are_stored_as_printed_and_bad_ones_refused(dppa_report, people):
    item = _item(dppa_report, 4, 9)
    _record(item, people["focal"], prior_actual=" - ", explanation="没有举行。")
    item.refresh_from_db()
    assert item.prior_actual == "—"
    from rbb.exceptions import DomainError

    with pytest.raises(DomainError) as refused:
        _record(item, people["focal"], prior_actual="many")
    assert refused.value.field == "prior_actual"


def test_a_stale_version_is_refused_with_the_other_persons_values(dppa_report, people):
    item = _item(dppa_report, 4, 9)
    stale = _item(dppa_report, 4, 9)
    _record(item, people["focal"], prior_actual="9", explanation="一")
    with pytest.raises(StaleVersion) as refused:
        _record(stale, people["approver"], prior_actual="7", explanation="二")
    assert refused.value.extra["values"]["prior_actual"] == "9"
    assert refused.value.extra["updated_by"] == "dppa.focal"
    assert _item(dppa_report, 4, 9).prior_actual == "9"


def test_another_entity_and_a_locked_report_are_refused(dppa_report, people):
    item = _item(dppa_report, 4, 9)
    with pytest.raises(NotPermitted):
        _record(item, people["outsider"], prior_actual="9")
    Report.objects.filter(pk=dppa_report.pk).update(status=Report.Status.SUBMITTED)
    with pytest.raises(ReportLocked):
        _record(item, people["focal"], prior_actual="9")


def test_only_year_minus_2_actuals_and_plan_year_plans_are_entered(dppa_report, people):
    cells = MeasureCell.objects.filter(result__subprogramme__report=dppa_report, result__subprogramme__number=4,
                                       result__kind=Result.Kind.PLANNED, result__number=1)
    actual = cells.get(year=2022, kind="actual")
    measure_cell_record(cell=actual, text="新的实际", text_en="New actual", version=actual.version, by=people["focal"])
    actual.refresh_from_db()
    assert (actual.text, actual.text_en) == ("新的实际", "New actual")
    earlier = cells.get(year=2021)
    from rbb.exceptions import DomainError

    with pytest.raises(DomainError):
        measure_cell_record(cell=earlier, text="x", text_en="", version=earlier.version, by=people["focal"])


def test_the_entry_page_saves_with_htmx_and_answers_409_on_a_conflict(client, dppa_report, people):
    client.force_login(people["focal"])
    page = client.get(reverse("programme:subprogramme", args=[dppa_report.pk, 4]))
    assert page.status_code == 200
    item = _item(dppa_report, 4, 9)
    assert f'id="deliverable-{item.pk}"' in page.content.decode()
    url = reverse("programme:deliverable-save", args=[dppa_report.pk, item.pk])
    prefix = f"deliverable-{item.pk}"
    data = {f"{prefix}-version": "1", f"{prefix}-prior_actual": "9", f"{prefix}-planned": "10",
            f"{prefix}-explanation": "会议减少。", f"{prefix}-explanation_en": ""}
    saved = client.post(url, data, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200 and "Saved." in saved.content.decode()
    again = client.post(url, {**data, f"{prefix}-prior_actual": "7"}, HTTP_HX_REQUEST="true")
    assert again.status_code == 409
    assert "dppa.focal" in again.content.decode()
    assert _item(dppa_report, 4, 9).prior_actual == "9"
    bad = client.post(url, {**data, f"{prefix}-version": "2", f"{prefix}-prior_actual": "abc"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 422


def test_another_entitys_plan_is_a_404_on_every_path(client, dppa_report, people):
    client.force_login(people["outsider"])
    item = _item(dppa_report, 4, 9)
    cell = MeasureCell.objects.filter(result__subprogramme__report=dppa_report).first()
    for url in (
        reverse("programme:overview", args=[dppa_report.pk]),
        reverse("programme:subprogramme", args=[dppa_report.pk, 4]),
        reverse("workflow:report-home", args=[dppa_report.pk]),
        reverse("narrative:report", args=[dppa_report.pk]),
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        reverse("programme:deliverable-save", args=[dppa_report.pk, item.pk]),
        reverse("programme:cell-save", args=[dppa_report.pk, cell.pk]),
        reverse("review:deliverable-comments", args=[dppa_report.pk, item.pk]),
    ):
        assert client.post(url, {}).status_code == 404, url


def test_a_deliverable_of_another_report_is_a_404(client, dppa_report, people):
    other = make_report(code="OTHER")
    client.force_login(people["focal"])
    item = _item(dppa_report, 4, 9)
    assert client.get(reverse("programme:subprogramme", args=[other.pk, 4])).status_code == 404
    assert client.post(reverse("programme:deliverable-save", args=[other.pk, item.pk]), {}).status_code == 404


def test_the_entry_page_reads_a_bounded_number_of_queries(client, dppa_report, people, django_assert_max_num_queries):
    client.force_login(people["focal"])
    with django_assert_max_num_queries(30):
        assert client.get(reverse("programme:subprogramme", args=[dppa_report.pk, 4])).status_code == 200


def test_actuals_below_plan_block_the_submission_until_explained(dppa_report, people):
    blocking = report_blocking_items(report=dppa_report)
    # Subprogramme 4 delivered less than planned on items 9, 10, 11, 13, 14 and 15 in 2022.
    assert sorted(item.label for item in blocking) == ["4 · 10", "4 · 11", "4 · 13", "4 · 14", "4 · 15", "4 · 9"]
    with pytest.raises(SubmissionIncomplete):
        report_submit(report=dppa_report, by=people["approver"])
    for number in (9, 10, 11, 13, 14, 15):
        _record(_item(dppa_report, 4, number), people["focal"], explanation="因 COVID-19 减少。")
    assert report_blocking_items(report=dppa_report) == []
    report_submit(report=dppa_report, by=people["approver"])
    report_return(report=dppa_report, by=people["hq"], comment="请补充英文说明。")
    assert dppa_report.status == Report.Status.RETURNED
    report_submit(report=dppa_report, by=people["approver"])
    report_accept(report=dppa_report, by=people["hq"])
    assert Report.objects.get(pk=dppa_report.pk).status == Report.Status.ACCEPTED
    with pytest.raises(ReportLocked):
        _record(_item(dppa_report, 4, 9), people["focal"], prior_actual="9")


def test_hq_comments_on_a_deliverable_and_the_focal_point_replies(client, dppa_report, people):
    item = _item(dppa_report, 4, 9)
    client.force_login(people["hq"])
    url = reverse("review:deliverable-comments", args=[dppa_report.pk, item.pk])
    response = client.post(url, {"body": "为什么只有 8 次？"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    thread = Comment.objects.get()
    assert (thread.item_key, thread.item_kind, thread.item_label) == ("4|deliverable|9", "deliverable", "4 · 9")
    client.force_login(people["focal"])
    reply = client.post(reverse("review:deliverable-reply", args=[dppa_report.pk, item.pk, thread.pk]), {"body": "疫情。"}, HTTP_HX_REQUEST="true")
    assert reply.status_code == 200 and "疫情。" in reply.content.decode()
    # The review page of a programme plan is its overview.
    client.force_login(people["hq"])
    assert client.get(reverse("review:report", args=[dppa_report.pk])).url == reverse("programme:overview", args=[dppa_report.pk])


def test_the_dashboard_counts_the_plans_deliverables(client, dppa_report, people):
    client.force_login(people["hq"])
    page = client.get(reverse("review:dashboard"), {"period": "2024"})
    assert page.status_code == 200
    rows = {row.report.pk: row for row in page.context["rows"]}
    row = rows[dppa_report.pk]
    assert (row.items_total, row.items_done, row.flagged) == (22, 16, 6)


def test_the_admin_is_read_only_once_the_plan_is_submitted(client, dppa_report):
    admin_user = make_user("budget.admin", role=Role.BUDGET_ADMIN)
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    item = _item(dppa_report, 4, 9)
    url = reverse("admin:programme_deliverable_change", args=[item.pk])
    assert 'name="_save"' in client.get(url).content.decode()
    Report.objects.filter(pk=dppa_report.pk).update(status=Report.Status.SUBMITTED)
    assert 'name="_save"' not in client.get(url).content.decode()
    client.post(url, {"number": "9", "description": "改了", "prior_planned": "1", "previous_planned": "1", "planned": "1", "subcategory": item.subcategory_id, "order": "0"})
    assert _item(dppa_report, 4, 9).description != "改了"


def test_headquarters_sees_what_a_resubmission_changed(client, dppa_report, people):
    for number in (9, 10, 11, 13, 14, 15):
        _record(_item(dppa_report, 4, number), people["focal"], explanation="因 COVID-19 减少。")
    report_submit(report=dppa_report, by=people["approver"])
    report_return(report=dppa_report, by=people["hq"], comment="第 9 项请用英文说明。")
    _record(_item(dppa_report, 4, 9), people["focal"], explanation="因 COVID-19 减少。", explanation_en="Fewer meetings.")
    report_submit(report=dppa_report, by=people["approver"])
    client.force_login(people["hq"])
    page = client.get(reverse("review:changes", args=[dppa_report.pk]))
    assert page.status_code == 200
    changes = page.context["changes"]
    assert [(c.kind, c.label, [f.name for f in c.fields]) for c in changes] == [("deliverable", "4 · 9", ["explanation_en"])]
    assert "Fewer meetings." in page.content.decode()
