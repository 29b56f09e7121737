"""A document with errors is refused as a whole: every error, addressed by its JSON path, and no write."""

import pytest
from django.db import IntegrityError

from indicators.interchange import FrameworkInvalid, framework_import, framework_validate
from indicators.models import TEXT_LIMIT, Output
from missions.models import BudgetPeriod, ReportType, Unit

from .conftest import db_counts

pytestmark = pytest.mark.django_db

EA_1_3 = "$.units[0].expected_accomplishments[2]"


def _refused(data) -> dict[str, str]:
    """Import, expect a refusal that wrote nothing, and return {path: code} of its errors."""
    before = db_counts()
    with pytest.raises(FrameworkInvalid) as caught:
        framework_import(data=data)
    assert db_counts() == before
    assert caught.value.code == "framework_invalid"
    assert caught.value.extra["errors"] == [
        {"path": e.path, "message": e.message, "code": e.code} for e in caught.value.errors
    ]
    return {error.path: error.code for error in caught.value.errors}


def _ea(data, unit=0, ea=2) -> dict:
    return data["units"][unit]["expected_accomplishments"][ea]


def test_the_demo_documents_are_valid(unmik, support):
    assert framework_validate(data=unmik) == []
    assert framework_validate(data=support) == []


def test_a_mission_indicator_without_a_target_is_refused(unmik):
    _ea(unmik)["indicators"][2]["target"] = None
    assert _refused(unmik) == {f"{EA_1_3}.indicators[2].target": "target_missing"}


def test_a_missing_target_key_is_refused(unmik):
    del _ea(unmik)["indicators"][2]["target"]
    assert _refused(unmik) == {f"{EA_1_3}.indicators[2].target": "required"}


def test_a_target_that_is_not_a_figure_is_refused(unmik):
    _ea(unmik)["indicators"][2]["target"]["value"] = "12.3.4"
    errors = _refused(unmik)
    assert errors == {f"{EA_1_3}.indicators[2].target.value": "invalid_figure"}


def test_an_unknown_completed_kind_is_refused(unmik):
    _ea(unmik)["outputs"][0]["completed"]["kind"] = "partly"
    assert _refused(unmik) == {f"{EA_1_3}.outputs[0].completed.kind": "unknown_value"}


def test_a_duplicate_indicator_number_is_refused(unmik):
    indicators = _ea(unmik)["indicators"]
    indicators[2]["number"] = indicators[0]["number"]
    assert _refused(unmik) == {f"{EA_1_3}.indicators[2].number": "duplicate_number"}


def test_duplicate_unit_ea_and_output_numbers_are_refused(unmik):
    unmik["units"][1]["number"] = "1"
    _ea(unmik, ea=1)["number"] = "1.1"
    _ea(unmik)["outputs"][1]["number"] = "1"
    assert _refused(unmik) == {
        "$.units[1].number": "duplicate_number",
        "$.units[0].expected_accomplishments[1].number": "duplicate_number",
        f"{EA_1_3}.outputs[1].number": "duplicate_number",
    }


def test_quantities_that_are_not_numbers_are_refused(unmik):
    outputs = _ea(unmik)["outputs"]
    outputs[0]["planned_quantity"] = "12.3.4"
    outputs[3]["completed"] = {"kind": "number", "value": "12.3.4"}
    outputs[4]["completed"] = {"kind": "numbers", "value": "180; 8 4.1.1"}
    outputs[5]["completed"] = {"kind": "numbers", "value": "15"}
    outputs[6]["completed"] = {"kind": "yes", "value": "2"}

    errors = _refused(unmik)

    assert errors == {
        f"{EA_1_3}.outputs[0].planned_quantity": "invalid",
        f"{EA_1_3}.outputs[3].completed.value": "invalid",
        f"{EA_1_3}.outputs[4].completed.value": "invalid",
        f"{EA_1_3}.outputs[5].completed.value": "one_number",
        f"{EA_1_3}.outputs[6].completed.value": "unexpected_value",
    }


