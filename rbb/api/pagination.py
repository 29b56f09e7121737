"""Pagination: numbered pages for short lists, cursors for the long ones (items, events)."""

from django.core.exceptions import FieldDoesNotExist, ValidationError
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination, PageNumberPagination

from .converters import MAX_ID


class PagePagination(PageNumberPagination):
    """Missions, periods, reports, units: tens to a few hundred rows."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class ItemCursorPagination(CursorPagination):
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
