"""What a new user tripped on in data entry (issue 19 §1–3): negative counts, hints computed from
the stored value while the input is invalid, and long pastes cut without a word."""

import pytest
from django.urls import reverse

from indicators.forms import IndicatorActualForm, OutputDeliveryForm
from indicators.interchange import framework_validate
from indicators.models import Indicator

from .factories import get_indicator, get_output
from .test_views import HTMX, indicator_post, login, output_post, save_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("number, typed", [("1.1.1", "-5"), ("1.1.2", "-3"), ("1.1.3", "-2%")])
def test_a_negative_count_days_or_percentage_is_refused_with_a_field_message(client, report, focal, number, typed):
    item = get_indicator(report, number)
    response = login(client, focal).post(save_url(item), indicator_post(item, actual=typed), **HTMX)
    assert response.status_code == 422
    assert "cannot be negative" in response.content.decode()
    item.refresh_from_db()
    assert item.actual == "" and item.version == 1


def test_a_negative_number_completed_is_refused(client, report, focal):
    item = get_output(report, "1.1", "1")
    response = login(client, focal).post(save_url(item), output_post(item, completed_kind="number", completed="-5"), **HTMX)
    assert response.status_code == 422 and "cannot be negative" in response.content.decode()
    item.refresh_from_db()
    assert item.completed == ""


def test_the_api_refuses_a_negative_count_too(client, report, focal):
    item = get_indicator(report, "1.1.1")
    client.force_login(focal)
    response = client.patch(f"/api/v1/indicators/{item.pk}/actual/", {"version": item.version, "actual": "-5"}, content_type="application/json")
    assert response.status_code == 400 and "negative" in response.content.decode()


def test_a_fractional_count_is_saved_with_a_warning(client, report, focal):
    item = get_output(report, "1.1", "1")
    response = login(client, focal).post(save_url(item), output_post(item, completed_kind="number", completed="3.5"), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "Saved." in html and "fractional count" in html
    item.refresh_from_db()
    assert item.completed == "3.5"


def test_a_negative_value_of_a_measure_that_may_be_negative_is_kept():
    indicator = Indicator(measure=Indicator.Measure.AMOUNT, direction=Indicator.Direction.INCREASE)
    form = IndicatorActualForm({"version": 1, "actual": "-5"}, indicator=indicator)
    assert form.is_valid(), form.errors


def test_an_import_refuses_a_negative_count(unmik_like_document):
    document = unmik_like_document
    document["units"][0]["expected_accomplishments"][0]["outputs"][0]["completed"] = {"kind": "number", "value": "-5"}
    errors = framework_validate(data=document)
    assert any(error.code == "negative" for error in errors), errors


@pytest.fixture
def unmik_like_document():
    from rbb.demo_data import demo_document

    return demo_document(name="unmik-2020-21.json")


def test_while_the_input_is_invalid_no_hint_is_computed_from_the_stored_value(client, report, focal):
    item = get_indicator(report, "1.1.1")
    # Stored: 860 against a target of 290: "beats the target" needs an explanation.
    login(client, focal).post(save_url(item), indicator_post(item, actual="860"), **HTMX)
    item.refresh_from_db()
    url = reverse("indicators:indicator-preview", args=[report.pk, item.pk])
    html = client.get(url, {f"indicator-{item.pk}-actual": "abc"}, **HTMX).content.decode()
    assert "field-error" in html
    assert "Explanation required" not in html
    # With what is on the screen valid, the hint is computed from it.
    html = client.get(url, {f"indicator-{item.pk}-actual": "300"}, **HTMX).content.decode()
    assert "field-error" not in html


def test_a_long_text_is_refused_with_a_message_not_cut(client, report, focal):
    item = get_indicator(report, "1.1.1")
    pasted = "长" * 200_000
    response = login(client, focal).post(save_url(item), indicator_post(item, actual="300", actual_narrative=pasted), **HTMX)
    assert response.status_code == 422
    assert "at most 20000 characters" in response.content.decode() or "20000" in response.content.decode()
    item.refresh_from_db()
    assert item.actual_narrative == "" and item.version == 1


def test_the_textarea_has_no_maxlength_that_would_cut_a_paste_but_announces_its_limit():
    html = str(OutputDeliveryForm()["remarks"])
    assert "maxlength" not in html and 'data-limit="20000"' in html
