"""The baseline series of a proposal's indicators, written by the machine from their sources.

The UN prints a planned indicator with the two periods before the new one and the new target,
e.g. `(2019/20：754；2020/21：860；2021/22：…)`. Each earlier period's value comes from the
best source known, and the figure records which (IndicatorFigure.Source):

1. the indicator's **accepted actual** in that period's performance report (same lineage);
2. else its **entered actual**, not yet accepted: printed, but shown as an estimate;
3. else the value the **ancestor's own series printed** for that period (an actual);
4. else the **ancestor's target** for that period (an estimate).

Until the proposal is submitted the series follows its sources (`baselines_refresh`, called
when a performance report is accepted or reopened, before a proposal is submitted, and on
demand); a figure a person typed (no source) or overrode is never rewritten.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction

from missions.models import Report
from missions.periods import period_label_shift
from rbb.exceptions import DomainError

from .models import Indicator, IndicatorFigure

# The UN prints the two periods before the new one (A/75/… budget proposals, sect. II).
BASELINE_PERIODS = 2

Source = IndicatorFigure.Source


@dataclass(frozen=True)
class Baseline:
    """One computed baseline: the period, the value as printed and where it came from."""

    period_label: str
    printed: str
    source: str


def baseline_period_labels(label: str) -> list[str]:
    """The periods a proposal for `label` prints baselines for, oldest first (2021/22 → 2019/20, 2020/21)."""
    return [period_label_shift(label, -years) for years in range(BASELINE_PERIODS, 0, -1)]


def _accepted_actuals(report: Report) -> bool:
    # A performance report accepted by headquarters; a proposal's acceptance holds no actuals.
    return report.phase == Report.Phase.PERFORMANCE and report.status == Report.Status.ACCEPTED


def baselines_compute(*, report: Report, lineages: list) -> dict:
    """The computed baselines of every lineage for the proposal `report`: {lineage: [Baseline, …]}.

    Three queries whatever the size: the entity's reports of the baseline periods and the one
    before the proposal, the indicators of those reports with these lineages, and the
    ancestor's planned figures for the baseline periods.
    """
    labels = baseline_period_labels(report.period.label)
    ancestor_label = labels[-1]  # the period just before: the framework the proposal came from
    reports = {
        r.period.label: r
        for r in Report.objects.filter(mission_id=report.mission_id, period__label__in=labels).select_related("period")
    }
    actuals = {}  # (lineage, period label) → (printed actual, accepted?)
    ancestor_ids = {}  # lineage → the ancestor indicator's id
    wanted = set(lineages)
    if reports:
        rows = Indicator.objects.filter(
            accomplishment__unit__report__in=list(reports.values()), lineage__in=wanted
        ).values_list("id", "lineage", "actual", "accomplishment__unit__report__period__label")
        for pk, lineage, actual, label in rows:
            if actual:
                actuals[lineage, label] = (actual, _accepted_actuals(reports[label]))
            if label == ancestor_label:
                ancestor_ids[lineage] = pk
    printed = {}  # (ancestor id, period label, kind) → printed
    if ancestor_ids:
        figures = IndicatorFigure.objects.filter(
            indicator_id__in=list(ancestor_ids.values()), period_label__in=labels,
            kind__in=[IndicatorFigure.Kind.BASELINE, IndicatorFigure.Kind.TARGET],
        ).order_by("order", "id").values_list("indicator_id", "period_label", "kind", "printed")
        for indicator_id, label, kind, value in figures:
            if value:
                printed.setdefault((indicator_id, label, kind), value)
    result = {}
    for lineage in lineages:
        series = []
        ancestor = ancestor_ids.get(lineage)
        for label in labels:
            found = actuals.get((lineage, label))
            if found is not None:
                value, accepted = found
                series.append(Baseline(label, value, Source.ACCEPTED_ACTUAL if accepted else Source.ENTERED_ACTUAL))
            elif (value := printed.get((ancestor, label, IndicatorFigure.Kind.BASELINE))) is not None:
                series.append(Baseline(label, value, Source.ANCESTOR_SERIES))
            elif (value := printed.get((ancestor, label, IndicatorFigure.Kind.TARGET))) is not None:
                series.append(Baseline(label, value, Source.ANCESTOR_TARGET))
        result[lineage] = series
    return result


def baselines_follow(report: Report) -> bool:
    """Whether the report's series still follow their sources: a proposal never submitted."""
    return report.is_planning and report.status == Report.Status.DRAFT


@transaction.atomic
def baselines_refresh(*, report: Report) -> int:
    """Rewrite the machine-written baselines of a proposal from their sources; the number changed.

    Figures a person typed (no source) or overrode stay as they are. Fixed number of queries:
    the indicators, the sources (baselines_compute), the existing baselines, then one insert,
    one update and one delete at most.
    """
    indicators = list(
        Indicator.objects.filter(accomplishment__unit__report=report).values_list("id", "lineage")
    )
    computed = baselines_compute(report=report, lineages=[lineage for _pk, lineage in indicators])
    labels = baseline_period_labels(report.period.label)
    existing = defaultdict(dict)
    for figure in IndicatorFigure.objects.filter(
        indicator__accomplishment__unit__report=report, kind=IndicatorFigure.Kind.BASELINE, period_label__in=labels
    ):
        existing[figure.indicator_id][figure.period_label] = figure
    create, update, delete = [], [], []
    for pk, lineage in indicators:
        wanted = {b.period_label: b for b in computed.get(lineage, [])}
        have = existing.get(pk, {})
        for position, label in enumerate(labels):
            figure, baseline = have.get(label), wanted.get(label)
            if figure is not None and (figure.overridden or not figure.source):
                continue  # a person's value
            if baseline is None:
                if figure is not None:
                    delete.append(figure.pk)
                continue
            if figure is None:
                figure = IndicatorFigure(
                    indicator_id=pk, kind=IndicatorFigure.Kind.BASELINE, period_label=label, order=position,
                )
                figure.set_printed(baseline.printed)
                figure.source = baseline.source
                create.append(figure)
            elif (figure.printed, figure.source) != (baseline.printed, baseline.source):
                figure.set_printed(baseline.printed)
                figure.source = baseline.source
                update.append(figure)
    if create:
        IndicatorFigure.objects.bulk_create(create)
    if update:
        IndicatorFigure.objects.bulk_update(
            update, ["printed", "value", "comparator", "tolerance", "not_applicable", "source"], batch_size=500
        )
    if delete:
        IndicatorFigure.objects.filter(pk__in=delete).delete()
    return len(create) + len(update) + len(delete)


def baselines_refresh_descendants(*, report: Report) -> list[Report]:
    """Refresh the proposals of later periods of the same entity whose series may come from `report`."""
    try:
        labels = [period_label_shift(report.period.label, years) for years in range(1, BASELINE_PERIODS + 1)]
    except DomainError:
        return []  # a period named otherwise than 2020/21 or 2024 has no computable successors
    proposals = list(
        Report.objects.filter(
            mission_id=report.mission_id, period__label__in=labels,
            phase=Report.Phase.PLANNING, status=Report.Status.DRAFT,
        ).select_related("period")
    )
    for proposal in proposals:
        baselines_refresh(report=proposal)
    return proposals


def baseline_override(*, figure: IndicatorFigure, printed: str) -> IndicatorFigure:
    """A person's value for a baseline: stored as printed and marked overridden if the machine wrote it.

    For the framework editor and the admin: once overridden, later refreshes keep it.
    """
    figure.set_printed(printed)
    if figure.source:
        figure.overridden = True
    return figure
