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

from missions.content import field_name
from missions.models import ChangeRecord, Report, Unit
from missions.selectors import access_for_user, access_may_enter_data
from rbb.exceptions import DomainError, NotPermitted, ReportLocked, StaleVersion

from rbb.lib.figures import parse_figure

from .models import ExpectedAccomplishment, Indicator, Output
from .presentation import item_label
from .signals import actual_saved

# The actual side's texts exist in both languages (X Chinese, X_en English); translators fill
# the missing one through the same services, so the version check, audit and locks hold.
INDICATOR_FIELDS = ("actual", "actual_narrative", "variance_explanation", "actual_narrative_en", "variance_explanation_en")
OUTPUT_FIELDS = ("completed_kind", "completed", "remarks", "remarks_en")
INDICATOR_TEXTS = ("actual_narrative", "variance_explanation", "actual_narrative_en", "variance_explanation_en")
OUTPUT_TEXTS = ("remarks", "remarks_en")

NUMBER_REQUIRED = _("Enter the number completed.")
ACTUALS_IN_PLANNING = _("This report is a budget proposal: actuals are entered once its performance phase is open.")


@transaction.atomic
def indicator_actual_record(
    *, indicator: Indicator, actual: str, actual_narrative: str, variance_explanation: str, version: int, by,
    actual_narrative_en: str | None = None, variance_explanation_en: str | None = None,
) -> Indicator:
    """Record what an indicator achieved; refuse a stale version, a locked report or a wrong role.

    The English texts are changed only when given (None keeps them), so routes that edit one
    language leave the other alone.
    """
    report = _report_for_change(item=indicator, by=by)
    probe = Indicator()
    probe.set_actual(actual)
    values = {
        "actual": probe.actual,
        "actual_value": probe.actual_value,
        "actual_narrative": _text(actual_narrative),
        "variance_explanation": _text(variance_explanation),
        "actual_narrative_en": _text_or_none(actual_narrative_en),
        "variance_explanation_en": _text_or_none(variance_explanation_en),
    }
    return _record(item=indicator, report=report, values=values, audited=INDICATOR_FIELDS, version=version, by=by)


@transaction.atomic
def indicator_texts_record(*, indicator: Indicator, texts: dict[str, str], version: int, by) -> Indicator:
    """Record some of an indicator's actual-side texts (a translator filling a language), nothing else."""
    report = _report_for_change(item=indicator, by=by)
    values = {name: _text(texts[name]) for name in INDICATOR_TEXTS if texts.get(name) is not None}
    return _record(item=indicator, report=report, values=values, audited=tuple(values), version=version, by=by)


@transaction.atomic
def output_texts_record(*, output: Output, texts: dict[str, str], version: int, by) -> Output:
    """Record an output's remarks in one or both languages, nothing else."""
    report = _report_for_change(item=output, by=by)
    values = {name: _text(texts[name]) for name in OUTPUT_TEXTS if texts.get(name) is not None}
    return _record(item=output, report=report, values=values, audited=tuple(values), version=version, by=by)


@transaction.atomic
def output_delivery_record(
    *, output: Output, completed_kind: str, completed: str, remarks: str, version: int, by,
    remarks_en: str | None = None,
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
        "remarks_en": _text_or_none(remarks_en),
    }
    return _record(item=output, report=report, values=values, audited=OUTPUT_FIELDS, version=version, by=by)


def _report_for_change(*, item: Indicator | Output, by) -> Report:
    """Lock the item's report row, then check the role and the report state.

    The row lock makes a save and a submission of the same report take turns, so a report is
    never submitted with an item changed behind the completeness check.
    """
    unit = item.unit if isinstance(item, Output) else item.accomplishment.unit
    report = _report_for_unit(unit=unit, by=by)
    if report.is_planning:
        raise ReportLocked(ACTUALS_IN_PLANNING, code="planning_phase")
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
    # A text not given keeps its stored value.
    values = {name: current[name] if value is _KEEP else value for name, value in values.items()}
    changed = [name for name in audited if name in values and values[name] != current[name]]
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


_KEEP = object()  # a text the caller did not give: the stored one stays


def _text_or_none(value: str | None):
    return _KEEP if value is None else _text(value)


