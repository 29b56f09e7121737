"""Export is deterministic: the demo files come back byte for byte, and export → import → export is stable."""

import json

import pytest

from indicators.interchange import framework_dumps, framework_export, framework_import
from missions.selectors import report_get_by_entity_period
from rbb.demo_data import DEMO_DIR

pytestmark = pytest.mark.django_db


def _export(entity: str) -> str:
    report = report_get_by_entity_period(entity_code=entity, period_label="2020/21")
    return framework_dumps(framework_export(report=report))


@pytest.mark.parametrize("entity, name", [("UNMIK", "unmik-2020-21.json"), ("SUPPORT", "support-account-2020-21.json")])
def test_the_demo_file_comes_back_byte_for_byte(entity, name):
    source = (DEMO_DIR / name).read_text(encoding="utf-8")
    framework_import(data=json.loads(source))
    assert _export(entity) == source


@pytest.mark.parametrize("entity, fixture", [("UNMIK", "unmik"), ("SUPPORT", "support")])
def test_export_import_export_is_byte_identical(entity, fixture, request):
    framework_import(data=request.getfixturevalue(fixture))
    first = _export(entity)

    framework_import(data=json.loads(first))

    assert _export(entity) == first


def test_decimals_print_with_their_column_places(unmik):
    unmik["report"]["tolerance_percent"] = "15"
    unmik["report_type"]["variance_threshold_percent"] = "5"
    report = framework_import(data=unmik)

    document = framework_export(report=report)

    assert document["report"]["tolerance_percent"] == "15.0"
    assert document["report_type"]["variance_threshold_percent"] == "5.0"
    assert list(document) == ["format_version", "entity", "period", "report_type", "report", "units"]


def test_export_reads_the_framework_in_five_queries(unmik, django_assert_num_queries):
    framework_import(data=unmik)
    report = report_get_by_entity_period(entity_code="UNMIK", period_label="2020/21")
    # units, accomplishments, indicators, figures, outputs (framework_units)
    with django_assert_num_queries(5):
        framework_export(report=report)
