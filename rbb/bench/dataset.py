"""A realistic, seeded dataset for benchmarks and export tests: `manage.py generate_dataset`.

At scale 1, for each of 10 budget periods: 16 missions (about 5 components, 15 expected
accomplishments, 60 indicators and 300 outputs each, with full resource tables) and one
support-account report with the shape of A/76/596 (26 units, 55 expected accomplishments,
161 indicators, 623 outputs). Scale N repeats the missions N times (`MINUSCA-2` …), so a
period holds N times the items while each report keeps a realistic size. Older periods are
accepted, with their workflow events; the latest period is mostly in draft, some submitted,
returned or accepted. Every saved actual has its change records, as the services write them.

Everything comes from random.Random seeded with (seed, entity, period), and timestamps come
from the period's dates, never the clock: the same seed gives the same rows. Figures go
through the models' set_* parsing, then bulk_create in batches.
"""

from __future__ import annotations

import logging
import random
import time
import uuid
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import models, transaction

from indicators.models import ExpectedAccomplishment, Indicator, IndicatorFigure, Output
from missions.models import (
    BudgetPeriod,
    ChangeRecord,
    FinancialClass,
    FinancialLine,
    Membership,
    Mission,
    MonthlyExpenditure,
    Redeployment,
    Report,
    ReportEvent,
    ReportType,
    ResourceNarrative,
    RevenueLine,
    StaffCategory,
    StaffIncumbency,
    StaffIncumbencyMonth,
    Unit,
    VarianceExplanation,
)
from missions.data import revenue_line_defaults
from rbb.exceptions import DomainError
from rbb.lib.numbers import format_count

from .ledger_data import ledger_delete, ledger_generate
from .texts import EN, HQ_CATEGORIES, HQ_EA_TEXTS, HQ_SUB_UNITS, HQ_UNITS, SERVICE_HEADINGS, ZH, Writer

logger = logging.getLogger(__name__)

BATCH = 2000
# Lineage keys are uuid5 names under this namespace (any fixed UUID does).
LINEAGE_NAMESPACE = uuid.UUID("6f1d6a52-8a53-4c1e-9a57-2b1f4c0d7e10")
LATEST_START_YEAR = 2020  # the latest generated period is 2020/21, the demo's period
USER_PREFIX = "gen."

# Real peacekeeping operations other than UNMIK (the demo), with their Chinese names.
MISSIONS = [
    ("MINURSO", "United Nations Mission for the Referendum in Western Sahara", "联合国西撒哈拉全民投票特派团"),
    ("MINUSCA", "United Nations Multidimensional Integrated Stabilization Mission in the Central African Republic", "联合国中非共和国多层面综合稳定团"),
    ("MINUSMA", "United Nations Multidimensional Integrated Stabilization Mission in Mali", "联合国马里多层面综合稳定团"),
    ("MONUSCO", "United Nations Organization Stabilization Mission in the Democratic Republic of the Congo", "联合国组织刚果民主共和国稳定特派团"),
    ("UNAMID", "African Union-United Nations Hybrid Operation in Darfur", "非洲联盟-联合国达尔富尔混合行动"),
    ("UNDOF", "United Nations Disengagement Observer Force", "联合国脱离接触观察员部队"),
    ("UNFICYP", "United Nations Peacekeeping Force in Cyprus", "联合国驻塞浦路斯维持和平部队"),
    ("UNIFIL", "United Nations Interim Force in Lebanon", "联合国驻黎巴嫩临时部队"),
    ("UNISFA", "United Nations Interim Security Force for Abyei", "联合国阿卜耶伊临时安全部队"),
    ("UNMISS", "United Nations Mission in the Republic of South Sudan", "联合国南苏丹共和国特派团"),
    ("UNSOS", "United Nations Support Office in Somalia", "联合国索马里支助办事处"),
    ("UNMIL", "United Nations Mission in Liberia", "联合国利比里亚特派团"),
    ("UNOCI", "United Nations Operation in Côte d'Ivoire", "联合国科特迪瓦行动"),
    ("MINUSTAH", "United Nations Stabilization Mission in Haiti", "联合国海地稳定特派团"),
    ("MINUJUSTH", "United Nations Mission for Justice Support in Haiti", "联合国海地司法支助团"),
    ("UNMIT", "United Nations Integrated Mission in Timor-Leste", "联合国东帝汶综合特派团"),
]
# The demo's support account is `SUPPORT` (Ethics Office only); the generated one is complete.
SUPPORT_CODE = "SUPPORT-FULL"
SUPPORT_NAMES = ("Support account for peacekeeping operations (complete framework)", "维持和平行动支助账户(完整框架)")
# A/76/596: 26 framework units, 55 expected accomplishments, 161 indicators, 623 outputs.
SUPPORT_SHAPE = {"units": 26, "accomplishments": 55, "indicators": 161, "outputs": 623}
# Per mission report, around these sizes (drawn per mission, stable across periods).
MISSION_SHAPE = {"components": (4, 6), "accomplishments": (13, 17), "indicators": (54, 66), "outputs": (270, 330)}

# Status of each mission report in the latest period, by position: most are still being written.
LATEST_STATUSES = ["draft"] * 10 + ["submitted", "submitted", "returned", "accepted", "draft", "submitted"]

Status = Report.Status
Role = Membership.Role
Completed = Output.Completed
Kind = IndicatorFigure.Kind


class DatasetExists(DomainError):
    http_status = 409
    default_code = "dataset_exists"
    default_message = "A generated dataset is already there: run with --replace to generate it again."


