"""The narrative in a language uses that language's text and marks what is untranslated (issue 19 §12).

The demo holds the English text of UNMIK component 1 only, so the English document prints
component 1 in English and component 2 in Chinese, marked; the Chinese document marks nothing.
"""

import io
import zipfile

import pytest
from django.core.management import call_command
from docx import Document as open_docx
from openpyxl import load_workbook

from indicators.models import Indicator
from rbb.narrative.render_html import document_html
from rbb.narrative.structure import Paragraph, RowKind
from rbb.narrative.tables import document_build

from .readback import docx_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


def _framework_blocks(document):
    return next(section for section in document.sections if section.key == "frameworks").blocks


def _headings(document):
    return [(b.text, b.untranslated) for b in _framework_blocks(document) if isinstance(b, Paragraph) and b.style.startswith("heading")]


def test_the_english_document_prints_english_and_marks_the_rest(unmik_report):
    document = document_build(report=unmik_report, language="en")
    headings = _headings(document)
    assert headings[0] == ("Component 1: Substantive", False)
    assert headings[1] == ("Expected accomplishment 1.1: Progress towards reconciliation and integration of all communities in Kosovo", False)
    assert ("Component 2: [untranslated] 支助", True) in headings
    indicators = document.table("ea-1.1-indicators")
    first = indicators.rows[0].cells
    assert first[0].text.startswith("1.1.1 Increased number of activities") and first[0].untranslated == ()
    assert first[1].paragraphs[0].startswith("UNMIK recorded 860 decisions") and first[1].untranslated == ()
    outputs = document.table("ea-1.1-outputs")
    assert outputs.rows[2].cells[0].text.startswith("220 field reports prepared")
    assert outputs.rows[2].cells[2].paragraphs[1].startswith("The higher number of reports")
    # Component 2: every text in Chinese, each marked.
    support = document.table("ea-2.1-outputs")
    body = [row for row in support.rows if row.kind == RowKind.BODY]
    assert all(row.cells[0].text.startswith("[untranslated] ") and row.cells[0].untranslated == (0,) for row in body)
    heading_rows = [row for row in support.rows if row.kind == RowKind.HEADING]
    assert heading_rows and heading_rows[0].cells[0].text.startswith("[untranslated] ")


def test_a_missing_paragraph_alone_is_marked(unmik_report):
    indicator = Indicator.objects.get(accomplishment__unit__report=unmik_report, number="1.1.1")
    Indicator.objects.filter(pk=indicator.pk).update(variance_explanation_en="")
    cell = document_build(report=unmik_report, language="en").table("ea-1.1-indicators").rows[0].cells[1]
    assert cell.untranslated == (1,)
    assert cell.paragraphs[0].startswith("UNMIK recorded") and cell.paragraphs[1].startswith("[untranslated] 决定的数量高于计划")
    assert cell.as_dict()["untranslated"] == [1]


def test_the_chinese_document_marks_nothing(unmik_report):
    document = document_build(report=unmik_report, language="zh-hans")
    assert not any(untranslated for _text, untranslated in _headings(document))
    assert not any(cell.untranslated for table in document.tables for row in table.rows for cell in row.cells)
    assert "untranslated" not in str(document.as_dict())


def test_a_text_written_only_in_english_is_marked_in_the_chinese_document(unmik_report):
    indicator = Indicator.objects.get(accomplishment__unit__report=unmik_report, number="1.1.1")
    Indicator.objects.filter(pk=indicator.pk).update(statement="")
    cell = document_build(report=unmik_report, language="zh-hans").table("ea-1.1-indicators").rows[0].cells[0]
    assert cell.text.startswith("1.1.1 [未翻译] Increased number of activities") and cell.untranslated == (0,)


