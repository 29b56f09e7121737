"""Reads of the review, shaped so that no page queries inside a loop.

The dashboard reads every report of a period with a fixed number of queries (SQL counts the
items of all its reports by state; the rules judge in Python only the indicators SQL cannot);
the review page reads one framework with the five framework queries, one for the comments and
one for the submission it is compared with.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from indicators import quality, rules, rules_sql
from indicators.models import ExpectedAccomplishment, Indicator, IndicatorFigure, Output
from indicators.presentation import annotate_framework, item_label
from indicators.selectors import framework_units, framework_units_of_reports
from missions.models import BudgetPeriod, ChangeRecord, Membership, Report
from missions.selectors import access_for_user, report_get_for_user, report_list_for_user
from rbb.lib.figures import Figure, parse_figure
from rbb.lib.numbers import percentage
from rbb.models import Comment, Submission
from rbb.programme.selectors import programme_deliverable_states, programme_deliverables

from . import deadlines
from .diff import ItemChange, snapshot_diff
from .keys import item_key, review_item_label

Role = Membership.Role
HQ_ROLES = (Role.HQ_REVIEWER, Role.BUDGET_ADMIN)
WRITER_ROLES = (Role.FOCAL_POINT, Role.APPROVER)


# Who may do what -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewRights:
    """What a user may do in the review of one report.

    Comments are between headquarters and the mission: its staff (any role on that mission,
    viewers included) and headquarters read them; viewers of every mission do not.
    """

    see: bool = False
    comment: bool = False  # start a thread: headquarters
    reply: bool = False  # headquarters, and the mission's focal points and approvers
    resolve_any: bool = False  # headquarters; an author may resolve their own thread too


def review_rights(*, user, report: Report) -> ReviewRights:
    access = access_for_user(user)
    hq = access.has_role(report.mission_id, *HQ_ROLES)
    staff = bool(access.mission_roles.get(report.mission_id))
    writer = access.has_role(report.mission_id, *WRITER_ROLES)
    return ReviewRights(see=hq or staff, comment=hq, reply=hq or writer, resolve_any=hq)


def report_get_for_review(*, user, pk: int) -> tuple[Report, ReviewRights]:
    """The report and the user's rights in its review, or Http404 when they may not see it."""
    report = report_get_for_user(user=user, pk=pk)
    rights = review_rights(user=user, report=report)
    if not rights.see:
        raise Http404("No such report.")
    return report, rights


def user_is_hq(user) -> bool:
    return access_for_user(user).is_hq


# Snapshots -----------------------------------------------------------------------------------

SNAPSHOT_FIELDS = {
    "indicator": ("actual", "actual_narrative", "variance_explanation"),
    "output": ("completed_kind", "completed", "remarks"),
    "deliverable": ("prior_actual", "planned", "explanation", "explanation_en"),
}
# A proposal's submission freezes the planned side: what headquarters reviews in the planning phase.
PLANNED_SNAPSHOT_FIELDS = {
    "indicator": ("statement", "statement_en", "measure", "unit_hint", "direction", "baselines", "target"),
    "output": ("heading", "planned_text", "planned_text_en", "planned_quantity"),
}


def _planned_figures(indicator, kind: str) -> str:
    return "; ".join(
        f"{figure.period_label}: {figure.printed}" for figure in indicator.figures.all() if figure.kind == kind
    )


def _snapshot_value(item, name: str) -> str:
    if name == "baselines":
        return _planned_figures(item, IndicatorFigure.Kind.BASELINE)
    if name == "target":
        return _planned_figures(item, IndicatorFigure.Kind.TARGET)
    return getattr(item, name)


