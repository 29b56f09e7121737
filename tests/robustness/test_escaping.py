"""What people type is shown as text everywhere: escaped in pages, literal in DOCX, XLSX and PDF.

A narrative holding markup must never become markup, and a cell starting with `=` must never
become a spreadsheet formula (it would run when the file is opened).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from indicators.interchange import framework_import
from indicators.models import Indicator, Output
from indicators.services import indicator_actual_record, output_delivery_record
from missions.models import FinancialLine, Membership, Report
from missions.services import resources_load_demo, variance_explanation_save
from rbb.demo_data import demo_document
from rbb.narrative.render_docx import render_docx
from rbb.narrative.render_html import render_html
from rbb.narrative.render_xlsx import render_xlsx
from rbb.narrative.tables import document_build
from tests.entry.factories import make_user

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("rbb")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&quot;rbb&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
FORMULA = '=HYPERLINK("http://evil.example/","点击")'
PLUS_FORMULA = "+HYPERLINK(\"http://evil.example/\",\"x\")"


@pytest.fixture
def world():
    """UNMIK with markup in an indicator narrative, output remarks and a variance explanation."""
    report = framework_import(data=demo_document(name="unmik-2020-21.json"))
    resources_load_demo(report=report)
    approver = make_user("approver", role=Membership.Role.APPROVER, mission=report.mission)
    reviewer = make_user("reviewer", role=Membership.Role.HQ_REVIEWER)
    indicator = Indicator.objects.select_related("accomplishment__unit").get(accomplishment__unit__report=report, number="1.1.1")
    indicator_actual_record(indicator=indicator, actual="860", actual_narrative=f"实现。{SCRIPT}", variance_explanation=FORMULA,
                            version=indicator.version, by=approver)
    output = Output.objects.select_related("accomplishment__unit").filter(accomplishment__unit__report=report).order_by("id").first()
    output_delivery_record(output=output, completed_kind="yes", completed="", remarks=SCRIPT, version=output.version, by=approver)
    second = Output.objects.select_related("accomplishment__unit").filter(accomplishment__unit__report=report).order_by("id")[1]
    output_delivery_record(output=second, completed_kind="yes", completed="", remarks=PLUS_FORMULA, version=second.version, by=approver)
    line = FinancialLine.objects.filter(report=report, explanation__isnull=False).select_related("explanation").order_by("id").first()
    variance_explanation_save(line=line, main=f"{FORMULA} 所需经费减少的主要原因是{SCRIPT}", offset=FORMULA,
                              version=line.explanation.version, by=approver)
    return report, indicator, output, approver, reviewer


def _pages(report: Report, indicator: Indicator, output: Output) -> list[str]:
    urls = [
        reverse("indicators:entry", args=[report.pk, indicator.accomplishment_id]),
        reverse("indicators:entry", args=[report.pk, output.accomplishment_id]),
        reverse("indicators:framework", args=[report.pk]),
        reverse("indicators:indicator-history", args=[report.pk, indicator.pk]),
        reverse("indicators:output-history", args=[report.pk, output.pk]),
        reverse("workflow:report-home", args=[report.pk]),
        reverse("missions:resources", args=[report.pk]),
        reverse("narrative:report", args=[report.pk]),
    ]
    for name in ("review:report",):  # the review pages, where they are built
        try:
            urls.append(reverse(name, args=[report.pk]))
        except NoReverseMatch:
            pass
    return urls


def test_pages_show_markup_as_text(world):
    report, indicator, output, approver, reviewer = world
    for user in (approver, reviewer):
        client = Client()
        client.force_login(user)
        for url in _pages(report, indicator, output):
            response = client.get(url)
            if response.status_code in (403, 404):
                continue  # a page this persona may not open
            html = response.content.decode()
            assert response.status_code == 200, url
            assert "<script>alert(" not in html and "onerror=alert(1)>" not in html, url


def test_the_entry_page_and_the_narrative_print_the_escaped_text(world):
    report, indicator, output, approver, _reviewer = world
    client = Client()
    client.force_login(approver)
    entry = client.get(reverse("indicators:entry", args=[report.pk, indicator.accomplishment_id])).content.decode()
    narrative = client.get(reverse("narrative:report", args=[report.pk])).content.decode()
    assert ESCAPED in entry and ESCAPED in narrative


def _document(report):
    return document_build(report=report, language="zh-hans")


def test_docx_holds_the_markup_as_literal_text(world):
    report, *_ = world
    stream = io.BytesIO()
    render_docx(_document(report), stream)
    xml = zipfile.ZipFile(io.BytesIO(stream.getvalue())).read("word/document.xml").decode()
    assert "<script>" not in xml
    assert "&lt;script&gt;alert(" in xml  # text, escaped as XML requires


def test_xlsx_holds_markup_as_text_and_never_a_formula(world):
    from openpyxl import load_workbook

    report, *_ = world
    stream = io.BytesIO()
    render_xlsx(_document(report), stream)
    workbook = load_workbook(io.BytesIO(stream.getvalue()))
    texts, formulas, unquoted = [], [], []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    if cell.data_type == "f" or cell.value.startswith("=") and cell.data_type != "s":
                        formulas.append((sheet.title, cell.coordinate, cell.value))
                    if cell.value.startswith(("=", "+", "-", "@", "\t", "\r")) and not cell.quotePrefix:
                        unquoted.append((sheet.title, cell.coordinate, cell.value))
    assert any(SCRIPT in text for text in texts)
    assert any(FORMULA in text for text in texts)
    assert PLUS_FORMULA in texts  # exactly as typed, no `'` added to the printed text
    assert formulas == []
    # A text a spreadsheet would run once edited carries the quote prefix (Excel's form of `'`).
    assert unquoted == []


def test_the_html_file_and_the_pdf_print_the_markup_as_text(world):
    report, *_ = world
    stream = io.BytesIO()
    render_html(_document(report), stream)
    html = stream.getvalue().decode()
    assert "<script>alert(" not in html and ESCAPED in html


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_the_pdf_prints_the_markup_as_text(tmp_path):
    pytest.importorskip("weasyprint")
    from rbb.narrative.render_pdf import render_pdf
    from tests.entry.factories import get_indicator, make_mission_report

    report = make_mission_report()  # small: the PDF layout takes a while
    Indicator.objects.filter(pk=get_indicator(report, "1.1.1").pk).update(actual="860", actual_narrative=SCRIPT)
    path = tmp_path / "report.pdf"
    with open(path, "wb") as stream:
        render_pdf(_document(report), stream)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert '<script>alert("rbb")</script>' in text.replace("\n", "")


def test_control_characters_already_stored_do_not_break_the_documents():
    """A form feed that reached the database another way (admin, SQL) is dropped, not fatal."""
    from openpyxl import load_workbook

    from tests.entry.factories import get_indicator, make_mission_report

    report = make_mission_report()
    Indicator.objects.filter(pk=get_indicator(report, "1.1.1").pk).update(actual="860", actual_narrative="第一段\x0c续\x1b完")
    document = _document(report)
    docx, xlsx = io.BytesIO(), io.BytesIO()
    render_docx(document, docx)
    render_xlsx(document, xlsx)
    # (A form feed is a line break to str.splitlines, so the narrative reads as two paragraphs.)
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode()
    assert "第一段" in xml and "续完" in xml
    cells = [c.value for s in load_workbook(xlsx).worksheets for r in s.iter_rows() for c in r if isinstance(c.value, str)]
    assert any("续完" in value for value in cells)
