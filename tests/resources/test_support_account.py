"""The support account: its own class list, memo line, institutional costs and a ±4 % / ±US$50 000 rule."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from missions.models import FinancialLine, Membership, StaffIncumbency
from missions.resource_selectors import resource_blocking_items, resource_performance
from missions.services import financial_line_update, incumbency_update, resources_prepare
from rbb.lib.numbers import format_number

pytestmark = pytest.mark.django_db

FIGURES = {
    # code: (apportionment, expenditure)
    "post-resources": ("200000.0", "196000.0"),       # 4 000.0 thousand, 2.0 %: by dollars
    "general-temporary-assistance": ("10000.0", "9955.0"),  # 45.0 thousand, 0.45 %: neither
    "consultants": ("1000.0", "960.0"),               # 40.0 thousand, 4.0 %: by percentage (4 %, not 5 %)
    "official-travel": ("5000.0", "4950.0"),          # 50.0 thousand exactly: by dollars (US$50 000, not 100 000)
    "other-supplies": ("3000.0", "2970.0"),           # 30.0 thousand, 1.0 %: neither
    "after-service-health-insurance": ("800.0", "100.0"),  # memo: part of other supplies, never added or analysed
    "enterprise-resource-planning": ("4000.0", "4000.0"),
    "staff-assessment": ("20000.0", "19500.0"),
}


@pytest.fixture
def filled(support_account_report):
    resources_prepare(report=support_account_report)
    for code, (apportionment, expenditure) in FIGURES.items():
        line = FinancialLine.objects.get(report=support_account_report, financial_class__code=code)
        financial_line_update(line=line, apportionment=D(apportionment), expenditure=D(expenditure), version=line.version, by=None)
    return support_account_report


def test_the_rule_uses_the_support_account_thresholds(filled):
    table = resource_performance(report=filled).financial
    assert [row.cls.code for row in table.analysed] == ["post-resources", "consultants", "official-travel"]
    assert [item.label for item in resource_blocking_items(report=filled)] == [
        "Post resources 4 000.0 2.0%", "Consultants and consulting services 40.0 4.0%", "Official travel 50.0 1.0%"]


def test_the_memo_line_is_not_added_again(filled):
    table = resource_performance(report=filled).financial
    assert format_number(table.row("non-post-resources-subtotal").apportionment) == "19 000.0"
    assert format_number(table.row("institutional-costs-subtotal").apportionment) == "4 000.0"
    assert format_number(table.row("gross").apportionment) == "223 000.0"
    assert format_number(table.row("net").apportionment) == "203 000.0"
    assert table.row("total") is None  # the support account list has no total or in-kind rows


def test_the_incumbency_table_shows_the_budgeted_vacancy_rate(client, filled, django_user_model):
    row = StaffIncumbency.objects.get(report=filled, category__code="posts-professional")
    incumbency_update(row=row, authorized=D("1000"), actual_average=D("900"), budgeted_vacancy_rate=D("9.5"),
                      method="entered", vacancy_rate_entered=D("10.3"), vacancy_rate_note="Mean of monthly rates (Umoja)",
                      version=row.version, by=None)
    reader = django_user_model.objects.create_user(username="hq")
    Membership.objects.create(user=reader, role=Membership.Role.HQ_REVIEWER)
    client.force_login(reader)
    html = client.get(reverse("missions:resources", args=[filled.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Budgeted vacancy rate" in html
    assert "9.5" in html and "10.3" in html and "Mean of monthly rates (Umoja)" in html
    assert "of which: After-service health insurance" in html
    assert 'id="non-budgeted"' not in html  # the support account has no non-budgeted contributions table
