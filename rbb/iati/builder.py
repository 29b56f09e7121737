"""Build IATI 2.03 activity XML from reports' results frameworks, in schema order.

One report is one iati-activity. Its results follow the document:

- an expected accomplishment is a `result` of type 2 (outcome) whose indicators are the
  indicators of achievement;
- each output is a `result` of type 1 (output) with one indicator: planned quantity as the
  target, what was completed as the actual, the remarks as the actual's comment.

Indicator @measure: 1 unit (counts, days, scores, amounts), 2 percentage, 5 qualitative
(IATI IndicatorMeasure codelist). A mission indicator's baselines are the prior periods'
actuals (A/76/525: "2018/19：574"); a baseline that is not applicable (the indicator did not
exist then) is left out of a quantitative indicator, whose baselines must carry a value, and
kept as a comment without value on a qualitative one. Text goes out as `narrative` with the
language it is written in: `zh` for the stored Chinese, `en` otherwise.
"""

from __future__ import annotations

import re
from datetime import date

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from lxml import etree

from indicators.models import Indicator, IndicatorFigure, Output
from missions.models import BudgetPeriod, Report
from rbb.api.formats import label_slug, plain_decimal
from rbb.lib.figures import Comparator, parse_figure

IATI_VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Codelists (IATI 2.03): ResultType, IndicatorMeasure, ActivityStatus, ActivityDateType,
# OrganisationRole, OrganisationType, DescriptionType.
RESULT_OUTPUT, RESULT_OUTCOME = "1", "2"
MEASURE_UNIT, MEASURE_PERCENTAGE, MEASURE_QUALITATIVE = "1", "2", "5"
STATUS_PIPELINE, STATUS_IMPLEMENTATION, STATUS_COMPLETION = "1", "2", "3"
DATE_PLANNED_START, DATE_ACTUAL_START, DATE_PLANNED_END, DATE_ACTUAL_END = "1", "2", "3", "4"
# Several targets or actuals in one period (a compound output "200; 500" → "180; 841", a cell of
# three percentages) are told apart, and paired, by this dimension: the figure's place in the cell.
FIGURE_DIMENSION = "figure"
ROLE_IMPLEMENTING = "4"
ORG_TYPE_MULTILATERAL = "40"
DESCRIPTION_GENERAL = "1"

