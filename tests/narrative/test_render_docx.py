"""The Word document holds exactly the report's cells, as real Word tables, and LibreOffice opens it."""

import io
import shutil
import subprocess

import pytest
from django.utils import translation
from docx import Document as open_docx
from docx.oxml.ns import qn
from docx.shared import Cm

from rbb.narrative import labels
from rbb.narrative.render_docx import render_docx
from rbb.narrative.structure import CENTER, RIGHT, Cell, Column, Document, Row, RowKind, Section, Table

from . import expected
from .readback import body_rows, docx_bytes, docx_grids

ZH = "zh-hans"
pytestmark = pytest.mark.django_db


@pytest.fixture
def zh_docx(unmik_report) -> bytes:
    return docx_bytes(unmik_report, ZH)


def _label(label, language=ZH) -> str:
    with translation.override(language):
        return str(label)


def test_it_holds_every_indicator_and_output_of_the_unmik_framework(zh_docx, unmik_data):
    grids = docx_grids(zh_docx)
    framework = expected.mission_framework(unmik_data, ZH)
    indicator_tables = [g for g in grids if g[0] == [_label(labels.PLANNED_INDICATORS), _label(labels.ACTUAL_INDICATORS)]]
    output_tables = [
        g for g in grids if g[0] == [_label(labels.PLANNED_OUTPUTS), _label(labels.COMPLETED), _label(labels.REMARKS)]
    ]
    assert len(indicator_tables) == len(output_tables) == len(framework) == 4
    for grid, ea in zip(indicator_tables, framework):
        assert body_rows(grid, 1) == ea["indicators"], ea["number"]
    for grid, ea in zip(output_tables, framework):
        assert body_rows(grid, 1) == ea["outputs"], ea["number"]
    assert sum(len(ea["indicators"]) for ea in framework) == 17
    assert sum(1 for ea in framework for row in ea["outputs"] if row[0] != expected.HEADING) == 59


def test_the_financial_tables_print_every_computed_cell(zh_docx, unmik_resources):
    grids = docx_grids(zh_docx)
    category, apportionment = _label(labels.CATEGORY), _label(labels.APPORTIONMENT)
    summary, detailed = [g for g in grids if g[0][:2] == [category, apportionment]]
    assert body_rows(summary, 2) == expected.financial_rows(unmik_resources, "summary_table")
    # The detailed table prints each group as a heading row over its classes.
    printed = [row for row in body_rows(detailed, 3) if row[0] != "heading"]
    assert printed == expected.financial_rows(unmik_resources, "detailed_table")
    assert ("本国工作人员", "10 273.9", "11 184.9", "(911.0)", "(8.9)") in printed
    assert ("所需资源毛额", "39 827.3", "39 682.8", "144.5", "0.4") in printed
    assert ("heading", "文职人员") in body_rows(detailed, 3)


def test_the_other_resource_tables_print_every_cell(zh_docx, unmik_resources):
    grids = docx_grids(zh_docx)
    by_first_header = {}
    for grid in grids:
        by_first_header.setdefault(tuple(grid[0]), []).append(grid)
    hr = next(g for g in grids if g[0][0] == _label(labels.CATEGORY) and g[0][2] == _label(labels.ACTUAL_AVERAGE))
    assert body_rows(hr, 1) == expected.incumbency_rows(unmik_resources)

    redeployment = next(g for g in grids if _label(labels.APPROPRIATION) in g[0])
    rows = body_rows(redeployment, 2)
    assert rows[:-1] == expected.redeployment_rows(unmik_resources, ZH)
    assert rows[-1][0] == _label(labels.REDEPLOYMENT_SHARE) and rows[-1][2] == "0.5"

    other = next(g for g in grids if g[0] == [_label(labels.CATEGORY), _label(labels.AMOUNT)])
    assert body_rows(other, 1) == expected.revenue_rows(unmik_resources, "other_revenue", "amount", ZH)
    non_budgeted = next(g for g in grids if g[0] == [_label(labels.CATEGORY), _label(labels.ACTUAL_VALUE)])
    rows = [(expected.strip_note_markers(name), value) for name, value in body_rows(non_budgeted, 1)]
    assert rows == expected.revenue_rows(unmik_resources, "non_budgeted_contributions", "actual_value", ZH)

    ga = next(g for g in grids if g[0] == [_label(labels.ITEM), _label(labels.AMOUNT_DOLLARS)])
    assert [row[1] for row in body_rows(ga, 1)] == ["144 500", "126 500", "40 300", "68 200", "18 000"]


def test_variance_analysis_entries_are_headings_then_paragraphs(zh_docx, unmik_resources):
    paragraphs = [p.text for p in open_docx(io.BytesIO(zh_docx)).paragraphs]
    entries = expected.variance_entries(unmik_resources)
    assert len(entries) == 10
    for name, amount, percent, texts in entries:
        heading = f"{name}\t{amount}\t{percent}"
        assert heading in paragraphs, heading
        start = paragraphs.index(heading) + 1
        assert paragraphs[start:start + len(texts)] == texts
    assert "公务差旅\t287.2\t90.1%" in paragraphs
    assert "本国工作人员\t(911.0)\t(8.9%)" in paragraphs


