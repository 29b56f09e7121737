"""Dates print as the UN prints them, the same on every page, and the demo is due soon."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from missions.models import Membership, Report
from rbb.demo_data import DEMO_DUE_IN_DAYS, demo_seed
from tests.entry.factories import make_mission_report, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client):
    report = make_mission_report()  # no due date of its own: due 90 days after its period ends
    client.force_login(make_user("reader", role=Membership.Role.VIEWER))
    return client, report


@pytest.mark.parametrize("own_due_date", [True, False])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_home_list_and_the_report_home_print_the_same_due_date(reader, language, own_due_date):
    client, report = reader
    if not own_due_date:  # the default: 90 days after the period ends (the home list printed "—")
        Report.objects.filter(pk=report.pk).update(due_date=None)
        report.refresh_from_db()
    due = report.effective_due_date
    printed = f"{due.day} {due:%B} {due.year}" if language == "en" else f"{due.year} 年 {due.month} 月 {due.day} 日"
    client.cookies["django_language"] = language
    home = client.get(reverse("missions:home")).content.decode()
    report_home = client.get(reverse("workflow:report-home", args=[report.pk])).content.decode()
    assert printed in home and printed in report_home
    assert f">{due:%Y-%m-%d}</time>" not in home + report_home


def test_the_resources_page_prints_the_period_the_un_way(reader):
    client, report = reader
    client.cookies["django_language"] = "en"
    html = client.get(reverse("missions:resources", args=[report.pk])).content.decode()
    assert "from 1 July 2020 to 30 June 2021" in html


def test_the_demo_is_due_in_twelve_days_from_today():
    demo_seed(password="x")
    due = Report.objects.get(mission__code="UNMIK", period__label="2020/21").due_date
    assert due == timezone.localdate() + datetime.timedelta(days=DEMO_DUE_IN_DAYS)


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("rbb/favicon.svg")


def test_chinese_labels_end_in_a_full_width_colon(reader):
    client, report = reader
    client.cookies["django_language"] = "zh-hans"
    html = client.get(reverse("workflow:report-home", args=[report.pk])).content.decode()
    assert "状态：" in html and "状态: " not in html


def test_one_name_per_table_and_actual_is_shi_ji_shu(reader):
    client, report = reader
    client.cookies["django_language"] = "en"
    html = client.get(reverse("missions:resources", args=[report.pk])).content.decode()
    assert "Financial resource performance" in html and "Performance of financial resources" not in html
    from django.utils import translation

    with translation.override("zh-hans"):
        assert translation.gettext("Actual value") == "实际数"
