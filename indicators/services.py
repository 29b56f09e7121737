"""Writes of the actual side of the framework: one function per change, versioned and audited.

Every route that changes an item (pages, htmx, the API, imports) goes through these, so the
role, the report lock, the version check and the audit trail hold everywhere.
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

from rbb.lib.figures import parse_figure

from .models import Indicator, Output
from .presentation import item_label
from .signals import actual_saved

INDICATOR_FIELDS = ("actual", "actual_narrative", "variance_explanation")
OUTPUT_FIELDS = ("completed_kind", "completed", "remarks")

NUMBER_REQUIRED = _("Enter the number completed.")
ACTUALS_IN_PLANNING = _("This report is a budget proposal: actuals are entered once its performance phase is open.")


@transaction.atomic
def indicator_actual_record(
    *, indicator: Indicator, actual: str, actual_narrative: str, variance_explanation: str, version: int, by
) -> Indicator:
    """Record what an indicator achieved; refuse a stale version, a locked report or a wrong role."""
    report = _report_for_change(item=indicator, by=by)
    probe = Indicator()
    probe.set_actual(actual)
    values = {
        "actual": probe.actual,
        "actual_value": probe.actual_value,
        "actual_narrative": _text(actual_narrative),
        "variance_explanation": _text(variance_explanation),
    }
    return _record(item=indicator, report=report, values=values, audited=INDICATOR_FIELDS, version=version, by=by)


@transaction.atomic
def output_delivery_record(
    *, output: Output, completed_kind: str, completed: str, remarks: str, version: int, by
) -> Output:
    """Record whether an output was delivered; refuse a stale version, a locked report or a wrong role."""
    report = _report_for_change(item=output, by=by)
    if completed_kind not in Output.Completed.values:
        raise DomainError(_("Choose what was completed."), code="invalid_choice", field="completed_kind")
    probe = Output()
    probe.set_completed(completed_kind, completed)
    # An actual printed as not applicable (不适用, —) is kept as printed; no ratio is computed.
    if completed_kind == Output.Completed.NUMBER and probe.completed_value is None and not parse_figure(probe.completed).not_applicable:
        raise DomainError(NUMBER_REQUIRED, code="number_required", field="completed")
    if completed_kind == Output.Completed.NUMBERS and len(probe.completed_values) < 2:
        raise DomainError(NUMBER_REQUIRED, code="numbers_required", field="completed")
    values = {
        "completed_kind": probe.completed_kind,
        "completed": probe.completed,
        "completed_value": probe.completed_value,
        "remarks": _text(remarks),
    }
    return _record(item=output, report=report, values=values, audited=OUTPUT_FIELDS, version=version, by=by)


def _report_for_change(*, item: Indicator | Output, by) -> Report:
    """Lock the item's report row, then check the role and the report state.

    The row lock makes a save and a submission of the same report take turns, so a report is
    never submitted with an item changed behind the completeness check.
    """
    unit = item.unit if isinstance(item, Output) else item.accomplishment.unit
    report = Report.objects.select_for_update().select_related("report_type").get(pk=unit.report_id)
    if not access_may_enter_data(access_for_user(by), mission_id=report.mission_id, unit_number=unit.number):
        raise NotPermitted()
    if report.is_planning:
        raise ReportLocked(ACTUALS_IN_PLANNING, code="planning_phase")
    if report.is_locked:
        raise ReportLocked()
    return report


def _record(*, item: Indicator | Output, report: Report, values: dict, audited: tuple, version: int, by):
    """Write the values if the item is still at `version`, with one change record per changed field.

    The UPDATE carries `WHERE version = %s`, so of two saves of the same version exactly one
    matches a row; the other is told who was first and sees their values.
    """
    model = type(item)
    current = model.objects.filter(pk=item.pk).values(*values, "version").get()
    if current["version"] != version:
        raise _stale(model, item.pk)
    changed = [name for name in audited if values[name] != current[name]]
    if not changed:
        return item
    now = timezone.now()
    updated = model.objects.filter(pk=item.pk, version=version).update(
        **values, version=F("version") + 1, updated_by=by, updated_at=now
    )
    if not updated:
        raise _stale(model, item.pk)
    new_version = version + 1
    label = item_label(item, headquarters=report.report_type.is_headquarters)
    ChangeRecord.objects.bulk_create(
        ChangeRecord(
            report=report, item_type=model._meta.model_name, item_id=item.pk, item_label=label, field=name,
            old_value=current[name], new_value=values[name], version=new_version, actor=by,
        )
        for name in changed
    )
    for name, value in values.items():
        setattr(item, name, value)
    item.version, item.updated_by, item.updated_at = new_version, by, now
    actual_saved.send(sender=model, report=report, item=item)
    return item


def _stale(model: type[Model], pk: int) -> StaleVersion:
    current = model.objects.select_related("updated_by").get(pk=pk)
    fields = INDICATOR_FIELDS if model is Indicator else OUTPUT_FIELDS
    return StaleVersion(
        extra={
            "version": current.version,
            "values": {name: getattr(current, name) for name in fields},
            "updated_by": current.updated_by.get_username() if current.updated_by else "",
            "updated_at": current.updated_at.isoformat(),
        }
    )


# Control characters (a form feed or escape pasted from a PDF) carry no meaning in a narrative
# and no document format can hold them; tab and line feed stay.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(value: str) -> str:
    """Narratives keep one paragraph per line; browsers send CRLF; control characters are dropped."""
    value = _CONTROL.sub("", (value or "").replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(line.rstrip() for line in value.strip().split("\n"))
