"""Render the narrative tables as an Excel workbook (openpyxl): one sheet per table.

Numbers are stored as numbers (exact: openpyxl writes a Decimal's own digits) with a number
format that prints them as the document does. Thousands are separated by a space, as in UN
tables, not by Excel's locale-dependent `,`: a format code can only hold a literal space
between digit placeholders, and that space would also print before a short number
(` 12.5`), so each cell gets the format for its own magnitude (`0.0`, `# ##0.0`,
`# ### ##0.0` …). Negatives print in parentheses and zero as an em dash, as in the
tables: `# ##0.0;(# ##0.0);"—"`. A delivery ratio shows 0.0 as `0.0`. A nil figure (no
value at all) is the text `—`. Text cells wrap; the header rows repeat on printed pages.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import BinaryIO

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from rbb.lib.cells import formula_like

from . import labels
from .structure import Cell, Document, Kind, Paragraph, RowKind, Table, VarianceEntry

# Total width of a sheet's columns, in Excel character units; shared as in the document.
SHEET_WIDTH = 150
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
HEADING = Font(bold=True, italic=True)
TITLE = Font(bold=True, size=12)
FORBIDDEN_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


def grouped_pattern(value: Decimal, places: int) -> str:
    """`0.0`, `#\\ ##0.0`, `#\\ ###\\ ##0.0` …: as many space-separated groups as the value has."""
    digits = len(str(abs(int(value)))) if value else 1
    groups = (digits - 1) // 3
    integer = "0" if groups == 0 else "\\ ".join(["#", *["###"] * (groups - 1), "##0"])
    return integer + ("." + "0" * places if places else "")


def number_format(cell: Cell) -> str:
    """The format code of a numeric cell (see the module docstring)."""
    value = cell.value
    if cell.kind == Kind.RATIO:
        return grouped_pattern(value, 1)
    if cell.kind in (Kind.AMOUNT, Kind.PERCENT):
        pattern = grouped_pattern(value, 1)
        return f'{pattern};({pattern});"—"'
    if cell.kind == Kind.DOLLARS:
        pattern = grouped_pattern(value, 0)
        return f'{pattern};({pattern});"—"'
    # A count or a quantity prints as rbb.lib.numbers.format_count does: whole numbers
    # without decimals (a headcount stored as 8.0 prints 8), others as entered (0.55).
    places = 0 if value == value.to_integral_value() else max(-value.as_tuple().exponent, 0)
    return grouped_pattern(value, places)


def render_xlsx(document: Document, stream: BinaryIO, *, progress=None) -> None:
    with translation.override(document.language):  # sheet names and the variance sheet's header
        _render(document, stream, progress)


def _render(document: Document, stream: BinaryIO, progress) -> None:
    workbook = Workbook()
    contents = workbook.active
    contents.title = _sheet_title(str(labels.CONTENTS), set())
    names = {contents.title}
    contents.column_dimensions["A"].width = SHEET_WIDTH
    contents.append([document.title])
    contents["A1"].font = TITLE
    if document.subtitle:
        contents.append([document.subtitle])
    tables = max(len(document.tables), 1)
    done = 0
    for section in document.sections:
        contents.append([])
        contents.append([section.title])
        contents.cell(contents.max_row, 1).font = BOLD
        variance_entries = []
        for block in section.blocks:
            if isinstance(block, Table):
                sheet = workbook.create_sheet(_sheet_title(block.sheet_name or block.title, names))
                names.add(sheet.title)
                _table_sheet(sheet, block)
                contents.append([f"{block.title} → {sheet.title}" if block.show_title else f"→ {sheet.title}"])
                link = contents.cell(contents.max_row, 1)
                link.hyperlink = f"#'{sheet.title}'!A1"
                done += 1
                if progress:
                    progress(done * 100 // tables)
            elif isinstance(block, VarianceEntry):
                variance_entries.append(block)
            elif isinstance(block, Paragraph):
                contents.append([block.text])
                row = contents.cell(contents.max_row, 1)
                row.alignment = Alignment(wrap_text=True, vertical="top")
                if block.style.startswith("heading"):
                    row.font = BOLD
        if variance_entries:
            sheet = workbook.create_sheet(_sheet_title(str(labels.SHEET_VARIANCES), names))
            names.add(sheet.title)
            _variance_sheet(sheet, section.title, variance_entries)
            contents.append([f"→ {sheet.title}"])
            contents.cell(contents.max_row, 1).hyperlink = f"#'{sheet.title}'!A1"
    workbook.properties.title = document.title
    workbook.properties.creator = "RBB Tracker"
    workbook.properties.language = document.language
    _no_formulas(workbook)
    workbook.save(stream)


def _no_formulas(workbook) -> None:
    """Keep every text as text: openpyxl stores a string starting with "=" as a formula.

    A narrative or explanation typed as `=HYPERLINK(…)` would otherwise run when the file is
    opened (spreadsheet formula injection). The workbook writes no formulas of its own. A text
    that a spreadsheet would run once edited (`=…`, `+…`, `-…`, `@…`) also gets the quote
    prefix (rbb.lib.cells): shown exactly as written, and still text after an edit.
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
                if formula_like(cell.value):
                    cell.quotePrefix = True


