"""Exact decimal arithmetic and the UN print formats (domain.md §6).

Everything that turns a number into the text of a UN table goes through this module: the
HTML pages, the generated documents and the API's formatted strings, so the two languages
and every format print the same figures.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ONE_PLACE = Decimal("0.1")
HUNDRED = Decimal(100)
EM_DASH = "—"

# Largest magnitude we accept from a person or a file: far above any UN budget figure in
# thousands of dollars, far below where Decimal arithmetic gets slow or a column overflows.
MAX_ABS = Decimal("1e15")


class NumberError(ValueError):
    """Input that is not a number we accept; `code` is stable, the message translatable."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


def _messages():
    # Imported lazily so that this module works without Django settings (plain unit tests).
    from django.utils.translation import gettext as _

    return _


_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_PLAIN = re.compile(r"^-?(\d+(\.\d+)?|\.\d+)$")
_GROUPED_COMMA = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")


def normalise_number_text(text: str) -> str:
    """Fold full-width characters, spaces and thousands commas into a plain number string."""
    text = unicodedata.normalize("NFKC", str(text)).strip()
    # NFKC turns full-width digits, '％' and '，' into ASCII; '−' (minus sign) is not folded.
    text = text.replace("\u2212", "-").replace("\u2013", "-")
    text = _SPACES.sub("", text)
    if text.startswith("(") and text.endswith(")"):
        text = "-" + text[1:-1]
    if _GROUPED_COMMA.match(text):
        text = text.replace(",", "")
    return text


def parse_decimal(text: str | int | Decimal, *, allow_percent: bool = True) -> Decimal:
    """Parse a number as people type it: `1 234`, `1,234`, `１２３４`, `12.5%`, `(216.3)`.

    Raise NumberError for anything else (`12.3.4`, `1e309`, `NaN`, words).
    """
    if isinstance(text, Decimal):
        value = text
        if not value.is_finite():
            raise NumberError(_messages()("Enter a finite number."), "not_finite")
    elif isinstance(text, int):
        value = Decimal(text)
    else:
        _ = _messages()
        raw = normalise_number_text(text)
        if raw == "":
            raise NumberError(_("Enter a number."), "empty")
        if allow_percent and raw.endswith("%"):
            raw = raw[:-1]
        if not _PLAIN.match(raw):
            raise NumberError(_("“%(value)s” is not a number.") % {"value": str(text)[:50]}, "invalid")
        value = Decimal(raw)
    if value.copy_abs() >= MAX_ABS:
        raise NumberError(_messages()("This number is too large."), "too_large")
    if value == 0:
        value = abs(value)  # '-0' is zero
    return value


def round1(value: Decimal) -> Decimal:
    """Round half-up to one decimal place, as the UN documents print."""
    return value.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def percentage(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """numerator ÷ denominator × 100, half-up at one decimal; None when undefined."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    try:
        return round1(Decimal(numerator) * HUNDRED / Decimal(denominator))
    except InvalidOperation:
        return None


def _group_thousands(digits: str) -> str:
    head, _, tail = digits.partition(".")
    groups = []
    while len(head) > 3:
        groups.insert(0, head[-3:])
        head = head[:-3]
    groups.insert(0, head)
    grouped = " ".join(groups)
    return f"{grouped}.{tail}" if tail else grouped


def format_number(
    value: Decimal | int | None, *, places: int | None = 1, nil: str = EM_DASH, zero_as_nil: bool = True
) -> str:
    """Print as in UN tables: `30 745.2`, `(216.3)`, `—` for nil or zero.

    places=None prints the value as stored. zero_as_nil=False prints zero (a delivery ratio of 0.0).
    """
    if value is None:
        return nil
    value = Decimal(value)
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if value == 0:
        return nil if zero_as_nil else format(value.copy_abs(), "f")
    text = _group_thousands(format(value.copy_abs(), "f"))
    return f"({text})" if value < 0 else text


def format_percent(value: Decimal | None, *, sign: bool = False, nil: str = EM_DASH) -> str:
    """Print a percentage: `(8.9)` in tables, `(8.9%)` with sign=True (variance headings)."""
    if value is None:
        return nil
    value = round1(Decimal(value))
    if value == 0:
        return nil
    text = _group_thousands(format(value.copy_abs(), "f")) + ("%" if sign else "")
    return f"({text})" if value < 0 else text


def format_count(value: Decimal | int | None, *, nil: str = EM_DASH) -> str:
    """Print a count or a quantity as entered: `3 514`, `0.55`; `0` stays `0`."""
    if value is None:
        return nil
    value = Decimal(value)
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    else:
        # Stored with four places (0.3000); printed as written (0.3), whatever the format.
        value = value.normalize()
    text = _group_thousands(format(value.copy_abs(), "f"))
    return f"-{text}" if value < 0 else text


def format_dollars(value_thousands: Decimal | None) -> str:
    """Thousands of dollars as full dollars, as in section V: 144.5 → `144 500`."""
    if value_thousands is None:
        return EM_DASH
    return format_count((Decimal(value_thousands) * 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))