def snapshot_of_units(units, *, headquarters: bool, planning: bool = False) -> list[dict]:
    """The entered side of every item of loaded units, in document order, keyed by stable key.

    The actual side for a performance report; the planned side for a proposal (`planning`).
    """
    names = PLANNED_SNAPSHOT_FIELDS if planning else SNAPSHOT_FIELDS
    items = []
    for unit in units:
        for ea in unit.accomplishments.all():
            for kind, children, planned in (("indicator", ea.indicators.all(), "statement"), ("output", ea.outputs.all(), "planned_text")):
                for item in children:
                    items.append({
                        "key": item_key(item, unit_number=unit.number, ea_number=ea.number),
                        "kind": kind,
                        "label": item_label(item, headquarters=headquarters),
                        "planned": getattr(item, planned),
                        "fields": {name: _snapshot_value(item, name) for name in names[kind]},
                    })
        for item in getattr(unit, "unit_outputs", []):  # the unit's own outputs (headquarters)
            items.append({
                "key": item_key(item, unit_number=unit.number, ea_number=""),
                "kind": "output",
                "label": item_label(item, headquarters=headquarters),
                "planned": item.planned_text,
                "fields": {name: _snapshot_value(item, name) for name in names["output"]},
            })
    return items


def framework_snapshot(*, report: Report) -> list[dict]:
    """The report's items as a submission freezes them (the five framework queries).

    A programme plan's items are its deliverables (one query).
    """
    if report.report_type.is_programme_plan:
        return [
            {
                "key": item_key(item),
                "kind": "deliverable",
                "label": review_item_label(item, headquarters=False),
                "planned": item.prior_planned,
                "fields": {name: getattr(item, name) for name in SNAPSHOT_FIELDS["deliverable"]},
            }
            for item in programme_deliverables(report=report)
        ]
    return snapshot_of_units(
        framework_units(report=report), headquarters=report.report_type.is_headquarters, planning=report.is_planning
    )


def submission_list(*, report: Report) -> list[Submission]:
    """The report's submissions, oldest first, without their (large) snapshots."""
    return list(
        Submission.objects.filter(report=report, phase=report.phase).select_related("submitted_by").defer("items")
        .order_by("number")
    )


def submission_count(*, report: Report) -> int:
    return Submission.objects.filter(report=report, phase=report.phase).count()


def submission_baseline(*, report: Report) -> Submission | None:
    """The submission the report's current data is compared with.

    While the report is submitted or accepted its data is the latest submission, so the one
    before it; while it is with the mission, the latest: what changed since it was sent.
    """
    with_hq = report.status in (Report.Status.SUBMITTED, Report.Status.ACCEPTED)
    offset = 1 if with_hq else 0
    return Submission.objects.filter(report=report, phase=report.phase).order_by("-number")[offset:offset + 1].first()


FIELD_LABELS = {
    "actual": _("Actual value"),
    "actual_narrative": _("Actual indicators of achievement"),
    "variance_explanation": _("Variance explanation"),
    "completed_kind": _("Completed"),
    "completed": _("Completed (number)"),
    "remarks": _("Remarks"),
    "prior_actual": _("Actual"),
    "planned": _("Plan-year planned"),
    "explanation": _("Explanation (Chinese)"),
    "explanation_en": _("Explanation (English)"),
    "statement": _("Statement"),
    "statement_en": _("Statement (English)"),
    "measure": _("Unit of measure"),
    "unit_hint": _("Unit as printed"),
    "direction": _("Direction"),
    "baselines": _("Baselines"),
    "target": _("Target"),
    "heading": _("Heading"),
    "planned_text": _("Planned output"),
    "planned_text_en": _("Planned output (English)"),
    "planned_quantity": _("Planned quantity"),
}


def _readable(changes: list[ItemChange]) -> list[ItemChange]:
    """Name the fields, and print yes / no / blank as the page does."""
    kinds = dict(Output.Completed.choices)
    for change in changes:
        readable = []
        for f in change.fields:
            if f.name == "completed_kind":
                f = dataclasses.replace(f, old=_kind_label(kinds, f.old), new=_kind_label(kinds, f.new))
            readable.append(dataclasses.replace(f, label=str(FIELD_LABELS.get(f.name, f.name))))
        change.fields = readable
    return changes


def _kind_label(kinds: dict, value: str) -> str:
    return str(kinds.get(value, value)) if value else ""


def submission_changes(*, report: Report, old: Submission, new: Submission | None) -> list[ItemChange]:
    """What changed item by item from one submission to a later one (None: to the current data)."""
    new_items = new.items if new is not None else framework_snapshot(report=report)
    return _readable(snapshot_diff(old.items, new_items))


