"""Headings and column labels of the programme plan, as A/78/6 (Sect. 3) prints them.

The English msgids follow the English edition; the zh-hans catalogue holds the Chinese
edition's wording (立法授权, 2022 年计划 …). Lazy: documents are built under
translation.override(language).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from rbb.narrative.labels import is_chinese

PROGRAMME_PLAN = _("Programme plan")
MANDATES = _("Legislative mandates")
OBJECTIVE = _("Objective")
STRATEGY = _("Strategy")
DELIVERABLES = _("Deliverables")
LESSONS = _("Lessons learned and planned change")
MEASURE = _("Performance measure")
CATEGORY_AND_SUBCATEGORY = _("Category and subcategory")
CHANGES = _("Changes")
TECHNICAL_ADJUSTMENTS = _("Technical adjustments")
NEW_MANDATES = _("New/expanded mandates")
OTHER = _("Other")
TOTAL = _("Total")
PERCENTAGE = _("Percentage")
FINANCIAL_BY_CATEGORY = _("Financial resources by main category of expenditure")
POSTS_BY_CATEGORY = _("Post resources by category")
RESOURCES_UNIT = _("(Thousands of United States dollars/number of posts)")
POSTS_BY_GRADE = _("Posts by grade")
FIGURE_NOT_TABULATED = _("The document presents this measure as a figure.")
SHEET_DELIVERABLES = _("Deliverables")
SHEET_RESOURCES = _("Resources")
SHEET_MEASURE = _("Measure")


def subprogramme_heading(number: int, title: str) -> str:
    return _("Subprogramme %(number)s %(title)s") % {"number": number, "title": title}


def performance_heading(year: int) -> str:
    return _("Programme performance in %(year)s") % {"year": year}


def planned_results_heading(year: int) -> str:
    return _("Planned results for %(year)s") % {"year": year}


def deliverables_title(number: int, first: int, last: int) -> str:
    return _("Subprogramme %(number)s: deliverables for the period %(first)s–%(last)s, by category and subcategory") % {
        "number": number, "first": first, "last": last,
    }


def resources_title(number: int) -> str:
    return _("Subprogramme %(number)s: evolution of financial and post resources") % {"number": number}


def year_planned(year: int) -> str:
    return _("%(year)s planned") % {"year": year}


def year_actual(year: int) -> str:
    return _("%(year)s actual") % {"year": year}


def measure_column(year: int, kind: str) -> str:
    """`2020(实际)`, `2023(计划)` in Chinese; `2020 (actual)`, `2023 (planned)` in English."""
    if kind == "actual":
        return _("%(year)s (actual)") % {"year": year}
    return _("%(year)s (planned)") % {"year": year}


def expenditure(year: int) -> str:
    return _("%(year)s expenditure") % {"year": year}


def appropriation(year: int) -> str:
    return _("%(year)s appropriation") % {"year": year}


def estimate(year: int) -> str:
    return _("%(year)s estimate (before recosting)") % {"year": year}


def with_unit(name: str, unit: str) -> str:
    """`议事机构文件(文件数目)`; `Parliamentary documentation (number of documents)`."""
    if not unit:
        return name
    return f"{name}({unit})" if is_chinese() else f"{name} ({unit})"


def with_colon(head: str, text: str) -> str:
    """`协商、咨询和倡导：…`; `Consultation, advice and advocacy: …`."""
    return f"{head}：{text}" if is_chinese() else f"{head}: {text}"


def numbered(number: str, text: str) -> str:
    return f"{number} {text}" if number else text
