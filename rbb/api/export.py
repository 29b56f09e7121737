"""The bulk export: every framework item of a period as NDJSON or CSV, streamed.

Indicators come first, then outputs; each in document order (entity, unit, accomplishment,
item). The items are read as tuples through chunked cursors, never as model instances: the
places they hang on (report, unit, accomplishment) are few and are loaded once into a dict,
and the figures of the indicators come from a second cursor in the same order, merged on the
way. So the export runs a fixed number of queries and its memory stays flat however many
items the period has. Lines are written in blocks of about 64 KB.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, closing, contextmanager
from datetime import datetime, timezone
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import F, QuerySet, TextField
from django.db.models.functions import Cast

from indicators import rules
from indicators.models import Indicator, IndicatorFigure, Output
from missions.api.selectors import scoped_to_user
from missions.models import Report, Unit
from rbb.api.formats import plain_decimal
from rbb.lib.cells import neutralise
from rbb.lib.figures import Figure, parse_figure
from rbb.lib.read_ahead import ReadAhead

CHUNK_SIZE = 2000  # rows fetched from a cursor at a time: a few MB, whatever the size of the export
BLOCK_SIZE = 64 * 1024  # characters written at a time
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
# Every output has a unit (a headquarters unit's own outputs have no accomplishment): they
# follow the unit's accomplishments' outputs, in the order the narrative prints them.
OUTPUT_REPORT = "unit__report"
_OUTPUT_ORDER = (f"{OUTPUT_REPORT}__mission__code", f"{OUTPUT_REPORT}_id", "unit__order", "unit_id",
                 F("accomplishment__order").asc(nulls_last=True), "accomplishment_id", "order", "id")


# Where the item hangs: the same for every item of an accomplishment.
PLACE_COLUMNS = ("mission", "period", "report_id", "report_type", "report_status",
                 "unit_number", "unit_title", "accomplishment_number", "accomplishment_text")
# What an item of each type leaves empty: the other type's columns.
EMPTY = {
    "indicator": {"heading": "", "planned_quantity": "", "planned_value": None, "completed_kind": "", "completed": "",
                  "completed_value": None, "remarks": "", "delivery_ratio": None},
    "output": {"measure": "", "unit_hint": "", "direction": "", "baselines": [], "target": "", "target_value": None,
               "estimate": "", "estimate_value": None, "actual": "", "actual_value": None, "actual_narrative": "",
               "variance_explanation": ""},
}
# The item's own columns, in the order _indicator_row and _output_row give them.
OWN_COLUMNS = {
    item_type: tuple(c for c in COLUMNS if c != "item_type" and c not in PLACE_COLUMNS and c not in empty)
    for item_type, empty in EMPTY.items()
}


class Place:
    """An accomplishment's place columns, and the same written as JSON (once, not per item)."""

    __slots__ = ("values", "json")

    def __init__(self, values: dict):
        self.values = values
        self.json = ",".join(_write(column, values[column]) for column in PLACE_COLUMNS)


class ExportRow(NamedTuple):
    """One item of the export: its type, its place and its own values (OWN_COLUMNS order)."""

    item_type: str
    place: Place
    values: tuple

    def as_dict(self) -> dict:
        """Every column, in COLUMNS order; decimals as strings, not print strings."""
        row = {"item_type": self.item_type, **EMPTY[self.item_type], **self.place.values,
               **dict(zip(OWN_COLUMNS[self.item_type], self.values))}
        return {column: row[column] for column in COLUMNS}


def _scope(qs: QuerySet, *, user, period: str, mission: str | None, report_type: str | None, report: str = R) -> QuerySet:
    """The rows of the period that the user may see; `report` leads from a row to its report."""
    qs = scoped_to_user(qs.filter(**{f"{report}__period__label": period}), user=user, mission_field=f"{report}__mission_id")
    if mission:
        qs = qs.filter(**{f"{report}__mission__code__iexact": mission})
    if report_type:
        qs = qs.filter(**{f"{report}__report_type__code": report_type})
    return qs


def export_indicators(*, user, period: str, mission: str | None = None, report_type: str | None = None) -> QuerySet[Indicator]:
    return _scope(Indicator.objects.order_by(*_ORDER), user=user, period=period, mission=mission, report_type=report_type)


def export_outputs(*, user, period: str, mission: str | None = None, report_type: str | None = None) -> QuerySet[Output]:
    return _scope(
        Output.objects.order_by(*_OUTPUT_ORDER), user=user, period=period, mission=mission, report_type=report_type,
        report=OUTPUT_REPORT,
    )


