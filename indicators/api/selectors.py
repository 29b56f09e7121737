"""API reads of framework items, scoped like the screens and shaped so lists never query in a loop.

An item's report, entity, period and type come in the same row (select_related); the long
texts of units and entities that the item representations do not print are deferred.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from indicators import rules
from missions.api.selectors import get_or_404, scoped_to_user

from ..models import ExpectedAccomplishment, Indicator, IndicatorFigure, Output

ITEM_REPORT = "accomplishment__unit__report"
# Every output has a unit (its accomplishment is optional at headquarters): one join to its report.
OUTPUT_REPORT = "unit__report"
OUTPUT_DEFERRED = (
    "unit__narrative",
    f"{OUTPUT_REPORT}__mission__overall_objective",
    f"{OUTPUT_REPORT}__mission__mandate_references",
)
ITEM_CHAIN = ("accomplishment", "accomplishment__unit", ITEM_REPORT)
# Long texts an item row would otherwise drag along from its unit and entity.
ITEM_DEFERRED = (
    "accomplishment__unit__narrative",
    f"{ITEM_REPORT}__mission__overall_objective",
    f"{ITEM_REPORT}__mission__mandate_references",
)


def figures_prefetch() -> Prefetch:
    return Prefetch("figures", queryset=IndicatorFigure.objects.order_by("order", "id"))


def accomplishment_list_for_user(*, user) -> QuerySet[ExpectedAccomplishment]:
    qs = (
        ExpectedAccomplishment.objects.select_related("unit__report__mission", "unit__report__period")
        .defer("unit__narrative", "unit__report__mission__overall_objective", "unit__report__mission__mandate_references")
        .order_by("unit__report_id", "unit__order", "unit_id", "order", "id")
    )
    return scoped_to_user(qs, user=user, mission_field="unit__report__mission_id")


def accomplishment_get_for_user(*, user, pk) -> ExpectedAccomplishment:
    return get_or_404(accomplishment_list_for_user(user=user), pk)


def indicator_list_for_user(*, user) -> QuerySet[Indicator]:
    """Indicators the user may see, with their report, entity, period, type and figures (2 queries)."""
    qs = (
        Indicator.objects.select_related(
            f"{ITEM_REPORT}__mission", f"{ITEM_REPORT}__period", f"{ITEM_REPORT}__report_type", "updated_by"
        )
        .defer(*ITEM_DEFERRED)
        .prefetch_related(figures_prefetch())
        .order_by("id")
    )
    return scoped_to_user(qs, user=user, mission_field=f"{ITEM_REPORT}__mission_id")


def indicator_get_for_user(*, user, pk) -> Indicator:
    return get_or_404(indicator_list_for_user(user=user), pk)


def output_list_for_user(*, user) -> QuerySet[Output]:
    """Outputs the user may see, with their unit, accomplishment, report, entity, period and type (1 query)."""
    qs = (
        Output.objects.select_related(
            f"{OUTPUT_REPORT}__mission", f"{OUTPUT_REPORT}__period", f"{OUTPUT_REPORT}__report_type",
            "accomplishment", "updated_by",
        )
        .defer(*OUTPUT_DEFERRED)
        .order_by("id")
    )
    return scoped_to_user(qs, user=user, mission_field=f"{OUTPUT_REPORT}__mission_id")


def output_get_for_user(*, user, pk) -> Output:
    return get_or_404(output_list_for_user(user=user), pk)


def indicator_ids_flagged(qs: QuerySet[Indicator], *, unexplained: bool = False) -> list[int]:
    """Ids of the indicators whose actual the rules flag (missed target, beaten by far …).

    The rules are Python (indicators.rules), not SQL, so the filtered set is read once with
    its figures (two queries) and the ids go back into the list query.
    """
    rows = (
        qs.select_related(None).select_related(ITEM_REPORT)
        .only("id", "direction", "actual", "variance_explanation", *ITEM_CHAIN, f"{ITEM_REPORT}__tolerance_percent")
        .prefetch_related(None).prefetch_related(figures_prefetch())
        .order_by()
    )
    ids = []
    for indicator in rows:
        report = indicator.accomplishment.unit.report
        state = rules.indicator_state(indicator, tolerance_percent=report.tolerance_percent)
        if state.needs_explanation if unexplained else state.flags:
            ids.append(indicator.pk)
    return ids


def output_ids_flagged(qs: QuerySet[Output], *, unexplained: bool = False) -> list[int]:
    """Ids of the outputs the rules flag (not delivered, quantity or ratio outside the band)."""
    rows = (
        qs.select_related(None).select_related(f"{OUTPUT_REPORT}__report_type")
        .only(
            "id", "completed_kind", "completed", "completed_value", "planned_value", "planned_quantity", "remarks",
            "unit", OUTPUT_REPORT, f"{OUTPUT_REPORT}__report_type", f"{OUTPUT_REPORT}__tolerance_percent",
            f"{OUTPUT_REPORT}__ratio_low", f"{OUTPUT_REPORT}__ratio_high", f"{OUTPUT_REPORT}__report_type__shape",
        )
        .order_by()
    )
    ids = []
    for output in rows:
        report = output.unit.report
        state = rules.output_state(output, **rules.report_rule_options(report))
        if state.needs_explanation if unexplained else state.flags:
            ids.append(output.pk)
    return ids
