"""Resource performance arithmetic (A/76/525 sect. III–V; domain.md §4): pure, exact, no queries.

Only entered figures are stored. Everything printed in the resource tables is computed here
from them, with Decimal and rbb.lib.numbers, so the page, documents and tests agree:

- variance (3) = apportionment (1) − expenditure (2); percentage (4) = (3) ÷ (1) × 100,
  half-up at one decimal, none when (1) is nil or zero;
- group subtotal = Σ its classes; gross = Σ every class added into totals; net = gross −
  staff assessment; total = gross + budgeted voluntary contributions in kind.

Functions take "class-like" objects (anything with id, kind, parent_id, in_totals) so they run
on model instances and on plain test doubles alike.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rbb.lib.numbers import HUNDRED, format_number, format_percent, percentage, round1

THOUSAND = Decimal(1000)


class Kind:
    """Financial class kinds (mirror FinancialClass.Kind without importing models)."""

    GROUP = "group"
    LINE = "line"
    SUBTOTAL = "subtotal"
    GROSS = "gross"
    STAFF_ASSESSMENT = "staff_assessment"
    NET = "net"
    IN_KIND = "in_kind"
    TOTAL = "total"
    MEMO = "memo"
    CUMULATIVE = "cumulative"  # the classes above it, added up (第一类和第二类共计)

    ENTERED = (LINE, MEMO, STAFF_ASSESSMENT, IN_KIND)
    # Rows that close the table; they are never analysed.
    CLOSING = (GROSS, STAFF_ASSESSMENT, NET, IN_KIND, TOTAL)


def add(*values: Decimal | None) -> Decimal | None:
    """Sum the figures that are not nil; nil when every figure is nil (a nil row stays "—")."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    return sum(present, Decimal(0))


