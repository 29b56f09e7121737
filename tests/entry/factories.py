"""Small frameworks of both shapes for tests, built through the models' set_* methods.

The mission framework follows UNMIK 2020/21 (A/76/525); the headquarters one the Ethics Office
of the support account (A/76/596). `size` adds expected accomplishments to grow a framework
without changing its shape, for the query-count tests.
"""

from __future__ import annotations

import datetime
import itertools

from django.contrib.auth import get_user_model

from indicators.models import ExpectedAccomplishment, Indicator, IndicatorFigure, Output
from missions.models import BudgetPeriod, Membership, Mission, Report, ReportType, Unit

_seq = itertools.count(1)
PASSWORD = "secret-pass-123"


def make_user(username: str | None = None, *, role: str | None = None, mission: Mission | None = None, unit_numbers: str = "", email: str | None = None):
    username = username or f"user{next(_seq)}"
    user = get_user_model().objects.create_user(username, email=email if email is not None else f"{username}@example.org", password=PASSWORD)
    if role:
        Membership.objects.create(user=user, role=role, mission=mission, unit_numbers=unit_numbers)
    return user


def make_period(label: str = "2020/21") -> BudgetPeriod:
    start_year = 2000 + int(label[2:4])
    period, _ = BudgetPeriod.objects.get_or_create(
        label=label, defaults={"start": datetime.date(start_year, 7, 1), "end": datetime.date(start_year + 1, 6, 30)}
    )
    return period


def make_report_type(shape: str = ReportType.Shape.MISSION) -> ReportType:
    report_type, _ = ReportType.objects.get_or_create(
        code=f"{shape}-performance", defaults={"name_en": f"{shape.title()} performance report", "shape": shape}
    )
    return report_type


def indicator(ea, number, statement, *, direction="increase", measure="count", baselines=(), target=None, estimate=None, order=0) -> Indicator:
    item = Indicator.objects.create(accomplishment=ea, number=number, statement=statement, direction=direction, measure=measure, order=order)
    figures = [(IndicatorFigure.Kind.BASELINE, period, printed) for period, printed in baselines]
    if target is not None:
        figures.append((IndicatorFigure.Kind.TARGET, "2020/21", target))
    if estimate is not None:
        figures.append((IndicatorFigure.Kind.ESTIMATE, "2020/21", estimate))
    for position, (kind, period, printed) in enumerate(figures):
        figure = IndicatorFigure(indicator=item, kind=kind, period_label=period, order=position)
        figure.set_printed(printed)
        figure.save()
    return item


def output(ea, number, planned_text, *, quantity="", heading="", order=0) -> Output:
    item = Output(accomplishment=ea, number=str(number), planned_text=planned_text, heading=heading, order=order)
    item.set_planned_quantity(quantity)
    item.save()
    return item


def make_mission(code: str) -> Mission:
    return Mission.objects.get_or_create(code=code, defaults={"name_en": code, "name_zh": code})[0]


