"""Parse the figures printed in indicator cells: `574`, `37.8%`, `10%±3%`, `≤ 48`, `不适用`.

A figure is kept as printed (content is stored as written) and parsed once into a value, a
comparator and a tolerance, so rules and exports never re-read the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from .numbers import NumberError, parse_decimal

NOT_APPLICABLE_TOKENS = {"不适用", "n/a", "na", "not applicable", "无", "—", "-", "–"}


class Comparator:
    EQ = "eq"
    LE = "le"
    GE = "ge"
    LT = "lt"
    GT = "gt"
    BAND = "band"
    CHOICES = [EQ, LE, GE, LT, GT, BAND]


_PREFIX = {
    "≤": Comparator.LE, "<=": Comparator.LE, "≥": Comparator.GE, ">=": Comparator.GE,
    "<": Comparator.LT, ">": Comparator.GT, "至多": Comparator.LE, "至少": Comparator.GE,
}
_BAND = re.compile(r"^(?P<value>[^±]+?)\s*(±|\+/-)\s*(?P<tol>[^±]+)$")
_RATIO = re.compile(r"^(?P<value>[\d\s.,]+)\s*/\s*(?P<of>[\d\s.,]+)$")
_NUMBER_IN_TEXT = re.compile(r"\d[\d\u00a0 ,]*(?:\.\d+)?")


@dataclass(frozen=True)
class Figure:
    printed: str
    value: Decimal | None = None
    comparator: str = ""
    tolerance: Decimal | None = None
    percent: bool = False
    not_applicable: bool = False
    values: tuple[Decimal, ...] = field(default_factory=tuple)

    @property
    def is_numeric(self) -> bool:
        return self.value is not None

    @property
    def is_qualitative(self) -> bool:
        return bool(self.printed) and not self.not_applicable and self.value is None and not self.values


def parse_figure(printed: str | None) -> Figure:
    """Parse a printed figure; never raises: text that is not a number is qualitative."""
    text = (printed or "").strip()
    if not text:
        return Figure(printed="")
    folded = unicodedata.normalize("NFKC", text).strip()
    if folded.lower() in NOT_APPLICABLE_TOKENS:
        return Figure(printed=text, not_applicable=True)

    comparator = Comparator.EQ
    for prefix, comp in _PREFIX.items():
        if folded.startswith(prefix):
            comparator = comp
            folded = folded[len(prefix):].strip()
            break

    percent = "%" in folded
    band = _BAND.match(folded)
    try:
        if band:
            value = parse_decimal(band["value"])
            tolerance = parse_decimal(band["tol"])
            return Figure(text, value, Comparator.BAND, tolerance, percent, values=(value,))
        ratio = _RATIO.match(folded)
        if ratio:
            value = parse_decimal(ratio["value"])
            return Figure(text, value, comparator, None, percent, values=(value,))
        value = parse_decimal(folded)
        return Figure(text, value, comparator, None, percent, values=(value,))
    except NumberError:
        pass
    # Several figures in one cell (`24%; 23%; 37%`, `180; 841`): keep them all, no single value.
    parts = [p for p in re.split(r"[;；,，、]\s*", folded) if p.strip()]
    if len(parts) > 1:
        try:
            values = tuple(parse_decimal(p) for p in parts)
            return Figure(text, None, "", None, percent, values=values)
        except NumberError:
            pass
    return Figure(printed=text)


def parse_values(printed: str | None) -> tuple[Decimal, ...]:
    """Return every number of a cell that holds one or several figures."""
    return parse_figure(printed).values
