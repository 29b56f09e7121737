"""The schema is one document in two places, valid, and agrees with the models."""

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from indicators.interchange import SCHEMA_PATH, framework_validate
from indicators.models import Indicator, Output
from missions.models import BudgetPeriod, ReportType, Unit
from rbb.demo_data import DEMO_DIR, DEMO_FILES

ROOT = Path(__file__).resolve().parents[2]


def _schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def test_the_documented_schema_is_the_one_the_importer_uses():
    assert (ROOT / "docs" / "framework.schema.json").read_bytes() == SCHEMA_PATH.read_bytes()


def test_the_schema_is_valid_draft_2020_12():
    Draft202012Validator.check_schema(_schema())


def test_the_schema_choices_are_the_model_choices():
    defs = _schema()["$defs"]
    assert defs["period"]["properties"]["kind"]["enum"] == BudgetPeriod.Kind.values
    # A programme plan travels in its own format (docs/programme-interchange.md).
    shapes = [shape for shape in ReportType.Shape.values if shape != ReportType.Shape.PROGRAMME_PLAN]
    assert defs["report_type"]["properties"]["shape"]["enum"] == shapes
    assert defs["unit"]["properties"]["kind"]["enum"] == Unit.Kind.values
    assert defs["indicator"]["properties"]["measure"]["enum"] == Indicator.Measure.values
    assert defs["indicator"]["properties"]["direction"]["enum"] == Indicator.Direction.values
    assert defs["output"]["properties"]["completed"]["properties"]["kind"]["enum"] == Output.Completed.values


def test_the_demo_files_match_the_schema():
    validator = Draft202012Validator(_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)
    for name in DEMO_FILES:
        assert list(validator.iter_errors(json.loads((DEMO_DIR / name).read_text(encoding="utf-8")))) == []


@pytest.mark.django_db
def test_the_documented_example_is_valid():
    text = (ROOT / "docs" / "interchange.md").read_text(encoding="utf-8")
    example = json.loads(re.search(r"```json\n(.*?)```", text, re.S).group(1))
    assert framework_validate(data=example) == []
