"""The narrative tables as plain data: sections of paragraphs and tables of cells.

One structure feeds every output: the HTML page and file, DOCX, XLSX, PDF and the API's
JSON. A cell carries both its printed text (rbb.lib.numbers) and its raw value, so a
spreadsheet stores numbers as numbers while a document prints them exactly as the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

LEFT, RIGHT, CENTER = "left", "right", "center"

# Characters XML 1.0 cannot carry: DOCX and XLSX refuse the whole file over one of them (a
# form feed pasted from a PDF), so they are dropped from every text on the way in.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def printable(text: str) -> str:
    """The text without the control characters no document format can hold (tab and newline stay)."""
    return _NOT_XML.sub("", text) if text else text


class Kind:
    """What a cell holds; decides alignment and the spreadsheet number format."""

    TEXT = "text"
    AMOUNT = "amount"  # thousands of dollars, one decimal, zero is nil (—)
    PERCENT = "percent"  # one decimal, no % sign, zero is nil (—)
    RATIO = "ratio"  # delivery ratio: one decimal, 0.0 is a real value
    COUNT = "count"  # a count or quantity as entered: 3 514, 0.55, 0
    DOLLARS = "dollars"  # full dollars (sect. V): 144 500

    NUMERIC = frozenset({AMOUNT, PERCENT, RATIO, COUNT, DOLLARS})


class RowKind:
    BODY = "body"
    HEADING = "heading"  # a service or category heading spanning the table
    GROUP = "group"  # a group name over its classes (军事和警务人员)
    SUBTOTAL = "subtotal"
    TOTAL = "total"


@dataclass
class Cell:
    text: str = ""
    value: Any = None  # Decimal for numbers; a code ("yes") or a tuple of Decimals; None
    kind: str = Kind.TEXT
    align: str = LEFT
    colspan: int = 1
    rowspan: int = 1
    paragraphs: tuple[str, ...] = ()  # a cell of several paragraphs; text joins them with "\n"
    # Indexes of the paragraphs printed in the other language (untranslated, marked): documents
    # set them apart (italic, grey) besides the bracketed label the text carries.
    untranslated: tuple[int, ...] = ()

    def __post_init__(self):
        self.text = printable(self.text)
        self.paragraphs = tuple(printable(p) for p in self.paragraphs)
        if self.paragraphs and not self.text:
            self.text = "\n".join(self.paragraphs)
        if not self.paragraphs:
            self.paragraphs = tuple(self.text.split("\n")) if self.text else ()

    @property
    def is_number(self) -> bool:
        return self.kind in Kind.NUMERIC and isinstance(self.value, Decimal)

    def as_dict(self) -> dict:
        value = self.value
        if isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, tuple):
            value = [str(v) if isinstance(v, Decimal) else v for v in value]
        data = {"text": self.text, "value": value, "kind": self.kind, "align": self.align}
        if self.colspan > 1:
            data["colspan"] = self.colspan
        if self.rowspan > 1:
            data["rowspan"] = self.rowspan
        if len(self.paragraphs) > 1:
            data["paragraphs"] = list(self.paragraphs)
        if self.untranslated:
            data["untranslated"] = list(self.untranslated)
        return data

    def is_untranslated(self, index: int) -> bool:
        return index in self.untranslated


@dataclass
class Row:
    cells: list[Cell]
    kind: str = RowKind.BODY
    level: int = 0  # indentation of the first cell (a class inside its group)
    key: str = ""  # stable identity of the source item: indicator 1.1.1, output 2.1/15, class code

    def as_dict(self) -> dict:
        return {"key": self.key, "kind": self.kind, "level": self.level, "cells": [c.as_dict() for c in self.cells]}


@dataclass
class Column:
    key: str
    width: int  # share of the text width, in per cent; a table's widths add up to 100
    align: str = LEFT
    kind: str = Kind.TEXT

    def as_dict(self) -> dict:
        return {"key": self.key, "width": self.width, "align": self.align, "kind": self.kind}


@dataclass
class Table:
    block_type = "table"

    key: str  # stable and unique in the document: "ea-1.1-indicators", "financial-detailed"
    title: str
    columns: list[Column]
    header_rows: list[list[Cell]]
    rows: list[Row] = field(default_factory=list)
    subtitle: str = ""
    notes: list[str] = field(default_factory=list)
    sheet_name: str = ""  # short name for a spreadsheet tab
    # Framework tables sit right under their expected accomplishment's heading, which is
    # their title; documents print it once, as the heading. Spreadsheets print it on each sheet.
    show_title: bool = True

    def __post_init__(self):
        self.title, self.subtitle = printable(self.title), printable(self.subtitle)
        self.notes = [printable(note) for note in self.notes]

    def header_positions(self) -> Iterator[tuple[int, int, Cell]]:
        """Each header cell with its row and first column (from 0): a cell spanning rows takes its
        columns in the rows below, so the cells written there move right."""
        occupied: set[tuple[int, int]] = set()
        for r, header in enumerate(self.header_rows):
            c = 0
            for cell in header:
                while (r, c) in occupied:
                    c += 1
                yield r, c, cell
                occupied.update((r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan))
                c += cell.colspan

    def as_dict(self) -> dict:
        return {
            "type": "table",
            "key": self.key,
            "title": self.title,
            "subtitle": self.subtitle,
            "columns": [c.as_dict() for c in self.columns],
            "header_rows": [[c.as_dict() for c in row] for row in self.header_rows],
            "rows": [r.as_dict() for r in self.rows],
            "notes": list(self.notes),
        }


@dataclass
class Paragraph:
    block_type = "paragraph"

    text: str
    style: str = "body"  # body | heading2 (a unit) | heading3 (an expected accomplishment) | note
    untranslated: bool = False  # printed in the other language, marked

    def __post_init__(self):
        self.text = printable(self.text)

    def as_dict(self) -> dict:
        data = {"type": "paragraph", "text": self.text, "style": self.style}
        if self.untranslated:
            data["untranslated"] = True
        return data


@dataclass
class VarianceEntry:
    """One entry of the analysis of variances: `公务差旅 287.2 90.1%`, then its paragraphs."""

    block_type = "variance_entry"

    key: str
    label: str
    amount: Cell
    percent: Cell
    paragraphs: list[str]
    untranslated: tuple[int, ...] = ()  # paragraphs printed in the other language, marked

    def __post_init__(self):
        self.label = printable(self.label)
        self.paragraphs = [printable(p) for p in self.paragraphs]

    @property
    def heading(self) -> str:
        return f"{self.label} {self.amount.text} {self.percent.text}"

    def as_dict(self) -> dict:
        return {
            "type": "variance_entry",
            "key": self.key,
            "label": self.label,
            "heading": self.heading,
            "amount": self.amount.as_dict(),
            "percent": self.percent.as_dict(),
            "paragraphs": list(self.paragraphs),
            **({"untranslated": list(self.untranslated)} if self.untranslated else {}),
        }




@dataclass
class Chart:
    """A chart of one item's series across periods (issue 14 §5), drawn when a renderer needs it:
    PNG for DOCX, SVG for the HTML file and the PDF; the page points at the chart's URL instead."""

    block_type = "chart"

    key: str
    title: str
    kind: str  # indicator | output
    report_id: int
    item_id: int
    series: Any  # indicators.series.Series

    def __post_init__(self):
        self.title = printable(self.title)

    @property
    def digest(self) -> str:
        return self.series.digest()

    def as_dict(self) -> dict:
        return {"type": "chart", "key": self.key, "title": self.title, "kind": self.kind, "item_id": self.item_id, "digest": self.digest}


Block = Paragraph | Table | VarianceEntry | Chart


@dataclass
class Section:
    key: str
    title: str
    level: int  # 1 for the report's sections, 2 for a component or unit, 3 for an expected accomplishment
    blocks: list[Block] = field(default_factory=list)

    def __post_init__(self):
        self.title = printable(self.title)

    def as_dict(self) -> dict:
        return {"key": self.key, "title": self.title, "level": self.level, "blocks": [b.as_dict() for b in self.blocks]}


@dataclass
class Document:
    title: str
    subtitle: str
    language: str
    sections: list[Section] = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        return [block for section in self.sections for block in section.blocks if isinstance(block, Table)]

    def table(self, key: str) -> Table:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)

    def as_dict(self) -> dict:
        return {
            "title": self.title,
            "subtitle": self.subtitle,
            "language": self.language,
            "sections": [s.as_dict() for s in self.sections],
        }
