"""A report's whole framework as one JSON document: export it, validate it, import it.

The format is documented in docs/interchange.md and described by schema/framework.schema.json
(a copy of docs/framework.schema.json). Figures travel as printed strings ("1 050", "10%±3%",
"≤ 48", "不适用"); the models parse them on the way in, so a file and a form store the same.
"""

from __future__ import annotations

import functools
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError

from missions.models import BudgetPeriod, Mission, Report, ReportType, Unit, paragraphs
from missions.models.core import new_lineage
from rbb.exceptions import DomainError, ReportLocked
from rbb.lib.figures import parse_figure
from rbb.lib.numbers import NumberError, parse_decimal

from .forms import NEGATIVE_REFUSED, NON_NEGATIVE_MEASURES
from .models import TEXT_LIMIT, ExpectedAccomplishment, Indicator, IndicatorFigure, Output
from .selectors import framework_counts, framework_units

FORMAT_VERSION = 1
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "framework.schema.json"

# The two report types every installation has (domain.md §4.2); a file may not redefine
# their shape, because the shape decides how every report of the type is laid out.
CANONICAL_SHAPES = {"mission": ReportType.Shape.MISSION, "support-account": ReportType.Shape.HEADQUARTERS}
UNIT_KINDS_BY_SHAPE = {
    ReportType.Shape.MISSION: {Unit.Kind.COMPONENT},
    ReportType.Shape.HEADQUARTERS: {Unit.Kind.DEPARTMENT, Unit.Kind.SUB_UNIT},
}
# Several printed figures in one cell are separated by a semicolon ("180; 841"), as in the models.
_SEVERAL = re.compile(r"[;；]")
CONTENT_MISSING = gettext_lazy("Enter this text in Chinese or in English (the field ending in _en), or both.")
# Control characters other than tab and line feed: no document format can carry them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class FrameworkError:
    """One problem in a framework document, addressed by its JSON path."""

    path: str
    message: str
    code: str


class FrameworkInvalid(DomainError):
    """The document has errors; `errors` lists all of them and nothing was written."""

    http_status = 400
    default_code = "framework_invalid"
    default_message = gettext_lazy("The framework document has errors; nothing was imported.")

    def __init__(self, errors: list[FrameworkError]):
        self.errors = errors
        super().__init__(extra={"errors": [asdict(error) for error in errors]})

    @property
    def summary(self) -> str:
        count = len(self.errors)
        return ngettext("%(count)d error; nothing was imported.", "%(count)d errors; nothing was imported.", count) % {
            "count": count
        }


# Other shapes ----------------------------------------------------------------------------

# A report type's shape may be held by another app (the programme plan, rbb.programme). That
# app registers how its reports travel; the commands look the shape up here, so this module
# never imports the app that holds the shape.
SHAPE_HANDLERS: dict[str, object] = {}


def shape_handler_register(*, shape: str, handler) -> None:
    """Register the interchange of a shape: an object with export(report), dumps(document),
    import_(data, user), counts_text(report) and the exception class `invalid` it raises."""
    SHAPE_HANDLERS[shape] = handler


def shape_handler_for_report(report: Report):
    """The registered handler of the report's shape, or None for the shapes this module holds."""
    return SHAPE_HANDLERS.get(report.report_type.shape)


def shape_handler_for_document(data):
    """The registered handler of the shape a document declares (report_type.shape), or None."""
    if isinstance(data, dict) and isinstance(data.get("report_type"), dict):
        shape = data["report_type"].get("shape")
        if isinstance(shape, str):
            return SHAPE_HANDLERS.get(shape)
    return None


# Export ---------------------------------------------------------------------------------


def framework_export(*, report: Report) -> dict:
    """Return the report's framework as an interchange document, keys in a fixed order."""
    units = list(framework_units(report=report))
    numbers = {unit.pk: unit.number for unit in units}
    return {
        "format_version": FORMAT_VERSION,
        "entity": _entity_export(report.mission),
        "period": {
            "label": report.period.label,
            "start": report.period.start.isoformat(),
            "end": report.period.end.isoformat(),
            "kind": report.period.kind,
        },
        "report_type": _report_type_export(report.report_type),
        "report": {
            "report_type": report.report_type.code,
            # Written for a budget proposal only, so performance reports export as before.
            **({"phase": report.phase} if report.is_planning else {}),
            "symbol": report.symbol,
            "budget_symbol": report.budget_symbol,
            "due_date": report.due_date.isoformat() if report.due_date else None,
            "tolerance_percent": _decimal_text(report, "tolerance_percent"),
            "ratio_low": _decimal_text(report, "ratio_low"),
            "ratio_high": _decimal_text(report, "ratio_high"),
        },
        "units": [_unit_export(unit, parent=numbers.get(unit.parent_id)) for unit in units],
    }


