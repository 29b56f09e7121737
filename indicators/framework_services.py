"""Writes of the planned side: the framework editor (issue 14 §2).

Units (components, departments, sub-units), expected accomplishments, indicators (statement,
measure, unit as printed, direction, baselines, target, headquarters estimate) and outputs
(heading, planned text, planned quantity) are added, changed, reordered and deleted here,
only while the report's planned side is editable (`Report.planned_side_editable`: planning
phase, not submitted or accepted). Every route (pages, API) calls these functions, so the
role, the lock, the version check and the audit trail hold everywhere, as for data entry.

Numbers follow the order: a mission's components are 1, 2 …, its accomplishments 1.1, 1.2 …,
indicators 1.1.1 …; a headquarters unit keeps the number people give it, its accomplishments
are (a), (b) …, indicators ㈠, ㈡ …; outputs are 1, 2 … within their accomplishment. Moving,
adding or deleting an item renumbers what follows it, in one pass (framework_renumber).

Deleting an item that has a descendant in a later period (same lineage) or entered data
needs `confirm=True`; without it ConfirmationRequired says why. Creations, changes, moves and
deletions each leave ChangeRecords.
"""

from __future__ import annotations

import datetime
import string
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from missions.models import BudgetPeriod, ChangeRecord, Membership, Mission, Report, ReportType, Unit
from missions.selectors import access_for_user, access_may_enter_data
from rbb.exceptions import DomainError, NotPermitted, ReportLocked, StaleVersion

from .models import ExpectedAccomplishment, Indicator, IndicatorFigure, Output
from .services import _text

Kind = IndicatorFigure.Kind


class FrameworkLocked(ReportLocked):
    default_code = "framework_locked"
    default_message = _("The framework can be changed only in the planning phase, before the proposal is submitted.")


class ConfirmationRequired(DomainError):
    """The deletion loses history or entered data: ask again with confirm."""

    http_status = 409
    default_code = "confirmation_required"
    default_message = _("This item has a history in later periods or entered data. Confirm to delete it.")


# --- who may change the framework -------------------------------------------------------------


def framework_may_edit(user, *, report: Report, unit_number: str | None = None, whole: bool = False) -> bool:
    """The mission's approvers and focal points (within their units) and budget administrators.

    `whole`: a change of the report's list of units, which a focal point limited to some units
    may not make.
    """
    access = access_for_user(user)
    if access.has_role(report.mission_id, Membership.Role.BUDGET_ADMIN):
        return True
    if whole and access.unit_limits.get(report.mission_id):
        return False
    return access_may_enter_data(access, mission_id=report.mission_id, unit_number=unit_number)


def _report_for_edit(*, report_id: int, by, unit_number: str | None = None, whole: bool = False) -> Report:
    """Lock the report row (a submission waits for the edit), then check role and phase."""
    report = Report.objects.select_for_update().select_related("report_type", "period").get(pk=report_id)
    if not framework_may_edit(by, report=report, unit_number=unit_number, whole=whole):
        raise NotPermitted()
    if not report.planned_side_editable:
        raise FrameworkLocked()
    return report


def _placeholder() -> str:
    """A number no item has, until framework_renumber gives the new item its real one."""
    return f"~{uuid.uuid4().hex[:18]}"


# --- numbering --------------------------------------------------------------------------------

_CIRCLED = "㈠㈡㈢㈣㈤㈥㈦㈧㈨㈩"
_CHINESE_DIGITS = "零一二三四五六七八九"


def hq_indicator_number(index: int) -> str:
    """㈠ … ㈩ for the first ten headquarters indicators, then (十一), (十二) … as A/76/596 prints them."""
    if index < 10:
        return _CIRCLED[index]
    n = index + 1
    tens, ones = divmod(n, 10)
    text = ("" if tens == 1 else _CHINESE_DIGITS[tens]) + "十" + (_CHINESE_DIGITS[ones] if ones else "")
    return f"({text})"


