"""Validate IATI activity XML against the bundled 2.03 schema."""

from __future__ import annotations

import functools
from pathlib import Path

from lxml import etree

XSD_DIR = Path(__file__).resolve().parent / "xsd"
ACTIVITIES_XSD = XSD_DIR / "iati-activities-schema.xsd"


@functools.cache
def iati_schema() -> etree.XMLSchema:
    """The IATI 2.03 activities schema, parsed once per process (xml.xsd and iati-common.xsd beside it)."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(ACTIVITIES_XSD), parser))


def iati_validate(xml: bytes) -> list[str]:
    """Return the schema errors of a document (empty when it is valid)."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    document = etree.fromstring(xml, parser)
    schema = iati_schema()
    if schema.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]
