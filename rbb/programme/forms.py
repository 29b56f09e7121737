"""Forms of the programme plan's entry page: they check the shape of input, the services the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from indicators.forms import VersionedForm

from .models import TEXT_LIMIT

PROSE = {"rows": 3, "class": "prose", "spellcheck": "true"}


class DeliverableForm(VersionedForm):
    prior_actual = forms.CharField(
        label=_("Actual"), max_length=40, required=False,
        help_text=_("The number delivered, or — for none."), widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
    )
    planned = forms.CharField(label=_("Plan-year planned"), max_length=40, required=False,
                              widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}))
    explanation = forms.CharField(label=_("Explanation (Chinese)"), max_length=TEXT_LIMIT, required=False, widget=forms.Textarea(attrs=PROSE))
    explanation_en = forms.CharField(label=_("Explanation (English)"), max_length=TEXT_LIMIT, required=False, widget=forms.Textarea(attrs=PROSE))

    def __init__(self, *args, years: tuple[int, int, int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if years:  # "2022 actual", "2024 planned": the columns' own years
            self.fields["prior_actual"].label = _("%(year)s actual") % {"year": years[0]}
            self.fields["planned"].label = _("%(year)s planned") % {"year": years[2]}

    @classmethod
    def for_item(cls, item, *, prefix: str):
        initial = {name: getattr(item, name) for name in ("version", "prior_actual", "planned", "explanation", "explanation_en")}
        return cls(prefix=prefix, initial=initial, years=getattr(item, "years", None))


class BilingualTextForm(VersionedForm):
    """A measure cell or a narrative paragraph: the Chinese text and the English one."""

    text = forms.CharField(label=_("Chinese"), max_length=TEXT_LIMIT, required=False, widget=forms.Textarea(attrs=PROSE))
    text_en = forms.CharField(label=_("English"), max_length=TEXT_LIMIT, required=False, widget=forms.Textarea(attrs=PROSE))

    @classmethod
    def for_item(cls, item, *, prefix: str):
        return cls(prefix=prefix, initial={"version": item.version, "text": item.text, "text_en": item.text_en})
