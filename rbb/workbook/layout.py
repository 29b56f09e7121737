"""What a workbook holds, shared by the builder and the reader so both agree on every cell.

A sheet per reporting unit (one row per expected accomplishment, indicator and output), and,
for people who may edit resources, a financial sheet and an incumbency sheet. The hidden
sheet `_rbb` records who the workbook is for (report, period, phase, template version),
each data row's identity (item type, id, lineage, version) and a short hash of every cell as
written, and an HMAC of all of it, so an upload knows exactly what the person saw.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

# Raise when the layout changes: an upload of an older layout is refused, never misread.
TEMPLATE_VERSION = 1
META_SHEET = "_rbb"
HEADER_ROW = 3
FIRST_ROW = HEADER_ROW + 1
FORBIDDEN_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\']")

INDICATOR, OUTPUT, ACCOMPLISHMENT = "indicator", "output", "accomplishment"
FINANCIAL, INCUMBENCY = "financial_line", "staff_incumbency"


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # lazy translation
    width: int
    editable_for: frozenset = frozenset()  # item types whose cell in this column people fill
    wrap: bool = False


def _for(*kinds):
    return frozenset(kinds)


# One layout for both framework shapes; a headquarters output's "completed" is its actual number.
UNIT_COLUMNS = (
    Column("item", _("Item"), 12),
    Column("ea", _("Expected accomplishment"), 10),
    Column("number", _("Number"), 9),
    Column("text", _("Indicator of achievement or planned output"), 48, wrap=True),
    Column("planned", _("Planned"), 22, wrap=True),
    Column("actual", _("Actual / completed"), 16, _for(INDICATOR, OUTPUT)),
    Column("narrative", _("Achievement or remarks (Chinese)"), 48, _for(INDICATOR, OUTPUT), wrap=True),
    Column("narrative_en", _("Achievement or remarks (English)"), 48, _for(INDICATOR, OUTPUT), wrap=True),
    Column("variance", _("Variance explanation (Chinese)"), 40, _for(INDICATOR), wrap=True),
    Column("variance_en", _("Variance explanation (English)"), 40, _for(INDICATOR), wrap=True),
)

FINANCIAL_COLUMNS = (
    Column("code", _("Code"), 24),
    Column("name", _("Class"), 48, wrap=True),
    Column("apportionment", _("Apportionment (thousands of US$)"), 20, _for(FINANCIAL)),
    Column("expenditure", _("Expenditure (thousands of US$)"), 20, _for(FINANCIAL)),
)

INCUMBENCY_COLUMNS = (
    Column("code", _("Code"), 24),
    Column("name", _("Category"), 40, wrap=True),
    Column("authorized", _("Authorized"), 14, _for(INCUMBENCY)),
    Column("actual_average", _("Actual (average)"), 14, _for(INCUMBENCY)),
    Column("budgeted_vacancy_rate", _("Budgeted vacancy rate (%)"), 16, _for(INCUMBENCY)),
)

# The planning phase (budget proposal): the planned side is written; rows added at the end of a
# unit sheet become new indicators and outputs.
PLANNING_COLUMNS = (
    Column("item", _("Item"), 12),
    Column("ea", _("Expected accomplishment"), 10),
    Column("number", _("Number"), 9),
    Column("text", _("Indicator or planned output (Chinese)"), 48, _for(INDICATOR, OUTPUT), wrap=True),
    Column("text_en", _("Indicator or planned output (English)"), 48, _for(INDICATOR, OUTPUT), wrap=True),
    Column("planned", _("Target or planned quantity"), 16, _for(INDICATOR, OUTPUT)),
    Column("baselines", _("Baselines"), 24, wrap=True),
)

COLUMNS_BY_ITEM = {
    INDICATOR: UNIT_COLUMNS, OUTPUT: UNIT_COLUMNS, ACCOMPLISHMENT: UNIT_COLUMNS,
    FINANCIAL: FINANCIAL_COLUMNS, INCUMBENCY: INCUMBENCY_COLUMNS,
}

# Words a person may type in the "completed" column of a mission output, in either language.
COMPLETED_WORDS = {
    "yes": {"yes", "y", "是", "是的", "已完成", "完成"},
    "no": {"no", "n", "否", "未完成", "没有"},
    "blank": {""},
}


def columns_for(item_type: str, phase: str) -> tuple[Column, ...]:
    if phase == "planning" and item_type in (INDICATOR, OUTPUT, ACCOMPLISHMENT):
        return PLANNING_COLUMNS
    return COLUMNS_BY_ITEM[item_type]


def sheet_title(text: str, taken: set[str]) -> str:
    """A legal, unique sheet name (31 characters, none of []:*?/\\')."""
    base = FORBIDDEN_IN_SHEET_NAMES.sub("-", text).strip() or "-"
    base = base[:31]
    title, n = base, 2
    while title.lower() in taken or title == META_SHEET:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def cell_text(value) -> str:
    """A cell's value as one canonical string: what the builder hashes and the reader compares.

    A number reads back as int or float whatever was written, so numbers are compared by value.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value))
        if not number.is_finite():
            return str(value)
        return format(number.normalize(), "f") if number else "0"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def cell_hash(value) -> str:
    return hashlib.sha256(cell_text(value).encode()).hexdigest()[:10]


def checksum(values: list[str]) -> str:
    """The workbook checksum: an HMAC of the hidden sheet's contents with the site's key."""
    return salted_hmac("rbb.workbook", "\x1f".join(values), algorithm="sha256").hexdigest()