# --- rows ----------------------------------------------------------------------------------------
# The rules (indicators.rules) read a handful of attributes of an item; these tuples carry them
# under the model's names, so the rules run unchanged without building model instances.

_Kind = IndicatorFigure.Kind
_BASELINE, _TARGET, _ESTIMATE = _Kind.BASELINE.value, _Kind.TARGET.value, _Kind.ESTIMATE.value  # plain str, compared per figure

# The same printed values recur across items (100, 95%, 不适用): parse each once. parse_figure is
# pure and its Figure immutable, so the cache may outlive the request; its size is bounded.
_parsed = lru_cache(maxsize=4096)(parse_figure)


class _Figure(NamedTuple):
    indicator_id: int
    kind: str
    period_label: str
    printed: str
    value: Decimal | None
    not_applicable: bool

    @property
    def figure(self) -> Figure:
        return _parsed(self.printed)


class _Figures(list):
    """An indicator's figures, answering `.all()` as prefetched figures do."""

    def all(self) -> _Figures:
        return self


class _Indicator(NamedTuple):
    id: int
    accomplishment_id: int
    number: str
    statement: str
    measure: str
    unit_hint: str
    direction: str
    actual: str
    actual_value: Decimal | None
    actual_narrative: str
    variance_explanation: str
    version: int
    updated_at: str  # as text, see _columns
    figures: _Figures

    @property
    def actual_figure(self) -> Figure:
        return _parsed(self.actual)


class _Output(NamedTuple):
    id: int
    unit_id: int
    accomplishment_id: int | None
    number: str
    heading: str
    planned_text: str
    planned_quantity: str
    planned_value: Decimal | None
    completed_kind: str
    completed: str
    completed_value: Decimal | None
    remarks: str
    version: int
    updated_at: str  # as text, see _columns


def _columns(fields: Iterable[str]) -> list:
    """The fields for values_list; updated_at as text.

    Loading a timestamp with time zone goes through Django's loader, written in Python: it cost
    more than the rest of the row. Parsed back by _isoformat, the text gives the same value.
    """
    return [Cast(field, TextField()) if field == "updated_at" else field for field in fields]


def _isoformat(text: str) -> str:
    """A timestamp read as text, written as the aware UTC datetime Django loads: 2021-03-04T10:20:30.500000+00:00.

    PostgreSQL writes it in ISO style in the connection's time zone, which Django sets to UTC
    (`2021-03-04 10:20:30.5+00`); SQLite stores it in UTC without an offset. Any other style
    fails here loudly rather than writing a wrong time.
    """
    moment = datetime.fromisoformat(text)
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).isoformat()


@contextmanager
def _one_snapshot():
    """Read everything in one transaction that sees one state of the database.

    The figures are matched to the indicators by reading both in the same order, which holds
    only if both queries see the same rows. On PostgreSQL that takes REPEATABLE READ (each
    statement of a READ COMMITTED transaction sees its own snapshot); inside a transaction
    already begun (tests), the isolation is whatever that one has. In a transaction the
    server-side cursors also stream as read, where in autocommit Django declares them WITH HOLD
    and PostgreSQL copies each whole result first.
    """
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def export_figures(*, user, period: str, mission: str | None = None, report_type: str | None = None) -> QuerySet[IndicatorFigure]:
    """The figures of export_indicators(**scope), in their indicators' order.

    Filtered through their own joins rather than `indicator__in`: PostgreSQL then keeps only the
    period's figures before sorting, not every period's (40 → 12 ms at scale 1).
    """
    ordered = IndicatorFigure.objects.order_by(*(f"indicator__{field}" for field in _ORDER), "order", "id")
    return _scope(ordered, user=user, period=period, mission=mission, report_type=report_type, report=f"indicator__{R}")


