"""The follow-up ledger of the benchmark dataset: 125 requests per mission in the latest period.

At scale 1 that is 2 000 requests across the 16 missions, each assigned to its mission's latest
report: per mission a General Assembly resolution (75 paragraphs) and an ACABQ report (50),
answered in every state, with due dates around the report's deadline (a fifth overdue).
Generated documents are named with a `G` (`A/RES/75/G003`, `A/75/822/G003`), so that
`dataset_delete` can remove them without touching real ones.
"""

from __future__ import annotations

import random
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone

from django.apps import apps
from django.db import models

GA_PER_MISSION, ACABQ_PER_MISSION = 75, 50
SYMBOL_MARK = r"/G[0-9]{3,}$"

_TOPICS_ZH = ("预算执行情况", "COVID-19 的影响", "地域代表性", "方案活动", "环境管理", "车辆和燃料管理", "性剥削和性虐待",
              "空缺率", "速效项目", "信息和通信安全", "培训完成率", "采购和合同管理")
_TOPICS_EN = ("budget performance", "the impact of COVID-19", "geographical representation", "programmatic activities",
              "environmental management", "vehicle and fuel management", "sexual exploitation and abuse", "vacancy rates",
              "quick-impact projects", "information and communications security", "training completion", "procurement")
_ACTIONS_ZH = ("特派团已设立工作组，按月审查执行情况。", "特派团在本期间执行了相关措施，并将在下次报告中提供最新信息。",
               "相关工作正在进行，预计下一期间完成。")
_ACTIONS_EN = ("The mission set up a working group that reviews implementation monthly.",
               "The mission implemented the measures during the period and will update in its next report.",
               "Work is under way and expected to be completed in the next period.")


@contextmanager
def _dated(models_):
    """Keep the timestamps the rows are given (inside the period, never the clock): equal seeds, equal rows."""
    touched = []
    for model in models_:
        for f in model._meta.concrete_fields:
            if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add):
                touched.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in touched:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def ledger_generate(*, plans, reports: dict, seed: int, due: date, summary) -> None:
    """Sources, requests, assignments and responses for the missions' reports of one period."""
    try:
        SourceDocument = apps.get_model("ledger", "SourceDocument")
        Request = apps.get_model("ledger", "Request")
        Assignment = apps.get_model("ledger", "Assignment")
        Response = apps.get_model("ledger", "Response")
    except LookupError:
        return
    stamp = datetime(due.year, 7, 15, 9, tzinfo=dt_timezone.utc)
    with _dated((SourceDocument, Request, Assignment, Response)):
        _generate(SourceDocument, Request, Assignment, Response, plans=plans, reports=reports, seed=seed, due=due,
                  summary=summary, stamp=stamp)


def _generate(SourceDocument, Request, Assignment, Response, *, plans, reports, seed, due, summary, stamp) -> None:
    statuses = [value for value, _label in Response.Status.choices]
    weights = [30, 30, 25, 5, 5, 5]
    sources, requests, plan_of = [], [], []
    for plan in plans:
        if plan.headquarters:
            continue
        for body, symbol, count in (("GA", f"A/RES/75/G{plan.position:03d}", GA_PER_MISSION),
                                    ("ACABQ", f"A/75/822/G{plan.position:03d}", ACABQ_PER_MISSION)):
            sources.append(SourceDocument(symbol=symbol, body=body, date=date(2021, 6, 30),
                                          title=f"{plan.name_zh} 的经费筹措", title_en=f"Financing of {plan.name_en}", created_at=stamp))
            plan_of.append((plan, count))
    SourceDocument.objects.bulk_create(sources, batch_size=200)
    for source, (plan, count) in zip(sources, plan_of):
        rng = random.Random(f"{seed}:ledger:{source.symbol}")
        for n in range(1, count + 1):
            topic = rng.randrange(len(_TOPICS_ZH))
            requests.append(Request(
                source=source, paragraph=f"第 {n} 段", order=n * 10,
                text=f"请秘书长在下次执行情况报告中提供关于{_TOPICS_ZH[topic]}的最新资料",
                text_en=f"Requests the Secretary-General to report on {_TOPICS_EN[topic]} in the next performance report",
                kind="request" if source.body == "GA" else "recommendation", created_at=stamp,
            ))
    Request.objects.bulk_create(requests, batch_size=500)
    source_plan = {source.pk: plan for source, (plan, _count) in zip(sources, plan_of)}
    assignments = []
    for request in requests:
        plan = source_plan[request.source_id]
        rng = random.Random(f"{seed}:ledger:{request.source.symbol}:{request.paragraph}")
        assignments.append(Assignment(request=request, report=reports[plan.code], due_date=due + timedelta(days=rng.randint(-60, 240)), created_at=stamp))
    Assignment.objects.bulk_create(assignments, batch_size=500)
    responses = []
    for assignment in assignments:
        rng = random.Random(f"{seed}:ledger:response:{assignment.request.source.symbol}:{assignment.request.paragraph}")
        status = rng.choices(statuses, weights=weights)[0]
        action = ("", "") if status in ("not_started", "not_addressed", "superseded", "closed") else (rng.choice(_ACTIONS_ZH), rng.choice(_ACTIONS_EN))
        responses.append(Response(assignment=assignment, status=status, action=action[0], action_en=action[1], updated_at=stamp))
    Response.objects.bulk_create(responses, batch_size=500)
    summary.add("follow-up request", len(requests))
    summary.add("follow-up assignment", len(assignments))


def ledger_delete() -> None:
    """Remove the generated source documents (and with them their requests)."""
    try:
        SourceDocument = apps.get_model("ledger", "SourceDocument")
    except LookupError:
        return
    SourceDocument.objects.filter(symbol__regex=SYMBOL_MARK).delete()
