"""The comment threads of a whole data-entry page in one request.

The entry page used to load each item's threads with its own request (a hundred for a large
expected accomplishment). It now asks once; the answer holds every item's thread block, each
marked to be swapped out of band into that item's slot. Access is the per-item view's
(review.views.item_comments): another mission's report is a 404, and an item a focal point
has nothing to see on gets no block, as the per-item view answers it with nothing (204).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from . import selectors
from .views import safe_next


@login_required
@require_GET
def accomplishment_threads(request: HttpRequest, report_id: int, ea_id: int) -> HttpResponse:
    """Every indicator's and output's threads of one expected accomplishment, for its entry page."""
    report, rights = selectors.report_get_for_review(user=request.user, pk=report_id)
    entries = [
        entry for entry in selectors.accomplishment_thread_items(report=report, ea_id=ea_id)
        if rights.comment or entry.threads
    ]
    for entry in entries:
        for thread in entry.threads:
            thread.reply_form = None
    # Where a reply without JavaScript returns: a safe `next`, else the item on the review page,
    # as for the per-item view.
    given, review_url = safe_next(request), reverse("review:report", args=[report.pk])
    context = {
        "report": report, "rights": rights, "comment_form": None, "thread_error": "", "compose": False,
        "entries": [(entry, given or f"{review_url}#{entry.dom_id}") for entry in entries],
    }
    return render(request, "rbb/review/_entry_threads.html", context)

