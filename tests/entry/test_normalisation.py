"""What people type into number fields, and what the documents print."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from indicators.forms import HeadquartersOutputForm, IndicatorActualForm, OutputDeliveryForm, clean_figure

from .factories import get_indicator, make_mission_report


@pytest.mark.parametrize(
    "typed, printed",
    [
        ("1 234", "1 234"),
        ("1,234", "1 234"),
        ("１２３４", "1 234"),
        ("12.5%", "12.5%"),
        ("１２.５％", "12.5%"),
        ("860", "860"),
        ("24%;23%; 37%", "24%; 23%; 37%"),
        ("180，841", "180; 841"),
        ("180, 841", "180; 841"),
        ("不适用", "不适用"),
        ("≤ 48", "≤ 48"),
        ("89/100", "89/100"),
        ("0.55", "0.55"),
        ("  ", ""),
    ],
)
def test_figures_are_understood_and_printed_as_in_the_documents(typed, printed):
    assert clean_figure(typed) == printed


@pytest.mark.parametrize("typed, code", [("12.3.4", "invalid"), ("1e309", "invalid"), ("NaN", "invalid"), ("many", "invalid"), ("1e15", "invalid"), ("1 000 000 000 000 000", "too_large")])
def test_what_is_not_a_number_is_refused_with_a_code(typed, code):
    with pytest.raises(ValidationError) as info:
        clean_figure(typed)
    assert info.value.code == code


def test_a_qualitative_value_may_be_words():
    assert clean_figure("正面", allow_text=True) == "正面"


@pytest.mark.django_db
def test_the_form_keeps_what_the_user_typed_in_the_other_fields():
    indicator = get_indicator(make_mission_report(), "1.1.1")
    data = {"p-version": "1", "p-actual": "12.3.4", "p-actual_narrative": "第一段\n第二段", "p-variance_explanation": "原因"}
    form = IndicatorActualForm(data, indicator=indicator, prefix="p")
    assert not form.is_valid()
    assert form.errors["actual"] == ["“12.3.4” is not a number."]
    html = str(form["actual_narrative"]) + str(form["actual"])
    assert "第一段\n第二段" in html and 'value="12.3.4"' in html


@pytest.mark.django_db
def test_field_messages_come_from_the_users_language_catalogue():
    # The Chinese catalogue comes with the lead's translation pass; the message is looked up then.
    indicator = get_indicator(make_mission_report(), "1.1.1")
    with translation.override("zh-hans"):
        expected = translation.gettext("“%(value)s” is not a number.") % {"value": "NaN"}
        form = IndicatorActualForm({"p-version": "1", "p-actual": "NaN"}, indicator=indicator, prefix="p")
        assert not form.is_valid()
        assert form.errors["actual"] == [expected]


@pytest.mark.django_db
def test_qualitative_indicator_accepts_words():
    indicator = get_indicator(make_mission_report(), "1.1.4")
    form = IndicatorActualForm({"p-version": "1", "p-actual": "正面"}, indicator=indicator, prefix="p")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["actual"] == "正面"


@pytest.mark.parametrize(
    "kind, completed, error",
    [
        ("number", "", "Enter the number completed."),
        ("number", "180; 841", "Choose “Several numbers” to enter more than one."),
        ("numbers", "180", "Enter two or more numbers separated by “;”."),
        ("yes", "12", "Leave the number empty for yes or no, or choose “Number”."),
        ("number", "50%", "Enter a number without a percent sign."),
        ("number", "不适用", "Enter a number."),
    ],
)
def test_output_form_checks_the_number_against_the_kind(kind, completed, error):
    form = OutputDeliveryForm({"o-version": "1", "o-completed_kind": kind, "o-completed": completed}, prefix="o")
    assert not form.is_valid()
    assert form.errors["completed"] == [error]


def test_a_number_typed_while_not_yet_is_selected_means_a_number():
    form = OutputDeliveryForm({"o-version": "1", "o-completed_kind": "blank", "o-completed": "3,514"}, prefix="o")
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["completed_kind"], form.cleaned_data["completed"]) == ("number", "3 514")


def test_headquarters_output_form_derives_the_kind_from_the_number():
    form = HeadquartersOutputForm({"o-version": "1", "o-completed": "１ ２６２"}, prefix="o")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["completed_kind"] == "number" and form.cleaned_data["completed"] == "1 262"
    form = HeadquartersOutputForm({"o-version": "1", "o-completed": "77; 78"}, prefix="o")
    assert not form.is_valid() and form.errors["completed"] == ["Enter one number only."]
