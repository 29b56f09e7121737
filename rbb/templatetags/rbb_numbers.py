"""Template filters over rbb.lib.numbers: one-line wrappers, so pages print as documents do."""

from django import template

from rbb.lib import numbers

register = template.Library()


@register.filter
def un_number(value):
    return numbers.format_number(value)


@register.filter
def un_percent(value):
    return numbers.format_percent(value)


@register.filter
def un_ratio(value):
    """A delivery ratio: 0.0 is a real value here, not nil."""
    return numbers.format_number(value, zero_as_nil=False) if value is not None else ""


@register.filter
def un_count(value):
    return numbers.format_count(value)