def hq_accomplishment_number(index: int) -> str:
    letters = string.ascii_lowercase
    return f"({letters[index]})" if index < 26 else f"({letters[index // 26 - 1]}{letters[index % 26]})"


@dataclass
class _Renumbered:
    model: type
    rows: list  # (pk, old number, new number, old order, new order, label)


def framework_renumber(*, report: Report, by) -> int:
    """Give every unit, accomplishment, indicator and output the number and order its place gives it.

    Four reads and, for what changed, two bulk updates per table (through a temporary number,
    since numbers are unique among siblings). Returns how many items changed number.
    """
    headquarters = report.report_type.is_headquarters
    units = list(Unit.objects.filter(report=report).order_by("order", "id").values("id", "number", "order", "parent_id", "kind"))
    eas = list(ExpectedAccomplishment.objects.filter(unit__report=report).order_by("order", "id").values("id", "number", "order", "unit_id"))
    indicators = list(Indicator.objects.filter(accomplishment__unit__report=report).order_by("order", "id").values("id", "number", "order", "accomplishment_id"))
    outputs = list(Output.objects.filter(accomplishment__unit__report=report).order_by("order", "id").values("id", "number", "order", "accomplishment_id"))

    plans = {Unit: [], ExpectedAccomplishment: [], Indicator: [], Output: []}
    unit_numbers = {}
    top = [u for u in units if u.get("parent_id") is None]
    for position, unit in enumerate(top):
        number = unit["number"] if headquarters else str(position + 1)
        unit_numbers[unit["id"]] = number
        plans[Unit].append((unit, number, position))
    children: dict = {}
    for unit in units:
        if unit.get("parent_id") is not None:
            children.setdefault(unit["parent_id"], []).append(unit)
    for siblings in children.values():
        for position, unit in enumerate(siblings):
            unit_numbers[unit["id"]] = unit["number"]
            plans[Unit].append((unit, unit["number"], position))

    ea_numbers = {}
    by_unit: dict = {}
    for ea in eas:
        by_unit.setdefault(ea["unit_id"], []).append(ea)
    for unit_id, siblings in by_unit.items():
        for position, ea in enumerate(siblings):
            number = hq_accomplishment_number(position) if headquarters else f"{unit_numbers[unit_id]}.{position + 1}"
            ea_numbers[ea["id"]] = number
            plans[ExpectedAccomplishment].append((ea, number, position))

    for model, rows, numbering in (
        (Indicator, indicators, lambda ea_id, i: hq_indicator_number(i) if headquarters else f"{ea_numbers[ea_id]}.{i + 1}"),
        (Output, outputs, lambda ea_id, i: str(i + 1)),
    ):
        by_ea: dict = {}
        for row in rows:
            by_ea.setdefault(row["accomplishment_id"], []).append(row)
        for ea_id, siblings in by_ea.items():
            for position, row in enumerate(siblings):
                plans[model].append((row, numbering(ea_id, position), position))

    changed_numbers = 0
    records = []
    for model, planned in plans.items():
        changed = [(row, number, position) for row, number, position in planned if row["number"] != number or row["order"] != position]
        if not changed:
            continue
        renamed = [(row, number, position) for row, number, position in changed if row["number"] != number]
        # First step aside (numbers are unique among siblings), then take the new numbers.
        if renamed:
            model.objects.bulk_update([model(pk=row["id"], number=f"~{row['id']}") for row, _n, _p in renamed], ["number"])
        model.objects.bulk_update([model(pk=row["id"], number=number, order=position) for row, number, position in changed], ["number", "order"])
        for row, number, _position in renamed:
            changed_numbers += 1
            records.append(ChangeRecord(
                report=report, item_type=_item_type(model), item_id=row["id"], item_label=number[:100], field="number",
                old_value=row["number"], new_value=number, version=0, actor=by,
            ))
    ChangeRecord.objects.bulk_create(records)
    return changed_numbers


