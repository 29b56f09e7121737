"""The PDF: WeasyPrint lays out the HTML file with Noto CJK, so Chinese prints (not tofu)."""

import io
import shutil
import subprocess

import pytest

from rbb.narrative.render_pdf import render_pdf
from rbb.narrative.tables import document_build

weasyprint = pytest.importorskip("weasyprint")
pytestmark = pytest.mark.django_db


@pytest.fixture
def pdf(unmik_report, tmp_path):
    stream = io.BytesIO()
    render_pdf(document_build(report=unmik_report, language="zh-hans"), stream)
    path = tmp_path / "unmik.pdf"
    path.write_bytes(stream.getvalue())
    return path


def test_it_is_a_pdf_of_the_whole_document(pdf):
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 100_000


@pytest.mark.skipif(not shutil.which("pdffonts") or not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_chinese_is_set_in_an_embedded_cjk_font(pdf):
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "联合国科索沃临时行政当局特派团" in text and "39 827.3" in text
