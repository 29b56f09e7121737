"""The framework editor's pages: plain posts that redirect, conflicts, locks, scoping, bounded queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import ExpectedAccomplishment, Indicator, IndicatorFigure, Output
from missions.models import ChangeRecord, Report, Unit
from tests.entry.factories import PASSWORD
from tests.trends.conftest import make_history

pytestmark = pytest.mark.django_db


def sign_in(client, name):
    client.login(username=name, password=PASSWORD)
    return client


def test_the_editor_is_reachable_from_the_report_home_in_the_planning_phase(client, personas, planning):
    sign_in(client, "approver")
    home = client.get(reverse("workflow:report-home", args=[planning.pk])).content.decode()
    assert reverse("indicators:editor", args=[planning.pk]) in home
    page = client.get(reverse("indicators:editor", args=[planning.pk]))
    assert page.status_code == 200 and "1.1.1" in page.content.decode()
    Report.objects.filter(pk=planning.pk).update(phase=Report.Phase.PERFORMANCE)
    home = client.get(reverse("workflow:report-home", args=[planning.pk])).content.decode()
    assert reverse("indicators:editor", args=[planning.pk]) not in home


def test_adding_an_indicator_with_a_plain_post_redirects_to_it(client, personas, planning):
    sign_in(client, "focal")
    ea = ExpectedAccomplishment.objects.get(unit__report=planning, number="2.1")
    url = reverse("indicators:editor-new", args=[planning.pk, "indicator"]) + f"?parent={ea.pk}"
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "statement": "答复请求的时间", "statement_en": "Time to answer requests", "measure": "days", "unit_hint": "天数",
        "direction": "decrease", "target": "≤ 30", "baseline_1_period": "2019/20", "baseline_1_value": "1,234",
    })
    created = Indicator.objects.get(accomplishment=ea, statement="答复请求的时间")
    assert response.status_code == 302 and response["Location"].endswith(f"#indicator-{created.pk}")
    assert created.number == "2.1.2" and created.statement_en == "Time to answer requests"
    # Typed as people type, stored as printed.
    assert IndicatorFigure.objects.get(indicator=created, kind="baseline").printed == "1 234"


def test_a_bad_input_is_a_field_message_not_a_500(client, personas, planning):
    sign_in(client, "focal")
    ea = ExpectedAccomplishment.objects.get(unit__report=planning, number="2.1")
    url = reverse("indicators:editor-new", args=[planning.pk, "indicator"]) + f"?parent={ea.pk}"
    response = client.post(url, {"statement": "", "measure": "nonsense", "direction": "increase", "baseline_1_period": "2019/20"})
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert {"statement", "measure", "baseline_1_value"} <= set(errors)


def test_a_stale_edit_is_refused_and_shows_the_other_persons_values(client, personas, planning):
    output = Output.objects.get(accomplishment__unit__report=planning, accomplishment__number="1.1", number="1")
    url = reverse("indicators:editor-edit", args=[planning.pk, "output", output.pk])
    sign_in(client, "focal")
    first = {"version": output.version, "planned_text": "第一个人", "planned_quantity": "230"}
    assert client.post(url, first).status_code == 302
    sign_in(client, "approver")
    response = client.post(url, {"version": output.version, "planned_text": "第二个人", "planned_quantity": "240"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "第一个人" in html and "第二个人" in html and "focal" in html
    assert Output.objects.get(pk=output.pk).planned_text == "第一个人"


def test_deleting_an_output_with_entered_data_takes_a_second_confirming_step(client, personas, planning):
    sign_in(client, "approver")
    output = Output.objects.get(accomplishment__unit__report=planning, accomplishment__number="1.1", number="1")
    Output.objects.filter(pk=output.pk).update(completed_kind="yes", remarks="已交付")
    url = reverse("indicators:editor-delete", args=[planning.pk, "output", output.pk])
    first = client.post(url)
    assert first.status_code == 409 and 'name="confirm"' in first.content.decode()
    assert Output.objects.filter(pk=output.pk).exists()
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert not Output.objects.filter(pk=output.pk).exists()
    assert ChangeRecord.objects.filter(item_type="output", item_id=output.pk, field="deleted", actor__username="approver").exists()


def test_moving_an_output_down_renumbers(client, personas, planning):
    sign_in(client, "approver")
    output = Output.objects.get(accomplishment__unit__report=planning, accomplishment__number="1.1", number="1")
    response = client.post(reverse("indicators:editor-move", args=[planning.pk, "output", output.pk]), {"version": output.version, "position": 1})
    assert response.status_code == 302
    assert Output.objects.get(pk=output.pk).number == "2"


def test_a_submitted_or_performance_phase_framework_cannot_be_changed_on_the_page(client, personas, planning):
    sign_in(client, "approver")
    output = Output.objects.get(accomplishment__unit__report=planning, accomplishment__number="1.1", number="1")
    Report.objects.filter(pk=planning.pk).update(status=Report.Status.SUBMITTED)
    url = reverse("indicators:editor-edit", args=[planning.pk, "output", output.pk])
    response = client.post(url, {"version": output.version, "planned_text": "改了", "planned_quantity": ""})
    assert response.status_code == 409
    assert Output.objects.get(pk=output.pk).planned_text != "改了"
    delete = client.post(reverse("indicators:editor-delete", args=[planning.pk, "output", output.pk]), {"confirm": "on"})
    assert delete.status_code == 302 and Output.objects.filter(pk=output.pk).exists()


def test_another_missions_framework_is_404_on_every_editor_path(client, personas, planning, other_planning):
    sign_in(client, "approver")
    other_output = Output.objects.filter(accomplishment__unit__report=other_planning).first()
    other_ea = other_output.accomplishment
    assert client.get(reverse("indicators:editor", args=[other_planning.pk])).status_code == 404
    assert client.get(reverse("indicators:editor-edit", args=[other_planning.pk, "output", other_output.pk])).status_code == 404
    # Their item through our report's URL.
    assert client.get(reverse("indicators:editor-edit", args=[planning.pk, "output", other_output.pk])).status_code == 404
    assert client.post(reverse("indicators:editor-delete", args=[planning.pk, "output", other_output.pk]), {"confirm": "on"}).status_code == 404
    assert client.post(reverse("indicators:editor-move", args=[planning.pk, "output", other_output.pk]), {"version": 1, "position": 0}).status_code == 404
    new = reverse("indicators:editor-new", args=[planning.pk, "output"]) + f"?parent={other_ea.pk}"
    assert client.post(new, {"planned_text": "X"}).status_code == 404
    assert Output.objects.filter(pk=other_output.pk).exists()


def test_people_who_may_not_edit_are_refused(client, personas, planning):
    sign_in(client, "reviewer")
    assert client.get(reverse("indicators:editor", args=[planning.pk])).status_code == 403
    assert client.get(reverse("indicators:planning-report-new")).status_code == 403
    sign_in(client, "admin")
    assert client.get(reverse("indicators:planning-report-new")).status_code == 200


def test_the_editor_page_queries_do_not_grow_with_the_number_of_periods(client, personas):
    from missions.models import Membership

    approver = personas["approver"]
    short, long = make_history("HIST", periods=2, last_year=2010), make_history("HIST2", periods=10, indicators=5, outputs=9)
    for reports in (short, long):
        Report.objects.filter(pk=reports[-1].pk).update(phase=Report.Phase.PLANNING)
        Membership.objects.create(user=approver, role=Membership.Role.APPROVER, mission=reports[-1].mission)
    sign_in(client, "approver")
    counts = []
    for reports in (short, long):
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("indicators:editor", args=[reports[-1].pk])).status_code == 200
        counts.append(len(context.captured_queries))
    # session, user, memberships, report, units, accomplishments, indicators, figures, outputs
    assert counts[0] == counts[1] <= 9


def test_a_budget_administrator_creates_a_planning_report_for_a_new_entity(client, personas):
    from missions.models import ReportType

    report_type, _ = ReportType.objects.get_or_create(code="mission", defaults={"name_en": "Mission", "shape": ReportType.Shape.MISSION})
    sign_in(client, "admin")
    response = client.post(reverse("indicators:planning-report-new"), {
        "entity_code": "UNNEW", "name_en": "New mission", "name_zh": "新特派团", "period_label": "2022/23",
        "period_start": "2022-07-01", "period_end": "2023-06-30", "report_type": report_type.pk,
    })
    report = Report.objects.get(mission__code="UNNEW")
    assert response.status_code == 302 and response["Location"] == reverse("indicators:editor", args=[report.pk])
    assert report.phase == Report.Phase.PLANNING
    unit_url = reverse("indicators:editor-new", args=[report.pk, "unit"])
    assert client.post(unit_url, {"title": "实务", "title_en": "Substantive"}).status_code == 302
    assert Unit.objects.get(report=report).number == "1"
    bad = client.post(reverse("indicators:planning-report-new"), {"entity_code": "X", "period_label": "2030/31", "report_type": report_type.pk})
    assert bad.status_code == 400 and "period_start" in bad.context["form"].errors
