"""Query filters of the report-level lists."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django_filters.fields import IsoDateTimeField

from rbb.models import ExportJob

from .converters import MAX_ID


class IdFilter(django_filters.Filter):
    """An object id: a whole number the database can hold (a larger one is a 400, not a 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 time, handed to the database in UTC.

    PostgreSQL refuses offsets beyond ±15:59 (`…-18:00`, valid ISO 8601) with an error that
    would abort the request; converted here, every offset Python accepts is fine.
    """

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return value
        try:
            return value.astimezone(datetime.timezone.utc)
        except (OverflowError, ValueError):
            raise ValidationError(self.error_messages["invalid"], code="invalid")


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class ExportJobFilter(django_filters.FilterSet):
    report = IdFilter(field_name="report_id")
    mission = django_filters.CharFilter(field_name="report__mission__code", lookup_expr="iexact")
    period = django_filters.CharFilter(field_name="report__period__label")
    status = django_filters.ChoiceFilter(choices=ExportJob.Status.choices)
    file_format = django_filters.ChoiceFilter(field_name="format", choices=ExportJob.Format.choices)

    class Meta:
        model = ExportJob
        fields = ["report", "mission", "period", "status", "file_format"]
