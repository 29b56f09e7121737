"""A programme plan as one JSON document: export it, validate it, import it.

The format is documented in docs/programme-interchange.md and described by
rbb/programme/schema/programme.schema.json (copied to docs/). Printed values travel as
printed strings ("17", "—", "984.8"); totals, changes and percentages are not in the file:
they are computed. A subcategory may carry the totals a source document printed
(`printed_totals`), kept to be compared with the computed ones.

`manage.py export_framework DPPA 2024` and `import_framework FILE` reach this module through
indicators.interchange's shape registry (rbb.programme.apps).
"""

from __future__ import annotations

import functools
import json
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator

from indicators.interchange import FrameworkError, FrameworkInvalid, _schema_error_messages
from missions.models import BudgetPeriod, Mission, Report, ReportType
from rbb.exceptions import ReportLocked
from rbb.lib.numbers import NumberError, parse_decimal

from . import rules
from .models import (
    deliverable_categories,
    DeliverableCategory,
    Deliverable,
    DeliverableSubcategory,
    Mandate,
    MeasureCell,
    NarrativeDeliverable,
    PlanItem,
    PostGrade,
    ResourceLine,
    ResourceParagraph,
    Result,
    ResultParagraph,
    Subprogramme,
)
from .selectors import programme_counts, programme_subprogrammes

FORMAT_VERSION = 1
SHAPE = ReportType.Shape.PROGRAMME_PLAN
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "programme.schema.json"
AMOUNT_PATTERN = "^-?[0-9]{1,12}(\\.[0-9])?$"
RESOURCE_FIELDS = ("expenditure", "appropriation", "technical_adjustments", "new_mandates", "other_changes")


# Export -----------------------------------------------------------------------------------


def programme_export(*, report: Report) -> dict:
    """Return the report's programme plan as an interchange document, keys in a fixed order."""
    mission, period = report.mission, report.period
    return {
        "format_version": FORMAT_VERSION,
        "entity": {
            "code": mission.code,
            "name_en": mission.name_en,
            "name_zh": mission.name_zh,
            "short_name_en": mission.short_name_en,
            "short_name_zh": mission.short_name_zh,
        },
        "period": {
            "label": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "kind": period.kind,
        },
        "report_type": {
            "code": report.report_type.code,
            "shape": report.report_type.shape,
            "name_en": report.report_type.name_en,
            "name_zh": report.report_type.name_zh,
        },
        "report": {
            "symbol": report.symbol,
            "due_date": report.due_date.isoformat() if report.due_date else None,
        },
        "subprogrammes": [_subprogramme_export(sp) for sp in programme_subprogrammes(report=report)],
    }


