"""Pages of the headquarters review: the dashboard, the review page, comments, return and accept, changes.

Comment forms save with htmx (the thread is swapped in place) or as a plain post that
redirects back to the item. Every read goes through a selector that scopes it to the user:
another mission's report, and its comments, do not exist for them (404).
"""

from __future__ import annotations

from types import SimpleNamespace

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from indicators.forms import form_add_domain_error
from indicators.selectors import indicator_get_for_report, output_get_for_report
from missions.models import Report, ReportType
from missions.selectors import report_get_for_user
from rbb.exceptions import DomainError, NotPermitted
from rbb.programme.selectors import deliverable_get
from rbb.views import AcceptForm, ReturnForm
from rbb.workflow import TRANSITIONS, report_accept, report_action_permitted, report_actions_for_user, report_return

from . import selectors
from .forms import CURRENT, ChangesForm, CommentForm, DashboardForm, ReplyForm, ReviewFilterForm
from .keys import item_key, review_item_label
from .services import comment_add, comment_reply, comment_resolve


# The dashboard -------------------------------------------------------------------------------


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Every report of a budget period, one row each, for headquarters only."""
    if not selectors.user_is_hq(request.user):
        raise Http404("No such page.")
    periods = selectors.dashboard_periods()
    form = DashboardForm(request.GET or None, periods=periods, report_types=ReportType.objects.order_by("code"))
    data = _valid_part(form)
    period = next((p for p in periods if p.label == data.get("period")), periods[0] if periods else None)
    rows = selectors.dashboard_rows(user=request.user, period=period, today=timezone.localdate()) if period else []
    sort = data.get("sort") or "due"
    shown = selectors.dashboard_filter_sort(
        rows, status=data.get("status") or "", report_type=data.get("type") or "", overdue=bool(data.get("overdue")), sort=sort,
        phase=data.get("phase") or "",
    )
    context = {
        "form": form, "period": period, "rows": shown, "total": len(rows), "sort": sort,
        "columns": _columns(request, sort),
    }
    return render(request, "rbb/review/dashboard.html", context)


def _valid_part(form) -> dict:
    """The valid fields, even when others are not: a bad sort still shows the period asked for."""
    if not form.is_bound:
        return {}
    form.is_valid()  # invalid fields are left out of cleaned_data and said on their field
    return form.cleaned_data


SORTABLE = (
    ("entity", gettext_lazy("Budget entity")), ("type", gettext_lazy("Report type")), ("phase", gettext_lazy("Phase")),
    ("status", gettext_lazy("Status")),
    ("complete", gettext_lazy("Complete (%)")), ("flagged", gettext_lazy("Flagged items")),
    ("comments", gettext_lazy("Open comments")), ("due", gettext_lazy("Due date")),
    ("overdue", gettext_lazy("Days overdue")), ("changed", gettext_lazy("Last change")),
)


NUMERIC_COLUMNS = {"complete", "flagged", "comments", "overdue"}


def _columns(request, sort: str) -> list[dict]:
    """Column headings with the link that sorts by them (again: the other way round)."""
    columns = []
    for key, label in SORTABLE:
        query = request.GET.copy()
        current = sort.lstrip("-") == key
        descending = sort.startswith("-")
        query["sort"] = f"-{key}" if current and not descending else key
        columns.append({
            "key": key, "label": label, "url": f"?{query.urlencode()}", "numeric": key in NUMERIC_COLUMNS,
            "aria_sort": ("descending" if descending else "ascending") if current else "none",
        })
    return columns


# The review page -----------------------------------------------------------------------------


@login_required
@require_GET
def report_review(request: HttpRequest, report_id: int) -> HttpResponse:
    """The whole framework read-only, each item with its flags, changes and comment threads."""
    report, rights = selectors.report_get_for_review(user=request.user, pk=report_id)
    if report.report_type.is_programme_plan:
        # A programme plan is reviewed on its own pages: each deliverable carries its threads there.
        return redirect("programme:overview", report.pk)
    raw = request.GET
    # The unit's choices come with the framework, so the form checks after the page is read;
    # the check boxes read as the form would (`off`, `false` and `0` are unticked).
    ticked = forms.BooleanField(required=False).to_python
    filters = selectors.ReviewFilters(
        flagged=ticked(raw.get("flagged")), open_comments=ticked(raw.get("open")), changed=ticked(raw.get("changed")),
        unit=(raw.get("unit") or "")[:20],
    )
    page = selectors.review_page(report=report, filters=filters)
    form = ReviewFilterForm(raw or None, unit_choices=page.unit_numbers)
    if form.is_bound:
        form.is_valid()  # a unit the report does not have is said on the field; the page shows all units
    context = {
        "report": report, "rights": rights, "page": page, "form": form,
        "headquarters": report.report_type.is_headquarters,
        "actions": [a for a in report_actions_for_user(report=report, user=request.user) if a in ("return", "accept")],
        "next": request.get_full_path(),
        "open_changes": filters.changed,  # asked for the changes: show them unfolded
    }
    _stamp_empty_threads(request, context, [entry for entry in page.entries() if entry.needs_panel and not entry.threads])
    return render(request, "rbb/review/report.html", context)


_STAMPED_DOM_ID = "@@dom-id@@"


def _stamp_empty_threads(request: HttpRequest, context: dict, entries: list[selectors.ReviewItem]) -> None:
    """Give each entry without threads its thread block, rendered once per kind of item.

    Such a block is the form that starts a thread, and only the item's element id and address
    differ from one item's to the next (the token and `next` are the page's). So it is
    rendered for a stand-in item and those two are replaced: rendering it per item cost a
    600-output page about a third of its time.
    """
    stamps = {}
    for entry in entries:
        if entry.kind not in stamps:
            stand_in = SimpleNamespace(kind=entry.kind, item=SimpleNamespace(pk=0), dom_id=_STAMPED_DOM_ID, threads=[])
            html = render_to_string("rbb/review/_threads.html", {**context, "entry": stand_in}, request=request)
            stamps[entry.kind] = (html, reverse(f"review:{entry.kind}-comments", args=[context["report"].pk, 0]))
        html, stand_in_url = stamps[entry.kind]
        entry.stamped_threads = mark_safe(html.replace(stand_in_url, entry.comments_url).replace(_STAMPED_DOM_ID, entry.dom_id))


# Comment threads -----------------------------------------------------------------------------

_GETTERS = {"indicator": indicator_get_for_report, "output": output_get_for_report, "deliverable": deliverable_get}


def _item_for(request, report_id: int, kind: str, pk: int):
    report, rights = selectors.report_get_for_review(user=request.user, pk=report_id)
    item = _GETTERS[kind](report=report, pk=pk)
    return report, rights, item


def _thread_response(request, report, rights, kind, item, *, status=200, form=None, reply_forms=None, error="") -> HttpResponse:
    key = item_key(item)
    label = review_item_label(item, headquarters=report.report_type.is_headquarters)
    entry = selectors.ReviewItem(kind, item, key, label, threads=selectors.comment_threads_for_item(report=report, key=key))
    for thread in entry.threads:
        thread.reply_form = (reply_forms or {}).get(thread.pk)
    context = {
        "report": report, "rights": rights, "entry": entry, "comment_form": form,
        "thread_error": error, "next": _next_url(request, report, entry),
        "compose": request.method == "GET" and bool(request.GET.get("compose")),
    }
    if request.htmx:
        return render(request, "rbb/review/_threads.html", context, status=status)
    return render(request, "rbb/review/thread_page.html", context, status=status)


def safe_next(request) -> str:
    """The `next` address the request carries when it is one of this site's, else ""."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return ""


