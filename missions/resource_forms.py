"""Forms for entering resource figures: they check the shape of input, the services the rules."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from rbb.lib.numbers import NumberError, parse_decimal

from .models import StaffIncumbency
from .resources import period_months

NIL_TOKENS = {"", "—", "–", "-"}


class FigureField(forms.CharField):
    """A figure as people type it (`1 234.5`, `(216.3)`, `１２３`); empty or `—` is nil.

    At most one decimal place: amounts are thousands of US dollars printed with one decimal.
    """

    default_error_messages = {
        "too_many_decimals": _("Use at most one decimal place."),
        "negative": _("This cannot be negative."),
    }

    def __init__(self, *, allow_negative: bool = True, **kwargs):
        self.allow_negative = allow_negative
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "size": 10, "class": "num"}))
        super().__init__(**kwargs)

    def to_python(self, value) -> Decimal | None:
        if isinstance(value, Decimal):
            return value
        text = super().to_python(value).strip()
        if text in NIL_TOKENS:
            return None
        try:
            number = parse_decimal(text, allow_percent=False)
        except NumberError as exc:
            raise ValidationError(str(exc), code=exc.code) from exc
        if number != number.quantize(Decimal("0.1")):
            raise ValidationError(self.error_messages["too_many_decimals"], code="too_many_decimals")
        if number < 0 and not self.allow_negative:
            raise ValidationError(self.error_messages["negative"], code="negative")
        return number.quantize(Decimal("0.1"))

    def validate(self, value):
        if value is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")

    def run_validators(self, value):
        pass  # CharField's length validators would read the Decimal

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format(value, "f")
        return value


class RowForm(forms.Form):
    """One editable row of a table; `version` is the row version the person saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def changed_fields(self) -> list[str]:
        # The version moves when someone else saves; only the person's own edits count.
        return [name for name in self.changed_data if name != "version"]


class TableForm:
    """A table of row forms over stored rows, validated and saved together.

    Each field keeps its initial value in a hidden input, so only rows the person edited are
    sent to the services: an untouched row someone else changed meanwhile is no conflict.
    """

    row_form_class: type[RowForm] = RowForm
    fields: tuple[str, ...] = ()

    def __init__(self, items, data=None):
        self.rows = []
        for item in items:
            initial = {name: getattr(item, name) for name in self.fields}
            initial["version"] = item.version
            form = self.row_form_class(data, prefix=f"r{item.pk}", initial=initial)
            for name in self.fields:
                form.fields[name].show_hidden_initial = True
            self.rows.append((item, form))
        self.non_field_errors: list[str] = []

    @property
    def columns(self) -> list[str]:
        return [self.row_form_class.base_fields[name].label for name in self.fields]

    def is_valid(self) -> bool:
        return all(form.is_valid() for _item, form in self.rows)

    def updates(self, item_key: str) -> list[dict]:
        """The service arguments of every edited row."""
        return [
            {item_key: item, "version": form.cleaned_data["version"], **{name: form.cleaned_data[name] for name in self.fields}}
            for item, form in self.rows
            if form.changed_fields()
        ]

    def form_for(self, pk):
        return next((form for item, form in self.rows if item.pk == pk), None)

    def add_error(self, message: str) -> None:
        self.non_field_errors.append(str(message))


class FinancialRowForm(RowForm):
    apportionment = FigureField(label=_("Apportionment (1)"))
    expenditure = FigureField(label=_("Expenditure (2)"))


class FinancialTableForm(TableForm):
    row_form_class = FinancialRowForm
    fields = ("apportionment", "expenditure")


class RedeploymentRowForm(RowForm):
    original = FigureField(label=_("Original distribution"))
    redeployment = FigureField(label=_("Redeployment"))


class RedeploymentTableForm(TableForm):
    row_form_class = RedeploymentRowForm
    fields = ("original", "redeployment")


class AmountRowForm(RowForm):
    amount = FigureField(label=_("Amount"))


class RevenueTableForm(TableForm):
    row_form_class = AmountRowForm
    fields = ("amount",)


class MonthlyTableForm(TableForm):
    row_form_class = AmountRowForm
    fields = ("amount",)


class IncumbencyRowForm(RowForm):
    authorized = FigureField(label=_("Authorized"), allow_negative=False)
    actual_average = FigureField(label=_("Actual (average)"), allow_negative=False)
    budgeted_vacancy_rate = FigureField(label=_("Budgeted vacancy rate (%)"))
    method = forms.ChoiceField(label=_("Vacancy rate"), choices=StaffIncumbency.Method.choices)
    vacancy_rate_entered = FigureField(label=_("Rate as entered (%)"))
    vacancy_rate_note = forms.CharField(label=_("Note on the entered rate"), required=False, max_length=500,
                                        widget=forms.TextInput(attrs={"size": 24}))


class IncumbencyTableForm(TableForm):
    row_form_class = IncumbencyRowForm
    fields = ("authorized", "actual_average", "budgeted_vacancy_rate", "method", "vacancy_rate_entered", "vacancy_rate_note")


class IncumbencyMonthsForm(forms.Form):
    """The 12 monthly authorized and incumbent figures of one category."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, period_start, **kwargs):
        super().__init__(*args, **kwargs)
        self.month_dates = period_months(period_start)
        for i in range(1, 13):
            self.fields[f"authorized_{i}"] = FigureField(label=_("Authorized"), allow_negative=False, required=True)
            self.fields[f"incumbent_{i}"] = FigureField(label=_("Incumbent"), allow_negative=False, required=True)

    def month_rows(self):
        return [(date, self[f"authorized_{i}"], self[f"incumbent_{i}"]) for i, date in enumerate(self.month_dates, start=1)]

    def months(self) -> list[tuple[Decimal, Decimal]]:
        return [(self.cleaned_data[f"authorized_{i}"], self.cleaned_data[f"incumbent_{i}"]) for i in range(1, 13)]


class VarianceExplanationForm(forms.Form):
    main = forms.CharField(
        label=_("Explanation"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Continue after the opening words: (a) …; (b) …"),
    )
    offset = forms.CharField(
        label=_("Offsetting factors (optional)"), max_length=20000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: … were partly offset by …"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class NarrativeForm(forms.Form):
    text = forms.CharField(label=_("Paragraphs"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 8}),
                           help_text=_("One paragraph per line."))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ExpenditureImportForm(forms.Form):
    by = forms.ChoiceField(
        label=_("One row per"), widget=forms.RadioSelect, initial="class", required=False,
        choices=[("class", _("financial class")), ("unit", _("department/office (unit number or name, apportionment, expenditure)"))],
    )
    file = forms.FileField(
        label=_("File (.csv or .xlsx)"),
        help_text=_("One row per class: class code or name (English or Chinese), expenditure, and optionally apportionment, "
                    "in thousands of US dollars. A first row with column names is recognised."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not (name.endswith(".csv") or name.endswith(".xlsx") or name.endswith(".txt")):
            raise ValidationError(_("Upload a .csv or .xlsx file."), code="file_type")
        if upload.size > 5 * 1024 * 1024:
            raise ValidationError(_("The file is larger than 5 MB."), code="file_size")
        return upload
