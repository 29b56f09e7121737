"""Class lists per report type and period: financial classes and staff categories.

Classes are added, renamed and retired between periods (issue 16 §3; docs/class-lists.md).
A report type has a base list (period empty, shipped in missions/data) and each period may
have a list of its own; a report uses its period's list when there is one, else the base
list (ClassListQuerySet.in_force). A new period starts as a copy of the previous one
(class_list_copy, which the roll-forward calls); the budget administrator then edits it on
the class-list page or replaces it from a JSON file (class_list_import).

Reports keep their figures through a copy: the rows of the period's reports are moved from
the classes they used to the copies with the same code, in the same transaction.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from rbb.exceptions import DomainError

from .models import (
    BudgetPeriod,
    FinancialClass,
    FinancialLine,
    Redeployment,
    ReportType,
    StaffCategory,
    StaffIncumbency,
)
from .models.resources import alias_list

FORMAT = "rbb-class-list"
SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "class-list.schema.json"
FORMAT_VERSION = 1
FINANCIAL_FIELDS = ("code", "name_en", "name_zh", "kind", "in_totals", "summary_lines")
STAFF_FIELDS = ("code", "name_en", "name_zh", "kind")


class ClassListInvalid(DomainError):
    http_status = 400
    default_code = "class_list_invalid"

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__(_("The class list has errors; nothing was changed."), extra={"errors": errors})


@functools.cache
def _validator():
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


# --- reads ----------------------------------------------------------------------------------


def class_list_financial(*, report_type: ReportType, period: BudgetPeriod | None):
    """The financial classes in force for the type and period, in order (one query)."""
    return FinancialClass.objects.in_force(report_type_id=report_type.pk, period_id=getattr(period, "pk", None)).order_by("order", "id")


def class_list_staff(*, report_type: ReportType, period: BudgetPeriod | None):
    return StaffCategory.objects.in_force(report_type_id=report_type.pk, period_id=getattr(period, "pk", None)).order_by("order", "id")


def class_list_is_own(*, report_type: ReportType, period: BudgetPeriod) -> bool:
    """Whether the period has a list of its own (else it reads the base list)."""
    return FinancialClass.objects.filter(report_type=report_type, period=period).exists()


def previous_period(period: BudgetPeriod) -> BudgetPeriod | None:
    return BudgetPeriod.objects.filter(start__lt=period.start).order_by("-start").first()


def class_list_export(*, report_type: ReportType, period: BudgetPeriod) -> dict:
    """The list in force for the type and period as a JSON document (docs/class-lists.md)."""
    def rows(items, fields):
        by_id = {item.pk: item.code for item in items}
        return [
            {**{f: getattr(item, f) for f in fields}, "parent": by_id.get(item.parent_id), "aliases": alias_list(item.aliases)}
            for item in items
        ]

    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "report_type": report_type.code,
        "period": period.label,
        "financial_classes": rows(list(class_list_financial(report_type=report_type, period=period)), FINANCIAL_FIELDS),
        "staff_categories": rows(list(class_list_staff(report_type=report_type, period=period)), STAFF_FIELDS),
    }


# --- copy (a new period starts from the previous one) -----------------------------------------


@transaction.atomic
def class_list_copy(*, report_type: ReportType, from_period: BudgetPeriod | None, to_period: BudgetPeriod) -> int:
    """Give `to_period` a list of its own, copied from the list in force for `from_period`.

    `from_period=None` copies the base list. Refused when `to_period` already has its own
    list. The figures of the period's reports move to the copies (matched by code). Returns
    the number of financial classes copied.
    """
    if class_list_is_own(report_type=report_type, period=to_period):
        raise DomainError(
            _("%(period)s already has its own class list for %(type)s.") % {"period": to_period.label, "type": report_type.name},
            code="class_list_exists",
        )
    financial = list(class_list_financial(report_type=report_type, period=from_period))
    staff = list(class_list_staff(report_type=report_type, period=from_period))
    new_financial = _copy_tree(FinancialClass, financial, to_period, extra=("in_totals", "summary_lines"))
    new_staff = _copy_tree(StaffCategory, staff, to_period, extra=())
    _move_figures(report_type=report_type, period=to_period, financial=new_financial, staff=new_staff)
    return len(new_financial)


def _copy_tree(model, items: list, period: BudgetPeriod, *, extra: tuple[str, ...]) -> dict[int, object]:
    """Copy rows (parents first, as lists are ordered); old id → new row."""
    copies: dict[int, object] = {}
    for item in sorted(items, key=lambda i: (i.parent_id is not None, i.order, i.pk)):
        copy = model(
            report_type_id=item.report_type_id, period=period, code=item.code, name_en=item.name_en, name_zh=item.name_zh,
            kind=item.kind, order=item.order, aliases=item.aliases,
            parent=copies[item.parent_id] if item.parent_id else None,
            **{f: getattr(item, f) for f in extra},
        )
        copy.save()
        copies[item.pk] = copy
    return copies


def _move_figures(*, report_type: ReportType, period: BudgetPeriod, financial: dict, staff: dict) -> None:
    """Repoint the period's report rows from the old classes to their copies (same code)."""
    reports = {"report__report_type": report_type, "report__period": period}
    for old_id, new in financial.items():
        FinancialLine.objects.filter(financial_class_id=old_id, **reports).update(financial_class=new)
        Redeployment.objects.filter(category_id=old_id, **reports).update(category=new)
    for old_id, new in staff.items():
        StaffIncumbency.objects.filter(category_id=old_id, **reports).update(category=new)


