"""Build frameworks of any size for tests, through the models' own parsing setters."""

from datetime import date

from django.contrib.auth import get_user_model

from indicators.models import ExpectedAccomplishment, Indicator, IndicatorFigure, Output
from missions.models import BudgetPeriod, Membership, Mission, Report, ReportType, Unit


def make_report(*, code="TESTM", period="2020/21", shape=ReportType.Shape.MISSION) -> Report:
    mission, _ = Mission.objects.get_or_create(code=code, defaults={"name_en": f"Mission {code}"})
    start_year = int(period[:4])
    budget_period, _ = BudgetPeriod.objects.get_or_create(
        label=period, defaults={"start": date(start_year, 7, 1), "end": date(start_year + 1, 6, 30)}
    )
    type_code = "mission" if shape == ReportType.Shape.MISSION else "support-account"
    report_type, _ = ReportType.objects.get_or_create(code=type_code, defaults={"name_en": type_code, "shape": shape})
    return Report.objects.create(mission=mission, period=budget_period, report_type=report_type)


def add_framework(report: Report, *, units=2, eas_per_unit=2, indicators_per_ea=3, outputs_per_ea=5) -> None:
    Figure = IndicatorFigure.Kind
    for u in range(1, units + 1):
        unit = Unit.objects.create(report=report, number=str(u), title=f"Component {u}", order=u)
        for e in range(1, eas_per_unit + 1):
            ea = ExpectedAccomplishment.objects.create(unit=unit, number=f"{u}.{e}", text=f"EA {u}.{e}", order=e)
            for i in range(1, indicators_per_ea + 1):
                indicator = Indicator(accomplishment=ea, number=f"{u}.{e}.{i}", statement="Statement", order=i)
                indicator.set_actual(str(100 + i))
                indicator.save()
                for order, (kind, period, printed) in enumerate(
                    [(Figure.BASELINE, "2018/19", "574"), (Figure.BASELINE, "2019/20", "不适用"), (Figure.TARGET, "2020/21", "290")]
                ):
                    figure = IndicatorFigure(indicator=indicator, kind=kind, period_label=period, order=order)
                    figure.set_printed(printed)
                    figure.save()
            outputs = []
            for o in range(1, outputs_per_ea + 1):
                output = Output(accomplishment=ea, number=str(o), planned_text=f"Output {o}", order=o,
                                heading="改进服务" if o % 2 else "")
                output.set_planned_quantity("220")
                output.set_completed(Output.Completed.NUMBER, "250")
                outputs.append(output)
            Output.objects.bulk_create(outputs)


def make_user(username: str, *, role: str | None = None, mission: Mission | None = None):
    user = get_user_model().objects.create_user(username=username, password="pw")
    if role:
        Membership.objects.create(user=user, role=role, mission=mission)
    return user
