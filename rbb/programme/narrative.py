"""The programme plan's narrative, in the layout of A/78/6 (Sect. 3), as rbb.narrative's structure.

Per subprogramme, in the document's order: legislative mandates, objective, strategy,
expected results, programme performance of year−2 with its measure, planned results with
their five-year measures, the deliverables table (category rows, subcategory rows with their
unit and computed totals, numbered item rows, non-quantified deliverables) and the resources
table (changes, percentage and estimate computed). rbb.narrative renders it to HTML, DOCX,
XLSX and PDF like every other report (rbb.narrative.tables.document_build dispatches here).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation

from missions.models import Report
from rbb.narrative.labels import NARRATIVE_TABLES, is_chinese
from rbb.lib.numbers import round1
from rbb.narrative.structure import CENTER, RIGHT, Cell, Column, Document, Kind, Paragraph, Row, RowKind, Section, Table

from . import labels, rules
from .flags import plan_year
from .models import MeasureCell, PlanItem, Result, ResourceLine
from .selectors import programme_subprogrammes


def text_of(obj, field: str) -> str:
    """The content in the document's language: X (Chinese) or X_en (English), the other when empty."""
    chinese, english = getattr(obj, field), getattr(obj, f"{field}_en")
    return (chinese or english) if is_chinese() else (english or chinese)


def programme_document_build(*, report: Report, language: str, subprogrammes=None) -> Document:
    """Return the report's programme plan with labels and content in `language` (en or zh-hans)."""
    with translation.override(language):
        subprogrammes = programme_subprogrammes(report=report) if subprogrammes is None else subprogrammes
        year = plan_year(report)
        document = Document(
            title=f"{report.mission.name} · {report.period.label}",
            subtitle=" · ".join(part for part in (str(labels.PROGRAMME_PLAN), str(NARRATIVE_TABLES), report.symbol) if part),
            language=language,
        )
        for sp in subprogrammes:
            document.sections.append(subprogramme_section(sp, year=year))
    return document


def subprogramme_section(sp, *, year: int) -> Section:
    section = Section(key=f"subprogramme-{sp.number}", title=labels.subprogramme_heading(sp.number, text_of(sp, "title")), level=1)
    blocks = section.blocks
    mandates = list(sp.mandates.all())
    if mandates:
        blocks.append(Paragraph(str(labels.MANDATES), style="heading2"))
        body = None
        for mandate in mandates:
            if text_of(mandate, "body") != body:
                body = text_of(mandate, "body")
                blocks.append(Paragraph(body, style="heading3"))
            blocks.append(Paragraph(f"{mandate.symbol} {text_of(mandate, 'title')}".strip()))
    blocks.append(Paragraph(str(labels.OBJECTIVE), style="heading2"))
    blocks.append(Paragraph(labels.numbered(sp.objective_paragraph, text_of(sp, "objective"))))
    items = list(sp.plan_items.all())
    blocks.append(Paragraph(str(labels.STRATEGY), style="heading2"))
    for paragraph, field, kind in (
        (sp.strategy_paragraph, "strategy_lead_in", PlanItem.Kind.STRATEGY),
        (sp.results_paragraph, "results_lead_in", PlanItem.Kind.EXPECTED_RESULT),
    ):
        blocks.append(Paragraph(labels.numbered(paragraph, text_of(sp, field))))
        blocks.extend(Paragraph(f"{item.label} {text_of(item, 'text')}") for item in items if item.kind == kind)
    results = list(sp.results.all())
    performance = [r for r in results if r.kind == Result.Kind.PERFORMANCE]
    planned = [r for r in results if r.kind == Result.Kind.PLANNED]
    for result in performance:
        blocks.append(Paragraph(labels.performance_heading(year - 2), style="heading2"))
        blocks.extend(result_blocks(sp, result))
    if planned:
        blocks.append(Paragraph(labels.planned_results_heading(year), style="heading2"))
        for result in planned:
            blocks.extend(result_blocks(sp, result))
    blocks.append(Paragraph(str(labels.DELIVERABLES), style="heading2"))
    blocks.append(Paragraph(labels.numbered(sp.deliverables_paragraph, text_of(sp, "deliverables_intro"))))
    blocks.append(deliverables_table(sp, year=year))
    for p in sp.resource_paragraphs.all():
        if text_of(p, "heading"):
            blocks.append(Paragraph(text_of(p, "heading"), style="heading3"))
        blocks.append(Paragraph(labels.numbered(p.number, text_of(p, "text"))))
    blocks.append(resources_table(sp, year=year))
    return section


