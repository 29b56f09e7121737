"""An item's history across periods: the series of its lineage (issue 14 §5).

Roll-forward copies an item into the next period with the same `lineage` key, so the items
of one lineage are "the same" indicator or output in every period of a budget entity. A
series lines them up by period: for an indicator the baselines printed for each period, the
target, the headquarters estimate and the actual (accepted once its performance report is
accepted, else entered); for an output the planned and completed quantity and the delivery
ratio.

Reads cost a fixed number of queries whatever the number of periods: one over the lineage
joined to its report and period (and one for the indicators' figures), for one item or for
every item of a report at once.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal


from missions.models import Report

from . import rules
from .models import Indicator, IndicatorFigure, Output

ITEM_REPORT = "accomplishment__unit__report"

# What an actual is: accepted (its performance report was accepted) or entered (not yet).
ACCEPTED, ENTERED = "accepted", "entered"


@dataclass
class IndicatorPoint:
    """One period of an indicator's series. Periods printed only as a baseline have no item."""

    period: str
    item_id: int | None = None
    report_id: int | None = None
    phase: str = ""
    status: str = ""
    baseline: str = ""  # as a later period's framework printed this period's value
    baseline_value: Decimal | None = None
    target: str = ""
    target_value: Decimal | None = None
    estimate: str = ""
    estimate_value: Decimal | None = None
    actual: str = ""
    actual_value: Decimal | None = None
    actual_kind: str = ""  # accepted | entered | ""

    def key(self) -> tuple:
        return (self.period, self.baseline, self.target, self.estimate, self.actual, self.actual_kind)


@dataclass
class OutputPoint:
    period: str
    item_id: int
    report_id: int
    phase: str
    status: str
    planned: str
    planned_value: Decimal | None
    completed_kind: str
    completed: str
    completed_value: Decimal | None
    ratio: Decimal | None
    accepted: bool

    def key(self) -> tuple:
        return (self.period, self.planned, self.completed_kind, self.completed, self.accepted)


@dataclass
class Series:
    kind: str  # indicator | output
    lineage: str
    item_id: int  # the item the series was asked for
    points: list = field(default_factory=list)

    @property
    def periods(self) -> list[str]:
        return [point.period for point in self.points]

    def key(self) -> tuple:
        """What a chart of this series depends on (language aside): equal keys draw equal charts."""
        return (self.kind, tuple(point.key() for point in self.points))

    def digest(self) -> str:
        """A short hash of key(): chart URLs carry it, so a browser asks again only when the data changed."""
        return hashlib.sha256(repr(self.key()).encode("utf-8")).hexdigest()[:16]

    @property
    def has_history(self) -> bool:
        """More than one period to compare."""
        return len(self.points) > 1


_ROW = {
    "report_id": f"{ITEM_REPORT}_id", "phase": f"{ITEM_REPORT}__phase", "status": f"{ITEM_REPORT}__status",
    "period": f"{ITEM_REPORT}__period__label", "start": f"{ITEM_REPORT}__period__start",
    "accomplishment_id": "accomplishment_id", "unit_id": "accomplishment__unit_id",
}


def _rows(queryset, *fields) -> list[dict]:
    """Rows as dicts (no model instances: a report's lineages over 10 periods are thousands of rows)."""
    names = list(fields) + list(_ROW)
    return [dict(zip(names, row)) for row in queryset.values_list(*fields, *_ROW.values())]


def _lineage_indicators(*, mission_id: int, lineages) -> list[dict]:
    """Indicators of the lineages within one budget entity, with report and period, and their figures (2 queries)."""
    items = Indicator.objects.filter(lineage__in=lineages, **{f"{ITEM_REPORT}__mission_id": mission_id})
    rows = _rows(items, "id", "lineage", "actual", "actual_value")
    figures: dict[int, list] = defaultdict(list)
    for row in (
        IndicatorFigure.objects.filter(indicator__in=[r["id"] for r in rows])
        .order_by("order", "id").values_list("indicator_id", "kind", "period_label", "printed", "value")
    ):
        figures[row[0]].append(row[1:])
    for row in rows:
        row["figures"] = figures.get(row["id"], [])
    return rows


def _lineage_outputs(*, mission_id: int, lineages) -> list[dict]:
    items = Output.objects.filter(lineage__in=lineages, **{f"{ITEM_REPORT}__mission_id": mission_id})
    return _rows(items, "id", "lineage", "planned_quantity", "planned_value", "completed_kind", "completed", "completed_value")


def _accepted_row(row: dict) -> bool:
    return row["phase"] == Report.Phase.PERFORMANCE and row["status"] == Report.Status.ACCEPTED