@dataclass
class DatasetSummary:
    scale: int
    seed: int
    periods: list[str]
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    support_code: str = SUPPORT_CODE

    def add(self, name: str, number: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + number


# --- plans: the shape of each entity's framework, the same in every period -------------------


@dataclass
class IndicatorPlan:
    number: str
    measure: str
    direction: str
    unit_hint: str
    base: float  # the level the series starts from
    growth: float
    style: str  # how figures print: plain, percent, band, bound, score, words, several
    introduced: int  # first period index with this indicator (baselines before it are N/A)


@dataclass
class OutputPlan:
    number: str
    heading: str
    quantity: tuple[int, ...]  # planned quantities (none, one, or two for a compound output)


@dataclass
class AccomplishmentPlan:
    number: str
    indicators: list[IndicatorPlan]
    outputs: list[OutputPlan]
    text_index: int = 0  # headquarters: which of the three standard texts


@dataclass
class UnitPlan:
    number: str
    kind: str
    title: str
    parent: str | None
    accomplishments: list[AccomplishmentPlan]
    support: bool = False


@dataclass
class EntityPlan:
    code: str
    name_en: str
    name_zh: str
    headquarters: bool
    language: str
    size: float  # budget in thousands of US$
    units: list[UnitPlan]
    position: int  # index among the missions, for the latest period's status


def _split(rng: random.Random, total: int, buckets: int, *, minimum: int = 1, weights: list[float] | None = None) -> list[int]:
    """Split total into buckets (each at least minimum), in proportion to weights with noise."""
    weights = weights or [1.0] * buckets
    noisy = [w * rng.uniform(0.6, 1.4) for w in weights]
    spare = total - minimum * buckets
    shares = [int(spare * w / sum(noisy)) for w in noisy]
    for i in range(spare - sum(shares)):
        shares[i % buckets] += 1
    return [minimum + s for s in shares]


HQ_NUMERALS = "㈠㈡㈢㈣㈤㈥㈦㈧㈨㈩"
CHINESE_DIGITS = "一二三四五六七八九"


def hq_indicator_number(index: int) -> str:
    """㈠ … ㈩, then (十一), (十二) … as the support-account report numbers them."""
    if index < 10:
        return HQ_NUMERALS[index]
    n = index + 1
    tens, ones = divmod(n, 10)
    text = ("" if tens == 1 else CHINESE_DIGITS[tens - 1]) + "十" + (CHINESE_DIGITS[ones - 1] if ones else "")
    return f"({text})"


def _indicator_plan(rng: random.Random, number: str, *, headquarters: bool, periods: int) -> IndicatorPlan:
    roll = rng.random()
    if roll < 0.45:
        measure, direction, style, base = "count", "increase", "plain", rng.choice([rng.uniform(5, 60), rng.uniform(60, 1500), rng.uniform(1500, 250000)])
    elif roll < 0.60:
        measure, direction, style, base = "percentage", "increase", rng.choice(["percent", "percent", "several"]), rng.uniform(15, 90)
    elif roll < 0.68:
        measure, direction, style, base = "percentage", "band", "band", rng.uniform(5, 20)
    elif roll < 0.78:
        measure, direction, style, base = "days", "decrease", "bound", rng.uniform(20, 120)
    elif roll < 0.83:
        measure, direction, style, base = "months", "decrease", "plain", rng.uniform(1.5, 9)
    elif roll < 0.90:
        measure, direction, style, base = "score", "increase", "score", rng.uniform(60, 90)
    elif roll < 0.95:
        measure, direction, style, base = "qualitative", "qualitative", "words", 0.0
    else:
        measure, direction, style, base = "amount", "decrease", "plain", rng.uniform(100, 5000)
    hints = {"count": "请求数目", "percentage": "百分比", "days": "天数", "months": "月数"}
    return IndicatorPlan(
        number=number, measure=measure, direction=direction,
        unit_hint=hints.get(measure, "") if headquarters else "",
        base=base, growth=rng.uniform(-0.05, 0.12), style=style,
        introduced=0 if rng.random() < 0.7 else rng.randint(1, max(1, periods - 1)),
    )


def _mission_plan(code: str, name_en: str, name_zh: str, *, seed: int, position: int, periods: int) -> EntityPlan:
    rng = random.Random(f"{seed}:plan:{code}")
    language = ZH if position % 2 == 0 else EN
    writer = Writer(rng, language)
    n_components = rng.randint(*MISSION_SHAPE["components"])
    n_eas = rng.randint(*MISSION_SHAPE["accomplishments"])
    n_indicators = rng.randint(*MISSION_SHAPE["indicators"])
    n_outputs = rng.randint(*MISSION_SHAPE["outputs"])
    # The support component has one or two accomplishments carrying about a third of the outputs
    # under service headings (UNMIK: 2.1 holds most of them).
    support_eas = rng.choice([1, 2])
    ea_per_component = _split(rng, n_eas - support_eas, n_components - 1) + [support_eas]
    ea_weights = []
    for c, count in enumerate(ea_per_component):
        ea_weights += [(6.0 / count) if c == n_components - 1 else 1.0] * count
    indicators = _split(rng, n_indicators, n_eas, minimum=2)
    outputs = _split(rng, n_outputs, n_eas, minimum=4, weights=ea_weights)
    units, k = [], 0
    for c, count in enumerate(ea_per_component):
        support = c == n_components - 1
        eas = []
        for e in range(count):
            ea_number = f"{c + 1}.{e + 1}"
            eas.append(AccomplishmentPlan(
                number=ea_number,
                indicators=[_indicator_plan(rng, f"{ea_number}.{i + 1}", headquarters=False, periods=periods) for i in range(indicators[k])],
                outputs=[_mission_output_plan(rng, o + 1, support=support, language=language) for o in range(outputs[k])],
            ))
            k += 1
        units.append(UnitPlan(number=str(c + 1), kind=Unit.Kind.COMPONENT, title=writer.component_title(c, support=support),
                              parent=None, accomplishments=eas, support=support))
    return EntityPlan(code=code, name_en=name_en, name_zh=name_zh, headquarters=False, language=language,
                      size=rng.choice([rng.uniform(35_000, 120_000), rng.uniform(120_000, 600_000), rng.uniform(600_000, 1_200_000)]),
                      units=units, position=position)


def _mission_output_plan(rng: random.Random, number: int, *, support: bool, language: str) -> OutputPlan:
    roll = rng.random()
    if roll < 0.45:
        quantity = ()
    elif roll < 0.92:
        quantity = (rng.choice([rng.randint(1, 30), rng.randint(30, 400), rng.randint(400, 5000)]),)
    else:
        quantity = (rng.randint(50, 300), rng.randint(300, 900))
    heading = SERVICE_HEADINGS[language][min(11, (number - 1) // 9)] if support else ""
    return OutputPlan(number=str(number), heading=heading, quantity=quantity)


def _support_plan(*, seed: int, periods: int) -> EntityPlan:
    rng = random.Random(f"{seed}:plan:{SUPPORT_CODE}")
    shape = SUPPORT_SHAPE
    units: list[UnitPlan] = []
    for letter, title_zh, _title_en in HQ_UNITS:
        units.append(UnitPlan(number=letter, kind=Unit.Kind.DEPARTMENT, title=title_zh, parent=None, accomplishments=[]))
        for s, sub_title in enumerate(HQ_SUB_UNITS.get(letter, []), start=1):
            units.append(UnitPlan(number=f"{letter}.{s}", kind=Unit.Kind.SUB_UNIT, title=sub_title, parent=letter, accomplishments=[]))
    assert len(units) == shape["units"], len(units)
    # Departments with sub-units report through them; the others report themselves.
    parents = {u.parent for u in units if u.parent}
    leaves = [u for u in units if u.number not in parents]
    eas_per_leaf = _split(rng, shape["accomplishments"], len(leaves), minimum=2)
    indicators = _split(rng, shape["indicators"], shape["accomplishments"], minimum=2)
    outputs = _split(rng, shape["outputs"], shape["accomplishments"], minimum=3)
    k = 0
    for leaf, count in zip(leaves, eas_per_leaf):
        texts = rng.sample(range(3), min(3, count)) + [rng.randrange(3) for _ in range(count - 3)]
        output_number = 0
        for e in range(count):
            # The letter is not the text's identity: (a) is a different standard text in another unit.
            ea = AccomplishmentPlan(number=f"({'abcdefgh'[e]})", indicators=[], outputs=[], text_index=texts[e])
            ea.indicators = [_indicator_plan(rng, hq_indicator_number(i), headquarters=True, periods=periods) for i in range(indicators[k])]
            heading = rng.choice(HQ_CATEGORIES)
            for _ in range(outputs[k]):
                output_number += 1
                if rng.random() < 0.2:
                    heading = rng.choice(HQ_CATEGORIES)
                planned = rng.choice([rng.randint(1, 12), rng.randint(10, 200), rng.randint(200, 3000)])
                ea.outputs.append(OutputPlan(number=str(output_number), heading=heading, quantity=(planned,)))
            leaf.accomplishments.append(ea)
            k += 1
    return EntityPlan(code=SUPPORT_CODE, name_en=SUPPORT_NAMES[0], name_zh=SUPPORT_NAMES[1], headquarters=True,
                      language=ZH, size=rng.uniform(340_000, 360_000), units=units, position=-1)


def entity_plans(*, scale: int, seed: int, periods: int, missions: int | None = None, support: bool = True) -> list[EntityPlan]:
    """Every generated entity's framework shape: scale × the missions, then the support account."""
    plans = []
    base = MISSIONS[: missions if missions is not None else len(MISSIONS)]
    for copy in range(1, scale + 1):
        for position, (code, name_en, name_zh) in enumerate(base):
            if copy > 1:
                code, name_en, name_zh = f"{code}-{copy}", f"{name_en} ({copy})", f"{name_zh}({copy})"
            plans.append(_mission_plan(code, name_en, name_zh, seed=seed, position=position, periods=periods))
    if support:
        plans.append(_support_plan(seed=seed, periods=periods))
    return plans


# --- figures -----------------------------------------------------------------------------------


def _noise(*keys) -> float:
    """A stable pseudo-random number in [0, 1) for the keys (no shared random state)."""
    return (zlib.crc32(repr(keys).encode()) % 100_000) / 100_000


def _level(plan: IndicatorPlan, key: tuple, t: int, kind: str) -> float:
    trend = plan.base * (1 + plan.growth) ** t
    spread = {"target": 0.12, "estimate": 0.18, "actual": 0.35}[kind]
    return max(0.0, trend * (1 + spread * (2 * _noise(*key, t, kind) - 1)))


def _print(plan: IndicatorPlan, value: float, *, kind: str, language: str, key: tuple, t: int) -> str:
    """A figure as the documents print it, in the plan's style."""
    style = plan.style
    if style == "words":
        return ("正面" if language == ZH else "positive") if kind != "actual" or _noise(*key, t, "w") < 0.8 else ("是" if language == ZH else "yes")
    if style in ("percent", "several"):
        value = min(value, 100.0)
        one = f"{value:.1f}%" if _noise(*key, t, "p") < 0.5 else f"{round(value)}%"
        if style == "several" and kind == "actual" and _noise(*key, t, "s") < 0.5:
            return "; ".join(f"{max(0, min(100, round(value * (0.8 + 0.4 * _noise(*key, t, i)))))}%" for i in range(3))
        return one
    if style == "band":
        return f"{round(value)}%±{1 + round(3 * _noise(*key, 'tol'))}%" if kind == "target" else f"{value:.1f}%"
    if style == "bound":
        return f"≤ {round(value)}" if kind == "target" else str(round(value))
    if style == "score":
        return f"{min(100, round(value))}/100"
    if plan.measure == "months":
        return f"{value:.1f}"
    return format_count(Decimal(round(value)))


def _figure_text(plan: IndicatorPlan, *, kind: str, key: tuple, t: int, language: str) -> str:
    if t < plan.introduced:
        return "不适用" if language == ZH else "N/A"
    return _print(plan, _level(plan, key, t, kind), kind=kind, language=language, key=key, t=t)


# --- generation --------------------------------------------------------------------------------


@contextmanager
def historic_timestamps():
    """Let bulk_create keep the timestamps we set instead of stamping the clock's.

    auto_now / auto_now_add would date every generated change record and event today; the
    history only makes sense dated inside its period (a change before the submission that
    locked it). The flags are restored on exit; this runs in the generating process only.
    """
    touched = []
    for model in (Report, ReportEvent, ChangeRecord, Indicator, Output, FinancialLine, VarianceExplanation,
                  Redeployment, RevenueLine, MonthlyExpenditure, StaffIncumbency, ResourceNarrative):
        for f in model._meta.concrete_fields:
            if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add):
                touched.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in touched:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _at(day: date, hour: float = 9.0) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=dt_timezone.utc) + timedelta(hours=hour)


@dataclass
class _People:
    approver: object
    focal: list  # focal points, each limited to a part of the units
    reviewer: object
    admin: object


class _Batch:
    """Objects of one period, written table by table in dependency order."""

    def __init__(self, seed: int = 0):
        self.seed = seed  # for the items' lineage keys
        self.rows: dict[type, list] = {}
        self.reports: dict[str, Report] = {}  # by entity code
        self.items: list[tuple] = []  # (indicator or output, its change records) waiting for ids
        self.events: list = []  # the period's workflow events, for the review's submissions

    def add(self, obj) -> None:
        self.rows.setdefault(type(obj), []).append(obj)

    def extend(self, objs) -> None:
        for obj in objs:
            self.add(obj)

    def write(self, model, summary: DatasetSummary) -> None:
        rows = self.rows.pop(model, [])
        if rows:
            model.objects.bulk_create(rows, batch_size=BATCH)
            summary.add(model._meta.model_name, len(rows))


def dataset_generate(
    *,
    scale: int = 1,
    seed: int = 1,
    periods: int = 10,
    missions: int | None = None,
    support: bool = True,
    replace: bool = False,
    progress: Callable[[str], None] | None = None,
) -> DatasetSummary:
    """Generate the dataset (see the module docstring); refuse if one is there, unless replace."""
    if scale < 1 or periods < 1:
        raise DomainError("Scale and periods must be at least 1.", code="invalid_scale")
    say = progress or (lambda message: None)
    started = time.perf_counter()
    plans = entity_plans(scale=scale, seed=seed, periods=periods, missions=missions, support=support)
    codes = [p.code for p in plans]
    if Mission.objects.filter(code__in=codes).exists() or get_user_model().objects.filter(username__startswith=USER_PREFIX).exists():
        if not replace:
            raise DatasetExists()
        dataset_delete(progress=say)
    _ensure_class_lists()
    labels = [f"{y}/{str(y + 1)[-2:]}" for y in range(LATEST_START_YEAR - periods + 1, LATEST_START_YEAR + 1)]
    summary = DatasetSummary(scale=scale, seed=seed, periods=labels)
    period_rows = [
        BudgetPeriod.objects.get_or_create(label=label, defaults={"start": date(int(label[:4]), 7, 1), "end": date(int(label[:4]) + 1, 6, 30)})[0]
        for label in labels
    ]
    types = {t.code: t for t in ReportType.objects.filter(code__in=["mission", "support-account"])}
    classes = {code: list(FinancialClass.objects.filter(report_type=t).order_by("order", "id")) for code, t in types.items()}
    categories = {code: list(StaffCategory.objects.filter(report_type=t, kind=StaffCategory.Kind.LINE).order_by("order", "id")) for code, t in types.items()}
    with transaction.atomic():
        entities = _entities_create(plans, summary)
        people = _people_create(plans, entities, summary)
    with historic_timestamps():
        for t, period in enumerate(period_rows):
            with transaction.atomic():
                batch = _Batch(seed)
                for plan in plans:
                    type_code = "support-account" if plan.headquarters else "mission"
                    _report_build(batch, plan, entities[plan.code], period, t, periods, types[type_code], people[plan.code], seed)
                _write_framework(batch, summary)
                for plan in plans:
                    type_code = "support-account" if plan.headquarters else "mission"
                    _resources_build(batch, plan, batch.reports[plan.code], types[type_code], classes[type_code],
                                     categories[type_code], seed, t)
                # Parents first: bulk_create copies a saved parent's key into the child's column.
                for model in (FinancialLine, VarianceExplanation, Redeployment, RevenueLine, MonthlyExpenditure,
                              StaffIncumbency, StaffIncumbencyMonth, ResourceNarrative):
                    batch.write(model, summary)
                _review_create(batch, plans, people, seed, t, summary)
                if t == len(period_rows) - 1:
                    # The follow-up ledger of the latest period: the ledger page and its benchmark.
                    ledger_generate(plans=plans, reports=batch.reports, seed=seed, due=date(period.end.year, 9, 30), summary=summary)
            say(f"{period.label}: {len(plans)} reports")
    _analyze()
    summary.seconds = time.perf_counter() - started
    return summary


def _analyze() -> None:
    """Give PostgreSQL's planner statistics on the new rows (autovacuum may be off or not yet run)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _ensure_class_lists() -> None:
    if not FinancialClass.objects.filter(report_type__code="mission").exists():
        from missions.services import resource_class_lists_install

        resource_class_lists_install()


def _entities_create(plans: list[EntityPlan], summary: DatasetSummary) -> dict[str, Mission]:
    rows = [
        Mission(code=p.code, name_en=p.name_en, name_zh=p.name_zh, short_name_en=p.code, short_name_zh=p.name_zh[:20],
                overall_objective="" if p.headquarters else f"Contribute to peace and security in the mission area ({p.code}).")
        for p in plans
    ]
    Mission.objects.bulk_create(rows, batch_size=BATCH)
    summary.add("mission", len(rows))
    return {m.code: m for m in rows}


def _people_create(plans: list[EntityPlan], entities: dict[str, Mission], summary: DatasetSummary) -> dict[str, _People]:
    """An approver and two focal points per entity (each focal point limited to half of the units), and HQ."""
    User = get_user_model()
    # One hash for everyone: hashing the demo password thousands of times would take minutes.
    password = make_password(settings.DEMO_PASSWORD)
    users, memberships, people = [], [], {}

    def user(name: str):
        obj = User(username=f"{USER_PREFIX}{name}", email=f"{name}@example.org", password=password)
        users.append(obj)
        return obj

    reviewer, admin = user("hq.reviewer"), user("budget.admin")
    memberships += [Membership(user=reviewer, role=Role.HQ_REVIEWER), Membership(user=admin, role=Role.BUDGET_ADMIN)]
    for plan in plans:
        slug = plan.code.lower()
        approver = user(f"{slug}.approver")
        memberships.append(Membership(user=approver, role=Role.APPROVER, mission=entities[plan.code]))
        tops = [u.number for u in plan.units if u.parent is None]
        halves = [tops[: len(tops) // 2], tops[len(tops) // 2:]]
        focal = []
        for i, numbers in enumerate(halves, start=1):
            person = user(f"{slug}.focal{i}")
            memberships.append(Membership(user=person, role=Role.FOCAL_POINT, mission=entities[plan.code], unit_numbers=",".join(numbers)))
            focal.append((person, set(numbers)))
        people[plan.code] = _People(approver=approver, focal=focal, reviewer=reviewer, admin=admin)
    User.objects.bulk_create(users, batch_size=BATCH)
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    summary.add("user", len(users))
    summary.add("membership", len(memberships))
    return people


def _status(plan: EntityPlan, t: int, periods: int) -> str:
    if t < periods - 1:
        return Status.ACCEPTED
    if plan.headquarters:
        return Status.SUBMITTED  # the complete support account waits for headquarters review
    return LATEST_STATUSES[plan.position % len(LATEST_STATUSES)]


def _report_build(batch: _Batch, plan: EntityPlan, mission: Mission, period: BudgetPeriod, t: int, periods: int,
                  report_type: ReportType, people: _People, seed: int) -> None:
    rng = random.Random(f"{seed}:{plan.code}:{period.label}")
    writer = Writer(rng, plan.language)
    status = _status(plan, t, periods)
    due = date(period.end.year, 9, 30)
    opened = _at(period.end + timedelta(days=1))
    report = Report(
        mission=mission, period=period, report_type=report_type, status=status, due_date=due,
        symbol=f"A/{76 - (LATEST_START_YEAR - period.start.year)}/{500 + rng.randint(0, 99)}",
        budget_symbol=f"A/{74 - (LATEST_START_YEAR - period.start.year)}/{600 + rng.randint(0, 99)}",
        created_at=opened, updated_at=opened,
    )
    batch.add(report)
    batch.reports[plan.code] = report
    # Complete reports were filled in full; a draft of the latest period is partly done.
    fill = 1.0 if status != Status.DRAFT else rng.uniform(0.45, 0.9)
    events = _events(report, status, people, writer, opened, due, rng, came_back=plan.headquarters)
    batch.extend(events)
    submitted_at = next((e.created_at for e in events if e.action == "submit"), _at(due))
    units = {}
    for order, unit_plan in enumerate(plan.units, start=1):
        unit = Unit(report=report, kind=unit_plan.kind, number=unit_plan.number, title=unit_plan.title, order=order,
                    lineage=lineage_of(seed, plan.code, "unit", unit_plan.number),
                    parent=units.get(unit_plan.parent), narrative="\n".join(writer.paragraphs(rng.randint(1, 3))))
        units[unit_plan.number] = unit
        batch.add(unit)
        focal = next((person for person, numbers in people.focal if unit_plan.number.split(".")[0] in numbers), people.approver)
        for ea_order, ea_plan in enumerate(unit_plan.accomplishments, start=1):
            text = HQ_EA_TEXTS[plan.language][ea_plan.text_index] if plan.headquarters else writer.accomplishment()
            ea = ExpectedAccomplishment(unit=unit, number=ea_plan.number, text=text, order=ea_order,
                                        lineage=lineage_of(seed, plan.code, "accomplishment", unit_plan.number, ea_plan.number))
            batch.add(ea)
            for i_order, i_plan in enumerate(ea_plan.indicators, start=1):
                _indicator_build(batch, plan, report, ea, i_plan, i_order, t, fill, writer, rng, focal, opened, submitted_at)
            for o_order, o_plan in enumerate(ea_plan.outputs, start=1):
                _output_build(batch, plan, report, ea, o_plan, o_order, t, fill, writer, rng, focal, opened, submitted_at)


def _events(report: Report, status: str, people: _People, writer: Writer, opened: datetime, due: date, rng,
            *, came_back: bool = False) -> list:
    """The workflow a report of this status went through, with the change records _move writes.

    came_back: the report was returned once and submitted again (the support account always
    is, so its review compares two submissions).
    """
    if status == Status.DRAFT:
        return []
    steps = [("submit", Status.DRAFT, Status.SUBMITTED, people.approver, "")]
    if status == Status.RETURNED or came_back or rng.random() < 0.35:
        steps.append(("return", Status.SUBMITTED, Status.RETURNED, people.reviewer, writer.return_comment()))
        if status != Status.RETURNED:
            steps.append(("submit", Status.RETURNED, Status.SUBMITTED, people.approver, ""))
    if status == Status.ACCEPTED:
        steps.append(("accept", Status.SUBMITTED, Status.ACCEPTED, people.reviewer, ""))
    when = _at(due - timedelta(days=rng.randint(0, 20)), rng.uniform(8, 18))
    rows = []
    for action, from_status, to_status, actor, comment in steps:
        rows.append(ReportEvent(report=report, actor=actor, action=action, from_status=from_status, to_status=to_status,
                                comment=comment, created_at=when))
        rows.append(ChangeRecord(report=report, item_type="report", item_id=0, item_label=str(report), field="status",
                                 old_value=from_status, new_value=to_status, actor=actor, created_at=when))
        when += timedelta(days=rng.randint(3, 15), hours=rng.uniform(0, 8))
    return rows


def _save_times(rng, opened: datetime, submitted_at: datetime, saves: int) -> list[datetime]:
    span = max(3600.0, (submitted_at - opened).total_seconds() - 3600)
    return sorted(opened + timedelta(seconds=rng.uniform(0, span)) for _ in range(saves))


def _indicator_build(batch, plan, report, ea, i_plan: IndicatorPlan, order, t, fill, writer: Writer, rng, focal, opened, submitted_at):
    key = (plan.code.split("-")[0], ea.number, i_plan.number)
    lang = plan.language
    indicator = Indicator(
        lineage=lineage_of(batch.seed, plan.code, "indicator", ea.unit.number, ea.number, i_plan.number),
        accomplishment=ea, number=i_plan.number, statement=writer.statement(i_plan.measure), measure=i_plan.measure,
        unit_hint=i_plan.unit_hint, direction=i_plan.direction, order=order, updated_at=opened,
    )
    figures = []
    if plan.headquarters:
        planned = [(Kind.TARGET, _figure_text(i_plan, kind="target", key=key, t=t, language=lang)),
                   (Kind.ESTIMATE, _figure_text(i_plan, kind="estimate", key=key, t=t, language=lang))]
        planned = [(kind, period_label, text) for (kind, text), period_label in zip(planned, [report.period.label] * 2)]
    else:
        planned = [
            (Kind.BASELINE, _label(report.period, -k), _figure_text(i_plan, kind="actual", key=key, t=t - k, language=lang))
            for k in (2, 1)
        ] + [(Kind.TARGET, report.period.label, _figure_text(i_plan, kind="target", key=key, t=t, language=lang))]
    for f_order, (kind, period_label, text) in enumerate(planned):
        figure = IndicatorFigure(indicator=indicator, kind=kind, period_label=period_label, order=f_order)
        figure.set_printed(text)
        figures.append(figure)
    batch.add(indicator)
    batch.extend(figures)
    if rng.random() >= fill:
        return
    actual = _figure_text(i_plan, kind="actual", key=key, t=t, language=lang)
    target = figures[-1] if not plan.headquarters else figures[0]
    indicator.set_actual(actual)
    indicator.actual_narrative = "\n".join(writer.actual_narrative(actual, i_plan.measure))
    higher = (indicator.actual_value or 0) >= (target.value or 0)
    if indicator.actual_value is not None and target.value is not None and indicator.actual_value != target.value:
        indicator.variance_explanation = writer.variance_explanation(higher=higher)
    values = {"actual": indicator.actual, "actual_narrative": indicator.actual_narrative, "variance_explanation": indicator.variance_explanation}
    _history(batch, report, indicator, "indicator", _label_of(plan, ea, i_plan.number, indicator=True), values,
             rng, focal, opened, submitted_at, correct="actual")


def _output_build(batch, plan, report, ea, o_plan: OutputPlan, order, t, fill, writer: Writer, rng, focal, opened, submitted_at):
    quantity = "; ".join(format_count(Decimal(q)) for q in o_plan.quantity)
    output = Output(
        lineage=lineage_of(batch.seed, plan.code, "output", ea.unit.number, ea.number, o_plan.number),
        accomplishment=ea, number=o_plan.number, heading=o_plan.heading, planned_text=writer.planned_output(quantity),
        order=order, updated_at=opened,
    )
    output.set_planned_quantity(quantity)
    batch.add(output)
    if rng.random() >= fill:
        return
    deviation = None
    if plan.headquarters:
        delivered = round(o_plan.quantity[0] * rng.choice([1.0, 1.0, rng.uniform(0.5, 1.0), rng.uniform(1.0, 1.5), 0.0 if rng.random() < 0.05 else 1.0]))
        output.set_completed(Completed.NUMBER, format_count(Decimal(delivered)))
        deviation = "higher" if delivered > o_plan.quantity[0] * 1.1 else "lower" if delivered < o_plan.quantity[0] * 0.9 else None
    else:
        roll = rng.random()
        if len(o_plan.quantity) == 2 and roll < 0.7:
            done = [round(q * rng.uniform(0.6, 1.3)) for q in o_plan.quantity]
            output.set_completed(Completed.NUMBERS, "; ".join(format_count(Decimal(d)) for d in done))
            deviation = "lower" if done[0] < o_plan.quantity[0] else "higher"
        elif o_plan.quantity and roll < 0.75:
            done = round(o_plan.quantity[0] * rng.choice([1.0, rng.uniform(0.6, 1.0), rng.uniform(1.0, 1.4)]))
            output.set_completed(Completed.NUMBER, format_count(Decimal(done)))
            deviation = None if done == o_plan.quantity[0] else "higher" if done > o_plan.quantity[0] else "lower"
        elif roll < 0.90:
            output.set_completed(Completed.YES)
        elif roll < 0.97:
            output.set_completed(Completed.NO)
            deviation = "lower"
        else:
            output.set_completed(Completed.BLANK)
            deviation = "pending"
    output.remarks = "\n".join(writer.remarks(deviation=deviation))
    values = {"completed_kind": output.completed_kind, "completed": output.completed, "remarks": output.remarks}
    _history(batch, report, output, "output", _label_of(plan, ea, o_plan.number, indicator=False), values,
             rng, focal, opened, submitted_at, correct="completed" if output.completed else "remarks")


def lineage_of(seed: int, *keys) -> uuid.UUID:
    """The same item's lineage in every period: the framework plan is the same in each, so the
    item at the same place of the same entity is one lineage (as roll-forward would make it)."""
    return uuid.uuid5(LINEAGE_NAMESPACE, ":".join(str(k) for k in (seed, *keys)))


def _label(period: BudgetPeriod, offset: int) -> str:
    year = period.start.year + offset
    return f"{year}/{str(year + 1)[-2:]}"


def _label_of(plan: EntityPlan, ea: ExpectedAccomplishment, number: str, *, indicator: bool) -> str:
    """As indicators.presentation.item_label prints it."""
    prefix = f"{ea.unit.number} " if plan.headquarters else ""
    if indicator:
        return f"{prefix}{ea.number} {number}" if prefix else number
    return f"{prefix}{ea.number} / {number}"


def _history(batch, report, item, item_type, label, values, rng, focal, opened, submitted_at, *, correct: str):
    """The saves that produced the values: a first save, and sometimes a correction of one field."""
    saves = 2 if rng.random() < 0.3 and values[correct] else 1
    times = _save_times(rng, opened, submitted_at, saves)
    records, version = [], 1
    if saves == 2:
        draft = dict(values)
        draft[correct] = values[correct][:-1] if correct != "actual" else ""
        first, second = draft, values
    else:
        first, second = values, None
    previous = {name: "" for name in values}
    previous["completed_kind"] = Completed.BLANK if "completed_kind" in values else None
    for state, when in zip([first, second][:saves], times):
        version += 1
        for name, value in state.items():
            if value != previous[name]:
                records.append(ChangeRecord(report=report, item_type=item_type, item_id=0, item_label=label, field=name,
                                            old_value=previous[name] or "", new_value=value, version=version, actor=focal,
                                            created_at=when))
        previous = dict(state)
    item.version, item.updated_at, item.updated_by = version, times[-1], focal
    batch.items.append((item, records))


def _write_framework(batch: _Batch, summary: DatasetSummary) -> None:
    """Write reports and the framework under them, parents first, then the history with item ids."""
    batch.write(Report, summary)
    units = batch.rows.pop(Unit, [])
    top, children = [u for u in units if u.parent is None], [u for u in units if u.parent is not None]
    batch.rows[Unit] = top
    batch.write(Unit, summary)
    for unit in children:
        unit.parent_id = unit.parent.pk
    batch.rows[Unit] = children
    batch.write(Unit, summary)
    batch.events = list(batch.rows.get(ReportEvent, []))
    for model in (ExpectedAccomplishment, Indicator, IndicatorFigure, Output, ReportEvent):
        batch.write(model, summary)
    changes = batch.rows.pop(ChangeRecord, [])
    for change in changes:  # the workflow's records name the report itself
        change.item_id = change.report.pk
    for item, records in batch.items:
        for record in records:
            record.item_id = item.pk
        changes.extend(records)
    changes.sort(key=lambda c: (c.created_at, c.report.pk))
    batch.rows[ChangeRecord] = changes
    batch.write(ChangeRecord, summary)
    batch.items = []


# --- resources ---------------------------------------------------------------------------------


def _resources_build(batch: _Batch, plan: EntityPlan, report: Report, report_type: ReportType, classes: list,
                     categories: list, seed: int, t: int) -> None:
    """Full resource tables: lines, explanations past the threshold, redeployment, revenue, months, staff."""
    rng = random.Random(f"{seed}:resources:{plan.code}:{t}")
    writer = Writer(rng, plan.language)
    when = report.created_at
    entered = [c for c in classes if c.kind in FinancialClass.ENTERED_KINDS]
    lines_by_class = {}
    budget = Decimal(str(round(plan.size * (1 + 0.03 * t), 1)))
    weights = {c.pk: (0 if rng.random() < 0.15 else rng.uniform(0.2, 3.0)) for c in entered if c.kind == FinancialClass.Kind.LINE}
    total_weight = sum(weights.values()) or 1.0
    group_totals: dict[int, Decimal] = {}
    threshold_pct, threshold_usd = report_type.variance_threshold_percent, report_type.variance_threshold_usd / 1000
    for c in entered:
        if c.kind == FinancialClass.Kind.LINE:
            share = weights[c.pk] / total_weight
            apportionment = (budget * Decimal(str(share))).quantize(Decimal("0.1")) if share else None
        elif c.kind == FinancialClass.Kind.STAFF_ASSESSMENT:
            apportionment = (budget * Decimal("0.07")).quantize(Decimal("0.1"))
        elif c.kind == FinancialClass.Kind.MEMO:
            apportionment = (budget * Decimal("0.01")).quantize(Decimal("0.1"))
        else:
            apportionment = None if rng.random() < 0.6 else Decimal(str(round(rng.uniform(50, 900), 1)))
        expenditure = None if apportionment is None else (apportionment * Decimal(str(rng.uniform(0.82, 1.12)))).quantize(Decimal("0.1"))
        line = FinancialLine(report=report, financial_class=c, apportionment=apportionment, expenditure=expenditure,
                             updated_at=when)
        batch.add(line)
        lines_by_class[c.pk] = line
        if c.parent_id and apportionment is not None and c.in_totals:
            group_totals[c.parent_id] = group_totals.get(c.parent_id, Decimal(0)) + apportionment
        if apportionment and expenditure is not None and c.kind in (FinancialClass.Kind.LINE,):
            variance = apportionment - expenditure
            if abs(variance) >= threshold_usd or abs(variance * 100 / apportionment) >= threshold_pct:
                main, offset = writer.resource_explanation(reduced=variance > 0)
                batch.add(VarianceExplanation(line=line, main=main, offset=offset, updated_at=when))
    # Redeployment across groups sums to zero.
    rows = [c for c in classes if c.kind == FinancialClass.Kind.GROUP or (c.kind == FinancialClass.Kind.LINE and c.parent_id is None)]
    moves = [Decimal(str(round(rng.uniform(-800, 800), 1))) for _ in rows[:-1]]
    moves.append(-sum(moves, Decimal(0)))
    for c, move in zip(rows, moves):
        original = group_totals.get(c.pk) if c.kind == FinancialClass.Kind.GROUP else lines_by_class[c.pk].apportionment
        batch.add(Redeployment(report=report, category=c, original=original, redeployment=move if original else None, updated_at=when))
    for i, d in enumerate(revenue_line_defaults(report_type.code), start=1):
        amount = None if rng.random() < 0.3 else Decimal(str(round(rng.uniform(1, 400), 1)))
        batch.add(RevenueLine(report=report, table=d["table"], code=d["code"], name_en=d["name_en"], name_zh=d["name_zh"],
                              order=i * 10, amount=amount, updated_at=when))
    monthly = [Decimal(str(round(float(budget) / 12 * rng.uniform(0.6, 1.5), 1))) for _ in range(12)]
    batch.extend(MonthlyExpenditure(report=report, month=m, amount=a, updated_at=when) for m, a in enumerate(monthly, start=1))
    for category in categories:
        authorized = Decimal(rng.choice([rng.randint(5, 40), rng.randint(40, 400), rng.randint(400, 3000)]))
        actual = (authorized * Decimal(str(rng.uniform(0.8, 1.0)))).quantize(Decimal("0.1"))
        incumbency = StaffIncumbency(
            report=report, category=category, authorized=authorized, actual_average=actual, updated_at=when,
            method=StaffIncumbency.Method.MONTHLY if plan.headquarters else StaffIncumbency.Method.AVERAGE,
            budgeted_vacancy_rate=Decimal(str(round(rng.uniform(5, 15), 1))) if plan.headquarters else None,
        )
        batch.add(incumbency)
        if plan.headquarters:
            batch.extend(
                StaffIncumbencyMonth(incumbency=incumbency, month=m, authorized=authorized,
                                     incumbent=(authorized * Decimal(str(rng.uniform(0.8, 1.0)))).quantize(Decimal("0.1")))
                for m in range(1, 13)
            )
    for section in ResourceNarrative.Section.values:
        batch.add(ResourceNarrative(report=report, section=section, text="\n".join(writer.paragraphs(rng.randint(1, 2))), updated_at=when))


def _review_create(batch: _Batch, plans: list[EntityPlan], people: dict, seed: int, t: int, summary: DatasetSummary) -> None:
    """What the headquarters review keeps, where its models are there: submissions and comment threads.

    Each submission freezes the items as rbb.review does (framework_snapshot); an earlier
    submission of a report that came back differs in some items, so the comparison has
    something to show. Reports that came back carry the reviewer's threads on some items.
    """
    try:
        Submission = apps.get_model("rbb", "Submission")
        Comment = apps.get_model("rbb", "Comment")
        from rbb.review.selectors import framework_snapshot
    except (LookupError, ImportError):
        return
    submissions, threads, replies = [], [], []
    for plan in plans:
        report = batch.reports[plan.code]
        events = [e for e in batch.events if e.report is report]
        submits = [e for e in events if e.action == "submit"]
        if not submits:
            continue
        rng = random.Random(f"{seed}:review:{plan.code}:{t}")
        writer = Writer(rng, plan.language)
        final = framework_snapshot(report=report)
        for number, event in enumerate(submits, start=1):
            items = final if number == len(submits) else _earlier(final, rng)
            submissions.append(Submission(report=report, number=number, event=event, submitted_by=event.actor,
                                          submitted_at=event.created_at, items=items))
        returned = next((e for e in events if e.action == "return"), None)
        if returned is None:
            continue
        accepted = next((e for e in events if e.action == "accept"), None)
        people_of = people[plan.code]
        for item in rng.sample(final, max(3, len(final) // 50)):
            thread = Comment(report=report, item_key=item["key"], item_kind=item["kind"], item_label=item["label"][:100],
                             author=people_of.reviewer, body=writer.return_comment(), created_at=returned.created_at - timedelta(hours=1))
            if accepted is not None or rng.random() < 0.4:
                thread.resolved_at = (accepted.created_at if accepted else returned.created_at + timedelta(days=2))
                thread.resolved_by = people_of.reviewer
            threads.append(thread)
            if rng.random() < 0.5:
                replies.append(Comment(report=report, item_key=item["key"], item_kind=item["kind"], item_label=item["label"][:100],
                                       parent=thread, author=people_of.approver, body=writer.variance_explanation(higher=rng.random() < 0.5),
                                       created_at=returned.created_at + timedelta(days=1)))
    for model, rows in ((Submission, submissions), (Comment, threads), (Comment, replies)):
        if rows:
            with _auto_dates_off(model):
                model.objects.bulk_create(rows, batch_size=200)
            summary.add(model._meta.model_name, len(rows))


def _earlier(items: list[dict], rng: random.Random) -> list[dict]:
    """The snapshot as first submitted: one item in twenty said less, or had another figure."""
    earlier = []
    for item in items:
        if rng.random() < 0.05:
            item = {**item, "fields": dict(item["fields"])}
            fields = item["fields"]
            for name in ("actual_narrative", "remarks"):
                if fields.get(name):
                    fields[name] = fields[name][: max(1, len(fields[name]) // 2)]
            if fields.get("actual"):
                fields["actual"] = ""
        earlier.append(item)
    return earlier


@contextmanager
def _auto_dates_off(model):
    fields = [f for f in model._meta.concrete_fields if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add)]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


# --- removal -----------------------------------------------------------------------------------


def dataset_delete(*, progress: Callable[[str], None] | None = None) -> int:
    """Remove every generated entity, its reports and the generated users; return the reports removed."""
    say = progress or (lambda message: None)
    codes = [code for code, _en, _zh in MISSIONS] + [SUPPORT_CODE]
    entities = Mission.objects.filter(code__in=codes) | Mission.objects.filter(code__regex=r"^(" + "|".join(codes) + r")-[0-9]+$")
    removed = 0
    # One report at a time keeps the cascade's memory bounded at scale 10.
    for report_id in Report.objects.filter(mission__in=entities).values_list("pk", flat=True).iterator():
        with transaction.atomic():
            Report.objects.filter(pk=report_id).delete()
        removed += 1
    ledger_delete()
    entities.delete()
    get_user_model().objects.filter(username__startswith=USER_PREFIX).delete()
    say(f"removed {removed} generated reports")
    return removed


def iter_plans_summary(plans: list[EntityPlan]) -> Iterator[tuple[str, int, int, int, int]]:
    """(code, units, accomplishments, indicators, outputs) of each plan, for the command's table."""
    for p in plans:
        eas = [ea for u in p.units for ea in u.accomplishments]
        yield p.code, len(p.units), len(eas), sum(len(ea.indicators) for ea in eas), sum(len(ea.outputs) for ea in eas)
