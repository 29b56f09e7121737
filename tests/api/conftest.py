"""Shared fixtures of the API tests: the demo reports of both shapes, a second mission, personas.

Personas (one per role, as on the screens):
- focal:        UNMIK focal point: reads UNMIK, enters UNMIK actuals, cannot submit
- approver:     UNMIK approver: reads and enters UNMIK, submits UNMIK
- other_focal:  focal point of OTHER: sees only OTHER
- reviewer:     HQ reviewer: reads every mission, returns and accepts, enters nothing
- admin:        budget administrator: reads every mission, returns, accepts and reopens
- viewer:       all-mission viewer: reads every mission, changes nothing
- unmik_viewer: viewer limited to UNMIK
- outsider:     signed in with no role: sees nothing
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from indicators.interchange import framework_import
from missions.models import Membership, Mission, Report
from rbb.demo_data import demo_document
from tests.foundation.builders import add_framework, make_report

Role = Membership.Role


@dataclass
class World:
    unmik: Report
    support: Report
    other: Report
    users: dict

    def client(self, name: str | None, *, token: bool = False) -> APIClient:
        """An API client signed in as the persona (force-authenticated, or with its real token)."""
        client = APIClient()
        if name is None:
            return client
        user = self.users[name]
        if token:
            key, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {key.key}")
        else:
            client.force_authenticate(user)
        return client


PERSONAS = {
    "focal": (Role.FOCAL_POINT, "UNMIK"),
    "approver": (Role.APPROVER, "UNMIK"),
    "other_focal": (Role.FOCAL_POINT, "OTHER"),
    "reviewer": (Role.HQ_REVIEWER, None),
    "admin": (Role.BUDGET_ADMIN, None),
    "viewer": (Role.VIEWER, None),
    "unmik_viewer": (Role.VIEWER, "UNMIK"),
    "outsider": (None, None),
}


def build_world() -> World:
    unmik = framework_import(data=demo_document(name="unmik-2020-21.json"))
    support = framework_import(data=demo_document(name="support-account-2020-21.json"))
    other = make_report(code="OTHER", period="2020/21")
    add_framework(other, units=1, eas_per_unit=1, indicators_per_ea=2, outputs_per_ea=3)
    users = {}
    for name, (role, code) in PERSONAS.items():
        user = get_user_model().objects.create_user(username=name, password="pw", email=f"{name}@example.org")
        if role:
            mission = Mission.objects.get(code=code) if code else None
            Membership.objects.create(user=user, role=role, mission=mission)
        users[name] = user
    return World(unmik=unmik, support=support, other=other, users=users)


@pytest.fixture
def world(db) -> World:
    return build_world()