def export_rows(*, user, period: str, mission: str | None = None, report_type: str | None = None) -> Iterator[ExportRow]:
    """Yield one row per item the user may see in the period: indicators, then outputs, each in document order."""
    scope = {"user": user, "period": period, "mission": mission, "report_type": report_type}
    indicators, outputs, figures = export_indicators(**scope), export_outputs(**scope), export_figures(**scope)
    with _one_snapshot(), ExitStack() as readers:  # the readers stop before the snapshot ends
        places, unit_places, options = _places(_scope(Unit.objects.all(), report="report", **scope))

        def rows(queryset: QuerySet, fields: Iterable[str]) -> Iterable[tuple]:
            return readers.enter_context(closing(_read(queryset.values_list(*_columns(fields)))))

        indicator_rows = _with_figures(rows(indicators, _Indicator._fields[:-1]), rows(figures, _Figure._fields))
        output_rows = None
        for indicator in indicator_rows:
            if output_rows is None:  # read the outputs ahead once the indicators have come
                output_rows = rows(outputs, _Output._fields)
            place = places[indicator.accomplishment_id]
            yield _indicator_row(indicator, place, options[place.values["report_id"]])
        for output in map(_Output._make, output_rows or rows(outputs, _Output._fields)):
            place = places[output.accomplishment_id] if output.accomplishment_id else unit_places[output.unit_id]
            yield _output_row(output, place, options[place.values["report_id"]])


class _Rows:
    """A queryset's rows read in this thread, as ReadAhead gives them (for SQLite)."""

    def __init__(self, queryset: QuerySet):
        self._rows = queryset.iterator(chunk_size=CHUNK_SIZE)

    def __iter__(self) -> Iterator:
        return self._rows

    def close(self) -> None:
        self._rows.close()


def _read(queryset: QuerySet):
    """The rows through chunked cursors; on PostgreSQL read ahead by a thread (rbb.lib.read_ahead),
    so that the database sorts and sends while this thread writes. SQLite is read in-process."""
    if connection.vendor == "postgresql":
        return ReadAhead(lambda: queryset.iterator(chunk_size=CHUNK_SIZE), chunk_size=CHUNK_SIZE)
    return _Rows(queryset)


def _places(units: QuerySet[Unit]) -> tuple[dict[int, Place], dict[int, Place], dict[int, dict]]:
    """Where the items hang: by accomplishment id, by unit id (a unit's own outputs), and each report's rule options.

    There are a few thousand accomplishments in the largest period, against tens of thousands
    of items: each is read, and written as JSON, once, not once per item. One query reads the
    units joined to their accomplishments (a unit without any still gives its row).
    """
    rows = list(units.values_list(
        "accomplishments__pk", "accomplishments__number", "accomplishments__text", "pk", "number", "title", "report_id",
    ))
    reports = {
        report.pk: report
        for report in Report.objects.filter(pk__in={row[-1] for row in rows}).select_related("mission", "period", "report_type")
    }

    def place(report_id, unit_number, unit_title, number, text) -> Place:
        report = reports[report_id]
        return Place({
            "mission": report.mission.code, "period": report.period.label, "report_id": report_id,
            "report_type": report.report_type.code, "report_status": report.status,
            "unit_number": unit_number, "unit_title": unit_title, "accomplishment_number": number, "accomplishment_text": text,
        })

    places, unit_places = {}, {}
    for pk, number, text, unit_id, unit_number, unit_title, report_id in rows:
        if pk is not None:
            places[pk] = place(report_id, unit_number, unit_title, number, text)
        if unit_id not in unit_places:
            unit_places[unit_id] = place(report_id, unit_number, unit_title, "", "")
    options = {pk: rules.report_rule_options(report) for pk, report in reports.items()}
    return places, unit_places, options


def _with_figures(indicators: Iterable[tuple], figures: Iterable[tuple]) -> Iterator[_Indicator]:
    """Attach each indicator's figures, both read in the same order (one snapshot, see above)."""
    figures = map(_Figure._make, figures)
    pending = next(figures, None)
    for row in indicators:
        own = _Figures()
        while pending is not None and pending.indicator_id == row[0]:
            own.append(pending)
            pending = next(figures, None)
        yield _Indicator(*row, own)
    if pending is not None:
        raise RuntimeError(f"figure of indicator {pending.indicator_id} read out of order")


def _figure(figure: _Figure | None) -> tuple[str, str | None]:
    return ("", None) if figure is None else (figure.printed, plain_decimal(figure.value))


