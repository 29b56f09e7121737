"""Pagination: numbered pages for short lists, cursors for the long ones (items, events)."""

import re

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination, PageNumberPagination

from .converters import MAX_ID

WHOLE = re.compile(r"[0-9]{1,18}")


class StrictPageSize:
    """`page_size` is a whole number from 1 to max_page_size, or absent: anything else is a 400
    (DRF would quietly use the default, or the maximum), and the schema says so."""

    page_size_query_param = "page_size"

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not WHOLE.fullmatch(raw) or not 1 <= int(raw) <= self.max_page_size:
            raise exceptions.ValidationError(
                {self.page_size_query_param: [_("Enter a whole number from 1 to %(max)s.") % {"max": self.max_page_size}]},
                code="invalid",
            )
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"type": "integer", "minimum": 1, "maximum": self.max_page_size})
            elif parameter["name"] == getattr(self, "page_query_param", None):
                parameter["schema"].update({"type": "integer", "minimum": 1, "maximum": 10**18 - 1})
            elif parameter["name"] == getattr(self, "cursor_query_param", None):
                parameter["schema"]["minLength"] = 1
        return parameters


class PagePagination(StrictPageSize, PageNumberPagination):
    """Missions, periods, reports, units: tens to a few hundred rows."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    last_page_strings = ()  # `page` is a number (the schema's integer), not also "last"

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and (not WHOLE.fullmatch(raw) or int(raw) < 1):
            raise exceptions.ValidationError({self.page_query_param: [_("Enter a whole number from 1.")]}, code="invalid")
        return super().paginate_queryset(queryset, request, view)


class ItemCursorPagination(StrictPageSize, CursorPagination):
    """Indicators, outputs and events: thousands of rows, stable under concurrent inserts.

    The cursor position is taken from the first ordering field, so only plain columns of the
    listed model may be offered for ordering (OrderingFilter.ordering_fields).
    """

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    ordering = "id"

    def paginate_queryset(self, queryset, request, view=None):
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        """Refuse a cursor whose position the ordering column cannot hold (404, like a garbled cursor).

        A cursor is client input: `p=abc` on an id, or an id past 64 bits, would otherwise
        reach the database as an error.
        """
        cursor = super().decode_cursor(request)
        if cursor is None or cursor.position is None:
            return cursor
        try:
            field = self._model._meta.get_field(self.ordering[0].lstrip("-"))
            value = field.to_python(cursor.position)
        except (FieldDoesNotExist, ValidationError, ValueError, TypeError):
            raise NotFound(self.invalid_cursor_message)
        if isinstance(value, int) and not -MAX_ID <= value <= MAX_ID:
            raise NotFound(self.invalid_cursor_message)
        return cursor
