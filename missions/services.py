"""Writes to a report's resource performance: one function per state change.

Every function here refuses to touch a submitted or accepted report (ReportLocked), whatever
route called it: page, import, command or demo loader. Edits carry the version the person
saw; a row someone else saved since raises StaleVersion with their values and nothing is
overwritten. Every changed field leaves a ChangeRecord (old → new, who). Services do not check
roles: the views do (resource_selectors.resources_report_get_for_editing) and the commands
act as the system.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rbb.exceptions import DomainError, ReportLocked, StaleVersion
from rbb.lib.numbers import NumberError, parse_decimal
from rbb.lib.strict_json import JSONInputError, refuse_utf16

from . import data as shipped
from .models import (
    ChangeRecord,
    FinancialClass,
    FinancialLine,
    MonthlyExpenditure,
    Redeployment,
    Report,
    ResourceNarrative,
    RevenueLine,
    StaffCategory,
    StaffIncumbency,
    StaffIncumbencyMonth,
    Unit,
    UnitResourceLine,
    VarianceExplanation,
)
from .resources import explanation_is_blank

ONE_PLACE = Decimal("0.1")
NIL_TOKENS = {"", "—", "–", "-", "nil"}


class ImportFailed(DomainError):
    """The file was refused as a whole; extra["errors"] lists every problem with its line."""

    http_status = 400
    default_code = "import_invalid"
    default_message = gettext_lazy("Nothing was imported: the file has errors.")


# --- shared helpers ----------------------------------------------------------------------


def _text(value) -> str:
    return "" if value is None else str(value)


def _one_place(value: Decimal | None, *, field: str) -> Decimal | None:
    """Amounts are stored with one decimal: refuse more rather than round a figure silently."""
    if value is None:
        return None
    value = Decimal(value)
    if not value.is_finite():
        raise DomainError(_("Enter a finite number."), code="not_finite", field=field)
    if value != value.quantize(ONE_PLACE):
        raise DomainError(
            _("“%(value)s” has more than one decimal place.") % {"value": value}, code="too_many_decimals", field=field
        )
    return value.quantize(ONE_PLACE)


def _ensure_unlocked(report: Report) -> None:
    if report.is_locked:
        raise ReportLocked()


def _lock_row(model, pk: int):
    """Re-read the row and its report under a row lock, so the version check and a concurrent
    submission of the report cannot interleave with this write."""
    return model.objects.select_for_update().select_related("report").get(pk=pk)


def _save_changes(*, row, report: Report, values: dict, version: int, by, item_type: str, label: str):
    """Apply `values` to a freshly locked row: check lock and version, save, audit.

    Asking to store what is already stored is not a conflict, even at an old version.
    """
    _ensure_unlocked(report)
    changes = {name: (getattr(row, name), new) for name, new in values.items() if getattr(row, name) != new}
    if not changes:
        return row
    if row.version != version:
        raise StaleVersion(extra={
            "id": row.pk, "version": row.version,
            "current": {name: getattr(row, name) for name in values},
        })
    for name, (_old, new) in changes.items():
        setattr(row, name, new)
    try:
        row.clean_fields(exclude=[f.name for f in row._meta.fields if f.name not in changes])
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], code="invalid", field=name) from exc
    row.version += 1
    row.updated_by = by
    row.save(update_fields=[*changes, "version", "updated_by", "updated_at"])
    _audit(report=report, item_type=item_type, item_id=row.pk, label=label, changes=changes, version=row.version, by=by)
    return row


def _audit(*, report: Report, item_type: str, item_id: int, label: str, changes: dict, version: int, by) -> None:
    ChangeRecord.objects.bulk_create([
        ChangeRecord(
            report=report, item_type=item_type, item_id=item_id, item_label=label[:100], field=name,
            old_value=_text(old), new_value=_text(new), version=version, actor=by,
        )
        for name, (old, new) in changes.items()
    ])


def _each(updates: Sequence[dict], service, *, key: str, by) -> None:
    """Run one service per edited row; an error names its row, so the form can show it there."""
    for update in updates:
        try:
            service(by=by, **update)
        except DomainError as exc:
            exc.extra.setdefault("id", update[key].pk)
            raise


# --- rows of a report ----------------------------------------------------------------------


def _categories(classes) -> list:
    """Groups and top-level classes: the rows of the redeployment table."""
    return [c for c in classes if c.kind == FinancialClass.Kind.GROUP or (c.kind == FinancialClass.Kind.LINE and c.parent_id is None)]


@transaction.atomic
def resources_prepare(*, report: Report) -> None:
    """Create the report's missing resource rows from its report type's lists; idempotent.

    Rows start nil. Run before editing, so a class an administrator adds later gets its row.
    """
    if report.is_locked:
        return
    classes = list(FinancialClass.objects.for_report(report).only("id", "kind", "parent_id"))
    have = set(FinancialLine.objects.filter(report=report).values_list("financial_class_id", flat=True))
    FinancialLine.objects.bulk_create(
        [FinancialLine(report=report, financial_class_id=c.id) for c in classes if c.kind in FinancialClass.ENTERED_KINDS and c.id not in have],
        ignore_conflicts=True,
    )
    have = set(Redeployment.objects.filter(report=report).values_list("category_id", flat=True))
    Redeployment.objects.bulk_create(
        [Redeployment(report=report, category_id=c.id) for c in _categories(classes) if c.id not in have], ignore_conflicts=True
    )
    have = set(StaffIncumbency.objects.filter(report=report).values_list("category_id", flat=True))
    StaffIncumbency.objects.bulk_create(
        [
            StaffIncumbency(report=report, category_id=c.id)
            for c in StaffCategory.objects.for_report(report).filter(kind=StaffCategory.Kind.LINE).only("id")
            if c.id not in have
        ],
        ignore_conflicts=True,
    )
    have = set(MonthlyExpenditure.objects.filter(report=report).values_list("month", flat=True))
    MonthlyExpenditure.objects.bulk_create(
        [MonthlyExpenditure(report=report, month=m) for m in range(1, 13) if m not in have], ignore_conflicts=True
    )
    have = set(RevenueLine.objects.filter(report=report).values_list("table", "code"))
    RevenueLine.objects.bulk_create(
        [
            RevenueLine(report=report, table=d["table"], code=d["code"], name_en=d["name_en"], name_zh=d["name_zh"], order=i * 10)
            for i, d in enumerate(shipped.revenue_line_defaults(report.report_type.code), start=1)
            if (d["table"], d["code"]) not in have
        ],
        ignore_conflicts=True,
    )
    # Resources by department/office: a row per top-level unit (departments and offices, or components).
    have = set(UnitResourceLine.objects.filter(report=report).values_list("unit_id", flat=True))
    UnitResourceLine.objects.bulk_create(
        [UnitResourceLine(report=report, unit_id=pk) for pk in Unit.objects.filter(report=report, parent__isnull=True)
         .values_list("pk", flat=True) if pk not in have],
        ignore_conflicts=True,
    )
    have = set(ResourceNarrative.objects.filter(report=report).values_list("section", flat=True))
    ResourceNarrative.objects.bulk_create(
        [ResourceNarrative(report=report, section=s) for s in ResourceNarrative.Section.values if s not in have],
        ignore_conflicts=True,
    )


# --- financial resources ---------------------------------------------------------------------


@transaction.atomic
def financial_line_update(
    *, line: FinancialLine, apportionment: Decimal | None, expenditure: Decimal | None, version: int, by
) -> FinancialLine:
    """Record the apportionment and expenditure of one class (thousands of US$, None = nil)."""
    row = _lock_row(FinancialLine, line.pk)
    cls = FinancialClass.objects.only("name_en", "kind").get(pk=row.financial_class_id)
    if cls.kind not in FinancialClass.ENTERED_KINDS:
        raise DomainError(_("This row is computed from the others."), code="computed_row")
    values = {
        "apportionment": _one_place(apportionment, field="apportionment"),
        "expenditure": _one_place(expenditure, field="expenditure"),
    }
    return _save_changes(row=row, report=row.report, values=values, version=version, by=by, item_type="financial line", label=cls.name_en)


@transaction.atomic
def financial_lines_update(*, updates: Sequence[dict], by) -> None:
    """Apply several financial_line_update calls all or nothing (the table form)."""
    _each(updates, financial_line_update, key="line", by=by)


@transaction.atomic
def variance_explanation_save(*, line: FinancialLine, main: str, offset: str = "", version: int, by) -> VarianceExplanation:
    """Write the variance-analysis entry of a line; version 0 means "there was none when I opened it"."""
    row = _lock_row(FinancialLine, line.pk)
    _ensure_unlocked(row.report)
    main, offset = (main or "").strip(), (offset or "").strip()
    if explanation_is_blank(main):
        raise DomainError(
            _("Write the reasons after the opening words."), code="explanation_blank", field="main"
        )
    label = FinancialClass.objects.only("name_en").get(pk=row.financial_class_id).name_en
    explanation = VarianceExplanation.objects.select_for_update().filter(line=row).first()
    if explanation is None:
        if version not in (0, None):
            raise StaleVersion(extra={"id": None, "version": 0, "current": {"main": "", "offset": ""}})
        explanation = VarianceExplanation.objects.create(line=row, main=main, offset=offset, updated_by=by)
        _audit(report=row.report, item_type="variance explanation", item_id=explanation.pk, label=label,
               changes={"main": ("", main), "offset": ("", offset)} if offset else {"main": ("", main)},
               version=explanation.version, by=by)
        return explanation
    return _save_changes(row=explanation, report=row.report, values={"main": main, "offset": offset}, version=version,
                         by=by, item_type="variance explanation", label=label)


# --- redeployment, other revenue, monthly pattern, narratives -------------------------------------


@transaction.atomic
def redeployment_update(*, row: Redeployment, original: Decimal | None, redeployment: Decimal | None, version: int, by) -> Redeployment:
    """Record a group's original distribution and the amount redeployed into (+) or out of (−) it."""
    fresh = _lock_row(Redeployment, row.pk)
    label = FinancialClass.objects.only("name_en").get(pk=fresh.category_id).name_en
    values = {"original": _one_place(original, field="original"), "redeployment": _one_place(redeployment, field="redeployment")}
    return _save_changes(row=fresh, report=fresh.report, values=values, version=version, by=by, item_type="redeployment", label=label)