def _ensure_own(report_type: ReportType, period: BudgetPeriod) -> None:
    """Editing a period's list starts by giving the period its own copy."""
    if not class_list_is_own(report_type=report_type, period=period):
        prior = previous_period(period)
        class_list_copy(report_type=report_type, from_period=prior, to_period=period)


# --- edits (the class-list page) ------------------------------------------------------------


def _model(kind: str):
    return FinancialClass if kind == "financial" else StaffCategory


def _row(kind: str, *, report_type: ReportType, period: BudgetPeriod, code: str):
    try:
        return _model(kind).objects.get(report_type=report_type, period=period, code=code)
    except _model(kind).DoesNotExist:
        raise DomainError(_("No class “%(code)s” in this list.") % {"code": code}, code="class_missing") from None


@transaction.atomic
def class_add(
    *, kind: str, report_type: ReportType, period: BudgetPeriod, code: str, name_en: str, name_zh: str = "",
    row_kind: str = "line", parent_code: str = "", in_totals: bool = True, aliases: str = "",
):
    """Add a class (or staff category) at the end of its group, or of the list."""
    _ensure_own(report_type, period)
    model = _model(kind)
    if model.objects.filter(report_type=report_type, period=period, code=code).exists():
        raise DomainError(_("The code “%(code)s” is already in this list.") % {"code": code}, code="duplicate_code", field="code")
    parent = _row(kind, report_type=report_type, period=period, code=parent_code) if parent_code else None
    last = model.objects.filter(report_type=report_type, period=period).aggregate(m=Max("order"))["m"] or 0
    if parent is not None:  # at the end of its group: after the group's last row
        group_last = model.objects.filter(report_type=report_type, period=period, parent=parent).aggregate(m=Max("order"))["m"]
        order = (group_last or parent.order) + 1
        model.objects.filter(report_type=report_type, period=period, order__gte=order).update(order=F("order") + 10)
    else:
        order = last + 10
    row = model(report_type=report_type, period=period, code=code, name_en=name_en, name_zh=name_zh, kind=row_kind,
                parent=parent, order=order, aliases=aliases)
    if model is FinancialClass:
        row.in_totals = in_totals
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def class_update(
    *, kind: str, report_type: ReportType, period: BudgetPeriod, code: str, name_en: str, name_zh: str,
    aliases: str = "", parent_code: str | None = None, in_totals: bool | None = None, summary_lines: bool | None = None,
):
    """Rename a class (the old name becomes an alias), regroup it, or mark it a memo line not in totals."""
    _ensure_own(report_type, period)
    row = _row(kind, report_type=report_type, period=period, code=code)
    known = alias_list(aliases)
    for old in (row.name_en, row.name_zh):  # a renamed class is still found by its old name on import
        if old and old not in (name_en, name_zh) and old not in known:
            known.append(old)
    row.name_en, row.name_zh, row.aliases = name_en, name_zh, "\n".join(known)
    if parent_code is not None:
        row.parent = _row(kind, report_type=report_type, period=period, code=parent_code) if parent_code else None
    if isinstance(row, FinancialClass):
        if in_totals is not None:
            row.in_totals = in_totals
        if summary_lines is not None:
            row.summary_lines = summary_lines
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def class_move(*, kind: str, report_type: ReportType, period: BudgetPeriod, code: str, up: bool) -> None:
    """Swap a row with its neighbour in the list."""
    _ensure_own(report_type, period)
    rows = list(_model(kind).objects.filter(report_type=report_type, period=period).order_by("order", "id"))
    index = next((i for i, r in enumerate(rows) if r.code == code), None)
    if index is None:
        raise DomainError(_("No class “%(code)s” in this list.") % {"code": code}, code="class_missing")
    other = index - 1 if up else index + 1
    if not 0 <= other < len(rows):
        return
    rows[index], rows[other] = rows[other], rows[index]
    for order, row in enumerate(rows, start=1):
        if row.order != order * 10:
            _model(kind).objects.filter(pk=row.pk).update(order=order * 10)


@transaction.atomic
def class_retire(*, kind: str, report_type: ReportType, period: BudgetPeriod, code: str) -> None:
    """Remove a class from the period's list; refused while a report of the period has figures on it."""
    _ensure_own(report_type, period)
    row = _row(kind, report_type=report_type, period=period, code=code)
    if row.children.exists():
        raise DomainError(_("Move or retire the classes of this group first."), code="group_not_empty")
    if kind == "financial":
        used = row.lines.exclude(apportionment__isnull=True, expenditure__isnull=True).exists() or row.redeployments.exclude(
            original__isnull=True, redeployment__isnull=True).exists()
        if used:
            raise DomainError(_("A report of this period has figures on this class; it cannot be retired."), code="class_in_use")
        row.lines.all().delete()
        row.redeployments.all().delete()
    else:
        if row.incumbency.exclude(authorized__isnull=True, actual_average__isnull=True).exists():
            raise DomainError(_("A report of this period has figures on this category; it cannot be retired."), code="class_in_use")
        row.incumbency.all().delete()
    row.delete()


