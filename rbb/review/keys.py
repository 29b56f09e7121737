"""Stable names of framework items, so comments and snapshots outlive a re-import.

Importing a framework again replaces its rows (new ids), but not its numbering: the unit
number, the expected accomplishment's number and the item's number name the same item. The
headquarters letter (a) repeats across units, so the unit is part of the key.
"""

from __future__ import annotations

from indicators.models import Indicator, Output

SEPARATOR = "|"


def item_kind(item: Indicator | Output) -> str:
    return "indicator" if isinstance(item, Indicator) else "output"


def item_key(item: Indicator | Output, *, unit_number: str | None = None, ea_number: str | None = None) -> str:
    """`1|1.1|indicator|1.1.1`, `I|(a)|output|2`, `I||output|2` for a unit's own output (headquarters).

    Pass the numbers when the relations are not loaded.
    """
    if unit_number is None or ea_number is None:
        if isinstance(item, Output):
            unit_number = item.unit.number
            ea_number = item.accomplishment.number if item.accomplishment_id else ""
        else:
            ea = item.accomplishment
            unit_number, ea_number = ea.unit.number, ea.number
    return SEPARATOR.join((unit_number, ea_number, item_kind(item), item.number))
