"""Column labels and headings of the narrative tables, as printed in the performance report.

The English msgids are the English edition's wording; the zh-hans catalogue holds the
Chinese edition's (计划绩效指标, 已完成(数目或是/否) …). Labels are lazy: the table builder
runs under `translation.override(language)`, so one export is entirely in one language.
"""

from __future__ import annotations

from datetime import date

from django.utils.dates import MONTHS
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Framework tables (A/76/525 sect. II.E; A/76/596 for the headquarters shape).
PLANNED_INDICATORS = _("Planned indicators of achievement")
ACTUAL_INDICATORS = _("Actual indicators of achievement")
PLANNED_OUTPUTS = _("Planned outputs")
COMPLETED = _("Completed (number or yes/no)")
REMARKS = _("Remarks")
OUTPUTS = _("Outputs")
PLANNED = _("Planned")
ACTUAL = _("Actual")
TARGET = _("Target")
ESTIMATE = _("Estimate")
DELIVERY_RATIO = _("Delivery ratio")
PERFORMANCE_MEASURES = _("Performance measures")
ACTUAL_OUTPUTS = _("Actual outputs")

# Money and people tables (sects. III and IV, and the summary).
CATEGORY = _("Category")
APPORTIONMENT = _("Apportionment")
EXPENDITURE = _("Expenditure")
VARIANCE = _("Variance")
AMOUNT = _("Amount")
PERCENTAGE = _("Percentage")
AUTHORIZED = _("Authorized")
ACTUAL_AVERAGE = _("Actual (average)")
VACANCY_RATE = _("Vacancy rate (percentage)")
BUDGETED_VACANCY_RATE = _("Budgeted vacancy rate (percentage)")
APPROPRIATION = _("Appropriation")
ORIGINAL_DISTRIBUTION = _("Original distribution")
REDEPLOYMENT = _("Redeployment")
REVISED_DISTRIBUTION = _("Revised distribution")
REDEPLOYMENT_SHARE = _("Redeployment as a percentage of total appropriation")
ACTUAL_VALUE = _("Actual value")
TOTAL = _("Total")
ITEM = _("Item")
AMOUNT_DOLLARS = _("Amount (United States dollars)")
AUTHORIZED_NOTE = _("Represents the highest level of authorized strength.")

# Document headings, in the report's order (domain.md §5).
SUMMARY = _("Summary")
FINANCIAL_PERFORMANCE = _("Financial resource performance")
HR_INCUMBENCY = _("Human resources incumbency performance")
FRAMEWORKS = _("Results-based budgeting frameworks")
RESOURCE_PERFORMANCE = _("Resource performance")
FINANCIAL_RESOURCES = _("Financial resources")
RESOURCES_BY_UNIT = _("Resources by department/office")
DEPARTMENT_OFFICE = _("Department/office")
REDEPLOYMENTS = _("Summary information on redeployments across groups")
MONTHLY_PATTERN = _("Monthly expenditure pattern")
MONTH = _("Month")
OTHER_REVENUE = _("Other revenue and adjustments")
NON_BUDGETED = _("Value of non-budgeted contributions")
VARIANCE_ANALYSIS = _("Analysis of variances")
GA_ACTIONS = _("Actions to be taken by the General Assembly")
UNENCUMBERED_BALANCE = _("Unencumbered balance for the period from %(start)s to %(end)s")
OTHER_REVENUE_FOR_PERIOD = _("Other revenue for the period ended %(end)s")
NARRATIVE_TABLES = _("Narrative tables")

# Spreadsheet tabs hold at most 31 characters.
CONTENTS = _("Contents")
INDICATORS = _("Indicators")  # "1.1 Indicators"
SHEET_FINANCIAL_SUMMARY = _("Financial summary")
SHEET_HUMAN_RESOURCES = _("Human resources")
SHEET_OTHER_REVENUE = _("Other revenue")
SHEET_NON_BUDGETED = _("Non-budgeted contributions")
SHEET_VARIANCES = _("Variances")
SHEET_BY_UNIT = _("By department or office")
SHEET_GA_ACTIONS = _("General Assembly actions")
EXPLANATION = _("Explanation")


def component_heading(number: str, title: str) -> str:
    return _("Component %(number)s: %(title)s") % {"number": number, "title": title}


def accomplishment_heading(number: str, text: str) -> str:
    # Headquarters letters print against the word in Chinese: 预期成绩(a)：… (A/76/596).
    if number.startswith(("(", "（")):
        return _("Expected accomplishment %(letter)s: %(text)s") % {"letter": number, "text": text}
    return _("Expected accomplishment %(number)s: %(text)s") % {"number": number, "text": text}


def measure_line(label, printed: str) -> str:
    """One labelled figure of the performance-measures cell: `目标数：100`, `Target: 100`."""
    return f"{label}：{printed}" if is_chinese() else f"{label}: {printed}"


def unit_heading(unit) -> str:
    """`1. 副秘书长办公室`: a sub-unit prints its own number under its department's heading."""
    number = unit.number
    if unit.kind == unit.Kind.SUB_UNIT and "." in number:
        number = number.rsplit(".", 1)[1]
    return f"{number}. {unit.title}"


def thousands_subtitle(start: date, end: date) -> str:
    return _("(Thousands of United States dollars; budget year is from %(start)s to %(end)s)") % {
        "start": long_date(start),
        "end": long_date(end),
    }


def thousands_unit() -> str:
    return str(_("(Thousands of United States dollars)"))


def variance_threshold_note(percent: str, amount: str) -> str:
    return _(
        "Resource variance amounts are expressed in thousands of United States dollars. Analysis is "
        "provided for variances of at least plus or minus %(percent)s per cent or $%(amount)s."
    ) % {"percent": percent, "amount": amount}


def is_chinese() -> bool:
    return (get_language() or "en").lower().startswith("zh")


def long_date(value: date) -> str:
    """`1 July 2020`; `2020 年 7 月 1 日` (UN Chinese prints spaces around Latin digits)."""
    if is_chinese():
        return f"{value.year} 年 {value.month} 月 {value.day} 日"
    return f"{value.day} {MONTHS[value.month]} {value.year}"


def with_unit_hint(text: str, hint: str) -> str:
    """`statement (请求数目)`: Chinese prints no space before the opening parenthesis."""
    if not hint:
        return text
    return f"{text}({hint})" if is_chinese() else f"{text} ({hint})"


def with_series(text: str, series: str) -> str:
    """`…增加(2018/19：574；…)` in Chinese, `… increase (2018/19: 574; …)` in English."""
    if not series:
        return text
    return f"{text}{series}" if is_chinese() else f"{text} {series}"
