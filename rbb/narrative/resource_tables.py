"""The money and people tables of the narrative: the summary, sects. III, IV and V.

Every figure is computed by the resources module (missions.resources through
missions.resource_selectors.resource_performance): variances, subtotals, totals, rates,
which classes the variance rule selects and the amounts for the General Assembly. This
module only lays them out and prints them through rbb.lib.numbers.
"""

from __future__ import annotations

from decimal import Decimal

from missions.models import Report
from missions.resource_selectors import ResourcePerformance, resource_performance
from missions.resources import Kind as ClassKind
from rbb.lib.numbers import format_count, format_dollars, format_number, format_percent

from . import labels
from .structure import (
    CENTER,
    RIGHT,
    Cell,
    Column,
    Kind,
    Paragraph,
    Row,
    RowKind,
    Section,
    Table,
    VarianceEntry,
)

THOUSAND = Decimal(1000)
# How a class row of the financial table prints: heading, subtotal, closing total or a plain row.
ROW_KINDS = {
    ClassKind.GROUP: RowKind.GROUP,
    ClassKind.SUBTOTAL: RowKind.SUBTOTAL,
    ClassKind.CUMULATIVE: RowKind.SUBTOTAL,  # 第一类和第二类共计
    ClassKind.GROSS: RowKind.TOTAL,
    ClassKind.NET: RowKind.TOTAL,
    ClassKind.TOTAL: RowKind.TOTAL,
}
NUMBER_COLUMNS = [Column("apportionment", 15, RIGHT, Kind.AMOUNT), Column("expenditure", 15, RIGHT, Kind.AMOUNT),
                  Column("variance_amount", 15, RIGHT, Kind.AMOUNT), Column("variance_percent", 15, RIGHT, Kind.PERCENT)]


def resources_load(*, report: Report) -> ResourcePerformance | None:
    """The report's resource performance, or None when no figure has been entered yet."""
    performance = resource_performance(report=report)
    financial = any(not row.is_nil for row in performance.financial.rows if row.kind in ClassKind.ENTERED)
    people = any(row.has_data for row in performance.incumbency)
    return performance if financial or people else None


def amount(value: Decimal | None) -> Cell:
    return Cell(format_number(value), value=value, kind=Kind.AMOUNT, align=RIGHT)


def percent(value: Decimal | None, *, sign: bool = False) -> Cell:
    return Cell(format_percent(value, sign=sign), value=value, kind=Kind.PERCENT, align=RIGHT)


def count(value: Decimal | None) -> Cell:
    return Cell(format_count(value), value=value, kind=Kind.COUNT, align=RIGHT)


def dollars(value_thousands: Decimal | None) -> Cell:
    value = None if value_thousands is None else (value_thousands * THOUSAND).quantize(Decimal(1))
    return Cell(format_dollars(value_thousands), value=value, kind=Kind.DOLLARS, align=RIGHT)


def _subtitle(report: Report) -> str:
    return labels.thousands_subtitle(report.period.start, report.period.end)


def _variance_header(*, codes: bool) -> list[list[Cell]]:
    """Category | Apportionment | Expenditure | Variance (Amount, Percentage), with (1)…(4) when asked."""
    header = [
        [Cell(str(labels.CATEGORY), rowspan=3 if codes else 2), Cell(str(labels.APPORTIONMENT), align=RIGHT, rowspan=2),
         Cell(str(labels.EXPENDITURE), align=RIGHT, rowspan=2), Cell(str(labels.VARIANCE), align=CENTER, colspan=2)],
        [Cell(str(labels.AMOUNT), align=RIGHT), Cell(str(labels.PERCENTAGE), align=RIGHT)],
    ]
    if codes:
        header.append([Cell(code, align=RIGHT) for code in ("(1)", "(2)", "(3)=(1)−(2)", "(4)=(3)÷(1)")])
    return header


def _financial_row(row, *, level: int) -> Row:
    kind = ROW_KINDS.get(row.kind, RowKind.BODY)
    if row.kind == ClassKind.GROUP:
        return Row(kind=kind, key=row.cls.code, cells=[Cell(row.cls.name, colspan=5)])
    return Row(
        kind=kind, level=level, key=row.cls.code,
        cells=[Cell(row.cls.name), amount(row.apportionment), amount(row.expenditure), amount(row.variance), percent(row.percent)],
    )


