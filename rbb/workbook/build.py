"""Build a report's workbook (openpyxl): what the person may change is white, the rest grey and locked.

Text cells pass through rbb.lib.cells.neutralise (a narrative starting with `=` stays text);
figures that are plain numbers are written as numbers in the UN print format (space-grouped
thousands, negatives in parentheses, zero as an em dash), everything else as printed.
"""

from __future__ import annotations

import io
import math
from copy import copy
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation

from indicators.models import IndicatorFigure, Output
from missions.models import Report
from rbb.lib.cells import neutralise
from rbb.lib.numbers import NumberError, parse_decimal
from rbb.narrative.render_xlsx import grouped_pattern

from . import layout
from .layout import (
    ACCOMPLISHMENT,
    FINANCIAL,
    FINANCIAL_COLUMNS,
    FIRST_ROW,
    HEADER_ROW,
    INCUMBENCY,
    INCUMBENCY_COLUMNS,
    INDICATOR,
    OUTPUT,
    PLANNING_COLUMNS,
    UNIT_COLUMNS,
    Column,
)
from .selectors import workbook_financial_lines, workbook_incumbency, workbook_units

GREY = PatternFill("solid", fgColor="E7E6E6")
HEADER_FILL = PatternFill("solid", fgColor="BFBFBF")
THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=12)
LOCKED = Protection(locked=True)
UNLOCKED = Protection(locked=False)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")


def localized_text(obj, field: str, lang: str) -> str:
    """The content text in the workbook's language, the other one when it is empty."""
    chinese, english = getattr(obj, field) or "", getattr(obj, f"{field}_en", "") or ""
    return (chinese or english) if lang.startswith("zh") else (english or chinese)


def figure_value(printed: str):
    """A plain number as a Decimal (so it is a number in Excel); anything else as printed."""
    printed = (printed or "").strip()
    if not printed or "%" in printed or ";" in printed:
        return printed or None
    try:
        return parse_decimal(printed, allow_percent=False)
    except NumberError:
        return printed


class _Sheet:
    """One data sheet being written: rows, their identity and the hashes of their cells."""

    def __init__(self, book: Workbook, title: str, columns: tuple[Column, ...], heading: str, hint: str,
                 styles: dict | None = None):
        self.sheet = book.create_sheet(title)
        # Setting a style hashes it against the workbook's list each time (most of the build
        # time on a 600-output report); each distinct look is set once and then copied.
        self.styles = styles if styles is not None else {}
        self.columns = columns
        self.rows: list[tuple] = []
        self.next_row = FIRST_ROW
        sheet = self.sheet
        sheet.cell(1, 1, neutralise(heading)).font = TITLE
        sheet.cell(2, 1, neutralise(hint))
        for index, column in enumerate(columns, start=1):
            cell = sheet.cell(HEADER_ROW, index, str(column.label))
            cell.font, cell.fill, cell.border, cell.alignment, cell.protection = BOLD, HEADER_FILL, BORDER, WRAP, LOCKED
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.row_dimensions[HEADER_ROW].height = 30
        sheet.freeze_panes = sheet.cell(FIRST_ROW, 4 if columns is UNIT_COLUMNS else 3)
        sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        # Protected without a password: it keeps people from typing over the plan by mistake;
        # the upload compares every protected cell with what was written anyway.
        protection = sheet.protection
        protection.sheet = True
        protection.formatColumns = protection.formatRows = protection.formatCells = False

    def add(self, *, item_type: str, item_id: int, lineage: str, version: int, values: dict, bold: bool = False,
            formats: dict | None = None) -> int:
        row = self.next_row
        self.next_row += 1
        hashes = []
        lines = 1
        for index, column in enumerate(self.columns, start=1):
            value = values.get(column.key)
            if isinstance(value, str):
                value = neutralise(value) if value else None
                if value and column.wrap:
                    lines = max(lines, _lines(value, column.width))
            cell = self.sheet.cell(row, index, value)
            editable = item_type in column.editable_for
            number_format = None
            if isinstance(value, Decimal):
                number_format = (formats or {}).get(column.key) or _count_format(value)
            elif formats and column.key in formats and value is None:
                number_format = formats[column.key]
            look = (editable, column.wrap, bold, number_format)
            style = self.styles.get(look)
            if style is not None:
                cell._style = copy(style)
            else:
                cell.border = BORDER
                cell.alignment = WRAP if column.wrap else TOP
                if editable:
                    cell.protection = UNLOCKED
                else:
                    cell.fill = GREY
                if bold:
                    cell.font = BOLD
                if number_format:
                    cell.number_format = number_format
                self.styles[look] = copy(cell._style)
            hashes.append(layout.cell_hash(value))
        if lines > 1:
            # Spreadsheets do not grow a row for wrapped text written by another program.
            self.sheet.row_dimensions[row].height = min(409, 13 * (lines + 1))
        self.rows.append((self.sheet.title, row, item_type, item_id, lineage, version, ",".join(hashes)))
        return row


