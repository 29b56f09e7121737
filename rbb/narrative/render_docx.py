"""Render the narrative tables as a Word document (python-docx), laid out as the report prints.

Real Word tables: header rows repeat on every page (w:tblHeader), fixed column widths in the
document's proportions over an A4 text width, numbers right-aligned. Chinese text is set in
a CJK font through the eastAsia slot of every style, so Word never falls back to a Latin
font for it; Latin text and digits keep Times New Roman, as UN documents do.
"""

from __future__ import annotations

import io
import re
from datetime import datetime, timezone
from typing import BinaryIO
from xml.sax.saxutils import escape

from docx import Document as new_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Emu, Pt, RGBColor

from rbb.trends.charts import chart_render

from .structure import CENTER, LEFT, RIGHT, Chart, Document, Paragraph, Row, RowKind, Table, VarianceEntry

LATIN_FONT = "Times New Roman"
# SimSun (宋体) ships with Windows and Office, and is what UN Chinese documents are set in;
# LibreOffice on Linux substitutes Noto Serif CJK SC (Debian fonts-noto-cjk).
EAST_ASIA_FONT = "SimSun"
PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)
MARGIN = Cm(2.0)
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
BODY_SIZE, TABLE_SIZE, NOTE_SIZE = Pt(10.5), Pt(9.5), Pt(8.5)
HEADING_SIZES = {1: Pt(13), 2: Pt(12), 3: Pt(11)}
TABLE_HALF_POINTS = int(TABLE_SIZE.pt * 2)  # w:sz counts half-points
PARAGRAPH_GAP_TWIPS = Pt(2).twips  # between the paragraphs of one cell
ALIGNED = {RIGHT, CENTER}
# Text printed in the other language (untranslated) is italic and grey besides its label.
UNTRANSLATED_COLOUR = RGBColor(0x59, 0x59, 0x59)
UNTRANSLATED_RPR = '<w:i/><w:color w:val="595959"/>'  # written as w:jc; left is Word's default
# A fixed date keeps the file the same for the same content (the content hash decides reuse).
FIXED_DATE = datetime(2000, 1, 1, tzinfo=timezone.utc)


