"""Forms of the review: they check the shape of input; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from missions.models import Report

from .selectors import SORT_KEYS
from .services import BODY_LIMIT, BODY_REQUIRED, BODY_TOO_LONG

# Django fills in %(limit_value)s when it raises the max_length error, in the request's language.
BODY_ERRORS = {"required": BODY_REQUIRED, "max_length": BODY_TOO_LONG}


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), max_length=BODY_LIMIT, error_messages=BODY_ERRORS, widget=forms.Textarea)


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), max_length=BODY_LIMIT, error_messages=BODY_ERRORS, widget=forms.Textarea)


def _sort_choices():
    labels = {
        "entity": _("Budget entity"), "type": _("Report type"), "phase": _("Phase"), "status": _("Status"),
        "complete": _("Complete"),
        "flagged": _("Flagged items"), "comments": _("Open comments"), "due": _("Due date"),
        "overdue": _("Days overdue"), "changed": _("Last change"),
    }
    choices = []
    for key in SORT_KEYS:
        choices += [(key, labels[key]), (f"-{key}", _("%(column)s, descending") % {"column": labels[key]})]
    return choices


class DashboardForm(forms.Form):
    period = forms.ChoiceField(label=_("Budget period"), required=False)
    phase = forms.ChoiceField(label=_("Phase"), required=False, choices=[("", _("All"))] + list(Report.Phase.choices))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All"))] + list(Report.Status.choices))
    type = forms.ChoiceField(label=_("Report type"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=_sort_choices)

    def __init__(self, *args, periods, report_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p.label, p.label) for p in periods]
        self.fields["type"].choices = [("", _("All"))] + [(t.code, t.name) for t in report_types]


class ReviewFilterForm(forms.Form):
    flagged = forms.BooleanField(label=_("Only flagged items"), required=False)
    open = forms.BooleanField(label=_("Only items with open comments"), required=False)
    changed = forms.BooleanField(label=_("Only items changed since the previous submission"), required=False)
    unit = forms.ChoiceField(label=_("Component or unit"), required=False)

    def __init__(self, *args, unit_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("All"))] + list(unit_choices)


CURRENT = "current"


class ChangesForm(forms.Form):
    """Which two submissions to compare; `to` may also be the current data."""

    old = forms.TypedChoiceField(label=_("From submission"), coerce=int, required=False)
    new = forms.ChoiceField(label=_("To"), required=False)

    def __init__(self, *args, numbers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old"].choices = [(n, n) for n in numbers]
        self.fields["new"].choices = [(str(n), n) for n in numbers] + [(CURRENT, _("the current data"))]

    def clean(self):
        data = super().clean()
        old, new = data.get("old"), data.get("new")
        if old and new and new != CURRENT and int(new) <= old:
            self.add_error("new", _("Choose a later submission than the one compared from."))
        return data
