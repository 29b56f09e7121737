"""The `<id:pk>` path converter: an object id the database can hold.

Django's `<int:…>` takes any number of digits, and an id beyond 64 bits reaches the database
as an overflow (a 500). An id is at most 18 digits here; anything longer matches no URL (404).
Importing this module registers the converter once.
"""

from django.urls import register_converter

MAX_ID = 2**63 - 1


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")