def _item_type(model) -> str:
    return {Unit: "unit", ExpectedAccomplishment: "accomplishment", Indicator: "indicator", Output: "output"}[model]


# --- shared steps ------------------------------------------------------------------------------


def _audit(*, report: Report, item, field: str, old, new, by, version: int = 0) -> ChangeRecord:
    return ChangeRecord(
        report=report, item_type=_item_type(type(item)), item_id=item.pk, item_label=str(getattr(item, "number", ""))[:100],
        field=field, old_value="" if old is None else str(old), new_value="" if new is None else str(new), version=version, actor=by,
    )


def _update(*, item, report: Report, values: dict, version: int, by, extra_changes: dict | None = None):
    """Write `values` if the item is still at `version`; one change record per changed field.

    extra_changes: changes already written elsewhere (an indicator's figures), audited with these.
    """
    model = type(item)
    current = model.objects.filter(pk=item.pk).values(*values, "version").get()
    if current["version"] != version:
        raise _stale(model, item.pk, list(values))
    changes = {name: (current[name], new) for name, new in values.items() if current[name] != new}
    changes.update(extra_changes or {})
    if not changes:
        return item
    now = timezone.now()
    updated = model.objects.filter(pk=item.pk, version=version).update(**values, version=F("version") + 1, updated_by=by, updated_at=now)
    if not updated:
        raise _stale(model, item.pk, list(values))
    for name, value in values.items():
        setattr(item, name, value)
    item.version, item.updated_by, item.updated_at = version + 1, by, now
    ChangeRecord.objects.bulk_create(_audit(report=report, item=item, field=name, old=old, new=new, by=by, version=item.version)
                                     for name, (old, new) in changes.items())
    return item


def _stale(model, pk: int, fields: list[str]) -> StaleVersion:
    current = model.objects.select_related("updated_by").get(pk=pk)
    return StaleVersion(extra={
        "version": current.version,
        "values": {name: _plain(getattr(current, name)) for name in fields},
        "updated_by": current.updated_by.get_username() if current.updated_by else "",
        "updated_at": current.updated_at.isoformat() if current.updated_at else "",
    })


def _plain(value):
    return value if isinstance(value, (str, int, type(None))) else str(value)


def _required(value: str, *, field: str) -> str:
    value = _text(value)
    if not value:
        raise DomainError(_("This field is required."), code="required", field=field)
    return value


def _choice(value: str, choices, *, field: str) -> str:
    if value not in choices.values:
        raise DomainError(_("Choose one of the options."), code="invalid_choice", field=field)
    return value


def _position(position: int | None, count: int) -> int:
    return count if position is None else max(0, min(position, count))


def _insert(model, siblings, item, position: int | None) -> None:
    """Put the item at `position` among its siblings (end when None): orders 0..n, then renumber."""
    rows = [pk for pk in siblings.exclude(pk=item.pk).order_by("order", "id").values_list("pk", flat=True)]
    rows.insert(_position(position, len(rows)), item.pk)
    model.objects.bulk_update([model(pk=pk, order=order) for order, pk in enumerate(rows)], ["order"])


def _move(*, item, siblings, report: Report, position: int, version: int, by):
    model = type(item)
    current = model.objects.filter(pk=item.pk).values_list("version", "order").get()
    if current[0] != version:
        raise _stale(model, item.pk, ["order"])
    _insert(model, siblings, item, position)
    model.objects.filter(pk=item.pk).update(version=F("version") + 1, updated_by=by, updated_at=timezone.now())
    new_order = model.objects.filter(pk=item.pk).values_list("order", flat=True).get()
    ChangeRecord.objects.create(report=report, item_type=_item_type(model), item_id=item.pk, item_label=str(item.number)[:100],
                                field="order", old_value=str(current[1]), new_value=str(new_order), version=version + 1, actor=by)
    framework_renumber(report=report, by=by)
    item.refresh_from_db()
    return item