# --- import (a whole list from JSON) --------------------------------------------------------


@transaction.atomic
def class_list_import(*, data) -> tuple[ReportType, BudgetPeriod]:
    """Replace a period's list with the file's (docs/class-lists.md); all or nothing.

    Rows are matched by code: existing ones are updated (their report figures stay), new ones
    added, and rows the file leaves out removed, unless a report of the period has figures on
    them (an error). Every error is listed with its place in the file.
    """
    errors: list[str] = []
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ClassListInvalid([_("$.format: expected “%(format)s”.") % {"format": FORMAT}])
    # The shape first (missions/data/class-list.schema.json, a copy of docs/), then the content.
    shape = [f"{error.json_path}: {error.message}" for error in _validator().iter_errors(data)]
    if shape:
        raise ClassListInvalid(shape)
    report_type = ReportType.objects.filter(code=data.get("report_type")).first()
    period = BudgetPeriod.objects.filter(label=data.get("period")).first()
    if report_type is None:
        errors.append(_("$.report_type: no report type “%(code)s”.") % {"code": data.get("report_type")})
    if period is None:
        errors.append(_("$.period: no period “%(label)s”.") % {"label": data.get("period")})
    lists = {}
    for key, kinds in (("financial_classes", FinancialClass.Kind.values), ("staff_categories", StaffCategory.Kind.values)):
        items = data.get(key)
        if not isinstance(items, list):
            errors.append(_("$.%(key)s: expected a list.") % {"key": key})
            continue
        seen: set[str] = set()
        for index, item in enumerate(items):
            path = f"$.{key}[{index}]"
            if not isinstance(item, dict):
                errors.append(_("%(path)s: expected an object.") % {"path": path})
                continue
            code, kind = item.get("code"), item.get("kind", "line")
            if not isinstance(code, str) or not code.strip() or len(code) > 60:
                errors.append(_("%(path)s.code: a code of at most 60 letters, digits and hyphens is required.") % {"path": path})
            elif code in seen:
                errors.append(_("%(path)s.code: “%(code)s” is used twice.") % {"path": path, "code": code})
            if kind not in kinds:
                errors.append(_("%(path)s.kind: unknown kind “%(kind)s”.") % {"path": path, "kind": kind})
            if not isinstance(item.get("name_en"), str) or not item.get("name_en", "").strip():
                errors.append(_("%(path)s.name_en: the English name is required.") % {"path": path})
            parent = item.get("parent")
            if parent is not None and parent not in seen:
                errors.append(_("%(path)s.parent: “%(parent)s” is not a group listed before this row.") % {"path": path, "parent": parent})
            if not isinstance(item.get("aliases", []), list):
                errors.append(_("%(path)s.aliases: expected a list of names.") % {"path": path})
            if isinstance(code, str):
                seen.add(code)
        lists[key] = items
    if errors:
        raise ClassListInvalid(errors)
    _ensure_own(report_type, period)
    for key, model in (("financial_classes", FinancialClass), ("staff_categories", StaffCategory)):
        _replace(model, key, lists[key], report_type=report_type, period=period, errors=errors)
    if errors:
        transaction.set_rollback(True)
        raise ClassListInvalid(errors)
    return report_type, period


def _replace(model, key: str, items: list[dict], *, report_type, period, errors: list[str]) -> None:
    existing = {row.code: row for row in model.objects.filter(report_type=report_type, period=period)}
    kept: dict[str, object] = {}
    for order, item in enumerate(items, start=1):
        row = existing.get(item["code"]) or model(report_type=report_type, period=period, code=item["code"])
        row.name_en, row.name_zh = item["name_en"].strip(), (item.get("name_zh") or "").strip()
        row.kind, row.order = item.get("kind", "line"), order * 10
        row.parent = kept.get(item["parent"]) if item.get("parent") else None
        row.aliases = "\n".join(a.strip() for a in item.get("aliases", []) if isinstance(a, str) and a.strip())
        if model is FinancialClass:
            row.in_totals = bool(item.get("in_totals", True))
            row.summary_lines = bool(item.get("summary_lines", False))
        row.save()
        kept[row.code] = row
    # Children before their groups, so a removed group is empty when its turn comes.
    for code, row in sorted(existing.items(), key=lambda pair: pair[1].parent_id is None):
        if code in kept:
            continue
        try:
            class_retire(kind="financial" if model is FinancialClass else "staff", report_type=report_type, period=period, code=code)
        except DomainError as exc:
            errors.append(f"$.{key}: “{code}”: {exc.message}")