def test_the_number_error_names_the_value(unmik):
    _ea(unmik)["outputs"][0]["planned_quantity"] = "12.3.4"
    with pytest.raises(FrameworkInvalid) as caught:
        framework_import(data=unmik)
    [error] = caught.value.errors
    assert "12.3.4" in error.message


def test_text_longer_than_its_column_is_refused(unmik):
    unmik["units"][0]["title"] = "长" * 501
    _ea(unmik)["outputs"][0]["remarks"] = ["说" * 15000, "明" * 5000]
    _ea(unmik)["indicators"][0]["baselines"][0]["value"] = "9" * 101
    unmik["report"]["symbol"] = "A/" + "7" * 39

    errors = _refused(unmik)

    assert errors == {
        "$.units[0].title": "too_long",
        f"{EA_1_3}.outputs[0].remarks": "too_long",
        f"{EA_1_3}.indicators[0].baselines[0].value": "too_long",
        "$.report.symbol": "too_long",
    }


def test_the_length_message_gives_the_limit(unmik):
    _ea(unmik)["outputs"][0]["planned_text"] = "x" * (TEXT_LIMIT + 1)
    with pytest.raises(FrameworkInvalid) as caught:
        framework_import(data=unmik)
    [error] = caught.value.errors
    assert (error.path, error.code) == (f"{EA_1_3}.outputs[0].planned_text", "too_long")
    assert str(TEXT_LIMIT) in error.message


def test_paragraphs_must_be_single_lines(unmik):
    unmik["units"][0]["narrative"][1] = "第一段\u2028第二段"
    unmik["units"][1]["narrative"][0] = "第一段\n第二段"
    errors = _refused(unmik)
    assert errors == {"$.units[0].narrative[1]": "invalid_paragraph", "$.units[1].narrative[0]": "invalid_text"}


def test_an_unknown_report_type_shape_is_refused(unmik):
    unmik["report_type"]["shape"] = "programme"
    assert _refused(unmik) == {"$.report_type.shape": "unknown_value"}


def test_schema_and_content_errors_are_reported_together(unmik):
    unmik["entity"]["colour"] = "blue"
    del unmik["period"]["kind"]
    _ea(unmik)["outputs"][0]["completed"]["kind"] = "partly"
    _ea(unmik)["outputs"][1]["planned_quantity"] = "12.3.4"
    _ea(unmik)["indicators"][1]["number"] = _ea(unmik)["indicators"][0]["number"]
    unmik["units"][0]["expected_accomplishments"][0]["indicators"][0]["target"] = None

    errors = _refused(unmik)

    assert errors == {
        "$.entity.colour": "unknown_field",
        "$.period.kind": "required",
        f"{EA_1_3}.outputs[0].completed.kind": "unknown_value",
        f"{EA_1_3}.outputs[1].planned_quantity": "invalid",
        f"{EA_1_3}.indicators[1].number": "duplicate_number",
        "$.units[0].expected_accomplishments[0].indicators[0].target": "target_missing",
    }


def test_a_refused_document_leaves_an_existing_framework_untouched(unmik):
    report = framework_import(data=unmik)
    unmik["units"][0]["title"] = "新标题"
    _ea(unmik)["indicators"][2]["target"] = None

    _refused(unmik)

    assert Unit.objects.get(report=report, number="1").title == "实务"


def test_a_database_failure_midway_writes_nothing(unmik, monkeypatch):
    report = framework_import(data=unmik)
    unmik["units"][0]["title"] = "新标题"
    before = db_counts()

    def fail(*args, **kwargs):
        raise IntegrityError("simulated")

    monkeypatch.setattr(Output.objects, "bulk_create", fail)
    with pytest.raises(IntegrityError):
        framework_import(data=unmik)

    assert db_counts() == before
    assert Unit.objects.get(report=report, number="1").title == "实务"


