"""Build a report's narrative tables, in the performance report's order (domain.md §5).

Summary (financial table, human resources incumbency) · II.E the results-based budgeting
frameworks · III resource performance (detailed financial table, redeployment, other
revenue, non-budgeted contributions) · IV analysis of variances · V amounts for the General
Assembly. Money and people sections appear when the report has resource figures.

Everything is read once through rbb.narrative.selectors and printed through
rbb.lib.numbers; the result is format-neutral (rbb.narrative.structure).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation

from indicators import rules
from indicators.models import Indicator, Output
from indicators.presentation import completed_display, hq_measures, planned_series
from missions.models import Report
from rbb.lib.figures import Comparator, parse_figure
from rbb.lib.numbers import format_count, format_number

from . import labels, resource_tables
from .selectors import narrative_sources
from .structure import (
    CENTER,
    LEFT,
    RIGHT,
    Cell,
    Column,
    Document,
    Kind,
    Paragraph,
    Row,
    RowKind,
    Section,
    Table,
)


def document_build(*, report: Report, language: str) -> Document:
    """Return the report's narrative tables with labels in `language` (en or zh-hans)."""
    with translation.override(language):
        # Loaded in the language too: class names and month labels are localised as they load.
        sources = narrative_sources(report=report)
        mission = report.mission
        document = Document(
            title=f"{mission.name} · {report.period.label}",
            subtitle=" · ".join(part for part in (str(labels.NARRATIVE_TABLES), report.symbol) if part),
            language=language,
        )
        summary = resource_tables.summary_section(report=report, resources=sources.resources)
        if summary is not None:
            document.sections.append(summary)
        document.sections.append(frameworks_section(report=report, units=sources.units))
        document.sections.extend(resource_tables.resource_sections(report=report, resources=sources.resources))
    return document


# --- II.E Results-based budgeting frameworks --------------------------------------------------


def frameworks_section(*, report: Report, units) -> Section:
    """II.E: per unit its narrative, then per expected accomplishment the two tables."""
    headquarters = report.report_type.is_headquarters
    section = Section(key="frameworks", title=str(labels.FRAMEWORKS), level=1)
    for unit in units:
        if unit.kind == unit.Kind.COMPONENT:
            title = labels.component_heading(unit.number, unit.title)
        else:
            title = labels.unit_heading(unit)
        section.blocks.append(Paragraph(title, style="heading2"))
        section.blocks.extend(Paragraph(text) for text in unit.paragraphs)
        for ea in unit.accomplishments.all():
            section.blocks.append(Paragraph(labels.accomplishment_heading(ea.number, ea.text), style="heading3"))
            if headquarters:
                section.blocks.append(hq_indicator_table(unit, ea))
                outputs = list(ea.outputs.all())
                if outputs:  # an accomplishment without outputs prints no empty table
                    section.blocks.append(hq_output_table(unit, outputs, ea=ea))
            else:
                section.blocks.append(mission_indicator_table(ea))
                section.blocks.append(mission_output_table(ea))
        # Headquarters: one outputs table for the unit, after its indicator tables (A/76/596).
        unit_outputs = getattr(unit, "unit_outputs", [])
        if unit_outputs:
            section.blocks.append(Paragraph(str(labels.ACTUAL_OUTPUTS), style="heading3"))
            section.blocks.append(hq_output_table(unit, unit_outputs))
    return section


def _header(*labels_and_aligns) -> list[list[Cell]]:
    return [[Cell(str(label), align=align) for label, align in labels_and_aligns]]


def actual_paragraphs(indicator: Indicator) -> tuple[str, ...]:
    """The actual cell: the narrative paragraphs, then the variance explanation.

    With no narrative the printed actual stands alone (UNMIK 2.1.10 prints only 不适用).
    """
    paragraphs = list(indicator.narrative_paragraphs) or ([indicator.actual] if indicator.actual else [])
    if indicator.variance_explanation.strip():
        paragraphs.append(indicator.variance_explanation.strip())
    return tuple(paragraphs)