def _later_descendants(model, items, report: Report) -> int:
    """How many items of a later period of the same entity share a lineage with `items`."""
    lineages = [item.lineage for item in items]
    if not lineages:
        return 0
    path = {Unit: "report", ExpectedAccomplishment: "unit__report", Indicator: "accomplishment__unit__report", Output: "accomplishment__unit__report"}[model]
    return model.objects.filter(
        lineage__in=lineages, **{f"{path}__mission_id": report.mission_id, f"{path}__period__start__gt": report.period.start}
    ).count()


def _entered(indicators, outputs) -> int:
    """Items whose actual side holds data (an actual, a narrative, a delivery, remarks)."""
    return (
        indicators.filter(~Q(actual="") | ~Q(actual_narrative="") | ~Q(variance_explanation="")).count()
        + outputs.filter(~Q(completed_kind=Output.Completed.BLANK) | ~Q(remarks="")).count()
    )


def _delete(*, item, report: Report, by, confirm: bool, indicators, outputs, lineage_items: dict, summary: str) -> None:
    """Delete after the confirmation its history or data calls for; the audit keeps what it was."""
    later = sum(_later_descendants(model, items, report) for model, items in lineage_items.items())
    entered = _entered(indicators, outputs)
    if (later or entered) and not confirm:
        reasons = []
        if later:
            reasons.append(str(_("It continues in %(count)s item(s) of later periods, whose history would lose this period.") % {"count": later}))
        if entered:
            reasons.append(str(_("%(count)s item(s) hold entered data, which would be lost.") % {"count": entered}))
        raise ConfirmationRequired(extra={"later_periods": later, "entered": entered, "reasons": reasons})
    record = _audit(report=report, item=item, field="deleted", old=summary, new="", by=by, version=getattr(item, "version", 0))
    if later or entered:
        record.new_value = str(_("confirmed: %(later)s later-period item(s), %(entered)s item(s) with data") % {"later": later, "entered": entered})
    record.save()
    item.delete()
    framework_renumber(report=report, by=by)


# --- units -------------------------------------------------------------------------------------


@transaction.atomic
def unit_create(*, report: Report, by, title: str, title_en: str = "", narrative: str = "", narrative_en: str = "",
                number: str = "", kind: str | None = None, parent: Unit | None = None, position: int | None = None) -> Unit:
    """Add a component (mission) or a department, office or sub-unit (headquarters)."""
    report = _report_for_edit(report_id=report.pk, by=by, whole=True)
    headquarters = report.report_type.is_headquarters
    if kind is None:
        kind = Unit.Kind.SUB_UNIT if parent else Unit.Kind.DEPARTMENT if headquarters else Unit.Kind.COMPONENT
    _choice(kind, Unit.Kind, field="kind")
    if parent is not None and parent.report_id != report.pk:
        raise DomainError(_("Choose a unit of this report."), code="invalid_parent", field="parent")
    if headquarters:
        number = _required(number, field="number")[:20]
        if Unit.objects.filter(report=report, number=number).exists():
            raise DomainError(_("Another unit of this report has this number."), code="number_taken", field="number")
    unit = Unit.objects.create(
        report=report, parent=parent, kind=kind, number=number or _placeholder(),
        title=_required(title, field="title")[:500], title_en=_text(title_en)[:500],
        narrative=_text(narrative), narrative_en=_text(narrative_en), order=10**6, updated_by=by,
    )
    _insert(Unit, Unit.objects.filter(report=report, parent=parent), unit, position)
    ChangeRecord.objects.create(report=report, item_type="unit", item_id=unit.pk, item_label=unit.title[:100], field="created",
                                new_value=unit.title, version=1, actor=by)
    framework_renumber(report=report, by=by)
    unit.refresh_from_db()
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, by, version: int, title: str, title_en: str = "", narrative: str = "", narrative_en: str = "",
                number: str | None = None) -> Unit:
    report = _report_for_edit(report_id=unit.report_id, by=by, unit_number=unit.number)
    values = {"title": _required(title, field="title")[:500], "title_en": _text(title_en)[:500],
              "narrative": _text(narrative), "narrative_en": _text(narrative_en)}
    if report.report_type.is_headquarters and number is not None:
        values["number"] = _required(number, field="number")[:20]
        if Unit.objects.filter(report=report, number=values["number"]).exclude(pk=unit.pk).exists():
            raise DomainError(_("Another unit of this report has this number."), code="number_taken", field="number")
    return _update(item=unit, report=report, values=values, version=version, by=by)