@transaction.atomic
def redeployments_update(*, updates: Sequence[dict], by) -> None:
    _each(updates, redeployment_update, key="row", by=by)


@transaction.atomic
def revenue_line_update(*, line: RevenueLine, amount: Decimal | None, version: int, by) -> RevenueLine:
    """Record an other-revenue or non-budgeted contribution amount (thousands of US$)."""
    fresh = _lock_row(RevenueLine, line.pk)
    return _save_changes(row=fresh, report=fresh.report, values={"amount": _one_place(amount, field="amount")},
                         version=version, by=by, item_type=f"revenue line ({fresh.table})", label=fresh.name_en)


@transaction.atomic
def revenue_lines_update(*, updates: Sequence[dict], by) -> None:
    _each(updates, revenue_line_update, key="line", by=by)


@transaction.atomic
def monthly_expenditure_update(*, month: MonthlyExpenditure, amount: Decimal | None, version: int, by) -> MonthlyExpenditure:
    """Record the expenditure of one month of the period (thousands of US$)."""
    fresh = _lock_row(MonthlyExpenditure, month.pk)
    return _save_changes(row=fresh, report=fresh.report, values={"amount": _one_place(amount, field="amount")},
                         version=version, by=by, item_type="monthly expenditure", label=f"month {fresh.month}")