def _lines(text: str, width: int) -> int:
    """Lines a wrapped text takes in a column `width` characters wide (a Chinese character is two)."""
    total = 0
    for paragraph in text.split("\n"):
        units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in paragraph)
        total += max(1, math.ceil(units / width))
    return total


def _count_format(value: Decimal) -> str:
    places = 0 if value == value.to_integral_value() else max(-value.as_tuple().exponent, 0)
    return grouped_pattern(value, places)


def _amount_format(value: Decimal | None) -> str:
    pattern = grouped_pattern(value if value is not None else Decimal(0), 1)
    return f'{pattern};({pattern});"—"'


def _planned_text(indicator, *, headquarters: bool) -> str:
    lines = []
    for figure in indicator.figures.all():
        if figure.kind == IndicatorFigure.Kind.BASELINE:
            label = _("Baseline")
        elif figure.kind == IndicatorFigure.Kind.TARGET:
            label = _("Target")
        else:
            label = _("Estimate")
        period = f" {figure.period_label}" if figure.period_label else ""
        lines.append(f"{label}{period}: {figure.printed}")
    return "\n".join(lines)


def _completed_value(output: Output, *, headquarters: bool):
    kind = output.completed_kind
    if kind in (Output.Completed.YES, Output.Completed.NO) and not headquarters:
        return str(Output.Completed(kind).label)
    if kind in (Output.Completed.NUMBER, Output.Completed.NUMBERS):
        return figure_value(output.completed)
    return None


def workbook_build(*, report: Report, lang: str, user=None, include_resources: bool = False) -> bytes:
    """Return the report's workbook as XLSX bytes, labelled in `lang` (en or zh-hans)."""
    with translation.override(lang):
        return _build(report=report, lang=lang, user=user, include_resources=include_resources)