def make_mission_report(code: str = "UNMIK", *, size: int = 0, status: str = Report.Status.DRAFT, due_date=None) -> Report:
    """A mission-shape report: components 1 and 2, expected accomplishments 1.1 and 2.1 (+ size more)."""
    report = Report.objects.create(
        mission=make_mission(code), period=make_period(), report_type=make_report_type(ReportType.Shape.MISSION),
        status=status, due_date=due_date or datetime.date(2021, 9, 30), symbol="A/76/525",
    )
    substantive = Unit.objects.create(report=report, number="1", title="实务", order=1)
    support = Unit.objects.create(report=report, number="2", title="支助", order=2)

    ea = ExpectedAccomplishment.objects.create(unit=substantive, number="1.1", text="科索沃所有族群的和解与融合取得进展", order=1)
    indicator(ea, "1.1.1", "法定市政机制以及民间社会和地方组织发起的活动数量增加", baselines=[("2018/19", "574"), ("2019/20", "754")], target="290", order=1)
    indicator(ea, "1.1.2", "征聘天数", direction="decrease", measure="days", target="≤ 48", order=2)
    indicator(ea, "1.1.3", "空缺率", direction="band", measure="percentage", target="10%±3%", order=3)
    indicator(ea, "1.1.4", "伙伴关系得到加强", direction="qualitative", measure="qualitative", target="正面", order=4)
    output(ea, 1, "编写并以电子方式分发 220 份外地报告", quantity="220", order=1)
    output(ea, 2, "每日与地方当局举行会议", order=2)

    ea2 = ExpectedAccomplishment.objects.create(unit=support, number="2.1", text="为特派团提供快速、有效、高效和负责任的支助服务", order=1)
    indicator(ea2, "2.1.1", "在市政当局担任领导职务的妇女比例增加", measure="percentage", baselines=[("2019/20", "22%")], target="35%", order=1)
    output(ea2, 1, "执行环境管理行动计划", heading="环境举措", order=1)

    for n in range(size):
        extra = ExpectedAccomplishment.objects.create(unit=support, number=f"2.{n + 2}", text=f"Extra {n}", order=n + 2)
        indicator(extra, f"2.{n + 2}.1", "Count", baselines=[("2019/20", "10")], target="12", order=1)
        indicator(extra, f"2.{n + 2}.2", "Days", direction="decrease", target="≤ 30", order=2)
        output(extra, 1, "Reports", quantity="40", heading="改进服务", order=1)
        output(extra, 2, "Meetings", quantity="12", heading="改进服务", order=2)
    return report


def make_hq_report(code: str = "SUPPORT-ACCOUNT", *, status: str = Report.Status.DRAFT) -> Report:
    """A headquarters-shape report: the Ethics Office (I), expected accomplishment (a)."""
    report = Report.objects.create(
        mission=make_mission(code), period=make_period(), report_type=make_report_type(ReportType.Shape.HEADQUARTERS),
        status=status, symbol="A/76/596",
    )
    office = Unit.objects.create(report=report, number="I", title="道德操守办公室", kind=Unit.Kind.DEPARTMENT, order=1)
    ea = ExpectedAccomplishment.objects.create(unit=office, number="(a)", text="维持和平行动的效率和成效得到提高", order=1)
    indicator(ea, "㈠", "因请求获得道德操守咨询指导的次数增加", target="100", estimate="110", order=1)
    indicator(ea, "㈡", "充分遵守财务披露方案", measure="percentage", target="100", estimate="100", order=2)
    heading = "其他实务活动 › 斡旋、实况调查和其他特别任务"
    output(ea, 1, "对外地特派团的问询作出答复", quantity="100", heading=heading, order=1)
    output(ea, 2, "维持和平经费资助人员的财务披露申报或利益申报", quantity="1 300", heading=heading, order=2)
    output(ea, 3, "对维持和平特派团的正式访问", quantity="4", heading=heading, order=3)
    output(ea, 4, "在外地特派团实行的年度领导力对话项目", quantity="1", heading=heading, order=4)
    return report


def items_of(report: Report):
    indicators = list(Indicator.objects.filter(accomplishment__unit__report=report).order_by("id"))
    outputs = list(Output.objects.filter(accomplishment__unit__report=report).order_by("id"))
    return indicators, outputs


def fill_report(report: Report) -> Report:
    """Fill every item so that the report may be submitted: complete, and explained where asked."""
    indicators, outputs = items_of(report)
    for item in indicators:
        target = next((f for f in item.figures.all() if f.kind == IndicatorFigure.Kind.TARGET), None)
        item.set_actual(target.printed if target else "1")
        item.actual_narrative = "实现。"
        item.variance_explanation = "差异原因。"
        item.save()
    for item in outputs:
        item.set_completed(Output.Completed.YES)
        item.remarks = "已完成。"
        item.save()
    return report


def get_indicator(report: Report, number: str) -> Indicator:
    return Indicator.objects.select_related("accomplishment__unit").get(accomplishment__unit__report=report, number=number)


def get_output(report: Report, ea_number: str, number: str) -> Output:
    return Output.objects.select_related("accomplishment__unit").get(
        accomplishment__unit__report=report, accomplishment__number=ea_number, number=number
    )
