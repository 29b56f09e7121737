"""Render the narrative tables as a Word document (python-docx), laid out as the report prints.

Real Word tables: header rows repeat on every page (w:tblHeader), fixed column widths in the
document's proportions over an A4 text width, numbers right-aligned. Chinese text is set in
a CJK font through the eastAsia slot of every style, so Word never falls back to a Latin
font for it; Latin text and digits keep Times New Roman, as UN documents do.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import BinaryIO

from docx import Document as new_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .structure import CENTER, RIGHT, Document, Paragraph, RowKind, Table, VarianceEntry

LATIN_FONT = "Times New Roman"
# SimSun (宋体) ships with Windows and Office, and is what UN Chinese documents are set in;
# LibreOffice on Linux substitutes Noto Serif CJK SC (Debian fonts-noto-cjk).
EAST_ASIA_FONT = "SimSun"
PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)
MARGIN = Cm(2.0)
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
BODY_SIZE, TABLE_SIZE, NOTE_SIZE = Pt(10.5), Pt(9.5), Pt(8.5)
HEADING_SIZES = {1: Pt(13), 2: Pt(12), 3: Pt(11)}
ALIGNMENTS = {RIGHT: WD_ALIGN_PARAGRAPH.RIGHT, CENTER: WD_ALIGN_PARAGRAPH.CENTER}
# A fixed date keeps the file the same for the same content (the content hash decides reuse).
FIXED_DATE = datetime(2000, 1, 1, tzinfo=timezone.utc)


def render_docx(document: Document, stream: BinaryIO, *, progress=None) -> None:
    doc = new_docx()
    _setup(doc, document)
    tables = max(len(document.tables), 1)
    done = 0
    title = doc.add_paragraph(style="Title")
    title.add_run(document.title)
    if document.subtitle:
        doc.add_paragraph(document.subtitle)
    for section in document.sections:
        doc.add_paragraph(section.title, style="Heading 1")
        for block in section.blocks:
            if isinstance(block, Table):
                _table(doc, block)
                done += 1
                if progress:
                    progress(done * 100 // tables)
            elif isinstance(block, VarianceEntry):
                _variance_entry(doc, block)
            elif isinstance(block, Paragraph):
                _paragraph(doc, block)
    doc.save(stream)


def _setup(doc, document: Document) -> None:
    chinese = document.language.startswith("zh")
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN
    section.top_margin = section.bottom_margin = MARGIN
    properties = doc.core_properties
    properties.title = document.title
    properties.author = properties.last_modified_by = "RBB Tracker"
    properties.language = "zh-CN" if chinese else "en-GB"
    properties.created = properties.modified = FIXED_DATE
    properties.revision = 1

    # Document defaults first, so anything without a style still gets both fonts.
    rpr_default = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr_default)
    lang = rpr_default.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr_default.append(lang)
    lang.set(qn("w:val"), "en-GB")
    lang.set(qn("w:eastAsia"), "zh-CN")

    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        style = doc.styles[name]
        style.font.color.rgb = RGBColor(0, 0, 0)
        _set_fonts(style.element.get_or_add_rPr())
    doc.styles["Normal"].font.size = BODY_SIZE
    doc.styles["Normal"].paragraph_format.space_after = Pt(4)
    doc.styles["Title"].font.size = Pt(15)
    for level, size in HEADING_SIZES.items():
        style = doc.styles[f"Heading {level}"]
        style.font.size = size
        style.font.italic = False
        style.paragraph_format.space_before = Pt(10)
        style.paragraph_format.space_after = Pt(4)


def _set_fonts(rpr) -> None:
    """Latin, complex and East Asian font slots; theme fonts would override them, so drop those."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:cs"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), EAST_ASIA_FONT)


def _paragraph(doc, block: Paragraph) -> None:
    if block.style == "heading2":
        doc.add_paragraph(block.text, style="Heading 2")
    elif block.style == "heading3":
        doc.add_paragraph(block.text, style="Heading 3")
    else:
        paragraph = doc.add_paragraph(block.text)
        if block.style == "note":
            for run in paragraph.runs:
                run.font.size = NOTE_SIZE


def _variance_entry(doc, entry: VarianceEntry) -> None:
    """`公务差旅 ⇥ 287.2 ⇥ 90.1%`: right-aligned tab stops put the figures in columns."""
    heading = doc.add_paragraph()
    heading.paragraph_format.keep_with_next = True
    heading.paragraph_format.space_before = Pt(8)
    stops = heading.paragraph_format.tab_stops
    stops.add_tab_stop(TEXT_WIDTH - Cm(3), WD_TAB_ALIGNMENT.RIGHT)
    stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    run = heading.add_run(f"{entry.label}\t{entry.amount.text}\t{entry.percent.text}")
    run.bold = True
    for text in entry.paragraphs:
        doc.add_paragraph(text)


