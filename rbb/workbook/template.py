"""A framework from a workbook: an empty template for an entity without a framework, filled by the
mission and uploaded to create it.

The upload is turned into an interchange document (docs/interchange.md) and goes through
indicators.interchange.framework_validate / framework_import, so it gets exactly the checks of
`manage.py import_framework`; each error's JSON path is mapped back to its sheet and cell.
The English texts, which the interchange format does not carry, are set in the same transaction.
"""

from __future__ import annotations

import io
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from indicators.forms import clean_figure
from indicators.interchange import FORMAT_VERSION, framework_import, framework_validate
from indicators.models import ExpectedAccomplishment, Indicator, Output
from missions.models import BudgetPeriod, Mission, Report, ReportType, Unit
from rbb.exceptions import DomainError
from rbb.lib.cells import neutralise

from . import layout
from .build import BOLD, BORDER, HEADER_FILL, WRAP
from .layout import FIRST_ROW, HEADER_ROW, Column
from .read import Problem, text_of
from .services import WorkbookInvalid

TEMPLATE_SHEET = "Framework"
TEMPLATE_KEYS = ("template_version", "kind", "entity", "period", "report_type")
KIND = "framework-template"

TEMPLATE_COLUMNS = (
    Column("unit", gettext_lazy("Unit (component) number"), 10),
    Column("unit_title", gettext_lazy("Unit title (Chinese)"), 24, wrap=True),
    Column("unit_title_en", gettext_lazy("Unit title (English)"), 24, wrap=True),
    Column("ea", gettext_lazy("Expected accomplishment"), 10),
    Column("ea_text", gettext_lazy("Expected accomplishment (Chinese)"), 36, wrap=True),
    Column("ea_text_en", gettext_lazy("Expected accomplishment (English)"), 36, wrap=True),
    Column("item", gettext_lazy("Item"), 12),
    Column("number", gettext_lazy("Number"), 9),
    Column("text", gettext_lazy("Indicator or planned output (Chinese)"), 48, wrap=True),
    Column("text_en", gettext_lazy("Indicator or planned output (English)"), 48, wrap=True),
    Column("planned", gettext_lazy("Target or planned quantity"), 16),
    Column("measure", gettext_lazy("Unit of measure"), 14),
    Column("direction", gettext_lazy("Direction"), 14),
)
CARRIED = ("unit", "unit_title", "unit_title_en", "ea", "ea_text", "ea_text_en")
INDICATOR_WORDS = {"indicator", "指标", "成绩指标"}
OUTPUT_WORDS = {"output", "产出"}


class TemplateRefused(DomainError):
    http_status = 409
    default_code = "framework_exists"
    default_message = gettext_lazy("This report already has a framework; download its workbook instead.")


def _letter(key: str) -> str:
    return get_column_letter(next(i for i, c in enumerate(TEMPLATE_COLUMNS, start=1) if c.key == key))


def template_build(*, entity: Mission, period: BudgetPeriod, report_type: ReportType, lang: str) -> bytes:
    """An empty framework template for the entity and period, labelled in `lang`."""
    with translation.override(lang):
        book = Workbook()
        sheet = book.active
        sheet.title = TEMPLATE_SHEET
        sheet.cell(1, 1, neutralise(_("New framework: %(entity)s %(period)s (%(type)s)") % {
            "entity": entity.code, "period": period.label, "type": report_type.name}))
        sheet.cell(2, 1, _("One row per indicator or output. Unit and expected accomplishment cells may be left empty "
                           "under the first row of their group. Item: Indicator or Output."))
        for index, column in enumerate(TEMPLATE_COLUMNS, start=1):
            cell = sheet.cell(HEADER_ROW, index, str(column.label))
            cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEADER_FILL, BORDER, WRAP
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.row_dimensions[HEADER_ROW].height = 30
        sheet.freeze_panes = sheet.cell(FIRST_ROW, 1)
        sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        for key, choices in (("item", [str(_("Indicator")), str(_("Output"))]),
                             ("measure", list(Indicator.Measure.values)), ("direction", list(Indicator.Direction.values))):
            validation = DataValidation(type="list", formula1=f'"{",".join(choices)}"', allow_blank=True)
            validation.add(f"{_letter(key)}{FIRST_ROW}:{_letter(key)}2000")
            sheet.add_data_validation(validation)
        meta = book.create_sheet(layout.META_SHEET)
        meta.sheet_state = "hidden"
        meta.protection.sheet = True
        values = [str(layout.TEMPLATE_VERSION), KIND, entity.code, period.label, report_type.code]
        for index, (key, value) in enumerate(zip(TEMPLATE_KEYS, values), start=1):
            meta.cell(index, 1, key)
            meta.cell(index, 2, neutralise(value))
        meta.cell(len(TEMPLATE_KEYS) + 1, 1, "checksum")
        meta.cell(len(TEMPLATE_KEYS) + 1, 2, layout.checksum([neutralise(v) for v in values]))
        for row in sheet.iter_rows(min_row=FIRST_ROW, max_row=FIRST_ROW + 200, max_col=len(TEMPLATE_COLUMNS)):
            for cell in row:
                cell.protection = Protection(locked=False)
        stream = io.BytesIO()
        book.save(stream)
        return stream.getvalue()