def programme_dumps(document: dict) -> str:
    """Serialise a document the one way the commands write it, so exports compare byte for byte."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _amount(value: Decimal | None, *, places: int) -> str | None:
    if value is None:
        return None
    return str(value.quantize(Decimal(1).scaleb(-places)))


def _subprogramme_export(sp: Subprogramme) -> dict:
    groups: list[dict] = []
    for mandate in sp.mandates.all():
        if not groups or groups[-1]["body"] != mandate.body or groups[-1]["body_en"] != mandate.body_en:
            groups.append({"body": mandate.body, "body_en": mandate.body_en, "items": []})
        groups[-1]["items"].append({"symbol": mandate.symbol, "title": mandate.title, "title_en": mandate.title_en})
    items = list(sp.plan_items.all())

    def lettered(kind):
        return [{"label": i.label, "text": i.text, "text_en": i.text_en} for i in items if i.kind == kind]

    results = list(sp.results.all())
    performance = next((r for r in results if r.kind == Result.Kind.PERFORMANCE), None)
    categories = []
    subcategories = list(sp.subcategories.all())
    narratives = list(sp.narrative_deliverables.all())
    for code in sorted({s.category.code for s in subcategories} | {n.category.code for n in narratives}):
        categories.append({
            "code": code,
            "subcategories": [_subcategory_export(s) for s in subcategories if s.category.code == code],
            "narrative": [
                {"subcategory": n.subcategory, "subcategory_en": n.subcategory_en, "text": n.text, "text_en": n.text_en}
                for n in narratives if n.category.code == code
            ],
        })
    lines = list(sp.resource_lines.all())
    return {
        "number": sp.number,
        "lineage": str(sp.lineage),
        "title": sp.title,
        "title_en": sp.title_en,
        "mandates": {"paragraph": sp.mandates_paragraph, "groups": groups},
        "objective": {"paragraph": sp.objective_paragraph, "text": sp.objective, "text_en": sp.objective_en},
        "strategy": {
            "paragraph": sp.strategy_paragraph, "lead_in": sp.strategy_lead_in, "lead_in_en": sp.strategy_lead_in_en,
            "items": lettered(PlanItem.Kind.STRATEGY),
        },
        "expected_results": {
            "paragraph": sp.results_paragraph, "lead_in": sp.results_lead_in, "lead_in_en": sp.results_lead_in_en,
            "items": lettered(PlanItem.Kind.EXPECTED_RESULT),
        },
        "performance": _result_export(performance) if performance else None,
        "planned_results": [_result_export(r) for r in results if r.kind == Result.Kind.PLANNED],
        "deliverables": {
            "paragraph": sp.deliverables_paragraph,
            "intro": sp.deliverables_intro,
            "intro_en": sp.deliverables_intro_en,
            "table_number": sp.deliverables_table_number,
            "categories": categories,
        },
        "resources": {
            "table_number": sp.resources_table_number,
            "paragraphs": [
                {"number": p.number, "heading": p.heading, "heading_en": p.heading_en, "text": p.text, "text_en": p.text_en}
                for p in sp.resource_paragraphs.all()
            ],
            "financial": [_line_export(line, places=1) for line in lines if line.section == ResourceLine.Section.FINANCIAL],
            "posts": [_line_export(line, places=0) for line in lines if line.section == ResourceLine.Section.POSTS],
            "posts_by_grade": [{"grade": g.grade, "count": g.count} for g in sp.post_grades.all()],
        },
    }


def _result_export(result: Result) -> dict:
    rows: dict[int, list] = {}
    for cell in result.cells.all():
        rows.setdefault(cell.row, []).append(
            {"year": cell.year, "kind": cell.kind, "text": cell.text, "text_en": cell.text_en}
        )
    return {
        "number": result.number,
        "lineage": str(result.lineage),
        "title": result.title,
        "title_en": result.title_en,
        "subheading": result.subheading,
        "subheading_en": result.subheading_en,
        "is_new": result.is_new,
        "attainment": result.attainment or None,
        "attainment_phrase": result.attainment_phrase,
        "paragraphs": [
            {"part": p.part, "number": p.number, "text": p.text, "text_en": p.text_en} for p in result.paragraphs.all()
        ],
        "measure": {
            "number": result.measure_number,
            "presentation": result.measure_presentation,
            "title": result.measure_title,
            "title_en": result.measure_title_en,
            "rows": [rows[key] for key in sorted(rows)],
        },
    }


def _subcategory_export(sub: DeliverableSubcategory) -> dict:
    return {
        "lineage": str(sub.lineage),
        "name": sub.name,
        "name_en": sub.name_en,
        "unit": sub.unit,
        "unit_en": sub.unit_en,
        "printed_totals": {column: sub.printed_totals[column] for column in rules.COLUMNS if column in sub.printed_totals}
        or None,
        "items": [
            {
                "number": d.number,
                "lineage": str(d.lineage),
                "description": d.description,
                "description_en": d.description_en,
                **{column: getattr(d, column) for column in rules.COLUMNS},
                "explanation": d.explanation,
                "explanation_en": d.explanation_en,
            }
            for d in sub.deliverables.all()
        ],
    }


def _line_export(line: ResourceLine, *, places: int) -> dict:
    return {
        "label": line.label,
        "label_en": line.label_en,
        **{name: _amount(getattr(line, name), places=places) for name in RESOURCE_FIELDS},
    }


# Validation -------------------------------------------------------------------------------


@functools.cache
def _schema_validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def programme_validate(*, data) -> list[FrameworkError]:
    """Every error of the document: its shape (JSON Schema), then its content, each with its path."""
    errors: list[FrameworkError] = []
    seen: set[str] = set()
    for error in _schema_validator().iter_errors(data):
        if error.validator == "pattern" and error.validator_value == AMOUNT_PATTERN:
            found = FrameworkError(error.json_path, _("Enter a number with at most one decimal place and no spaces, such as 4106.8, or null."), "not_a_number")
            if found.path not in seen:
                seen.add(found.path)
                errors.append(found)
            continue
        for found in _schema_error_messages(error):
            if found.path not in seen:
                seen.add(found.path)
                errors.append(found)
    if errors:
        # Content checks read the shape the schema guarantees; a wrong shape is reported first.
        return errors
    return _content_errors(data)


def _content_errors(data: dict) -> list[FrameworkError]:
    errors: list[FrameworkError] = []

    def add(path, message, code):
        errors.append(FrameworkError(path, message, code))

    period = data["period"]
    try:
        start, end = date.fromisoformat(period["start"]), date.fromisoformat(period["end"])
        if start >= end:
            add("$.period.end", _("The period must end after it starts."), "period_order")
    except ValueError:
        add("$.period.start", _("Enter a date as YYYY-MM-DD."), "invalid_date")
    try:
        plan_year = int(period["label"])
    except ValueError:
        plan_year = None
        add("$.period.label", _("A programme plan's period is a calendar year, such as 2024."), "not_a_year")
    numbers: set[int] = set()
    for s, sp in enumerate(data["subprogrammes"]):
        base = f"$.subprogrammes[{s}]"
        if sp["number"] in numbers:
            add(f"{base}.number", _("Subprogramme %(number)s appears twice.") % {"number": sp["number"]}, "duplicate")
        numbers.add(sp["number"])
        results = ([("performance", sp["performance"])] if sp["performance"] else []) + [
            (f"planned_results[{r}]", result) for r, result in enumerate(sp["planned_results"])
        ]
        for where, result in results:
            for r, row in enumerate(result["measure"]["rows"]):
                keys = set()
                for c, cell in enumerate(row):
                    key = (cell["year"], cell["kind"])
                    path = f"{base}.{where}.measure.rows[{r}][{c}]"
                    if key in keys:
                        add(path, _("The year %(year)s (%(kind)s) appears twice in the row.") % {"year": cell["year"], "kind": cell["kind"]}, "duplicate")
                    keys.add(key)
                    if plan_year and not plan_year - 4 <= cell["year"] <= plan_year:
                        add(f"{path}.year", _("A measure covers the five years up to the plan year."), "year_out_of_range")
        codes, items = [], set()
        for c, category in enumerate(sp["deliverables"]["categories"]):
            cpath = f"{base}.deliverables.categories[{c}]"
            if category["code"] in codes:
                add(f"{cpath}.code", _("Category %(code)s appears twice.") % {"code": category["code"]}, "duplicate")
            codes.append(category["code"])
            for u, sub in enumerate(category["subcategories"]):
                upath = f"{cpath}.subcategories[{u}]"
                for column, printed in (sub["printed_totals"] or {}).items():
                    if not rules.is_count(printed):
                        add(f"{upath}.printed_totals.{column}", _("Enter a number or — for nil."), "not_a_count")
                for i, item in enumerate(sub["items"]):
                    ipath = f"{upath}.items[{i}]"
                    if item["number"] in items:
                        add(f"{ipath}.number", _("Deliverable %(number)s appears twice.") % {"number": item["number"]}, "duplicate")
                    items.add(item["number"])
                    for column in rules.COLUMNS:
                        if not rules.is_count(item[column]):
                            add(f"{ipath}.{column}", _("Enter a number or — for nil."), "not_a_count")
        if codes != sorted(codes):
            add(f"{base}.deliverables.categories", _("List the categories in their order, A to D."), "category_order")
        for section in ("financial", "posts"):
            for i, line in enumerate(sp["resources"][section]):
                for name in RESOURCE_FIELDS:
                    if line[name] is None:
                        continue
                    try:
                        parse_decimal(line[name], allow_percent=False)
                    except NumberError as error:
                        add(f"{base}.resources.{section}[{i}].{name}", str(error), "not_a_number")
    return errors


# Import -----------------------------------------------------------------------------------


def programme_import(*, data, user=None) -> Report:
    """Create or replace a department's programme plan from an interchange document.

    All or nothing: FrameworkInvalid lists every error with its JSON path and nothing is
    written. A submitted or accepted report is refused (ReportLocked).
    """
    errors = programme_validate(data=data)
    if errors:
        raise FrameworkInvalid(errors)
    with transaction.atomic():
        report = _report_upsert(data=data)
        Subprogramme.objects.filter(report=report).delete()
        categories = deliverable_categories()
        for order, node in enumerate(data["subprogrammes"]):
            _subprogramme_create(report=report, node=node, order=order, categories=categories)
    return report


def _report_upsert(*, data: dict) -> Report:
    entity, period, type_node, node = data["entity"], data["period"], data["report_type"], data["report"]
    existing = (
        Report.objects.select_for_update(of=("self",))
        .select_related("mission", "period", "report_type")
        .filter(mission__code=entity["code"], period__label=period["label"])
        .first()
    )
    if existing and existing.is_locked:
        raise ReportLocked(_("%(report)s is submitted or accepted; its framework cannot be replaced.") % {"report": existing})
    if existing and existing.report_type.shape != SHAPE:
        raise FrameworkInvalid([FrameworkError(
            "$.report_type.shape", _("%(report)s exists with another shape; it cannot become a programme plan.") % {"report": existing},
            "shape_mismatch",
        )])
    known_type = ReportType.objects.filter(code=type_node["code"]).first()
    if known_type and known_type.shape != SHAPE:
        raise FrameworkInvalid([FrameworkError(
            "$.report_type.code", _("The report type %(code)s has another shape.") % {"code": known_type.code}, "shape_mismatch",
        )])
    mission, _created = Mission.objects.update_or_create(
        code=entity["code"],
        defaults={k: entity[k] for k in ("name_en", "name_zh", "short_name_en", "short_name_zh")},
    )
    budget_period, _created = BudgetPeriod.objects.get_or_create(
        label=period["label"],
        defaults={"start": date.fromisoformat(period["start"]), "end": date.fromisoformat(period["end"]), "kind": period["kind"]},
    )
    report_type, _created = ReportType.objects.update_or_create(
        code=type_node["code"], defaults={"shape": SHAPE, "name_en": type_node["name_en"], "name_zh": type_node["name_zh"]},
    )
    values = {
        "report_type": report_type,
        "symbol": node["symbol"],
        "due_date": date.fromisoformat(node["due_date"]) if node["due_date"] else None,
    }
    if existing is None:
        return Report.objects.create(mission=mission, period=budget_period, **values)
    for field, value in values.items():
        setattr(existing, field, value)
    existing.save(update_fields=[*values, "updated_at"])
    return existing


def _lineage(node: dict):
    return uuid.UUID(node["lineage"]) if node.get("lineage") else uuid.uuid4()


def _subprogramme_create(*, report: Report, node: dict, order: int, categories: dict) -> None:
    sp = Subprogramme.objects.create(
        report=report, number=node["number"], lineage=_lineage(node), order=order,
        title=node["title"], title_en=node["title_en"],
        mandates_paragraph=node["mandates"]["paragraph"],
        objective=node["objective"]["text"], objective_en=node["objective"]["text_en"],
        objective_paragraph=node["objective"]["paragraph"],
        strategy_paragraph=node["strategy"]["paragraph"],
        strategy_lead_in=node["strategy"]["lead_in"], strategy_lead_in_en=node["strategy"]["lead_in_en"],
        results_paragraph=node["expected_results"]["paragraph"],
        results_lead_in=node["expected_results"]["lead_in"], results_lead_in_en=node["expected_results"]["lead_in_en"],
        deliverables_paragraph=node["deliverables"]["paragraph"],
        deliverables_intro=node["deliverables"]["intro"], deliverables_intro_en=node["deliverables"]["intro_en"],
        deliverables_table_number=node["deliverables"]["table_number"],
        resources_table_number=node["resources"]["table_number"],
    )
    mandates = [
        Mandate(subprogramme=sp, body=group["body"], body_en=group["body_en"], symbol=item["symbol"],
                title=item["title"], title_en=item["title_en"], order=order)
        for order, (group, item) in enumerate((g, i) for g in node["mandates"]["groups"] for i in g["items"])
    ]
    Mandate.objects.bulk_create(mandates)
    PlanItem.objects.bulk_create([
        PlanItem(subprogramme=sp, kind=kind, label=item["label"], text=item["text"], text_en=item["text_en"], order=i)
        for kind, key in ((PlanItem.Kind.STRATEGY, "strategy"), (PlanItem.Kind.EXPECTED_RESULT, "expected_results"))
        for i, item in enumerate(node[key]["items"])
    ])
    results = ([(Result.Kind.PERFORMANCE, node["performance"])] if node["performance"] else []) + [
        (Result.Kind.PLANNED, result) for result in node["planned_results"]
    ]
    for order, (kind, result_node) in enumerate(results):
        _result_create(sp=sp, kind=kind, node=result_node, order=order)
    for category in node["deliverables"]["categories"]:
        category_obj = categories[category["code"]]
        for order, sub in enumerate(category["subcategories"]):
            sub_obj = DeliverableSubcategory.objects.create(
                subprogramme=sp, category=category_obj, lineage=_lineage(sub), order=order,
                name=sub["name"], name_en=sub["name_en"], unit=sub["unit"], unit_en=sub["unit_en"],
                printed_totals=sub["printed_totals"] or {},
            )
            Deliverable.objects.bulk_create([
                Deliverable(
                    subcategory=sub_obj, lineage=_lineage(item), order=i, number=item["number"],
                    description=item["description"], description_en=item["description_en"],
                    explanation=item["explanation"], explanation_en=item["explanation_en"],
                    **{column: item[column] for column in rules.COLUMNS},
                )
                for i, item in enumerate(sub["items"])
            ])
        NarrativeDeliverable.objects.bulk_create([
            NarrativeDeliverable(
                subprogramme=sp, category=category_obj, order=i, subcategory=n["subcategory"],
                subcategory_en=n["subcategory_en"], text=n["text"], text_en=n["text_en"],
            )
            for i, n in enumerate(category["narrative"])
        ])
    resources = node["resources"]
    ResourceParagraph.objects.bulk_create([
        ResourceParagraph(subprogramme=sp, order=i, **{k: p[k] for k in ("number", "heading", "heading_en", "text", "text_en")})
        for i, p in enumerate(resources["paragraphs"])
    ])
    ResourceLine.objects.bulk_create([
        ResourceLine(
            subprogramme=sp, section=section, order=i, label=line["label"], label_en=line["label_en"],
            **{name: parse_decimal(line[name], allow_percent=False) if line[name] is not None else None for name in RESOURCE_FIELDS},
        )
        for section in (ResourceLine.Section.FINANCIAL, ResourceLine.Section.POSTS)
        for i, line in enumerate(resources[section])
    ])
    PostGrade.objects.bulk_create([
        PostGrade(subprogramme=sp, grade=g["grade"], count=g["count"], order=i) for i, g in enumerate(resources["posts_by_grade"])
    ])


def _result_create(*, sp: Subprogramme, kind: str, node: dict, order: int) -> None:
    measure = node["measure"]
    result = Result.objects.create(
        subprogramme=sp, kind=kind, order=order, lineage=_lineage(node), number=node["number"],
        title=node["title"], title_en=node["title_en"], subheading=node["subheading"], subheading_en=node["subheading_en"],
        is_new=node["is_new"], attainment=node["attainment"] or "", attainment_phrase=node["attainment_phrase"],
        measure_number=measure["number"], measure_presentation=measure["presentation"],
        measure_title=measure["title"], measure_title_en=measure["title_en"],
    )
    ResultParagraph.objects.bulk_create([
        ResultParagraph(result=result, order=i, part=p["part"], number=p["number"], text=p["text"], text_en=p["text_en"])
        for i, p in enumerate(node["paragraphs"])
    ])
    MeasureCell.objects.bulk_create([
        MeasureCell(result=result, row=r, year=cell["year"], kind=cell["kind"], text=cell["text"], text_en=cell["text_en"])
        for r, row in enumerate(measure["rows"])
        for cell in row
    ])


def programme_counts_text(*, report: Report) -> str:
    return _("subprogrammes %(subprogrammes)d, results %(results)d, deliverables %(deliverables)d") % programme_counts(
        report=report
    )


def programme_import_warnings(*, report: Report) -> list[str]:
    """What an import kept but flags: printed subcategory totals that differ from the sum of the items."""
    from .flags import total_mismatch_flags

    return [flag.message for flag in total_mismatch_flags(report=report)]


class _Handler:
    """What indicators' export_framework/import_framework commands call for this shape."""

    invalid = FrameworkInvalid

    @staticmethod
    def export(*, report):
        return programme_export(report=report)

    @staticmethod
    def dumps(document):
        return programme_dumps(document)

    @staticmethod
    def import_(*, data, user=None):
        return programme_import(data=data, user=user)

    @staticmethod
    def counts_text(*, report):
        return programme_counts_text(report=report)

    @staticmethod
    def warnings(*, report):
        return programme_import_warnings(report=report)


HANDLER = _Handler()
