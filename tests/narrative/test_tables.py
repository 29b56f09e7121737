"""The format-neutral tables: the document's order, both framework shapes, both languages."""

import json

import pytest
from django.utils import translation

from rbb.narrative import labels
from rbb.narrative.structure import Kind, RowKind
from rbb.narrative.tables import document_build

from .readback import (
    body_rows,
    docx_bytes,
    docx_grids,
    open_xlsx,
    xlsx_bytes,
    xlsx_sheet_rows,
)

pytestmark = pytest.mark.django_db


def _framework_rows(document, suffix):
    return [row for table in document.tables if table.key.endswith(suffix) for row in table.rows if row.kind == RowKind.BODY]


def test_sections_follow_the_performance_report(unmik_report):
    document = document_build(report=unmik_report, language="zh-hans")
    assert [s.key for s in document.sections] == ["summary", "frameworks", "resources", "variances", "ga-actions"]
    assert [t.key for t in document.sections[0].blocks] == ["financial-summary", "hr-incumbency"]
    assert [t.key for t in document.sections[2].blocks if hasattr(t, "columns")] == [
        "financial-detailed", "redeployment", "other-revenue", "non-budgeted",
    ]
    frameworks = document.sections[1]
    assert sum(1 for block in frameworks.blocks if getattr(block, "style", "") == "heading3") == 4
    assert len(_framework_rows(document, "-indicators")) == 17
    assert len(_framework_rows(document, "-outputs")) == 59
    assert len([b for b in document.sections[3].blocks if b.block_type == "variance_entry"]) == 10


def test_a_report_without_resource_figures_has_only_its_frameworks(unmik_framework_only):
    document = document_build(report=unmik_framework_only, language="en")
    assert [s.key for s in document.sections] == ["frameworks"]


def test_english_punctuation_of_the_planned_series(unmik_report):
    document = document_build(report=unmik_report, language="en")
    planned = document.table("ea-1.1-indicators").rows[0].cells[0].text
    assert planned.endswith("(开展)的活动数量增加 (2018/19: 574; 2019/20: 754; 2020/21: 290)")
    assert document.table("ea-1.1-indicators").header_rows[0][0].text == "Planned indicators of achievement"


def test_cells_carry_the_printed_text_and_the_raw_value(unmik_report):
    document = document_build(report=unmik_report, language="zh-hans")
    national = next(r for r in document.table("financial-detailed").rows if r.key == "national-staff")
    assert [c.text for c in national.cells[1:]] == ["10 273.9", "11 184.9", "(911.0)", "(8.9)"]
    assert [str(c.value) for c in national.cells[1:]] == ["10273.9", "11184.9", "-911.0", "-8.9"]
    assert national.cells[1].kind == Kind.AMOUNT and national.cells[4].kind == Kind.PERCENT
    # The structure serialises to JSON as it is (the API serves it).
    data = json.loads(json.dumps(document.as_dict(), ensure_ascii=False))
    assert data["sections"][2]["blocks"][0]["rows"][8]["cells"][3] == {
        "text": "(911.0)", "value": "-911.0", "kind": "amount", "align": "right",
    }


def test_the_chinese_document_prints_the_documents_labels_and_words(unmik_report):
    """Needs the zh-hans catalogue: labels and 是/否/不适用 as A/76/525 prints them."""
    document = document_build(report=unmik_report, language="zh-hans")
    indicators, outputs = document.table("ea-1.1-indicators"), document.table("ea-1.1-outputs")
    assert [c.text for c in indicators.header_rows[0]] == ["计划绩效指标", "实际绩效指标"]
    assert [c.text for c in outputs.header_rows[0]] == ["计划产出", "已完成(数目或是/否)", "说明"]
    assert indicators.rows[1].cells[0].text.endswith("(2018/19：不适用；2019/20：15；2020/21：10)")
    assert [row.cells[1].text for row in outputs.rows[:4]] == ["是", "否", "250", "180; 841"]
    header = document.table("financial-detailed").header_rows
    assert [c.text for c in header[0]] == ["类别", "分配数", "支出数", "差异"]
    assert [c.text for c in header[1]] == ["数额", "百分比"]
    assert document.table("redeployment").rows[3].cells[0].text == "共计"


# --- the headquarters shape: the Ethics Office (A/76/596, domain.md §3) ---------------------


