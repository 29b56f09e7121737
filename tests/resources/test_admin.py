"""Class lists are data: an administrator edits them, and adds a report type with its own list."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

import missions.admin_resources  # noqa: F401  (the lead imports it from missions/admin.py)
from missions.models import FinancialClass, ReportType

pytestmark = pytest.mark.django_db


def test_the_report_type_page_lists_its_classes_and_categories(admin_client, class_lists):
    mission = ReportType.objects.get(code="mission")
    response = admin_client.get(reverse("admin:missions_reporttype_change", args=[mission.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "军事和警务人员" in html and "自愿实物捐助(已编入预算)" in html and "本国专业干事" in html
    assert 'name="financial_classes-TOTAL_FORMS"' in html and 'name="staff_categories-TOTAL_FORMS"' in html


def test_an_administrator_adds_a_report_type_with_its_own_list(admin_client, class_lists):
    data = {
        "code": "regional-centre", "name_en": "Regional service centre", "name_zh": "区域服务中心", "shape": "mission",
        "variance_threshold_percent": "3.0", "variance_threshold_usd": "25000",
        "financial_classes-TOTAL_FORMS": "2", "financial_classes-INITIAL_FORMS": "0",
        "financial_classes-MIN_NUM_FORMS": "0", "financial_classes-MAX_NUM_FORMS": "1000",
        "financial_classes-0-order": "10", "financial_classes-0-code": "civilian-personnel", "financial_classes-0-name_en": "Civilian personnel",
        "financial_classes-0-name_zh": "文职人员", "financial_classes-0-kind": "line", "financial_classes-0-in_totals": "on",
        "financial_classes-1-order": "20", "financial_classes-1-code": "gross", "financial_classes-1-name_en": "Gross requirements",
        "financial_classes-1-name_zh": "所需资源毛额", "financial_classes-1-kind": "gross", "financial_classes-1-in_totals": "on",
        "staff_categories-TOTAL_FORMS": "0", "staff_categories-INITIAL_FORMS": "0",
        "staff_categories-MIN_NUM_FORMS": "0", "staff_categories-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post(reverse("admin:missions_reporttype_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    created = ReportType.objects.get(code="regional-centre")
    assert created.variance_threshold_usd == D("25000")
    assert list(FinancialClass.objects.filter(report_type=created).values_list("code", "kind")) == [
        ("civilian-personnel", "line"), ("gross", "gross")]


def test_a_subtotal_needs_a_group(class_lists):
    from django.core.exceptions import ValidationError

    mission = ReportType.objects.get(code="mission")
    with pytest.raises(ValidationError):
        FinancialClass(report_type=mission, code="orphan", name_en="Subtotal", kind="subtotal").full_clean()
    line = FinancialClass.objects.get(report_type=mission, code="medical")
    with pytest.raises(ValidationError):
        FinancialClass(report_type=mission, code="x", name_en="X", kind="line", parent=line).full_clean()


def test_the_shipped_report_types(class_lists):
    mission = ReportType.objects.get(code="mission")
    support = ReportType.objects.get(code="support-account")
    assert (mission.shape, mission.variance_threshold_percent, mission.variance_threshold_usd) == ("mission", D("5.0"), D("100000"))
    assert (support.shape, support.variance_threshold_percent, support.variance_threshold_usd) == ("headquarters", D("4.0"), D("50000"))
    memo = FinancialClass.objects.get(report_type=support, code="after-service-health-insurance")
    assert (memo.kind, memo.in_totals) == ("memo", False)
    assert mission.financial_classes.filter(kind="line").count() == 21