def _indicator_series(lineage, items: list[dict], anchor_id: int) -> Series:
    """Line up one lineage's indicators by period (items come in any order)."""
    points: dict[str, IndicatorPoint] = {}
    for item in sorted(items, key=lambda row: row["start"]):
        label = item["period"]
        point = points.setdefault(label, IndicatorPoint(period=label))
        point.item_id, point.report_id, point.phase, point.status = item["id"], item["report_id"], item["phase"], item["status"]
        if item["actual"]:
            point.actual, point.actual_value = item["actual"], item["actual_value"]
            point.actual_kind = ACCEPTED if _accepted_row(item) else ENTERED
        for kind, period_label, printed, value in item["figures"]:
            if kind == IndicatorFigure.Kind.BASELINE and period_label:
                # Items come oldest first: the latest framework's print of a period wins.
                other = points.setdefault(period_label, IndicatorPoint(period=period_label))
                other.baseline, other.baseline_value = printed, value
            elif kind == IndicatorFigure.Kind.TARGET and period_label in ("", label):
                point.target, point.target_value = printed, value
            elif kind == IndicatorFigure.Kind.ESTIMATE and period_label in ("", label):
                point.estimate, point.estimate_value = printed, value
    return Series("indicator", str(lineage), anchor_id, [points[label] for label in sorted(points)])


def _output_series(lineage, items: list[dict], anchor_id: int) -> Series:
    points = []
    for item in sorted(items, key=lambda row: row["start"]):
        ratio = rules.delivery_ratio(item["planned_value"], item["completed_value"]) if item["completed_kind"] == Output.Completed.NUMBER else None
        points.append(OutputPoint(
            period=item["period"], item_id=item["id"], report_id=item["report_id"], phase=item["phase"], status=item["status"],
            planned=item["planned_quantity"], planned_value=item["planned_value"], completed_kind=item["completed_kind"],
            completed=item["completed"], completed_value=item["completed_value"], ratio=ratio, accepted=_accepted_row(item),
        ))
    return Series("output", str(lineage), anchor_id, points)


def indicator_series(*, indicator: Indicator, mission_id: int) -> Series:
    """The series of one indicator the caller may see (two queries: items, figures)."""
    items = _lineage_indicators(mission_id=mission_id, lineages=[indicator.lineage])
    return _indicator_series(indicator.lineage, items, indicator.pk)


def output_series(*, output: Output, mission_id: int) -> Series:
    """The series of one output the caller may see (one query)."""
    items = _lineage_outputs(mission_id=mission_id, lineages=[output.lineage])
    return _output_series(output.lineage, items, output.pk)


def _by_lineage(items) -> dict:
    grouped = defaultdict(list)
    for item in items:
        grouped[item["lineage"]].append(item)
    return grouped


def report_series(*, report: Report, accomplishment_id: int | None = None, unit_id: int | None = None) -> dict[tuple[str, int], Series]:
    """The series of every indicator and output of a report (or of one of its units or accomplishments).

    Three queries whatever the number of periods or items: indicators of the lineages, their
    figures, outputs of the lineages. Keyed by ("indicator" | "output", item id in this report).
    """
    if accomplishment_id:
        scope = {"accomplishment_id": accomplishment_id}
    elif unit_id:
        scope = {"accomplishment__unit_id": unit_id, f"{ITEM_REPORT}": report}
    else:
        scope = {f"{ITEM_REPORT}": report}
    indicator_lineages = Indicator.objects.filter(**scope).values("lineage")
    output_lineages = Output.objects.filter(**scope).values("lineage")
    result = {}
    for kind, items, build in (
        ("indicator", _lineage_indicators(mission_id=report.mission_id, lineages=indicator_lineages), _indicator_series),
        ("output", _lineage_outputs(mission_id=report.mission_id, lineages=output_lineages), _output_series),
    ):
        for lineage, group in _by_lineage(items).items():
            anchors = [i for i in group if i["report_id"] == report.pk
                       and (accomplishment_id is None or i["accomplishment_id"] == accomplishment_id)
                       and (unit_id is None or i["unit_id"] == unit_id)]
            for anchor in anchors:
                result[(kind, anchor["id"])] = build(lineage, group, anchor["id"])
    return result


def attach_series(items, series: dict, kind: str) -> None:
    """Give each item `.trend` (its series, or None) and `.chart_key` (what its chart URL carries)."""
    for item in items:
        item.trend = series.get((kind, item.pk))
        item.chart_key = item.trend.digest() if item.trend else ""
