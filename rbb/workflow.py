"""The report workflow: draft → submitted → returned → submitted … → accepted, which locks it.

A report runs it twice (docs/budget-cycle.md): in its **planning** phase the budget proposal
(the planned side) is submitted, returned and accepted, which freezes the planned side for
good; the budget administrator then opens the **performance** phase, where the same workflow
runs on the actual side. The rules differ only in what is checked and frozen: a proposal is
blocked by the hard design-time flags (indicators.quality), a performance report by its
incomplete or unexplained items and resource tables.

One function per arrow. Each checks the role and the current state, moves the report with
update_fields, writes a ReportEvent and a ChangeRecord, and queues its e-mail on commit. This is
the composition layer: a submission checks the framework (indicators) and the resource tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indicators.baselines import baselines_refresh, baselines_refresh_descendants
from indicators.models import Indicator, Output
from indicators.presentation import annotate_framework, item_label, open_items
from indicators.quality import hard_flags, report_quality
from indicators.selectors import framework_units
from missions.models import ChangeRecord, Membership, Report, ReportEvent
from missions.resource_selectors import resource_blocking_items
from missions.selectors import access_for_user
from rbb.exceptions import DomainError, NotPermitted, SubmissionIncomplete, TransitionNotAllowed
from rbb.ledger.selectors import ledger_blocking_items
from rbb.models import Notification
from rbb.programme.flags import report_flags
from rbb.review.services import submission_snapshot_create
from rbb.tasks import report_returned_notify as report_returned_notify_task

Role = Membership.Role
Status = Report.Status

COMMENT_REQUIRED = _("Say what the mission should change.")
REASON_REQUIRED = _("Give the reason for reopening the report.")


Phase = Report.Phase
BOTH_PHASES = frozenset({Phase.PLANNING, Phase.PERFORMANCE})


@dataclass(frozen=True)
class Transition:
    sources: frozenset
    target: str
    roles: frozenset
    phases: frozenset = BOTH_PHASES


TRANSITIONS = {
    # Only the mission approver certifies and submits.
    "submit": Transition(frozenset({Status.DRAFT, Status.RETURNED}), Status.SUBMITTED, frozenset({Role.APPROVER})),
    "return": Transition(frozenset({Status.SUBMITTED}), Status.RETURNED, frozenset({Role.HQ_REVIEWER, Role.BUDGET_ADMIN})),
    "accept": Transition(frozenset({Status.SUBMITTED}), Status.ACCEPTED, frozenset({Role.HQ_REVIEWER, Role.BUDGET_ADMIN})),
    # An accepted report is locked; only a budget administrator opens it again, and it goes
    # back to the mission as returned, with the reason.
    "reopen": Transition(frozenset({Status.ACCEPTED}), Status.RETURNED, frozenset({Role.BUDGET_ADMIN})),
    # An accepted proposal becomes the approved framework; the budget administrator then opens
    # the performance phase, which starts from draft with the planned side frozen.
    "open_performance": Transition(
        frozenset({Status.ACCEPTED}), Status.DRAFT, frozenset({Role.BUDGET_ADMIN}), frozenset({Phase.PLANNING})
    ),
}


@dataclass(frozen=True)
class BlockingItem:
    """An item that stops a submission: what it is, why, and where to fix it."""

    kind: str  # "indicator", "output" or what the resource tables report
    label: str
    reasons: tuple[str, ...]
    url: str


def report_action_permitted(*, report: Report, user, action: str) -> bool:
    """Whether the user's role allows the action on this report, whatever its state."""
    return access_for_user(user).has_role(report.mission_id, *TRANSITIONS[action].roles)


def report_actions_for_user(*, report: Report, user) -> list[str]:
    """The workflow actions the user may take on the report in its current state."""
    return [
        action for action, t in TRANSITIONS.items()
        if report.status in t.sources and report.phase in t.phases
        and report_action_permitted(report=report, user=user, action=action)
    ]


