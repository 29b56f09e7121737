"""IATI 2.03 activity XML: valid against the bundled schema for both framework shapes and the odd cases."""

import pytest
import xmlschema
from lxml import etree

from indicators.models import ExpectedAccomplishment, Indicator, IndicatorFigure, Output
from missions.models import ReportType, Unit
from rbb.iati import iati_validate
from rbb.iati.validation import ACTIVITIES_XSD
from tests.foundation.builders import make_report

pytestmark = pytest.mark.django_db

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def xsd():
    return xmlschema.XMLSchema(str(ACTIVITIES_XSD))


def _assert_valid(xml: bytes, xsd) -> etree._Element:
    assert iati_validate(xml) == []
    xsd.validate(xml.decode("utf-8"))  # a second, independent validator
    return etree.fromstring(xml)


def _get(world, persona, url, *, preview=True) -> bytes:
    """The file; a preview unless asked for publication (which needs the entity's IATI fields, below)."""
    if preview:
        url += ("&" if "?" in url else "?") + "preview=true"
    response = world.client(persona).get(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return response.content


def _indicator(ea, number, *, figures, actual="", measure=Indicator.Measure.COUNT, direction=Indicator.Direction.INCREASE,
               narrative="", explanation=""):
    indicator = Indicator(accomplishment=ea, number=number, statement=f"Statement {number}", measure=measure,
                          direction=direction, actual_narrative=narrative, variance_explanation=explanation)
    indicator.set_actual(actual)
    indicator.save()
    for order, (kind, period, printed) in enumerate(figures):
        figure = IndicatorFigure(indicator=indicator, kind=kind, period_label=period, order=order)
        figure.set_printed(printed)
        figure.save()
    return indicator


def _output(ea, number, *, planned, kind, completed="", remarks="", heading=""):
    output = Output(accomplishment=ea, number=number, planned_text=f"Output {number}", order=int(number), heading=heading,
                    remarks=remarks)
    output.set_planned_quantity(planned)
    output.set_completed(kind, completed)
    output.save()
    return output


B, T, E = IndicatorFigure.Kind.BASELINE, IndicatorFigure.Kind.TARGET, IndicatorFigure.Kind.ESTIMATE
C = Output.Completed


@pytest.fixture
def odd_mission(world):
    """A mission framework with every case the UN documents print."""
    report = make_report(code="ODD", period="2020/21")
    unit = Unit.objects.create(report=report, number="1", title="实务", order=1)
    ea = ExpectedAccomplishment.objects.create(unit=unit, number="1.1", text="Progress towards reconciliation", order=1)
    _indicator(ea, "1.1.1", figures=[(B, "2018/19", "不适用"), (B, "2019/20", "574"), (T, "2020/21", "≤ 48")],
               actual="860", narrative="记录了 860 项决定", explanation="高于计划，原因是…")
    _indicator(ea, "1.1.2", measure=Indicator.Measure.PERCENTAGE,
               figures=[(B, "2018/19", "N/A"), (B, "2019/20", "10%±3%"), (T, "2020/21", "31%")], actual="24%; 23%; 37%")
    _indicator(ea, "1.1.3", direction=Indicator.Direction.QUALITATIVE, measure=Indicator.Measure.QUALITATIVE,
               figures=[(B, "2018/19", "不适用"), (B, "2019/20", "正面"), (T, "2020/21", "正面")], actual="是")
    _indicator(ea, "1.1.4", direction=Indicator.Direction.DECREASE, figures=[(T, "2020/21", "不适用")], actual="不适用")
    _indicator(ea, "1.1.5", figures=[(T, "2020/21", "89/100")], actual="", narrative="Control \x0bcharacters\x01 are dropped.")
    _output(ea, "1", planned="220", kind=C.NUMBER, completed="250", remarks="北米特罗维察(51)")
    _output(ea, "2", planned="200; 500", kind=C.NUMBERS, completed="180; 841")
    _output(ea, "3", planned="", kind=C.YES, remarks="Weekly meetings.")
    _output(ea, "4", planned="12", kind=C.NO, remarks="Cancelled owing to COVID-19.")
    _output(ea, "5", planned="4", kind=C.BLANK, remarks="预计将于 2021/22 年度结束前完成")
    _output(ea, "6", planned="", kind=C.BLANK, heading="改进服务")
    ExpectedAccomplishment.objects.create(unit=unit, number="1.2", text="Outputs only", order=2)
    return report


@pytest.fixture
def odd_headquarters(world):
    """A headquarters framework: target/estimate/actual, no baselines, qualitative-only indicators."""
    report = make_report(code="HQODD", period="2020/21", shape=ReportType.Shape.HEADQUARTERS)
    department = Unit.objects.create(report=report, number="A", title="和平行动部", kind=Unit.Kind.DEPARTMENT, order=1)
    sub = Unit.objects.create(report=report, number="A.1", title="Office of the Under-Secretary-General",
                              kind=Unit.Kind.SUB_UNIT, parent=department, order=2)
    for unit in (department, sub):
        ea = ExpectedAccomplishment.objects.create(unit=unit, number="(a)", text="维持和平行动的效率和成效得到提高", order=1)
        _indicator(ea, "㈠", figures=[(T, "2020/21", "100"), (E, "2020/21", "110")], actual="77")
        _indicator(ea, "㈡", direction=Indicator.Direction.QUALITATIVE, measure=Indicator.Measure.QUALITATIVE,
                   figures=[(T, "2020/21", "正面"), (E, "2020/21", "—")], actual="正面")
        _indicator(ea, "㈢", measure=Indicator.Measure.DAYS, figures=[(T, "2020/21", "0.55"), (E, "2020/21", "无")], actual="不适用")
        _output(ea, "1", planned="1 300", kind=C.NUMBER, completed="1 262", heading="其他实务活动 › 斡旋、实况调查和其他特别任务")
        _output(ea, "2", planned="0", kind=C.NUMBER, completed="0")
    return report


def test_the_unmik_framework_is_valid_iati(world, xsd):
    root = _assert_valid(_get(world, "focal", f"/api/v1/reports/{world.unmik.pk}/iati.xml"), xsd)
    activity = root.find("iati-activity")
    assert activity.findtext("iati-identifier").endswith("-UNMIK-2020-21")
    results = activity.findall("result")
    assert sum(r.get("type") == "2" for r in results) == 4  # one outcome per expected accomplishment
    assert sum(r.get("type") == "1" for r in results) == 59  # one output result per output
    assert len(activity.findall("result[@type='2']/indicator")) == 17
    first = activity.find("result[@type='2']/indicator")
    assert first.get("measure") == "1" and first.get("ascending") == "true"
    assert [(b.get("year"), b.get("iso-date"), b.get("value")) for b in first.findall("baseline")] == [
        ("2019", "2019-06-30", "574"), ("2020", "2020-06-30", "754"),
    ]
    period = first.find("period")
    assert period.find("period-start").get("iso-date") == "2020-07-01"
    assert period.find("period-end").get("iso-date") == "2021-06-30"
    assert period.find("target").get("value") == "290" and period.find("actual").get("value") == "860"
    title = first.find("title/narrative")
    assert title.get(XML_LANG) == "zh" and title.text.startswith("1.1.1 ")


def test_the_support_account_is_valid_iati(world, xsd):
    root = _assert_valid(_get(world, "reviewer", f"/api/v1/reports/{world.support.pk}/iati.xml"), xsd)
    target = root.find("iati-activity/result[@type='2']/indicator/period/target")
    assert target.get("value") == "100" and target.findtext("comment/narrative") == "Estimate: 110"


def test_the_odd_cases_of_a_mission_framework_are_valid(world, odd_mission, xsd):
    root = _assert_valid(_get(world, "reviewer", f"/api/v1/reports/{odd_mission.pk}/iati.xml"), xsd)
    indicators = {i.findtext("title/narrative").split()[0]: i for i in root.iter("indicator") if i.getparent().get("type") == "2"}

    # Not applicable baselines are left out of a quantitative indicator …
    first = indicators["1.1.1"]
    assert [b.get("year") for b in first.findall("baseline")] == ["2020"]
    target = first.find("period/target")
    assert target.get("value") == "48" and target.findtext("comment/narrative") == "≤ 48"
    actual = first.find("period/actual")
    assert actual.get("value") == "860"
    assert actual.findtext("comment/narrative") == "记录了 860 项决定\n高于计划，原因是…"

    # … a percentage reports each figure of a several-figure cell, and keeps the band as printed.
    second = indicators["1.1.2"]
    assert second.get("measure") == "2"
    assert [b.get("value") for b in second.findall("baseline")] == ["10"]
    assert second.find("baseline/comment/narrative").text == "10%±3%"
    assert [a.get("value") for a in second.findall("period/actual")] == ["24", "23", "37"]

    # … a qualitative indicator keeps every baseline, without values, as comments.
    third = indicators["1.1.3"]
    assert third.get("measure") == "5" and third.get("ascending") is None
    baselines = third.findall("baseline")
    assert [b.get("value") for b in baselines] == [None, None]
    assert [b.findtext("comment/narrative") for b in baselines] == ["不适用", "正面"]
    assert third.find("period/actual").get("value") is None
    assert third.find("period/actual/comment/narrative").text == "是"

    # A decreasing indicator with nothing measurable is qualitative; not applicable is said, not valued.
    fourth = indicators["1.1.4"]
    assert fourth.get("measure") == "5"
    assert fourth.find("period/actual/comment/narrative").text == "不适用"

    fifth = indicators["1.1.5"]
    assert fifth.find("period/actual/comment/narrative").text == "Control characters are dropped."
    assert fifth.find("period/actual/comment/narrative").get(XML_LANG) == "en"

    outputs = [r for r in root.iter("result") if r.get("type") == "1"]
    assert len(outputs) == 6
    by_title = {r.findtext("title/narrative"): r.find("indicator") for r in outputs}
    assert by_title["Output 1"].get("measure") == "1"
    assert by_title["Output 1"].find("period/target").get("value") == "220"
    assert by_title["Output 1"].find("period/actual").get("value") == "250"
    assert [t.get("value") for t in by_title["Output 2"].findall("period/target")] == ["200", "500"]
    assert [a.get("value") for a in by_title["Output 2"].findall("period/actual")] == ["180", "841"]
    assert by_title["Output 3"].get("measure") == "5"
    assert by_title["Output 3"].findtext("period/actual/comment/narrative") == "Yes\nWeekly meetings."
    assert by_title["Output 4"].findtext("period/actual/comment/narrative") == "No\nCancelled owing to COVID-19."
    assert by_title["Output 5"].find("period/actual").get("value") is None
    assert by_title["Output 6"].find("period/actual") is None
    assert next(r for r in outputs if r.findtext("title/narrative") == "Output 6").findtext("description/narrative") == "改进服务"


def test_the_odd_cases_of_a_headquarters_framework_are_valid(world, odd_headquarters, xsd):
    root = _assert_valid(_get(world, "reviewer", f"/api/v1/reports/{odd_headquarters.pk}/iati.xml"), xsd)
    outcomes = root.findall("iati-activity/result[@type='2']")
    assert [o.findtext("description/narrative") for o in outcomes] == ["A 和平行动部", "A.1 Office of the Under-Secretary-General"]
    qualitative = outcomes[0].findall("indicator")[1]
    assert qualitative.get("measure") == "5" and qualitative.find("baseline") is None
    assert qualitative.find("period/target").get("value") is None
    days = outcomes[0].findall("indicator")[2]
    assert days.get("measure") == "1" and days.find("period/target").get("value") == "0.55"
    assert days.find("period/actual").get("value") is None


def test_the_period_wide_document_has_one_activity_per_visible_report(world, odd_mission, odd_headquarters, xsd):
    everything = _assert_valid(_get(world, "reviewer", "/api/v1/iati.xml?period=2020/21"), xsd)
    identifiers = {a.findtext("iati-identifier").rsplit("-", 3)[1] for a in everything.findall("iati-activity")}
    assert identifiers == {"UNMIK", "SUPPORT", "OTHER", "ODD", "HQODD"}
    own = _assert_valid(_get(world, "focal", "/api/v1/iati.xml?period=2020/21"), xsd)
    assert len(own.findall("iati-activity")) == 1
    one = _assert_valid(_get(world, "reviewer", "/api/v1/iati.xml?period=2020/21&mission=odd"), xsd)
    assert len(one.findall("iati-activity")) == 1


def test_a_period_without_visible_reports_is_not_found(world):
    assert world.client("outsider").get("/api/v1/iati.xml?period=2020/21").status_code == 404
    assert world.client("reviewer").get("/api/v1/iati.xml?period=1999/00").status_code == 404
    missing = world.client("reviewer").get("/api/v1/iati.xml")
    assert missing.status_code == 400 and "period" in missing.json()["extra"]["fields"]


def test_iati_of_another_missions_report_is_not_found(world):
    assert world.client("other_focal").get(f"/api/v1/reports/{world.unmik.pk}/iati.xml").status_code == 404


def test_the_query_count_of_the_period_document_does_not_grow_with_reports(world, odd_mission, odd_headquarters):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = world.client("reviewer")
    client.get("/api/v1/iati.xml?period=2020/21&mission=ODD")
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/iati.xml?period=2020/21&mission=ODD")
    with CaptureQueriesContext(connection) as five:
        client.get("/api/v1/iati.xml?period=2020/21")
    assert len(one.captured_queries) == len(five.captured_queries)


def test_the_reporting_organisation_comes_from_the_settings(world, xsd, settings):
    settings.IATI_REPORTING_ORG_REF, settings.IATI_REPORTING_ORG_NAME = "XM-DAC-41000", "UN Secretariat"
    root = _assert_valid(_get(world, "focal", f"/api/v1/reports/{world.unmik.pk}/iati.xml"), xsd)
    reporting = root.find("iati-activity/reporting-org")
    assert reporting.get("ref") == "XM-DAC-41000"
    assert reporting.findtext("narrative") == "UN Secretariat"
    assert root.findtext("iati-activity/iati-identifier").startswith("XM-DAC-41000-")
