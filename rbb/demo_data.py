"""The demo: two reports of 2020/21 (one per framework shape) and one login per role.

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
from missions.models import Membership, Mission, Report
from missions.services import resources_load_demo
from rbb.exceptions import ReportLocked

DEMO_DIR = Path(__file__).resolve().parent / "demo"
# A mission-shape and a headquarters-shape report (domain.md §2, §3), in the interchange format.
DEMO_FILES = ("unmik-2020-21.json", "support-account-2020-21.json")
DEMO_URL = "http://127.0.0.1:8000/"
DEMO_DUE_IN_DAYS = 12
DEMO_OPEN = (Report.Status.DRAFT, Report.Status.RETURNED)

Role = Membership.Role
# username, role, entity code (None for roles that span all entities), Django admin access
DEMO_USERS = (
    ("unmik.focal", Role.FOCAL_POINT, "UNMIK", False),
    ("unmik.approver", Role.APPROVER, "UNMIK", False),
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
    logins: list[DemoLogin] = field(default_factory=list)


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
    result.logins = demo_users_create(password=settings.DEMO_PASSWORD if password is None else password)
    return result


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