def report_blocking_items(*, report: Report) -> list[BlockingItem]:
    """Every item that must be completed or explained before the report can be submitted."""
    if report.report_type.is_programme_plan:
        return _programme_blocking_items(report)
    if report.is_planning:
        return proposal_blocking_items(report=report)
    headquarters = report.report_type.is_headquarters
    units = annotate_framework(framework_units(report=report), report)
    items = []
    for ea, item in open_items(units):
        kind = "indicator" if isinstance(item, Indicator) else "output"
        if ea is None:  # an output of the unit itself (headquarters)
            url = reverse("indicators:unit-outputs", args=[report.pk, item.unit_id]) + f"#{kind}-{item.pk}"
        else:
            url = reverse("indicators:entry", args=[report.pk, ea.pk]) + f"#{kind}-{item.pk}"
        items.append(BlockingItem(kind, item_label(item, headquarters=headquarters), tuple(item.state.blocking_reasons), url))
    return items + _resource_blocking_items(report) + _ledger_blocking_items(report)


def _programme_blocking_items(report: Report) -> list[BlockingItem]:
    """A programme plan's deliverables without their actual or explanation, measures without year−2's actual."""
    return [
        BlockingItem(
            flag.kind, flag.label, (flag.message,),
            reverse("programme:subprogramme", args=[report.pk, flag.subprogramme]) + f"#{flag.kind}-{flag.pk}",
        )
        for flag in report_flags(report=report) if flag.blocking
    ]


def proposal_blocking_items(*, report: Report) -> list[BlockingItem]:
    """Every hard design-time flag of a proposal (indicators.quality), one item per flagged item."""
    items: dict[str, BlockingItem] = {}
    parents = _parents_of_items(report)
    for flag in hard_flags(report_quality(report=report)):
        ea_id, unit_id = (flag.item_id, None) if flag.kind == "accomplishment" else parents.get((flag.kind, flag.item_id), (None, None))
        if ea_id:
            url = reverse("indicators:entry", args=[report.pk, ea_id]) + f"#{flag.anchor}"
        elif unit_id:  # an output of the unit itself (headquarters): its unit's outputs page
            url = reverse("indicators:unit-outputs", args=[report.pk, unit_id]) + f"#{flag.anchor}"
        else:
            url = ""
        found = items.get(flag.anchor)
        reasons = (found.reasons if found else ()) + (str(flag.message),)
        items[flag.anchor] = BlockingItem(flag.kind, flag.label, reasons, url)
    return list(items.values())


def _parents_of_items(report: Report) -> dict:
    """(kind, id) → (expected accomplishment id, unit id) of every indicator and output, for the links.

    A unit's own output (headquarters) has no accomplishment: None, and its unit links instead.
    """
    found = {}
    for pk, ea_id in Indicator.objects.filter(accomplishment__unit__report=report).values_list("id", "accomplishment_id"):
        found["indicator", pk] = (ea_id, None)
    for pk, ea_id, unit_id in Output.objects.filter(unit__report=report).values_list("id", "accomplishment_id", "unit_id"):
        found["output", pk] = (ea_id, unit_id)
    return found


def _resource_blocking_items(report: Report) -> list[BlockingItem]:
    return [_as_blocking_item(item) for item in resource_blocking_items(report=report)]


def _ledger_blocking_items(report: Report) -> list[BlockingItem]:
    # A request due in this report (sect. 六 of the performance report) needs its answer too.
    return [_as_blocking_item(item) for item in ledger_blocking_items(report=report)]


def _as_blocking_item(item) -> BlockingItem:
    if isinstance(item, BlockingItem):
        return item

    def get(name, default=""):
        return item.get(name, default) if isinstance(item, dict) else getattr(item, name, default)

    reasons = get("reasons", ()) or ((get("reason"),) if get("reason") else ())
    return BlockingItem(
        kind=get("kind") or "financial_line",
        label=str(get("label") or item),
        reasons=tuple(str(reason) for reason in reasons),
        url=str(get("url") or ""),
    )


@transaction.atomic
def report_submit(*, report: Report, by) -> Report:
    """Certify and submit: only when every item is complete and every required explanation given."""
    locked = _lock_for(report=report, by=by, action="submit")
    if locked.is_planning:
        # The proposal goes out with its baselines as their sources stand now; from here on
        # they change only by hand (indicators.baselines).
        baselines_refresh(report=locked)
    blocking = report_blocking_items(report=locked)
    if blocking:
        raise SubmissionIncomplete(extra={"items": blocking})
    event = _move(report, by=by, action="submit", from_status=locked.status)
    # Freeze what was submitted, so headquarters sees what the next submission changes.
    submission_snapshot_create(report=report, event=event, by=by)
    # The report is no longer waiting to be submitted: the next readiness is told anew.
    Notification.objects.filter(report=report, kind=Notification.Kind.READY, is_open=True).update(is_open=False)
    return report