def mission_indicator_table(ea) -> Table:
    table = Table(
        key=f"ea-{ea.number}-indicators",
        title=str(labels.accomplishment_heading(ea.number, ea.text)),
        sheet_name=f"{ea.number} {labels.INDICATORS}",
        show_title=False,
        columns=[Column("planned", 50), Column("actual", 50)],
        header_rows=_header((labels.PLANNED_INDICATORS, LEFT), (labels.ACTUAL_INDICATORS, LEFT)),
    )
    for indicator in ea.indicators.all():
        planned = labels.with_series(f"{indicator.number} {indicator.statement}", planned_series(indicator))
        table.rows.append(
            Row(
                key=indicator.number,
                cells=[
                    Cell(planned),
                    Cell(paragraphs=actual_paragraphs(indicator), value=_figure_value(indicator.actual)),
                ],
            )
        )
    return table


def mission_output_table(ea) -> Table:
    table = Table(
        key=f"ea-{ea.number}-outputs",
        title=str(labels.accomplishment_heading(ea.number, ea.text)),
        sheet_name=f"{ea.number} {labels.OUTPUTS}",
        show_title=False,
        columns=[Column("planned", 40), Column("completed", 14, CENTER), Column("remarks", 46)],
        header_rows=_header((labels.PLANNED_OUTPUTS, LEFT), (labels.COMPLETED, CENTER), (labels.REMARKS, LEFT)),
    )
    heading = None
    for output in ea.outputs.all():
        if output.heading and output.heading != heading:
            table.rows.append(Row(kind=RowKind.HEADING, key=output.heading, cells=[Cell(output.heading, colspan=3)]))
        heading = output.heading
        table.rows.append(
            Row(
                key=f"{ea.number}/{output.number}",
                cells=[
                    Cell(output.planned_text.strip()),
                    completed_cell(output),
                    Cell(paragraphs=tuple(output.remark_paragraphs)),
                ],
            )
        )
    return table


def completed_cell(output: Output) -> Cell:
    """是 / 否 / 250 / `180; 841` / blank, with the number(s) as raw value."""
    text = str(completed_display(output))
    kind = output.completed_kind
    if kind == Output.Completed.NUMBER and output.completed_value is not None:
        return Cell(text, value=output.completed_value, kind=Kind.COUNT, align=CENTER)
    if kind == Output.Completed.NUMBERS:
        return Cell(text, value=tuple(output.completed_values), align=CENTER)
    return Cell(text, value=kind, align=CENTER)


def hq_indicator_table(unit, ea) -> Table:
    """Planned | actual indicators | performance measures (业绩计量): target, estimate, actual, each labelled."""
    table = Table(
        key=f"{unit.number}-{ea.number}-indicators",
        title=str(labels.accomplishment_heading(ea.number, ea.text)),
        sheet_name=f"{unit.number} {ea.number} {labels.INDICATORS}",
        show_title=False,
        columns=[Column("planned", 35), Column("actual_narrative", 45), Column("measures", 20)],
        header_rows=_header(
            (labels.PLANNED_INDICATORS, LEFT), (labels.ACTUAL_INDICATORS, LEFT), (labels.PERFORMANCE_MEASURES, LEFT),
        ),
    )
    measure_labels = {"target": labels.TARGET, "estimate": labels.ESTIMATE, "actual": labels.ACTUAL}
    for indicator in ea.indicators.all():
        measures = hq_measures(indicator)
        planned = labels.with_unit_hint(f"{indicator.number} {indicator.statement}", indicator.unit_hint)
        lines = tuple(
            labels.measure_line(measure_labels[k], _figure_text(measures[k]))
            for k in ("target", "estimate", "actual") if measures[k].strip()
        )
        table.rows.append(
            Row(
                key=indicator.number,
                cells=[
                    Cell(planned),
                    Cell(paragraphs=actual_paragraphs(indicator)),
                    Cell(paragraphs=lines),
                ],
            )
        )
    return table