def submission_pair(*, report: Report, old_number: int, new_number: int | None) -> tuple[Submission, Submission | None]:
    """The two submissions to compare, with their snapshots, in one query; Http404 if missing."""
    numbers = [old_number] + ([new_number] if new_number is not None else [])
    found = {
        s.number: s
        for s in Submission.objects.filter(report=report, phase=report.phase, number__in=numbers).select_related("submitted_by")
    }
    if any(n not in found for n in numbers):
        raise Http404("No such submission.")
    return found[old_number], found.get(new_number) if new_number is not None else None


# Comments ------------------------------------------------------------------------------------


def _threads(comments) -> dict[str, list[Comment]]:
    """Group comments into threads per item key: roots in order, each with `.thread_replies`."""
    roots, by_key = {}, {}
    for comment in comments:
        if comment.parent_id is None:
            comment.thread_replies = []
            roots[comment.pk] = comment
            by_key.setdefault(comment.item_key, []).append(comment)
        elif comment.parent_id in roots:
            roots[comment.parent_id].thread_replies.append(comment)
    return by_key


def _comments(report: Report) -> QuerySet[Comment]:
    return Comment.objects.filter(report=report).select_related("author", "resolved_by").order_by("created_at", "id")


def comment_threads(*, report: Report) -> dict[str, list[Comment]]:
    """Every thread of the report by item key, in one query."""
    return _threads(_comments(report))


def comment_threads_for_item(*, report: Report, key: str) -> list[Comment]:
    return _threads(_comments(report).filter(item_key=key)).get(key, [])


def comment_get_for_item(*, report: Report, key: str, pk: int) -> Comment:
    """One comment on the item, with its thread root; Http404 when it belongs elsewhere."""
    try:
        comment = Comment.objects.select_related("parent").get(report=report, item_key=key, pk=pk)
    except Comment.DoesNotExist:
        raise Http404("No such comment.")
    comment.report = report
    if comment.parent is not None:
        comment.parent.report = report
    return comment


def open_thread_count(*, report: Report) -> int:
    return Comment.objects.filter(report=report, parent__isnull=True, resolved_at__isnull=True).count()


# Flags ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewFlag:
    code: str
    label: str
    message: str


FLAG_LABELS = {
    "missing_explanation": _("Missing explanation"),
    "off_target": _("Off target"),
    "not_delivered": _("Not delivered"),
    "large_variance": _("Large variance"),
}
# The rule flags of indicators.rules, in the reviewer's four categories.
RULE_CATEGORIES = {
    "target_missed": "off_target",
    "outside_band": "off_target",
    "target_exceeded": "large_variance",
    "quantity_differs": "large_variance",
    "ratio_outside_band": "large_variance",
    "not_delivered": "not_delivered",
    "not_completed": "not_delivered",
}
MISSING_EXPLANATION = _("The rule asks for an explanation and none is given.")
ADD_COMMENT = _("Add a comment")


def flag_texts() -> dict[str, str]:
    """The flag labels by category, and the missing explanation's message, in the active language."""
    texts = {code: str(label) for code, label in FLAG_LABELS.items()}
    return {**texts, "missing_explanation:message": str(MISSING_EXPLANATION)}


def review_flags(state: rules.ItemState, *, texts: dict[str, str] | None = None) -> list[ReviewFlag]:
    """What a reviewer should look at in one item: its rule flags, and a missing explanation.

    A page of many items passes flag_texts(), translated once.
    """
    texts = texts or flag_texts()
    flags = []
    for flag in state.flags:
        category = RULE_CATEGORIES.get(flag.code, flag.code)
        flags.append(ReviewFlag(category, texts.get(category, flag.code), str(flag.message)))
    if state.complete and state.needs_explanation:
        flags.insert(0, ReviewFlag("missing_explanation", texts["missing_explanation"], texts["missing_explanation:message"]))
    return flags


QUALITY_LABELS = {quality.HARD: _("Blocks submission"), quality.SOFT: _("Warning")}


