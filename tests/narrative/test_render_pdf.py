"""The PDF: Typst lays out the document structure with Noto CJK embedded (not tofu), repeats
table headers, keeps short rows on one page, splits long ones cleanly, hyphenates English."""

import io
import re
import shutil
import subprocess

import pytest

from rbb.narrative.render_pdf import render_pdf, typst_data
from rbb.narrative.structure import Cell, Column, Document, Paragraph, Row, Section, Table
from rbb.narrative.tables import document_build

pytest.importorskip("typst")
pytestmark = pytest.mark.django_db
poppler = pytest.mark.skipif(not shutil.which("pdffonts") or not shutil.which("pdftotext"), reason="poppler-utils is not installed")


def _pdf(document, tmp_path, name="doc.pdf"):
    stream = io.BytesIO()
    render_pdf(document, stream)
    path = tmp_path / name
    path.write_bytes(stream.getvalue())
    return path


def _pages(path, *, layout=True) -> list[str]:
    """The text of each page; without layout, in the order it was drawn (cell by cell)."""
    args = ["pdftotext", *(["-layout"] if layout else ["-raw"]), str(path), "-"]
    text = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return text.split("\f")


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("\u00ad", ""))


@pytest.fixture
def pdf(unmik_report, tmp_path):
    return _pdf(document_build(report=unmik_report, language="zh-hans"), tmp_path, "unmik.pdf")


def test_it_is_a_pdf_of_the_whole_document(pdf):
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF") and len(data) > 50_000


@poppler
def test_chinese_is_set_in_an_embedded_cjk_font(pdf):
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:]), fonts  # every font embedded
    first = _pages(pdf)[0]
    assert "联合国科索沃临时行政当局特派团" in first and "39 827.3" in first


@poppler
def test_every_short_row_of_unmik_is_printed_on_one_page(unmik_report, pdf):
    """A short row never leaves a cell alone at the foot of a page (是 on one page, its text on the next)."""
    document = document_build(report=unmik_report, language="zh-hans")
    pages = [_flat(page) for page in _pages(pdf, layout=False)]
    checked = 0
    for table in document.tables:
        for row in table.rows:
            texts = [_flat(cell.text) for cell in row.cells if cell.text.strip()]
            if len(texts) < 2 or max(len(cell.text) for cell in row.cells) > 400:
                continue
            first, last = texts[0][:12], texts[-1][-6:]
            assert any(first in page and last in page for page in pages), (table.key, row.key)
            checked += 1
    assert checked > 20


@poppler
def test_a_long_table_repeats_its_header_on_every_page(tmp_path):
    rows = [Row(key=str(n), cells=[Cell(f"line {n} " + "text " * 30), Cell(str(n), align="right")]) for n in range(160)]
    table = Table(key="long", title="Long", columns=[Column("a", 80), Column("b", 20, "right")],
                  header_rows=[[Cell("Planned outputs"), Cell("Completed")]], rows=rows)
    document = Document(title="T", subtitle="", language="en", sections=[Section(key="s", title="S", level=1, blocks=[table])])
    pages = _pages(_pdf(document, tmp_path))
    pages = [page for page in pages if page.strip()]
    assert len(pages) >= 3
    assert all("Planned outputs" in page for page in pages)


@poppler
def test_english_headers_break_only_with_a_hyphen(unmik_report, tmp_path):
    pages = _pages(_pdf(document_build(report=unmik_report, language="en"), tmp_path))
    text = "\n".join(pages)
    # WeasyPrint printed "Expenditur" / "e" and "Apportion" / "ment" without a hyphen.
    assert "Expenditur\n" not in text and not re.search(r"Apportion\s*\n", text)
    assert "Expenditure" in text


@poppler
def test_what_people_type_is_text_not_markup(tmp_path):
    typed = '#set page(paper: "a5") *bold* $x^2$ <label> @ref #panic("no") \\ // comment'
    document = Document(title="T", subtitle="", language="en", sections=[
        Section(key="s", title="S", level=1, blocks=[Paragraph(typed)])])
    text = _flat("".join(_pages(_pdf(document, tmp_path), layout=False)))
    assert _flat(typed) in text


def test_layout_hints_mark_only_long_rows_breakable():
    table = Table(key="t", title="T", columns=[Column("a", 100)], header_rows=[[Cell("A")]],
                  rows=[Row(cells=[Cell("short")]), Row(cells=[Cell("x" * 401)])])
    document = Document(title="T", subtitle="", language="en", sections=[Section(key="s", title="S", level=1, blocks=[table])])
    rows = typst_data(document)["sections"][0]["blocks"][0]["rows"]
    assert [row["breakable"] for row in rows] == [False, True]