def _sheet_title(name: str, taken: set[str]) -> str:
    """Excel allows 31 characters and no []:*?/\\ in a sheet name; names are unique."""
    base = FORBIDDEN_IN_SHEET_NAMES.sub(" ", name).strip()[:31] or "Sheet"
    title, n = base, 2
    while title in taken:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    return title


def _table_sheet(sheet, table: Table) -> None:
    total = sum(column.width for column in table.columns) or 1
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(8, SHEET_WIDTH * column.width / total)
    sheet.append([table.title])
    sheet.cell(1, 1).font = TITLE
    first_header = 2
    if table.subtitle:
        sheet.append([table.subtitle])
        first_header = 3
    width = len(table.columns)

    # Header rows with their spans, merged as in the document.
    for offset, c, cell in table.header_positions():
        r, c = first_header + offset, c + 1
        target = sheet.cell(r, c, cell.text)
        target.font = BOLD
        target.alignment = Alignment(horizontal=cell.align, vertical="bottom", wrap_text=True)
        if cell.colspan > 1 or cell.rowspan > 1:
            sheet.merge_cells(start_row=r, start_column=c, end_row=r + cell.rowspan - 1, end_column=c + cell.colspan - 1)
    for r in range(first_header, first_header + len(table.header_rows)):
        for col in range(1, width + 1):
            sheet.cell(r, col).border = BORDER
    last_header = first_header + len(table.header_rows) - 1
    sheet.print_title_rows = f"{first_header}:{last_header}"
    sheet.freeze_panes = sheet.cell(last_header + 1, 1)

    r = last_header
    for row in table.rows:
        r += 1
        if row.kind == RowKind.HEADING:
            target = sheet.cell(r, 1, row.cells[0].text)
            target.font = HEADING
            target.alignment = Alignment(wrap_text=True, vertical="top", indent=row.level)
            sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
            for col in range(1, width + 1):
                sheet.cell(r, col).border = BORDER
            continue
        bold = row.kind in (RowKind.GROUP, RowKind.SUBTOTAL, RowKind.TOTAL)
        c = 1
        for index, cell in enumerate(row.cells):
            target = sheet.cell(r, c)
            if cell.is_number:
                target.value = cell.value
                target.number_format = number_format(cell)
            else:
                target.value = cell.text
                target.data_type = "s"  # `180; 841` or `1.1.1 …` stay text, never a date or formula
            target.alignment = Alignment(
                horizontal=cell.align, vertical="top", wrap_text=not cell.is_number, indent=row.level if index == 0 else 0,
            )
            if bold:
                target.font = BOLD
            if cell.colspan > 1:
                sheet.merge_cells(start_row=r, start_column=c, end_row=r, end_column=c + cell.colspan - 1)
            c += cell.colspan
        for col in range(1, width + 1):
            sheet.cell(r, col).border = BORDER
    for note in table.notes:
        r += 1
        sheet.cell(r, 1, note)
    sheet.page_setup.orientation = "landscape" if width > 3 else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _variance_sheet(sheet, title: str, entries: list[VarianceEntry]) -> None:
    """One row per analysed class: the class, amount, percentage, then its paragraphs."""
    widths = (30, 12, 12, SHEET_WIDTH - 54)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([title])
    sheet.cell(1, 1).font = TITLE
    header = [str(labels.CATEGORY), str(labels.AMOUNT), str(labels.PERCENTAGE), str(labels.EXPLANATION)]
    sheet.append(header)
    for col in range(1, 5):
        sheet.cell(2, col).font = BOLD
        sheet.cell(2, col).border = BORDER
    sheet.freeze_panes = "A3"
    for entry in entries:
        r = sheet.max_row + 1
        sheet.cell(r, 1, entry.label)
        for col, cell in ((2, entry.amount), (3, entry.percent)):
            target = sheet.cell(r, col)
            if cell.is_number:
                target.value = cell.value
                target.number_format = number_format(cell)
            else:
                target.value = cell.text
            target.alignment = Alignment(horizontal="right", vertical="top")
        text = sheet.cell(r, 4, "\n".join(entry.paragraphs))
        text.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(r, 1).alignment = Alignment(wrap_text=True, vertical="top")
        for col in range(1, 5):
            sheet.cell(r, col).border = BORDER