def framework_counts_text(*, report: Report) -> str:
    """What a report's framework holds, for the commands' messages."""
    return _(
        "units %(units)d, expected accomplishments %(accomplishments)d, indicators %(indicators)d, outputs %(outputs)d"
    ) % framework_counts(report=report)


def framework_dumps(document: dict) -> str:
    """Serialise a document the one way the commands write it, so exports compare byte for byte."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _decimal_text(obj: models.Model, field: str) -> str:
    # Quantize to the column's places so a value read back ("5.0") and one just assigned
    # ("5") print alike.
    places = obj._meta.get_field(field).decimal_places
    return str(Decimal(getattr(obj, field)).quantize(Decimal(1).scaleb(-places)))


def _entity_export(mission: Mission) -> dict:
    return {
        "code": mission.code,
        "name_en": mission.name_en,
        "name_zh": mission.name_zh,
        "short_name_en": mission.short_name_en,
        "short_name_zh": mission.short_name_zh,
        "mandate_references": paragraphs(mission.mandate_references),
        "overall_objective": mission.overall_objective,
        "overall_objective_en": mission.overall_objective_en,
    }


def _report_type_export(report_type: ReportType) -> dict:
    return {
        "code": report_type.code,
        "shape": report_type.shape,
        "name_en": report_type.name_en,
        "name_zh": report_type.name_zh,
        "variance_threshold_percent": _decimal_text(report_type, "variance_threshold_percent"),
        "variance_threshold_usd": _decimal_text(report_type, "variance_threshold_usd"),
    }


def _unit_export(unit: Unit, *, parent: str | None) -> dict:
    unit_outputs = [_output_export(output) for output in unit.unit_outputs]
    # "outputs" is written only for a unit that has outputs of its own (headquarters), so
    # mission exports stay what they were.
    return {
        "lineage": str(unit.lineage),
        "number": unit.number,
        "kind": unit.kind,
        "parent": parent,
        "title": unit.title,
        "title_en": unit.title_en,
        "narrative": unit.paragraphs,
        "narrative_en": paragraphs(unit.narrative_en),
        "expected_accomplishments": [
            {
                "lineage": str(ea.lineage),
                "number": ea.number,
                "text": ea.text,
                "text_en": ea.text_en,
                "indicators": [_indicator_export(indicator) for indicator in ea.indicators.all()],
                "outputs": [_output_export(output) for output in ea.outputs.all()],
            }
            for ea in unit.accomplishments.all()
        ],
    } | ({"outputs": unit_outputs} if unit_outputs else {})


def _indicator_export(indicator: Indicator) -> dict:
    figures = list(indicator.figures.all())

    def first(kind: str) -> dict | None:
        found = next((f for f in figures if f.kind == kind), None)
        return {"period": found.period_label, "value": found.printed} if found else None

    return {
        "lineage": str(indicator.lineage),
        "number": indicator.number,
        "statement": indicator.statement,
        "statement_en": indicator.statement_en,
        "measure": indicator.measure,
        "unit_hint": indicator.unit_hint,
        "unit_hint_en": indicator.unit_hint_en,
        "direction": indicator.direction,
        "baselines": [
            {"period": f.period_label, "value": f.printed} for f in figures if f.kind == IndicatorFigure.Kind.BASELINE
        ],
        "target": first(IndicatorFigure.Kind.TARGET),
        "estimate": first(IndicatorFigure.Kind.ESTIMATE),
        "actual": indicator.actual,
        "actual_narrative": indicator.narrative_paragraphs,
        "actual_narrative_en": paragraphs(indicator.actual_narrative_en),
        "variance_explanation": indicator.variance_explanation,
        "variance_explanation_en": indicator.variance_explanation_en,
    }


def _output_export(output: Output) -> dict:
    return {
        "lineage": str(output.lineage),
        "number": output.number,
        "heading": output.heading,
        "heading_en": output.heading_en,
        "planned_text": output.planned_text,
        "planned_text_en": output.planned_text_en,
        "planned_quantity": output.planned_quantity,
        "completed": {"kind": output.completed_kind, "value": output.completed},
        "remarks": output.remark_paragraphs,
        "remarks_en": paragraphs(output.remarks_en),
    }


# Validation -----------------------------------------------------------------------------


def framework_validate(*, data) -> list[FrameworkError]:
    """Return every error of the document: its shape (JSON Schema), then its content.

    Content checks skip values of the wrong type, which the schema already reported, so one
    run lists everything that needs fixing.
    """
    errors = _schema_errors(data)
    checks = _Checks()
    if isinstance(data, dict):
        checks.document(data)
    reported = {error.path for error in errors}
    return errors + [error for error in checks.errors if error.path not in reported]


@functools.cache
def _schema_validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _schema_errors(data) -> list[FrameworkError]:
    errors: list[FrameworkError] = []
    seen: set[str] = set()
    for error in _schema_validator().iter_errors(data):
        for found in _schema_error_messages(error):
            if found.path not in seen:
                seen.add(found.path)
                errors.append(found)
    return errors


def _schema_error_messages(error: SchemaError) -> Iterator[FrameworkError]:
    """Translate a JSON Schema error into our messages, pointing at the field concerned."""
    path, kind = error.json_path, error.validator
    if kind == "required":
        for key in error.validator_value:
            if key not in error.instance:
                yield FrameworkError(f"{path}.{key}", _("This field is required."), "required")
    elif kind == "additionalProperties":
        known = error.schema.get("properties", {})
        for key in sorted(set(error.instance) - set(known)):
            yield FrameworkError(f"{path}.{key}", _("Unknown field."), "unknown_field")
    elif kind == "enum":
        yield FrameworkError(
            path,
            _("Unknown value “%(value)s”; expected one of: %(choices)s.")
            % {"value": error.instance, "choices": ", ".join(error.validator_value)},
            "unknown_value",
        )
    elif kind == "type":
        expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        yield FrameworkError(
            path, _("Expected a value of type %(types)s.") % {"types": " or ".join(expected)}, "wrong_type"
        )
    elif kind == "const":
        yield FrameworkError(path, _("Expected %(value)s.") % {"value": json.dumps(error.validator_value)}, "unsupported")
    elif kind == "format":
        yield FrameworkError(path, _("Enter a date as YYYY-MM-DD."), "invalid_date")
    elif kind == "pattern":
        yield FrameworkError(path, _pattern_message(error.validator_value), "invalid_text")
    else:
        yield FrameworkError(path, error.message, kind)


def _pattern_message(pattern: str) -> str:
    if pattern == r"\S":
        return _("This cannot be blank.")
    if pattern.startswith("^[-a-zA-Z0-9_]"):
        return _("Use only letters, digits, hyphens and underscores.")
    if pattern.startswith("^[0-9]{1,4}"):
        return _("Enter a decimal number with at most one decimal place, such as 5.0, as a string.")
    if pattern.startswith("^[0-9]{1,14}"):
        return _("Enter a whole number of dollars, such as 100000, as a string.")
    return _("Enter one line of text without spaces at either end.")


def _dicts(node, key: str) -> list[tuple[int, dict]]:
    """The dict items of the list at node[key] with their indexes; nothing if it is not a list."""
    items = node.get(key) if isinstance(node, dict) else None
    if not isinstance(items, list):
        return []
    return [(index, item) for index, item in enumerate(items) if isinstance(item, dict)]


def _str(node, key: str) -> str | None:
    value = node.get(key) if isinstance(node, dict) else None
    return value if isinstance(value, str) else None


def _strs(node, key: str) -> list[str] | None:
    value = node.get(key) if isinstance(node, dict) else None
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    return None


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _numbers(printed: str) -> list[Decimal]:
    """Every number of a cell of one or several ("180; 841"); raise NumberError on anything else."""
    return [parse_decimal(part) for part in _SEVERAL.split(printed)]


class _Checks:
    """The content rules of a document, collected as FrameworkErrors (nothing is raised)."""

    def __init__(self):
        self.errors: list[FrameworkError] = []
        self.shape: str | None = None
        self.period_label: str | None = None
        self.planning = False

    def add(self, path: str, message: str, code: str) -> None:
        self.errors.append(FrameworkError(path, str(message), code))

    # Field-level rules.

    def length(self, path: str, value: str | None, model: type[models.Model], field: str) -> bool:
        """Refuse text longer than the column (TEXT_LIMIT for text columns without a limit); False if so."""
        if value is None:
            return True
        if _CONTROL.search(value):
            self.add(path, _("This text contains control characters; remove them (tab and line breaks are fine)."), "control_characters")
            return False
        limit = model._meta.get_field(field).max_length or TEXT_LIMIT
        if len(value) > limit:
            self.add(
                path,
                _("This text has %(length)d characters; at most %(limit)d fit.") % {"length": len(value), "limit": limit},
                "too_long",
            )
            return False
        return True

    def fields(self, path: str, node: dict, model: type[models.Model], names: tuple[str, ...]) -> None:
        for name in names:
            self.length(f"{path}.{name}", _str(node, name), model, name)

    def lines(self, path: str, node: dict, key: str, model: type[models.Model], field: str) -> None:
        """Paragraph lists are stored one per line, so a paragraph must be exactly one line."""
        values = _strs(node, key)
        if values is None:
            return
        for index, value in enumerate(values):
            if paragraphs(value) != [value]:
                self.add(
                    f"{path}.{key}[{index}]",
                    _("A paragraph must be one line of text without spaces at either end."),
                    "invalid_paragraph",
                )
        self.length(f"{path}.{key}", "\n".join(values), model, field)

    def content(self, path: str, node: dict, key: str) -> None:
        """A required content text needs text in Chinese (key) or English (key_en), or both."""
        zh, en = node.get(key), node.get(f"{key}_en", "")
        if not isinstance(zh, str) or not isinstance(en, str):
            return  # the schema reported it
        if not zh.strip() and not en.strip():
            self.add(f"{path}.{key}", CONTENT_MISSING, "content_missing")

    def unique(self, path: str, number: str | None, seen: set[str]) -> None:
        if number is None:
            return
        if number in seen:
            self.add(
                f"{path}.number",
                _("The number “%(number)s” is used twice; numbers must be unique within their parent.")
                % {"number": number},
                "duplicate_number",
            )
        seen.add(number)

    def figure(
        self, path: str, printed: str | None, *, numeric: bool,
        model: type[models.Model] = IndicatorFigure, field: str = "printed",
    ) -> None:
        """A figure of a measured indicator must parse: a number, a band, a bound, several, or N/A."""
        if printed is None or not self.length(path, printed, model, field):
            return
        if not numeric or not printed:
            return
        figure = parse_figure(printed)
        if not (figure.not_applicable or figure.value is not None or figure.values):
            self.add(
                path,
                _("“%(value)s” is not a figure: enter a number (1 050, 37.8%%), a band (10%%±3%%), "
                  "a bound (≤ 48), several numbers separated by “;”, or 不适用.") % {"value": printed},
                "invalid_figure",
            )

    def quantity(self, path: str, printed: str | None) -> None:
        """A planned quantity is empty, not applicable, or one or several numbers."""
        if not printed or not self.length(path, printed, Output, "planned_quantity"):
            return
        if parse_figure(printed).not_applicable:
            return
        try:
            _numbers(printed)
        except NumberError as error:
            self.add(path, str(error), error.code)

    # The document, top down.

    def document(self, data: dict) -> None:
        self.entity(data.get("entity"))
        self.period(data.get("period"))
        self.report_type(data.get("report_type"))
        self.report(data.get("report"), type_code=_str(data.get("report_type"), "code"), data=data)
        self.units(data)

    def entity(self, node) -> None:
        if not isinstance(node, dict):
            return
        self.fields("$.entity", node, Mission, ("code", "name_en", "name_zh", "short_name_en", "short_name_zh", "overall_objective", "overall_objective_en"))
        self.lines("$.entity", node, "mandate_references", Mission, "mandate_references")

    def period(self, node) -> None:
        if not isinstance(node, dict):
            return
        label, start, end = _str(node, "label"), _date(_str(node, "start")), _date(_str(node, "end"))
        self.period_label = label
        self.length("$.period.label", label, BudgetPeriod, "label")
        if start and end and start >= end:
            self.add("$.period.end", _("The period must end after it starts."), "period_order")
        existing = BudgetPeriod.objects.filter(label=label).first() if label and start and end else None
        # Periods are shared by every report; a file must not move one (2020/21 is 1 July–30 June).
        if existing and (existing.start, existing.end, existing.kind) != (start, end, _str(node, "kind")):
            self.add(
                "$.period",
                _("Period %(label)s already exists as %(start)s – %(end)s (%(kind)s); the file must match it.")
                % {"label": label, "start": existing.start, "end": existing.end, "kind": existing.kind},
                "period_conflict",
            )

    def report_type(self, node) -> None:
        if not isinstance(node, dict):
            return
        code, shape = _str(node, "code"), _str(node, "shape")
        self.fields("$.report_type", node, ReportType, ("code", "name_en", "name_zh"))
        if shape in ReportType.Shape.values:
            self.shape = shape
        if not code or not shape:
            return
        expected = CANONICAL_SHAPES.get(code) or ReportType.objects.filter(code=code).values_list("shape", flat=True).first()
        if expected and shape != expected:
            self.add(
                "$.report_type.shape",
                _("Report type “%(code)s” has the shape “%(shape)s”; it cannot change.") % {"code": code, "shape": expected},
                "shape_conflict",
            )

    def report(self, node, *, type_code: str | None, data: dict) -> None:
        if not isinstance(node, dict):
            return
        self.planning = node.get("phase") == Report.Phase.PLANNING
        self.fields("$.report", node, Report, ("symbol", "budget_symbol"))
        code = _str(node, "report_type")
        if code and type_code and code != type_code:
            self.add("$.report.report_type", _("This must equal report_type.code (“%(code)s”).") % {"code": type_code}, "type_mismatch")
        low, high = _str(node, "ratio_low"), _str(node, "ratio_high")
        try:
            if low and high and parse_decimal(low) > parse_decimal(high):
                self.add("$.report.ratio_high", _("The highest ratio must not be below the lowest."), "ratio_order")
            tolerance = _str(node, "tolerance_percent")
            if tolerance and parse_decimal(tolerance) > 1000:
                self.add("$.report.tolerance_percent", _("Enter at most 1000."), "too_large")
        except NumberError:
            pass  # the schema pattern reported it
        entity_code, label = _str(data.get("entity"), "code"), self.period_label
        existing = (
            Report.objects.filter(mission__code=entity_code, period__label=label).select_related("report_type").first()
            if entity_code and label
            else None
        )
        # Replacing a framework keeps the report, its workflow and its resources, which belong
        # to its type; a file of another type is a different report, not a new version.
        if existing and code and existing.report_type.code != code:
            self.add(
                "$.report.report_type",
                _("%(report)s is a “%(code)s” report; the file cannot change its type.")
                % {"report": existing, "code": existing.report_type.code},
                "type_conflict",
            )

    def units(self, data: dict) -> None:
        seen: set[str] = set()
        kinds: dict[str, str] = {}
        for index, node in _dicts(data, "units"):
            path = f"$.units[{index}]"
            number, kind = _str(node, "number"), _str(node, "kind")
            self.unique(path, number, seen)
            self.fields(path, node, Unit, ("number", "title", "title_en"))
            self.content(path, node, "title")
            self.lines(path, node, "narrative", Unit, "narrative")
            self.lines(path, node, "narrative_en", Unit, "narrative_en")
            if self.shape and kind in Unit.Kind.values and kind not in UNIT_KINDS_BY_SHAPE[self.shape]:
                self.add(f"{path}.kind", _("A %(shape)s framework has no “%(kind)s” units.") % {"shape": self.shape, "kind": kind}, "shape_mismatch")
            self.unit_parent(path, node, kinds)
            if number is not None and kind is not None:
                kinds.setdefault(number, kind)
            ea_seen: set[str] = set()
            for ea_index, ea in _dicts(node, "expected_accomplishments"):
                self.accomplishment(f"{path}.expected_accomplishments[{ea_index}]", ea, ea_seen)
            output_seen: set[str] = set()
            for output_index, output in _dicts(node, "outputs"):
                self.output(f"{path}.outputs[{output_index}]", output, output_seen)
            if node.get("outputs") and self.shape == ReportType.Shape.MISSION:
                self.add(
                    f"{path}.outputs",
                    _("A mission framework lists outputs under their expected accomplishment; use [] or leave it out."),
                    "shape_mismatch",
                )

    def unit_parent(self, path: str, node: dict, earlier: dict[str, str]) -> None:
        """Only a sub-unit has a parent, and it is a department listed before it (A before A.1)."""
        kind, parent = _str(node, "kind"), node.get("parent")
        if kind == Unit.Kind.SUB_UNIT:
            if not isinstance(parent, str):
                self.add(f"{path}.parent", _("A sub-unit needs the number of its department."), "parent_missing")
            elif earlier.get(parent) != Unit.Kind.DEPARTMENT:
                self.add(
                    f"{path}.parent",
                    _("“%(parent)s” is not a department listed before this unit.") % {"parent": parent},
                    "unknown_parent",
                )
        elif parent is not None:
            self.add(f"{path}.parent", _("Only a sub-unit has a parent; use null."), "unexpected_parent")

    def accomplishment(self, path: str, node: dict, seen: set[str]) -> None:
        self.unique(path, _str(node, "number"), seen)
        self.fields(path, node, ExpectedAccomplishment, ("number", "text", "text_en"))
        self.content(path, node, "text")
        indicator_seen: set[str] = set()
        for index, indicator in _dicts(node, "indicators"):
            self.indicator(f"{path}.indicators[{index}]", indicator, indicator_seen)
        output_seen: set[str] = set()
        for index, output in _dicts(node, "outputs"):
            self.output(f"{path}.outputs[{index}]", output, output_seen)

    def indicator(self, path: str, node: dict, seen: set[str]) -> None:
        self.unique(path, _str(node, "number"), seen)
        self.fields(path, node, Indicator, (
            "number", "statement", "statement_en", "unit_hint", "unit_hint_en", "variance_explanation", "variance_explanation_en",
        ))
        self.content(path, node, "statement")
        self.lines(path, node, "actual_narrative", Indicator, "actual_narrative")
        self.lines(path, node, "actual_narrative_en", Indicator, "actual_narrative_en")
        numeric = _str(node, "measure") != Indicator.Measure.QUALITATIVE
        self.figure(f"{path}.actual", _str(node, "actual"), numeric=numeric, model=Indicator, field="actual")
        if _str(node, "measure") in NON_NEGATIVE_MEASURES and any(v < 0 for v in parse_figure(_str(node, "actual") or "").values):
            self.add(f"{path}.actual", str(NEGATIVE_REFUSED), "negative")
        self.baselines(path, node, numeric=numeric)
        for key in ("target", "estimate"):
            figure = node.get(key)
            if isinstance(figure, dict):
                self.planned_figure(f"{path}.{key}", figure, numeric=numeric)
        # Each shape prints its own cells (domain.md §2.1, §3): a figure the other shape uses
        # would be stored but never shown, so it is refused rather than lost.
        if self.shape == ReportType.Shape.MISSION:
            # A budget proposal's targets are written in the planning phase: they may be empty.
            if "target" in node and node["target"] is None and not self.planning:
                self.add(f"{path}.target", _("An indicator of a mission framework needs a target."), "target_missing")
            if node.get("estimate") is not None:
                self.add(f"{path}.estimate", _("A mission framework has no estimates; use null."), "shape_mismatch")
        if self.shape == ReportType.Shape.HEADQUARTERS and node.get("baselines"):
            self.add(f"{path}.baselines", _("A headquarters framework has no baselines; use []."), "shape_mismatch")

    def baselines(self, path: str, node: dict, *, numeric: bool) -> None:
        periods: set[str] = set()
        for index, baseline in _dicts(node, "baselines"):
            item = f"{path}.baselines[{index}]"
            period = _str(baseline, "period")
            self.length(f"{item}.period", period, IndicatorFigure, "period_label")
            self.figure(f"{item}.value", _str(baseline, "value"), numeric=numeric)
            if period is not None and period in periods:
                self.add(f"{item}.period", _("Another baseline has the period %(period)s.") % {"period": period}, "duplicate_period")
            periods.add(period)

    def planned_figure(self, path: str, node: dict, *, numeric: bool) -> None:
        """Targets and estimates belong to the report's own period."""
        period = _str(node, "period")
        if period and self.period_label and period != self.period_label:
            self.add(
                f"{path}.period",
                _("This must be the report's period (%(period)s).") % {"period": self.period_label},
                "wrong_period",
            )
        self.figure(f"{path}.value", _str(node, "value"), numeric=numeric)

    def output(self, path: str, node: dict, seen: set[str]) -> None:
        self.unique(path, _str(node, "number"), seen)
        self.fields(path, node, Output, ("number", "heading", "heading_en", "planned_text", "planned_text_en"))
        self.content(path, node, "planned_text")
        self.lines(path, node, "remarks", Output, "remarks")
        self.lines(path, node, "remarks_en", Output, "remarks_en")
        self.quantity(f"{path}.planned_quantity", _str(node, "planned_quantity"))
        completed = node.get("completed")
        if isinstance(completed, dict):
            self.completed(f"{path}.completed", _str(completed, "kind"), _str(completed, "value"))

    def completed(self, path: str, kind: str | None, value: str | None) -> None:
        if value is None or not self.length(f"{path}.value", value, Output, "completed"):
            return
        if kind in (Output.Completed.YES, Output.Completed.NO, Output.Completed.BLANK):
            if value:
                self.add(f"{path}.value", _("Leave the value empty for “%(kind)s”.") % {"kind": kind}, "unexpected_value")
            return
        if kind not in (Output.Completed.NUMBER, Output.Completed.NUMBERS):
            return
        if kind == Output.Completed.NUMBER and parse_figure(value).not_applicable:
            return  # printed as 不适用 or —: kept as printed, no ratio computed
        try:
            count = len(_numbers(value))
        except NumberError as error:
            self.add(f"{path}.value", str(error), error.code)
            return
        if any(number < 0 for number in _numbers(value)):
            self.add(f"{path}.value", str(NEGATIVE_REFUSED), "negative")
        if kind == Output.Completed.NUMBER and count != 1:
            self.add(f"{path}.value", _("Enter one number, or use the kind “numbers”."), "several_numbers")
        if kind == Output.Completed.NUMBERS and count < 2:
            self.add(f"{path}.value", _("Enter two or more numbers separated by “;”."), "one_number")