def test_ethics_office_outputs_print_the_delivery_ratio_with_one_decimal(ethics_office_report):
    document = document_build(report=ethics_office_report, language="zh-hans")
    outputs = document.table("I-outputs")  # the unit's one outputs table (A/76/596)
    headings = [(r.level, r.cells[0].text) for r in outputs.rows if r.kind == RowKind.HEADING]
    assert headings == [(0, "其他实务活动"), (1, "斡旋、实况调查和其他特别任务")]
    body = [r for r in outputs.rows if r.kind == RowKind.BODY]
    assert [r.cells[3].text for r in body] == ["77.0", "97.1", "0.0", "100.0"]
    assert [r.cells[1].text for r in body] == ["100", "1 300", "4", "1"]
    assert [r.cells[2].text for r in body] == ["77", "1 262", "0", "1"]
    assert body[0].cells[0].text.startswith("1. 对外地特派团的问询作出答复")


def test_ethics_office_prints_one_outputs_table_after_its_indicator_tables(ethics_office_report):
    document = document_build(report=ethics_office_report, language="zh-hans")
    blocks = next(s for s in document.sections if s.key == "frameworks").blocks
    keys = [b.key if hasattr(b, "columns") else f"¶{b.text}" for b in blocks]
    assert keys == [
        "¶I. 道德操守办公室",
        "¶预期成绩(a)：维持和平行动的效率和成效得到提高",  # no space before the letter, as printed
        "I-(a)-indicators",
        "¶实际产出",
        "I-outputs",
    ]
    # No empty outputs table for the accomplishment, which has no outputs of its own.
    assert not [t for t in document.tables if t.key == "I-(a)-outputs"]


def test_ethics_office_indicators_print_one_performance_measures_column(ethics_office_report):
    document = document_build(report=ethics_office_report, language="zh-hans")
    indicators = document.table("I-(a)-indicators")
    assert [c.text for c in indicators.header_rows[0]] == ["计划绩效指标", "实际绩效指标", "业绩计量"]
    assert [list(r.cells[2].paragraphs) for r in indicators.rows] == [
        ["目标数：100", "估计数：110", "实际数：77"],
        ["目标数：100", "估计数：100", "实际数：100"],
        ["目标数：30", "估计数：40", "实际数：55"],
    ]
    assert indicators.rows[0].cells[0].text.endswith("(请求数目)")
    assert "77 项请求得到答复" in indicators.rows[0].cells[1].text
    english = document_build(report=ethics_office_report, language="en").table("I-(a)-indicators")
    assert english.header_rows[0][2].text == "Performance measures"
    assert list(english.rows[0].cells[2].paragraphs) == ["Target: 100", "Estimate: 110", "Actual: 77"]


def test_ethics_office_ratios_in_word_and_excel(ethics_office_report):
    with translation.override("zh-hans"):
        ratio_label = str(labels.DELIVERY_RATIO)
    grids = docx_grids(docx_bytes(ethics_office_report, "zh-hans"))
    outputs = [g for g in grids if g[0][-1] == ratio_label]
    assert len(outputs) == 1  # one table for the unit
    ratios = [row[3] for row in body_rows(outputs[0], 1) if row[0] != "heading"]
    assert ratios == ["77.0", "97.1", "0.0", "100.0"]

    workbook = open_xlsx(xlsx_bytes(ethics_office_report, "zh-hans"))
    with translation.override("zh-hans"):
        sheet = workbook[f"I {labels.OUTPUTS}"]
    rows = [row for row in xlsx_sheet_rows(sheet, 3) if row[0] != "heading"]
    assert [row[3] for row in rows] == [77, 97.1, 0, 100]
    zero = next(c for c in sheet["D"] if c.value == 0)
    assert zero.number_format == "0.0"  # a ratio of 0 shows 0.0, not the nil dash


def test_building_the_tables_runs_the_same_queries_whatever_the_size(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from missions.models import Report
    from tests.foundation.builders import add_framework, make_report

    small, large = make_report(code="SMALL"), make_report(code="LARGE")
    add_framework(small, units=1, eas_per_unit=1, indicators_per_ea=1, outputs_per_ea=1)
    add_framework(large, units=3, eas_per_unit=4, indicators_per_ea=5, outputs_per_ea=40)
    counts = []
    for report in Report.objects.filter(pk__in=[small.pk, large.pk]).select_related("mission", "period", "report_type").order_by("pk"):
        with CaptureQueriesContext(connection) as queries:
            document = document_build(report=report, language="en")
        counts.append(len(queries))
    assert len(_framework_rows(document, "-outputs")) == 480
    # 13 today: units, accomplishments, indicators, figures, outputs; then the resources
    # (missions.resource_selectors): classes, lines, redeployments, revenue lines,
    # months, narratives, incumbency, staff categories. A little room for that module to grow.
    assert counts[0] == counts[1] <= 15, counts