@transaction.atomic
def monthly_expenditures_update(*, updates: Sequence[dict], by) -> None:
    _each(updates, monthly_expenditure_update, key="month", by=by)


@transaction.atomic
def resource_narrative_update(*, narrative: ResourceNarrative, text: str, version: int, by) -> ResourceNarrative:
    """Replace the paragraphs under a resource table (one paragraph per line)."""
    fresh = _lock_row(ResourceNarrative, narrative.pk)
    text = "\n".join(line.strip() for line in (text or "").splitlines() if line.strip())
    return _save_changes(row=fresh, report=fresh.report, values={"text": text}, version=version, by=by,
                         item_type="resource narrative", label=fresh.section)


# --- human resources incumbency -----------------------------------------------------------------


def _headcount(value: Decimal | None, *, field: str) -> Decimal | None:
    value = _one_place(value, field=field)
    if value is not None and value < 0:
        raise DomainError(_("A number of people cannot be negative."), code="negative", field=field)
    return value


@transaction.atomic
def incumbency_update(
    *, row: StaffIncumbency, authorized: Decimal | None, actual_average: Decimal | None,
    budgeted_vacancy_rate: Decimal | None = None, method: str = StaffIncumbency.Method.AVERAGE,
    vacancy_rate_entered: Decimal | None = None, vacancy_rate_note: str = "", version: int, by,
) -> StaffIncumbency:
    """Record a category's strength and how its vacancy rate is obtained.

    An entered rate needs a note saying where it comes from; the monthly mean needs the
    twelve monthly figures (incumbency_months_update).
    """
    fresh = _lock_row(StaffIncumbency, row.pk)
    note = (vacancy_rate_note or "").strip()
    if method not in StaffIncumbency.Method.values:
        raise DomainError(_("Choose how the vacancy rate is obtained."), code="invalid_method", field="method")
    if method == StaffIncumbency.Method.ENTERED:
        if vacancy_rate_entered is None:
            raise DomainError(_("Enter the vacancy rate."), code="rate_missing", field="vacancy_rate_entered")
        if not note:
            raise DomainError(_("Say where the entered rate comes from."), code="note_missing", field="vacancy_rate_note")
    if method == StaffIncumbency.Method.MONTHLY and fresh.months.exclude(authorized=None).count() < 12:
        raise DomainError(_("Enter the twelve monthly figures first."), code="months_missing", field="method")
    values = {
        "authorized": _headcount(authorized, field="authorized"),
        "actual_average": _headcount(actual_average, field="actual_average"),
        "budgeted_vacancy_rate": _one_place(budgeted_vacancy_rate, field="budgeted_vacancy_rate"),
        "method": method,
        "vacancy_rate_entered": _one_place(vacancy_rate_entered, field="vacancy_rate_entered") if method == StaffIncumbency.Method.ENTERED else None,
        "vacancy_rate_note": note if method == StaffIncumbency.Method.ENTERED else "",
    }
    label = StaffCategory.objects.only("name_en").get(pk=fresh.category_id).name_en
    return _save_changes(row=fresh, report=fresh.report, values=values, version=version, by=by, item_type="staff incumbency", label=label)