def render_docx(document: Document, stream: BinaryIO, *, progress=None) -> None:
    doc = new_docx()
    _setup(doc, document)
    tables = max(len(document.tables), 1)
    done = 0
    # Style ids resolved once: python-docx resolves a style given by name or object on every use.
    styles = {name: doc.styles[name].style_id for name in ("Heading 1", "Heading 2", "Heading 3", "Table Grid")}
    title = doc.add_paragraph(style="Title")
    title.add_run(document.title)
    if document.subtitle:
        doc.add_paragraph(document.subtitle)
    for section in document.sections:
        _styled(doc, section.title, styles["Heading 1"])
        for block in section.blocks:
            if isinstance(block, Table):
                _table(doc, block, styles)
                done += 1
                if progress:
                    progress(done * 100 // tables)
            elif isinstance(block, VarianceEntry):
                _variance_entry(doc, block)
            elif isinstance(block, Paragraph):
                _paragraph(doc, block, styles)
            elif isinstance(block, Chart):
                _chart(doc, block, document.language)
    doc.save(stream)


def _chart(doc, chart: Chart, language: str) -> None:
    """A trend chart as PNG (Word takes no SVG through python-docx), drawn once per content."""
    doc.add_paragraph(chart.title)
    doc.add_picture(io.BytesIO(chart_render(chart.series, file_format="png", language=language)), width=Cm(12))


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


def _styled(doc, text: str, style_id: str):
    paragraph = doc.add_paragraph(text)
    paragraph._p.get_or_add_pPr().style = style_id
    return paragraph


def _paragraph(doc, block: Paragraph, styles: dict[str, str]) -> None:
    if block.style == "heading2":
        paragraph = _styled(doc, block.text, styles["Heading 2"])
    elif block.style == "heading3":
        paragraph = _styled(doc, block.text, styles["Heading 3"])
    else:
        paragraph = doc.add_paragraph(block.text)
        if block.style == "note":
            for run in paragraph.runs:
                run.font.size = NOTE_SIZE
    if block.untranslated:
        for run in paragraph.runs:
            run.italic = True
            run.font.color.rgb = UNTRANSLATED_COLOUR


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
    for index, text in enumerate(entry.paragraphs):
        paragraph = doc.add_paragraph(text)
        if index in entry.untranslated:
            for run in paragraph.runs:
                run.italic = True
                run.font.color.rgb = UNTRANSLATED_COLOUR


def _table(doc, table: Table, styles: dict[str, str]) -> None:
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
    grid._tbl.tblPr.style = styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False  # w:tblLayout fixed: Word keeps the widths below
    for column, width in zip(grid.columns, widths):
        column.width = width
    # The rows (over a thousand in a 623-output report) are written as WordprocessingML text
    # and parsed once: python-docx's object API costs a dozen XML lookups per cell property.
    twips = [Emu(width).twips for width in widths]
    rows = _header_xml(table, twips) + "".join(_row_xml(row, twips) for row in table.rows)
    grid._tbl.extend(list(parse_xml(f"<w:tbl {nsdecls('w')}>{rows}</w:tbl>")))
    for note in table.notes:
        paragraph = doc.add_paragraph(note)
        for run in paragraph.runs:
            run.font.size = NOTE_SIZE
    # Word joins two tables with nothing between them into one table: keep a paragraph after each.
    spacer = doc.add_paragraph()
    spacer.paragraph_format.space_after = Pt(6)


def _widths(table: Table) -> list:
    total = sum(column.width for column in table.columns) or 1
    return [int(TEXT_WIDTH * column.width / total) for column in table.columns]


def _header_xml(table: Table, twips: list[int]) -> str:
    """Header rows, repeated on every page (w:tblHeader); a cell spanning rows is a vertical
    merge: the top cell restarts it, the cells under it continue it, empty."""
    rows: list[dict[int, str]] = [{} for _ in table.header_rows]
    for r, c, cell in table.header_positions():
        span = twips[c:c + cell.colspan]
        rows[r][c] = _cell_xml(span, (cell.text,), align=cell.align, bold=True,
                               merge="restart" if cell.rowspan > 1 else None)
        for below in rows[r + 1:r + cell.rowspan]:
            below[c] = _cell_xml(span, (), merge="continue")
        for row in rows[r:r + cell.rowspan]:  # the other columns of the span have no cell of their own
            row.update(dict.fromkeys(range(c + 1, c + cell.colspan), ""))
    for cells in rows:  # a header row short of the table's width: empty cells, as Word has them
        for c in range(len(twips)):
            cells.setdefault(c, _cell_xml(twips[c:c + 1], ()))
    return "".join(
        f'<w:tr><w:trPr><w:tblHeader w:val="true"/></w:trPr>{"".join(cells[c] for c in sorted(cells))}</w:tr>'
        for cells in rows
    )


def _row_xml(row: Row, twips: list[int]) -> str:
    """One body row as `w:tr` text, in the markup python-docx writes for the same cells."""
    if row.kind == RowKind.HEADING:
        cell = row.cells[0]
        return f"<w:tr>{_cell_xml(twips, (cell.text,), align=LEFT, bold=True, italic=True, indent=row.level, untranslated=cell.untranslated)}</w:tr>"
    bold = row.kind in (RowKind.GROUP, RowKind.SUBTOTAL, RowKind.TOTAL)
    cells = []
    c = 0
    for index, cell in enumerate(row.cells):
        cells.append(_cell_xml(
            twips[c:c + cell.colspan], cell.paragraphs or ("",), align=cell.align, bold=bold,
            indent=row.level if index == 0 else 0, untranslated=cell.untranslated,
        ))
        c += cell.colspan
    return f"<w:tr>{''.join(cells)}</w:tr>"


def _cell_xml(twips: list[int], paragraphs, *, align: str = LEFT, bold=False, italic=False, indent: int = 0,
              merge: str | None = None, untranslated: tuple[int, ...] = ()) -> str:
    """A `w:tc` over len(twips) grid columns; no paragraphs is the one empty paragraph Word needs."""
    span = f'<w:gridSpan w:val="{len(twips)}"/>' if len(twips) > 1 else ""
    if merge:
        span += '<w:vMerge w:val="restart"/>' if merge == "restart" else "<w:vMerge/>"
    ind = f'<w:ind w:left="{Cm(0.4 * indent).twips}"/>' if indent else ""
    jc = f'<w:jc w:val="{align}"/>' if align in ALIGNED else ""
    rpr = f'<w:rPr>{"<w:b/>" if bold else ""}{"<w:i/>" if italic else ""}<w:sz w:val="{TABLE_HALF_POINTS}"/></w:rPr>'
    last = len(paragraphs) - 1
    if untranslated:
        marked_rpr = (f'<w:rPr>{"<w:b/>" if bold else ""}{UNTRANSLATED_RPR}'
                      f'<w:sz w:val="{TABLE_HALF_POINTS}"/></w:rPr>')
    body = "".join(
        f'<w:p><w:pPr><w:spacing w:after="{PARAGRAPH_GAP_TWIPS if index < last else 0}"/>{ind}{jc}</w:pPr>'
        f"<w:r>{marked_rpr if index in untranslated else rpr}{_run_content(text)}</w:r></w:p>"
        for index, text in enumerate(paragraphs)
    ) or "<w:p/>"
    return f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{sum(twips)}"/>{span}</w:tcPr>{body}</w:tc>'


_RUN_BREAKS = re.compile(r"(\t|\r|\n)")


def _run_content(text: str) -> str:
    """A run's text as python-docx's `run.text = ...` writes it: tabs and line breaks as elements."""
    parts = []
    for piece in _RUN_BREAKS.split(text):
        if piece == "\t":
            parts.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            parts.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            parts.append(f"<w:t{space}>{escape(piece)}</w:t>")
    return "".join(parts)
