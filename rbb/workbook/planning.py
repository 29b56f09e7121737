"""The planning phase of a workbook: the planned side changed, and rows added at the end of a unit
sheet created as new indicators and outputs, through the planning services in indicators."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from indicators.forms import clean_figure
from indicators.models import ExpectedAccomplishment, Indicator, IndicatorFigure, Output
from indicators.presentation import item_label
from indicators.services import _text as clean_text
from indicators.services import indicator_add, indicator_plan_record, output_add, output_plan_record
from missions.models import Report
from missions.selectors import access_may_enter_data

from .layout import ACCOMPLISHMENT, INDICATOR
from .read import Problem, RowRead, WorkbookRead, text_of
from .services import _change, _field

PLANNING_TYPES = {"indicator_plan", "output_plan", "new_indicator", "new_output"}


def _figure(row: RowRead, problems: list, *, percent: bool) -> str | None:
    try:
        return clean_figure(text_of(row.values.get("planned")), allow_percent=percent)
    except ValidationError as error:
        problems.append(Problem(row.sheet, row.cell("planned"), error.messages[0]))
        return None


def _target(indicator: Indicator) -> str:
    return next((f.printed for f in indicator.figures.all() if f.kind == IndicatorFigure.Kind.TARGET), "")


def planning_change(row: RowRead, item, problems: list, *, headquarters: bool) -> dict | None:
    """The planned-side fields of a known row that the person changed, normalised as the forms do."""
    indicator = row.item_type == INDICATOR
    names = ("statement", "statement_en", "target") if indicator else ("planned_text", "planned_text_en", "planned_quantity")
    current = {names[0]: getattr(item, names[0]), names[1]: getattr(item, names[1]),
               names[2]: _target(item) if indicator else item.planned_quantity}
    new = dict(current)
    for key, name in zip(("text", "text_en", "planned"), names):
        if key not in row.changed:
            continue
        value = _figure(row, problems, percent=indicator) if key == "planned" else clean_text(text_of(row.values.get(key)))
        if value is not None:
            new[name] = value
    if not (new[names[0]] or new[names[1]]):
        problems.append(Problem(row.sheet, row.cell("text"), _("Write the text in at least one language.")))
        return None
    fields = [_field(name, row.cell(key), current[name], new[name])
              for key, name in zip(("text", "text_en", "planned"), names) if new[name] != current[name]]
    change = _change(row, item, label=item_label(item, headquarters=headquarters), fields=fields, values=new)
    if change:
        change["type"] = "indicator_plan" if indicator else "output_plan"
    return change


def planning_additions(report: Report, read: WorkbookRead, *, access, problems: list) -> list[dict]:
    """Rows added below a unit sheet's last row: new indicators and outputs of that sheet's accomplishments."""
    ea_ids = {row.item_id for row in read.rows if row.item_type == ACCOMPLISHMENT}
    sheet_of = {row.item_id: row.sheet for row in read.rows if row.item_type == ACCOMPLISHMENT}
    eas = {(sheet_of[ea.pk], ea.number): ea for ea in
           ExpectedAccomplishment.objects.filter(pk__in=ea_ids, unit__report=report).select_related("unit")}
    taken = {("indicator", ea_id, n) for ea_id, n in Indicator.objects.filter(accomplishment_id__in=ea_ids).values_list("accomplishment_id", "number")}
    taken |= {("output", ea_id, n) for ea_id, n in Output.objects.filter(accomplishment_id__in=ea_ids).values_list("accomplishment_id", "number")}
    words = {"indicator": {"indicator", "指标", "成绩指标", str(_("Indicator")).lower()},
             "output": {"output", "产出", str(_("Output")).lower()}}
    changes = []
    for row in read.added:
        word = text_of(row.values.get("item")).lower()
        kind = next((k for k, choices in words.items() if word in choices), None)
        if kind is None:
            problems.append(Problem(row.sheet, row.cell("item"), _("Write Indicator or Output here.")))
            continue
        ea = eas.get((row.sheet, text_of(row.values.get("ea"))))
        if ea is None:
            problems.append(Problem(row.sheet, row.cell("ea"), _("Name an expected accomplishment of this sheet.")))
            continue
        if not access_may_enter_data(access, mission_id=report.mission_id, unit_number=ea.unit.number):
            problems.append(Problem(row.sheet, f"A{row.row}", _("You may not change the items of unit %(unit)s.") % {"unit": ea.unit.number}))
            continue
        number = text_of(row.values.get("number"))
        if not number:
            problems.append(Problem(row.sheet, row.cell("number"), _("Give the new item a number.")))
            continue
        if (kind, ea.pk, number) in taken:
            problems.append(Problem(row.sheet, row.cell("number"), _(
                "Number %(number)s is already used in this expected accomplishment.") % {"number": number}))
            continue
        taken.add((kind, ea.pk, number))
        text, text_en = clean_text(text_of(row.values.get("text"))), clean_text(text_of(row.values.get("text_en")))
        planned = _figure(row, problems, percent=kind == "indicator")
        if not (text or text_en):
            problems.append(Problem(row.sheet, row.cell("text"), _("Write the text in at least one language.")))
            continue
        if planned is None:
            continue
        names = ("statement", "statement_en", "target") if kind == "indicator" else ("planned_text", "planned_text_en", "planned_quantity")
        values = dict(zip(names, (text, text_en, planned)))
        changes.append({
            "key": f"new:{row.sheet}:{row.row}", "type": f"new_{kind}", "id": 0,
            "label": f"{ea.number} {number}" if kind == "indicator" else f"{ea.number} / {number}",
            "sheet": row.sheet, "row": row.row, "version": 0, "current_version": 0, "conflict": False,
            "fields": [_field(name, row.cell(key), "", values[name]) for key, name in zip(("text", "text_en", "planned"), names)
                       if values[name]],
            "values": {**values, "accomplishment": ea.pk, "number": number},
        })
    return changes


def planning_apply(report: Report, change: dict, *, version: int, by) -> None:
    values = change["values"]
    kind = change["type"]
    if kind == "indicator_plan":
        item = Indicator.objects.select_related("accomplishment__unit").get(pk=change["id"], accomplishment__unit__report=report)
        indicator_plan_record(indicator=item, version=version, by=by, **values)
    elif kind == "output_plan":
        item = Output.objects.select_related("accomplishment__unit").get(pk=change["id"], accomplishment__unit__report=report)
        output_plan_record(output=item, version=version, by=by, **values)
    else:
        ea = ExpectedAccomplishment.objects.select_related("unit").get(pk=values["accomplishment"], unit__report=report)
        fields = {k: v for k, v in values.items() if k != "accomplishment"}
        (indicator_add if kind == "new_indicator" else output_add)(accomplishment=ea, by=by, **fields)
