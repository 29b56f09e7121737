"""The Trends page and its charts: bounded queries, cached drawing, Chinese that renders, scoping."""

import re
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Indicator, Output
from indicators.series import indicator_series
from rbb.trends import charts

from .conftest import make_history

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _get(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    return response, len(context.captured_queries)


def test_the_trends_page_costs_the_same_queries_for_2_and_10_periods(login):
    client = login("reviewer")
    short, long = make_history("HIST", periods=2, last_year=2010), make_history("HIST2", periods=10, indicators=4, outputs=8)
    client.get(reverse("trends:report", args=[short[-1].pk]))  # session and memberships warm
    (small, small_queries), (large, large_queries) = (_get(client, reverse("trends:report", args=[r[-1].pk])) for r in (short, long))
    assert small.status_code == large.status_code == 200
    # session, user, memberships, report, units, accomplishments, indicators, outputs,
    # lineage indicators, their figures, lineage outputs
    assert small_queries == large_queries <= 11
    html = large.content.decode()
    for year in range(2011, 2021):
        assert f"{year}/{str(year + 1)[-2:]}" in html
    indicator = Indicator.objects.get(accomplishment__unit__report=long[-1], number="1.1.1")
    assert reverse("trends:indicator-chart", args=[long[-1].pk, indicator.pk, "svg"]) + "?v=" in html


def test_a_chart_is_drawn_once_and_served_from_the_cache_until_its_data_change(login):
    client = login("reviewer")
    reports = make_history("HIST", periods=3)
    indicator = Indicator.objects.get(accomplishment__unit__report=reports[-1], number="1.1.1")
    url = reverse("trends:indicator-chart", args=[reports[-1].pk, indicator.pk, "svg"])
    with mock.patch.object(charts, "_draw", wraps=charts._draw) as draw:
        first = client.get(url)
        again = client.get(url)
        assert first.status_code == again.status_code == 200 and first["Content-Type"] == "image/svg+xml"
        assert first.content == again.content and draw.call_count == 1
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
        Indicator.objects.filter(pk=indicator.pk).update(actual="777", actual_value=777)
        changed = client.get(url)
        assert draw.call_count == 2 and changed["ETag"] != first["ETag"]


def test_a_png_chart_is_available_for_documents(login):
    client = login("reviewer")
    reports = make_history("HIST", periods=2)
    output = Output.objects.get(accomplishment__unit__report=reports[-1], number="1")
    response = client.get(reverse("trends:output-chart", args=[reports[-1].pk, output.pk, "png"]))
    assert response.status_code == 200 and response.content.startswith(b"\x89PNG")
    assert client.get(reverse("trends:output-chart", args=[reports[-1].pk, output.pk, "gif"])).status_code == 404


def test_chinese_labels_are_drawn_with_the_noto_cjk_font_not_as_boxes(settings):
    assert "NotoSansCJK" in charts.resolved_font_file().replace(" ", "")
    reports = make_history("HIST", periods=3)
    indicator = Indicator.objects.select_related("accomplishment__unit__report").get(accomplishment__unit__report=reports[-1], number="1.1.1")
    series = indicator_series(indicator=indicator, mission_id=reports[-1].mission_id)
    svg = charts.chart_render(series, file_format="svg", language="zh-hans").decode()
    # Text is drawn as glyph paths; the legend's Chinese glyphs come from the CJK face
    # (DejaVu, the fallback, has no Chinese and would draw empty boxes).
    glyphs = set(re.findall(r'id="(NotoSansCJK[^"]+)"', svg))
    assert glyphs, "no glyph of the CJK font in the chart"
    english = charts.chart_render(series, file_format="svg", language="en").decode()
    assert svg != english


def test_another_missions_trends_and_charts_are_404(login):
    reports = make_history("HIST", periods=2)
    client = login("other_focal")
    indicator = Indicator.objects.get(accomplishment__unit__report=reports[-1], number="1.1.1")
    assert client.get(reverse("trends:report", args=[reports[-1].pk])).status_code == 404
    assert client.get(reverse("trends:indicator-chart", args=[reports[-1].pk, indicator.pk, "svg"])).status_code == 404
    # An item of another report through this report's URL is a 404 too.
    other = make_history("OTHER", periods=1, last_year=2018)
    client = login("reviewer")
    assert client.get(reverse("trends:indicator-chart", args=[other[0].pk, indicator.pk, "svg"])).status_code == 404


def test_the_entry_page_shows_each_items_series_in_fixed_queries(login, users):
    from missions.models import Membership

    short, long = make_history("HIST", periods=2, last_year=2010), make_history("HIST2", periods=10, indicators=3, outputs=5)
    client = login("reviewer")
    counts = []
    for reports in (short, long):
        ea = Indicator.objects.get(accomplishment__unit__report=reports[-1], number="1.1.1").accomplishment
        response, count = _get(client, reverse("indicators:entry", args=[reports[-1].pk, ea.pk]))
        assert response.status_code == 200
        counts.append(count)
    assert counts[0] == counts[1]
    html = response.content.decode()
    assert 'class="grid trend-table"' in html and "2011/12" in html
    output = Output.objects.get(accomplishment__unit__report=long[-1], number="1")
    assert reverse("trends:output-chart", args=[long[-1].pk, output.pk, "svg"]) in html


def test_one_items_trend_opens_in_place_or_as_a_page(login):
    reports = make_history("HIST", periods=3)
    output = Output.objects.get(accomplishment__unit__report=reports[-1], number="2")
    client = login("reviewer")
    url = reverse("trends:output", args=[reports[-1].pk, output.pk])
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    page = client.get(url)
    assert fragment.status_code == page.status_code == 200
    assert "<html" not in fragment.content.decode() and "2018/19" in fragment.content.decode()
    assert "<html" in page.content.decode()
    assert login("other_focal").get(url).status_code == 404


def test_the_review_page_links_each_item_to_its_trend(login):
    reports = make_history("HIST", periods=2)
    indicator = Indicator.objects.get(accomplishment__unit__report=reports[-1], number="1.1.1")
    response = login("reviewer").get(reverse("review:report", args=[reports[-1].pk]))
    assert response.status_code == 200
    assert reverse("trends:indicator", args=[reports[-1].pk, indicator.pk]) in response.content.decode()