@transaction.atomic
def incumbency_rows_update(*, updates: Sequence[dict], by) -> None:
    _each(updates, incumbency_update, key="row", by=by)


@transaction.atomic
def incumbency_months_update(
    *, row: StaffIncumbency, months: Sequence[tuple[Decimal | None, Decimal | None]], version: int, by
) -> StaffIncumbency:
    """Record the 12 monthly (authorized, incumbent) figures; the rate becomes their monthly mean."""
    fresh = _lock_row(StaffIncumbency, row.pk)
    _ensure_unlocked(fresh.report)
    if len(months) != 12:
        raise DomainError(_("Enter the figures of all twelve months."), code="months_missing")
    cleaned = [(_headcount(a, field=f"authorized_{i}"), _headcount(n, field=f"incumbent_{i}")) for i, (a, n) in enumerate(months, start=1)]
    for i, (a, n) in enumerate(cleaned, start=1):
        if a is None or n is None:
            raise DomainError(_("Enter the figures of all twelve months."), code="months_missing", field=f"authorized_{i}")
    existing = {m.month: m for m in fresh.months.select_for_update()}
    changes = {}
    for i, (a, n) in enumerate(cleaned, start=1):
        old = existing.get(i)
        if old is None or old.authorized != a or old.incumbent != n:
            changes[f"month {i}"] = (f"{_text(old.authorized)}/{_text(old.incumbent)}" if old else "", f"{a}/{n}")
    if fresh.method != StaffIncumbency.Method.MONTHLY:
        changes["method"] = (fresh.method, StaffIncumbency.Method.MONTHLY)
    if not changes:
        return fresh
    if fresh.version != version:
        raise StaleVersion(extra={"id": fresh.pk, "version": fresh.version, "current": {
            "months": [(m.authorized, m.incumbent) for m in sorted(existing.values(), key=lambda m: m.month)]
        }})
    for i, (a, n) in enumerate(cleaned, start=1):
        StaffIncumbencyMonth.objects.update_or_create(incumbency=fresh, month=i, defaults={"authorized": a, "incumbent": n})
    fresh.method = StaffIncumbency.Method.MONTHLY
    fresh.vacancy_rate_entered = None
    fresh.vacancy_rate_note = ""
    fresh.version += 1
    fresh.updated_by = by
    fresh.save(update_fields=["method", "vacancy_rate_entered", "vacancy_rate_note", "version", "updated_by", "updated_at"])
    label = StaffCategory.objects.only("name_en").get(pk=fresh.category_id).name_en
    _audit(report=fresh.report, item_type="staff incumbency", item_id=fresh.pk, label=label, changes=changes, version=fresh.version, by=by)
    return fresh