# Import ---------------------------------------------------------------------------------


def framework_import(*, data: dict, user=None) -> Report:
    """Create or replace a report's framework from an interchange document.

    Everything is validated first and nothing is written when anything is wrong
    (FrameworkInvalid lists every error). The entity, period, report type and report are
    created or updated in place, so importing the same file twice changes nothing; the
    report's units and everything under them are replaced. A submitted or accepted report
    is refused (ReportLocked).
    """
    errors = framework_validate(data=data)
    if errors:
        raise FrameworkInvalid(errors)
    with transaction.atomic():
        report = _report_upsert(data=data)
        kept = _lineages_of(report)
        # Deleting the units cascades to accomplishments, indicators, figures and outputs.
        Unit.objects.filter(report=report).delete()
        _units_create(report=report, units=data["units"], user=user, kept=kept)
    return report


def _report_upsert(*, data: dict) -> Report:
    entity, period, report_type, report = data["entity"], data["period"], data["report_type"], data["report"]
    # Lock the report row first, so a submission cannot slip in between the check and the writes.
    existing = (
        Report.objects.select_for_update(of=("self",))
        .select_related("mission", "period")
        .filter(mission__code=entity["code"], period__label=period["label"])
        .first()
    )
    if existing and existing.planned_side_frozen:
        raise ReportLocked(
            _("%(report)s is submitted or accepted, or its proposal was accepted; its framework cannot be replaced.") % {"report": existing}
        )
    mission, _created = Mission.objects.update_or_create(
        code=entity["code"],
        defaults={
            "name_en": entity["name_en"],
            "name_zh": entity["name_zh"],
            "short_name_en": entity["short_name_en"],
            "short_name_zh": entity["short_name_zh"],
            "mandate_references": "\n".join(entity["mandate_references"]),
            "overall_objective": entity["overall_objective"],
            "overall_objective_en": entity.get("overall_objective_en", ""),
        },
    )
    budget_period, _created = BudgetPeriod.objects.get_or_create(
        label=period["label"],
        defaults={"start": date.fromisoformat(period["start"]), "end": date.fromisoformat(period["end"]), "kind": period["kind"]},
    )
    type_obj, _created = ReportType.objects.update_or_create(
        code=report_type["code"],
        defaults={
            "shape": report_type["shape"],
            "name_en": report_type["name_en"],
            "name_zh": report_type["name_zh"],
            "variance_threshold_percent": Decimal(report_type["variance_threshold_percent"]),
            "variance_threshold_usd": Decimal(report_type["variance_threshold_usd"]),
        },
    )
    values = {
        "report_type": type_obj,
        "symbol": report["symbol"],
        "budget_symbol": report["budget_symbol"],
        "due_date": date.fromisoformat(report["due_date"]) if report["due_date"] else None,
        "tolerance_percent": Decimal(report["tolerance_percent"]),
        "ratio_low": Decimal(report["ratio_low"]),
        "ratio_high": Decimal(report["ratio_high"]),
    }
    if existing is None:
        phase = report.get("phase") or Report.Phase.PERFORMANCE
        return Report.objects.create(mission=mission, period=budget_period, phase=phase, **values)
    for field, value in values.items():
        setattr(existing, field, value)
    existing.save(update_fields=[*values, "updated_at"])
    return existing