@transaction.atomic
def unit_move(*, unit: Unit, by, position: int, version: int) -> Unit:
    report = _report_for_edit(report_id=unit.report_id, by=by, whole=True)
    return _move(item=unit, siblings=Unit.objects.filter(report=report, parent_id=unit.parent_id), report=report,
                 position=position, version=version, by=by)


@transaction.atomic
def unit_delete(*, unit: Unit, by, confirm: bool = False) -> None:
    report = _report_for_edit(report_id=unit.report_id, by=by, whole=True)
    units = Unit.objects.filter(Q(pk=unit.pk) | Q(parent=unit))
    eas = ExpectedAccomplishment.objects.filter(unit__in=units)
    indicators, outputs = Indicator.objects.filter(accomplishment__in=eas), Output.objects.filter(accomplishment__in=eas)
    _delete(item=unit, report=report, by=by, confirm=confirm, indicators=indicators, outputs=outputs,
            lineage_items={Unit: list(units), ExpectedAccomplishment: list(eas), Indicator: list(indicators), Output: list(outputs)},
            summary=f"{unit.number} {unit.title}")


# --- expected accomplishments ------------------------------------------------------------------


@transaction.atomic
def accomplishment_create(*, unit: Unit, by, text: str, text_en: str = "", position: int | None = None) -> ExpectedAccomplishment:
    report = _report_for_edit(report_id=unit.report_id, by=by, unit_number=unit.number)
    ea = ExpectedAccomplishment.objects.create(
        unit=unit, number=_placeholder(), text=_required(text, field="text"), text_en=_text(text_en),
        order=10**6, updated_by=by,
    )
    _insert(ExpectedAccomplishment, ExpectedAccomplishment.objects.filter(unit=unit), ea, position)
    ChangeRecord.objects.create(report=report, item_type="accomplishment", item_id=ea.pk, item_label=unit.number[:100],
                                field="created", new_value=ea.text, version=1, actor=by)
    framework_renumber(report=report, by=by)
    ea.refresh_from_db()
    return ea


@transaction.atomic
def accomplishment_update(*, accomplishment: ExpectedAccomplishment, by, version: int, text: str, text_en: str = "") -> ExpectedAccomplishment:
    report = _report_for_edit(report_id=accomplishment.unit.report_id, by=by, unit_number=accomplishment.unit.number)
    values = {"text": _required(text, field="text"), "text_en": _text(text_en)}
    return _update(item=accomplishment, report=report, values=values, version=version, by=by)


@transaction.atomic
def accomplishment_move(*, accomplishment: ExpectedAccomplishment, by, position: int, version: int) -> ExpectedAccomplishment:
    report = _report_for_edit(report_id=accomplishment.unit.report_id, by=by, unit_number=accomplishment.unit.number)
    return _move(item=accomplishment, siblings=ExpectedAccomplishment.objects.filter(unit_id=accomplishment.unit_id),
                 report=report, position=position, version=version, by=by)


@transaction.atomic
def accomplishment_delete(*, accomplishment: ExpectedAccomplishment, by, confirm: bool = False) -> None:
    report = _report_for_edit(report_id=accomplishment.unit.report_id, by=by, unit_number=accomplishment.unit.number)
    indicators = Indicator.objects.filter(accomplishment=accomplishment)
    outputs = Output.objects.filter(accomplishment=accomplishment)
    _delete(item=accomplishment, report=report, by=by, confirm=confirm, indicators=indicators, outputs=outputs,
            lineage_items={ExpectedAccomplishment: [accomplishment], Indicator: list(indicators), Output: list(outputs)},
            summary=f"{accomplishment.number} {accomplishment.text}")