def _table(doc, table: Table) -> None:
    if table.show_title:
        title = doc.add_paragraph()
        title.paragraph_format.keep_with_next = True
        title.add_run(table.title).bold = True
    if table.subtitle:
        subtitle = doc.add_paragraph()
        subtitle.paragraph_format.keep_with_next = True
        subtitle.add_run(table.subtitle).italic = True

    widths = _widths(table)
    grid = doc.add_table(rows=0, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    _fixed_layout(grid)
    for column, width in zip(grid.columns, widths):
        column.width = width

    # Header rows, with column and row spans, repeated on every page.
    occupied: set[tuple[int, int]] = set()
    merges: list[tuple[int, int, int, int]] = []
    for header in table.header_rows:
        row = grid.add_row()
        cells = row.cells  # python-docx builds this list anew on every access
        _repeat_as_header(row)
        r = len(grid.rows) - 1
        c = 0
        for cell in header:
            while (r, c) in occupied:
                c += 1
            _fill(cells[c], (cell.text,), align=cell.align, bold=True)
            if cell.colspan > 1 or cell.rowspan > 1:
                occupied.update((r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan))
                merges.append((r, c, cell.colspan, cell.rowspan))
            c += cell.colspan
        _set_widths(cells, widths)
    # Rows spanning downwards must exist before they can be merged.
    for r, c, colspan, rowspan in merges:
        start = grid.cell(r, c)
        text, align = start.text, _align_of(start)
        merged = start.merge(grid.cell(r + rowspan - 1, c + colspan - 1))
        _fill(merged, (text,), align=align, bold=True, clear=True)

    for row_data in table.rows:
        cells = grid.add_row().cells
        _set_widths(cells, widths)
        if row_data.kind == RowKind.HEADING:
            merged = cells[0].merge(cells[-1]) if len(cells) > 1 else cells[0]
            _fill(merged, (row_data.cells[0].text,), bold=True, italic=True, indent=row_data.level)
            continue
        bold = row_data.kind in (RowKind.GROUP, RowKind.SUBTOTAL, RowKind.TOTAL)
        c = 0
        for index, cell in enumerate(row_data.cells):
            target = cells[c]
            if cell.colspan > 1:
                target = target.merge(cells[c + cell.colspan - 1])
            _fill(
                target, cell.paragraphs or ("",), align=cell.align, bold=bold,
                indent=row_data.level if index == 0 else 0,
            )
            c += cell.colspan
    for note in table.notes:
        paragraph = doc.add_paragraph(note)
        for run in paragraph.runs:
            run.font.size = NOTE_SIZE
    # Word joins two tables with nothing between them into one table: keep a paragraph after each.
    spacer = doc.add_paragraph()
    spacer.paragraph_format.space_after = Pt(6)


def _align_of(cell) -> str:
    alignment = cell.paragraphs[0].alignment
    for name, value in ALIGNMENTS.items():
        if alignment == value:
            return name
    return "left"


def _widths(table: Table) -> list:
    total = sum(column.width for column in table.columns) or 1
    return [int(TEXT_WIDTH * column.width / total) for column in table.columns]


def _set_widths(cells, widths) -> None:
    for cell, width in zip(cells, widths):
        cell.width = width


def _fixed_layout(grid) -> None:
    tbl_pr = grid._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)


def _repeat_as_header(row) -> None:
    """Mark a row as a header row: Word and LibreOffice repeat it at the top of each page."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _fill(cell, paragraphs, *, align: str = "left", bold=False, italic=False, indent: int = 0, clear=False) -> None:
    """Write a cell's paragraphs; the cell's first (empty) paragraph takes the first one."""
    if clear:
        for extra in cell.paragraphs[1:]:
            extra._element.getparent().remove(extra._element)
        for run in cell.paragraphs[0].runs:
            run._element.getparent().remove(run._element)
    for index, text in enumerate(paragraphs):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(2) if index < len(paragraphs) - 1 else Pt(0)
        if align in ALIGNMENTS:
            paragraph.alignment = ALIGNMENTS[align]
        if indent:
            paragraph.paragraph_format.left_indent = Cm(0.4 * indent)
        run = paragraph.add_run(text)
        run.font.size = TABLE_SIZE
        # A new run has neither: set only what is on (each property write costs an XML lookup).
        if bold:
            run.bold = True
        if italic:
            run.italic = True
