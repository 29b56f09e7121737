"""Forms for the actual side of the framework: they check the shape of input, never workflow rules.

Figures are typed as people type them (`1 234`, `1,234`, `１２３４`, `12.5%`) and stored as the
documents print them (`1 234`, `12.5%`), so every later export prints the same text.
"""

from __future__ import annotations

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from rbb.exceptions import DomainError
from rbb.lib.figures import NOT_APPLICABLE_TOKENS, parse_figure
from rbb.lib.numbers import NumberError, format_count, normalise_number_text, parse_decimal

from .models import TEXT_LIMIT, Indicator, Output

# Several figures in one cell are separated by a semicolon (`24%; 23%; 37%`, `180; 841`), a
# Chinese comma (`180，841`, `180、841`) or a comma and a space (`180, 841`). A comma alone does
# not separate: `1,234` is one number.
_CHINESE_SEPARATORS = str.maketrans({"，": ";", "、": ";", "；": ";"})
_SEVERAL = re.compile(r"\s*;\s*|,\s+")

NARRATIVE_ATTRS = {"rows": 6, "class": "prose", "spellcheck": "true"}


NEGATIVE_REFUSED = _("Enter a number of zero or more: this measure cannot be negative.")
FRACTION_WARNING = _("A fractional count: check it is meant (headquarters outputs do print 0.3 or 3.5).")
# Measures that cannot be below zero: a count, a number of days or months, a percentage.
NON_NEGATIVE_MEASURES = {
    Indicator.Measure.COUNT, Indicator.Measure.PERCENTAGE, Indicator.Measure.DAYS, Indicator.Measure.MONTHS,
}


def clean_figure(
    text: str,
    *,
    allow_text: bool = False,
    allow_several: bool = True,
    allow_percent: bool = True,
    allow_not_applicable: bool = True,
    allow_negative: bool = True,
) -> str:
    """Return a typed figure as the documents print it, or raise ValidationError.

    `1,234` and `１２３４` become `1 234`; `12.5%` stays; `24%;23%` becomes `24%; 23%`;
    `不适用` / `N/A` stay as typed. With allow_text, words are kept as a qualitative value.
    """
    text = (text or "").strip()
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text.translate(_CHINESE_SEPARATORS)).strip()
    if folded.lower() in NOT_APPLICABLE_TOKENS:
        if allow_not_applicable:
            return text
        raise ValidationError(_("Enter a number."), code="not_applicable")
    parts = [part for part in _SEVERAL.split(folded) if part]
    if len(parts) > 1 and not allow_several:
        raise ValidationError(_("Enter one number only."), code="several")
    printed = []
    for part in parts:
        try:
            printed.append(_print_number(part, allow_percent=allow_percent, allow_negative=allow_negative))
        except NumberError as exc:
            if allow_text:
                return text
            # A score (`89/100`) or a bound (`≤ 48`) is a figure the parser knows as printed.
            if allow_percent and parse_figure(part).value is not None:
                printed.append(part)
                continue
            raise ValidationError(str(exc), code=exc.code) from exc
    return "; ".join(printed)


def _print_number(part: str, *, allow_percent: bool, allow_negative: bool = True) -> str:
    percent = normalise_number_text(part).endswith("%")
    if percent and not allow_percent:
        raise NumberError(str(_("Enter a number without a percent sign.")), "percent")
    value = parse_decimal(part, allow_percent=allow_percent)
    if value < 0 and not allow_negative:
        # Not a NumberError: a negative number is a number, and must not pass as text.
        raise ValidationError(NEGATIVE_REFUSED, code="negative")
    return format_count(value) + ("%" if percent else "")


def fraction_warnings(printed: str) -> list[str]:
    """A warning, not an error, for a count typed with a fraction (`3.5`)."""
    values = [parse_figure(part).value for part in _SEVERAL.split(printed or "") if part]
    return [str(FRACTION_WARNING)] if any(v is not None and v != v.to_integral_value() for v in values) else []


class LimitedTextarea(forms.Textarea):
    """A textarea without the HTML maxlength, which makes browsers cut a paste silently: the
    server refuses over-long text with a message, and entry.js counts near the limit."""

    def __init__(self, attrs=None, *, limit: int):
        super().__init__({**(attrs or {}), "data-limit": str(limit)})

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs.pop("maxlength", None)
        return attrs


class FigureField(forms.CharField):
    """A figure typed as people type it, cleaned to how the documents print it."""

    def __init__(self, *, allow_text=False, allow_several=True, allow_percent=True, allow_not_applicable=True,
                 allow_negative=True, **kwargs):
        self.allow_text, self.allow_several, self.allow_percent = allow_text, allow_several, allow_percent
        self.allow_not_applicable, self.allow_negative = allow_not_applicable, allow_negative
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "text" if self.allow_text else "decimal", "autocomplete": "off", "class": "figure"})
        return attrs

    def clean(self, value):
        return clean_figure(
            super().clean(value),
            allow_text=self.allow_text,
            allow_several=self.allow_several,
            allow_percent=self.allow_percent,
            allow_not_applicable=self.allow_not_applicable,
            allow_negative=self.allow_negative,
        )