def _build(*, report: Report, lang: str, user, include_resources: bool) -> bytes:
    book = Workbook()
    book.remove(book.active)
    headquarters = report.report_type.is_headquarters
    taken: set[str] = set()
    styles: dict = {}
    sheets: list[_Sheet] = []
    hint = _("Fill in the white cells. Grey cells are the plan and cannot be changed here.")
    completed_choices = f'"{Output.Completed.YES.label},{Output.Completed.NO.label}"'
    if report.phase == Report.Phase.PLANNING:
        hint = _("Fill in the white cells. Add new indicators and outputs in the rows below the last one "
                 "(item, expected accomplishment, number, texts, target or quantity).")
        for unit in workbook_units(report=report):
            sheets.append(_planning_sheet(book, unit, report=report, lang=lang, hint=hint, taken=taken, styles=styles))
        _write_meta(book, report=report, lang=lang, user=user, sheets=sheets)
        stream = io.BytesIO()
        book.save(stream)
        return stream.getvalue()
    for unit in workbook_units(report=report):
        title = layout.sheet_title(unit.number, taken)
        sheet = _Sheet(book, title, UNIT_COLUMNS, f"{unit.number}. {localized_text(unit, 'title', lang)} · {report}", hint, styles)
        validation = None
        if not headquarters:
            validation = DataValidation(type="list", formula1=str(completed_choices), allow_blank=True)
            # Any other entry (a number, "180; 841") is allowed: the list only offers yes and no.
            validation.showErrorMessage = False
            validation.promptTitle = _("Completed")
            validation.prompt = _("Yes, No, a number, or several numbers separated by “;”.")
            validation.showInputMessage = True
            sheet.sheet.add_data_validation(validation)
        item_label, output_label = _("Indicator"), _("Output")
        validated: list[str] = []
        for ea in unit.accomplishments.all():
            sheet.add(item_type=ACCOMPLISHMENT, item_id=ea.pk, lineage=str(ea.lineage), version=0, bold=True, values={
                "item": _("Expected accomplishment"), "ea": ea.number, "text": localized_text(ea, "text", lang),
            })
            for indicator in ea.indicators.all():
                sheet.add(item_type=INDICATOR, item_id=indicator.pk, lineage=str(indicator.lineage), version=indicator.version, values={
                    "item": item_label, "ea": ea.number, "number": indicator.number,
                    "text": localized_text(indicator, "statement", lang),
                    "planned": _planned_text(indicator, headquarters=headquarters),
                    "actual": figure_value(indicator.actual),
                    "narrative": indicator.actual_narrative, "narrative_en": indicator.actual_narrative_en,
                    "variance": indicator.variance_explanation, "variance_en": indicator.variance_explanation_en,
                })
            for output in ea.outputs.all():
                text = localized_text(output, "planned_text", lang)
                heading = localized_text(output, "heading", lang)
                row = sheet.add(item_type=OUTPUT, item_id=output.pk, lineage=str(output.lineage), version=output.version, values={
                    "item": output_label, "ea": ea.number, "number": output.number,
                    "text": f"{heading}\n{text}" if heading else text,
                    "planned": figure_value(output.planned_quantity),
                    "actual": _completed_value(output, headquarters=headquarters),
                    "narrative": output.remarks, "narrative_en": output.remarks_en,
                })
                if validation is not None:
                    validated.append(f"F{row}")
        if validation is not None and validated:
            # One range set at once: adding cells one by one re-parses the range each time.
            validation.sqref = MultiCellRange(" ".join(validated))
        sheets.append(sheet)
    if include_resources:
        sheets.extend(_resource_sheets(book, report=report, taken=taken, hint=hint))
    if not sheets:
        book.create_sheet(_("Framework"))
    _write_meta(book, report=report, lang=lang, user=user, sheets=sheets)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


ADDABLE_ROWS = 100


def _planning_sheet(book: Workbook, unit, *, report: Report, lang: str, hint: str, taken: set, styles: dict) -> _Sheet:
    """A unit sheet of the planning phase: the planned side white, room below for new rows."""
    sheet = _Sheet(book, layout.sheet_title(unit.number, taken), PLANNING_COLUMNS,
                   f"{unit.number}. {localized_text(unit, 'title', lang)} · {report}", hint, styles)
    item_label, output_label = _("Indicator"), _("Output")
    for ea in unit.accomplishments.all():
        sheet.add(item_type=ACCOMPLISHMENT, item_id=ea.pk, lineage=str(ea.lineage), version=0, bold=True, values={
            "item": _("Expected accomplishment"), "ea": ea.number, "text": ea.text, "text_en": ea.text_en,
        })
        for indicator in ea.indicators.all():
            figures = list(indicator.figures.all())
            target = next((f.printed for f in figures if f.kind == IndicatorFigure.Kind.TARGET), "")
            baselines = "\n".join(f"{f.period_label}: {f.printed}" for f in figures if f.kind == IndicatorFigure.Kind.BASELINE)
            sheet.add(item_type=INDICATOR, item_id=indicator.pk, lineage=str(indicator.lineage), version=indicator.version, values={
                "item": item_label, "ea": ea.number, "number": indicator.number, "text": indicator.statement,
                "text_en": indicator.statement_en, "planned": figure_value(target), "baselines": baselines,
            })
        for output in ea.outputs.all():
            sheet.add(item_type=OUTPUT, item_id=output.pk, lineage=str(output.lineage), version=output.version, values={
                "item": output_label, "ea": ea.number, "number": output.number, "text": output.planned_text,
                "text_en": output.planned_text_en, "planned": figure_value(output.planned_quantity),
            })
    for row in range(sheet.next_row, sheet.next_row + ADDABLE_ROWS):
        for column in range(1, len(PLANNING_COLUMNS) + 1):
            sheet.sheet.cell(row, column).protection = UNLOCKED
    return sheet


