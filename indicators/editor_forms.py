"""Forms of the framework editor: shape and type of the planned side, never workflow rules.

Each form turns into the keyword arguments of its service (`service_kwargs`), so the page
and the API (which validates through the same forms) call the services the same way.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from missions.models import ReportType, Unit

from .forms import NARRATIVE_ATTRS, FigureField, VersionedForm
from .framework_services import PlannedFigures
from .models import TEXT_LIMIT, Indicator

BASELINE_SLOTS = 3  # the UN prints up to three earlier periods before the target


def _text(label, *, required=False, rows=3, max_length=TEXT_LIMIT, help_text=""):
    return forms.CharField(label=label, required=required, max_length=max_length, help_text=help_text,
                           widget=forms.Textarea(attrs={**NARRATIVE_ATTRS, "rows": rows}))


def _line(label, *, required=False, max_length=500, help_text=""):
    return forms.CharField(label=label, required=required, max_length=max_length, help_text=help_text)


class EditorForm(VersionedForm):
    """New items have no version yet: the field is dropped for them."""

    def __init__(self, *args, new: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if new:
            del self.fields["version"]

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class UnitForm(EditorForm):
    number = _line(_("Number"), max_length=20, help_text=_("As the document prints it, for example I or A.1 (headquarters)."))
    title = _line(_("Title (Chinese)"), required=True)
    title_en = _line(_("Title (English)"))
    narrative = _text(_("Narrative (Chinese)"), rows=4, help_text=_("One paragraph per line."))
    narrative_en = _text(_("Narrative (English)"), rows=4, help_text=_("One paragraph per line."))

    def __init__(self, *args, headquarters: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if headquarters:
            self.fields["number"].required = True
        else:
            # A component's number follows its place (1, 2 …).
            del self.fields["number"]

    @staticmethod
    def initial_for(unit: Unit) -> dict:
        return {name: getattr(unit, name) for name in ("version", "number", "title", "title_en", "narrative", "narrative_en")}


class AccomplishmentForm(EditorForm):
    text = _text(_("Expected accomplishment (Chinese)"), required=True)
    text_en = _text(_("Expected accomplishment (English)"))

    @staticmethod
    def initial_for(ea) -> dict:
        return {"version": ea.version, "text": ea.text, "text_en": ea.text_en}


class IndicatorPlanForm(EditorForm):
    statement = _text(_("Statement (Chinese)"), required=True)
    statement_en = _text(_("Statement (English)"))
    measure = forms.ChoiceField(label=_("Unit of measure"), choices=Indicator.Measure.choices, initial=Indicator.Measure.COUNT)
    unit_hint = _line(_("Unit as printed (Chinese)"), max_length=100, help_text=_("For example 请求数目 or 百分比."))
    unit_hint_en = _line(_("Unit as printed (English)"), max_length=100)
    direction = forms.ChoiceField(label=_("Direction"), choices=Indicator.Direction.choices, initial=Indicator.Direction.INCREASE)
    target = FigureField(label=_("Target"), allow_text=True, help_text=_("As printed: 290, 35%, ≤ 48, 10%±3%, 正面."))
    estimate = FigureField(label=_("Estimate"), allow_text=True, help_text=_("Headquarters: the estimate for the period in progress."))

    def __init__(self, *args, headquarters: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for slot in range(1, BASELINE_SLOTS + 1):
            self.fields[f"baseline_{slot}_period"] = forms.CharField(
                label=_("Baseline %(slot)s: period") % {"slot": slot}, required=False, max_length=20,
                help_text=_("For example 2018/19.") if slot == 1 else "",
            )
            self.fields[f"baseline_{slot}_value"] = FigureField(label=_("Baseline %(slot)s: value") % {"slot": slot}, allow_text=True)
        if not headquarters:
            del self.fields["estimate"]

    @property
    def baseline_fields(self):
        return [(self[f"baseline_{slot}_period"], self[f"baseline_{slot}_value"]) for slot in range(1, BASELINE_SLOTS + 1)]

    def clean(self):
        cleaned = super().clean()
        for slot in range(1, BASELINE_SLOTS + 1):
            period, value = cleaned.get(f"baseline_{slot}_period", ""), cleaned.get(f"baseline_{slot}_value", "")
            if bool(period) != bool(value):
                self.add_error(f"baseline_{slot}_value" if period else f"baseline_{slot}_period",
                               forms.ValidationError(_("Give each baseline a period and a value."), code="baseline_incomplete"))
        return cleaned

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        baselines = []
        for slot in range(1, BASELINE_SLOTS + 1):
            period, value = data.pop(f"baseline_{slot}_period", ""), data.pop(f"baseline_{slot}_value", "")
            if period and value:
                baselines.append((period, value))
        data["figures"] = PlannedFigures(baselines=tuple(baselines), target=data.pop("target", ""), estimate=data.pop("estimate", ""))
        return data

    @staticmethod
    def initial_for(indicator: Indicator) -> dict:
        initial = {name: getattr(indicator, name) for name in ("version", "statement", "statement_en", "measure", "unit_hint", "unit_hint_en", "direction")}
        slot = 0
        for figure in indicator.figures.all():
            if figure.kind == "baseline" and slot < BASELINE_SLOTS:
                slot += 1
                initial[f"baseline_{slot}_period"], initial[f"baseline_{slot}_value"] = figure.period_label, figure.printed
            elif figure.kind in ("target", "estimate"):
                initial[figure.kind] = figure.printed
        return initial


class OutputPlanForm(EditorForm):
    heading = _line(_("Heading (Chinese)"), help_text=_("Service heading or category path, levels separated by “ › ”."))
    heading_en = _line(_("Heading (English)"))
    planned_text = _text(_("Planned output (Chinese)"), required=True)
    planned_text_en = _text(_("Planned output (English)"))
    planned_quantity = FigureField(label=_("Planned quantity"), allow_not_applicable=True, help_text=_("As printed: 220, 1 300; several separated by “;”."))

    @staticmethod
    def initial_for(output) -> dict:
        return {name: getattr(output, name) for name in ("version", "heading", "heading_en", "planned_text", "planned_text_en", "planned_quantity")}


class MoveForm(VersionedForm):
    position = forms.IntegerField(min_value=0, max_value=100000)


class DeleteForm(forms.Form):
    confirm = forms.BooleanField(required=False)


class PlanningReportForm(forms.Form):
    entity_code = forms.SlugField(label=_("Entity code"), max_length=40, help_text=_("For example UNMIK; a new code creates the entity."))
    name_en = _line(_("Name (English)"), max_length=300)
    name_zh = _line(_("Name (Chinese)"), max_length=300)
    period_label = forms.RegexField(label=_("Period"), regex=r"^\d{4}(/\d{2})?$", max_length=20,
                                    help_text=_("For example 2021/22; a new label creates the period."),
                                    error_messages={"invalid": _("Write the period as 2021/22 or 2024.")})
    period_start = forms.DateField(label=_("Period start"), required=False, help_text=_("Only for a new period, for example 2021-07-01."))
    period_end = forms.DateField(label=_("Period end"), required=False)
    report_type = forms.ModelChoiceField(label=_("Report type"), queryset=ReportType.objects.order_by("code"))