def quality_flags_by_item(units, *, headquarters: bool) -> dict:
    """A proposal's design-time flags: all of them, and as review flags per (kind, item id)."""
    flags = sorted(quality.framework_quality(units, headquarters=headquarters), key=lambda flag: not flag.is_hard)
    labels = {severity: str(label) for severity, label in QUALITY_LABELS.items()}
    items = {}
    for flag in flags:
        if flag.kind in ("indicator", "output"):
            items.setdefault((flag.kind, flag.item_id), []).append(
                ReviewFlag(f"quality_{flag.severity}", labels[flag.severity], str(flag.message))
            )
    return {"all": flags, "items": items}


# The review page -----------------------------------------------------------------------------

# Columns of the document tables (A/76/525 sect. II.E; A/76/596): mission indicators have planned |
# actual, outputs planned | completed | remarks; headquarters adds target | estimate | actual, and
# planned | actual | delivery ratio.
COLUMNS = {(False, "indicator"): 2, (False, "output"): 3, (True, "indicator"): 5, (True, "output"): 4}


@dataclass
class ReviewItem:
    kind: str
    item: Indicator | Output
    key: str
    label: str
    flags: list[ReviewFlag] = field(default_factory=list)
    threads: list[Comment] = field(default_factory=list)
    change: ItemChange | None = None
    comments_url: str = ""
    comment_row: str = ""  # the review row of an item without a panel: a link to comment
    stamped_threads: str = ""  # its (empty) thread block, when the review page stamped it (views.report_review)

    @property
    def dom_id(self) -> str:
        return f"{self.kind}-{self.item.pk}"

    @property
    def needs_panel(self) -> bool:
        """Whether the item has something to show under it: flags, threads or a change."""
        return bool(self.flags or self.threads or self.change)

    @property
    def open_threads(self) -> int:
        return sum(1 for thread in self.threads if thread.resolved_at is None)


@dataclass
class ReviewFilters:
    flagged: bool = False
    open_comments: bool = False
    changed: bool = False
    unit: str = ""

    @property
    def active(self) -> bool:
        return self.flagged or self.open_comments or self.changed or bool(self.unit)

    def keeps(self, entry: ReviewItem) -> bool:
        return (
            (not self.flagged or bool(entry.flags))
            and (not self.open_comments or entry.open_threads > 0)
            and (not self.changed or entry.change is not None)
        )


@dataclass
class ReviewPage:
    units: list  # the units shown, each with .review_eas; each EA with .review_indicators, .review_output_groups
    unit_numbers: list[tuple[str, str]]
    baseline: Submission | None
    total: int = 0
    shown: int = 0
    flagged: int = 0
    open_threads: int = 0
    changed: int = 0
    removed: list[ItemChange] = field(default_factory=list)  # items of the baseline no longer in the framework
    quality: list = field(default_factory=list)  # a proposal's design-time flags (indicators.quality), hard first

    def entries(self):
        """The items shown, in page order."""
        for unit in self.units:
            for ea in unit.review_eas:
                yield from ea.review_indicators
                for group in ea.review_output_groups:
                    yield from group["items"]
            for group in getattr(unit, "review_output_groups", []):
                yield from group["items"]


