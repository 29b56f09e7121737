"""A budget entity with a framework carried through several periods (same lineage per item).

Personas: reviewer (HQ, sees every mission), focal (focal point of the entity), other_focal
(focal point of another mission: every path of this entity is a 404 for them).
"""

from __future__ import annotations

import datetime
import uuid

import pytest

from indicators.models import ExpectedAccomplishment, Indicator, IndicatorFigure, Output
from missions.models import BudgetPeriod, Membership, Mission, Report, ReportType, Unit
from tests.entry.factories import PASSWORD, make_user

Role = Membership.Role


def label(year: int) -> str:
    return f"{year}/{str(year + 1)[-2:]}"


def make_history(code: str, *, periods: int, indicators: int = 2, outputs: int = 3, last_year: int = 2020) -> list[Report]:
    """One report per period for `code`, the same framework in each (shared lineages); older ones accepted."""
    mission, _ = Mission.objects.get_or_create(code=code, defaults={"name_en": code, "name_zh": code})
    report_type, _ = ReportType.objects.get_or_create(code="mission-performance", defaults={"name_en": "Mission", "shape": ReportType.Shape.MISSION})
    lineages = {key: uuid.uuid4() for key in ["unit", "ea"] + [f"i{n}" for n in range(indicators)] + [f"o{n}" for n in range(outputs)]}
    reports = []
    for year in range(last_year - periods + 1, last_year + 1):
        period, _ = BudgetPeriod.objects.get_or_create(
            label=label(year), defaults={"start": datetime.date(year, 7, 1), "end": datetime.date(year + 1, 6, 30)}
        )
        latest = year == last_year
        report = Report.objects.create(
            mission=mission, period=period, report_type=report_type,
            status=Report.Status.DRAFT if latest else Report.Status.ACCEPTED,
        )
        unit = Unit.objects.create(report=report, number="1", title="实务", order=1, lineage=lineages["unit"])
        ea = ExpectedAccomplishment.objects.create(unit=unit, number="1.1", text="和解", order=1, lineage=lineages["ea"])
        step = year - (last_year - periods + 1)
        for n in range(indicators):
            item = Indicator(accomplishment=ea, number=f"1.1.{n + 1}", statement=f"活动数量 {n}", order=n + 1, lineage=lineages[f"i{n}"])
            item.set_actual(str(500 + 10 * step + n))
            item.save()
            for order, (kind, period_label, printed) in enumerate([
                (IndicatorFigure.Kind.BASELINE, label(year - 2), str(480 + 10 * step)),
                (IndicatorFigure.Kind.BASELINE, label(year - 1), str(490 + 10 * step)),
                (IndicatorFigure.Kind.TARGET, label(year), str(505 + 10 * step)),
            ]):
                figure = IndicatorFigure(indicator=item, kind=kind, period_label=period_label, order=order)
                figure.set_printed(printed)
                figure.save()
        for n in range(outputs):
            output = Output(accomplishment=ea, number=str(n + 1), planned_text=f"报告 {n}", order=n + 1, lineage=lineages[f"o{n}"])
            output.set_planned_quantity(str(100 + step))
            output.set_completed(Output.Completed.NUMBER, str(90 + step))
            output.save()
        reports.append(report)
    return reports


@pytest.fixture
def users(db):
    return {
        "reviewer": make_user("reviewer", role=Role.HQ_REVIEWER),
        "focal": make_user("focal", role=Role.FOCAL_POINT, mission=Mission.objects.get_or_create(code="HIST", defaults={"name_en": "HIST"})[0]),
        "other_focal": make_user("other_focal", role=Role.FOCAL_POINT, mission=Mission.objects.get_or_create(code="OTHER", defaults={"name_en": "OTHER"})[0]),
    }


@pytest.fixture
def login(client, users):
    def sign_in(name: str):
        client.login(username=name, password=PASSWORD)
        return client

    return sign_in