def test_header_rows_repeat_numbers_align_right_and_chinese_has_a_cjk_font(zh_docx):
    document = open_docx(io.BytesIO(zh_docx))
    for table in document.tables:
        first = table.rows[0]._tr
        assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "SimSun" and fonts.get(qn("w:ascii")) == "Times New Roman"
    detailed = next(t for t in document.tables if len(t.columns) == 5 and len(t.rows) > 30)
    row = next(r for r in detailed.rows if r.cells[0].text == "本国工作人员")
    assert all(cell.paragraphs[0].alignment == 2 for cell in row.cells[1:])  # WD_ALIGN_PARAGRAPH.RIGHT


def test_cells_come_back_as_written_with_their_spans_and_emphasis():
    """The rows are written as WordprocessingML text (for speed): Word must read back the same cells."""
    table = Table(
        key="t", title="表", columns=[Column("a", 40), Column("b", 30, RIGHT), Column("c", 30, RIGHT)],
        header_rows=[
            [Cell("类别", rowspan=2), Cell("差异", colspan=2, align=CENTER)],
            [Cell("数额", align=RIGHT), Cell("百分比", align=RIGHT)],
        ],
        rows=[
            Row([Cell("服务")], kind=RowKind.HEADING, level=1),
            Row([Cell(paragraphs=('  a < b & "c" ]]> ', "x\ty\rz")), Cell("1 234.5", align=RIGHT), Cell("—", align=RIGHT)],
                level=1),
            Row([Cell("合计", colspan=2), Cell("(216.3)", align=RIGHT)], kind=RowKind.TOTAL),
        ],
    )
    buffer = io.BytesIO()
    render_docx(Document(title="T", subtitle="", language=ZH, sections=[Section("s", "S", 1, [table])]), buffer)
    grid = open_docx(io.BytesIO(buffer.getvalue())).tables[0]

    assert [[cell.text for cell in row.cells] for row in grid.rows] == [
        ["类别", "差异", "差异"],
        ["类别", "数额", "百分比"],
        ["服务", "服务", "服务"],
        ['  a < b & "c" ]]> \nx\ty\nz', "1 234.5", "—"],
        ["合计", "合计", "(216.3)"],
    ]
    assert [row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None for row in grid.rows] == [
        True, True, False, False, False]
    heading, body, total = grid.rows[2].cells[0], grid.rows[3].cells, grid.rows[4].cells
    assert heading.paragraphs[0].runs[0].bold and heading.paragraphs[0].runs[0].italic
    assert body[0].paragraphs[0].paragraph_format.left_indent.twips == Cm(0.4).twips and body[1].paragraphs[0].alignment == 2
    assert not body[0].paragraphs[0].runs[0].bold and total[0].paragraphs[0].runs[0].bold
    assert total[0].width == grid.columns[0].width + grid.columns[1].width
    # One w:tblLayout, in schema order (before w:tblLook): Word rejects a repeated element.
    properties = [child.tag for child in grid._tbl.tblPr]
    assert properties.count(qn("w:tblLayout")) == 1
    assert properties.index(qn("w:tblLayout")) < properties.index(qn("w:tblLook"))


def test_a_header_cell_spanning_rows_and_columns_leaves_no_extra_cells():
    table = Table(
        key="t", title="表", columns=[Column("a", 25), Column("b", 25), Column("c", 25), Column("d", 25)],
        header_rows=[[Cell("甲", rowspan=2, colspan=2), Cell("乙", colspan=2)], [Cell("丙"), Cell("丁")]],
    )
    buffer = io.BytesIO()
    render_docx(Document(title="T", subtitle="", language=ZH, sections=[Section("s", "S", 1, [table])]), buffer)
    grid = open_docx(io.BytesIO(buffer.getvalue())).tables[0]
    assert [[cell.text for cell in row.cells] for row in grid.rows] == [["甲", "甲", "乙", "乙"], ["甲", "甲", "丙", "丁"]]
    assert [len(row._tr.tc_lst) for row in grid.rows] == [2, 3]


def test_column_widths_follow_the_document(zh_docx):
    document = open_docx(io.BytesIO(zh_docx))
    indicators = next(t for t in document.tables if len(t.columns) == 2 and "1.1.1" in t.rows[1].cells[0].text)
    outputs = next(t for t in document.tables if len(t.columns) == 3)
    assert [c.width for c in indicators.columns][0] == [c.width for c in indicators.columns][1]
    widths = [c.width for c in outputs.columns]
    assert [round(w * 100 / sum(widths)) for w in widths] == [40, 14, 46]


def test_numbers_are_the_same_in_both_languages(unmik_report):
    zh, en = docx_grids(docx_bytes(unmik_report, ZH)), docx_grids(docx_bytes(unmik_report, "en"))
    assert len(zh) == len(en) == 15

    def figures(grid, headers):
        # A label spanning two columns repeats in the second; only the figures are compared.
        return [tuple(c for c in row[1:] if c != row[0]) for row in body_rows(grid, headers) if row[0] != "heading"]

    # Document order: summary, incumbency, 4 × (indicators, outputs), detailed, redeployment,
    # other revenue, non-budgeted contributions, General Assembly amounts.
    for index, headers in {0: 2, 1: 1, 10: 3, 11: 2, 12: 1, 13: 1, 14: 1}.items():
        assert figures(zh[index], headers) == figures(en[index], headers)
        assert any(any(ch.isdigit() for ch in "".join(row)) for row in figures(zh[index], headers))
    assert en[10][0][0] == "Category" and "本国工作人员" in {row[0] for row in zh[10]}
    assert "National staff" in {row[0] for row in en[10]}


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_it_to_pdf(zh_docx, tmp_path):
    source = tmp_path / "unmik.docx"
    source.write_bytes(zh_docx)
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "unmik.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 50_000