# --- indicators ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedFigures:
    """An indicator's planned figures as printed: baselines [(period, value)], target, estimate (HQ)."""

    baselines: tuple[tuple[str, str], ...] = ()
    target: str = ""
    estimate: str = ""

    def printed(self) -> dict[str, str]:
        """How the audit trail shows them: one text per kind."""
        return {
            "baselines": "; ".join(f"{period}: {value}" for period, value in self.baselines),
            "target": self.target,
            "estimate": self.estimate,
        }


def _figures_of(indicator: Indicator) -> PlannedFigures:
    rows = list(indicator.figures.order_by("order", "id"))
    return PlannedFigures(
        baselines=tuple((f.period_label, f.printed) for f in rows if f.kind == Kind.BASELINE),
        target=next((f.printed for f in rows if f.kind == Kind.TARGET), ""),
        estimate=next((f.printed for f in rows if f.kind == Kind.ESTIMATE), ""),
    )


def _check_figures(figures: PlannedFigures) -> PlannedFigures:
    seen = set()
    for period, value in figures.baselines:
        if not period.strip() or not value.strip():
            raise DomainError(_("Give each baseline a period and a value."), code="baseline_incomplete", field="baselines")
        if period in seen:
            raise DomainError(_("Each period has one baseline."), code="baseline_repeated", field="baselines")
        seen.add(period)
    return PlannedFigures(
        baselines=tuple((p.strip()[:20], v.strip()[:100]) for p, v in figures.baselines),
        target=figures.target.strip()[:100], estimate=figures.estimate.strip()[:100],
    )


def _write_figures(indicator: Indicator, figures: PlannedFigures, period_label: str) -> None:
    """Update the figure rows in place (a row that keeps its kind and period keeps its other columns)."""
    wanted = [(Kind.BASELINE, period, value) for period, value in figures.baselines]
    if figures.target:
        wanted.append((Kind.TARGET, period_label, figures.target))
    if figures.estimate:
        wanted.append((Kind.ESTIMATE, period_label, figures.estimate))
    existing = {(f.kind, f.period_label if f.kind == Kind.BASELINE else ""): f for f in indicator.figures.all()}
    keep = set()
    for order, (kind, period, value) in enumerate(wanted):
        key = (kind, period if kind == Kind.BASELINE else "")
        figure = existing.get(key) or IndicatorFigure(indicator=indicator, kind=kind)
        figure.period_label, figure.order = period, order
        figure.set_printed(value)
        figure.save()
        keep.add(figure.pk)
    IndicatorFigure.objects.filter(indicator=indicator).exclude(pk__in=keep).delete()


def _indicator_values(*, statement, statement_en, measure, unit_hint, unit_hint_en, direction) -> dict:
    return {
        "statement": _required(statement, field="statement"),
        "statement_en": _text(statement_en),
        "measure": _choice(measure, Indicator.Measure, field="measure"),
        "unit_hint": _text(unit_hint)[:100],
        "unit_hint_en": _text(unit_hint_en)[:100],
        "direction": _choice(direction, Indicator.Direction, field="direction"),
    }


