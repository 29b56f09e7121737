"""Changes between submissions: item by item, old → new, insertions and deletions marked."""

import pytest
from django.urls import reverse

from indicators.models import Indicator
from missions.models import Report
from rbb.workflow import report_return
from tests.entry.factories import get_indicator

from .conftest import login

pytestmark = pytest.mark.django_db


def url(report):
    return reverse("review:changes", args=[report.pk])


def test_a_resubmission_shows_exactly_what_changed(client, reviewer, resubmitted):
    response = login(client, reviewer).get(url(resubmitted))
    assert response.status_code == 200
    (change,) = response.context["changes"]
    assert (change.label, change.status) == ("1.1.1", "changed")
    (field,) = change.fields
    assert (field.label, field.old, field.new) == ("Actual indicators of achievement", "实现。", "记录了 860 项决定和活动。")
    html = response.content.decode()
    assert "1 item changed from submission 1 to submission 2" in html
    assert "<del>实现</del><ins>记录了 860 项决定和活动</ins>。" in html


def test_while_the_report_is_with_the_mission_the_current_data_is_compared(client, focal, reviewer, submitted):
    report_return(report=submitted, by=reviewer, comment="x")
    Indicator.objects.filter(pk=get_indicator(submitted, "1.1.3").pk).update(variance_explanation="差异原因：招聘冻结。")
    response = login(client, focal).get(url(submitted))
    (change,) = response.context["changes"]
    assert change.label == "1.1.3" and response.context["to_current"]
    assert "<ins>：招聘冻结</ins>" in response.content.decode()


def test_completed_yes_no_prints_as_words(client, reviewer, resubmitted):
    from indicators.models import Output

    Report.objects.filter(pk=resubmitted.pk).update(status=Report.Status.RETURNED)
    Output.objects.filter(accomplishment__unit__report=resubmitted, number="2", accomplishment__number="1.1").update(completed_kind="no")
    response = login(client, reviewer).get(url(resubmitted), {"old": "2", "new": "current"})
    (change,) = response.context["changes"]
    assert [(f.old, f.new) for f in change.fields] == [("Yes", "No")]


def test_one_submission_has_nothing_to_compare(client, reviewer, submitted):
    response = login(client, reviewer).get(url(submitted))
    assert response.context["changes"] is None and "nothing to compare it with yet" in response.content.decode()


def test_bad_choices_get_field_messages(client, reviewer, resubmitted):
    response = login(client, reviewer).get(url(resubmitted), {"old": "9", "new": "abc"})
    assert response.status_code == 200 and set(response.context["form"].errors) == {"old", "new"}
    assert len(response.context["changes"]) == 1  # the default pair


def test_comparing_backwards_is_refused(client, reviewer, resubmitted):
    response = login(client, reviewer).get(url(resubmitted), {"old": "2", "new": "1"})
    assert "Choose a later submission" in response.content.decode()


@pytest.mark.parametrize("persona", ["viewer_all", "outsider"])
def test_others_get_404(client, personas, resubmitted, persona):
    assert login(client, personas[persona]).get(url(resubmitted)).status_code == 404
