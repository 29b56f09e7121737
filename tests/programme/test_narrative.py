"""The programme plan printed as A/78/6 (Sect. 3) prints it: DOCX and XLSX against the transcription."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from rbb.narrative.tables import document_build
from rbb.programme import rules
from rbb.programme.models import Deliverable
from tests.foundation.builders import make_user
from tests.narrative.readback import body_rows, docx_bytes, docx_grids, open_xlsx, xlsx_bytes, xlsx_sheet_rows

pytestmark = pytest.mark.django_db

ZH = "zh-hans"
YEARS = {"prior_planned": "2022_planned", "prior_actual": "2022_actual", "previous_planned": "2023_planned", "planned": "2024_planned"}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def expected_deliverables(transcription) -> list[tuple]:
    """The transcription's table 3.14 as rows of printed texts (headings as ("heading", text))."""
    rows = []
    for category in transcription["deliverables"]["categories"]:
        if category.get("present_in_table") is False:
            continue
        rows.append(("heading", f"{category['code']}. {category['name_zh']}"))
        for sub in category["quantified_subcategories"]:
            rows.append((sub["printed_label_zh"], *(sub["totals"][key]["raw"] for key in YEARS.values())))
            for item in sub["items"]:
                rows.append((f"{item['number']}. {item['description_zh']}", *(item["values"][key]["raw"] for key in YEARS.values())))
        for n in category["narrative_items"]:
            rows.append(("heading", f"{n['subcategory_zh']}：{n['text_zh']}"))
    return rows


def expected_resources(transcription) -> list[tuple]:
    table = transcription["resources"]["table_3_37"]
    keys = [c["key"] for c in table["columns"]]
    rows = [("heading", table["financial_resources_by_main_category"]["heading_zh"])]
    rows += [(row["label_zh"], *(row["cells"][key]["raw"] for key in keys)) for row in table["financial_resources_by_main_category"]["rows"]]
    rows.append(("heading", table["post_resources_by_category"]["heading_zh"]))
    for row in table["post_resources_by_category"]["rows"]:
        changes = [row["changes"][k] for k in ("technical_adjustments", "new_expanded_mandates", "other", "total", "percent")]
        rows.append((row["label_zh"], "", str(row["2023"]), *("—" if c is None else str(c) for c in changes), str(row["2024"])))
    return rows


def _docx_table(report, key: str, language=ZH) -> list[list[str]]:
    document = document_build(report=report, language=language)
    index = [t.key for t in document.tables].index(key)
    return docx_grids(docx_bytes(report, language))[index]


def _xlsx_sheet(report, key: str, language=ZH):
    document = document_build(report=report, language=language)
    title = document.table(key).title
    workbook = open_xlsx(xlsx_bytes(report, language))
    return next(sheet for sheet in workbook.worksheets if sheet.title != workbook.worksheets[0].title and sheet["A1"].value == title)


def _as_printed(value) -> str:
    """An XLSX cell as the table prints it: numbers are numbers there, text is text."""
    if isinstance(value, (int, float, Decimal)):
        return rules.print_count(Decimal(str(value)))
    return value


def test_subprogramme_4_deliverables_in_docx_equal_the_transcription(dppa_report, transcription):
    grid = _docx_table(dppa_report, "subprogramme-4-deliverables")
    assert tuple(grid[0]) == ("类别和次类别", "2022 年计划", "2022 年实际", "2023 年计划", "2024 年计划")
    assert body_rows(grid, 1) == expected_deliverables(transcription)


def test_subprogramme_4_deliverables_in_xlsx_equal_the_transcription(dppa_report, transcription):
    sheet = _xlsx_sheet(dppa_report, "subprogramme-4-deliverables")
    assert sheet["A1"].value == "表 3.14 次级方案 4：按类别和次类别列示的 2022-2024 年期间应交付产出"
    assert tuple(c.value for c in sheet[2]) == ("类别和次类别", "2022 年计划", "2022 年实际", "2023 年计划", "2024 年计划")
    rows = [row if row[0] == "heading" else tuple(_as_printed(v) for v in row) for row in xlsx_sheet_rows(sheet, 3)]
    assert rows == expected_deliverables(transcription)
    # Counts are numbers in the spreadsheet, nil is the text "—".
    values = xlsx_sheet_rows(sheet, 3)
    assert values[1][1:] == (22, 22, 22, 22) and values[8][1:] == (63, 37, 63, 43)


