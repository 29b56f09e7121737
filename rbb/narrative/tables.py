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
from indicators.models import Indicator, Output, heading_path
from indicators.presentation import completed_display, hq_measures, planned_series
from missions.content import ContentText, content_text, marked
from missions.models import Report, paragraphs
from rbb.lib.figures import Comparator, parse_figure
from rbb.lib.numbers import format_count, format_number

from rbb.ledger.narrative import followup_section

from . import labels, resource_tables
from .selectors import narrative_sources
from .trends import trends_section
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
    if report.report_type.is_programme_plan:
        # The regular budget's programme plan has its own layout (A/78/6 (Sect. 3)). Imported
        # here, not at the top: rbb.programme builds on this package's structure.
        from rbb.programme.narrative import programme_document_build

        return programme_document_build(report=report, language=language)
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
        trends = trends_section(report=report, units=sources.units)
        if trends is not None:
            document.sections.append(trends)
        # Sect. 六, the follow-up summary, closes the report when requests are assigned to it.
        followup = followup_section(report=report)
        if followup is not None:
            document.sections.append(followup)
    return document


# --- II.E Results-based budgeting frameworks --------------------------------------------------


def frameworks_section(*, report: Report, units) -> Section:
    """II.E: per unit its narrative, then per expected accomplishment the two tables.

    Content prints in the document's language; a text that exists only in the other language
    prints in that language, marked untranslated (label and style), never left out.
    """
    headquarters = report.report_type.is_headquarters
    section = Section(key="frameworks", title=str(labels.FRAMEWORKS), level=1)
    for unit in units:
        title = content_text(unit, "title")
        if unit.kind == unit.Kind.COMPONENT:
            heading = labels.component_heading(unit.number, marked(title))
        else:
            heading = labels.unit_heading(unit, title=marked(title))
        section.blocks.append(Paragraph(heading, style="heading2", untranslated=title.fallback))
        section.blocks.extend(Paragraph(text, untranslated=fallback) for text, fallback in _paragraphs(unit, "narrative"))
        for ea in unit.accomplishments.all():
            text = content_text(ea, "text")
            section.blocks.append(Paragraph(_accomplishment_title(ea), style="heading3", untranslated=text.fallback))
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


def _accomplishment_title(ea) -> str:
    return str(labels.accomplishment_heading(ea.number, marked(content_text(ea, "text"))))


def _paragraphs(obj, field: str) -> list[tuple[str, bool]]:
    """The paragraphs of a text in the active language, each marked when untranslated."""
    text = content_text(obj, field)
    return [(marked(ContentText(p, text.language, text.fallback)), text.fallback) for p in paragraphs(text.text)]


def _text_cell(parts: list[tuple[str, bool]], **kwargs) -> Cell:
    """A cell of paragraphs, remembering which ones print in the other language."""
    return Cell(
        paragraphs=tuple(text for text, _fallback in parts),
        untranslated=tuple(index for index, (_text, fallback) in enumerate(parts) if fallback),
        **kwargs,
    )


def _header(*labels_and_aligns) -> list[list[Cell]]:
    return [[Cell(str(label), align=align) for label, align in labels_and_aligns]]


def actual_paragraphs(indicator: Indicator) -> list[tuple[str, bool]]:
    """The actual cell: the narrative paragraphs, then the variance explanation, each with
    whether it is untranslated.

    With no narrative the printed actual stands alone (UNMIK 2.1.10 prints only 不适用).
    """
    parts = _paragraphs(indicator, "actual_narrative") or ([(indicator.actual, False)] if indicator.actual else [])
    explanation = content_text(indicator, "variance_explanation")
    if explanation:
        parts.append((marked(explanation), explanation.fallback))
    return parts


def _statement_cell(indicator: Indicator, *, suffix) -> Cell:
    statement = content_text(indicator, "statement")
    return Cell(suffix(f"{indicator.number} {marked(statement)}"), untranslated=(0,) if statement.fallback else ())