def template_meta(content: bytes) -> dict | None:
    """The template's identity, or None when the file is not a framework template."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True)
    except Exception:  # not an XLSX at all
        return None
    try:
        if layout.META_SHEET not in book.sheetnames:
            return None
        rows = [tuple("" if v is None else str(v) for v in row) for row in book[layout.META_SHEET].iter_rows(values_only=True)]
    finally:
        book.close()
    meta = {key: rows[i][1] if i < len(rows) and len(rows[i]) > 1 else "" for i, key in enumerate(TEMPLATE_KEYS)}
    return meta if meta["kind"] == KIND else None


def template_import(*, content: bytes, by=None) -> Report:
    """Create the framework the filled template describes; WorkbookInvalid lists every problem by cell."""
    meta = template_meta(content)
    if meta is None:
        raise WorkbookInvalid([Problem("", "", _("This is not a framework template: download an empty template first."))])
    checksum_row = len(TEMPLATE_KEYS)
    book = load_workbook(io.BytesIO(content), read_only=True)
    try:
        stored = [str(v or "") for v in next(book[layout.META_SHEET].iter_rows(
            min_row=checksum_row + 1, max_row=checksum_row + 1, values_only=True))]
        problems = []
        if meta["template_version"] != str(layout.TEMPLATE_VERSION):
            problems.append(Problem(layout.META_SHEET, "B1", _("This template is of another version: download a new one.")))
        elif stored[1:2] != [layout.checksum([meta[key] for key in TEMPLATE_KEYS])]:
            problems.append(Problem(layout.META_SHEET, f"B{checksum_row + 1}", _(
                "The workbook's hidden sheet was changed, so its rows cannot be trusted: download a new workbook.")))
        if TEMPLATE_SHEET not in book.sheetnames:
            problems.append(Problem(TEMPLATE_SHEET, "A1", _("This sheet was deleted or renamed.")))
        if problems:
            raise WorkbookInvalid(problems)
        rows = _rows(book[TEMPLATE_SHEET], problems)
    finally:
        book.close()
    try:
        entity = Mission.objects.get(code=meta["entity"])
        period = BudgetPeriod.objects.get(label=meta["period"])
        report_type = ReportType.objects.get(code=meta["report_type"])
    except (Mission.DoesNotExist, BudgetPeriod.DoesNotExist, ReportType.DoesNotExist):
        raise WorkbookInvalid([Problem("", "", _("The entity, period or report type of this template no longer exists."))])
    document, places, english = _document(rows, entity=entity, period=period, report_type=report_type, problems=problems)
    if problems:
        raise WorkbookInvalid(problems)
    errors = framework_validate(data=document)
    if errors:
        raise WorkbookInvalid([_problem(error, places) for error in errors])
    with transaction.atomic():
        existing = Report.objects.select_for_update().filter(mission=entity, period=period).first()
        if existing is not None and Unit.objects.filter(report=existing).exists():
            raise TemplateRefused()
        report = framework_import(data=document, user=by)
        _set_english(report, english)
    return report


def _rows(sheet, problems: list) -> list[tuple[int, dict]]:
    sheet.reset_dimensions()
    rows, carried = [], {}
    for cells in sheet.iter_rows(min_row=FIRST_ROW, max_col=len(TEMPLATE_COLUMNS)):
        values = {}
        number = None
        for column, cell in zip(TEMPLATE_COLUMNS, cells):
            value = getattr(cell, "value", None)
            if value is None:
                continue
            number = cell.row
            if cell.data_type == "f":
                problems.append(Problem(TEMPLATE_SHEET, cell.coordinate, _(
                    "This cell holds a formula (%(formula)s); type the value itself.") % {"formula": str(value)[:60]}))
                continue
            values[column.key] = text_of(value)
        if not any(values.values()):
            continue
        # Empty unit and accomplishment cells repeat the row above; a new unit or accomplishment
        # number starts afresh, so its texts are never taken from the previous one.
        if values.get("unit") and values["unit"] != carried.get("unit"):
            carried = {}
        if values.get("ea") and values["ea"] != carried.get("ea"):
            for key in ("ea", "ea_text", "ea_text_en"):
                carried.pop(key, None)
        for key in CARRIED:
            if values.get(key):
                carried[key] = values[key]
            elif key in carried:
                values[key] = carried[key]
        rows.append((number, values))
    return rows


def _document(rows, *, entity: Mission, period: BudgetPeriod, report_type: ReportType, problems: list):
    """The interchange document, the cell of each JSON path, and the English texts by numbers."""
    headquarters = report_type.is_headquarters
    units: list[dict] = []
    places: dict[str, tuple[int, str]] = {}
    english: dict[tuple, str] = {}
    by_unit: dict[str, dict] = {}
    for number, values in rows:
        unit_no = values.get("unit", "")
        unit = by_unit.get(unit_no)
        if unit is None:
            unit = {"number": unit_no, "kind": Unit.Kind.DEPARTMENT if headquarters else Unit.Kind.COMPONENT,
                    "parent": None, "title": values.get("unit_title", ""), "narrative": [], "expected_accomplishments": []}
            by_unit[unit_no] = unit
            units.append(unit)
            path = f"$.units[{len(units) - 1}]"
            places[path] = (number, "unit")
            places[f"{path}.title"] = (number, "unit_title")
            english["unit", unit_no] = values.get("unit_title_en", "")
        u_path = f"$.units[{units.index(unit)}]"
        eas = unit["expected_accomplishments"]
        ea = next((e for e in eas if e["number"] == values.get("ea", "")), None)
        if ea is None:
            ea = {"number": values.get("ea", ""), "text": values.get("ea_text", ""), "indicators": [], "outputs": []}
            eas.append(ea)
            places[f"{u_path}.expected_accomplishments[{len(eas) - 1}]"] = (number, "ea")
            places[f"{u_path}.expected_accomplishments[{len(eas) - 1}].text"] = (number, "ea_text")
            english["ea", unit_no, ea["number"]] = values.get("ea_text_en", "")
        e_path = f"{u_path}.expected_accomplishments[{eas.index(ea)}]"
        item = values.get("item", "").strip().lower()
        indicator_words = INDICATOR_WORDS | {str(_("Indicator")).lower()}
        output_words = OUTPUT_WORDS | {str(_("Output")).lower()}
        planned = _figure(values.get("planned", ""), number, percent=item in indicator_words, problems=problems)
        if item in indicator_words:
            node = {
                "number": values.get("number", ""), "statement": values.get("text", ""),
                "measure": values.get("measure") or Indicator.Measure.COUNT, "unit_hint": "",
                "direction": values.get("direction") or Indicator.Direction.INCREASE, "baselines": [],
                "target": {"period": period.label, "value": planned} if planned else None, "estimate": None,
                "actual": "", "actual_narrative": [], "variance_explanation": "",
            }
            ea["indicators"].append(node)
            path = f"{e_path}.indicators[{len(ea['indicators']) - 1}]"
            english["indicator", unit_no, ea["number"], node["number"]] = values.get("text_en", "")
            columns = {"": "number", ".number": "number", ".statement": "text", ".measure": "measure",
                       ".direction": "direction", ".target": "planned", ".target.value": "planned"}
        elif item in output_words:
            node = {"number": values.get("number", ""), "heading": "", "planned_text": values.get("text", ""),
                    "planned_quantity": planned, "completed": {"kind": "blank", "value": ""}, "remarks": []}
            ea["outputs"].append(node)
            path = f"{e_path}.outputs[{len(ea['outputs']) - 1}]"
            english["output", unit_no, ea["number"], node["number"]] = values.get("text_en", "")
            columns = {"": "number", ".number": "number", ".planned_text": "text", ".planned_quantity": "planned"}
        else:
            problems.append(Problem(TEMPLATE_SHEET, f"{_letter('item')}{number}", _(
                "Write Indicator or Output here.")))
            continue
        for suffix, key in columns.items():
            places[f"{path}{suffix}"] = (number, key)
    document = {
        "format_version": FORMAT_VERSION,
        "entity": {"code": entity.code, "name_en": entity.name_en, "name_zh": entity.name_zh,
                   "short_name_en": entity.short_name_en, "short_name_zh": entity.short_name_zh,
                   "mandate_references": [line.strip() for line in entity.mandate_references.splitlines() if line.strip()],
                   "overall_objective": entity.overall_objective},
        "period": {"label": period.label, "start": period.start.isoformat(), "end": period.end.isoformat(), "kind": period.kind},
        "report_type": {"code": report_type.code, "shape": report_type.shape, "name_en": report_type.name_en,
                        "name_zh": report_type.name_zh,
                        "variance_threshold_percent": str(report_type.variance_threshold_percent),
                        "variance_threshold_usd": str(int(report_type.variance_threshold_usd))},
        "report": {"report_type": report_type.code, "symbol": "", "budget_symbol": "", "due_date": None,
                   "tolerance_percent": "20.0", "ratio_low": "90.0", "ratio_high": "110.0"},
        "units": units,
    }
    existing = Report.objects.filter(mission=entity, period=period).first()
    if existing is not None:
        for key in ("tolerance_percent", "ratio_low", "ratio_high"):
            document["report"][key] = str(getattr(existing, key))
        document["report"].update(symbol=existing.symbol, budget_symbol=existing.budget_symbol,
                                  due_date=existing.due_date.isoformat() if existing.due_date else None)
    return document, places, english


def _figure(text: str, row: int, *, percent: bool, problems: list) -> str:
    """A target or planned quantity normalised as the entry forms do (`１,２３４` → `1 234`)."""
    try:
        return clean_figure(text, allow_percent=percent)
    except ValidationError as error:
        problems.append(Problem(TEMPLATE_SHEET, f"{_letter('planned')}{row}", error.messages[0]))
        return text


_INDEX = re.compile(r"\[\d+\]$|\.[a-z_]+$")


def _problem(error, places: dict) -> Problem:
    """Map an interchange error's JSON path to the cell it came from (the nearest known path)."""
    path = error.path
    while path and path not in places:
        shorter = _INDEX.sub("", path)
        if shorter == path:
            break
        path = shorter
    if path in places:
        row, key = places[path]
        return Problem(TEMPLATE_SHEET, f"{_letter(key)}{row}", error.message)
    return Problem("", "", f"{error.path}: {error.message}")


def _set_english(report: Report, english: dict) -> None:
    units = list(Unit.objects.filter(report=report))
    for unit in units:
        unit.title_en = english.get(("unit", unit.number), "")
    Unit.objects.bulk_update(units, ["title_en"])
    eas = list(ExpectedAccomplishment.objects.filter(unit__report=report).select_related("unit"))
    for ea in eas:
        ea.text_en = english.get(("ea", ea.unit.number, ea.number), "")
    ExpectedAccomplishment.objects.bulk_update(eas, ["text_en"])
    indicators = list(Indicator.objects.filter(accomplishment__unit__report=report).select_related("accomplishment__unit"))
    for item in indicators:
        item.statement_en = english.get(("indicator", item.accomplishment.unit.number, item.accomplishment.number, item.number), "")
    Indicator.objects.bulk_update(indicators, ["statement_en"])
    outputs = list(Output.objects.filter(accomplishment__unit__report=report).select_related("accomplishment__unit"))
    for item in outputs:
        item.planned_text_en = english.get(("output", item.accomplishment.unit.number, item.accomplishment.number, item.number), "")
    Output.objects.bulk_update(outputs, ["planned_text_en"])
