"""Query filters of the report-level lists."""

from __future__ import annotations

import datetime
import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

from rbb.models import ExportJob

from .converters import MAX_ID


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.Filter):
    """An object id: a whole number the database can hold (a larger one is a 400, not a 500); ids start at 1."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
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
            raise DjangoValidationError(self.error_messages["invalid"], code="invalid")


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


# --- strict query parameters ----------------------------------------------------------------
# The schema says what the server does (schemathesis checks it with every check): a parameter
# given with an empty value, a boolean other than true/false, or an ordering on a field the
# list does not offer is refused (400, naming the parameter), never silently ignored.

NOT_EMPTY = _("Give a value, or leave the parameter out.")
NOT_BOOLEAN = _("Enter true or false.")
BAD_ORDERING = _("Order by one of: %(fields)s (a leading - for descending).")
PAGING_PARAMETERS = ("page", "page_size", "cursor")


def refuse_empty(query, names) -> None:
    empty = {name: [NOT_EMPTY] for name in names if name in query and query.get(name) == ""}
    if empty:
        raise ValidationError(empty, code="blank")


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, with empty values and loose booleans refused (see above)."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        query = request.query_params
        names = list(filterset.filters) if filterset is not None else []
        refuse_empty(query, [*names, *PAGING_PARAMETERS])
        if filterset is not None:
            loose = {
                name: [NOT_BOOLEAN] for name, declared in filterset.filters.items()
                if isinstance(declared, django_filters.BooleanFilter) and name in query and query.get(name) not in ("true", "false")
            }
            if loose:
                raise ValidationError(loose, code="invalid")
        return filterset


class StrictOrderingFilter(OrderingFilter):
    """`?ordering=` on the list's ordering_fields only (comma-separated, `-` for descending)."""

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw is None:
            return self.get_default_ordering(view)
        fields = self.get_valid_fields(queryset, view, {"request": request})
        allowed = {name for name, _label in fields}
        terms = raw.split(",")
        if raw == "" or any(term.lstrip("-") not in allowed for term in terms):
            raise ValidationError(
                {self.ordering_param: [BAD_ORDERING % {"fields": ", ".join(sorted(allowed))}]}, code="invalid",
            )
        return terms

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        fields = getattr(view, "ordering_fields", None)
        if isinstance(fields, (list, tuple)) and fields:
            term = "-?(" + "|".join(re.escape(field) for field in fields) + ")"
            for parameter in parameters:
                parameter["schema"]["pattern"] = f"^{term}(,{term})*$"
        return parameters