@transaction.atomic
def indicator_create(*, accomplishment: ExpectedAccomplishment, by, statement: str, statement_en: str = "",
                     measure: str = Indicator.Measure.COUNT, unit_hint: str = "", unit_hint_en: str = "",
                     direction: str = Indicator.Direction.INCREASE, figures: PlannedFigures = PlannedFigures(),
                     position: int | None = None) -> Indicator:
    unit = accomplishment.unit
    report = _report_for_edit(report_id=unit.report_id, by=by, unit_number=unit.number)
    values = _indicator_values(statement=statement, statement_en=statement_en, measure=measure, unit_hint=unit_hint,
                               unit_hint_en=unit_hint_en, direction=direction)
    figures = _check_figures(figures)
    indicator = Indicator.objects.create(accomplishment=accomplishment, number=_placeholder(),
                                         order=10**6, updated_by=by, **values)
    _write_figures(indicator, figures, report.period.label)
    _insert(Indicator, Indicator.objects.filter(accomplishment=accomplishment), indicator, position)
    ChangeRecord.objects.create(report=report, item_type="indicator", item_id=indicator.pk, item_label=accomplishment.number[:100],
                                field="created", new_value=indicator.statement, version=1, actor=by)
    framework_renumber(report=report, by=by)
    indicator.refresh_from_db()
    return indicator


@transaction.atomic
def indicator_plan_update(*, indicator: Indicator, by, version: int, statement: str, statement_en: str = "",
                          measure: str = Indicator.Measure.COUNT, unit_hint: str = "", unit_hint_en: str = "",
                          direction: str = Indicator.Direction.INCREASE, figures: PlannedFigures = PlannedFigures()) -> Indicator:
    """Change an indicator's planned side: statement, measure, unit, direction and planned figures."""
    unit = indicator.accomplishment.unit
    report = _report_for_edit(report_id=unit.report_id, by=by, unit_number=unit.number)
    values = _indicator_values(statement=statement, statement_en=statement_en, measure=measure, unit_hint=unit_hint,
                               unit_hint_en=unit_hint_en, direction=direction)
    figures = _check_figures(figures)
    current = Indicator.objects.filter(pk=indicator.pk).values_list("version", flat=True).get()
    if current != version:
        raise _stale(Indicator, indicator.pk, list(values))
    before, after = _figures_of(indicator).printed(), figures.printed()
    figure_changes = {name: (before[name], after[name]) for name in before if before[name] != after[name]}
    if figure_changes:
        _write_figures(indicator, figures, report.period.label)
    return _update(item=indicator, report=report, values=values, version=version, by=by, extra_changes=figure_changes)


@transaction.atomic
def indicator_move(*, indicator: Indicator, by, position: int, version: int) -> Indicator:
    unit = indicator.accomplishment.unit
    report = _report_for_edit(report_id=unit.report_id, by=by, unit_number=unit.number)
    return _move(item=indicator, siblings=Indicator.objects.filter(accomplishment_id=indicator.accomplishment_id),
                 report=report, position=position, version=version, by=by)


@transaction.atomic
def indicator_delete(*, indicator: Indicator, by, confirm: bool = False) -> None:
    unit = indicator.accomplishment.unit
    report = _report_for_edit(report_id=unit.report_id, by=by, unit_number=unit.number)
    _delete(item=indicator, report=report, by=by, confirm=confirm, indicators=Indicator.objects.filter(pk=indicator.pk),
            outputs=Output.objects.none(), lineage_items={Indicator: [indicator]}, summary=f"{indicator.number} {indicator.statement}")


# --- outputs --------------------------------------------------------------------------------------


def _output_values(*, heading, heading_en, planned_text, planned_text_en, planned_quantity) -> dict:
    probe = Output()
    probe.set_planned_quantity(_text(planned_quantity)[:100])
    return {
        "heading": _text(heading)[:500],
        "heading_en": _text(heading_en)[:500],
        "planned_text": _required(planned_text, field="planned_text"),
        "planned_text_en": _text(planned_text_en),
        "planned_quantity": probe.planned_quantity,
        "planned_value": probe.planned_value,
    }


