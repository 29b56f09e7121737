"""Workbook uploads: preview what an uploaded workbook would change, then apply it on confirmation.

The preview writes nothing but the pending upload (the parsed changes). Confirmation applies
every change in one transaction through the same services as the entry pages
(indicators.services, missions.services), so roles, locks, rules, version checks and the audit
trail hold; each change record is marked "via workbook". An item changed in the product since
the download is a conflict: it is applied only if the person chose "keep mine".
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.forms import IndicatorActualForm, output_form_class
from indicators.models import TEXT_LIMIT, Indicator, Output
from indicators.presentation import item_label
from indicators.services import _text as clean_text
from indicators.services import indicator_actual_record, output_delivery_record
from missions.models import ChangeRecord, Report, change_source
from missions.resource_selectors import resources_user_can_edit
from missions.selectors import access_for_user, access_may_enter_data
from missions.services import NIL_TOKENS, financial_line_update, incumbency_update
from rbb.exceptions import DomainError, NotPermitted, ReportLocked, StaleVersion
from rbb.lib.numbers import NumberError, parse_decimal

from .layout import COMPLETED_WORDS, FINANCIAL, INCUMBENCY, INDICATOR, OUTPUT
from .models import WorkbookUpload
from .read import Problem, RowRead, text_of, workbook_read
from .selectors import workbook_current_items

MAX_WORKBOOK_BYTES = 20 * 1024 * 1024
ONE_PLACE = Decimal("0.1")


class WorkbookInvalid(DomainError):
    """The workbook was refused; extra["problems"] lists each problem with its sheet and cell."""

    http_status = 400
    default_code = "workbook_invalid"
    default_message = gettext_lazy("The workbook has problems; nothing was changed.")

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(extra={"problems": [problem.as_dict() for problem in problems]})


class WorkbookStale(DomainError):
    http_status = 409
    default_code = "workbook_stale"
    default_message = gettext_lazy(
        "An item was changed by someone else after the preview; nothing was applied. Upload the workbook again."
    )


class ChoiceRequired(DomainError):
    http_status = 400
    default_code = "choice_required"
    default_message = gettext_lazy("Choose “keep mine” or “keep theirs” for every conflict.")


FIELD_LABELS = {
    "actual": gettext_lazy("Actual value"),
    "actual_narrative": gettext_lazy("What was achieved (Chinese)"),
    "actual_narrative_en": gettext_lazy("What was achieved (English)"),
    "variance_explanation": gettext_lazy("Variance explanation (Chinese)"),
    "variance_explanation_en": gettext_lazy("Variance explanation (English)"),
    "completed": gettext_lazy("Completed"),
    "remarks": gettext_lazy("Remarks (Chinese)"),
    "remarks_en": gettext_lazy("Remarks (English)"),
    "apportionment": gettext_lazy("Apportionment"),
    "expenditure": gettext_lazy("Expenditure"),
    "authorized": gettext_lazy("Authorized"),
    "actual_average": gettext_lazy("Actual (average)"),
    "budgeted_vacancy_rate": gettext_lazy("Budgeted vacancy rate (%)"),
    "statement": gettext_lazy("Indicator (Chinese)"),
    "statement_en": gettext_lazy("Indicator (English)"),
    "target": gettext_lazy("Target"),
    "planned_text": gettext_lazy("Planned output (Chinese)"),
    "planned_text_en": gettext_lazy("Planned output (English)"),
    "planned_quantity": gettext_lazy("Planned quantity"),
}
# Workbook column -> model field, per item type.
INDICATOR_CELLS = {"actual": "actual", "narrative": "actual_narrative", "narrative_en": "actual_narrative_en",
                   "variance": "variance_explanation", "variance_en": "variance_explanation_en"}
OUTPUT_CELLS = {"actual": "completed", "narrative": "remarks", "narrative_en": "remarks_en"}
AMOUNT_CELLS = {FINANCIAL: ("apportionment", "expenditure"),
                INCUMBENCY: ("authorized", "actual_average", "budgeted_vacancy_rate")}


# --- preview ----------------------------------------------------------------------------------


def workbook_preview(*, report: Report, content: bytes, filename: str = "", by) -> WorkbookUpload:
    """Read an uploaded workbook and store what it would change; raise WorkbookInvalid with every problem.

    Nothing in the report is written. A submitted or accepted report is refused at once.
    """
    if report.is_locked:
        raise ReportLocked()
    access = access_for_user(by)
    if not access_may_enter_data(access, mission_id=report.mission_id):
        raise NotPermitted()
    if len(content) > MAX_WORKBOOK_BYTES:
        raise WorkbookInvalid([Problem("", "", _("The file is larger than %(size)d MB.") % {"size": MAX_WORKBOOK_BYTES // 2**20})])
    read = workbook_read(content)
    # Without its identity (not a workbook, changed hidden sheet, another report) nothing else
    # can be read; cell problems are listed together with the content's.
    if read.problems and not read.rows:
        raise WorkbookInvalid(read.problems)
    identity = _identity_problems(read.meta, report)
    if identity:
        raise WorkbookInvalid(identity)
    problems = list(read.problems)
    planning = report.phase == Report.Phase.PLANNING
    if not planning:
        for added in read.added:
            problems.append(Problem(added.sheet, f"A{added.row}", _(
                "Rows cannot be added in the performance phase; new indicators and outputs are planned in the budget proposal."
            )))
    changed = [row for row in read.rows if row.changed]
    ids: dict[str, set[int]] = {}
    for row in changed:
        ids.setdefault(row.item_type, set()).add(row.item_id)
    current = workbook_current_items(report=report, ids=ids)
    headquarters = report.report_type.is_headquarters
    may_edit_resources = None
    changes = []
    for row in changed:
        item = current.get((row.item_type, row.item_id))
        if item is None:
            problems.append(Problem(row.sheet, f"A{row.row}", _("This item no longer exists in the report.")))
            continue
        if row.item_type in (INDICATOR, OUTPUT):
            unit = item.accomplishment.unit
            if not access_may_enter_data(access, mission_id=report.mission_id, unit_number=unit.number):
                problems.append(Problem(row.sheet, f"A{row.row}", _("You may not change the items of unit %(unit)s.") % {"unit": unit.number}))
                continue
        else:
            if may_edit_resources is None:
                may_edit_resources = resources_user_can_edit(user=by, report=report)
            if not may_edit_resources:
                problems.append(Problem(row.sheet, f"A{row.row}", _("You may not change the resources.")))
                continue
        if planning:
            change = planning_change(row, item, problems, headquarters=headquarters)
        elif row.item_type == INDICATOR:
            change = _indicator_change(row, item, problems, headquarters=headquarters)
        elif row.item_type == OUTPUT:
            change = _output_change(row, item, problems, headquarters=headquarters)
        else:
            change = _amount_change(row, item, problems)
        if change:
            changes.append(change)
    if planning and read.added:
        changes += planning_additions(report, read, access=access, problems=problems)
    if problems:
        raise WorkbookInvalid(problems)
    return WorkbookUpload.objects.create(report=report, owner=by, filename=filename[:255], changes=changes)


def _identity_problems(meta: dict, report: Report) -> list[Problem]:
    if meta["report_id"] != str(report.pk) or meta["entity"] != report.mission.code or meta["period"] != report.period.label:
        return [Problem("", "", _(
            "This workbook is for %(entity)s %(period)s, not %(report)s: upload it to its own report."
        ) % {"entity": meta["entity"], "period": meta["period"], "report": report})]
    if meta["phase"] != report.phase:
        return [Problem("", "", _(
            "This workbook was made in another phase of the report (%(phase)s): download a new workbook."
        ) % {"phase": meta["phase"]})]
    return []


def _change(row: RowRead, item, *, label: str, fields: list[dict], values: dict) -> dict | None:
    if not fields:
        return None
    return {
        "key": f"{row.item_type}:{item.pk}", "type": row.item_type, "id": item.pk, "label": label,
        "sheet": row.sheet, "row": row.row, "version": row.version, "current_version": item.version,
        "conflict": item.version != row.version, "fields": fields, "values": values,
    }


def _field(name: str, cell: str, old, new) -> dict:
    return {"name": name, "label": str(FIELD_LABELS[name]), "cell": cell, "old": old, "new": new}


def _english_text(row: RowRead, key: str, problems: list) -> str | None:
    text = clean_text(text_of(row.values.get(key)))
    if len(text) > TEXT_LIMIT:
        problems.append(Problem(row.sheet, row.cell(key), _("This text is longer than %(limit)d characters.") % {"limit": TEXT_LIMIT}))
        return None
    return text


def _form_problems(row: RowRead, form, cells: dict[str, str], problems: list) -> None:
    for name, errors in form.errors.items():
        key = next((k for k, field in cells.items() if field == name), None)
        cell = row.cell(key) if key else f"A{row.row}"
        for error in errors:
            problems.append(Problem(row.sheet, cell, str(error)))


def _indicator_change(row: RowRead, item: Indicator, problems: list, *, headquarters: bool) -> dict | None:
    """Normalise the changed cells as the entry form does, and keep the fields that differ."""
    data = {"version": item.version, "actual": item.actual, "actual_narrative": item.actual_narrative,
            "variance_explanation": item.variance_explanation}
    for key in row.changed & {"actual", "narrative", "variance"}:
        data[INDICATOR_CELLS[key]] = text_of(row.values.get(key))
    form = IndicatorActualForm(data, indicator=item)
    if not form.is_valid():
        _form_problems(row, form, INDICATOR_CELLS, problems)
        return None
    fields, values = [], {}
    for key, name in INDICATOR_CELLS.items():
        if key not in row.changed:
            continue
        new = _english_text(row, key, problems) if name.endswith("_en") else clean_text(form.cleaned_data[name])
        if new is None or new == getattr(item, name):
            continue
        fields.append(_field(name, row.cell(key), getattr(item, name), new))
        values[name] = new
    return _change(row, item, label=item_label(item, headquarters=headquarters), fields=fields, values=values)


def _completed_kind(text: str) -> str | None:
    """yes / no / blank from the words a person may type, in either language; None for a figure."""
    folded = text.strip().lower()
    labels = {kind: {str(label).lower() for label in _labels(kind)} for kind in ("yes", "no")}
    for kind, words in COMPLETED_WORDS.items():
        if folded in words or folded in labels.get(kind, ()):
            return kind
    return None


def _labels(kind: str):
    from django.utils import translation

    for lang in ("en", "zh-hans"):
        with translation.override(lang):
            yield str(Output.Completed(kind).label)


def _completed_shown(kind: str, completed: str) -> str:
    if kind in (Output.Completed.NUMBER, Output.Completed.NUMBERS):
        return completed
    return "" if kind == Output.Completed.BLANK else str(Output.Completed(kind).label)


def _output_change(row: RowRead, item: Output, problems: list, *, headquarters: bool) -> dict | None:
    kind, completed = item.completed_kind, item.completed
    if "actual" in row.changed:
        text = text_of(row.values.get("actual"))
        word = None if headquarters else _completed_kind(text)
        kind, completed = (word, "") if word else (Output.Completed.BLANK, text)
        if headquarters:
            kind = Output.Completed.NUMBER if text else Output.Completed.BLANK
    remarks = text_of(row.values.get("narrative")) if "narrative" in row.changed else item.remarks
    data = {"version": item.version, "completed_kind": kind, "completed": completed, "remarks": remarks}
    form = output_form_class(headquarters=headquarters)(data)
    if not form.is_valid():
        _form_problems(row, form, {"actual": "completed", "narrative": "remarks"}, problems)
        return None
    cleaned = form.cleaned_data
    fields, values = [], {}
    if "actual" in row.changed and (cleaned["completed_kind"], cleaned["completed"]) != (item.completed_kind, item.completed):
        fields.append(_field("completed", row.cell("actual"), _completed_shown(item.completed_kind, item.completed),
                             _completed_shown(cleaned["completed_kind"], cleaned["completed"])))
        values["completed_kind"], values["completed"] = cleaned["completed_kind"], cleaned["completed"]
    if "narrative" in row.changed and clean_text(cleaned["remarks"]) != item.remarks:
        fields.append(_field("remarks", row.cell("narrative"), item.remarks, clean_text(cleaned["remarks"])))
        values["remarks"] = clean_text(cleaned["remarks"])
    if "narrative_en" in row.changed:
        new = _english_text(row, "narrative_en", problems)
        if new is not None and new != item.remarks_en:
            fields.append(_field("remarks_en", row.cell("narrative_en"), item.remarks_en, new))
            values["remarks_en"] = new
    return _change(row, item, label=item_label(item, headquarters=headquarters), fields=fields, values=values)


def _amount(row: RowRead, key: str, problems: list) -> tuple[bool, Decimal | None]:
    """A typed amount (1 234.5, 1,234.5, full-width digits; — or empty for nil), to one decimal."""
    value = row.values.get(key)
    text = text_of(value)
    if text in NIL_TOKENS:
        return True, None
    try:
        number = parse_decimal(text, allow_percent=False)
    except NumberError as exc:
        problems.append(Problem(row.sheet, row.cell(key), str(exc)))
        return False, None
    if number != number.quantize(ONE_PLACE):
        problems.append(Problem(row.sheet, row.cell(key), _("“%(value)s” has more than one decimal place.") % {"value": text}))
        return False, None
    return True, number.quantize(ONE_PLACE)


def _amount_change(row: RowRead, item, problems: list) -> dict | None:
    fields, values = [], {}
    for name in AMOUNT_CELLS[row.item_type]:
        if name not in row.changed:
            continue
        ok, new = _amount(row, name, problems)
        old = getattr(item, name)
        if ok and new != old:
            fields.append(_field(name, row.cell(name), _decimal_text(old), _decimal_text(new)))
            values[name] = _decimal_text(new)
    name = item.financial_class.name_en if row.item_type == FINANCIAL else item.category.name_en
    return _change(row, item, label=name, fields=fields, values=values)


def _decimal_text(value: Decimal | None) -> str:
    return "" if value is None else str(value)


# --- confirm ----------------------------------------------------------------------------------


@transaction.atomic
def workbook_confirm(*, upload: WorkbookUpload, choices: dict[str, str] | None = None, by) -> int:
    """Apply a previewed upload all or nothing; return how many items changed.

    `choices` maps a conflicting change's key ("indicator:12") to "mine" or "theirs".
    """
    choices = choices or {}
    missing = [change["key"] for change in upload.conflicts if choices.get(change["key"]) not in ("mine", "theirs")]
    if missing:
        raise ChoiceRequired(extra={"keys": missing})
    upload = WorkbookUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.status != WorkbookUpload.Status.PENDING:
        raise DomainError(_("This upload was already applied."), code="already_applied")
    applied = 0
    with change_source(ChangeRecord.Source.WORKBOOK):
        for change in upload.changes:
            if change["conflict"] and choices[change["key"]] == "theirs":
                continue
            version = change["current_version"] if change["conflict"] else change["version"]
            try:
                _apply(upload.report, change, version=version, by=by)
            except StaleVersion as exc:
                raise WorkbookStale(extra={"key": change["key"], "label": change["label"], "sheet": change["sheet"],
                                           "row": change["row"]}) from exc
            applied += 1
    upload.status = WorkbookUpload.Status.APPLIED
    upload.applied_at = timezone.now()
    upload.save(update_fields=["status", "applied_at"])
    return applied


def _apply(report: Report, change: dict, *, version: int, by) -> None:
    values = change["values"]
    kind = change["type"]
    if kind in PLANNING_TYPES:
        planning_apply(report, change, version=version, by=by)
    elif kind == INDICATOR:
        item = Indicator.objects.select_related("accomplishment__unit").get(pk=change["id"], accomplishment__unit__report=report)
        indicator_actual_record(
            indicator=item, version=version, by=by,
            actual=values.get("actual", item.actual),
            actual_narrative=values.get("actual_narrative", item.actual_narrative),
            variance_explanation=values.get("variance_explanation", item.variance_explanation),
            actual_narrative_en=values.get("actual_narrative_en"),
            variance_explanation_en=values.get("variance_explanation_en"),
        )
    elif kind == OUTPUT:
        item = Output.objects.select_related("accomplishment__unit").get(pk=change["id"], accomplishment__unit__report=report)
        output_delivery_record(
            output=item, version=version, by=by,
            completed_kind=values.get("completed_kind", item.completed_kind),
            completed=values.get("completed", item.completed),
            remarks=values.get("remarks", item.remarks),
            remarks_en=values.get("remarks_en"),
        )
    else:
        if not resources_user_can_edit(user=by, report=report):
            raise NotPermitted()
        current = workbook_current_items(report=report, ids={kind: {change["id"]}})[kind, change["id"]]
        merged = {name: getattr(current, name) for name in AMOUNT_CELLS[kind]}
        merged.update({name: Decimal(value) if value != "" else None for name, value in values.items()})
        if kind == FINANCIAL:
            financial_line_update(line=current, version=version, by=by, **merged)
        else:
            incumbency_update(
                row=current, version=version, by=by, method=current.method,
                vacancy_rate_entered=current.vacancy_rate_entered, vacancy_rate_note=current.vacancy_rate_note, **merged,
            )


# The planning phase's changes use the helpers above; imported last so that module can import them.
from .planning import PLANNING_TYPES, planning_additions, planning_apply, planning_change  # noqa: E402
