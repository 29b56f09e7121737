"""The interchange format carries both languages of every content text (issue 19 §12)."""

import copy

import pytest

from indicators.interchange import FrameworkInvalid, framework_export, framework_import, framework_validate
from indicators.models import ExpectedAccomplishment, Indicator, Output
from missions.models import Unit

pytestmark = pytest.mark.django_db

EN_KEYS = {
    "unit": ("title_en", "narrative_en"),
    "ea": ("text_en",),
    "indicator": ("statement_en", "unit_hint_en", "actual_narrative_en", "variance_explanation_en"),
    "output": ("heading_en", "planned_text_en", "remarks_en"),
}


def _without_english(data: dict) -> dict:
    """The document as written before both languages were carried: no X_en key anywhere."""
    old = copy.deepcopy(data)
    old["entity"].pop("overall_objective_en")
    for unit in old["units"]:
        for key in EN_KEYS["unit"]:
            unit.pop(key)
        for ea in unit["expected_accomplishments"]:
            ea.pop("text_en")
            for indicator in ea["indicators"]:
                for key in EN_KEYS["indicator"]:
                    indicator.pop(key)
            for output in ea["outputs"]:
                for key in EN_KEYS["output"]:
                    output.pop(key)
    return old


def test_both_languages_are_imported_and_exported_identically(unmik):
    report = framework_import(data=unmik)
    unit = Unit.objects.get(report=report, number="1")
    assert (unit.title, unit.title_en) == ("实务", "Substantive")
    indicator = Indicator.objects.get(accomplishment__unit__report=report, number="1.1.1")
    assert indicator.statement_en.startswith("Increased number of activities")
    assert indicator.actual_narrative_en.startswith("UNMIK recorded 860 decisions")
    assert indicator.variance_explanation_en.startswith("The higher number of decisions")
    output = Output.objects.get(accomplishment__unit__report=report, accomplishment__number="1.1", number="3")
    assert output.planned_text_en.startswith("220 field reports") and output.remarks_en.count("\n") == 1
    assert report.mission.overall_objective_en.startswith("To ensure conditions")
    exported = framework_export(report=report)
    assert exported == unmik
    first = exported["units"][0]["expected_accomplishments"][0]["indicators"][0]
    # The English text sits beside the Chinese one (the lineage key, issue 14, comes first).
    assert [key for key in first if key != "lineage"][:3] == ["number", "statement", "statement_en"]


def test_a_file_without_the_english_fields_still_imports(unmik):
    old = _without_english(unmik)
    assert framework_validate(data=old) == []
    report = framework_import(data=old)
    assert not Indicator.objects.filter(accomplishment__unit__report=report).exclude(statement_en="").exists()
    assert ExpectedAccomplishment.objects.filter(unit__report=report, text_en="").count() == 4


def test_a_text_may_be_written_in_english_only(unmik):
    data = copy.deepcopy(unmik)
    ea = data["units"][0]["expected_accomplishments"][0]
    ea["text"] = ""
    ea["indicators"][0]["statement"] = ""
    ea["outputs"][0]["planned_text"] = ""
    data["units"][0]["title"] = ""
    report = framework_import(data=data)
    assert Unit.objects.get(report=report, number="1").title_en == "Substantive"
    assert framework_export(report=report) == data


def test_a_text_empty_in_both_languages_is_refused(unmik):
    data = copy.deepcopy(unmik)
    ea = data["units"][1]["expected_accomplishments"][0]
    ea["text"] = " "
    ea["indicators"][0]["statement"] = ""
    ea["outputs"][0]["planned_text"] = ""
    data["units"][1]["title"] = ""
    with pytest.raises(FrameworkInvalid) as caught:
        framework_import(data=data)
    errors = {error.path: error.code for error in caught.value.errors}
    path = "$.units[1].expected_accomplishments[0]"
    assert errors == {
        "$.units[1].title": "content_missing",
        f"{path}.text": "content_missing",
        f"{path}.indicators[0].statement": "content_missing",
        f"{path}.outputs[0].planned_text": "content_missing",
    }


def test_english_paragraphs_follow_the_same_rules(unmik):
    data = copy.deepcopy(unmik)
    data["units"][0]["narrative_en"][0] = " leading space"
    data["units"][0]["expected_accomplishments"][0]["outputs"][0]["remarks_en"] = ["two\nlines"]
    errors = {error.path: error.code for error in framework_validate(data=data)}
    assert errors["$.units[0].narrative_en[0]"] == "invalid_text"
    assert "$.units[0].expected_accomplishments[0].outputs[0].remarks_en[0]" in errors
