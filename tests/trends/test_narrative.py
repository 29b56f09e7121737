"""The narrative's trends section: tables of every item with a history and a chart per indicator,
drawn as PNG in the DOCX, inline SVG in the HTML file and PDF, by URL on the page."""

import io
import zipfile

import pytest
from django.urls import reverse

from rbb.narrative.render_docx import render_docx
from rbb.narrative.render_html import document_html
from rbb.narrative.tables import document_build

from .conftest import make_history

pytestmark = pytest.mark.django_db


def test_a_report_with_history_gets_a_trends_section_with_tables_and_charts():
    reports = make_history("HIST", periods=3, indicators=2, outputs=2)
    document = document_build(report=reports[-1], language="zh-hans")
    section = document.sections[-1]
    assert section.key == "trends" and section.title == "各期趋势"
    indicators = document.table("trends-indicators")
    assert [c.text for c in indicators.header_rows[0]][-3:] == ["2018/19", "2019/20", "2020/21"]
    assert indicators.rows[0].cells[-1].text == "520 (525)"  # actual (target) of 2020/21
    assert document.table("trends-outputs").rows[0].cells[-1].text == "92 / 102"
    charts = [b for b in section.blocks if b.block_type == "chart"]
    assert len(charts) == 2 and charts[0].as_dict()["digest"]

    buffer = io.BytesIO()
    render_docx(document, buffer)
    media = [n for n in zipfile.ZipFile(buffer).namelist() if n.startswith("word/media/")]
    assert len(media) == 2 and all(n.endswith(".png") for n in media)
    html = document_html(document)
    assert html.count('src="data:image/svg+xml;base64,') == 2


def test_a_report_without_other_periods_has_no_trends_section():
    reports = make_history("HIST", periods=1)
    assert all(section.key != "trends" for section in document_build(report=reports[0], language="en").sections)


def test_the_narrative_page_points_at_the_chart_urls(login):
    reports = make_history("HIST", periods=2)
    response = login("reviewer").get(reverse("narrative:report", args=[reports[-1].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "/trends/indicators/" in html and "data:image/svg+xml" not in html


def test_the_pdf_carries_the_trend_charts():
    from rbb.narrative.render_pdf import document_pdf, typst_data

    reports = make_history("HIST", periods=3, indicators=1, outputs=1)
    document = document_build(report=reports[-1], language="zh-hans")
    files = {}
    data = typst_data(document, files)
    charts = [b for b in data["sections"][-1]["blocks"] if b["type"] == "chart"]
    assert charts and files[charts[0]["image"]].startswith(b"<?xml")
    with_chart = document_pdf(document)
    document.sections[-1].blocks = [b for b in document.sections[-1].blocks if b.block_type != "chart"]
    without = document_pdf(document)
    # The chart's glyphs and lines are vector drawings: the page with it weighs more.
    assert with_chart.startswith(b"%PDF") and len(with_chart) > len(without) + 5000