def _indicator_row(indicator: _Indicator, place: Place, options: dict) -> ExportRow:
    figures = indicator.figures
    by_kind = {f.kind: f for f in figures if f.kind != _BASELINE}
    target, target_value = _figure(by_kind.get(_TARGET))
    estimate, estimate_value = _figure(by_kind.get(_ESTIMATE))
    state = rules.indicator_state(indicator, tolerance_percent=options["tolerance_percent"])
    return ExportRow("indicator", place, (  # in OWN_COLUMNS["indicator"] order
        indicator.id, indicator.number, indicator.statement, indicator.measure, indicator.unit_hint, indicator.direction,
        [
            {"period": f.period_label, "printed": f.printed, "value": plain_decimal(f.value), "not_applicable": f.not_applicable}
            for f in figures if f.kind == _BASELINE
        ],
        target, target_value, estimate, estimate_value,
        indicator.actual, plain_decimal(indicator.actual_value), indicator.actual_narrative, indicator.variance_explanation,
        [flag.code for flag in state.flags], state.needs_explanation, indicator.version, _isoformat(indicator.updated_at),
    ))


def _output_row(output: _Output, place: Place, options: dict) -> ExportRow:
    state = rules.output_state(output, **options)
    return ExportRow("output", place, (  # in OWN_COLUMNS["output"] order
        output.id, output.number, output.heading, output.planned_text,
        output.planned_quantity, plain_decimal(output.planned_value), output.completed_kind, output.completed,
        plain_decimal(output.completed_value), output.remarks, _ratio(rules.output_delivery_ratio(output)),
        [flag.code for flag in state.flags], state.needs_explanation, output.version, _isoformat(output.updated_at),
    ))


def _ratio(value: Decimal | None) -> str | None:
    """A delivery ratio keeps its one decimal, as the API's items give it: "77.0"."""
    return None if value is None else str(value)


# --- encoders ------------------------------------------------------------------------------


def _blocks(lines: Iterable[str]) -> Iterator[bytes]:
    """Join lines into blocks of about BLOCK_SIZE characters: one write per block, not per line."""
    block: list[str] = []
    size = 0
    for line in lines:
        block.append(line)
        size += len(line)
        if size >= BLOCK_SIZE:
            yield "".join(block).encode("utf-8")
            block, size = [], 0
    if block:
        yield "".join(block).encode("utf-8")


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # as json.dumps with these options
_str = json.encoder.encode_basestring  # how that encoder writes a string (ensure_ascii=False)


def _null_or_str(value: str | None) -> str:
    return "null" if value is None else _str(value)


# How each column's value is written: the columns and their types are fixed (COLUMNS).
_WRITERS = {
    **dict.fromkeys(("id", "report_id", "version"), str),
    **dict.fromkeys(("target_value", "estimate_value", "actual_value", "planned_value", "completed_value", "delivery_ratio"), _null_or_str),
    "baselines": lambda value: _JSON.encode(value) if value else "[]",
    "flags": lambda value: "[" + ",".join(map(_str, value)) + "]",
    "needs_explanation": lambda value: "true" if value else "false",
}


def _write(column: str, value) -> str:
    return f"{_str(column)}:{_WRITERS.get(column, _str)(value)}"


def _line_template(item_type: str) -> tuple[str, list]:
    """The JSON line of an item type as a %-template, and the writers of its own values.

    The fixed parts (keys, the item type, the other type's empty columns) are written here once;
    a line fills in the place, written once per accomplishment, and the item's own values.
    """
    parts, writers = [], []
    for column in COLUMNS:
        if column == "item_type":
            parts.append(_write(column, item_type).replace("%", "%%"))
        elif column in EMPTY[item_type]:
            parts.append(_write(column, EMPTY[item_type][column]).replace("%", "%%"))
        elif column in PLACE_COLUMNS:
            if column == PLACE_COLUMNS[0]:
                parts.append("%s")
        else:
            parts.append(f"{_str(column)}:%s")
            writers.append(_WRITERS.get(column, _str))
    return "{" + ",".join(parts) + "}\n", writers


_TEMPLATES = {item_type: _line_template(item_type) for item_type in EMPTY}


def _json_line(row: ExportRow) -> str:
    """The row as _JSON.encode(row.as_dict()) writes it, plus the line's end, in a third of the time.

    Only the item's own values are written per line; tests/api/test_export.py checks every line
    against json.dumps.
    """
    template, writers = _TEMPLATES[row.item_type]
    values = [write(value) for write, value in zip(writers, row.values)]
    values.insert(1, row.place.json)  # after the id
    return template % tuple(values)


def ndjson_lines(rows: Iterable[ExportRow]) -> Iterator[bytes]:
    return _closing(_blocks(map(_json_line, rows)), rows)


def _closing(blocks: Iterator[bytes], rows: Iterable) -> Iterator[bytes]:
    """The blocks; closed early (a client gone), close the rows too: their readers and transaction end now."""
    try:
        yield from blocks
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()