def review_page(*, report: Report, filters: ReviewFilters | None = None) -> ReviewPage:
    """The whole framework with flags, threads and changes per item, filtered.

    Queries: the five framework queries, the comments, the baseline submission.
    """
    filters = filters or ReviewFilters()
    headquarters = report.report_type.is_headquarters
    # The link to comment on an item without a panel is built here, once per item, with one
    # reverse per kind: in the template a 600-output page spends tens of milliseconds on it.
    url_patterns = {kind: reverse(f"review:{kind}-comments", args=[report.pk, 0]) for kind in ("indicator", "output")}
    link_label = escape(str(ADD_COMMENT))
    texts = flag_texts()
    units = annotate_framework(framework_units(report=report, editors=False), report)
    # A proposal is judged by the design-time rules; its actual side is not entered yet.
    quality = quality_flags_by_item(units, headquarters=headquarters) if report.is_planning else None
    threads = comment_threads(report=report)
    baseline = submission_baseline(report=report)
    changes = {}
    removed = []
    if baseline is not None:
        current = snapshot_of_units(units, headquarters=headquarters, planning=report.is_planning)
        for change in _readable(snapshot_diff(baseline.items, current)):
            if change.status == "removed":
                removed.append(change)
            else:
                changes[change.key] = change
    page = ReviewPage(units=[], unit_numbers=[(u.number, f"{u.number}. {u.title}") for u in units], baseline=baseline, removed=removed)
    if quality is not None:
        page.quality = sorted(quality["all"], key=lambda flag: not flag.is_hard)
    if filters.unit and filters.unit not in {unit.number for unit in units}:
        filters = dataclasses.replace(filters, unit="")  # the filter form says why
    def _review_unit_output(item):
        key = item_key(item, unit_number=item.unit.number, ea_number="")
        entry = ReviewItem(
            "output", item, key, item_label(item, headquarters=headquarters),
            review_flags(item.state, texts=texts), threads.get(key, []), changes.get(key),
            comments_url=url_patterns["output"].replace("/0/comments/", f"/{item.pk}/comments/"),
        )
        if not entry.needs_panel:
            entry.comment_row = _comment_row(entry, columns=COLUMNS[headquarters, "output"], label=link_label)
        return entry

    for unit in units:
        unit.review_eas = []
        for ea in unit.accomplishments.all():
            def review_item(kind, item, unit=unit, ea=ea):
                key = item_key(item, unit_number=unit.number, ea_number=ea.number)
                flags = (
                    quality["items"].get((kind, item.pk), []) if quality is not None
                    else review_flags(item.state, texts=texts)
                )
                entry = ReviewItem(
                    kind, item, key, item_label(item, headquarters=headquarters),
                    flags, threads.get(key, []), changes.get(key),
                    comments_url=url_patterns[kind].replace("/0/comments/", f"/{item.pk}/comments/"),
                )
                if not entry.needs_panel:
                    entry.comment_row = _comment_row(entry, columns=COLUMNS[headquarters, kind], label=link_label)
                return entry

            indicators = [review_item("indicator", item) for item in ea.indicators.all()]
            groups = [
                {"heading": g["heading"], "path": g["path"], "items": [review_item("output", o) for o in g["outputs"]]}
                for g in ea.output_groups
            ]
            everything = indicators + [e for g in groups for e in g["items"]]
            page.total += len(everything)
            page.flagged += sum(1 for e in everything if e.flags)
            page.open_threads += sum(e.open_threads for e in everything)
            page.changed += sum(1 for e in everything if e.change is not None)
            if filters.unit and unit.number != filters.unit:
                continue
            ea.review_indicators = [e for e in indicators if filters.keeps(e)]
            ea.review_output_groups = [
                {**g, "items": kept} for g in groups if (kept := [e for e in g["items"] if filters.keeps(e)])
            ]
            shown = len(ea.review_indicators) + sum(len(g["items"]) for g in ea.review_output_groups)
            if shown or not filters.active:
                page.shown += shown
                unit.review_eas.append(ea)
        # The unit's own outputs (headquarters): one table after its accomplishments.
        groups = [
            {"heading": g["heading"], "path": g["path"], "items": [_review_unit_output(o) for o in g["outputs"]]}
            for g in unit.output_groups
        ]
        everything = [e for g in groups for e in g["items"]]
        page.total += len(everything)
        page.flagged += sum(1 for e in everything if e.flags)
        page.open_threads += sum(e.open_threads for e in everything)
        page.changed += sum(1 for e in everything if e.change is not None)
        unit.review_output_groups = []
        if not (filters.unit and unit.number != filters.unit):
            unit.review_output_groups = [
                {**g, "items": kept} for g in groups if (kept := [e for e in g["items"] if filters.keeps(e)])
            ]
            page.shown += sum(len(g["items"]) for g in unit.review_output_groups)
        if unit.review_eas or unit.review_output_groups:
            page.units.append(unit)
    return page


def _comment_row(entry: ReviewItem, *, columns: int, label: str) -> str:
    # Every part is safe: ids, a reversed path, an escaped label.
    dom_id, url = entry.dom_id, f"{entry.comments_url}?compose=1"
    return mark_safe(
        f'<tr class="review-row"><td colspan="{columns}"><div class="threads" id="threads-{dom_id}">'
        f'<a class="comment-link" href="{url}" hx-get="{url}" hx-target="#threads-{dom_id}" hx-swap="outerHTML">'
        f"{label}</a></div></td></tr>"
    )