def hq_output_table(unit, outputs: list, *, ea=None) -> Table:
    """Output | planned | actual | delivery ratio %, under nested category headings.

    A unit's own outputs (headquarters) print in one table after its indicator tables; older
    files may still hold outputs under an accomplishment (ea), printed after its indicators.
    """
    owner = f"{unit.number}-{ea.number}" if ea is not None else f"{unit.number}"
    table = Table(
        key=f"{owner}-outputs",
        title=str(labels.accomplishment_heading(ea.number, ea.text)) if ea is not None else f"{unit.number} {labels.ACTUAL_OUTPUTS}",
        sheet_name=f"{unit.number} {ea.number} {labels.OUTPUTS}" if ea is not None else f"{unit.number} {labels.OUTPUTS}",
        show_title=False,
        columns=[Column("output", 58), Column("planned", 14, RIGHT, Kind.COUNT),
                 Column("actual", 14, RIGHT, Kind.COUNT), Column("ratio", 14, RIGHT, Kind.RATIO)],
        header_rows=_header((labels.OUTPUTS, LEFT), (labels.PLANNED, RIGHT), (labels.ACTUAL, RIGHT), (labels.DELIVERY_RATIO, RIGHT)),
    )
    path: list[str] = []
    for output in outputs:
        new_path = output.heading_path
        # Nested category headings print once each, where they change (其他实务活动 › 斡旋…).
        for level, part in enumerate(new_path):
            if path[: level + 1] != new_path[: level + 1]:
                table.rows.append(Row(kind=RowKind.HEADING, level=level, key=" › ".join(new_path[: level + 1]),
                                      cells=[Cell(part, colspan=4)]))
        path = new_path
        table.rows.append(
            Row(
                key=f"{owner.replace('-', '/')}/{output.number}",
                cells=[
                    Cell(f"{output.number}. {output.planned_text.strip()}"),
                    _figure_cell(output.planned_quantity),
                    _figure_cell(str(completed_display(output)), value=output.completed_value)
                    if output.completed_kind == Output.Completed.NUMBER
                    else Cell(str(completed_display(output)), align=RIGHT),
                    ratio_cell(output),
                ],
            )
        )
    return table


def ratio_cell(output: Output) -> Cell:
    """The delivery ratio with one decimal; an actual printed as 不适用 or — prints the same mark."""
    not_applicable = output.completed_kind == Output.Completed.NUMBER and parse_figure(output.completed).not_applicable
    if not_applicable:
        return Cell(output.completed, align=RIGHT)
    ratio = rules.output_delivery_ratio(output)
    # 0.0 is a real ratio (nothing delivered); undefined prints nothing.
    return Cell(format_number(ratio, zero_as_nil=False, nil=""), value=ratio, kind=Kind.RATIO, align=RIGHT)


def _figure_text(printed: str) -> str:
    """A figure inside a text cell, through the one formatting module when it is a plain number."""
    value = _figure_value((printed or "").strip())
    return format_count(value) if value is not None else (printed or "").strip()


def _figure_value(printed: str) -> Decimal | None:
    """The number of a printed figure when it is one plain number (`100`, `1 300`, `0.55`)."""
    figure = parse_figure(printed)
    if figure.value is None or figure.percent or figure.comparator not in ("", Comparator.EQ):
        return None
    if "/" in figure.printed:
        return None
    return figure.value


def _figure_cell(printed: str, *, value: Decimal | None = None) -> Cell:
    """A target, estimate, actual or quantity as printed; numeric when it is a plain number."""
    printed = (printed or "").strip()
    value = value if value is not None else _figure_value(printed)
    if value is None:
        return Cell(printed, align=RIGHT)
    # Print through the one formatting module, so `1300` and `1 300` both read `1 300`.
    return Cell(format_count(value), value=value, kind=Kind.COUNT, align=RIGHT)
