"""Pages of the follow-up ledger: the HQ ledger, the import with its preview, a report's
requests and the response page where the mission answers and headquarters comments."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from indicators.forms import form_add_domain_error
from missions.selectors import access_for_user, access_may_enter_data, report_get_for_user, report_list_for_user
from rbb.exceptions import DomainError, NotPermitted
from rbb.models import Comment
from rbb.review.services import comment_reply, comment_resolve

from . import selectors, services
from .chart import bar_chart
from .forms import AssignForm, CommentForm, EvidenceForm, ImportTextForm, LedgerFilterForm, ResponseForm
from .models import Request, Response, SourceDocument
from .parsing import parse_operative_paragraphs

PAGE_SIZE = 100
_CJK = re.compile(r"[\u3400-\u9fff]")


@login_required
def ledger_page(request: HttpRequest) -> HttpResponse:
    """Every open request across the missions the user sees: overdue first, with counts and a chart."""
    form = LedgerFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.LedgerFilters(
        body=data.get("body", ""), status=data.get("status", ""), entity=data.get("entity", ""), period=data.get("period", ""),
    )
    counts = selectors.ledger_counts(user=request.user, filters=filters)
    page = Paginator(selectors.ledger_list_for_user(user=request.user, filters=filters), PAGE_SIZE)
    page.count = counts.total  # already counted by body and status: no second COUNT query
    page_obj = page.get_page(request.GET.get("page"))
    rows = _ledger_rows(page_obj.object_list)
    chart = bar_chart([(label, n) for _code, label, n in counts.by_status], title=str(_("Requests by status")))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "ledger/ledger.html", {
        "form": form, "counts": counts, "page_obj": page_obj, "rows": rows, "chart": chart, "query": query.urlencode(),
        "may_import": selectors.user_may_manage_ledger(request.user),
    })


TEXT_SHOWN = 160


def _ledger_rows(assignments) -> list[dict]:
    """The page's rows with their labels resolved once per value, not once per row (100 rows a page)."""
    bodies = {value: str(label) for value, label in SourceDocument.Body.choices}
    statuses = {value: str(label) for value, label in Response.Status.choices}
    english = not (get_language() or "en").lower().startswith("zh")
    prefix = reverse("ledger:response", args=[0]).rsplit("0/", 1)[0]
    rows = selectors.ledger_rows(assignments)
    for row in rows:
        text = (row["request__text_en"] or row["request__text"]) if english else (row["request__text"] or row["request__text_en"])
        row["text"] = text if len(text) <= TEXT_SHOWN else text[: TEXT_SHOWN - 1] + "…"
        row["body_label"] = bodies.get(row["request__source__body"], "")
        row["status_label"] = statuses.get(row["response__status"], "")
        row["url"] = f"{prefix}{row['pk']}/"
    return rows


def _reference(number: int, text: str) -> str:
    """The paragraph reference as the section prints it: 第 12 段 in Chinese, para. 12 in English."""
    return f"第 {number} 段" if _CJK.search(text) else f"para. {number}"


@login_required
@require_http_methods(["GET", "POST"])
def import_requests(request: HttpRequest) -> HttpResponse:
    """Paste or upload a resolution; see the numbered paragraphs found; confirm, edit and assign."""
    if not selectors.user_may_manage_ledger(request.user):
        raise Http404("No such page.")
    reports = report_list_for_user(user=request.user)
    step = request.POST.get("step", "")
    if step == "confirm":
        return _import_confirm(request, reports)
    form = ImportTextForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        paragraphs = parse_operative_paragraphs(form.cleaned_data["text"])
        if form.cleaned_data["only_secretary_general"]:
            paragraphs = [p for p in paragraphs if p.asks_secretary_general]
        if not paragraphs:
            form.add_error("text", _("No numbered paragraphs were found in this text."))
        else:
            rows = [{"index": i, "paragraph": _reference(p.number, p.text), "text": p.text, "number": p.number}
                    for i, p in enumerate(paragraphs)]
            return render(request, "ledger/import_preview.html", {
                "form": form, "rows": rows, "assign_form": AssignForm(reports=reports),
                "kinds": Request.Kind.choices, "data": form.cleaned_data,
            })
    return render(request, "ledger/import.html", {"form": form}, status=400 if form.errors else 200)


