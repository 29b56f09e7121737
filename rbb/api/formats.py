"""How the API writes decimals and labels into its values (not the UN print formats: rbb.lib.numbers)."""

from __future__ import annotations

import re
from decimal import Decimal


def plain_decimal(value: Decimal | None) -> str | None:
    """A decimal as a plain string, no grouping, exponent or trailing zeros: `574`, `37.8`, `0.55`."""
    if value is None:
        return None
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def label_slug(label: str) -> str:
    """A period label for file names and identifiers: `2020/21` → `2020-21`."""
    return re.sub(r"[^0-9A-Za-z]+", "-", label).strip("-")
