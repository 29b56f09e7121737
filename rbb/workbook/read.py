"""Read an uploaded workbook back: its identity, each known row's cells, and every problem with its cell.

The reader only compares the file with itself (the hidden sheet says what was written); the
services compare it with the database. Nothing here writes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from rbb.lib.cells import FORMULA_TRIGGERS

from . import layout
from .build import META_KEYS, META_ROWS_START
from .layout import META_SHEET, columns_for


@dataclass(frozen=True)
class Problem:
    sheet: str
    cell: str
    message: str

    def __str__(self) -> str:
        return f"'{self.sheet}'!{self.cell}: {self.message}" if self.sheet else self.message

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "cell": self.cell, "message": self.message, "text": str(self)}


@dataclass
class RowRead:
    sheet: str
    row: int
    item_type: str
    item_id: int
    lineage: str
    version: int
    values: dict = field(default_factory=dict)  # column key -> the cell's value
    changed: set = field(default_factory=set)  # editable column keys whose cell differs from what was written
    columns: tuple = ()

    def cell(self, key: str) -> str:
        index = next(i for i, column in enumerate(self.columns, start=1) if column.key == key)
        return f"{get_column_letter(index)}{self.row}"


@dataclass
class WorkbookRead:
    meta: dict = field(default_factory=dict)
    rows: list[RowRead] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    added: list[RowRead] = field(default_factory=list)  # rows below the known ones (item_type "new")


def text_of(value) -> str:
    """A typed cell as text: numbers without float noise, the `'` the builder added dropped again."""
    text = layout.cell_text(value)
    if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


def workbook_read(content: bytes) -> WorkbookRead:
    result = WorkbookRead()
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds of error on a file that is not XLSX
        result.problems.append(Problem("", "", _("The file is not an Excel workbook (XLSX).")))
        return result
    try:
        _read(book, result)
    finally:
        book.close()
    return result


def _read(book, result: WorkbookRead) -> None:
    if META_SHEET not in book.sheetnames:
        result.problems.append(Problem("", "", _(
            "This workbook was not downloaded from RBB Tracker, or its hidden sheet was deleted: download a new workbook."
        )))
        return
    meta_rows = [tuple("" if v is None else v for v in row) for row in book[META_SHEET].iter_rows(values_only=True)]
    meta = {key: str(meta_rows[i][1]) if i < len(meta_rows) and len(meta_rows[i]) > 1 else "" for i, key in enumerate(META_KEYS)}
    result.meta = meta
    if meta["template_version"] != str(layout.TEMPLATE_VERSION):
        result.problems.append(Problem(META_SHEET, "B1", _(
            "This workbook was made with another template version (%(found)s, now %(current)s): download a new workbook."
        ) % {"found": meta["template_version"] or "?", "current": layout.TEMPLATE_VERSION}))
        return
    checksum_row = len(META_KEYS)
    stored = str(meta_rows[checksum_row][1]) if len(meta_rows) > checksum_row and len(meta_rows[checksum_row]) > 1 else ""
    index = [row[:7] for row in meta_rows[META_ROWS_START - 1:] if len(row) >= 7 and row[0] != ""]
    signed = [meta[key] for key in META_KEYS] + ["\x1e".join(str(v) for v in row) for row in index]
    if stored != layout.checksum(signed):
        result.problems.append(Problem(META_SHEET, f"B{checksum_row + 1}", _(
            "The workbook's hidden sheet was changed, so its rows cannot be trusted: download a new workbook."
        )))
        return
    by_sheet: dict[str, list[tuple]] = {}
    for entry in index:
        by_sheet.setdefault(str(entry[0]), []).append(entry)
    for title, entries in by_sheet.items():
        if title not in book.sheetnames:
            result.problems.append(Problem(title, "A1", _("This sheet was deleted or renamed.")))
            continue
        _read_sheet(book[title], title, entries, result, phase=meta["phase"])


def _read_sheet(sheet, title: str, entries: list[tuple], result: WorkbookRead, *, phase: str) -> None:
    sheet.reset_dimensions()  # read to the real end: a file saved elsewhere may state a wrong size
    cells: dict[int, dict[int, object]] = {}
    for row in sheet.iter_rows():
        for cell in row:
            value = getattr(cell, "value", None)
            if value is None:
                continue
            if cell.data_type == "f":
                result.problems.append(Problem(title, cell.coordinate, _(
                    "This cell holds a formula (%(formula)s); type the value itself."
                ) % {"formula": str(value)[:60]}))
                continue
            cells.setdefault(cell.row, {})[cell.column] = value
    # Each row's protected cells, to tell a moved row from an edited cell.
    known = {}
    for entry in entries:
        _sheet, number, item_type, _id, _lineage, _version, hashes = entry
        columns = columns_for(str(item_type), phase)
        protected = tuple(h for h, column in zip(str(hashes).split(","), columns) if str(item_type) not in column.editable_for)
        known.setdefault(protected, int(number))
    last = max(int(entry[1]) for entry in entries)
    for entry in entries:
        _sheet, number, item_type, item_id, lineage, version, hashes = entry
        number, item_type = int(number), str(item_type)
        columns = columns_for(item_type, phase)
        row_cells = cells.get(number, {})
        read = RowRead(sheet=title, row=number, item_type=item_type, item_id=int(item_id), lineage=str(lineage or ""),
                       version=int(version or 0), columns=columns)
        written = str(hashes).split(",")
        protected_now = tuple(
            layout.cell_hash(row_cells.get(i)) for i, column in enumerate(columns, start=1) if item_type not in column.editable_for
        )
        moved_from = known.get(protected_now)
        if moved_from is not None and moved_from != number:
            result.problems.append(Problem(title, f"A{number}", _(
                "Rows were deleted or moved: this row holds what row %(row)d held. Rows cannot be deleted or reordered; download a new workbook."
            ) % {"row": moved_from}))
            continue
        for i, column in enumerate(columns, start=1):
            value = row_cells.get(i)
            same = layout.cell_hash(value) == (written[i - 1] if i - 1 < len(written) else "")
            if item_type in column.editable_for:
                read.values[column.key] = value
                if not same:
                    read.changed.add(column.key)
            elif not same:
                shown = layout.cell_text(value)
                result.problems.append(Problem(title, f"{get_column_letter(i)}{number}", _(
                    "This cell is protected and was changed (to “%(value)s”); only the white cells can be changed."
                ) % {"value": shown[:60]} if shown else _(
                    "This cell is protected and was emptied; only the white cells can be changed."
                )))
        result.rows.append(read)
    columns = columns_for(str(entries[0][2]), phase)
    for number in sorted(n for n in cells if n > last):
        if any(layout.cell_text(v) for v in cells[number].values()):
            values = {column.key: cells[number].get(i) for i, column in enumerate(columns, start=1)}
            result.added.append(RowRead(sheet=title, row=number, item_type="new", item_id=0, lineage="", version=0,
                                        values=values, changed=set(values), columns=columns))