@transaction.atomic
def report_return(*, report: Report, by, comment: str) -> Report:
    """Send a submitted report back to the mission with a comment, and tell its focal points."""
    comment = (comment or "").strip()
    locked = _lock_for(report=report, by=by, action="return")
    if not comment:
        raise DomainError(COMMENT_REQUIRED, code="comment_required", field="comment")
    event = _move(report, by=by, action="return", from_status=locked.status, comment=comment)
    transaction.on_commit(lambda: report_returned_notify_task.delay(event_id=event.pk), robust=True)
    return report


@transaction.atomic
def report_accept(*, report: Report, by) -> Report:
    """Accept a submitted report; it is locked from then on.

    An accepted proposal is the approved framework: its planned side stays frozen in the
    performance phase too. An accepted performance report turns its entered actuals into
    accepted ones, so the baselines of later proposals drawn from them are refreshed.
    """
    locked = _lock_for(report=report, by=by, action="accept")
    if locked.is_planning:
        report.proposal_accepted_at = timezone.now()
        report.save(update_fields=["proposal_accepted_at"])
    _move(report, by=by, action="accept", from_status=locked.status)
    if not locked.is_planning:
        baselines_refresh_descendants(report=locked)
    return report


@transaction.atomic
def report_reopen(*, report: Report, by, reason: str) -> Report:
    """Open an accepted report again (budget administrators only), with the reason, to the mission."""
    reason = (reason or "").strip()
    locked = _lock_for(report=report, by=by, action="reopen")
    if not reason:
        raise DomainError(REASON_REQUIRED, code="reason_required", field="reason")
    if locked.is_planning:
        report.proposal_accepted_at = None  # the framework is no longer the approved one
        report.save(update_fields=["proposal_accepted_at"])
    event = _move(report, by=by, action="reopen", from_status=locked.status, comment=reason)
    transaction.on_commit(lambda: report_returned_notify_task.delay(event_id=event.pk), robust=True)
    if not locked.is_planning:
        baselines_refresh_descendants(report=locked)  # its actuals are estimates again
    return report


@transaction.atomic
def report_performance_open(*, report: Report, by) -> Report:
    """Open the performance phase of a report whose proposal was accepted (budget administrators).

    The planned side stays frozen (Report.planned_side_frozen); the actual side opens for entry
    and the performance workflow starts again from draft, with the same screens.
    """
    locked = _lock_for(report=report, by=by, action="open_performance")
    report.phase = Phase.PERFORMANCE
    report.proposal_accepted_at = locked.proposal_accepted_at or timezone.now()
    report.save(update_fields=["phase", "proposal_accepted_at"])
    ChangeRecord.objects.create(
        report=report, item_type="report", item_id=report.pk, item_label=str(report),
        field="phase", old_value=Phase.PLANNING, new_value=Phase.PERFORMANCE, actor=by,
    )
    _move(report, by=by, action="open_performance", from_status=locked.status)
    return report


def _lock_for(*, report: Report, by, action: str) -> Report:
    """Check the role, then lock the report row and check its state (item saves take the same lock)."""
    transition = TRANSITIONS[action]
    if not report_action_permitted(report=report, user=by, action=action):
        raise NotPermitted()
    locked = Report.objects.select_for_update().select_related("report_type", "mission", "period").get(pk=report.pk)
    if locked.status not in transition.sources or locked.phase not in transition.phases:
        raise TransitionNotAllowed(extra={"status": locked.status, "action": action})
    return locked


def _move(report: Report, *, by, action: str, from_status: str, comment: str = "") -> ReportEvent:
    to_status = TRANSITIONS[action].target
    report.status = to_status
    report.save(update_fields=["status", "updated_at"])
    ChangeRecord.objects.create(
        report=report, item_type="report", item_id=report.pk, item_label=str(report),
        field="status", old_value=from_status, new_value=to_status, actor=by,
    )
    return ReportEvent.objects.create(
        report=report, actor=by, action=action, phase=report.phase, from_status=from_status, to_status=to_status,
        comment=comment,
    )