@transaction.atomic
def output_create(*, accomplishment: ExpectedAccomplishment, by, planned_text: str, planned_text_en: str = "",
                  heading: str = "", heading_en: str = "", planned_quantity: str = "", position: int | None = None) -> Output:
    unit = accomplishment.unit
    report = _report_for_edit(report_id=unit.report_id, by=by, unit_number=unit.number)
    values = _output_values(heading=heading, heading_en=heading_en, planned_text=planned_text,
                            planned_text_en=planned_text_en, planned_quantity=planned_quantity)
    output = Output.objects.create(accomplishment=accomplishment, number=_placeholder(),
                                   order=10**6, updated_by=by, **values)
    _insert(Output, Output.objects.filter(accomplishment=accomplishment), output, position)
    ChangeRecord.objects.create(report=report, item_type="output", item_id=output.pk, item_label=accomplishment.number[:100],
                                field="created", new_value=output.planned_text, version=1, actor=by)
    framework_renumber(report=report, by=by)
    output.refresh_from_db()
    return output


@transaction.atomic
def output_plan_update(*, output: Output, by, version: int, planned_text: str, planned_text_en: str = "",
                       heading: str = "", heading_en: str = "", planned_quantity: str = "") -> Output:
    """Change an output's planned side: heading (category path), planned text, planned quantity."""
    unit = output.accomplishment.unit
    report = _report_for_edit(report_id=unit.report_id, by=by, unit_number=unit.number)
    values = _output_values(heading=heading, heading_en=heading_en, planned_text=planned_text,
                            planned_text_en=planned_text_en, planned_quantity=planned_quantity)
    return _update(item=output, report=report, values=values, version=version, by=by)


@transaction.atomic
def output_move(*, output: Output, by, position: int, version: int) -> Output:
    unit = output.accomplishment.unit
    report = _report_for_edit(report_id=unit.report_id, by=by, unit_number=unit.number)
    return _move(item=output, siblings=Output.objects.filter(accomplishment_id=output.accomplishment_id),
                 report=report, position=position, version=version, by=by)


@transaction.atomic
def output_delete(*, output: Output, by, confirm: bool = False) -> None:
    unit = output.accomplishment.unit
    report = _report_for_edit(report_id=unit.report_id, by=by, unit_number=unit.number)
    _delete(item=output, report=report, by=by, confirm=confirm, indicators=Indicator.objects.none(),
            outputs=Output.objects.filter(pk=output.pk), lineage_items={Output: [output]},
            summary=f"{output.number} {output.planned_text}")


# --- a new entity's framework from nothing ---------------------------------------------------


@transaction.atomic
def planning_report_create(*, by, entity_code: str, name_en: str = "", name_zh: str = "", period_label: str,
                           period_start: datetime.date | None = None, period_end: datetime.date | None = None,
                           report_type: ReportType) -> Report:
    """Create (when missing) the budget entity and the period, and the entity's report for the period
    in the planning phase, empty: the mission writes its framework in the editor. Budget administrators only."""
    if not access_for_user(by).has_role(0, Membership.Role.BUDGET_ADMIN):
        raise NotPermitted()
    code = _required(entity_code, field="entity_code")
    mission, _created = Mission.objects.get_or_create(code=code, defaults={"name_en": _text(name_en), "name_zh": _text(name_zh)})
    period = BudgetPeriod.objects.filter(label=period_label).first()
    if period is None:
        if not period_start or not period_end:
            raise DomainError(_("A new period needs its start and end dates."), code="period_dates_required", field="period_start")
        if period_start >= period_end:
            raise DomainError(_("The period must start before it ends."), code="period_dates_invalid", field="period_end")
        period = BudgetPeriod.objects.create(label=_required(period_label, field="period_label")[:20], start=period_start, end=period_end)
    if Report.objects.filter(mission=mission, period=period).exists():
        raise DomainError(_("This entity already has a report for this period."), code="report_exists", field="period_label")
    report = Report.objects.create(mission=mission, period=period, report_type=report_type, phase=Report.Phase.PLANNING)
    ChangeRecord.objects.create(report=report, item_type="report", item_id=report.pk, item_label=str(report)[:100],
                                field="created", new_value=Report.Phase.PLANNING, actor=by)
    return report