# --- expenditure import (CSV or XLSX) -------------------------------------------------------------

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 2000
_CLASS_HEADERS = {"class", "code", "name", "class code", "class name", "category", "类别", "名称", "代码", "类别代码"}


@dataclass(frozen=True)
class ImportRow:
    line_number: int
    financial_class: FinancialClass
    expenditure: Decimal | None
    apportionment: Decimal | None
    has_apportionment: bool


@dataclass(frozen=True)
class ImportResult:
    rows: int
    changed: int


def _fold(text) -> str:
    """Compare names as people type them: full-width folded, case and spacing ignored."""
    return " ".join(unicodedata.normalize("NFKC", str(text or "")).casefold().split())


def _read_cells(*, filename: str, content: bytes) -> list[tuple[int, list]]:
    """Return (line number, cells) for every row of a CSV or XLSX file; raise ImportFailed if unreadable."""
    if len(content) > MAX_IMPORT_BYTES:
        raise ImportFailed(extra={"errors": [_("The file is larger than 5 MB.")]})
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(content)
    if name.endswith(".csv") or name.endswith(".txt"):
        return _read_csv(content)
    raise ImportFailed(extra={"errors": [_("Upload a .csv or .xlsx file.")]})


def _read_csv(content: bytes) -> list[tuple[int, list]]:
    try:
        refuse_utf16(content)  # GB18030 would "decode" UTF-16 into letters and NULs
    except JSONInputError as exc:
        raise ImportFailed(extra={"errors": [exc.message]}) from exc
    if b"\x00" in content:
        raise ImportFailed(extra={"errors": [_("The file is not a readable CSV file (it contains NUL bytes).")]})
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in a Chinese locale saves CSV as GB18030
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFailed(extra={"errors": [_("The file is not UTF-8 text; save it as “CSV UTF-8”.")]})
    first = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first.count) if first else ","
    try:
        return [(number, row) for number, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1)]
    except csv.Error as exc:
        raise ImportFailed(extra={"errors": [_("The file is not a readable CSV file (%(error)s).") % {"error": exc}]}) from exc


