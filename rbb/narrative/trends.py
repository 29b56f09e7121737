"""The narrative's trends section (issue 14 §5): each item's series across the periods of its lineage.

Only for an entity with reports in other periods; then a table of the indicators and one of
the outputs, one column per period, and a chart per indicator with a history. Charts are
blocks the renderers draw (rbb.trends.charts, cached by content): DOCX as PNG, the HTML
file and the PDF as SVG, the page by URL.
"""

from __future__ import annotations

from indicators.series import Series, report_series
from missions.models import Report

from . import labels
from .structure import LEFT, RIGHT, Cell, Chart, Column, Row, Section, Table

DASH = "—"


def trends_section(*, report: Report, units) -> Section | None:
    """The section, or None when the entity has no other period (one query) or no item has a history."""
    if not Report.objects.filter(mission_id=report.mission_id).exclude(pk=report.pk).exists():
        return None
    series = report_series(report=report)
    indicators, outputs = [], []
    for unit in units:
        for ea in unit.accomplishments.all():
            indicators += [(i, series[("indicator", i.pk)]) for i in ea.indicators.all() if _has_history(series.get(("indicator", i.pk)))]
            outputs += [(o, series[("output", o.pk)], ea) for o in ea.outputs.all() if _has_history(series.get(("output", o.pk)))]
    if not indicators and not outputs:
        return None
    section = Section(key="trends", title=str(labels.TRENDS), level=1)
    if indicators:
        section.blocks.append(_indicator_table(indicators))
        for indicator, item_series in indicators:
            section.blocks.append(Chart(
                key=f"trend-indicator-{indicator.pk}", title=f"{indicator.number} {indicator.statement}"[:200], kind="indicator",
                report_id=report.pk, item_id=indicator.pk, series=item_series,
            ))
    if outputs:
        section.blocks.append(_output_table(outputs, headquarters=report.report_type.is_headquarters))
    return section


def _has_history(series: Series | None) -> bool:
    """Held by a report of more than one period (printed baselines alone are not a history here)."""
    return series is not None and sum(1 for point in series.points if point.item_id) > 1


def _periods(all_series) -> list[str]:
    return sorted({point.period for series in all_series for point in series.points})


def _columns(periods: list[str]) -> list[Column]:
    first = 30
    share, rest = divmod(100 - first, max(len(periods), 1))
    columns = [Column("item", first + rest)]
    columns += [Column(f"period-{period}", share, align=RIGHT) for period in periods]
    return columns


def _indicator_table(rows) -> Table:
    periods = _periods(series for _item, series in rows)
    table = Table(
        key="trends-indicators", title=str(labels.TRENDS_INDICATORS), columns=_columns(periods),
        header_rows=[[Cell(str(labels.INDICATORS), align=LEFT)] + [Cell(period, align=RIGHT) for period in periods]],
        notes=[str(labels.TRENDS_INDICATOR_NOTE)], sheet_name=str(labels.SHEET_TRENDS_INDICATORS),
    )
    for indicator, series in rows:
        points = {point.period: point for point in series.points}
        cells = [Cell(f"{indicator.number} {indicator.statement}")]
        for period in periods:
            point = points.get(period)
            if point is None:
                text = ""
            elif point.item_id is None:
                text = point.baseline or DASH
            else:
                text = f"{point.actual or DASH} ({point.target or DASH})"
            cells.append(Cell(text, align=RIGHT))
        table.rows.append(Row(cells, key=f"indicator {indicator.number}"))
    return table


def _output_table(rows, *, headquarters: bool) -> Table:
    periods = _periods(series for _item, series, _ea in rows)
    table = Table(
        key="trends-outputs", title=str(labels.TRENDS_OUTPUTS), columns=_columns(periods),
        header_rows=[[Cell(str(labels.OUTPUTS), align=LEFT)] + [Cell(period, align=RIGHT) for period in periods]],
        notes=[str(labels.TRENDS_OUTPUT_NOTE)], sheet_name=str(labels.SHEET_TRENDS_OUTPUTS),
    )
    for output, series, ea in rows:
        points = {point.period: point for point in series.points}
        label = f"{ea.unit.number} {ea.number} / {output.number}" if headquarters else f"{ea.number} / {output.number}"
        cells = [Cell(f"{label} {output.planned_text}"[:300])]
        for period in periods:
            point = points.get(period)
            cells.append(Cell("" if point is None else f"{point.completed or DASH} / {point.planned or DASH}", align=RIGHT))
        table.rows.append(Row(cells, key=f"output {label}"))
    return table