def result_blocks(sp, result) -> list:
    blocks: list = [Paragraph(text_of(result, "title"), style="heading3")]
    if result.kind == Result.Kind.PLANNED and text_of(result, "subheading"):
        blocks.append(Paragraph(text_of(result, "subheading"), style="note"))
    paragraphs = list(result.paragraphs.all())
    blocks.extend(Paragraph(labels.numbered(p.number, text_of(p, "text"))) for p in paragraphs if p.part == "body")
    lessons = [p for p in paragraphs if p.part == "lessons"]
    if lessons:
        blocks.append(Paragraph(str(labels.LESSONS), style="heading3"))
        blocks.extend(Paragraph(labels.numbered(p.number, text_of(p, "text"))) for p in lessons)
    blocks.extend(Paragraph(labels.numbered(p.number, text_of(p, "text"))) for p in paragraphs if p.part == "measure_intro")
    table = measure_table(sp, result)
    if table is not None:
        blocks.append(table)
    else:
        title = " ".join(part for part in (result.measure_number, text_of(result, "measure_title")) if part)
        blocks.append(Paragraph(f"{title} ({labels.FIGURE_NOT_TABULATED})" if title else str(labels.FIGURE_NOT_TABULATED), style="note"))
    return blocks


def measure_table(sp, result) -> Table | None:
    """The performance measure: one column per year (actual or planned), a row per line; `—` for no entry."""
    cells = list(result.cells.all())
    if not cells:
        return None
    keys = sorted({(c.year, c.kind) for c in cells}, key=lambda k: (k[0], k[1] != MeasureCell.Kind.ACTUAL))
    width = 100 // len(keys)
    title = " ".join(part for part in (result.measure_number, text_of(result, "measure_title") or str(labels.MEASURE)) if part)
    table = Table(
        key=f"subprogramme-{sp.number}-measure-{result.order}",
        title=title,
        sheet_name=f"{sp.number} {labels.SHEET_MEASURE} {result.number}",
        columns=[Column(f"{year}-{kind}", width) for year, kind in keys],
        header_rows=[[Cell(labels.measure_column(year, kind), align=CENTER) for year, kind in keys]],
    )
    by_row: dict[int, dict] = {}
    for cell in cells:
        by_row.setdefault(cell.row, {})[(cell.year, cell.kind)] = cell
    for row, found in sorted(by_row.items()):
        table.rows.append(Row(
            key=f"{sp.number}-{result.order}-{row}",
            cells=[Cell(text_of(found[key], "text") if key in found else "") for key in keys],
        ))
    return table


def _count_cell(value: Decimal | None) -> Cell:
    return Cell(rules.print_count(value), value=value, kind=Kind.COUNT, align=RIGHT)


def deliverables_table(sp, *, year: int) -> Table:
    """Categories A–D as heading rows; subcategory rows (name, unit, totals computed); item rows."""
    columns = (labels.year_planned(year - 2), labels.year_actual(year - 2), labels.year_planned(year - 1), labels.year_planned(year))
    table = Table(
        key=f"subprogramme-{sp.number}-deliverables",
        title=" ".join(part for part in (sp.deliverables_table_number, labels.deliverables_title(sp.number, year - 2, year)) if part),
        sheet_name=f"{sp.number} {labels.SHEET_DELIVERABLES}",
        columns=[Column("deliverable", 52), *(Column(f"column-{i}", 12, RIGHT, Kind.COUNT) for i in range(4))],
        header_rows=[[Cell(str(labels.CATEGORY_AND_SUBCATEGORY)), *(Cell(str(label), align=RIGHT) for label in columns)]],
    )
    subcategories = list(sp.subcategories.all())
    narratives = list(sp.narrative_deliverables.all())
    categories = {s.category.code: s.category for s in subcategories} | {n.category.code: n.category for n in narratives}
    for code in sorted(categories):
        category = categories[code]
        table.rows.append(Row(key=f"category-{code}", kind=RowKind.HEADING, cells=[Cell(f"{code}. {category.name}", colspan=5)]))
        for sub in (s for s in subcategories if s.category.code == code):
            totals = rules.subcategory_totals(sub)
            table.rows.append(Row(
                key=f"subcategory-{sub.pk}", kind=RowKind.SUBTOTAL, level=1,
                cells=[Cell(labels.with_unit(text_of(sub, "name"), text_of(sub, "unit"))), *(_count_cell(totals[c]) for c in rules.COLUMNS)],
            ))
            for item in sub.deliverables.all():
                table.rows.append(Row(
                    key=f"deliverable-{item.number}", level=2,
                    cells=[Cell(f"{item.number}. {text_of(item, 'description')}"),
                           *(_count_cell(rules.count_value(getattr(item, c)) if rules.is_count(getattr(item, c)) else None) for c in rules.COLUMNS)],
                ))
        for n in (n for n in narratives if n.category.code == code):
            table.rows.append(Row(
                key=f"narrative-{n.pk}", level=1,
                cells=[Cell(labels.with_colon(text_of(n, "subcategory"), text_of(n, "text")), colspan=5)],
            ))
    return table


