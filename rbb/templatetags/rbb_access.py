"""Template tags that ask the selectors what the current user may see."""

from django import template

from rbb.review.selectors import review_rights

register = template.Library()


@register.simple_tag(takes_context=True)
def sees_review(context, report) -> bool:
    """Whether the user may open the report's review page (HQ, or the mission's own staff)."""
    return review_rights(user=context["request"].user, report=report).see