def open_comment_items(*, report: Report) -> list[dict]:
    """Items with open threads, for the return confirmation: label, kind, threads, in document order."""
    threads = comment_threads(report=report)
    order = {}
    for position, (key, label, kind) in enumerate(_item_keys(report)):
        order[key] = (position, label, kind)
    items = []
    for key, item_threads in threads.items():
        open_threads = [t for t in item_threads if t.resolved_at is None]
        if not open_threads:
            continue
        position, label, kind = order.get(key, (len(order), open_threads[0].item_label, open_threads[0].item_kind))
        items.append({"key": key, "label": label, "kind": kind, "threads": open_threads, "position": position})
    return sorted(items, key=lambda entry: (entry["position"], entry["key"]))


def _item_keys(report: Report):
    """(key, label, kind) of every item in document order: two queries, no figures."""
    headquarters = report.report_type.is_headquarters
    rows = []
    indicators = (
        Indicator.objects.filter(accomplishment__unit__report=report)
        .select_related("accomplishment__unit")
        .only(
            "id", "number", "order", "accomplishment__number", "accomplishment__order",
            "accomplishment__unit__number", "accomplishment__unit__order",
        )
    )
    for item in indicators:
        ea = item.accomplishment
        rows.append(((ea.unit.order, ea.unit_id, ea.order, ea.pk, 0, item.order, item.pk),
                     (item_key(item), item_label(item, headquarters=headquarters), "indicator")))
    outputs = (
        Output.objects.filter(unit__report=report)
        .select_related("unit", "accomplishment")
        .only("id", "number", "order", "unit__number", "unit__order", "accomplishment__number", "accomplishment__order")
    )
    for item in outputs:
        ea = item.accomplishment
        if ea is None:  # the unit's own outputs come after its accomplishments
            place = (item.unit.order, item.unit_id, float("inf"), 0, 1, item.order, item.pk)
        else:
            ea.unit = item.unit
            place = (item.unit.order, item.unit_id, ea.order, ea.pk, 1, item.order, item.pk)
        rows.append((place, (item_key(item), item_label(item, headquarters=headquarters), "output")))
    return [entry for _sort, entry in sorted(rows, key=lambda row: row[0])]


# The dashboard -------------------------------------------------------------------------------


@dataclass
class DashboardRow:
    report: Report
    items_total: int = 0
    items_done: int = 0
    flagged: int = 0
    open_comments: int = 0
    due: datetime.date | None = None
    due_is_default: bool = False
    days_overdue: int = 0
    last_change: datetime.datetime | None = None

    @property
    def completeness(self) -> Decimal | None:
        return percentage(self.items_done, self.items_total)


def dashboard_periods() -> list[BudgetPeriod]:
    """Budget periods that have reports, newest first."""
    return list(BudgetPeriod.objects.filter(reports__isnull=False).distinct().order_by("-start"))


