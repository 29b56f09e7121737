"""Resources by department/office (or mission component): entry and import (issue 16 §4).

A headquarters performance report prints a second financial table: apportionment,
expenditure and variance by department/office. The rows are created by resources_prepare
(one per top-level unit); figures are entered on the resources page or imported with
`manage.py import_expenditure ENTITY PERIOD FILE --by unit` (CSV/XLSX, all or nothing).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Report, Unit, UnitResourceLine
from .services import (
    MAX_IMPORT_ROWS,
    ImportFailed,
    ImportResult,
    _each,
    _ensure_unlocked,
    _fold,
    _lock_row,
    _one_place,
    row_amounts,
    _read_cells,
    _save_changes,
    resources_prepare,
)

_UNIT_HEADERS = {"unit", "department", "office", "department/office", "component", "code", "number", "name",
                 "部厅", "部门", "部厅/办公室", "办公室", "单位", "构成部分", "编号", "名称"}


@transaction.atomic
def unit_resource_line_update(
    *, line: UnitResourceLine, apportionment: Decimal | None, expenditure: Decimal | None, version: int, by
) -> UnitResourceLine:
    """Record the apportionment and expenditure of one department/office (thousands of US$, None = nil)."""
    row = _lock_row(UnitResourceLine, line.pk)
    unit = Unit.objects.only("number", "title").get(pk=row.unit_id)
    values = {
        "apportionment": _one_place(apportionment, field="apportionment"),
        "expenditure": _one_place(expenditure, field="expenditure"),
    }
    return _save_changes(row=row, report=row.report, values=values, version=version, by=by,
                         item_type="unit resource line", label=f"{unit.number} {unit.title}")


@transaction.atomic
def unit_resource_lines_update(*, updates: Sequence[dict], by) -> None:
    """Apply several unit_resource_line_update calls all or nothing (the table form)."""
    _each(updates, unit_resource_line_update, key="line", by=by)


@dataclass(frozen=True)
class UnitImportRow:
    line_number: int
    unit: Unit
    expenditure: Decimal | None
    apportionment: Decimal | None
    has_apportionment: bool


def _columns(cells: list) -> dict[str, int] | None:
    columns = {}
    for index, cell in enumerate(cells):
        text = _fold(cell)
        if text in _UNIT_HEADERS:
            columns.setdefault("unit", index)
        elif text.startswith("expenditure") or text.startswith("支出"):
            columns.setdefault("expenditure", index)
        elif text.startswith("apportionment") or text.startswith("分配"):
            columns.setdefault("apportionment", index)
    return columns or None


def unit_expenditure_import_parse(*, report: Report, filename: str, content: bytes) -> list[UnitImportRow]:
    """Read and check a by-unit file: unit number or name (either language), apportionment, expenditure.

    A first row with column names is recognised; without one the columns are unit,
    apportionment, expenditure (as the table prints them). Every problem is listed with its line.
    """
    rows = [(n, cells) for n, cells in _read_cells(filename=filename, content=content) if any(str(c).strip() for c in cells)]
    if not rows:
        raise ImportFailed(extra={"errors": [_("The file has no rows.")]})
    if len(rows) > MAX_IMPORT_ROWS + 1:
        raise ImportFailed(extra={"errors": [_("The file has more than %(count)s rows.") % {"count": MAX_IMPORT_ROWS}]})
    errors: list[str] = []
    columns = _columns(rows[0][1])
    if columns is not None:
        header_line, rows = rows[0][0], rows[1:]
        for needed, label in (("unit", _("department/office")), ("expenditure", _("expenditure"))):
            if needed not in columns:
                errors.append(_("line %(line)s: no “%(column)s” column.") % {"line": header_line, "column": label})
        if errors:
            raise ImportFailed(extra={"errors": errors})
    else:
        columns = {"unit": 0, "apportionment": 1, "expenditure": 2}

    lookup: dict[str, list[Unit]] = {}
    for unit in Unit.objects.filter(report=report, parent__isnull=True):
        for key in {_fold(unit.number), _fold(unit.title), _fold(unit.title_en), _fold(f"{unit.number}. {unit.title}")} - {""}:
            lookup.setdefault(key, []).append(unit)
    parsed: list[UnitImportRow] = []
    seen: dict[int, int] = {}
    for line, cells in rows:
        def cell(name: str) -> str:
            index = columns.get(name)
            return str(cells[index]).strip() if index is not None and index < len(cells) and cells[index] is not None else ""

        reference = cell("unit")
        candidates = lookup.get(_fold(reference), []) if reference else []
        if not reference:
            errors.append(_("line %(line)s: the department/office is missing.") % {"line": line})
            continue
        if len(candidates) != 1:
            errors.append(_("line %(line)s: “%(name)s” is not a department/office of this report (give its number or its name).")
                          % {"line": line, "name": reference[:80]})
            continue
        unit = candidates[0]
        if unit.pk in seen:
            errors.append(_("line %(line)s: “%(name)s” is already on line %(first)s.") % {"line": line, "name": reference[:80], "first": seen[unit.pk]})
            continue
        seen[unit.pk] = line
        amounts = row_amounts(cell, line=line, errors=errors)
        if amounts is not None:
            expenditure, apportionment, raw_apportionment = amounts
            parsed.append(UnitImportRow(line, unit, expenditure, apportionment, has_apportionment=bool(raw_apportionment)))
    if errors:
        raise ImportFailed(extra={"errors": errors})
    return parsed


@transaction.atomic
def unit_expenditure_import(*, report: Report, filename: str, content: bytes, by) -> ImportResult:
    """Import apportionment and expenditure per department/office, all or nothing."""
    _ensure_unlocked(report)
    rows = unit_expenditure_import_parse(report=report, filename=filename, content=content)
    resources_prepare(report=report)
    lines = {line.unit_id: line for line in UnitResourceLine.objects.filter(report=report)}
    changed = 0
    for row in rows:
        line = lines[row.unit.pk]
        before = line.version
        line = unit_resource_line_update(
            line=line, version=line.version, by=by, expenditure=row.expenditure,
            apportionment=row.apportionment if row.has_apportionment else line.apportionment,
        )
        changed += line.version != before
    return ImportResult(rows=len(rows), changed=changed)