# --- Summary ------------------------------------------------------------------------------------


def summary_section(*, report: Report, resources: ResourcePerformance | None) -> Section | None:
    """The summary's financial table (groups and closing rows) and the incumbency table."""
    if resources is None:
        return None
    section = Section(key="summary", title=str(labels.SUMMARY), level=1)
    table = Table(
        key="financial-summary", title=str(labels.FINANCIAL_PERFORMANCE), subtitle=_subtitle(report),
        sheet_name=str(labels.SHEET_FINANCIAL_SUMMARY),
        columns=[Column("category", 40), *NUMBER_COLUMNS], header_rows=_variance_header(codes=False),
    )
    for row in resources.financial.summary:
        printed = _financial_row(row, level=0)
        if row.kind == ClassKind.GROUP:
            # In the summary a group is one row carrying its subtotal.
            printed = Row(kind=RowKind.BODY, key=row.cls.code, cells=[
                Cell(row.cls.name), amount(row.apportionment), amount(row.expenditure), amount(row.variance), percent(row.percent),
            ])
        table.rows.append(printed)
    section.blocks.append(table)
    incumbency = incumbency_table(resources)
    if incumbency.rows:
        section.blocks.append(incumbency)
    return section


def incumbency_table(resources: ResourcePerformance) -> Table:
    budgeted = resources.show_budgeted_vacancy_rate
    columns = [Column("category", 40), Column("authorized", 20, RIGHT, Kind.COUNT), Column("actual_average", 20, RIGHT, Kind.COUNT),
               Column("vacancy_rate", 20, RIGHT, Kind.PERCENT)]
    header = [Cell(str(labels.CATEGORY)), Cell(f"{labels.AUTHORIZED}ᵃ", align=RIGHT),
              Cell(str(labels.ACTUAL_AVERAGE), align=RIGHT), Cell(str(labels.VACANCY_RATE), align=RIGHT)]
    if budgeted:
        columns = [Column("category", 36), *(Column(c.key, 16, RIGHT, c.kind) for c in columns[1:]),
                   Column("budgeted_vacancy_rate", 16, RIGHT, Kind.PERCENT)]
        header.append(Cell(str(labels.BUDGETED_VACANCY_RATE), align=RIGHT))
    table = Table(
        key="hr-incumbency", title=str(labels.HR_INCUMBENCY), sheet_name=str(labels.SHEET_HUMAN_RESOURCES),
        columns=columns, header_rows=[header], notes=[f"ᵃ {labels.AUTHORIZED_NOTE}"],
    )

    def cells(row) -> list[Cell]:
        item = row.item
        printed = [Cell(row.category.name), count(item.authorized), count(item.actual_average), percent(row.rate)]
        if budgeted:
            printed.append(percent(item.budgeted_vacancy_rate))
        return printed

    for row in resources.incumbency:
        if not row.has_data:
            continue  # a category the entity does not have (UNMIK has no formed police units)
        if row.is_group:
            table.rows.append(Row(kind=RowKind.GROUP, key=row.category.code, cells=[Cell(row.category.name, colspan=len(columns))]))
            table.rows.extend(
                Row(level=1, key=child.category.code, cells=cells(child)) for child in row.children if child.has_data
            )
        else:
            table.rows.append(Row(key=row.category.code, cells=cells(row)))
    return table


# --- III, IV, V ---------------------------------------------------------------------------------


def resource_sections(*, report: Report, resources: ResourcePerformance | None) -> list[Section]:
    """III resource performance, IV analysis of variances, V actions of the General Assembly."""
    if resources is None:
        return []
    performance = Section(key="resources", title=str(labels.RESOURCE_PERFORMANCE), level=1)
    performance.blocks.append(detailed_table(report, resources))
    by_unit = by_unit_table(report, resources)
    if by_unit is not None:
        performance.blocks.append(by_unit)
    performance.blocks.append(redeployment_table(resources))
    performance.blocks.extend(Paragraph(text) for text in resources.redeployment_paragraphs)
    months = monthly_table(resources)
    if months is not None:
        performance.blocks.append(months)
    performance.blocks.extend(Paragraph(text) for text in resources.monthly_paragraphs)
    performance.blocks.append(revenue_table(
        "other-revenue", str(labels.OTHER_REVENUE), str(labels.AMOUNT), resources.other_revenue, sheet=str(labels.SHEET_OTHER_REVENUE),
    ))
    performance.blocks.append(revenue_table(
        "non-budgeted", str(labels.NON_BUDGETED), str(labels.ACTUAL_VALUE), resources.non_budgeted, sheet=str(labels.SHEET_NON_BUDGETED),
    ))
    return [performance, variance_section(report, resources), ga_section(report, resources)]


