"""The budget cycle: carry a framework into the next period (roll-forward).

Roll-forward creates the next period (when missing) and the entity's report for it in a
**planning** phase, with the whole framework copied and each item keeping its lineage, so the
item's history reads across periods. The planned side is copied (texts in both languages,
measure, unit, direction, heading path, planned text and quantity, the quantity marked
"carried over — confirm"); the actual side, the amounts and the narratives of what happened
are not. Baselines are written by the machine from their sources (indicators.baselines); the
new target is left empty to fill.

The new period gets a class list of its own (financial classes and staff categories), copied
from the one in force for the source period (missions.class_lists.class_list_copy), unless the
budget administrator has already given it one: that list is kept. People's roles belong to the
entity (missions.Membership) and carry over by themselves.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from indicators.baselines import baselines_refresh
from indicators.models import ExpectedAccomplishment, Indicator, Output
from missions.class_lists import class_list_copy, class_list_is_own
from rbb.ledger.services import ledger_carry_forward
from missions.models import ChangeRecord, Membership, Report, ReportEvent, Unit
from missions.periods import period_get_or_create, period_spec
from missions.selectors import access_for_user
from rbb.exceptions import DomainError, NotPermitted

Role = Membership.Role
# Budget administrators roll any entity forward; a mission's approver rolls their own.
ROLL_FORWARD_ROLES = (Role.BUDGET_ADMIN, Role.APPROVER)

FRAMEWORK_EXISTS = _("%(report)s already has a framework; roll-forward copies only into an empty report.")
NOTHING_TO_COPY = _("%(report)s has no framework to carry forward.")
NOT_LATER = _("The new period must come after %(period)s.")
TARGET_BUSY = _("%(report)s is already past its draft; nothing was copied.")


class RollForwardRefused(DomainError):
    http_status = 409
    default_code = "roll_forward_refused"


def roll_forward_permitted(*, report: Report, user) -> bool:
    return access_for_user(user).has_role(report.mission_id, *ROLL_FORWARD_ROLES)


@transaction.atomic
def report_roll_forward(*, source: Report, to_label: str, by=None) -> Report:
    """Copy `source`'s framework into the entity's report for `to_label`, in a planning phase.

    `by` is None for manage.py roll_forward (the operator acts). A fixed number of queries
    whatever the framework's size: one read and one bulk insert per table.
    """
    if by is not None and not roll_forward_permitted(report=source, user=by):
        raise NotPermitted()
    spec = period_spec(to_label)
    if spec.start <= source.period.start:
        raise RollForwardRefused(NOT_LATER % {"period": source.period.label}, code="period_not_later", field="period")
    units = list(Unit.objects.filter(report=source).order_by("order", "id"))
    if not units:
        raise RollForwardRefused(NOTHING_TO_COPY % {"report": source}, code="nothing_to_copy")
    period = period_get_or_create(label=spec.label)
    target = (
        Report.objects.select_for_update(of=("self",)).select_related("mission", "period", "report_type")
        .filter(mission_id=source.mission_id, period=period).first()
    )
    if target is not None:
        if Unit.objects.filter(report=target).exists():
            raise RollForwardRefused(FRAMEWORK_EXISTS % {"report": target}, code="framework_exists")
        if target.status != Report.Status.DRAFT:
            raise RollForwardRefused(TARGET_BUSY % {"report": target}, code="target_not_draft")
        target.phase = Report.Phase.PLANNING
        target.proposal_accepted_at = None
        target.save(update_fields=["phase", "proposal_accepted_at", "updated_at"])
    else:
        target = Report.objects.create(
            mission_id=source.mission_id, period=period, report_type_id=source.report_type_id,
            phase=Report.Phase.PLANNING, status=Report.Status.DRAFT, due_date=_year_later(source.due_date),
            tolerance_percent=source.tolerance_percent, ratio_low=source.ratio_low, ratio_high=source.ratio_high,
        )
    target.mission, target.period = source.mission, period
    _framework_copy(source_units=units, target=target)
    # class_list_copy refuses a period that already has its own list (the administrator's
    # edits or import): that list stands, so ask first rather than catch the refusal.
    if not class_list_is_own(report_type=source.report_type, period=period):
        class_list_copy(report_type=source.report_type, from_period=source.period, to_period=period)
    baselines_refresh(report=target)
    # Requests of the follow-up ledger still open stay open into the next report (issue 18).
    ledger_carry_forward(from_report=source, to_report=target, by=by)
    ReportEvent.objects.create(
        report=target, actor=by, action="roll_forward", phase=Report.Phase.PLANNING,
        from_status=Report.Status.DRAFT, to_status=Report.Status.DRAFT,
        comment=str(_("Carried forward from %(report)s.") % {"report": source}),
    )
    ChangeRecord.objects.create(
        report=target, item_type="report", item_id=target.pk, item_label=str(target),
        field="roll_forward", new_value=str(source), actor=by,
    )
    return target


def _year_later(day: datetime.date | None) -> datetime.date | None:
    if day is None:
        return None  # the period's default due date applies (rbb.review.deadlines)
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _framework_copy(*, source_units: list[Unit], target: Report) -> None:
    """Insert the copies: units (top level, then sub-units), accomplishments, indicators, outputs."""
    copies = {}
    for parents_pass in (True, False):
        batch = []
        for unit in source_units:
            if (unit.parent_id is None) != parents_pass:
                continue
            # The component narrative tells what happened in the old period: not carried.
            copy = Unit(
                report=target, kind=unit.kind, number=unit.number, title=unit.title, title_en=unit.title_en,
                order=unit.order, lineage=unit.lineage,
                parent=copies.get(unit.parent_id) if unit.parent_id else None,
            )
            copies[unit.pk] = copy
            batch.append(copy)
        Unit.objects.bulk_create(batch)

    eas = list(ExpectedAccomplishment.objects.filter(unit__in=list(copies)).order_by("unit_id", "order", "id"))
    ea_copies = {}
    for ea in eas:
        ea_copies[ea.pk] = ExpectedAccomplishment(
            unit=copies[ea.unit_id], number=ea.number, text=ea.text, text_en=ea.text_en, order=ea.order,
            lineage=ea.lineage,
        )
    ExpectedAccomplishment.objects.bulk_create(list(ea_copies.values()))

    indicators = Indicator.objects.filter(accomplishment_id__in=list(ea_copies)).only(
        "accomplishment_id", "number", "statement", "statement_en", "measure", "unit_hint", "unit_hint_en",
        "direction", "order", "lineage",
    ).order_by("accomplishment_id", "order", "id")
    Indicator.objects.bulk_create([
        Indicator(
            accomplishment=ea_copies[i.accomplishment_id], number=i.number, statement=i.statement,
            statement_en=i.statement_en, measure=i.measure, unit_hint=i.unit_hint, unit_hint_en=i.unit_hint_en,
            direction=i.direction, order=i.order, lineage=i.lineage,
        )
        for i in indicators
    ], batch_size=1000)

    # Every output has its unit; a headquarters unit's own outputs have no accomplishment
    # (None): they are copied with their unit and lineage all the same.
    outputs = Output.objects.filter(unit_id__in=list(copies)).only(
        "unit_id", "accomplishment_id", "number", "heading", "heading_en", "planned_text",
        "planned_text_en", "planned_quantity", "planned_value", "order", "lineage",
    ).order_by("unit_id", "accomplishment_id", "order", "id")
    Output.objects.bulk_create([
        Output(
            unit=copies[o.unit_id], accomplishment=ea_copies.get(o.accomplishment_id), number=o.number, heading=o.heading,
            heading_en=o.heading_en, planned_text=o.planned_text, planned_text_en=o.planned_text_en,
            planned_quantity=o.planned_quantity, planned_value=o.planned_value,
            quantity_carried_over=bool(o.planned_quantity), order=o.order, lineage=o.lineage,
        )
        for o in outputs
    ], batch_size=1000)