def _import_confirm(request: HttpRequest, reports) -> HttpResponse:
    assign_form = AssignForm(request.POST, reports=reports)
    rows_posted = request.POST.get("rows", "")
    count = int(rows_posted) if rows_posted.isdigit() else 0
    kept = set(request.POST.getlist("keep"))
    drafts, rows = [], []
    for index in range(min(count, 1000)):
        row = {
            "index": index, "paragraph": request.POST.get(f"paragraph_{index}", ""), "text": request.POST.get(f"text_{index}", ""),
            "kind": request.POST.get(f"kind_{index}", Request.Kind.REQUEST), "kept": str(index) in kept,
        }
        rows.append(row)
        if row["kept"]:
            drafts.append(services.RequestDraft(paragraph=row["paragraph"], text=row["text"], kind=row["kind"]))
    data = {"symbol": request.POST.get("symbol", ""), "body": request.POST.get("body", ""), "title": request.POST.get("title", "")}
    error = ""
    if assign_form.is_valid():
        try:
            source = services.source_document_get_or_create(symbol=data["symbol"], body=data["body"], title=data["title"], by=request.user)
            saved = services.requests_import(
                source=source, drafts=drafts, by=request.user, reports=assign_form.cleaned_data["reports"],
                due_date=assign_form.cleaned_data["due_date"],
            )
        except DomainError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("%(count)s requests of %(symbol)s recorded.") % {"count": len(saved), "symbol": source.symbol})
            return redirect("ledger:ledger")
    return render(request, "ledger/import_preview.html", {
        "rows": rows, "assign_form": assign_form, "kinds": Request.Kind.choices, "data": data, "error": error,
    }, status=400)


@login_required
def report_requests(request: HttpRequest, report_id: int) -> HttpResponse:
    """The requests a report answers (its section 六), with each response's state."""
    report = report_get_for_user(user=request.user, pk=report_id)
    return render(request, "ledger/report_requests.html", {
        "report": report, "assignments": selectors.assignment_list_for_report(report=report),
    })


@login_required
@require_http_methods(["GET", "POST"])
def response_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """One request of a report: the mission answers it; headquarters comments."""
    assignment = selectors.assignment_get_for_user(user=request.user, pk=pk)
    response = assignment.response
    report = assignment.report
    access = access_for_user(request.user)
    may_edit = access_may_enter_data(access, mission_id=report.mission_id) and not report.is_locked
    form = ResponseForm(initial={"action": response.action, "action_en": response.action_en, "status": response.status,
                                 "version": response.version})
    status = 200
    if request.method == "POST":
        if not access_may_enter_data(access, mission_id=report.mission_id):
            raise NotPermitted()
        form = ResponseForm(request.POST)
        if form.is_valid():
            try:
                services.response_record(response=response, by=request.user, **form.cleaned_data)
            except DomainError as exc:
                form_add_domain_error(form, exc)
                status = exc.http_status
                if exc.code == "stale_version":
                    response.refresh_from_db()
            else:
                messages.success(request, _("Saved."))
                return redirect("ledger:response", pk=assignment.pk)
        else:
            status = 400
    return render(request, "ledger/response.html", {
        "report": report, "assignment": assignment, "response": response, "form": form, "may_edit": may_edit,
        "evidence": list(response.evidence.all()), "evidence_form": EvidenceForm(),
        "history": selectors.response_history(assignment=assignment), "changes": selectors.response_changes(assignment=assignment)[:50],
        "threads": selectors.response_threads(assignment=assignment), "comment_form": CommentForm(),
        "may_comment": access.has_role(report.mission_id, "hq_reviewer", "budget_admin") and report.status != report.Status.ACCEPTED,
    }, status=status)


@login_required
@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_get_for_user(user=request.user, pk=pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.evidence_add(response=assignment.response, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("ledger:response", pk=assignment.pk)


@login_required
def evidence_file(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    """An evidence file, served only to those who may see its report (never a public media URL)."""
    assignment = selectors.assignment_get_for_user(user=request.user, pk=pk)
    evidence = assignment.response.evidence.filter(pk=evidence_id).exclude(file="").first()
    if evidence is None:
        raise Http404("No such file.")
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.file.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_get_for_user(user=request.user, pk=pk)
    try:
        services.response_comment_add(assignment=assignment, body=request.POST.get("body", ""), by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("ledger:response", pk=assignment.pk)


@login_required
@require_POST
def comment_answer(request: HttpRequest, pk: int, comment_id: int, action: str) -> HttpResponse:
    """Reply to or resolve a thread on a response, through the review's own services."""
    assignment = selectors.assignment_get_for_user(user=request.user, pk=pk)
    try:
        comment = Comment.objects.get(pk=comment_id, report_id=assignment.report_id, item_key=services.response_item_key(assignment))
    except Comment.DoesNotExist:
        raise Http404("No such comment.") from None
    try:
        if action == "reply":
            comment_reply(comment=comment, body=request.POST.get("body", ""), by=request.user)
        else:
            comment_resolve(comment=comment, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("ledger:response", pk=assignment.pk)


RESPONSE_STATUSES = Response.Status
