"""Lineage in the interchange format: export → import keeps each item's history."""

import json
import uuid

from indicators.interchange import framework_dumps, framework_export, framework_import, framework_validate
from indicators.models import Indicator, Output
from missions.models import Report, Unit
from rbb.demo_data import demo_document


def _lineages(report):
    return {
        (i.accomplishment.unit.number, i.accomplishment.number, i.number): i.lineage
        for i in Indicator.objects.filter(accomplishment__unit__report=report).select_related("accomplishment__unit")
    }


def test_export_then_import_elsewhere_keeps_the_lineage(world, proposal):
    document = json.loads(framework_dumps(framework_export(report=proposal)))
    assert document["report"]["phase"] == "planning"
    assert document["units"][0]["expected_accomplishments"][0]["indicators"][0]["lineage"]
    before = _lineages(proposal)
    # The same framework imported again: every item is replaced, and keeps its key.
    framework_import(data=document)
    assert _lineages(proposal) == before
    # Into another entity's report: the keys travel with the file.
    document["entity"]["code"] = "COPY"
    copy = framework_import(data=document)
    assert _lineages(copy) == before
    assert copy.phase == Report.Phase.PLANNING


def test_a_file_without_lineage_still_imports_and_keeps_what_it_replaces(world):
    document = demo_document(name="unmik-2020-21.json")
    before = _lineages(world.unmik)
    for unit in document["units"]:
        unit.pop("lineage")
        for ea in unit["expected_accomplishments"]:
            ea.pop("lineage")
            for item in ea["indicators"] + ea["outputs"]:
                item.pop("lineage")
    assert framework_validate(data=document) == []
    framework_import(data=document)
    assert _lineages(world.unmik) == before
    # A new entity from such a file gets new keys.
    document["entity"]["code"] = "FRESH"
    fresh = framework_import(data=document)
    assert set(_lineages(fresh).values()).isdisjoint(before.values())


def test_a_copied_item_starts_its_own_history(world):
    document = demo_document(name="unmik-2020-21.json")
    outputs = document["units"][0]["expected_accomplishments"][0]["outputs"]
    outputs.append(dict(outputs[0], number="99"))
    report = framework_import(data=document)
    lineages = list(Output.objects.filter(accomplishment__unit__report=report).values_list("lineage", flat=True))
    assert len(lineages) == len(set(lineages))


def test_a_malformed_lineage_is_refused_with_its_place(world):
    document = demo_document(name="unmik-2020-21.json")
    document["units"][0]["lineage"] = "not-a-uuid"
    errors = framework_validate(data=document)
    assert [e.path for e in errors] == ["$.units[0].lineage"]
    assert Unit.objects.filter(report=world.unmik, lineage=uuid.UUID(demo_document(name="unmik-2020-21.json")["units"][0]["lineage"])).exists()


def _unit_output_lineages(report):
    return {
        (o.unit.number, o.number): o.lineage
        for o in Output.objects.filter(unit__report=report, accomplishment__isnull=True).select_related("unit")
    }


def test_a_units_own_outputs_carry_their_lineage_through_the_file(world):
    """The support account's Ethics Office outputs (on the unit, issue 16): the demo file's
    lineages are kept, and a file without them keeps those of the outputs it replaces."""
    before = _unit_output_lineages(world.support)
    assert str(before["I", "1"]) == "bdecfa98-09b3-51f1-8bcb-6ddda9dc57b5"  # as rbb/demo writes it
    document = json.loads(framework_dumps(framework_export(report=world.support)))
    assert [o["lineage"] for u in document["units"] for o in u.get("outputs", [])] == [str(v) for v in before.values()]
    for unit in document["units"]:
        for output in unit.get("outputs", []):
            output.pop("lineage")
    framework_import(data=document)
    assert _unit_output_lineages(world.support) == before