def test_html_docx_and_xlsx_set_the_untranslated_text_apart(unmik_report):
    document = document_build(report=unmik_report, language="en")
    html = document_html(document)
    assert '<h3 class="untranslated" style="font-style:italic;color:#555">Component 2: [untranslated] 支助</h3>' in html
    assert '<h3>Component 1: Substantive</h3>' in html

    docx = open_docx(io.BytesIO(docx_bytes(unmik_report, "en")))
    marked = [p for p in docx.paragraphs if p.text.startswith("Component 2:")]
    assert marked and all(run.italic and str(run.font.color.rgb) == "595959" for run in marked[0].runs)
    body = zipfile.ZipFile(io.BytesIO(docx_bytes(unmik_report, "en"))).read("word/document.xml").decode()
    assert '<w:i/><w:color w:val="595959"/>' in body
    plain = [p for p in docx.paragraphs if p.text == "Component 1: Substantive"]
    assert plain and not any(run.italic for run in plain[0].runs)

    workbook = load_workbook(io.BytesIO(xlsx_bytes(unmik_report, "en")))
    sheet = next(workbook[name] for name in workbook.sheetnames if name.startswith("2.1 ") and "Output" in name)
    cells = [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str) and cell.value.startswith("[untranslated]")]
    assert cells and all(cell.font.italic for cell in cells)


def test_the_command_prints_english_for_component_one(unmik_report, tmp_path):
    output = tmp_path / "unmik-en.html"
    call_command("export_narrative", "UNMIK", "2020/21", "--format", "html", "--lang", "en", "--output", str(output))
    html = output.read_text(encoding="utf-8")
    assert "Component 1: Substantive" in html and "UNMIK recorded 860 decisions" in html
    assert "[untranslated] 支助" in html


def test_the_pdf_prints_the_untranslated_text_marked(tmp_path):
    """A small document, so Typst compiles it quickly: the marks reach the template, which sets them apart."""
    import shutil
    import subprocess

    pytest.importorskip("typst")
    from rbb.narrative.render_pdf import render_pdf, typst_data
    from rbb.narrative.structure import Cell, Column, Document, Row, Section, Table

    table = Table(key="t", title="T", columns=[Column("a", 50), Column("b", 50)], header_rows=[[Cell("A"), Cell("B")]],
                  rows=[Row(cells=[Cell("[untranslated] 支助", untranslated=(0,)),
                                   Cell(paragraphs=("Done", "[untranslated] 已完成"), untranslated=(1,))])])
    document = Document(title="Doc", subtitle="", language="en", sections=[Section(key="s", title="S", level=1, blocks=[
        Paragraph("Component 2: [untranslated] 支助", style="heading2", untranslated=True), table,
    ])])
    data = typst_data(document)
    assert data["sections"][0]["blocks"][0]["untranslated"] is True
    assert data["sections"][0]["blocks"][1]["rows"][0]["cells"][1]["untranslated"] == [1]
    stream = io.BytesIO()
    render_pdf(document, stream)
    assert stream.getvalue().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        path = tmp_path / "doc.pdf"
        path.write_bytes(stream.getvalue())
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert "Component 2: [untranslated] 支助" in text and "[untranslated] 已完成" in text


def test_variance_explanations_print_in_the_language_or_marked(unmik_report):
    from missions.models import VarianceExplanation

    def entry(language):
        section = next(s for s in document_build(report=unmik_report, language=language).sections if s.key == "variances")
        return next(b for b in section.blocks if b.block_type == "variance_entry" and b.key == "military-observers")

    marked = entry("en")
    assert marked.paragraphs[0].startswith("[untranslated] 所需经费减少的主要原因是") and marked.untranslated == (0, 1)
    assert entry("zh-hans").untranslated == () and not entry("zh-hans").paragraphs[0].startswith("[")
    explanation = VarianceExplanation.objects.get(line__report=unmik_report, line__financial_class__code="military-observers")
    VarianceExplanation.objects.filter(pk=explanation.pk).update(main_en="The reduced requirements were attributable mainly to …")
    english = entry("en")
    assert english.paragraphs[0] == "The reduced requirements were attributable mainly to …" and english.untranslated == (1,)
