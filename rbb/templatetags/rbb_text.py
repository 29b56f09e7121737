"""Small text helpers for templates."""

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def colon() -> str:
    """The colon after a label: full-width in Chinese (状态：), `: ` in English."""
    return "：" if (get_language() or "").startswith("zh") else ": "