class _Line:
    """A write-only file for csv.writer that hands back what it was given (Django's streaming CSV recipe)."""

    def write(self, value: str) -> str:
        return value


# The columns people type into (texts, printed figures) or that an administrator names: a cell of
# these that a spreadsheet would run as a formula (`=cmd|' /C calc'!A0`, `+HYPERLINK(…)`) is written
# with a leading `'` (rbb.lib.cells.neutralise). The other columns are codes, numbers, booleans and
# timestamps the product writes itself; they are left alone, which keeps the export fast.
FREE_TEXT_COLUMNS = (
    "mission", "period", "unit_number", "unit_title", "accomplishment_number", "accomplishment_text",
    "number", "heading", "text", "unit_hint", "baselines", "target", "estimate", "actual", "actual_narrative",
    "variance_explanation", "planned_quantity", "completed", "remarks",
)
_FREE_TEXT_INDEXES = tuple(COLUMNS.index(column) for column in FREE_TEXT_COLUMNS)


def csv_cells(row: dict) -> list[str]:
    """A row's CSV cells, in COLUMNS order, free-text cells neutralised."""
    cells = [_csv_cell(value) for value in row.values()]
    for index in _FREE_TEXT_INDEXES:
        cells[index] = neutralise(cells[index])
    return cells


def csv_lines(rows: Iterable[ExportRow], *, bom: bool = False) -> Iterator[bytes]:
    """CSV in UTF-8; with bom=True a byte-order mark first, so Excel opens the Chinese text as such."""
    writer = csv.writer(_Line())

    def lines() -> Iterator[str]:
        yield ("\ufeff" if bom else "") + writer.writerow(COLUMNS)
        for row in rows:
            yield writer.writerow(csv_cells(row.as_dict()))

    return _closing(_blocks(lines()), rows)


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        # Baselines print as in the document's series: 2018/19: 574; 2019/20: 不适用
        return "; ".join(f"{v['period']}: {v['printed']}" if isinstance(v, dict) else str(v) for v in value)
    return str(value)


# --- resources by department/office (?table=unit_resources) ---------------------------------------
# One row per department/office (or component) of each report in scope: a few hundred rows at most,
# so they are read at once rather than streamed through cursors.

UNIT_RESOURCE_COLUMNS = [
    "mission", "period", "report_id", "report_type", "report_status", "unit_number", "unit_title", "unit_title_en",
    "apportionment", "expenditure", "variance", "percent", "version", "updated_at",
]


def export_unit_resource_rows(*, user, period: str, mission: str | None = None, report_type: str | None = None) -> list[dict]:
    """Resources by department/office of the period's reports the user may see, in document order."""
    from missions.models import UnitResourceLine
    from missions.resources import FinancialRow

    lines = _scope(
        UnitResourceLine.objects.select_related("unit", "report__mission", "report__period", "report__report_type")
        .order_by("report__mission__code", "report_id", "unit__order", "unit_id"),
        user=user, period=period, mission=mission, report_type=report_type, report="report",
    )
    rows = []
    for line in lines:
        computed = FinancialRow(cls=None, apportionment=line.apportionment, expenditure=line.expenditure)
        report = line.report
        rows.append({
            "mission": report.mission.code, "period": report.period.label, "report_id": report.pk,
            "report_type": report.report_type.code, "report_status": report.status,
            "unit_number": line.unit.number, "unit_title": line.unit.title, "unit_title_en": line.unit.title_en,
            "apportionment": plain_decimal(line.apportionment), "expenditure": plain_decimal(line.expenditure),
            "variance": plain_decimal(computed.variance), "percent": plain_decimal(computed.percent),
            "version": line.version, "updated_at": line.updated_at.isoformat(),
        })
    return rows


def unit_resource_ndjson_lines(rows: list[dict]) -> Iterator[bytes]:
    return _blocks(_JSON.encode(row) + "\n" for row in rows)


def unit_resource_csv_lines(rows: list[dict], *, bom: bool = False) -> Iterator[bytes]:
    from rbb.lib.cells import neutralise

    writer = csv.writer(_Line())

    def lines() -> Iterator[str]:
        yield ("\ufeff" if bom else "") + writer.writerow(UNIT_RESOURCE_COLUMNS)
        for row in rows:
            yield writer.writerow([neutralise(_csv_cell(row[column])) for column in UNIT_RESOURCE_COLUMNS])

    return _blocks(lines())