_CJK = re.compile(r"[\u3000-\u303f\u3200-\u32ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
# Characters XML 1.0 does not allow (control characters, lone surrogates, non-characters).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_PERIOD = re.compile(r"^\s*(\d{4})\s*[/\-–]\s*(\d{2}|\d{4})\s*$")
_YEAR = re.compile(r"^\s*(\d{4})\s*$")


def activities_build(reports, *, generated=None) -> bytes:
    """Return an iati-activities document with one activity per report.

    The reports' units, accomplishments, indicators (with figures) and outputs must be
    loaded (rbb.iati.selectors.reports_with_framework); nothing here queries.
    """
    root = etree.Element("iati-activities", version=IATI_VERSION)
    root.set("generated-datetime", _datetime(generated or timezone.now()))
    with translation.override("en"):  # labels written by the builder are English (xml:lang="en")
        for report in reports:
            _activity(root, report)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --- the activity --------------------------------------------------------------------------


def _activity(root, report: Report) -> None:
    mission, period = report.mission, report.period
    org_ref = settings.IATI_REPORTING_ORG_REF  # set from the environment (rbb/settings.py)
    activity = etree.SubElement(root, "iati-activity")
    activity.set("last-updated-datetime", _datetime(report.updated_at))
    activity.set(XML_LANG, "en")
    activity.set("hierarchy", "1")

    identifier = f"{org_ref}-{mission.code}-{label_slug(period.label)}"
    etree.SubElement(activity, "iati-identifier").text = identifier

    reporting = etree.SubElement(activity, "reporting-org", ref=org_ref, type=ORG_TYPE_MULTILATERAL)
    _narrative(reporting, settings.IATI_REPORTING_ORG_NAME)

    title = etree.SubElement(activity, "title")
    names = [name for name in (mission.name_en, mission.name_zh) if name] or [mission.code]
    for name in names:
        _narrative(title, f"{name} {period.label}")

    description = etree.SubElement(activity, "description", type=DESCRIPTION_GENERAL)
    _narrative(description, mission.overall_objective or _("Results-based budgeting framework, %(period)s.") % {"period": period.label})

    participating = etree.SubElement(activity, "participating-org", role=ROLE_IMPLEMENTING, type=ORG_TYPE_MULTILATERAL)
    for name in names:
        _narrative(participating, name)

    today = timezone.localdate()
    ended = period.end < today
    status = STATUS_COMPLETION if ended else STATUS_IMPLEMENTATION if period.start <= today else STATUS_PIPELINE
    etree.SubElement(activity, "activity-status", code=status)
    etree.SubElement(activity, "activity-date", type=DATE_PLANNED_START, **{"iso-date": period.start.isoformat()})
    if period.start <= today:  # actual dates are never in the future
        etree.SubElement(activity, "activity-date", type=DATE_ACTUAL_START, **{"iso-date": period.start.isoformat()})
    etree.SubElement(activity, "activity-date", type=DATE_PLANNED_END, **{"iso-date": period.end.isoformat()})
    if ended:
        etree.SubElement(activity, "activity-date", type=DATE_ACTUAL_END, **{"iso-date": period.end.isoformat()})

    # Where and in which sector, as the budget administrator set them for the entity (admin).
    if mission.iati_recipient_country:
        etree.SubElement(activity, "recipient-country", code=mission.iati_recipient_country, percentage="100")
    elif mission.iati_recipient_region:
        etree.SubElement(activity, "recipient-region", code=mission.iati_recipient_region, vocabulary="1", percentage="100")
    if mission.iati_sector_code:
        sector = etree.SubElement(activity, "sector", vocabulary=mission.iati_sector_vocabulary or "1",
                                  code=mission.iati_sector_code, percentage="100")
        if mission.iati_sector_vocabulary_uri:
            sector.set("vocabulary-uri", mission.iati_sector_vocabulary_uri)

    for unit in report.units.all():
        for ea in unit.accomplishments.all():
            indicators = list(ea.indicators.all())
            if indicators:  # a result needs at least one indicator
                _outcome(activity, unit, ea, indicators, period)
            for output in ea.outputs.all():
                _output(activity, output, period)
        for output in getattr(unit, "unit_outputs", []):  # the unit's own outputs (headquarters)
            _output(activity, output, period)


def _outcome(activity, unit, ea, indicators: list[Indicator], period: BudgetPeriod) -> None:
    result = etree.SubElement(activity, "result", type=RESULT_OUTCOME)
    _narrative(etree.SubElement(result, "title"), f"{ea.number} {ea.text}".strip())
    _narrative(etree.SubElement(result, "description"), f"{unit.number} {unit.title}".strip())
    for indicator in indicators:
        _indicator(result, indicator, period)


# --- indicators of achievement -------------------------------------------------------------


def _indicator(result, indicator: Indicator, period: BudgetPeriod) -> None:
    figures = list(indicator.figures.all())
    baselines = [f for f in figures if f.kind == IndicatorFigure.Kind.BASELINE]
    target = next((f for f in figures if f.kind == IndicatorFigure.Kind.TARGET), None)
    estimate = next((f for f in figures if f.kind == IndicatorFigure.Kind.ESTIMATE), None)
    actual = indicator.actual_figure
    measure = _indicator_measure(indicator, baselines, target, actual)
    quantitative = measure != MEASURE_QUALITATIVE

    element = etree.SubElement(result, "indicator", measure=measure)
    if indicator.direction == Indicator.Direction.INCREASE:
        element.set("ascending", "true")
    elif indicator.direction == Indicator.Direction.DECREASE:
        element.set("ascending", "false")
    _narrative(etree.SubElement(element, "title"), f"{indicator.number} {indicator.statement}".strip())
    if indicator.unit_hint:
        _narrative(etree.SubElement(element, "description"), indicator.unit_hint)

    for baseline in baselines:
        dates = _period_dates(baseline.period_label)
        if dates is None or (quantitative and baseline.value is None):
            continue  # a quantitative baseline needs a value: not applicable means no baseline
        # A baseline is the actual achieved over that period: dated at its end.
        attrs = {"year": str(dates[1].year), "iso-date": dates[1].isoformat()}
        if quantitative:
            attrs["value"] = plain_decimal(baseline.value)
        node = etree.SubElement(element, "baseline", **attrs)
        if not quantitative or _needs_comment(baseline.printed):
            _comment(node, baseline.printed)

    iati_period = etree.SubElement(element, "period")
    etree.SubElement(iati_period, "period-start", **{"iso-date": period.start.isoformat()})
    etree.SubElement(iati_period, "period-end", **{"iso-date": period.end.isoformat()})
    if target is not None and not (quantitative and target.not_applicable):
        node = etree.SubElement(iati_period, "target")
        if quantitative and target.value is not None:
            node.set("value", plain_decimal(target.value))
        notes = [target.printed] if (not quantitative or _needs_comment(target.printed)) else []
        if estimate is not None and estimate.printed:
            notes.append(_("Estimate: %(value)s") % {"value": estimate.printed})
        _comment(node, *notes)
    _actuals(iati_period, quantitative, actual, _actual_text(indicator))


def _indicator_measure(indicator: Indicator, baselines, target, actual) -> str:
    if indicator.direction == Indicator.Direction.QUALITATIVE or indicator.measure == Indicator.Measure.QUALITATIVE:
        return MEASURE_QUALITATIVE
    numbers = [f.value for f in baselines] + [target.value if target else None, actual.value] + list(actual.values)
    if all(value is None for value in numbers):
        return MEASURE_QUALITATIVE  # nothing to measure in numbers: 正面, 是
    if indicator.measure == Indicator.Measure.PERCENTAGE:
        return MEASURE_PERCENTAGE
    return MEASURE_UNIT


def _actual_text(indicator: Indicator) -> list[str]:
    texts = [indicator.actual_narrative.strip(), indicator.variance_explanation.strip()]
    return [text for text in texts if text]


def _actuals(iati_period, quantitative: bool, figure, texts: list[str], *, paired: bool = False) -> None:
    """One actual per figure of the cell (1.3.1: 24 %, 23 %, 37 %); the first carries the text.
    Several actuals each carry their place in the cell as a dimension (FIGURE_DIMENSION)."""
    values = list(figure.values) if quantitative else []
    if figure.printed and (not quantitative or not values or _needs_comment(figure.printed)):
        texts = [figure.printed, *texts]
    if not values and not texts:
        return
    for index, value in enumerate(values or [None]):
        node = etree.SubElement(iati_period, "actual")
        if value is not None:
            node.set("value", plain_decimal(value))
        if len(values) > 1 or (paired and values):
            _dimension(node, index)
        if index == 0:
            _comment(node, *texts)


def _dimension(node, index: int) -> None:
    etree.SubElement(node, "dimension", name=FIGURE_DIMENSION, value=str(index + 1))


# --- outputs -------------------------------------------------------------------------------


def _output(activity, output: Output, period: BudgetPeriod) -> None:
    # A compound output plans several quantities ("至少 200 次会议 … 至少 500 次会议": 200; 500)
    # and reports as many (180; 841): one target and one actual per figure.
    planned = parse_figure(output.planned_quantity).values
    quantitative = bool(planned) and output.completed_kind in (
        Output.Completed.NUMBER, Output.Completed.NUMBERS, Output.Completed.BLANK,
    )
    result = etree.SubElement(activity, "result", type=RESULT_OUTPUT)
    text = output.planned_text.strip() or output.number
    _narrative(etree.SubElement(result, "title"), text)
    if output.heading_path:
        _narrative(etree.SubElement(result, "description"), " › ".join(output.heading_path))

    element = etree.SubElement(result, "indicator", measure=MEASURE_UNIT if quantitative else MEASURE_QUALITATIVE)
    if quantitative:
        element.set("ascending", "true")
    _narrative(etree.SubElement(element, "title"), text)
    iati_period = etree.SubElement(element, "period")
    etree.SubElement(iati_period, "period-start", **{"iso-date": period.start.isoformat()})
    etree.SubElement(iati_period, "period-end", **{"iso-date": period.end.isoformat()})
    completed = parse_figure(output.completed)
    paired = quantitative and (len(planned) > 1 or len(completed.values) > 1)
    if quantitative:
        for index, value in enumerate(planned):
            target = etree.SubElement(iati_period, "target", value=plain_decimal(value))
            if paired:  # target i goes with actual i (_actuals)
                _dimension(target, index)
    elif output.planned_quantity:
        _comment(etree.SubElement(iati_period, "target"), output.planned_quantity)

    remarks = [output.remarks.strip()] if output.remarks.strip() else []
    kind = output.completed_kind
    if kind in (Output.Completed.NUMBER, Output.Completed.NUMBERS):
        _actuals(iati_period, quantitative, completed, remarks, paired=paired)
    elif kind in (Output.Completed.YES, Output.Completed.NO):
        _comment(etree.SubElement(iati_period, "actual"), str(Output.Completed(kind).label), *remarks)
    elif remarks:  # not completed yet: the remarks say why and when
        _comment(etree.SubElement(iati_period, "actual"), *remarks)


# --- helpers -------------------------------------------------------------------------------


def _narrative(parent, text: str) -> None:
    text = _NOT_XML.sub("", str(text)).strip()
    node = etree.SubElement(parent, "narrative")
    node.set(XML_LANG, _language(text))
    node.text = text


def _language(text: str) -> str:
    """`zh` for text with Chinese characters (the stored document content), else `en`."""
    return "zh" if _CJK.search(text) else "en"


def _comment(parent, *texts: str) -> None:
    """A comment with one narrative per language: IATI repeats narratives for translations."""
    by_language: dict[str, list[str]] = {}
    for text in texts:
        text = _NOT_XML.sub("", str(text or "")).strip()
        if text:
            by_language.setdefault(_language(text), []).append(text)
    if by_language:
        comment = etree.SubElement(parent, "comment")
        for parts in by_language.values():
            _narrative(comment, "\n".join(parts))


def _needs_comment(printed: str) -> bool:
    """Whether the printed figure says more than its number (`≤ 48`, `10%±3%`, `89/100`, `不适用`)."""
    figure = parse_figure(printed)
    if figure.value is None:
        return bool(figure.printed)
    return figure.comparator not in ("", Comparator.EQ) or "/" in figure.printed


def _period_dates(label: str) -> tuple[date, date] | None:
    """Start and end of a period label: `2018/19` is 1 July 2018 – 30 June 2019, `2022` a calendar year."""
    match = _PERIOD.match(label or "")
    if match:
        start = int(match[1])
        return date(start, 7, 1), date(start + 1, 6, 30)
    match = _YEAR.match(label or "")
    if match:
        year = int(match[1])
        return date(year, 1, 1), date(year, 12, 31)
    return None


def _datetime(value) -> str:
    return value.replace(microsecond=0).isoformat()