def subtract(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    """a − b with nil read as zero; nil when both are nil."""
    if a is None and b is None:
        return None
    return (a or Decimal(0)) - (b or Decimal(0))


# --- Financial resources (sect. III.A) -------------------------------------------------


@dataclass
class FinancialRow:
    """One printed row: a class with its two entered or computed columns and the variance."""

    cls: Any
    apportionment: Decimal | None
    expenditure: Decimal | None
    line: Any = None  # the stored FinancialLine of an entered class, if any
    needs_analysis: bool = False

    @property
    def kind(self) -> str:
        return self.cls.kind

    @property
    def variance(self) -> Decimal | None:
        return subtract(self.apportionment, self.expenditure)

    @property
    def percent(self) -> Decimal | None:
        return percentage(self.variance, self.apportionment)

    @property
    def is_nil(self) -> bool:
        return self.apportionment is None and self.expenditure is None

    @property
    def heading(self) -> str:
        """The variance-analysis heading: `公务差旅 287.2 90.1%`, `本国工作人员 (911.0) (8.9%)`."""
        return variance_heading(self.cls.name, self.variance, self.percent)


@dataclass
class FinancialTable:
    rows: list[FinancialRow]  # the detailed table, in document order
    summary: list[FinancialRow]  # groups and top-level classes, then the closing rows
    threshold_percent: Decimal
    threshold_usd: Decimal

    def row(self, code: str) -> FinancialRow | None:
        return next((r for r in self.rows if r.cls.code == code), None)

    def first(self, kind: str) -> FinancialRow | None:
        return next((r for r in self.rows if r.kind == kind), None)

    @property
    def gross(self) -> FinancialRow | None:
        return self.first(Kind.GROSS)

    @property
    def analysed(self) -> list[FinancialRow]:
        return [r for r in self.rows if r.needs_analysis]

    @property
    def utilisation(self) -> Decimal | None:
        """Resource utilisation = gross expenditure ÷ gross apportionment (UNMIK 99.6 %)."""
        gross = self.gross
        return percentage(gross.expenditure, gross.apportionment) if gross else None

    @property
    def unencumbered_balance(self) -> Decimal | None:
        """Thousands of dollars left over: the gross variance (sect. V (a): 144.5 → US$144 500)."""
        gross = self.gross
        return gross.variance if gross else None


def needs_analysis(row: FinancialRow, *, threshold_percent: Decimal, threshold_usd: Decimal) -> bool:
    """Whether the variance of a row must be explained (sect. IV, footnote 1).

    Only classes are analysed, never groups, subtotals, totals, staff assessment, in-kind,
    memo or nil lines. A class is analysed at ±threshold % OR ±threshold US$; amounts are
    compared in dollars (thousands × 1 000) and the percentage as printed (one decimal):
    UNMIK international staff is analysed at 3.6 % because 704.4 thousand ≥ US$100 000.
    """
    if row.kind != Kind.LINE or row.is_nil:
        return False
    variance = row.variance
    if variance is None or variance == 0:
        return False
    percent = row.percent
    if percent is not None and abs(percent) >= threshold_percent:
        return True
    return abs(variance) * THOUSAND >= threshold_usd


def financial_table(
    *,
    classes: Sequence[Any],
    amounts: Mapping[int, tuple[Decimal | None, Decimal | None]],
    threshold_percent: Decimal,
    threshold_usd: Decimal,
    lines: Mapping[int, Any] | None = None,
) -> FinancialTable:
    """Build the detailed and summary tables from the class list and the entered amounts.

    `amounts` maps a class id to (apportionment, expenditure) for entered classes; classes
    without an entry are nil. `lines` maps a class id to its stored line (for edit links).
    """
    lines = lines or {}
    entered = {c.id: amounts.get(c.id, (None, None)) for c in classes if c.kind in Kind.ENTERED}

    def column(index: int, predicate) -> Decimal | None:
        return add(*(entered[c.id][index] for c in classes if c.id in entered and predicate(c)))

    def counted(c) -> bool:
        return c.kind == Kind.LINE and c.in_totals

    computed: dict[int, tuple[Decimal | None, Decimal | None]] = {}
    for c in classes:
        if c.kind == Kind.GROUP:
            computed[c.id] = tuple(column(i, lambda x, g=c.id: counted(x) and x.parent_id == g) for i in (0, 1))
    gross = tuple(column(i, counted) for i in (0, 1))
    staff_assessment = tuple(column(i, lambda x: x.kind == Kind.STAFF_ASSESSMENT) for i in (0, 1))
    in_kind = tuple(column(i, lambda x: x.kind == Kind.IN_KIND) for i in (0, 1))
    closing = {
        Kind.GROSS: gross,
        Kind.NET: tuple(None if g is None else subtract(g, s) for g, s in zip(gross, staff_assessment)),
        Kind.TOTAL: tuple(add(g, k) for g, k in zip(gross, in_kind)),
    }

    rows: list[FinancialRow] = []
    above: list[Any] = []  # the classes printed so far, for a cumulative total
    for c in classes:
        if c.id in entered:
            values = entered[c.id]
        elif c.kind == Kind.CUMULATIVE:
            seen = {x.id for x in above}
            values = tuple(column(i, lambda x, seen=seen: counted(x) and x.id in seen) for i in (0, 1))
        elif c.kind == Kind.SUBTOTAL:
            values = computed.get(c.parent_id, (None, None))
        elif c.kind in closing:
            values = closing[c.kind]
        else:  # a group heading carries its subtotal for the summary table
            values = computed.get(c.id, (None, None))
        row = FinancialRow(cls=c, apportionment=values[0], expenditure=values[1], line=lines.get(c.id))
        row.needs_analysis = needs_analysis(row, threshold_percent=threshold_percent, threshold_usd=threshold_usd)
        rows.append(row)
        above.append(c)

    # The summary rows as the list groups them: a group is one row, unless the list prints its
    # classes one by one (企业资源规划, 全球服务提供模式 …); cumulative totals and closing rows follow.
    listed = {c.id for c in classes if c.kind == Kind.GROUP and getattr(c, "summary_lines", False)}
    summary = [
        r for r in rows
        if (r.kind == Kind.GROUP and r.cls.id not in listed)
        or (r.kind == Kind.LINE and (r.cls.parent_id is None or r.cls.parent_id in listed))
        or r.kind in Kind.CLOSING or r.kind == Kind.CUMULATIVE
    ]
    return FinancialTable(rows=rows, summary=summary, threshold_percent=threshold_percent, threshold_usd=threshold_usd)


# --- Resources by department/office (A/76/596) ------------------------------------------------


@dataclass
class UnitResourceTable:
    """Apportionment, expenditure and variance by department/office (or component), and the total."""

    rows: list[FinancialRow]
    total: FinancialRow
    gross: FinancialRow | None = None  # the class table's gross requirements, to compare with

    @property
    def has_data(self) -> bool:
        return any(not row.is_nil for row in self.rows)

    @property
    def differs_from_classes(self) -> bool:
        """Whether the total differs from the class table's gross requirements (a warning, not an error)."""
        if not self.has_data or self.gross is None:
            return False
        return (self.total.apportionment, self.total.expenditure) != (self.gross.apportionment, self.gross.expenditure)


def unit_resource_table(*, units: Sequence[Any], amounts: Mapping[int, tuple[Decimal | None, Decimal | None]],
                        gross: FinancialRow | None = None, lines: Mapping[int, Any] | None = None) -> UnitResourceTable:
    """The by-unit table: each unit's variance as a class row's, and their total.

    `units` are unit-like objects (id, name); `amounts` maps a unit id to (apportionment, expenditure).
    """
    lines = lines or {}
    rows = [FinancialRow(cls=unit, apportionment=amounts.get(unit.id, (None, None))[0],
                         expenditure=amounts.get(unit.id, (None, None))[1], line=lines.get(unit.id)) for unit in units]
    total = FinancialRow(cls=None, apportionment=add(*(r.apportionment for r in rows)), expenditure=add(*(r.expenditure for r in rows)))
    return UnitResourceTable(rows=rows, total=total, gross=gross)


def variance_heading(name: str, variance: Decimal | None, percent: Decimal | None) -> str:
    """`公务差旅 287.2 90.1%`: the class, the amount and the percentage with its sign."""
    return f"{name} {format_number(variance)} {format_percent(percent, sign=True)}"


def explanation_opening(variance: Decimal | None) -> str:
    """The words a variance explanation opens with, chosen from the sign, in the page's language.

    Positive variance is under-expenditure (reduced requirements); negative is over-expenditure.
    """
    from django.utils.translation import gettext as _

    if variance is not None and variance < 0:
        return _("Increased requirements were attributable mainly to")
    return _("Reduced requirements were attributable mainly to")


# The openings as the Chinese documents print them (A/76/525 sect. IV), recognised even
# before the translation catalogue carries them.
DOCUMENT_OPENINGS = ("所需经费减少的主要原因是：", "所需经费增加的主要原因是：")


def explanation_openings() -> set[str]:
    """Both openings in every language, so an explanation holding only the opening counts as missing."""
    from django.conf import settings
    from django.utils.translation import override

    openings = set(DOCUMENT_OPENINGS)
    for code, _name in settings.LANGUAGES:
        with override(code):
            openings.add(explanation_opening(Decimal(1)).strip())
            openings.add(explanation_opening(Decimal(-1)).strip())
    return openings


def explanation_is_blank(main: str | None) -> bool:
    text = (main or "").strip().rstrip(":：").strip()
    return not text or text in {o.rstrip(":：").strip() for o in explanation_openings()}


# --- Redeployment across groups (sect. III.B) -----------------------------------------


@dataclass
class RedeploymentRow:
    category: Any
    original: Decimal | None
    redeployment: Decimal | None
    item: Any = None
    number: str = ""

    @property
    def revised(self) -> Decimal | None:
        return add(self.original, self.redeployment)


@dataclass
class RedeploymentTable:
    rows: list[RedeploymentRow]

    @property
    def total_original(self) -> Decimal | None:
        return add(*(r.original for r in self.rows))

    @property
    def total_redeployment(self) -> Decimal | None:
        return add(*(r.redeployment for r in self.rows))

    @property
    def total_revised(self) -> Decimal | None:
        return add(*(r.revised for r in self.rows))

    @property
    def percent_of_appropriation(self) -> Decimal | None:
        """Σ amounts moved in ÷ total appropriation × 100 (UNMIK 216.6 ÷ 39 827.3 → 0.5)."""
        moved = add(*(r.redeployment for r in self.rows if r.redeployment is not None and r.redeployment > 0))
        if moved is None:
            return None
        return percentage(moved, self.total_original)


# --- Human resources incumbency (summary table) ----------------------------------------


def vacancy_rate_from_average(authorized: Decimal | None, actual_average: Decimal | None) -> Decimal | None:
    """(authorized − actual average) ÷ authorized × 100, half-up at one decimal."""
    if authorized is None or actual_average is None:
        return None
    return percentage(authorized - actual_average, authorized)


def vacancy_rate_from_months(months: Iterable[tuple[Decimal | None, Decimal | None]]) -> Decimal | None:
    """Mean of the monthly rates (authorized − incumbent) ÷ authorized, rounded once at the end.

    Months without an authorized strength have no rate and are left out of the mean.
    """
    rates = [(a - i) * HUNDRED / a for a, i in months if a is not None and i is not None and a != 0]
    if not rates:
        return None
    return round1(sum(rates, Decimal(0)) / len(rates))


def vacancy_rate(
    *, method: str, authorized: Decimal | None, actual_average: Decimal | None,
    months: Iterable[tuple[Decimal | None, Decimal | None]] = (), entered: Decimal | None = None,
) -> Decimal | None:
    """The vacancy rate by the row's recorded method (average, monthly or entered)."""
    if method == "entered":
        return None if entered is None else round1(entered)
    if method == "monthly":
        return vacancy_rate_from_months(months)
    return vacancy_rate_from_average(authorized, actual_average)


# --- Monthly expenditure pattern (sect. III.C) -----------------------------------------


def period_months(start: datetime.date) -> list[datetime.date]:
    """The first day of each of the 12 months of a period starting at `start`."""
    months = []
    year, month = start.year, start.month
    for _ in range(12):
        months.append(datetime.date(year, month, 1))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return months


@dataclass(frozen=True)
class Bar:
    x: Decimal
    y: Decimal
    width: Decimal
    height: Decimal
    label: str
    value: str

    @property
    def center(self) -> Decimal:
        return self.x + self.width / 2

    @property
    def value_y(self) -> Decimal:
        return self.y - 3


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    baseline: Decimal = Decimal(0)

    @property
    def label_y(self) -> Decimal:
        return self.baseline + 16

    @property
    def has_data(self) -> bool:
        return any(bar.value != "—" for bar in self.bars)


def bar_chart(values: Sequence[Decimal | None], labels: Sequence[str], *, width: int = 600, height: int = 200) -> Chart:
    """Geometry of a plain SVG bar chart (no script): one bar per month, scaled to the largest.

    Negative months (refunds) are drawn from zero upwards by their magnitude, as is the largest.
    """
    chart = Chart(width=width, height=height)
    top, bottom = Decimal(10), Decimal(24)  # room for the value above and the month below
    plot = Decimal(height) - top - bottom
    chart.baseline = Decimal(height) - bottom
    largest = max((abs(v) for v in values if v is not None), default=Decimal(0))
    slot = Decimal(width) / max(len(values), 1)
    for index, (value, label) in enumerate(zip(values, labels)):
        bar_height = Decimal(0) if not value or not largest else (abs(value) * plot / largest).quantize(Decimal("0.1"))
        chart.bars.append(Bar(
            x=(slot * index + slot / 10).quantize(Decimal("0.1")),
            y=(chart.baseline - bar_height).quantize(Decimal("0.1")),
            width=(slot * 8 / 10).quantize(Decimal("0.1")),
            height=bar_height,
            label=label,
            value=format_number(value),
        ))
    return chart
