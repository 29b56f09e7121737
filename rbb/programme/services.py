"""Writes of a programme plan: one function per change, versioned and audited.

The department's focal points and approvers enter year−2's actuals (a deliverable's actual
column and its explanation, a performance measure's actual cell, the performance narrative)
and the plan year's planned values. Pages, htmx and the API all call these, so the role, the
report lock, the version check and the audit trail hold on every route.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from missions.models import ChangeRecord, Report
from missions.selectors import access_for_user, access_may_enter_data
from rbb.exceptions import DomainError, NotPermitted, ReportLocked, StaleVersion
from rbb.lib.numbers import NumberError

from . import rules
from .flags import plan_year
from .models import Deliverable, MeasureCell, Result, ResultParagraph

DELIVERABLE_FIELDS = ("prior_actual", "planned", "explanation", "explanation_en")
CELL_FIELDS = ("text", "text_en")
PARAGRAPH_FIELDS = ("text", "text_en")

NOT_A_COUNT = _("Enter a number, or — for nil.")
CELL_NOT_EDITABLE = _("Only the actual of year−2 and the plan of the plan year are entered here.")
PARAGRAPH_NOT_EDITABLE = _("Only the programme performance's narrative is entered here.")
ACTUAL_REQUIRED = _("Enter the actual, or — for nil.")


def _count(value: str, *, field: str, required: bool = False) -> str:
    value = (value or "").strip()
    if value in ("-", "–"):
        value = rules.EM_DASH
    if not value:
        if required:
            raise DomainError(ACTUAL_REQUIRED, code="required", field=field)
        return ""
    try:
        number = rules.count_value(value)
    except NumberError:
        raise DomainError(NOT_A_COUNT, code="not_a_count", field=field) from None
    return rules.EM_DASH if number is None else rules.format_count(number)


@transaction.atomic
def deliverable_actual_record(
    *, deliverable: Deliverable, prior_actual: str, planned: str, explanation: str, explanation_en: str, version: int, by
) -> Deliverable:
    """Record a deliverable's year−2 actual, its plan-year plan and why the actual differs."""
    sp = deliverable.subcategory.subprogramme
    report = _report_for_change(report_id=sp.report_id, number=sp.number, by=by)
    values = {
        "prior_actual": _count(prior_actual, field="prior_actual", required=True),
        "planned": _count(planned, field="planned"),
        "explanation": _text(explanation),
        "explanation_en": _text(explanation_en),
    }
    label = f"{sp.number} · {deliverable.number}"
    return _record(item=deliverable, report=report, values=values, audited=DELIVERABLE_FIELDS, version=version, by=by, label=label)


@transaction.atomic
def measure_cell_record(*, cell: MeasureCell, text: str, text_en: str, version: int, by) -> MeasureCell:
    """Record a performance-measure cell: year−2's actual or the plan year's planned value."""
    result = cell.result
    sp = result.subprogramme
    report = _report_for_change(report_id=sp.report_id, number=sp.number, by=by)
    if not measure_cell_editable(cell, year=plan_year(report)):
        raise DomainError(CELL_NOT_EDITABLE, code="not_editable", field="text")
    values = {"text": _text(text), "text_en": _text(text_en)}
    label = f"{sp.number} · {result.measure_number or result.number} · {cell.year}"
    return _record(item=cell, report=report, values=values, audited=CELL_FIELDS, version=version, by=by, label=label)


@transaction.atomic
def performance_paragraph_record(*, paragraph: ResultParagraph, text: str, text_en: str, version: int, by) -> ResultParagraph:
    """Record a paragraph of year−2's programme performance narrative."""
    result = paragraph.result
    sp = result.subprogramme
    report = _report_for_change(report_id=sp.report_id, number=sp.number, by=by)
    if result.kind != Result.Kind.PERFORMANCE:
        raise DomainError(PARAGRAPH_NOT_EDITABLE, code="not_editable", field="text")
    values = {"text": _text(text), "text_en": _text(text_en)}
    label = f"{sp.number} · {paragraph.number}"
    return _record(item=paragraph, report=report, values=values, audited=PARAGRAPH_FIELDS, version=version, by=by, label=label)


def measure_cell_editable(cell: MeasureCell, *, year: int) -> bool:
    """The cells entered: year−2's actual (the performance) and the plan year's planned value."""
    return (cell.kind == MeasureCell.Kind.ACTUAL and cell.year == year - 2) or (
        cell.kind == MeasureCell.Kind.PLANNED and cell.year == year
    )


def _report_for_change(*, report_id: int, number: int, by) -> Report:
    """Lock the report row (a save and a submission take turns), then check the role and the lock.

    A focal point limited to some units is limited to those subprogramme numbers here.
    """
    report = Report.objects.select_for_update().select_related("report_type", "period").get(pk=report_id)
    if not access_may_enter_data(access_for_user(by), mission_id=report.mission_id, unit_number=str(number)):
        raise NotPermitted()
    if report.is_locked:
        raise ReportLocked()
    return report


def _record(*, item: Model, report: Report, values: dict, audited: tuple, version: int, by, label: str):
    """Write the values if the item is still at `version` (UPDATE … WHERE version = %s), with one
    change record per changed field; a stale version is refused with the other person's values."""
    model = type(item)
    current = model.objects.filter(pk=item.pk).values(*values, "version").get()
    if current["version"] != version:
        raise _stale(model, item.pk, audited)
    changed = [name for name in audited if values[name] != current[name]]
    if not changed:
        return item
    now = timezone.now()
    updated = model.objects.filter(pk=item.pk, version=version).update(**values, version=F("version") + 1, updated_by=by, updated_at=now)
    if not updated:
        raise _stale(model, item.pk, audited)
    new_version = version + 1
    ChangeRecord.objects.bulk_create(
        ChangeRecord(
            report=report, item_type=model._meta.model_name, item_id=item.pk, item_label=label[:100], field=name,
            old_value=current[name], new_value=values[name], version=new_version, actor=by,
        )
        for name in changed
    )
    for name, value in values.items():
        setattr(item, name, value)
    item.version, item.updated_by, item.updated_at = new_version, by, now
    return item


def _stale(model, pk: int, fields: tuple) -> StaleVersion:
    current = model.objects.select_related("updated_by").get(pk=pk)
    return StaleVersion(extra={
        "version": current.version,
        "values": {name: getattr(current, name) for name in fields},
        "updated_by": current.updated_by.get_username() if current.updated_by else "",
        "updated_at": current.updated_at.isoformat(),
    })


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(value: str) -> str:
    value = _CONTROL.sub("", (value or "").replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(line.rstrip() for line in value.strip().split("\n"))