def test_shapes_are_not_mixed(unmik, support):
    unmik["units"][0]["kind"] = "department"
    unmik["units"][0]["expected_accomplishments"][0]["indicators"][0]["estimate"] = {"period": "2020/21", "value": "1"}
    support_indicators = support["units"][0]["expected_accomplishments"][0]["indicators"]
    support_indicators[0]["baselines"] = [{"period": "2019/20", "value": "90"}]
    support["units"].append(dict(support["units"][0], number="II", kind="component", expected_accomplishments=[]))

    assert {e.path: e.code for e in framework_validate(data=unmik)} == {
        "$.units[0].kind": "shape_mismatch",
        "$.units[0].expected_accomplishments[0].indicators[0].estimate": "shape_mismatch",
    }
    assert {e.path: e.code for e in framework_validate(data=support)} == {
        "$.units[0].expected_accomplishments[0].indicators[0].baselines": "shape_mismatch",
        "$.units[1].kind": "shape_mismatch",
    }


def test_sub_units_need_an_earlier_department(support):
    department = support["units"][0]
    support["units"] = [
        dict(department, number="A.1", kind="sub_unit", parent="A", expected_accomplishments=[]),
        dict(department, number="A", kind="department", parent=None, expected_accomplishments=[]),
        dict(department, number="A.2", kind="sub_unit", parent=None, expected_accomplishments=[]),
        dict(department, number="B", kind="department", parent="A", expected_accomplishments=[]),
        dict(department, number="A.3", kind="sub_unit", parent="A", expected_accomplishments=[]),
    ]
    assert {e.path: e.code for e in framework_validate(data=support)} == {
        "$.units[0].parent": "unknown_parent",
        "$.units[2].parent": "parent_missing",
        "$.units[3].parent": "unexpected_parent",
    }


def test_sub_units_are_imported_under_their_department(support):
    department = support["units"][0]
    support["units"] = [
        dict(department, number="A", title="和平行动部"),
        dict(department, number="A.1", kind="sub_unit", parent="A", title="副秘书长办公室"),
    ]
    report = framework_import(data=support)
    sub_unit = Unit.objects.get(report=report, number="A.1")
    assert (sub_unit.parent.number, sub_unit.order) == ("A", 1)


def test_targets_belong_to_the_report_period(unmik):
    _ea(unmik)["indicators"][0]["target"]["period"] = "2021/22"
    assert _refused(unmik) == {f"{EA_1_3}.indicators[0].target.period": "wrong_period"}


def test_the_file_cannot_move_an_existing_period(unmik):
    BudgetPeriod.objects.create(label="2020/21", start="2020-01-01", end="2020-12-31", kind="calendar")
    assert _refused(unmik) == {"$.period": "period_conflict"}


def test_a_canonical_report_type_keeps_its_shape(unmik):
    unmik["report_type"]["shape"] = "headquarters"
    for unit in unmik["units"]:
        unit["kind"] = "department"
    errors = _refused(unmik)
    assert errors["$.report_type.shape"] == "shape_conflict"


def test_an_existing_report_type_keeps_its_shape(unmik):
    ReportType.objects.create(code="special", shape="headquarters", name_en="Special")
    unmik["report_type"]["code"] = unmik["report"]["report_type"] = "special"
    assert _refused(unmik) == {"$.report_type.shape": "shape_conflict"}


def test_an_existing_report_keeps_its_type(unmik):
    framework_import(data=unmik)
    unmik["report_type"]["code"] = unmik["report"]["report_type"] = "mission-special"
    assert _refused(unmik) == {"$.report.report_type": "type_conflict"}


def test_the_report_names_its_report_type(unmik):
    unmik["report"]["report_type"] = "support-account"
    assert _refused(unmik) == {"$.report.report_type": "type_mismatch"}


@pytest.mark.parametrize(
    "document, path, code",
    [
        ([], "$", "wrong_type"),
        ({"format_version": 2}, "$.format_version", "unsupported"),
    ],
)
def test_documents_of_the_wrong_shape_are_refused(document, path, code):
    errors = {e.path: e.code for e in framework_validate(data=document)}
    assert errors[path] == code