def _prose(label, help_text=""):
    return forms.CharField(
        label=label, help_text=help_text, required=False, max_length=TEXT_LIMIT,
        widget=LimitedTextarea(NARRATIVE_ATTRS, limit=TEXT_LIMIT),
    )


class VersionedForm(forms.Form):
    """Carries the version of the item the user loaded, so a stale save is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    @property
    def warnings(self) -> list[str]:
        """What is accepted but worth a second look (shown beside the saved item)."""
        if not self.is_bound or not self.is_valid() or "completed" not in self.cleaned_data:
            return []
        return fraction_warnings(self.cleaned_data["completed"])


class IndicatorActualForm(VersionedForm):
    actual = FigureField(
        label=_("Actual value"), max_length=200,
        help_text=_("As printed: 860, 27%, or several figures separated by “;” (24%; 23%; 37%). N/A or 不适用 when not applicable."),
    )
    actual_narrative = _prose(_("What was achieved"), _("The narrative of the actual indicator. One paragraph per line."))
    variance_explanation = _prose(_("Variance explanation"), _("Why the actual differs from the target, when it does."))

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        # A qualitative indicator's actual is words (正面, 是); any other must be a figure.
        if indicator.direction == Indicator.Direction.QUALITATIVE or indicator.measure == Indicator.Measure.QUALITATIVE:
            self.fields["actual"].allow_text = True
            self.fields["actual"].widget.attrs["inputmode"] = "text"
        self.fields["actual"].allow_negative = indicator.measure not in NON_NEGATIVE_MEASURES
        self.count_measure = indicator.measure == Indicator.Measure.COUNT

    @property
    def warnings(self) -> list[str]:
        if not self.count_measure or not self.is_bound or not self.is_valid():
            return []
        return fraction_warnings(self.cleaned_data["actual"])
        self.fields["variance_explanation"].widget.attrs["rows"] = 4

    @classmethod
    def for_item(cls, indicator: Indicator, *, prefix: str):
        initial = {
            "version": indicator.version,
            "actual": indicator.actual,
            "actual_narrative": indicator.actual_narrative,
            "variance_explanation": indicator.variance_explanation,
        }
        return cls(initial=initial, indicator=indicator, prefix=prefix)


class OutputDeliveryForm(VersionedForm):
    completed_kind = forms.ChoiceField(
        label=_("Completed"), choices=Output.Completed.choices, widget=forms.RadioSelect, initial=Output.Completed.BLANK,
    )
    completed = FigureField(
        label=_("Number completed"), allow_percent=False, allow_not_applicable=False, allow_negative=False,
        help_text=_("For “Number”: 250 or 3 514. For “Several numbers”: 180; 841."),
    )
    remarks = _prose(_("Remarks"), _("Breakdowns and the explanation of any deviation. One paragraph per line."))

    def clean(self):
        cleaned = super().clean()
        kind, completed = cleaned.get("completed_kind"), cleaned.get("completed", "")
        if kind is None or "completed" in self.errors:
            return cleaned
        count = len(_SEVERAL.split(completed)) if completed else 0
        if kind == Output.Completed.BLANK and count:
            # A number typed while “Not yet” is still selected means a number was completed.
            kind = cleaned["completed_kind"] = Output.Completed.NUMBER if count == 1 else Output.Completed.NUMBERS
        if kind == Output.Completed.NUMBER and count != 1:
            self.add_error("completed", ValidationError(
                _("Enter the number completed.") if count == 0 else _("Choose “Several numbers” to enter more than one."),
                code="number_required",
            ))
        elif kind == Output.Completed.NUMBERS and count < 2:
            self.add_error("completed", ValidationError(_("Enter two or more numbers separated by “;”."), code="numbers_required"))
        elif kind in (Output.Completed.YES, Output.Completed.NO) and count:
            self.add_error("completed", ValidationError(
                _("Leave the number empty for yes or no, or choose “Number”."), code="number_not_expected",
            ))
        return cleaned

    @classmethod
    def for_item(cls, output: Output, *, prefix: str):
        initial = {
            "version": output.version,
            "completed_kind": output.completed_kind,
            "completed": output.completed,
            "remarks": output.remarks,
        }
        return cls(initial=initial, prefix=prefix)


class HeadquartersOutputForm(VersionedForm):
    """A headquarters output: the actual number delivered beside the planned one (A/76/596)."""

    completed = FigureField(
        label=_("Actual number"), allow_several=False, allow_percent=False, allow_not_applicable=True, allow_negative=False,
        help_text=_("For example 77, 1 262 or 0.3; 不适用 or — when the document prints no number."),
    )
    remarks = _prose(_("Remarks"), _("Explain a delivery ratio outside the expected range."))

    def clean(self):
        cleaned = super().clean()
        if "completed" in cleaned:
            cleaned["completed_kind"] = Output.Completed.NUMBER if cleaned["completed"] else Output.Completed.BLANK
        return cleaned

    @classmethod
    def for_item(cls, output: Output, *, prefix: str):
        initial = {"version": output.version, "completed": output.completed, "remarks": output.remarks}
        return cls(initial=initial, prefix=prefix)


def output_form_class(*, headquarters: bool) -> type[VersionedForm]:
    return HeadquartersOutputForm if headquarters else OutputDeliveryForm


def form_add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Show a domain error on the field it concerns, or above the form."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, ValidationError(str(exc.message), code=exc.code))
