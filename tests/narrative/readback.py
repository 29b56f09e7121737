"""Read generated files back into plain text grids, as a person opening them would see them."""

from __future__ import annotations

import io

from docx import Document as open_docx
from openpyxl import load_workbook

from rbb.narrative.render_docx import render_docx
from rbb.narrative.render_xlsx import render_xlsx
from rbb.narrative.tables import document_build


def docx_bytes(report, language: str) -> bytes:
    stream = io.BytesIO()
    render_docx(document_build(report=report, language=language), stream)
    return stream.getvalue()


def xlsx_bytes(report, language: str) -> bytes:
    stream = io.BytesIO()
    render_xlsx(document_build(report=report, language=language), stream)
    return stream.getvalue()


def docx_grids(data: bytes) -> list[list[list[str]]]:
    """Every table as rows of cell texts; a merged cell repeats its text over the columns it spans."""
    document = open_docx(io.BytesIO(data))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def body_rows(grid: list[list[str]], header_rows: int) -> list[tuple]:
    """Rows under the header; a row merged across the table reads as ("heading", text)."""
    rows = []
    for row in grid[header_rows:]:
        if len(row) > 1 and len(set(row)) == 1:
            rows.append(("heading", row[0]))
        else:
            rows.append(tuple(row))
    return rows


def xlsx_sheet_rows(sheet, first_row: int) -> list[tuple]:
    """A sheet's rows from `first_row`, as shown: merged rows read as ("heading", text)."""
    merged_rows = {r.min_row for r in sheet.merged_cells.ranges if r.min_row == r.max_row and r.min_col == 1 and r.max_col == sheet.max_column}
    rows = []
    for index, row in enumerate(sheet.iter_rows(min_row=first_row, values_only=True), start=first_row):
        if index in merged_rows:
            rows.append(("heading", row[0]))
        else:
            rows.append(tuple("" if value is None else value for value in row))
    return rows


def open_xlsx(data: bytes):
    return load_workbook(io.BytesIO(data))