def _lineages_of(report: Report) -> dict:
    """The lineage of every item of the framework about to be replaced, by its numbers.

    A document without lineages (written by hand, or before format 1 carried them) then keeps
    the history of the items it replaces: importing the same framework again links as before.
    """
    kept = {}
    for number, lineage in Unit.objects.filter(report=report).values_list("number", "lineage"):
        kept["unit", number] = lineage
    for unit, number, lineage in ExpectedAccomplishment.objects.filter(unit__report=report).values_list(
        "unit__number", "number", "lineage"
    ):
        kept["accomplishment", unit, number] = lineage
    rows = Indicator.objects.filter(accomplishment__unit__report=report).values_list(
        "accomplishment__unit__number", "accomplishment__number", "number", "lineage"
    )
    for unit, ea, number, lineage in rows:
        kept["indicator", unit, ea, number] = lineage
    # Outputs through their unit, so a unit's own outputs (no accomplishment: None) keep theirs.
    rows = Output.objects.filter(unit__report=report).values_list("unit__number", "accomplishment__number", "number", "lineage")
    for unit, ea, number, lineage in rows:
        kept["output", unit, ea, number] = lineage
    return kept


def _lineage(node: dict, kept: dict, key: tuple):
    """The document's lineage, else the replaced item's, else a new one.

    A lineage the document repeats for a second item of the same type (an item copied in the
    file to start a new one) goes to the first only: the copy starts its own history.
    """
    used = kept.setdefault("used", set())
    lineage = uuid.UUID(node["lineage"]) if node.get("lineage") else kept.get(key)
    if lineage is None or (key[0], lineage) in used:
        lineage = new_lineage()
    used.add((key[0], lineage))
    return lineage


