"""The demo: two reports of 2020/21 (one per framework shape), UNMIK's budget proposal for
2021/22 rolled forward from its 2020/21 framework, and one login per role.

`manage.py seed_demo` calls demo_seed(); tests call it too. Running it again re-imports the
frameworks of reports still open for editing and leaves submitted or accepted ones alone.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from indicators.interchange import framework_import
from indicators.models import Indicator, IndicatorFigure
from rbb.programme.interchange import programme_import
from missions.models import Membership, Mission, Report, Unit
from missions.services import resources_load_demo
from rbb.cycle.services import report_roll_forward
from rbb.exceptions import ReportLocked
from rbb.ledger.demo import ledger_demo_load

DEMO_DIR = Path(__file__).resolve().parent / "demo"
# A mission-shape and a headquarters-shape report (domain.md §2, §3), in the interchange format.
DEMO_FILES = ("unmik-2020-21.json", "support-account-2020-21.json")
# The regular budget's programme plan (domain.md §7): DPPA 2024, subprogrammes 2 and 4 of
# A/78/6 (Sect. 3), in the programme-plan interchange format (docs/programme-interchange.md).
PROGRAMME_FILES = ("dppa-2024.json",)
DEMO_URL = "http://127.0.0.1:8000/"
DEMO_DUE_IN_DAYS = 12
DEMO_OPEN = (Report.Status.DRAFT, Report.Status.RETURNED)

Role = Membership.Role
# username, role, entity code (None for roles that span all entities), Django admin access
DEMO_USERS = (
    ("unmik.focal", Role.FOCAL_POINT, "UNMIK", False),
    ("unmik.approver", Role.APPROVER, "UNMIK", False),
    ("dppa.focal", Role.FOCAL_POINT, "DPPA", False),
    ("dppa.approver", Role.APPROVER, "DPPA", False),
    ("hq.reviewer", Role.HQ_REVIEWER, None, False),
    ("budget.admin", Role.BUDGET_ADMIN, None, True),
    ("viewer", Role.VIEWER, None, False),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    password: str


@dataclass
class DemoResult:
    loaded: list[Report] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # why a locked report was left alone
    rolled: list[Report] = field(default_factory=list)  # proposals rolled forward by this run
    logins: list[DemoLogin] = field(default_factory=list)
    ledger: list[str] = field(default_factory=list)  # what the follow-up ledger loaded


def demo_document(*, name: str) -> dict:
    """Return one demo framework document, read from the project (never from ../shared)."""
    return json.loads((DEMO_DIR / name).read_text(encoding="utf-8"))


@transaction.atomic
def demo_seed(*, password: str | None = None) -> DemoResult:
    """Load the demo reports and create the demo users; safe to run any number of times."""
    result = DemoResult()
    for name in DEMO_FILES:
        try:
            result.loaded.append(framework_import(data=demo_document(name=name)))
        except ReportLocked as locked:
            result.skipped.append(str(locked.message))
    for name in PROGRAMME_FILES:
        try:
            result.loaded.append(programme_import(data=demo_document(name=name)))
        except ReportLocked as locked:
            result.skipped.append(str(locked.message))
    for report in result.loaded:
        # Only UNMIK 2020/21 has real resource tables in the seeds (A/76/525, sect. III–V).
        if report.mission.code == "UNMIK":
            resources_load_demo(report=report)
    # A newcomer should read "due in 12 days", not "overdue by 1 892 days": the demo's open
    # reports are due relative to the day the demo is loaded.
    Report.objects.filter(pk__in=[r.pk for r in result.loaded], status__in=DEMO_OPEN).update(
        due_date=timezone.localdate() + datetime.timedelta(days=DEMO_DUE_IN_DAYS)
    )
    demo_iati_fields()
    for report in result.loaded:
        if report.mission.code == DEMO_ROLL_FORWARD[0] and report.period.label == DEMO_ROLL_FORWARD[1]:
            report.refresh_from_db(fields=["due_date"])  # the proposal is due a year after it
            proposal = demo_roll_forward(source=report)
            if proposal is not None:
                result.rolled.append(proposal)
    # The follow-up ledger last: it assigns requests to the reports loaded above.
    result.ledger = ledger_demo_load()
    result.logins = demo_users_create(password=settings.DEMO_PASSWORD if password is None else password)
    return result


# UNMIK's budget proposal for the next period: the cycle a newcomer sees on `make run`.
DEMO_ROLL_FORWARD = ("UNMIK", "2020/21", "2021/22")
# A few targets filled, as a focal point would have started (indicator number → target).
DEMO_TARGETS = {"1.1.1": "900", "1.1.2": "12", "1.1.3": "30%", "1.2.1": "2 500"}


def demo_roll_forward(*, source: Report) -> Report | None:
    """Roll the demo report forward once; None when the proposal already has its framework."""
    _code, _from, to_label = DEMO_ROLL_FORWARD
    existing = Report.objects.filter(mission=source.mission, period__label=to_label).first()
    if existing is not None and Unit.objects.filter(report=existing).exists():
        return None  # already rolled (and perhaps edited since): left alone
    proposal = report_roll_forward(source=source, to_label=to_label)
    targets = []
    for indicator in Indicator.objects.filter(accomplishment__unit__report=proposal, number__in=list(DEMO_TARGETS)):
        figure = IndicatorFigure(indicator=indicator, kind=IndicatorFigure.Kind.TARGET, period_label=to_label, order=10)
        figure.set_printed(DEMO_TARGETS[indicator.number])
        targets.append(figure)
    IndicatorFigure.objects.bulk_create(targets)
    return proposal


# Where each demo entity works and in which sector, as a budget administrator would set them
# (admin › budget entities › IATI publication): Kosovo is XK; the support account serves every
# mission, so a region (998: developing countries, unspecified). 15230 is the DAC purpose code
# "Participation in international peacekeeping operations".
DEMO_IATI = {
    "UNMIK": {"iati_recipient_country": "XK", "iati_sector_code": "15230"},
    "SUPPORT": {"iati_recipient_region": "998", "iati_sector_code": "15230"},
}


def demo_iati_fields() -> None:
    """Set the demo entities' IATI recipient and sector where nobody has set them yet."""
    for code, fields in DEMO_IATI.items():
        Mission.objects.filter(code=code, iati_sector_code="").update(**fields)


def demo_users_create(*, password: str) -> list[DemoLogin]:
    """Create or refresh the demo users and their memberships; the password is reset each run."""
    User = get_user_model()
    missions = {m.code: m for m in Mission.objects.filter(code__in={code for _u, _r, code, _a in DEMO_USERS if code})}
    logins = []
    for username, role, code, admin in DEMO_USERS:
        user, _created = User.objects.get_or_create(username=username)
        user.is_staff = user.is_superuser = admin
        user.set_password(password)
        user.save()
        # get_or_create, not a constraint, keeps HQ roles single: a unique constraint does not
        # stop duplicate rows whose mission is NULL.
        Membership.objects.get_or_create(user=user, role=role, mission=missions.get(code) if code else None)
        logins.append(DemoLogin(username=username, role=str(role.label), password=password))
    return logins