def _next_url(request, report, entry) -> str:
    return safe_next(request) or reverse("review:report", args=[report.pk]) + f"#{entry.dom_id}"


def _refusal(form, exc: DomainError) -> str:
    """Put a refused comment's reason on its field; a reason about the thread or the report goes above it.

    A resolved thread or an accepted report shows no form, so its reason must not hide in one.
    """
    if exc.code in ("body_required", "body_too_long"):
        form_add_domain_error(form, exc)
        return ""
    return str(exc.message)


def _done(request, report, rights, kind, item) -> HttpResponse:
    if request.htmx:
        return _thread_response(request, report, rights, kind, item)
    entry = selectors.ReviewItem(kind, item, item_key(item), "")
    url = _next_url(request, report, entry)
    if "#" not in url:
        url += f"#{entry.dom_id}"
    return redirect(url)


@login_required
@require_http_methods(["GET", "POST"])
def item_comments(request: HttpRequest, report_id: int, pk: int, kind: str) -> HttpResponse:
    """GET: the item's threads (the entry page loads them); POST: start a thread on the item."""
    report, rights, item = _item_for(request, report_id, kind, pk)
    if request.method == "GET":
        if not rights.comment and not selectors.comment_threads_for_item(report=report, key=item_key(item)):
            return HttpResponse(status=204)  # nothing to show a focal point on this item
        return _thread_response(request, report, rights, kind, item)
    if not rights.comment:
        raise PermissionDenied
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _thread_response(request, report, rights, kind, item, status=422, form=form)
    try:
        comment_add(report=report, item=item, body=form.cleaned_data["body"], by=request.user)
    except NotPermitted:
        raise PermissionDenied
    except DomainError as exc:
        return _thread_response(request, report, rights, kind, item, status=exc.http_status, form=form, error=_refusal(form, exc))
    if not request.htmx:
        messages.success(request, _("Your comment was added."))
    return _done(request, report, rights, kind, item)


@login_required
@require_POST
def thread_reply(request: HttpRequest, report_id: int, pk: int, kind: str, comment_id: int) -> HttpResponse:
    report, rights, item = _item_for(request, report_id, kind, pk)
    comment = selectors.comment_get_for_item(report=report, key=item_key(item), pk=comment_id)
    if not rights.reply:
        raise PermissionDenied
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _thread_response(request, report, rights, kind, item, status=422, reply_forms={comment.parent_id or comment.pk: form})
    try:
        comment_reply(comment=comment, body=form.cleaned_data["body"], by=request.user)
    except NotPermitted:
        raise PermissionDenied
    except DomainError as exc:
        return _thread_response(
            request, report, rights, kind, item, status=exc.http_status, reply_forms={comment.parent_id or comment.pk: form},
            error=_refusal(form, exc),
        )
    if not request.htmx:
        messages.success(request, _("Your reply was added."))
    return _done(request, report, rights, kind, item)