def _amount_cell(value: Decimal | None, *, posts: bool = False) -> Cell:
    if posts:
        return Cell(rules.print_posts(value), value=value, kind=Kind.COUNT, align=RIGHT)
    return Cell(rules.print_amount(value), value=value, kind=Kind.AMOUNT, align=RIGHT)


def _percent_cell(value: Decimal | None) -> Cell:
    text = rules.print_change_percent(value)
    if value is None:
        return Cell(text, kind=Kind.PERCENT, align=RIGHT)
    rounded = round1(value)
    if rounded == 0:
        # A decrease that rounds to zero prints (0.0); a spreadsheet number 0 would print "—".
        return Cell(text, kind=Kind.TEXT, align=RIGHT)
    return Cell(text, value=rounded, kind=Kind.PERCENT, align=RIGHT)


def _resource_row(key: str, label: str, figures: rules.ResourceFigures, *, posts: bool, kind: str = RowKind.BODY) -> Row:
    expenditure = Cell("", align=RIGHT) if posts else _amount_cell(figures.expenditure)
    return Row(key=key, kind=kind, level=0 if kind == RowKind.TOTAL else 1, cells=[
        Cell(label),
        expenditure,
        _amount_cell(figures.appropriation, posts=posts),
        _amount_cell(figures.technical_adjustments, posts=posts),
        _amount_cell(figures.new_mandates, posts=posts),
        _amount_cell(figures.other_changes, posts=posts),
        _amount_cell(figures.change_total, posts=posts),
        _percent_cell(figures.change_percent),
        _amount_cell(figures.estimate, posts=posts),
    ])


def resources_table(sp, *, year: int) -> Table:
    """The subprogramme's financial and post resources: stored columns, then the computed ones."""
    table = Table(
        key=f"subprogramme-{sp.number}-resources",
        title=" ".join(part for part in (sp.resources_table_number, labels.resources_title(sp.number)) if part),
        subtitle=str(labels.RESOURCES_UNIT),
        sheet_name=f"{sp.number} {labels.SHEET_RESOURCES}",
        columns=[Column("label", 20), *(Column(key, 10, RIGHT, Kind.AMOUNT) for key in (
            "expenditure", "appropriation", "technical", "new", "other", "total", "percent", "estimate"))],
        header_rows=[
            [Cell("", rowspan=2), Cell(labels.expenditure(year - 2), align=RIGHT, rowspan=2),
             Cell(labels.appropriation(year - 1), align=RIGHT, rowspan=2), Cell(str(labels.CHANGES), align=CENTER, colspan=5),
             Cell(labels.estimate(year), align=RIGHT, rowspan=2)],
            [Cell(str(label), align=RIGHT) for label in (
                labels.TECHNICAL_ADJUSTMENTS, labels.NEW_MANDATES, labels.OTHER, labels.TOTAL, labels.PERCENTAGE)],
        ],
    )
    lines = list(sp.resource_lines.all())
    for section, heading in ((ResourceLine.Section.FINANCIAL, labels.FINANCIAL_BY_CATEGORY), (ResourceLine.Section.POSTS, labels.POSTS_BY_CATEGORY)):
        found = [line for line in lines if line.section == section]
        if not found:
            continue
        posts = section == ResourceLine.Section.POSTS
        table.rows.append(Row(key=f"{section}-heading", kind=RowKind.HEADING, cells=[Cell(str(heading), colspan=9)]))
        for line in found:
            table.rows.append(_resource_row(f"{section}-{line.pk}", text_of(line, "label"), rules.resource_figures(line), posts=posts))
        table.rows.append(_resource_row(f"{section}-total", str(labels.TOTAL), rules.resource_total(found), posts=posts, kind=RowKind.TOTAL))
    grades = list(sp.post_grades.all())
    if grades:
        table.notes.append(labels.with_colon(str(labels.POSTS_BY_GRADE), ", ".join(f"{g.grade} {g.count}" for g in grades)))
    return table