def _units_create(*, report: Report, units: list[dict], user, kept: dict | None = None) -> None:
    """Write the units and everything under them with one bulk insert per table."""
    kept = {} if kept is None else kept
    unit_rows = [
        Unit(
            report=report, kind=node["kind"], number=node["number"], title=node["title"],
            title_en=node.get("title_en", ""), narrative="\n".join(node["narrative"]),
            narrative_en="\n".join(node.get("narrative_en", [])), order=order, lineage=_lineage(node, kept, ("unit", node["number"])),
        )
        for order, node in enumerate(units)
    ]
    # Parents are departments listed earlier (validated), so top-level units go in first and
    # sub-units second, once their parents have keys.
    Unit.objects.bulk_create([unit for unit, node in zip(unit_rows, units) if node["parent"] is None])
    by_number = {unit.number: unit for unit in unit_rows}
    children = [unit for unit, node in zip(unit_rows, units) if node["parent"] is not None]
    for unit, node in zip(unit_rows, units):
        if node["parent"] is not None:
            unit.parent = by_number[node["parent"]]
    Unit.objects.bulk_create(children)

    ea_pairs = [
        (ExpectedAccomplishment(
            unit=unit, number=ea["number"], text=ea["text"], text_en=ea.get("text_en", ""), order=order,
            lineage=_lineage(ea, kept, ("accomplishment", unit.number, ea["number"])),
        ), ea)
        for unit, node in zip(unit_rows, units)
        for order, ea in enumerate(node["expected_accomplishments"])
    ]
    ExpectedAccomplishment.objects.bulk_create([ea for ea, _node in ea_pairs])

    indicator_pairs = [
        (_indicator_build(ea=ea, node=indicator, order=order, user=user, kept=kept), indicator)
        for ea, node in ea_pairs
        for order, indicator in enumerate(node["indicators"])
    ]
    Indicator.objects.bulk_create([indicator for indicator, _node in indicator_pairs])
    IndicatorFigure.objects.bulk_create(
        [figure for indicator, node in indicator_pairs for figure in _figures_build(indicator=indicator, node=node)]
    )
    Output.objects.bulk_create(
        [
            _output_build(unit=ea.unit, ea=ea, node=output, order=order, user=user, kept=kept)
            for ea, node in ea_pairs
            for order, output in enumerate(node["outputs"])
        ]
        + [
            _output_build(unit=unit, ea=None, node=output, order=order, user=user, kept=kept)
            for unit, node in zip(unit_rows, units)
            for order, output in enumerate(node.get("outputs", []))
        ]
    )


