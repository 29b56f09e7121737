"""Serializer building blocks shared by the apps' APIs."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class StrictCharField(serializers.CharField):
    """A text field that takes only JSON strings: 860 (a number) is a wrong type, "860" is not."""

    default_error_messages = {
        "invalid": _("Enter text (a JSON string)."),
        "not_unicode": _("The text contains characters that are not valid Unicode."),
    }

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            data.encode("utf-8")  # a lone surrogate ("\ud800") passes JSON but no database
        except UnicodeEncodeError:
            self.fail("not_unicode")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    """An integer that must be a JSON number, not "3" or 3.5."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


# Input that names only fields the operation knows: a typo is an error, not a no-op.
# (A comment, not a docstring: the schema would show it as every input's description.)
class StrictInputSerializer(serializers.Serializer):

    default_error_messages = {"unknown_field": _("Unknown field.")}

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: [self.error_messages["unknown_field"]] for name in unknown}, code="unknown_field"
                )
        return super().to_internal_value(data)


class NoInput(StrictInputSerializer):
    """An action without options: an empty object (or no body)."""


def decimal_field(**kwargs) -> serializers.DecimalField:
    """A read-only decimal sent as a string without trailing zeros: "574", "37.8"."""
    return serializers.DecimalField(
        max_digits=kwargs.pop("max_digits", 20),
        decimal_places=kwargs.pop("decimal_places", 4),
        normalize_output=True,
        read_only=True,
        allow_null=True,
        **kwargs,
    )


class FlagSerializer(serializers.Serializer):
    """Why an item needs an explanation: a stable code and a translated message."""

    code = serializers.CharField()
    message = serializers.CharField()


class NonBlankCharField(StrictCharField):
    """A text the service refuses when blank (a comment, a reason): the schema says minLength 1
    and a non-space character (rbb.api.schema.NonBlankTextFieldExtension); the service keeps
    its own message for a blank one."""


class QueryBooleanField(serializers.BooleanField):
    """A boolean query parameter: `true` or `false`, as the schema's boolean says (not also 1, yes, on)."""

    TRUE_VALUES = {"true"}
    FALSE_VALUES = {"false"}
    default_error_messages = {"invalid": _("Enter true or false.")}
