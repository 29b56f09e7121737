"""Reads of the report-level APIs, scoped like the screens."""

from __future__ import annotations

from django.db.models import QuerySet

from missions.api.selectors import scoped_to_user
from missions.selectors import access_for_user
from rbb.models import Comment, ExportJob


def export_job_list_for_user(*, user) -> QuerySet[ExportJob]:
    """Narrative exports of the reports the user sees, newest first, with who asked."""
    qs = ExportJob.objects.select_related("requester").order_by("-created_at", "-id")
    return scoped_to_user(qs, user=user, mission_field="report__mission_id")


def comment_list_for_user(*, user) -> QuerySet[Comment]:
    """Review comments the user may read, oldest first, with their authors.

    Comments are between headquarters and the mission (rbb.review.selectors.review_rights):
    HQ roles read every mission's, staff and viewers of a mission read theirs, and viewers
    of all missions read none.
    """
    qs = Comment.objects.select_related("author", "resolved_by").order_by("created_at", "id")
    access = access_for_user(user)
    if access.is_hq:
        return qs
    return qs.filter(report__mission_id__in=sorted(access.mission_roles))