def _indicator_build(*, ea: ExpectedAccomplishment, node: dict, order: int, user, kept: dict) -> Indicator:
    indicator = Indicator(
        lineage=_lineage(node, kept, ("indicator", ea.unit.number, ea.number, node["number"])),
        accomplishment=ea, number=node["number"], statement=node["statement"], measure=node["measure"],
        unit_hint=node["unit_hint"], direction=node["direction"], order=order,
        actual_narrative="\n".join(node["actual_narrative"]), variance_explanation=node["variance_explanation"],
        # Files written before both languages were carried hold only the Chinese fields.
        statement_en=node.get("statement_en", ""), unit_hint_en=node.get("unit_hint_en", ""),
        actual_narrative_en="\n".join(node.get("actual_narrative_en", [])),
        variance_explanation_en=node.get("variance_explanation_en", ""),
        updated_by=user,
    )
    indicator.set_actual(node["actual"])
    return indicator


def _figures_build(*, indicator: Indicator, node: dict) -> list[IndicatorFigure]:
    planned = [(IndicatorFigure.Kind.BASELINE, baseline) for baseline in node["baselines"]]
    planned += [(kind, node[kind.value]) for kind in (IndicatorFigure.Kind.TARGET, IndicatorFigure.Kind.ESTIMATE) if node[kind.value]]
    figures = []
    for order, (kind, item) in enumerate(planned):
        figure = IndicatorFigure(indicator=indicator, kind=kind, period_label=item["period"], order=order)
        figure.set_printed(item["value"])
        figures.append(figure)
    return figures


def _output_build(*, unit: Unit, ea: ExpectedAccomplishment | None, node: dict, order: int, user, kept: dict) -> Output:
    # A unit's own output (headquarters) has no accomplishment: None in its lineage key.
    output = Output(
        lineage=_lineage(node, kept, ("output", unit.number, ea.number if ea is not None else None, node["number"])),
        unit=unit, accomplishment=ea, number=node["number"], heading=node["heading"], planned_text=node["planned_text"],
        order=order, remarks="\n".join(node["remarks"]), updated_by=user,
        heading_en=node.get("heading_en", ""), planned_text_en=node.get("planned_text_en", ""),
        remarks_en="\n".join(node.get("remarks_en", [])),
    )
    output.set_planned_quantity(node["planned_quantity"])
    output.set_completed(node["completed"]["kind"], node["completed"]["value"])
    return output