def by_unit_table(report: Report, resources: ResourcePerformance) -> Table | None:
    """Apportionment, expenditure and variance by department/office (A/76/596), when entered."""
    by_unit = resources.by_unit
    if by_unit is None or not by_unit.has_data:
        return None
    table = Table(
        key="financial-by-unit", title=str(labels.RESOURCES_BY_UNIT), subtitle=_subtitle(report),
        sheet_name=str(labels.SHEET_BY_UNIT),
        columns=[Column("unit", 40), *NUMBER_COLUMNS], header_rows=_variance_header(codes=False),
    )
    table.header_rows[0][0] = Cell(str(labels.DEPARTMENT_OFFICE), rowspan=table.header_rows[0][0].rowspan)
    for row in by_unit.rows:
        table.rows.append(Row(key=row.cls.number, cells=[
            Cell(row.cls.name), amount(row.apportionment), amount(row.expenditure), amount(row.variance), percent(row.percent),
        ]))
    total = by_unit.total
    table.rows.append(Row(kind=RowKind.TOTAL, key="total", cells=[
        Cell(str(labels.TOTAL)), amount(total.apportionment), amount(total.expenditure), amount(total.variance), percent(total.percent),
    ]))
    return table


def detailed_table(report: Report, resources: ResourcePerformance) -> Table:
    table = Table(
        key="financial-detailed", title=str(labels.FINANCIAL_RESOURCES), subtitle=_subtitle(report),
        sheet_name=str(labels.FINANCIAL_RESOURCES),
        columns=[Column("category", 40), *NUMBER_COLUMNS], header_rows=_variance_header(codes=True),
    )
    for row in resources.financial.rows:
        level = 1 if row.cls.parent_id and row.kind != ClassKind.SUBTOTAL else 0
        if row.kind == ClassKind.MEMO:
            level += 1
        table.rows.append(_financial_row(row, level=level))
    return table


def redeployment_table(resources: ResourcePerformance) -> Table:
    redeployment = resources.redeployment
    table = Table(
        key="redeployment", title=str(labels.REDEPLOYMENTS), subtitle=labels.thousands_unit(),
        sheet_name=str(labels.REDEPLOYMENT),
        columns=[Column("category", 40), Column("original", 20, RIGHT, Kind.AMOUNT),
                 Column("redeployment", 20, RIGHT, Kind.AMOUNT), Column("revised", 20, RIGHT, Kind.AMOUNT)],
        header_rows=[
            [Cell(str(labels.CATEGORY), rowspan=2), Cell(str(labels.APPROPRIATION), align=CENTER, colspan=3)],
            [Cell(str(labels.ORIGINAL_DISTRIBUTION), align=RIGHT), Cell(str(labels.REDEPLOYMENT), align=RIGHT),
             Cell(str(labels.REVISED_DISTRIBUTION), align=RIGHT)],
        ],
    )
    for row in redeployment.rows:
        name = f"{row.number} {row.category.name}" if row.number else row.category.name
        table.rows.append(Row(key=row.category.code, cells=[
            Cell(name), amount(row.original), amount(row.redeployment), amount(row.revised),
        ]))
    table.rows.append(Row(kind=RowKind.TOTAL, key="total", cells=[
        Cell(str(labels.TOTAL)), amount(redeployment.total_original), amount(redeployment.total_redeployment),
        amount(redeployment.total_revised),
    ]))
    table.rows.append(Row(key="redeployment-share", cells=[
        Cell(str(labels.REDEPLOYMENT_SHARE), colspan=2), percent(redeployment.percent_of_appropriation), Cell(""),
    ]))
    return table


