"""The Trends page of a report and the charts of its items' series (issue 14 §5).

The page prints each item's series as a table and points at its chart by URL: charts are
drawn by separate, cached requests (rbb.trends.charts), so the page itself does no drawing
and costs the same whatever the number of periods. A chart URL carries the key of what it
draws, so a browser keeps an unchanged chart and asks again when the data changed.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from indicators.selectors import indicator_get_for_report, output_get_for_report
from indicators.series import attach_series, indicator_series, output_series
from missions.selectors import report_get_for_user

from .charts import FORMATS, chart_key, chart_render
from .selectors import pick_unit, trends_unit, trends_unit_list


@login_required
@require_GET
def report_trends(request: HttpRequest, report_id: int) -> HttpResponse:
    """Each indicator's and output's series across the periods of its lineage, with charts, one unit at a time."""
    report = report_get_for_user(user=request.user, pk=report_id)
    units = trends_unit_list(report=report)
    unit = pick_unit(units, request.GET.get("unit"))
    if unit is not None:
        trends_unit(report=report, unit=unit, language=get_language() or "en")
    context = {"report": report, "units": units, "unit": unit, "headquarters": report.report_type.is_headquarters}
    return render(request, "rbb/trends/page.html", context)


@login_required
@require_GET
def item_trend(request: HttpRequest, report_id: int, pk: int, kind: str) -> HttpResponse:
    """One item's chart and table: in place on the review page (htmx), or as a page."""
    report = report_get_for_user(user=request.user, pk=report_id)
    if kind == "indicator":
        item = indicator_get_for_report(report=report, pk=pk)
        series = indicator_series(indicator=item, mission_id=report.mission_id)
    else:
        item = output_get_for_report(report=report, pk=pk)
        series = output_series(output=item, mission_id=report.mission_id)
    attach_series([item], {(kind, item.pk): series}, kind)
    context = {"report": report, "item": item, "kind": kind, "headquarters": report.report_type.is_headquarters}
    return render(request, "rbb/trends/_item.html" if request.htmx else "rbb/trends/item.html", context)


@login_required
@require_GET
def item_chart(request: HttpRequest, report_id: int, pk: int, kind: str, file_format: str) -> HttpResponse:
    """The chart of one item's series, as SVG (pages) or PNG; drawn once per content, then cached."""
    if file_format not in FORMATS:
        raise Http404
    report = report_get_for_user(user=request.user, pk=report_id)
    if kind == "indicator":
        item = indicator_get_for_report(report=report, pk=pk)
        series = indicator_series(indicator=item, mission_id=report.mission_id)
    else:
        item = output_get_for_report(report=report, pk=pk)
        series = output_series(output=item, mission_id=report.mission_id)
    language = get_language() or "en"
    key = chart_key(series, file_format=file_format, language=language)
    etag = f'"{key}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(chart_render(series, file_format=file_format, language=language), content_type=FORMATS[file_format])
    response["ETag"] = etag
    # The URL carries the key (?v=): a changed series is a new URL, so the browser may keep this one.
    response["Cache-Control"] = "private, max-age=86400"
    return response
