"""The ledger in the bulk export: `/api/v1/export/?period=…&content=requests`.

One line per assignment (a request as one report answers it), read as tuples through one
chunked cursor, like the items' export, and written with its block writer. It is a content of
its own, so the items' export keeps its columns, its speed and its byte-exact lines.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator

from missions.api.selectors import scoped_to_user
from rbb.api.export import CHUNK_SIZE, _blocks, _closing, _Line
from rbb.lib.cells import neutralise

from .models import Assignment

R = "report"
COLUMNS = [
    "item_type", "id", "mission", "period", "report_id", "body", "source", "source_date", "paragraph",
    "kind", "addressed_to", "text", "text_en", "due_date", "carried_from_id", "status", "action", "action_en",
    "version", "updated_at",
]
_FIELDS = (
    "id", "report__mission__code", "report__period__label", "report_id", "request__source__body", "request__source__symbol",
    "request__source__date", "request__paragraph", "request__kind", "request__addressed_to", "request__text", "request__text_en",
    "due_date", "carried_from_id", "response__status", "response__action", "response__action_en", "response__version",
    "response__updated_at",
)
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def export_assignments(*, user, period: str, mission: str | None = None, report_type: str | None = None):
    qs = scoped_to_user(Assignment.objects.filter(report__period__label=period), user=user, mission_field="report__mission_id")
    if mission:
        qs = qs.filter(report__mission__code__iexact=mission)
    if report_type:
        qs = qs.filter(report__report_type__code=report_type)
    return qs.order_by("report__mission__code", "report_id", "request__source__body", "request__source__symbol", "request__order", "id")


def request_rows(**scope) -> Iterator[dict]:
    """Every assignment of the period the user may see, as a dict in COLUMNS order."""
    for values in export_assignments(**scope).values_list(*_FIELDS).iterator(chunk_size=CHUNK_SIZE):
        row = dict(zip(COLUMNS[1:], values))
        row["source_date"] = row["source_date"].isoformat() if row["source_date"] else None
        row["due_date"] = row["due_date"].isoformat() if row["due_date"] else None
        row["updated_at"] = row["updated_at"].isoformat() if row["updated_at"] else None
        yield {"item_type": "request", **row}


def ndjson_lines(rows: Iterable[dict]) -> Iterator[bytes]:
    return _closing(_blocks(_JSON.encode(row) + "\n" for row in rows), rows)


def csv_lines(rows: Iterable[dict], *, bom: bool = False) -> Iterator[bytes]:
    writer = csv.writer(_Line())

    def lines() -> Iterator[str]:
        yield ("\ufeff" if bom else "") + writer.writerow(COLUMNS)
        for row in rows:
            yield writer.writerow(["" if value is None else neutralise(str(value)) for value in row.values()])

    return _closing(_blocks(lines()), rows)