def dashboard_rows(*, user, period: BudgetPeriod, today: datetime.date) -> list[DashboardRow]:
    """One row per report of the period the user may see, with completeness, flags and comments.

    Five queries whatever the number of reports and items: reports, items per report and state
    (indicators and outputs in one), the indicators the rules must judge, open comments per
    report, last change per report (and the memberships read once per request).
    """
    reports = list(report_list_for_user(user=user).filter(period=period))
    rows = {report.pk: DashboardRow(report=report) for report in reports}
    if not rows:
        return []
    # A budget proposal has no actual side yet: its rows count the items the design-time
    # rules flag (five more queries for all proposals together), and no completeness.
    planning = [report.pk for report in reports if report.is_planning]
    ids = [report.pk for report in reports if not report.is_planning]
    if planning:
        _proposal_flags(rows, planning)
    for report in reports:
        row = rows[report.pk]
        row.due = deadlines.report_due_date(report)
        row.due_is_default = report.due_date is None
        row.days_overdue = deadlines.days_overdue(report, today=today)

    for report_id, state, n in _indicator_states(ids).union(_output_states(ids), all=True):
        row = rows[report_id]
        row.items_total += n
        row.items_done += n if state & rules_sql.DONE else 0
        row.flagged += n if state & rules_sql.FLAGGED else 0
    tolerance = {report.pk: report.tolerance_percent for report in reports}
    states = {}  # the same facts get the same state: many indicators repeat a target and an actual
    for report_id, facts in _judged_indicators(ids):
        key = (facts, tolerance[report_id])
        if key not in states:
            states[key] = rules.indicator_state(_IndicatorFacts.of(*facts), tolerance_percent=tolerance[report_id])
        rows[report_id].items_done += states[key].done
        rows[report_id].flagged += bool(states[key].flags)  # review_flags: a missing explanation needs a rule flag

    programme_ids = [report.pk for report in reports if report.report_type.is_programme_plan]
    if programme_ids:
        # A programme plan's items are its deliverables (one query for every such report).
        for report_id, done, needs in programme_deliverable_states(report_ids=programme_ids):
            rows[report_id].items_total += 1
            rows[report_id].items_done += done
            rows[report_id].flagged += needs

    open_comments = (
        Comment.objects.filter(report_id__in=list(rows), parent__isnull=True, resolved_at__isnull=True)
        .values("report_id").annotate(n=Count("id")).order_by()
    )
    for entry in open_comments:
        rows[entry["report_id"]].open_comments = entry["n"]
    # The mission's last change to its data or its status; review comments are not changes.
    last_changes = (
        ChangeRecord.objects.filter(report_id__in=list(rows)).exclude(item_type="comment")
        .values("report_id").annotate(last=Max("created_at")).order_by()
    )
    for entry in last_changes:
        rows[entry["report_id"]].last_change = entry["last"]
    return list(rows.values())


# The dashboard covers every item of every report of a period (tens of thousands at
# headquarters' scale). Outputs are judged in SQL (indicators.rules_sql, the rules' twin). An
# indicator's rules parse its printed target and actual (`≤ 48`, `10%±3%`), which only
# indicators.rules can do, so SQL counts the indicators the rules cannot flag (no target, no
# actual, or qualitative) and only the others are read, as light objects with the attributes
# the rules read.


def _proposal_flags(rows: dict, report_ids: list[int]) -> None:
    units = framework_units_of_reports(report_ids=report_ids)
    by_report = {}
    for unit in units:
        by_report.setdefault(unit.report_id, []).append(unit)
    for report_id, report_units in by_report.items():
        headquarters = rows[report_id].report.report_type.is_headquarters
        flagged = {(flag.kind, flag.item_id) for flag in quality.framework_quality(report_units, headquarters=headquarters)}
        rows[report_id].flagged = len(flagged)


def _indicator_states(report_ids: list[int]) -> QuerySet:
    """(report id, state, number of indicators) of the reports' indicators.

    Those the rules may flag count as neither done nor flagged here, and are judged by
    _judged_indicators (on the same three conditions).
    """
    return (
        Indicator.objects.filter(accomplishment__unit__report_id__in=report_ids)
        .annotate(state=rules_sql.indicator_state())
        .values_list("accomplishment__unit__report_id", "state")
        .annotate(n=Count("id"))
        .order_by()
    )


def _output_states(report_ids: list[int]) -> QuerySet:
    """(report id, state, number of outputs) of the reports' outputs: rules.output_state in SQL."""
    aliases, state = rules_sql.output_state("unit__report__")
    return (
        Output.objects.filter(unit__report_id__in=report_ids)
        .alias(**aliases)
        .annotate(state=state)
        .values_list("unit__report_id", "state")
        .annotate(n=Count("id"))
        .order_by()
    )


@functools.lru_cache(maxsize=8192)
def _figure(printed: str) -> Figure:
    return parse_figure(printed)  # a Figure is immutable; the same few targets repeat


class _Rows(tuple):
    """What `indicator.figures.all()` gives the rules."""

    def all(self):
        return self


@dataclass(slots=True)
class _FigureFacts:
    kind: str
    printed: str

    @property
    def figure(self) -> Figure:
        return _figure(self.printed)


@dataclass(slots=True)
class _IndicatorFacts:
    direction: str
    actual: str
    actual_narrative: str  # "" or a placeholder: the rules only ask whether there is one
    variance_explanation: str  # likewise
    figures: _Rows

    @property
    def actual_figure(self) -> Figure:
        return _figure(self.actual)

    @classmethod
    def of(cls, direction: str, actual: str, explanation: str, target: str) -> _IndicatorFacts:
        # It has an actual, so it is complete whatever its narrative: that is not read.
        return cls(direction, actual, "", explanation, _Rows((_FigureFacts(IndicatorFigure.Kind.TARGET, target),)))


