"""The bulk export: every framework item of a period as NDJSON or CSV, streamed.

Rows are read with `.iterator(chunk_size=…)` (figures prefetched per chunk) and written one
by one, so memory stays flat however many missions and items the period has. Indicators
come first, then outputs; each in document order (entity, unit, accomplishment, item).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db.models import QuerySet

from indicators import rules
from indicators.api.selectors import figures_prefetch
from indicators.models import Indicator, IndicatorFigure, Output
from missions.api.selectors import scoped_to_user
from rbb.api.formats import plain_decimal

CHUNK_SIZE = 200  # rows in memory at a time: about 2 MB, whatever the size of the export
R = "accomplishment__unit__report"

COLUMNS = [
    "item_type", "id", "mission", "period", "report_id", "report_type", "report_status",
    "unit_number", "unit_title", "accomplishment_number", "accomplishment_text",
    "number", "heading", "text", "measure", "unit_hint", "direction",
    "baselines", "target", "target_value", "estimate", "estimate_value",
    "actual", "actual_value", "actual_narrative", "variance_explanation",
    "planned_quantity", "planned_value", "completed_kind", "completed", "completed_value", "remarks",
    "delivery_ratio", "flags", "needs_explanation", "version", "updated_at",
]
_ORDER = (f"{R}__mission__code", f"{R}_id", "accomplishment__unit__order", "accomplishment__unit_id",
          "accomplishment__order", "accomplishment_id", "order", "id")
_PLACE = (
    "accomplishment", "accomplishment__number", "accomplishment__text",
    "accomplishment__unit", "accomplishment__unit__number", "accomplishment__unit__title",
    R, f"{R}__status", f"{R}__tolerance_percent", f"{R}__ratio_low", f"{R}__ratio_high",
    f"{R}__mission", f"{R}__mission__code", f"{R}__period", f"{R}__period__label",
    f"{R}__report_type", f"{R}__report_type__code", f"{R}__report_type__shape",
)
_RELATED = (f"{R}__mission", f"{R}__period", f"{R}__report_type")


def _scope(qs: QuerySet, *, user, period: str, mission: str | None, report_type: str | None) -> QuerySet:
    qs = scoped_to_user(qs.filter(**{f"{R}__period__label": period}), user=user, mission_field=f"{R}__mission_id")
    if mission:
        qs = qs.filter(**{f"{R}__mission__code__iexact": mission})
    if report_type:
        qs = qs.filter(**{f"{R}__report_type__code": report_type})
    return qs


def export_indicators(*, user, period: str, mission: str | None = None, report_type: str | None = None) -> QuerySet[Indicator]:
    qs = (
        Indicator.objects.select_related(*_RELATED)
        .only(*_PLACE, "number", "statement", "measure", "unit_hint", "direction", "order", "actual", "actual_value",
              "actual_narrative", "variance_explanation", "version", "updated_at")
        .prefetch_related(figures_prefetch())
        .order_by(*_ORDER)
    )
    return _scope(qs, user=user, period=period, mission=mission, report_type=report_type)


def export_outputs(*, user, period: str, mission: str | None = None, report_type: str | None = None) -> QuerySet[Output]:
    qs = (
        Output.objects.select_related(*_RELATED)
        .only(*_PLACE, "number", "heading", "planned_text", "planned_quantity", "planned_value", "order",
              "completed_kind", "completed", "completed_value", "remarks", "version", "updated_at")
        .order_by(*_ORDER)
    )
    return _scope(qs, user=user, period=period, mission=mission, report_type=report_type)


def export_rows(indicators: QuerySet[Indicator], outputs: QuerySet[Output]) -> Iterator[dict]:
    """Yield one dict per item, values not print strings (decimals as strings)."""
    for indicator in indicators.iterator(chunk_size=CHUNK_SIZE):
        yield _indicator_row(indicator)
        # Prefetching links each figure back to its indicator, a reference cycle that only the
        # garbage collector frees, late: dropping the figures lets each chunk go once written.
        indicator._prefetched_objects_cache.clear()
    for output in outputs.iterator(chunk_size=CHUNK_SIZE):
        yield _output_row(output)


def _place(item, item_type: str) -> dict:
    ea = item.accomplishment
    unit = ea.unit
    report = unit.report
    return {
        "item_type": item_type, "id": item.pk, "mission": report.mission.code, "period": report.period.label,
        "report_id": report.pk, "report_type": report.report_type.code, "report_status": report.status,
        "unit_number": unit.number, "unit_title": unit.title,
        "accomplishment_number": ea.number, "accomplishment_text": ea.text, "number": item.number,
    }


def _figure(figure: IndicatorFigure | None) -> tuple[str, str | None]:
    return ("", None) if figure is None else (figure.printed, plain_decimal(figure.value))


def _indicator_row(indicator: Indicator) -> dict:
    report = indicator.accomplishment.unit.report
    figures = list(indicator.figures.all())
    by_kind = {f.kind: f for f in figures if f.kind != IndicatorFigure.Kind.BASELINE}
    target, target_value = _figure(by_kind.get(IndicatorFigure.Kind.TARGET))
    estimate, estimate_value = _figure(by_kind.get(IndicatorFigure.Kind.ESTIMATE))
    state = rules.indicator_state(indicator, tolerance_percent=report.tolerance_percent)
    return {
        **_place(indicator, "indicator"),
        "heading": "", "text": indicator.statement, "measure": indicator.measure, "unit_hint": indicator.unit_hint,
        "direction": indicator.direction,
        "baselines": [
            {"period": f.period_label, "printed": f.printed, "value": plain_decimal(f.value), "not_applicable": f.not_applicable}
            for f in figures if f.kind == IndicatorFigure.Kind.BASELINE
        ],
        "target": target, "target_value": target_value, "estimate": estimate, "estimate_value": estimate_value,
        "actual": indicator.actual, "actual_value": plain_decimal(indicator.actual_value),
        "actual_narrative": indicator.actual_narrative, "variance_explanation": indicator.variance_explanation,
        "planned_quantity": "", "planned_value": None, "completed_kind": "", "completed": "", "completed_value": None,
        "remarks": "", "delivery_ratio": None,
        "flags": [flag.code for flag in state.flags], "needs_explanation": state.needs_explanation,
        "version": indicator.version, "updated_at": indicator.updated_at.isoformat(),
    }


def _output_row(output: Output) -> dict:
    report = output.accomplishment.unit.report
    state = rules.output_state(output, **rules.report_rule_options(report))
    return {
        **_place(output, "output"),
        "heading": output.heading, "text": output.planned_text, "measure": "", "unit_hint": "", "direction": "",
        "baselines": [], "target": "", "target_value": None, "estimate": "", "estimate_value": None,
        "actual": "", "actual_value": None, "actual_narrative": "", "variance_explanation": "",
        "planned_quantity": output.planned_quantity, "planned_value": plain_decimal(output.planned_value),
        "completed_kind": output.completed_kind, "completed": output.completed,
        "completed_value": plain_decimal(output.completed_value), "remarks": output.remarks,
        "delivery_ratio": _ratio(rules.output_delivery_ratio(output)),
        "flags": [flag.code for flag in state.flags], "needs_explanation": state.needs_explanation,
        "version": output.version, "updated_at": output.updated_at.isoformat(),
    }


def _ratio(value: Decimal | None) -> str | None:
    """A delivery ratio keeps its one decimal, as the API's items give it: "77.0"."""
    return None if value is None else str(value)


# --- encoders ------------------------------------------------------------------------------


def ndjson_lines(rows: Iterable[dict]) -> Iterator[bytes]:
    for row in rows:
        yield (json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


class _Line:
    """A write-only file for csv.writer that hands back what it was given (Django's streaming CSV recipe)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[dict], *, bom: bool = False) -> Iterator[bytes]:
    """CSV in UTF-8; with bom=True a byte-order mark first, so Excel opens the Chinese text as such."""
    writer = csv.writer(_Line())
    yield (("\ufeff" if bom else "") + writer.writerow(COLUMNS)).encode("utf-8")
    for row in rows:
        yield writer.writerow([_csv_cell(row[column]) for column in COLUMNS]).encode("utf-8")


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        # Baselines print as in the document's series: 2018/19: 574; 2019/20: 不适用
        return "; ".join(f"{v['period']}: {v['printed']}" if isinstance(v, dict) else str(v) for v in value)
    return str(value)