@login_required
@require_POST
def thread_resolve(request: HttpRequest, report_id: int, pk: int, kind: str, comment_id: int) -> HttpResponse:
    report, rights, item = _item_for(request, report_id, kind, pk)
    comment = selectors.comment_get_for_item(report=report, key=item_key(item), pk=comment_id)
    try:
        comment_resolve(comment=comment, by=request.user)
    except NotPermitted:
        raise PermissionDenied
    except DomainError as exc:
        return _thread_response(request, report, rights, kind, item, status=exc.http_status, error=exc.message)
    if not request.htmx:
        messages.success(request, _("The comment was resolved."))
    return _done(request, report, rights, kind, item)


# Return and accept ---------------------------------------------------------------------------

DECISIONS = {
    "return": (ReturnForm, lambda report, by, data: report_return(report=report, by=by, comment=data["comment"]),
               gettext_lazy("The report was returned to the mission.")),
    "accept": (AcceptForm, lambda report, by, data: report_accept(report=report, by=by),
               gettext_lazy("The report was accepted.")),
}


@login_required
@require_http_methods(["GET", "POST"])
def report_decide(request: HttpRequest, report_id: int, action: str) -> HttpResponse:
    """GET: what returning or accepting will do; POST: do it, through rbb.workflow."""
    report, _rights = selectors.report_get_for_review(user=request.user, pk=report_id)
    if not report_action_permitted(report=report, user=request.user, action=action):
        raise PermissionDenied
    form_class, service, done = DECISIONS[action]
    if request.method == "GET":
        return _render_decision(request, report, action, form_class(prefix=action))
    form = form_class(request.POST, prefix=action)
    if not form.is_valid():
        return _render_decision(request, report, action, form, status=422)
    try:
        service(report, request.user, form.cleaned_data)
    except NotPermitted:
        raise PermissionDenied
    except DomainError as exc:
        form_add_domain_error(form, exc)
        return _render_decision(request, report, action, form, status=exc.http_status)
    messages.success(request, done)
    return redirect("review:report", report.pk)


def _render_decision(request, report: Report, action: str, form, *, status: int = 200) -> HttpResponse:
    possible = report.status in TRANSITIONS[action].sources
    context = {
        "report": report, "action": action, "form": form, "possible": possible,
        "target": Report.Status(TRANSITIONS[action].target),
        "open_items": selectors.open_comment_items(report=report),
    }
    return render(request, "rbb/review/decide.html", context, status=status if possible else max(status, 409))


# Changes between submissions -----------------------------------------------------------------


@login_required
@require_GET
def submission_changes(request: HttpRequest, report_id: int) -> HttpResponse:
    """What changed, item by item, from one submission to a later one (or to the current data)."""
    report, _rights = selectors.report_get_for_review(user=request.user, pk=report_id)
    submissions = selectors.submission_list(report=report)
    numbers = [s.number for s in submissions]
    old, new = _default_pair(report, numbers)
    form = ChangesForm(request.GET or None, numbers=numbers, initial={"old": old, "new": new})
    if form.is_bound and form.is_valid():
        old = form.cleaned_data.get("old") or old
        new = form.cleaned_data.get("new") or new
    changes = None
    old_submission = new_submission = None
    if old is not None and new is not None:
        old_submission, new_submission = selectors.submission_pair(
            report=report, old_number=old, new_number=None if new == CURRENT else int(new),
        )
        changes = selectors.submission_changes(report=report, old=old_submission, new=new_submission)
    context = {
        "report": report, "form": form, "submissions": submissions, "changes": changes,
        "old": old_submission, "new": new_submission, "to_current": new == CURRENT,
    }
    return render(request, "rbb/review/changes.html", context)


def _default_pair(report: Report, numbers: list[int]):
    """The latest submission against the one before; while the report is with the mission, the current data against the latest."""
    if report.status in (Report.Status.SUBMITTED, Report.Status.ACCEPTED):
        return (numbers[-2], str(numbers[-1])) if len(numbers) >= 2 else (None, None)
    return (numbers[-1], CURRENT) if numbers else (None, None)


# The line on the report home -----------------------------------------------------------------


@login_required
@require_GET
def report_summary(request: HttpRequest, report_id: int) -> HttpResponse:
    """Links to the review with its open comments, for the report home (loaded with htmx)."""
    report = report_get_for_user(user=request.user, pk=report_id)
    if not selectors.review_rights(user=request.user, report=report).see:
        return HttpResponse(status=204)  # viewers of every mission: nothing to link to
    context = {
        "report": report,
        "open_threads": selectors.open_thread_count(report=report),
        "submissions": selectors.submission_count(report=report),
        "is_hq": selectors.user_is_hq(request.user),
    }
    return render(request, "rbb/review/_summary.html", context)
