"""Sect. 六 of UNMIK 2020/21 as the demo loads it, in every format: exactly the document's rows."""

import io

import pytest
from docx import Document as open_docx

from missions.models import Report
from rbb.demo_data import demo_seed
from rbb.narrative.render_pdf import render_pdf
from rbb.narrative.tables import document_build
from tests.narrative.readback import docx_bytes, docx_grids, open_xlsx, xlsx_bytes

# A/76/525 sect. 六: A. 大会 (第 75/301 号决议) paras 10, 11, 30; B. 行预咨委会 (A/75/822/Add.11) paras 28, 30, 36.
EXPECTED = {
    "(第 75/301 号决议)": ["第 10 段", "第 11 段", "第 30 段"],
    "(A/75/822/Add.11)": ["第 28 段", "第 30 段", "第 36 段"],
}


@pytest.fixture
def unmik(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demo_seed(password="pw")
    return Report.objects.get(mission__code="UNMIK", period__label="2020/21")


def test_the_docx_has_exactly_the_documents_rows_and_references_in_order(unmik):
    data = docx_bytes(unmik, "zh-hans")
    grids = [grid for grid in docx_grids(data) if grid[0] == ["决定/要求", "为执行决定/要求而采取的行动"]]
    assert len(grids) == 2
    references = [[row[0].rsplit("(", 1)[1].rstrip(")。") for row in grid[1:]] for grid in grids]
    assert references == list(EXPECTED.values())
    assert grids[0][2][0].endswith("合作应对疫情(第 11 段)。")
    assert grids[1][1][0].endswith("(见第 74/288 号决议，第 20 段)(第 28 段)。")
    assert grids[0][1][1].startswith("为应对 COVID-19 大流行，特派团继续实施降低风险措施")
    # The headings: the section, A. 大会 then its resolution, B. the Advisory Committee then its report.
    texts = [p.text for p in open_docx(io.BytesIO(data)).paragraphs]
    start = next(i for i, t in enumerate(texts) if t.startswith("为执行大会第 75/301 号决议各项决定和要求"))
    assert [t for t in texts[start + 1:] if t][:4] == ["A. 大会", "(第 75/301 号决议)", "B. 行政和预算问题咨询委员会", "(A/75/822/Add.11)"]


def test_the_english_edition_and_the_other_formats(unmik):
    document = document_build(report=unmik, language="en")
    section = document.sections[-1]
    assert section.key == "followup" and section.title.startswith("Summary of follow-up action taken")
    tables = [b for b in section.blocks if getattr(b, "block_type", "") == "table"]
    assert [[r.key for r in t.rows] for t in tables] == list(EXPECTED.values())
    workbook = open_xlsx(xlsx_bytes(unmik, "zh-hans"))
    followup_sheets = [ws for ws in workbook.worksheets if ws.title.startswith("后续行动")]
    assert len(followup_sheets) == 2
    pdf = io.BytesIO()
    render_pdf(document_build(report=unmik, language="zh-hans"), pdf)
    assert pdf.getvalue().startswith(b"%PDF")


def test_seeding_twice_changes_nothing(unmik):
    from rbb.ledger.models import Assignment, Request

    before = (Request.objects.count(), Assignment.objects.count())
    demo_seed(password="pw")
    assert (Request.objects.count(), Assignment.objects.count()) == before
    # UNMIK's sect. 六, A/RES/76/274 on the support account and on UNMIK's 2021/22 proposal, C-34.
    assert before == (6 + 6 + 10, 6 + 6 + 6 + 10)