def mission_indicator_table(ea) -> Table:
    table = Table(
        key=f"ea-{ea.number}-indicators",
        title=_accomplishment_title(ea),
        sheet_name=f"{ea.number} {labels.INDICATORS}",
        show_title=False,
        columns=[Column("planned", 50), Column("actual", 50)],
        header_rows=_header((labels.PLANNED_INDICATORS, LEFT), (labels.ACTUAL_INDICATORS, LEFT)),
    )
    for indicator in ea.indicators.all():
        series = planned_series(indicator)
        table.rows.append(
            Row(
                key=indicator.number,
                cells=[
                    _statement_cell(indicator, suffix=lambda text, series=series: labels.with_series(text, series)),
                    _text_cell(actual_paragraphs(indicator), value=_figure_value(indicator.actual)),
                ],
            )
        )
    return table


def mission_output_table(ea) -> Table:
    table = Table(
        key=f"ea-{ea.number}-outputs",
        title=_accomplishment_title(ea),
        sheet_name=f"{ea.number} {labels.OUTPUTS}",
        show_title=False,
        columns=[Column("planned", 40), Column("completed", 14, CENTER), Column("remarks", 46)],
        header_rows=_header((labels.PLANNED_OUTPUTS, LEFT), (labels.COMPLETED, CENTER), (labels.REMARKS, LEFT)),
    )
    heading = None
    for output in ea.outputs.all():
        own = content_text(output, "heading")
        if own and own.text != heading:
            table.rows.append(Row(kind=RowKind.HEADING, key=output.heading or own.text,
                                  cells=[Cell(marked(own), colspan=3, untranslated=(0,) if own.fallback else ())]))
        heading = own.text
        planned = content_text(output, "planned_text")
        table.rows.append(
            Row(
                key=f"{ea.number}/{output.number}",
                cells=[
                    Cell(marked(planned), untranslated=(0,) if planned.fallback else ()),
                    completed_cell(output),
                    _text_cell(_paragraphs(output, "remarks")),
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
        title=_accomplishment_title(ea),
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
        hint = content_text(indicator, "unit_hint")
        lines = tuple(
            labels.measure_line(measure_labels[k], _figure_text(measures[k]))
            for k in ("target", "estimate", "actual") if measures[k].strip()
        )
        table.rows.append(
            Row(
                key=indicator.number,
                cells=[
                    _statement_cell(indicator, suffix=lambda text, hint=hint: labels.with_unit_hint(text, hint.text)),
                    _text_cell(actual_paragraphs(indicator)),
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
        title=_accomplishment_title(ea) if ea is not None else f"{unit.number} {labels.ACTUAL_OUTPUTS}",
        sheet_name=f"{unit.number} {ea.number} {labels.OUTPUTS}" if ea is not None else f"{unit.number} {labels.OUTPUTS}",
        show_title=False,
        columns=[Column("output", 58), Column("planned", 14, RIGHT, Kind.COUNT),
                 Column("actual", 14, RIGHT, Kind.COUNT), Column("ratio", 14, RIGHT, Kind.RATIO)],
        header_rows=_header((labels.OUTPUTS, LEFT), (labels.PLANNED, RIGHT), (labels.ACTUAL, RIGHT), (labels.DELIVERY_RATIO, RIGHT)),
    )
    path: list[str] = []
    for output in outputs:
        heading = content_text(output, "heading")
        new_path = heading_path(heading.text)
        # Nested category headings print once each, where they change (其他实务活动 › 斡旋…).
        for level, part in enumerate(new_path):
            if path[: level + 1] != new_path[: level + 1]:
                table.rows.append(Row(
                    kind=RowKind.HEADING, level=level, key=" › ".join(new_path[: level + 1]),
                    cells=[Cell(marked(ContentText(part, heading.language, heading.fallback)), colspan=4,
                                untranslated=(0,) if heading.fallback else ())],
                ))
        path = new_path
        planned = content_text(output, "planned_text")
        table.rows.append(
            Row(
                key=f"{owner.replace('-', '/')}/{output.number}",
                cells=[
                    Cell(f"{output.number}. {marked(planned)}", untranslated=(0,) if planned.fallback else ()),
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