def test_subcategory_totals_are_computed_from_the_items(dppa_report):
    item = Deliverable.objects.get(subcategory__subprogramme__report=dppa_report, subcategory__subprogramme__number=4, number=9)
    Deliverable.objects.filter(pk=item.pk).update(prior_actual="10")  # was 8: the printed total 37 is now wrong
    table = document_build(report=dppa_report, language=ZH).table("subprogramme-4-deliverables")
    meetings = next(row for row in table.rows if row.cells[0].text == "实质性会议服务(3 小时会议次数)")
    assert [c.text for c in meetings.cells[1:]] == ["63", "39", "63", "43"]
    out, err = StringIO(), StringIO()
    call_command("export_framework", "DPPA", "2024", stdout=out, stderr=err)
    from rbb.programme.flags import total_mismatch_flags

    assert [f.message for f in total_mismatch_flags(report=dppa_report)] == [
        "Printed total 37 of the column “year−2 actual” differs from the sum of the items, 39; the sum is printed."
    ]


def test_subprogramme_4_performance_measures_equal_the_transcription(dppa_report, transcription):
    document = document_build(report=dppa_report, language=ZH)
    grids = docx_grids(docx_bytes(dppa_report, ZH))
    keys = [t.key for t in document.tables]
    measures = [transcription["programme_performance_2022"]["performance_measure"]] + [
        r["performance_measure"] for r in transcription["planned_results_2024"]["results"]
    ]
    printed = [t for t in document.tables if t.key.startswith("subprogramme-4-measure-")]
    assert len(printed) == len(measures) == 4
    for table, measure in zip(printed, measures):
        grid = grids[keys.index(table.key)]
        assert table.title == f"{measure['table_number']} {measure['title_zh']}"
        assert tuple(grid[0]) == tuple(c["label_zh"] for c in measure["columns"])
        assert [tuple(row) for row in grid[1:]] == [
            tuple("\n".join(row[c["key"]]) for c in measure["columns"]) for row in measure["rows"]
        ]


def test_subprogramme_4_resources_recompute_as_printed(dppa_report, transcription):
    grid = _docx_table(dppa_report, "subprogramme-4-resources")
    assert tuple(grid[1][3:8]) == ("技术调整", "新的/扩大的任务", "其他", "共计", "百分比")
    assert body_rows(grid, 2) == expected_resources(transcription)
    sheet = _xlsx_sheet(dppa_report, "subprogramme-4-resources")
    assert sheet["A2"].value == "(千美元/员额数目)"


def test_changes_and_percentage_compute_as_the_document_prints_them():
    """Subprogramme 1 of the same document (table 3.34): 员额 22 422.9 25 783.3 — — (7.2) (7.2) (0.0) 25 776.1."""
    post = rules.ResourceFigures(Decimal("22422.9"), Decimal("25783.3"), None, None, Decimal("-7.2"))
    non_post = rules.ResourceFigures(Decimal("1329.8"), Decimal("382.5"), None, None, None)
    total = rules.ResourceFigures(*(
        rules.total((getattr(post, f), getattr(non_post, f)))
        for f in ("expenditure", "appropriation", "technical_adjustments", "new_mandates", "other_changes")
    ))
    printed = lambda f: (rules.print_amount(f.change_total), rules.print_change_percent(f.change_percent), rules.print_amount(f.estimate))
    assert printed(post) == ("(7.2)", "(0.0)", "25 776.1")
    assert printed(non_post) == ("—", "—", "382.5")
    assert (rules.print_amount(total.expenditure), rules.print_amount(total.appropriation)) == ("23 752.7", "26 165.8")
    assert printed(total) == ("(7.2)", "(0.0)", "26 158.6")
    growth = rules.ResourceFigures(None, Decimal("887.1"), Decimal("10"), Decimal("25.4"), None)
    assert printed(growth) == ("35.4", "4.0", "922.5")


