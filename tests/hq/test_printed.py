"""Headquarters reports as printed (issue 16 §1–§2): unit-level outputs, values kept as printed."""

import copy
import io
import json
from pathlib import Path

import pytest

from indicators.interchange import framework_export, framework_import, framework_validate
from indicators.models import Output
from rbb.lib.numbers import format_count
from rbb.narrative.render_html import render_html
from rbb.narrative.structure import RowKind
from rbb.narrative.tables import document_build
from tests.narrative.readback import docx_bytes, docx_grids

pytestmark = pytest.mark.django_db
DEMO = Path(__file__).resolve().parents[2] / "rbb" / "demo" / "support-account-2020-21.json"


def _output(number, planned, quantity, kind, value, heading="产出类别"):
    return {"number": number, "heading": heading, "planned_text": planned, "planned_quantity": quantity,
            "completed": {"kind": kind, "value": value}, "remarks": []}


@pytest.fixture
def hq_data():
    """The Ethics Office with a sub-unit whose outputs print fractions and 不适用, as A/76/596 does."""
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    sub = {
        "number": "I.1", "kind": "sub_unit", "parent": "I", "title": "副秘书长办公室", "narrative": [],
        "expected_accomplishments": [{"number": "(a)", "text": "次级成绩", "indicators": [], "outputs": []}],
        "outputs": [
            _output("1", "咨询服务(全时当量)", "0.3", "number", "0.55"),
            _output("2", "培训课程", "3.5", "number", "不适用"),
            _output("3", "审查", "10", "number", "—"),
        ],
    }
    data["units"].append(sub)
    return data


def test_a_file_with_outputs_under_the_accomplishment_still_imports(db):
    """Files written before unit-level outputs: HQ outputs under (a) import and print under it."""
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    unit = data["units"][0]
    unit["expected_accomplishments"][0]["outputs"] = unit.pop("outputs")
    report = framework_import(data=data)
    outputs = Output.objects.filter(unit__report=report)
    assert outputs.count() == 4 and not outputs.filter(accomplishment__isnull=True).exists()
    assert {o.unit_id for o in outputs} == {report.units.get().pk}
    document = document_build(report=report, language="zh-hans")
    assert [t.key for t in document.tables if t.key.endswith("outputs")] == ["I-(a)-outputs"]


def test_unit_outputs_round_trip_and_mission_files_refuse_them(hq_data):
    report = framework_import(data=hq_data)
    exported = framework_export(report=report)
    assert [len(u.get("outputs", [])) for u in exported["units"]] == [4, 3]
    assert exported["units"][1]["outputs"][1]["completed"] == {"kind": "number", "value": "不适用"}
    assert exported["units"][1]["outputs"][0]["planned_quantity"] == "0.3"

    mission = json.loads((DEMO.parent / "unmik-2020-21.json").read_text(encoding="utf-8"))
    mission["units"][0]["outputs"] = copy.deepcopy(hq_data["units"][1]["outputs"])
    errors = framework_validate(data=mission)
    assert [(e.path, e.code) for e in errors] == [("$.units[0].outputs", "shape_mismatch")]


def test_not_applicable_actuals_are_kept_and_the_ratio_prints_as_printed(hq_data):
    report = framework_import(data=hq_data)
    document = document_build(report=report, language="zh-hans")
    table = document.table("I.1-outputs")
    body = [[c.text for c in r.cells] for r in table.rows if r.kind == RowKind.BODY]
    assert [row[1:] for row in body] == [["0.3", "0.55", "183.3"], ["3.5", "不适用", "不适用"], ["10", "—", "—"]]


def test_fractions_print_as_written_in_html_and_word(hq_data):
    report = framework_import(data=hq_data)
    assert format_count(Output.objects.get(unit__number="I.1", number="1").completed_value) == "0.55"
    stream = io.BytesIO()
    render_html(document_build(report=report, language="zh-hans"), stream)
    html = stream.getvalue().decode()
    assert ">0.3<" in html and ">0.55<" in html and "0.3000" not in html and "0.5500" not in html
    grids = docx_grids(docx_bytes(report, "zh-hans"))
    cells = [cell for grid in grids for row in grid for cell in row]
    assert "0.55" in cells and "0.3" in cells and not any("0.3000" in c or "0.5500" in c for c in cells)


def test_sub_units_print_their_own_number_under_the_department(hq_data):
    report = framework_import(data=hq_data)
    frameworks = next(s for s in document_build(report=report, language="zh-hans").sections if s.key == "frameworks")
    headings = [b.text for b in frameworks.blocks if getattr(b, "style", "") == "heading2"]
    assert headings == ["I. 道德操守办公室", "1. 副秘书长办公室"]
    # The sub-unit's accomplishment has no outputs: no empty table for it.
    assert "I.1-(a)-outputs" not in [t.key for t in document_build(report=report, language="en").tables]