def _text(value: str) -> str:
    """Narratives keep one paragraph per line; browsers send CRLF; control characters are dropped."""
    value = _CONTROL.sub("", (value or "").replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(line.rstrip() for line in value.strip().split("\n"))


# --- the planned side, in the planning phase ------------------------------------------------------
# Small services for the budget proposal's framework (written while the planning-phase editor is
# built elsewhere): they change only what a planner writes, and only while report.planned_side_editable.

PLAN_LOCKED = _("The framework (planned side) can be changed only in the planning phase of a report that is not submitted.")


def _report_for_planning(*, unit, by) -> Report:
    report = Report.objects.select_for_update().select_related("report_type", "period").get(pk=unit.report_id)
    if not access_may_enter_data(access_for_user(by), mission_id=report.mission_id, unit_number=unit.number):
        raise NotPermitted()
    if not report.planned_side_editable:
        raise ReportLocked(PLAN_LOCKED)
    return report


def _target_set(indicator: Indicator, *, report: Report, printed: str) -> str:
    """Write the period's target figure (kept as printed, parsed once); return the old one."""
    from .models import IndicatorFigure

    figure = IndicatorFigure.objects.filter(indicator=indicator, kind=IndicatorFigure.Kind.TARGET).first()
    old = figure.printed if figure else ""
    if not printed:
        if figure:
            figure.delete()
        return old
    if figure is None:
        figure = IndicatorFigure(indicator=indicator, kind=IndicatorFigure.Kind.TARGET, period_label=report.period.label, order=99)
    figure.set_printed(printed)
    figure.save()
    return old


def _plan_audit(*, report: Report, item, changes: dict, version: int, by) -> None:
    label = item_label(item, headquarters=report.report_type.is_headquarters)
    ChangeRecord.objects.bulk_create(
        ChangeRecord(report=report, item_type=type(item)._meta.model_name, item_id=item.pk, item_label=label, field=name,
                     old_value=old, new_value=new, version=version, actor=by)
        for name, (old, new) in changes.items()
    )


@transaction.atomic
def indicator_plan_record(*, indicator: Indicator, statement: str, statement_en: str, target: str, version: int, by) -> Indicator:
    """Change an indicator's statement (both languages) and target in the planning phase; versioned and audited."""
    report = _report_for_planning(unit=indicator.accomplishment.unit, by=by)
    current = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if current.version != version:
        raise _stale(Indicator, indicator.pk)
    statement, statement_en = _text(statement), _text(statement_en)
    if not (statement or statement_en):
        raise DomainError(_("Write the indicator's statement."), code="statement_required", field="statement")
    changes = {name: (getattr(current, name), new) for name, new in (("statement", statement), ("statement_en", statement_en))
               if getattr(current, name) != new}
    old_target = _target_set(current, report=report, printed=target)
    if old_target != target:
        changes["target"] = (old_target, target)
    if not changes:
        return current
    current.statement, current.statement_en = statement, statement_en
    current.version += 1
    current.updated_by = by
    current.save(update_fields=["statement", "statement_en", "version", "updated_by", "updated_at"])
    _plan_audit(report=report, item=indicator, changes=changes, version=current.version, by=by)
    return current


@transaction.atomic
def output_plan_record(*, output: Output, planned_text: str, planned_text_en: str, planned_quantity: str, version: int, by) -> Output:
    """Change an output's planned text (both languages) and quantity in the planning phase."""
    report = _report_for_planning(unit=output.accomplishment.unit, by=by)
    current = Output.objects.select_for_update().get(pk=output.pk)
    if current.version != version:
        raise _stale(Output, output.pk)
    planned_text, planned_text_en = _text(planned_text), _text(planned_text_en)
    if not (planned_text or planned_text_en):
        raise DomainError(_("Write the planned output."), code="planned_text_required", field="planned_text")
    probe = Output()
    probe.set_planned_quantity(planned_quantity)
    values = {"planned_text": planned_text, "planned_text_en": planned_text_en, "planned_quantity": probe.planned_quantity}
    changes = {name: (getattr(current, name), new) for name, new in values.items() if getattr(current, name) != new}
    if not changes:
        return current
    current.planned_text, current.planned_text_en = planned_text, planned_text_en
    current.set_planned_quantity(planned_quantity)
    current.version += 1
    current.updated_by = by
    current.save(update_fields=["planned_text", "planned_text_en", "planned_quantity", "planned_value", "version", "updated_by", "updated_at"])
    _plan_audit(report=report, item=output, changes=changes, version=current.version, by=by)
    return current


def _new_number(model, *, accomplishment, number: str) -> str:
    number = (number or "").strip()
    if not number:
        raise DomainError(_("Give the new item a number."), code="number_required", field="number")
    if model.objects.filter(accomplishment=accomplishment, number=number).exists():
        raise DomainError(_("Number %(number)s is already used in this expected accomplishment.") % {"number": number},
                          code="number_taken", field="number")
    return number


@transaction.atomic
def indicator_add(*, accomplishment, number: str, statement: str, statement_en: str, target: str, by) -> Indicator:
    """Add an indicator at the end of an expected accomplishment in the planning phase."""
    report = _report_for_planning(unit=accomplishment.unit, by=by)
    number = _new_number(Indicator, accomplishment=accomplishment, number=number)
    statement, statement_en = _text(statement), _text(statement_en)
    if not (statement or statement_en):
        raise DomainError(_("Write the indicator's statement."), code="statement_required", field="statement")
    order = (Indicator.objects.filter(accomplishment=accomplishment).order_by("-order").values_list("order", flat=True).first() or 0) + 1
    indicator = Indicator.objects.create(accomplishment=accomplishment, number=number, statement=statement or statement_en,
                                         statement_en=statement_en, order=order, updated_by=by)
    _target_set(indicator, report=report, printed=target)
    _plan_audit(report=report, item=indicator, changes={"created": ("", statement or statement_en)}, version=1, by=by)
    return indicator


@transaction.atomic
def output_add(*, accomplishment, number: str, planned_text: str, planned_text_en: str, planned_quantity: str, by) -> Output:
    """Add an output at the end of an expected accomplishment in the planning phase."""
    report = _report_for_planning(unit=accomplishment.unit, by=by)
    number = _new_number(Output, accomplishment=accomplishment, number=number)
    planned_text, planned_text_en = _text(planned_text), _text(planned_text_en)
    if not (planned_text or planned_text_en):
        raise DomainError(_("Write the planned output."), code="planned_text_required", field="planned_text")
    order = (Output.objects.filter(accomplishment=accomplishment).order_by("-order").values_list("order", flat=True).first() or 0) + 1
    output = Output(accomplishment=accomplishment, number=number, planned_text=planned_text or planned_text_en,
                    planned_text_en=planned_text_en, order=order, updated_by=by)
    output.set_planned_quantity(planned_quantity)
    output.save()
    _plan_audit(report=report, item=output, changes={"created": ("", output.planned_text)}, version=1, by=by)
    return output


# --- translation ---------------------------------------------------------------------------------

# The texts a translator fills, per model; the planned side's only where the language is empty
# (a translation never rewrites the plan), the actual side's as on the entry page.
PLANNED_TEXTS = {
    Unit: ("title", "narrative"),
    ExpectedAccomplishment: ("text",),
    Indicator: ("statement", "unit_hint"),
    Output: ("heading", "planned_text"),
}
ACTUAL_TEXTS = {Indicator: ("actual_narrative", "variance_explanation"), Output: ("remarks",)}
TRANSLATION_EMPTY = _("Enter the translation.")
ALREADY_TRANSLATED = _("Someone has filled this text in the meantime; reload to see it.")


class AlreadyTranslated(StaleVersion):
    default_code = "already_translated"
    default_message = ALREADY_TRANSLATED


@transaction.atomic
def content_translation_record(
    *, item: Unit | ExpectedAccomplishment | Indicator | Output, field: str, language: str, text: str, by,
    version: int | None = None,
):
    """Fill one content text in `language` (`zh-hans` → X, `en` → X_en) of a framework item.

    Same role, lock and audit rules as every other change; indicators and outputs keep their
    version check. A planned text is only filled where that language is empty.
    """
    model = type(item)
    if field not in PLANNED_TEXTS.get(model, ()) + ACTUAL_TEXTS.get(model, ()):
        raise DomainError(_("This text cannot be translated here."), code="not_translatable", field="field")
    name = field_name(field, language)
    value = _text(text)
    if not value:
        raise DomainError(TRANSLATION_EMPTY, code="required", field="text")
    limit = model._meta.get_field(name).max_length
    if limit and len(value) > limit:
        raise DomainError(
            _("This text has %(length)d characters; at most %(limit)d fit.") % {"length": len(value), "limit": limit},
            code="too_long", field="text",
        )
    if "\n" in value and field not in ("narrative", "actual_narrative", "variance_explanation", "remarks"):
        value = " ".join(line.strip() for line in value.split("\n") if line.strip())
    planned = field in PLANNED_TEXTS.get(model, ())
    # Outputs belong to a unit (a headquarters unit's own have no accomplishment).
    unit = item if model is Unit else (item.unit if model in (ExpectedAccomplishment, Output) else item.accomplishment.unit)
    report = _report_for_unit(unit=unit, by=by)
    if model in (Indicator, Output):
        if planned and (model.objects.filter(pk=item.pk).values_list(name, flat=True).get() or "").strip():
            raise AlreadyTranslated()
        return _record(item=item, report=report, values={name: value}, audited=(name,), version=version or 0, by=by)
    # Units and expected accomplishments carry no version: the UPDATE fills the text only if it
    # is still empty, so of two translators the second is told the first was quicker.
    old = ""
    updated = model.objects.filter(pk=item.pk).filter(**{f"{name}__regex": r"^\s*$"}).update(**{name: value})
    if not updated:
        raise AlreadyTranslated()
    label = unit.number if model is Unit else (
        f"{unit.number} {item.number}" if report.report_type.is_headquarters else item.number
    )
    ChangeRecord.objects.create(
        report=report, item_type=model._meta.model_name, item_id=item.pk, item_label=label, field=name,
        old_value=old, new_value=value, actor=by,
    )
    setattr(item, name, value)
    return item


def _report_for_unit(*, unit: Unit, by) -> Report:
    report = Report.objects.select_for_update().select_related("report_type").get(pk=unit.report_id)
    if not access_may_enter_data(access_for_user(by), mission_id=report.mission_id, unit_number=unit.number):
        raise NotPermitted()
    if report.is_locked:
        raise ReportLocked()
    return report