def test_subprogramme_2_transcribed_from_the_text_prints(dppa_report):
    """Table 3.7 and table 3.35 of A/78/6 (Sect. 3), as the text prints them."""
    grid = _docx_table(dppa_report, "subprogramme-2-deliverables")
    assert body_rows(grid, 1) == [
        ("heading", "A. 协助政府间进程和专家机构"),
        ("议事机构文件(文件数目)", "—", "—", "1", "—"),
        ("1. 秘书长提交大会的关于加强联合国在推进定期真正选举和促进民主化方面的作用的报告", "—", "—", "1", "—"),
        ("实质性会议服务(3 小时会议次数)", "—", "—", "1", "—"),
        ("2. 大会全体会议", "—", "—", "1", "—"),
        ("heading", "B. 生成和转让知识"),
        ("外地和技术合作项目(项目数目)", "30", "31", "31", "33"),
        ("3. 根据会员国和其他组织的请求，部署国际选举观察员", "1", "1", "1", "1"),
        ("4. 向会员国提供选举援助", "29", "30", "30", "32"),
        ("研讨会、讲习班和培训活动(天数)", "20", "21", "22", "23"),
        ("5. 为区域和国家一级的选举管理人员和工作人员举办关于包括性别平等与选举、选举与暴力以及选举观察在内的关键选举事项的培训活动和讲习班", "20", "21", "22", "23"),
        ("技术材料(材料数目)", "6", "7", "6", "7"),
        ("6. 关于选举进程、选举法律框架以及选举组织和管理的技术准则和参考材料", "6", "7", "6", "7"),
        ("选举特派团(特派团数目)", "25", "30", "30", "32"),
        ("7. 关于选举进程的技术、咨询和审查团", "25", "30", "30", "32"),
        ("heading", "C. 实质性应交付产出"),
        ("heading", "协商、咨询和倡导：特别是在选举制度和框架、性别平等主流化、选民登记和选举事务领域，为约 50 个会员国的选举进程提供技术咨询。"),
        ("heading", "数据库和其他实质性数字材料：联合国选举专家统一名册；关于提供选举援助的记录，以保存联合国选举机构记忆。"),
    ]
    resources = _docx_table(dppa_report, "subprogramme-2-resources")
    assert body_rows(resources, 2) == [
        ("heading", "按主要支出类别列示的财政资源"),
        ("员额", "4 106.8", "4 032.2", "—", "—", "—", "—", "—", "4 032.2"),
        ("非员额", "81.1", "91.4", "—", "—", "—", "—", "—", "91.4"),
        ("共计", "4 187.9", "4 123.6", "—", "—", "—", "—", "—", "4 123.6"),
        ("heading", "按职类列示的员额资源"),
        ("专业及以上职类", "", "16", "—", "—", "—", "—", "—", "16"),
        ("一般事务及有关职类", "", "6", "—", "—", "—", "—", "—", "6"),
        ("共计", "", "22", "—", "—", "—", "—", "—", "22"),
    ]


def test_the_english_edition_has_english_labels(dppa_report):
    document = document_build(report=dppa_report, language="en")
    table = document.table("subprogramme-4-deliverables")
    assert [c.text for c in table.header_rows[0]] == ["Category and subcategory", "2022 planned", "2022 actual", "2023 planned", "2024 planned"]
    assert document.sections[1].title == "Subprogramme 4 Decolonization"


@pytest.mark.parametrize("file_format", ["docx", "xlsx", "pdf", "html"])
def test_export_narrative_writes_every_format(dppa_report, tmp_path, file_format):
    target = tmp_path / f"dppa.{file_format}"
    call_command("export_narrative", "DPPA", "2024", "--format", file_format, "--lang", "en", "--output", str(target), stdout=StringIO())
    assert target.stat().st_size > 1000


def test_the_benchmark_measures_the_programme_plan(dppa_report):
    from rbb.bench.programme import programme_measure, programme_rows

    make_user("dppa.approver", role="approver", mission=dppa_report.mission)
    data = programme_measure(runs=1)
    assert data["entry"]["subprogramme"] == 4 and data["entry"]["deliverables"] == 15 and data["entry"]["status"] == 200
    assert [d["format"] for d in data["documents"]] == ["docx", "xlsx", "pdf"]
    assert programme_rows(data)[0].startswith("Entry page of subprogramme 4 (15 deliverables)")
