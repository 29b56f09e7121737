"""Forms of the ledger pages: shape and type only; the rules are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from missions.models import Report

from .models import Request, Response, SourceDocument

TEXT_LIMIT = 200_000


class ImportTextForm(forms.Form):
    """Step one: a resolution's text, pasted or uploaded, and which document it is."""

    symbol = forms.CharField(label=_("Document symbol"), max_length=60, help_text=_("For example A/RES/76/274."))
    body = forms.ChoiceField(label=_("Body"), choices=SourceDocument.Body.choices)
    title = forms.CharField(label=_("Title"), max_length=500, required=False)
    text = forms.CharField(label=_("Text of the operative paragraphs"), widget=forms.Textarea(attrs={"rows": 12}), required=False, max_length=TEXT_LIMIT)
    file = forms.FileField(label=_("Or upload the text (UTF-8)"), required=False)
    only_secretary_general = forms.BooleanField(
        label=_("Only paragraphs that ask the Secretary-General (请秘书长)"), required=False, initial=True,
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > TEXT_LIMIT * 4:
                self.add_error("file", _("The file is too large."))
                return data
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("file", _("The file is not UTF-8 text."))
                return data
        if not (data.get("text") or "").strip():
            self.add_error("text", _("Paste the text or upload a file."))
        return data


class AssignForm(forms.Form):
    """Step two: to which reports the confirmed requests go, and by when."""

    reports = forms.ModelMultipleChoiceField(
        label=_("Assign to reports"), queryset=Report.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    due_date = forms.DateField(label=_("Due date"), required=False, help_text=_("YYYY-MM-DD"))

    def __init__(self, *args, reports=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reports"].queryset = reports if reports is not None else Report.objects.none()
        self.fields["reports"].label_from_instance = lambda report: f"{report.mission.code} {report.period.label}"


class ResponseForm(forms.Form):
    action = forms.CharField(label=_("Action taken"), widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=20_000)
    action_en = forms.CharField(label=_("Action taken (English)"), widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=20_000)
    status = forms.ChoiceField(label=_("Status"), choices=Response.Status.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


EVIDENCE_LIMIT = 20 * 1024 * 1024


class EvidenceForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=200, required=False)
    link = forms.URLField(label=_("Link"), max_length=500, required=False, assume_scheme="https")
    file = forms.FileField(label=_("File"), required=False)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > EVIDENCE_LIMIT:
            raise forms.ValidationError(_("The file is too large."), code="too_large")
        return upload


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class LedgerFilterForm(forms.Form):
    body = forms.ChoiceField(label=_("Body"), choices=[("", _("All"))] + list(SourceDocument.Body.choices), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Open"))] + list(Response.Status.choices), required=False)
    entity = forms.CharField(label=_("Budget entity"), max_length=40, required=False)
    period = forms.CharField(label=_("Period"), max_length=20, required=False)


KIND_CHOICES = Request.Kind.choices