def monthly_table(resources: ResourcePerformance) -> Table | None:
    """The monthly pattern's figures (a chart in the original), when any month was entered."""
    if not any(month.amount is not None for month in resources.months):
        return None
    table = Table(
        key="monthly-pattern", title=str(labels.MONTHLY_PATTERN), subtitle=labels.thousands_unit(),
        sheet_name=str(labels.MONTHLY_PATTERN),
        columns=[Column("month", 60), Column("expenditure", 40, RIGHT, Kind.AMOUNT)],
        header_rows=[[Cell(str(labels.MONTH)), Cell(str(labels.EXPENDITURE), align=RIGHT)]],
    )
    table.rows.extend(Row(key=month.month.isoformat(), cells=[Cell(month.label), amount(month.amount)]) for month in resources.months)
    table.rows.append(Row(kind=RowKind.TOTAL, key="total", cells=[Cell(str(labels.TOTAL)), amount(resources.monthly_total)]))
    return table


def revenue_table(key: str, title: str, column: str, revenue, *, sheet: str) -> Table:
    table = Table(
        key=key, title=title, subtitle=labels.thousands_unit(), sheet_name=sheet,
        columns=[Column("category", 70), Column("amount", 30, RIGHT, Kind.AMOUNT)],
        header_rows=[[Cell(str(labels.CATEGORY)), Cell(column, align=RIGHT)]],
    )
    markers = iter("abcdefghijklmnopqrstuvwxyz")
    for line in revenue.lines:
        name = line.name
        if line.note:
            marker = next(markers)
            name = f"{name}{SUPERSCRIPTS[marker]}"
            table.notes.append(f"{SUPERSCRIPTS[marker]} {line.note}")
        table.rows.append(Row(key=line.code, cells=[Cell(name), amount(line.amount)]))
    table.rows.append(Row(kind=RowKind.TOTAL, key="total", cells=[Cell(str(labels.TOTAL)), amount(revenue.total)]))
    return table


SUPERSCRIPTS = dict(zip("abcdefghijklmnopqrstuvwxyz", "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖqʳˢᵗᵘᵛʷˣʸᶻ"))


def variance_section(report: Report, resources: ResourcePerformance) -> Section:
    """IV: each class the rule selects, `公务差旅 287.2 90.1%`, then its explanation."""
    report_type = report.report_type
    section = Section(key="variances", title=str(labels.VARIANCE_ANALYSIS), level=1)
    section.blocks.append(Paragraph(
        labels.variance_threshold_note(
            format_count(report_type.variance_threshold_percent.normalize()),
            format_count(report_type.variance_threshold_usd),
        ),
        style="note",
    ))
    for entry in resources.variance_entries:
        row = entry.row
        section.blocks.append(VarianceEntry(
            key=row.cls.code, label=row.cls.name,
            amount=amount(row.variance), percent=percent(row.percent, sign=True),
            paragraphs=list(entry.paragraphs),
        ))
    return section


def ga_section(report: Report, resources: ResourcePerformance) -> Section:
    """V: the amounts the General Assembly decides on, in full dollars (144.5 thousand → 144 500)."""
    ga = resources.ga
    period = report.period
    section = Section(key="ga-actions", title=str(labels.GA_ACTIONS), level=1)
    table = Table(
        key="ga-actions", title=str(labels.GA_ACTIONS), sheet_name=str(labels.SHEET_GA_ACTIONS), show_title=False,
        columns=[Column("item", 70), Column("amount", 30, RIGHT, Kind.DOLLARS)],
        header_rows=[[Cell(str(labels.ITEM)), Cell(str(labels.AMOUNT_DOLLARS), align=RIGHT)]],
        rows=[
            Row(key="unencumbered-balance", cells=[
                Cell(labels.UNENCUMBERED_BALANCE % {"start": labels.long_date(period.start), "end": labels.long_date(period.end)}),
                dollars(ga.unencumbered_balance),
            ]),
            Row(key="other-revenue", cells=[
                Cell(labels.OTHER_REVENUE_FOR_PERIOD % {"end": labels.long_date(period.end)}), dollars(ga.other_revenue),
            ]),
        ],
    )
    table.rows.extend(
        Row(level=1, key=line.code, cells=[Cell(line.name), dollars(line.amount)])
        for line in resources.other_revenue.lines if line.amount
    )
    section.blocks.append(table)
    return section