def _judged_indicators(report_ids: list[int]):
    """(report id, (direction, actual, explanation, target)) of each indicator the rules may flag.

    Read from the targets' side: a join, where a subquery per indicator costs PostgreSQL more
    than the whole dashboard. An indicator with several targets is judged by its first, as
    indicators.rules.target_of does.
    """
    rows = (
        IndicatorFigure.objects.filter(
            kind=IndicatorFigure.Kind.TARGET, indicator__accomplishment__unit__report_id__in=report_ids,
        )
        .exclude(indicator__direction=Indicator.Direction.QUALITATIVE)
        .filter(rules_sql.filled("indicator__actual"))
        .annotate(explanation=rules_sql.placeholder("indicator__variance_explanation"))
        .order_by("indicator_id", "order", "id")
        .values_list(
            "indicator_id", "indicator__accomplishment__unit__report_id", "indicator__direction", "indicator__actual",
            "explanation", "printed",
        )
    )
    previous = None
    for indicator_id, report_id, *facts in rows:
        if indicator_id != previous:
            previous = indicator_id
            yield report_id, tuple(facts)


STATUS_ORDER = {status: position for position, status in enumerate(Report.Status.values)}
SORT_KEYS = {
    "entity": lambda row: row.report.mission.code,
    "type": lambda row: str(row.report.report_type.name),
    "status": lambda row: STATUS_ORDER.get(row.report.status, 99),
    "phase": lambda row: row.report.phase,
    "complete": lambda row: row.completeness,
    "flagged": lambda row: row.flagged,
    "comments": lambda row: row.open_comments,
    "due": lambda row: row.due,
    "overdue": lambda row: row.days_overdue,
    "changed": lambda row: row.last_change,
}


def dashboard_filter_sort(
    rows: list[DashboardRow], *, status: str = "", report_type: str = "", overdue: bool = False, sort: str = "due",
    phase: str = "",
) -> list[DashboardRow]:
    """Filter rows by phase, status, report type code and overdue, then sort; empty values sort last."""
    kept = [
        row for row in rows
        if (not phase or row.report.phase == phase)
        and (not status or row.report.status == status)
        and (not report_type or row.report.report_type.code == report_type)
        and (not overdue or row.days_overdue > 0)
    ]
    descending = sort.startswith("-")
    key = SORT_KEYS.get(sort.lstrip("-"), SORT_KEYS["due"])
    kept.sort(key=lambda row: row.report.mission.code)  # ties stay in entity order: sorts are stable
    valued = [row for row in kept if key(row) is not None]
    empty = [row for row in kept if key(row) is None]
    valued.sort(key=key, reverse=descending)
    return valued + empty


# The entry page's threads --------------------------------------------------------------------


def accomplishment_thread_items(*, report: Report, ea_id: int) -> list[ReviewItem]:
    """Every indicator and output of one expected accomplishment with its threads, in page order.

    Four queries whatever the size: the accomplishment with its unit, its indicators, its
    outputs, and their comments. Http404 when the accomplishment is not the report's.
    """
    try:
        ea = ExpectedAccomplishment.objects.select_related("unit").get(pk=ea_id, unit__report=report)
    except (ExpectedAccomplishment.DoesNotExist, ValueError, TypeError):
        raise Http404("No such expected accomplishment.") from None
    items = [
        (kind, item)
        for kind, model in (("indicator", Indicator), ("output", Output))
        for item in model.objects.filter(accomplishment=ea).only("number", "accomplishment").order_by("order", "id")
    ]
    keys = [item_key(item, unit_number=ea.unit.number, ea_number=ea.number) for _kind, item in items]
    threads = _threads(_comments(report).filter(item_key__in=keys))
    # No label: the thread template does not print one (as after a plain post, in views._done).
    return [ReviewItem(kind, item, key, "", threads=threads.get(key, [])) for (kind, item), key in zip(items, keys)]