def _resource_sheets(book: Workbook, *, report: Report, taken: set[str], hint: str) -> list[_Sheet]:
    sheets = []
    lines = workbook_financial_lines(report=report)
    if lines:
        sheet = _Sheet(book, layout.sheet_title(_("Financial resources"), taken), FINANCIAL_COLUMNS,
                       f"{_('Financial resources')} · {report}", hint)
        for line in lines:
            cls = line.financial_class
            sheet.add(item_type=FINANCIAL, item_id=line.pk, lineage="", version=line.version, values={
                "code": cls.code, "name": cls.name, "apportionment": line.apportionment, "expenditure": line.expenditure,
            }, formats={
                "apportionment": _amount_format(line.apportionment), "expenditure": _amount_format(line.expenditure),
            })
        sheets.append(sheet)
    rows = workbook_incumbency(report=report)
    if rows:
        sheet = _Sheet(book, layout.sheet_title(_("Incumbency"), taken), INCUMBENCY_COLUMNS,
                       f"{_('Human resources incumbency')} · {report}", hint)
        for row in rows:
            sheet.add(item_type=INCUMBENCY, item_id=row.pk, lineage="", version=row.version, values={
                "code": row.category.code, "name": row.category.name, "authorized": row.authorized,
                "actual_average": row.actual_average, "budgeted_vacancy_rate": row.budgeted_vacancy_rate,
            })
        sheets.append(sheet)
    return sheets


META_KEYS = ("template_version", "report_id", "entity", "period", "phase", "shape", "language", "downloaded_by", "downloaded_at")
META_ROWS_START = len(META_KEYS) + 3


def meta_values(*, report: Report, lang: str, user) -> dict[str, str]:
    return {
        "template_version": str(layout.TEMPLATE_VERSION),
        "report_id": str(report.pk),
        "entity": report.mission.code,
        "period": report.period.label,
        "phase": report.phase,
        "shape": report.report_type.shape,
        "language": lang,
        "downloaded_by": user.get_username() if user is not None else "",
        "downloaded_at": timezone.now().isoformat(timespec="seconds"),
    }


def _write_meta(book: Workbook, *, report: Report, lang: str, user, sheets: list[_Sheet]) -> None:
    meta = book.create_sheet(layout.META_SHEET)
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    values = {key: neutralise(value) for key, value in meta_values(report=report, lang=lang, user=user).items()}
    for index, key in enumerate(META_KEYS, start=1):
        meta.cell(index, 1, key)
        meta.cell(index, 2, values[key])
    signed = [values[key] for key in META_KEYS]
    meta.cell(META_ROWS_START - 1, 1, "rows")
    number = META_ROWS_START
    for sheet in sheets:
        for row in sheet.rows:
            for column, value in enumerate(row, start=1):
                meta.cell(number, column, value)
            signed.append("\x1e".join(str(value) for value in row))
            number += 1
    meta.cell(len(META_KEYS) + 1, 1, "checksum")
    meta.cell(len(META_KEYS) + 1, 2, layout.checksum(signed))
