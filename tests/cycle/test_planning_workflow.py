"""The planning phase: a proposal is submitted, returned, accepted (frozen on every route), then
the performance phase is opened; each step through the same workflow services and screens."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from indicators.interchange import framework_dumps, framework_export, framework_import
from indicators.models import Indicator, IndicatorFigure, Output
from indicators.services import indicator_actual_record
from missions.models import Report, ReportEvent
from rbb.exceptions import ReportLocked, SubmissionIncomplete, TransitionNotAllowed
from rbb.models import Submission
from rbb.review.selectors import review_page, submission_baseline, submission_changes
from rbb.workflow import (
    report_accept,
    report_actions_for_user,
    report_blocking_items,
    report_performance_open,
    report_reopen,
    report_return,
    report_submit,
)

Status, Phase = Report.Status, Report.Phase


def fill_targets(report, value="900"):
    """Give every indicator of the proposal a numeric target: the hard flags are then gone."""
    figures = []
    for indicator in Indicator.objects.filter(accomplishment__unit__report=report):
        figure = IndicatorFigure(indicator=indicator, kind=IndicatorFigure.Kind.TARGET, period_label=report.period.label, order=9)
        figure.set_printed("45%" if indicator.measure == "percentage" else value)
        figures.append(figure)
    IndicatorFigure.objects.bulk_create(figures)


def reload(report):
    return Report.objects.select_related("mission", "period", "report_type").get(pk=report.pk)


def test_a_proposal_with_hard_flags_cannot_be_submitted_and_says_where(world, proposal):
    with pytest.raises(SubmissionIncomplete) as refused:
        report_submit(report=proposal, by=world.users["approver"])
    items = refused.value.extra["items"]
    # Every count or percentage indicator lacks its new target (the days and scores are warned).
    assert len(items) == Indicator.objects.filter(accomplishment__unit__report=proposal, measure__in=["count", "percentage"]).count() == 12
    first = items[0]
    assert (first.kind, first.label) == ("indicator", "1.1.1")
    assert "target" in first.reasons[0]
    indicator = Indicator.objects.get(accomplishment__unit__report=proposal, number="1.1.1")
    assert first.url == reverse("indicators:entry", args=[proposal.pk, indicator.accomplishment_id]) + f"#indicator-{indicator.pk}"
    assert reload(proposal).status == Status.DRAFT
    assert not Submission.objects.filter(report=proposal).exists()


def test_the_whole_planning_cycle(world, proposal):
    approver, reviewer, admin = world.users["approver"], world.users["reviewer"], world.users["admin"]
    fill_targets(proposal)
    assert report_blocking_items(report=proposal) == []

    report_submit(report=proposal, by=approver)
    assert reload(proposal).status == Status.SUBMITTED
    assert Submission.objects.get(report=proposal).phase == Phase.PLANNING

    report_return(report=reload(proposal), by=reviewer, comment="Target of 1.1.1 is too high.")
    IndicatorFigure.objects.filter(
        indicator__accomplishment__unit__report=proposal, indicator__number="1.1.1", kind="target"
    ).update(printed="880", value=880)
    report_submit(report=reload(proposal), by=approver)
    report_accept(report=reload(proposal), by=reviewer)
    accepted = reload(proposal)
    assert (accepted.phase, accepted.status, accepted.planned_side_frozen) == (Phase.PLANNING, Status.ACCEPTED, True)
    assert accepted.proposal_accepted_at is not None
    assert "open_performance" in report_actions_for_user(report=accepted, user=admin)
    assert "open_performance" not in report_actions_for_user(report=accepted, user=reviewer)

    report_performance_open(report=accepted, by=admin)
    opened = reload(proposal)
    assert (opened.phase, opened.status, opened.is_locked, opened.planned_side_frozen) == (Phase.PERFORMANCE, Status.DRAFT, False, True)
    events = list(ReportEvent.objects.filter(report=proposal).values_list("action", "phase", "from_status", "to_status"))
    assert events == [
        ("roll_forward", Phase.PLANNING, Status.DRAFT, Status.DRAFT),
        ("submit", Phase.PLANNING, Status.DRAFT, Status.SUBMITTED),
        ("return", Phase.PLANNING, Status.SUBMITTED, Status.RETURNED),
        ("submit", Phase.PLANNING, Status.RETURNED, Status.SUBMITTED),
        ("accept", Phase.PLANNING, Status.SUBMITTED, Status.ACCEPTED),
        ("open_performance", Phase.PERFORMANCE, Status.ACCEPTED, Status.DRAFT),
    ]
    # The performance phase works as before: actuals are entered on the frozen framework.
    indicator = Indicator.objects.get(accomplishment__unit__report=proposal, number="1.1.1")
    indicator_actual_record(indicator=indicator, actual="910", actual_narrative="910 decisions", variance_explanation="",
                            version=indicator.version, by=world.users["focal"])
    assert Indicator.objects.get(pk=indicator.pk).actual == "910"


def test_actuals_are_not_entered_in_the_planning_phase(world, proposal):
    indicator = Indicator.objects.get(accomplishment__unit__report=proposal, number="1.1.1")
    with pytest.raises(ReportLocked) as refused:
        indicator_actual_record(indicator=indicator, actual="1", actual_narrative="", variance_explanation="",
                                version=indicator.version, by=world.users["focal"])
    assert refused.value.code == "planning_phase"


def test_open_performance_only_after_acceptance_and_only_for_the_budget_administrator(world, proposal):
    with pytest.raises(TransitionNotAllowed):
        report_performance_open(report=proposal, by=world.users["admin"])
    performance = reload(world.unmik)
    Report.objects.filter(pk=performance.pk).update(status=Status.ACCEPTED)
    with pytest.raises(TransitionNotAllowed):
        report_performance_open(report=reload(performance), by=world.users["admin"])


def test_reopening_an_accepted_proposal_unfreezes_it(world, proposal):
    fill_targets(proposal)
    report_submit(report=proposal, by=world.users["approver"])
    report_accept(report=reload(proposal), by=world.users["reviewer"])
    report_reopen(report=reload(proposal), by=world.users["admin"], reason="The target of 1.2.1 changes.")
    reopened = reload(proposal)
    assert (reopened.status, reopened.proposal_accepted_at, reopened.planned_side_editable) == (Status.RETURNED, None, True)


def test_changes_since_the_last_submission_compare_the_planned_side(world, proposal):
    fill_targets(proposal)
    report_submit(report=proposal, by=world.users["approver"])
    report_return(report=reload(proposal), by=world.users["reviewer"], comment="Fix 1.1.1.")
    Indicator.objects.filter(accomplishment__unit__report=proposal, number="1.1.1").update(statement="New wording")
    returned = reload(proposal)
    changes = submission_changes(report=returned, old=submission_baseline(report=returned), new=None)
    assert [(c.label, [f.name for f in c.fields]) for c in changes] == [("1.1.1", ["statement"])]
    page = review_page(report=returned)
    assert page.changed == 1


def test_the_review_page_shows_the_design_time_flags(world, proposal):
    page = review_page(report=proposal)
    assert any(flag.code == "target_not_number" for flag in page.quality)
    entry = next(page.entries())
    assert entry.flags and entry.flags[0].code == "quality_hard"


def test_after_acceptance_the_import_is_refused_in_the_performance_phase_too(world, proposal):
    fill_targets(proposal)
    report_submit(report=proposal, by=world.users["approver"])
    report_accept(report=reload(proposal), by=world.users["reviewer"])
    report_performance_open(report=reload(proposal), by=world.users["admin"])
    document = framework_export(report=reload(proposal))
    with pytest.raises(ReportLocked):
        framework_import(data=document)
    with pytest.raises(CommandError, match="proposal was accepted"):
        path = f"/tmp/cycle-{proposal.pk}.json"
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(framework_dumps(document))
        call_command("import_framework", path)


def test_a_draft_proposal_can_be_replaced_by_import(world, proposal):
    document = framework_export(report=proposal)
    document["units"][0]["expected_accomplishments"][0]["indicators"][0]["statement"] = "Imported wording"
    framework_import(data=json.loads(json.dumps(document)))
    assert Indicator.objects.get(accomplishment__unit__report=proposal, number="1.1.1").statement == "Imported wording"


@pytest.fixture
def staff_admin(world):
    user = world.users["admin"]
    user.is_staff = True
    user.is_superuser = True
    user.save()
    return user


def _accepted_and_opened(world, proposal):
    fill_targets(proposal)
    report_submit(report=proposal, by=world.users["approver"])
    report_accept(report=reload(proposal), by=world.users["reviewer"])
    report_performance_open(report=reload(proposal), by=world.users["admin"])


def test_the_admin_keeps_the_planned_side_frozen_after_acceptance(client, world, proposal, staff_admin):
    client.force_login(staff_admin)
    indicator = Indicator.objects.get(accomplishment__unit__report=proposal, number="1.1.1")
    output = Output.objects.filter(accomplishment__unit__report=proposal).first()
    # A draft proposal is editable in the admin.
    change_url = reverse("admin:indicators_indicator_change", args=[indicator.pk])
    assert client.get(change_url).context["has_change_permission"] is True
    _accepted_and_opened(world, proposal)
    assert client.get(change_url).context["has_change_permission"] is False
    response = client.post(reverse("admin:indicators_output_change", args=[output.pk]), {"planned_text": "changed"})
    assert response.status_code == 403
    assert Output.objects.get(pk=output.pk).planned_text == output.planned_text
    assert client.post(reverse("admin:indicators_indicator_delete", args=[indicator.pk]), {"post": "yes"}).status_code == 403


def test_the_admin_marks_a_retyped_machine_baseline_as_overridden(client, world, proposal, staff_admin):
    client.force_login(staff_admin)
    indicator = Indicator.objects.get(accomplishment__unit__report=proposal, number="1.1.1")
    url = reverse("admin:indicators_indicator_change", args=[indicator.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"accomplishment": indicator.accomplishment_id, "_save": "Save"})
    figures = list(indicator.figures.order_by("order", "id"))
    data.update({"figures-TOTAL_FORMS": len(figures), "figures-INITIAL_FORMS": len(figures), "figures-MIN_NUM_FORMS": 0, "figures-MAX_NUM_FORMS": 1000})
    for n, figure in enumerate(figures):
        data.update({f"figures-{n}-id": figure.pk, f"figures-{n}-indicator": indicator.pk, f"figures-{n}-order": figure.order,
                     f"figures-{n}-kind": figure.kind, f"figures-{n}-period_label": figure.period_label,
                     f"figures-{n}-printed": "870" if figure.period_label == "2020/21" else figure.printed})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    retyped = IndicatorFigure.objects.get(indicator=indicator, period_label="2020/21")
    untouched = IndicatorFigure.objects.get(indicator=indicator, period_label="2019/20")
    assert (retyped.printed, retyped.overridden, untouched.overridden) == ("870", True, False)


def test_the_entry_page_of_a_proposal_offers_no_actual_inputs(client, world, proposal):
    client.force_login(world.users["focal"])
    indicator = Indicator.objects.get(accomplishment__unit__report=proposal, number="1.1.1")
    response = client.get(reverse("indicators:entry", args=[proposal.pk, indicator.accomplishment_id]))
    assert response.status_code == 200
    assert response.context["editable"] is False
    assert f'name="indicator-{indicator.pk}-actual"' not in response.content.decode()
    post = client.post(reverse("indicators:indicator-save", args=[proposal.pk, indicator.pk]), {
        f"indicator-{indicator.pk}-actual": "5", f"indicator-{indicator.pk}-version": indicator.version,
    })
    assert post.status_code == 409
    assert Indicator.objects.get(pk=indicator.pk).actual == ""


def test_the_report_home_of_a_proposal(client, world, proposal):
    client.force_login(world.users["approver"])
    response = client.get(reverse("workflow:report-home", args=[proposal.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="quality"' in page and "Blocks submission" in page
    assert "Submit the budget proposal to headquarters" in page
    assert reverse("workflow:report-baselines-refresh", args=[proposal.pk]) in page
    post = client.post(reverse("workflow:report-submit", args=[proposal.pk]), {"submit-certify": "on"})
    assert post.status_code == 409
    assert "1.1.1" in post.content.decode()


def test_the_report_home_rolls_forward(client, world):
    client.force_login(world.users["admin"])
    home = client.get(reverse("workflow:report-home", args=[world.unmik.pk]))
    assert 'value="2021/22"' in home.content.decode()
    response = client.post(reverse("workflow:report-roll-forward", args=[world.unmik.pk]), {"roll-period": "2021/22"})
    proposal = Report.objects.get(mission=world.unmik.mission, period__label="2021/22")
    assert response.status_code == 302 and response["Location"] == reverse("workflow:report-home", args=[proposal.pk])
    again = client.post(reverse("workflow:report-roll-forward", args=[world.unmik.pk]), {"roll-period": "2021/22"})
    assert again.status_code == 409 and "already has a framework" in again.content.decode()
    bad = client.post(reverse("workflow:report-roll-forward", args=[world.unmik.pk]), {"roll-period": "next year"})
    assert bad.status_code == 400 and "is not a period label" in bad.content.decode()


@pytest.mark.parametrize("persona, status", [("focal", 403), ("reviewer", 403), ("other_focal", 404)])
def test_the_roll_forward_button_is_refused_to_others(client, world, persona, status):
    client.force_login(world.users[persona])
    response = client.post(reverse("workflow:report-roll-forward", args=[world.unmik.pk]), {"roll-period": "2021/22"})
    assert response.status_code == status
    assert not Report.objects.filter(period__label="2021/22").exists()


def test_the_baselines_refresh_button(client, world, proposal):
    IndicatorFigure.objects.filter(indicator__accomplishment__unit__report=proposal, period_label="2020/21").delete()
    client.force_login(world.users["focal"])
    response = client.post(reverse("workflow:report-baselines-refresh", args=[proposal.pk]))
    assert response.status_code == 302
    assert IndicatorFigure.objects.filter(indicator__accomplishment__unit__report=proposal, period_label="2020/21").count() == 17
    client.force_login(world.users["reviewer"])
    assert client.post(reverse("workflow:report-baselines-refresh", args=[proposal.pk])).status_code == 403


def test_the_dashboard_shows_both_phases_and_filters_by_phase(client, world, proposal, django_assert_max_num_queries):
    from missions.models import Mission
    from rbb.cycle.services import report_roll_forward

    report_roll_forward(source=world.other, to_label="2021/22")
    client.force_login(world.users["reviewer"])
    url = reverse("review:dashboard")
    with django_assert_max_num_queries(16):
        response = client.get(url, {"period": "2021/22"})
    rows = response.context["rows"]
    assert {row.report.mission.code for row in rows} == {"UNMIK", "OTHER"}
    unmik = next(row for row in rows if row.report.mission.code == "UNMIK")
    assert (unmik.completeness, unmik.flagged) == (None, 17)
    assert "Planning (budget proposal)" in response.content.decode()
    assert client.get(url, {"period": "2021/22", "phase": "performance"}).context["rows"] == []
    assert len(client.get(url, {"period": "2021/22", "phase": "planning"}).context["rows"]) == 2
    assert len(client.get(url, {"period": "2020/21", "phase": "performance"}).context["rows"]) == 3
    assert Mission.objects.count() == 3


def test_a_quantity_retyped_in_the_admin_is_confirmed(client, world, proposal, staff_admin):
    client.force_login(staff_admin)
    output = Output.objects.get(accomplishment__unit__report=proposal, accomplishment__number="1.1", number="3")
    assert output.quantity_carried_over
    url = reverse("admin:indicators_output_change", args=[output.pk])
    data = {"unit": output.unit_id, "accomplishment": output.accomplishment_id, "number": output.number, "heading": output.heading,
            "planned_text": output.planned_text, "planned_quantity": "240", "order": output.order,
            "quantity_carried_over": "on", "version": output.version}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    output.refresh_from_db()
    assert (output.planned_quantity, output.planned_value, output.quantity_carried_over) == ("240", 240, False)
