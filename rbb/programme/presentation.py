"""What a programme plan's overview and the report home show: progress per subprogramme and flags."""

from __future__ import annotations

from missions.models import Report

from . import rules
from .flags import report_flags
from .selectors import programme_subprogrammes


def programme_home(*, report: Report) -> dict:
    """Per subprogramme: deliverables complete of total and its flags; the report's progress and flags."""
    subprogrammes = list(programme_subprogrammes(report=report))
    flags = report_flags(report=report, subprogrammes=subprogrammes)
    rows = []
    for sp in subprogrammes:
        items = [d for sub in sp.subcategories.all() for d in sub.deliverables.all()]
        rows.append({
            "sp": sp,
            "total": len(items),
            "done": sum(rules.deliverable_state(d).done for d in items),
            "flags": [f for f in flags if f.subprogramme == sp.number],
        })
    return {
        "rows": rows,
        "flags": flags,
        "progress": {"done": sum(r["done"] for r in rows), "total": sum(r["total"] for r in rows)},
    }