def _read_xlsx(content: bytes) -> list[tuple[int, list]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise ImportFailed(extra={"errors": [_("The file is not a readable XLSX workbook.")]}) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_IMPORT_ROWS + 1:
                raise ImportFailed(extra={"errors": [_("The file has more than %(count)s rows.") % {"count": MAX_IMPORT_ROWS}]})
            rows.append((number, [_xlsx_cell(v) for v in values]))
        return rows
    finally:
        workbook.close()


def _xlsx_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        # A spreadsheet keeps binary floats; 15 significant digits is what it displays (0.1 + 0.2 → 0.3).
        return format(Decimal(format(value, ".15g")), "f")
    return str(value)


def _parse_amount(text: str, *, line: int, column: str, errors: list) -> Decimal | None:
    raw = str(text).strip()
    if raw in NIL_TOKENS:
        return None
    try:
        value = parse_decimal(raw, allow_percent=False)
    except NumberError as exc:
        errors.append(_("line %(line)s: %(message)s") % {"line": line, "message": exc})
        return None
    if value != value.quantize(ONE_PLACE):
        errors.append(_("line %(line)s: “%(value)s” has more than one decimal place (%(column)s, thousands of US$).")
                      % {"line": line, "value": raw, "column": column})
        return None
    return value.quantize(ONE_PLACE)


def _header_columns(cells: list) -> dict[str, int] | None:
    """Map a header row to column positions, or None when the first row is data."""
    columns = {}
    for index, cell in enumerate(cells):
        text = _fold(cell)
        if not text:
            continue
        if text in _CLASS_HEADERS:
            columns.setdefault("class", index)
        elif text.startswith("expenditure") or text.startswith("支出"):
            columns.setdefault("expenditure", index)
        elif text.startswith("apportionment") or text.startswith("分配"):
            columns.setdefault("apportionment", index)
    return columns or None


def expenditure_import_parse(*, report: Report, filename: str, content: bytes) -> list[ImportRow]:
    """Read and validate an expenditure file against the report type's classes.

    One row per class, named by code or by name in English or Chinese, with its expenditure
    and optionally its apportionment (a first row with column names is recognised). Every
    problem is collected with its line number; any problem refuses the whole file.
    """
    rows = [(n, cells) for n, cells in _read_cells(filename=filename, content=content) if any(str(c).strip() for c in cells)]
    if not rows:
        raise ImportFailed(extra={"errors": [_("The file has no rows.")]})
    if len(rows) > MAX_IMPORT_ROWS + 1:
        raise ImportFailed(extra={"errors": [_("The file has more than %(count)s rows.") % {"count": MAX_IMPORT_ROWS}]})

    errors: list[str] = []
    columns = _header_columns(rows[0][1])
    if columns is not None:
        header_line = rows[0][0]
        rows = rows[1:]
        for needed, label in (("class", _("class")), ("expenditure", _("expenditure"))):
            if needed not in columns:
                errors.append(_("line %(line)s: no “%(column)s” column.") % {"line": header_line, "column": label})
        if errors:
            raise ImportFailed(extra={"errors": errors})
    else:
        columns = {"class": 0, "expenditure": 1, "apportionment": 2}

    lookup: dict[str, list[FinancialClass]] = {}
    for cls in FinancialClass.objects.for_report(report):
        # The period's names as printed, plus the list's aliases (earlier names, both languages).
        for key in {_fold(cls.code), _fold(cls.name_en), _fold(cls.name_zh), *map(_fold, cls.alias_list)} - {""}:
            lookup.setdefault(key, []).append(cls)

    parsed: list[ImportRow] = []
    seen: dict[int, int] = {}
    for line, cells in rows:
        def cell(name: str) -> str:
            index = columns.get(name)
            return str(cells[index]).strip() if index is not None and index < len(cells) and cells[index] is not None else ""

        reference = cell("class")
        if not reference:
            errors.append(_("line %(line)s: the class is missing.") % {"line": line})
            continue
        candidates = lookup.get(_fold(reference), [])
        entered = [c for c in candidates if c.kind in FinancialClass.ENTERED_KINDS]
        if not candidates:
            errors.append(_("line %(line)s: “%(name)s” is not a class of this report (give its code, or its name in English or Chinese).")
                          % {"line": line, "name": reference[:80]})
            continue
        if not entered:
            errors.append(_("line %(line)s: “%(name)s” is computed from the other lines; leave it out.") % {"line": line, "name": reference[:80]})
            continue
        if len(entered) > 1:
            errors.append(_("line %(line)s: “%(name)s” names several classes; use the class code.") % {"line": line, "name": reference[:80]})
            continue
        cls = entered[0]
        if cls.id in seen:
            errors.append(_("line %(line)s: “%(name)s” is already on line %(first)s.") % {"line": line, "name": reference[:80], "first": seen[cls.id]})
            continue
        seen[cls.id] = line
        amounts = row_amounts(cell, line=line, errors=errors)
        if amounts is not None:
            expenditure, apportionment, raw_apportionment = amounts
            parsed.append(ImportRow(line, cls, expenditure, apportionment, has_apportionment=bool(raw_apportionment)))
    if errors:
        raise ImportFailed(extra={"errors": errors})
    return parsed


def row_amounts(cell, *, line: int, errors: list) -> tuple | None:
    """A spreadsheet row's expenditure (required; — for nil) and apportionment (optional), with
    their errors added to `errors`: (expenditure, apportionment, apportionment as typed) or None."""
    raw_expenditure = cell("expenditure")
    if raw_expenditure == "":
        errors.append(_("line %(line)s: the expenditure is missing (write — for nil).") % {"line": line})
        return None
    before = len(errors)
    expenditure = _parse_amount(raw_expenditure, line=line, column=_("expenditure"), errors=errors)
    raw_apportionment = cell("apportionment")
    apportionment = _parse_amount(raw_apportionment, line=line, column=_("apportionment"), errors=errors) if raw_apportionment else None
    return (expenditure, apportionment, raw_apportionment) if len(errors) == before else None


@transaction.atomic
def expenditure_import(*, report: Report, filename: str, content: bytes, by) -> ImportResult:
    """Import expenditure (and optionally apportionment) per class, all or nothing."""
    _ensure_unlocked(report)
    rows = expenditure_import_parse(report=report, filename=filename, content=content)
    resources_prepare(report=report)
    lines = {line.financial_class_id: line for line in FinancialLine.objects.filter(report=report)}
    changed = 0
    for row in rows:
        line = lines[row.financial_class.id]
        before = line.version
        # An import is a deliberate overwrite: it applies to the current version of each line.
        line = financial_line_update(
            line=line, version=line.version, by=by, expenditure=row.expenditure,
            apportionment=row.apportionment if row.has_apportionment else line.apportionment,
        )
        changed += line.version != before
    return ImportResult(rows=len(rows), changed=changed)


# --- demo data ----------------------------------------------------------------------------------

_NUMBERING = re.compile(r"^[一二三四五六七八九十IVXivx]+[.、．]\s*")


def _value(measure: dict | None) -> Decimal | None:
    if not measure or measure.get("value") is None:
        return None
    return Decimal(measure["value"])


@transaction.atomic
def resources_load_demo(*, report: Report, by=None) -> None:
    """Load the real UNMIK 2020/21 resource figures (A/76/525) into a report; idempotent.

    The monthly expenditure pattern is a chart in the original without figures in the text,
    so it stays empty rather than invented.
    """
    _ensure_unlocked(report)
    seed = shipped.load_json(shipped.UNMIK_DEMO_FILE)
    if not FinancialClass.objects.for_report(report).exists():
        # A flushed database loses what the data migration installed; a list an administrator
        # edited is never reset here.
        resource_class_lists_install()
    resources_prepare(report=report)

    classes = {c.name_zh: c for c in FinancialClass.objects.for_report(report).filter(kind__in=FinancialClass.ENTERED_KINDS)}
    lines = {line.financial_class_id: line for line in FinancialLine.objects.filter(report=report)}

    def line_for(name: str) -> FinancialLine:
        if name not in classes:
            raise DomainError(_("The report type has no class “%(name)s”: load the demo into a mission report.") % {"name": name},
                              code="demo_class_missing")
        return lines[classes[name].id]

    for item in seed["detailed_table"]["rows"]:
        if item["kind"] in ("line", "staff_assessment", "voluntary_in_kind_budgeted"):
            line = line_for(item["class"])
            lines[line.financial_class_id] = financial_line_update(
                line=line, apportionment=_value(item["apportionment"]), expenditure=_value(item["expenditure"]), version=line.version, by=by
            )

    groups = {r.category.name_zh: r for r in Redeployment.objects.filter(report=report).select_related("category")}
    for item in seed["redeployment"]["rows"]:
        if item["kind"] == "category":
            row = groups[_NUMBERING.sub("", item["class"])]
            redeployment_update(row=row, original=_value(item["original_apportionment"]), redeployment=_value(item["redeployment"]),
                                version=row.version, by=by)
    narrative = ResourceNarrative.objects.get(report=report, section=ResourceNarrative.Section.REDEPLOYMENT)
    resource_narrative_update(narrative=narrative, text="\n".join(p["text"] for p in seed["redeployment"]["paragraphs"]),
                              version=narrative.version, by=by)

    revenue = {(r.table, r.name_zh): r for r in RevenueLine.objects.filter(report=report)}
    for table, key, column in (("other_revenue", "other_revenue", "amount"), ("non_budgeted", "non_budgeted_contributions", "actual_value")):
        footnotes = seed[key].get("footnotes", {})
        for item in seed[key]["rows"]:
            if item["kind"] != "line":
                continue
            row = revenue[(table, item["class"])]
            row = revenue_line_update(line=row, amount=_value(item[column]), version=row.version, by=by)
            note = footnotes.get(item.get("footnote"), "")
            if note and row.note != note:
                row.note = note
                row.save(update_fields=["note"])

    incumbency = {r.category.name_zh: r for r in StaffIncumbency.objects.filter(report=report).select_related("category")}
    for item in seed["human_resources_incumbency"]["rows"]:
        if item["kind"] == "line":
            row = incumbency[item["class"]]
            incumbency_update(row=row, authorized=_value(item["authorized"]), actual_average=_value(item["actual_average"]),
                              method=StaffIncumbency.Method.AVERAGE, version=row.version, by=by)

    explanations = {e.line_id: e for e in VarianceExplanation.objects.filter(line__report=report)}
    for entry in seed["variance_analysis"]["entries"]:
        line = line_for(entry["class"])
        paragraphs = [p["text"] for p in entry["paragraphs"]]
        current = explanations.get(line.pk)
        variance_explanation_save(line=line, main=paragraphs[0], offset="\n".join(paragraphs[1:]),
                                  version=current.version if current else 0, by=by)


def resource_class_lists_install() -> None:
    """Install or refresh the shipped class lists (the data migration does this on migrate)."""
    from .models import ReportType

    shipped.install_class_lists(ReportType=ReportType, FinancialClass=FinancialClass, StaffCategory=StaffCategory)
