"""Data shipped with the missions app: the class lists per report type and the UNMIK demo figures.

The project never reads /work/shared at run time; these files are copies kept in the app.
Nothing here imports models, so migrations can call `install_class_lists` with their
historical models and the rest of the code with the real ones.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
CLASS_LISTS_FILE = DATA_DIR / "resource_lists.json"
UNMIK_DEMO_FILE = DATA_DIR / "unmik-2020-21-resources.json"


@lru_cache(maxsize=4)
def load_json(path: Path) -> dict:
    """Read a data file once; numbers come back as Decimal, never float."""
    with open(path, encoding="utf-8") as handle:
        return json.load(handle, parse_float=Decimal)


def class_lists() -> dict:
    return load_json(CLASS_LISTS_FILE)


def revenue_line_defaults(report_type_code: str) -> list[dict]:
    """The other-revenue and non-budgeted lines a new report of this type starts with."""
    data = class_lists()
    key = data["report_types"].get(report_type_code, {}).get("revenue_lines", "default")
    return data["revenue_lines"].get(key, data["revenue_lines"]["default"])


def install_class_lists(*, ReportType, FinancialClass, StaffCategory) -> None:  # noqa: N803 (model classes)
    """Create or update the shipped report types' class lists; idempotent.

    Report types are found by code and only created when missing, so thresholds an
    administrator changed are kept (another importer get_or_creates them the same way).
    Classes are matched by (report type, code): names, kinds and order follow the file;
    classes an administrator added are left alone.
    """
    for type_code, spec in class_lists()["report_types"].items():
        defaults = dict(spec["defaults"])
        defaults["variance_threshold_percent"] = Decimal(defaults["variance_threshold_percent"])
        defaults["variance_threshold_usd"] = Decimal(defaults["variance_threshold_usd"])
        report_type, _ = ReportType.objects.get_or_create(code=type_code, defaults=defaults)
        _install_tree(FinancialClass, report_type, spec["financial_classes"], with_totals=True)
        _install_tree(StaffCategory, report_type, spec["staff_categories"], with_totals=False)


def _install_tree(model, report_type, items: list[dict], *, with_totals: bool) -> None:
    by_code = {}
    for order, item in enumerate(items, start=1):
        defaults = {
            "name_en": item["name_en"],
            "name_zh": item["name_zh"],
            "kind": item["kind"],
            "order": order * 10,
            "parent": by_code[item["parent"]] if item.get("parent") else None,
        }
        if with_totals:
            defaults["in_totals"] = item.get("in_totals", True)
            if any(f.name == "summary_lines" for f in model._meta.get_fields()):
                defaults["summary_lines"] = item.get("summary_lines", False)
        # The shipped lists are the report types' base lists (no period); before the migration
        # that added periods, the historical models have no such field.
        scope = {"period": None} if any(f.name == "period" for f in model._meta.get_fields()) else {}
        obj, _ = model.objects.update_or_create(report_type=report_type, code=item["code"], **scope, defaults=defaults)
        by_code[item["code"]] = obj
