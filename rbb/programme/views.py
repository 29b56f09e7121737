"""Pages of a programme plan: the overview and the entry page of one subprogramme.

Each item (a deliverable, a measure cell, a performance paragraph) saves on its own: with
htmx its partial is swapped in place; without JavaScript the same form posts and redirects
back to the item's anchor. Both call one service (rbb.programme.services).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from indicators.forms import form_add_domain_error
from missions.models import Report
from missions.selectors import access_for_user, access_may_enter_data
from rbb.exceptions import DomainError, NotPermitted, ReportLocked, StaleVersion
from rbb.review.selectors import review_rights

from . import rules
from .flags import plan_year
from .presentation import programme_home
from .forms import BilingualTextForm, DeliverableForm
from .models import MeasureCell, Result
from .selectors import (
    deliverable_get,
    measure_cell_get,
    programme_report_get_for_user,
    programme_subprogrammes,
    result_paragraph_get,
    subprogramme_get,
    subprogramme_summaries,
)
from .services import deliverable_actual_record, measure_cell_editable, measure_cell_record, performance_paragraph_record

GETTERS = {"deliverable": deliverable_get, "cell": measure_cell_get, "paragraph": result_paragraph_get}
FORMS = {"deliverable": DeliverableForm, "cell": BilingualTextForm, "paragraph": BilingualTextForm}


@dataclass
class Panel:
    kind: str  # deliverable | cell | paragraph
    item: object
    form: object = None
    saved: bool = False
    notice: str = ""
    conflict: dict | None = None

    @property
    def dom_id(self) -> str:
        return f"{self.kind}-{self.item.pk}"


def _number_of(kind: str, item) -> int:
    if kind == "deliverable":
        return item.subcategory.subprogramme.number
    return item.result.subprogramme.number


def _may_edit(user, report: Report, number: int) -> bool:
    return not report.is_locked and access_may_enter_data(access_for_user(user), mission_id=report.mission_id, unit_number=str(number))


def _editable_item(kind: str, item, report: Report) -> bool:
    if kind == "cell":
        return measure_cell_editable(item, year=plan_year(report))
    if kind == "paragraph":
        return item.result.kind == Result.Kind.PERFORMANCE
    return True


def _panel(kind: str, item, report: Report, *, editable: bool, form=None, **extra) -> Panel:
    if kind == "deliverable":
        item.state = rules.deliverable_state(item)
        year = plan_year(report)
        item.years = (year - 2, year - 1, year)  # the columns' years, for their labels
    editable = editable and _editable_item(kind, item, report)
    if editable and form is None:
        form = FORMS[kind].for_item(item, prefix=f"{kind}-{item.pk}")
    return Panel(kind, item, form if editable else None, **extra)


@login_required
@require_GET
def programme_overview(request: HttpRequest, report_id: int) -> HttpResponse:
    """The plan's subprogrammes with what still needs entering, and the flags."""
    report = programme_report_get_for_user(user=request.user, pk=report_id)
    return render(request, "programme/overview.html", {"report": report, **programme_home(report=report)})


@login_required
@require_GET
def subprogramme_entry(request: HttpRequest, report_id: int, number: int) -> HttpResponse:
    report = programme_report_get_for_user(user=request.user, pk=report_id)
    return _render_entry(request, report, number)


def _render_entry(request, report: Report, number: int, *, replace: Panel | None = None, status: int = 200) -> HttpResponse:
    sp = subprogramme_get(report=report, number=number)
    year = plan_year(report)
    editable = _may_edit(request.user, report, sp.number)

    def panel(kind, item):
        if replace is not None and replace.kind == kind and replace.item.pk == item.pk:
            return replace
        return _panel(kind, item, report, editable=editable)

    results = list(sp.results.all())
    performance = [r for r in results if r.kind == Result.Kind.PERFORMANCE]
    measures = []
    for result in results:
        cells = list(result.cells.all())
        if not cells:
            continue
        keys = sorted({(c.year, c.kind) for c in cells}, key=lambda k: (k[0], k[1] != MeasureCell.Kind.ACTUAL))
        rows = {}
        for cell in cells:
            rows.setdefault(cell.row, {})[(cell.year, cell.kind)] = panel("cell", cell)
        measures.append({
            "result": result,
            "columns": keys,
            "rows": [[row.get(key) for key in keys] for _row, row in sorted(rows.items())],
        })
    categories = []
    for sub in sp.subcategories.all():
        if not categories or categories[-1]["category"].pk != sub.category_id:
            categories.append({"category": sub.category, "subcategories": []})
        totals = rules.subcategory_totals(sub)
        categories[-1]["subcategories"].append({
            "sub": sub,
            "totals": [rules.print_count(totals[c]) for c in rules.COLUMNS],
            "mismatches": rules.subcategory_total_mismatches(sub),
            "panels": [panel("deliverable", d) for d in sub.deliverables.all()],
        })
    rights = review_rights(user=request.user, report=report)
    context = {
        "report": report,
        "sp": sp,
        "year": year,
        "prior_year": year - 2,
        "previous_year": year - 1,
        "editable": editable,
        "performance": [{"result": r, "panels": [panel("paragraph", p) for p in r.paragraphs.all()]} for r in performance],
        "measures": measures,
        "categories": categories,
        "narratives": list(sp.narrative_deliverables.all()),
        "nav": list(subprogramme_summaries(report=report)),
        "shows_threads": rights.see,
    }
    return render(request, "programme/entry.html", context, status=status)


@login_required
@require_POST
def item_save(request: HttpRequest, report_id: int, pk: int, kind: str) -> HttpResponse:
    """Save one item through its service; answer with the item (htmx) or the page (plain post)."""
    report = programme_report_get_for_user(user=request.user, pk=report_id)
    item = GETTERS[kind](report=report, pk=pk)
    number = _number_of(kind, item)
    if not access_may_enter_data(access_for_user(request.user), mission_id=report.mission_id, unit_number=str(number)):
        raise PermissionDenied
    year = plan_year(report)
    extra = {"years": (year - 2, year - 1, year)} if kind == "deliverable" else {}
    form = FORMS[kind](request.POST, prefix=f"{kind}-{pk}", **extra)
    status = 200
    if not form.is_valid():
        panel, status = _panel(kind, item, report, editable=True, form=form), 422
    else:
        try:
            _record(kind, item, form.cleaned_data, request.user)
        except NotPermitted:
            raise PermissionDenied
        except StaleVersion as exc:
            # Show the other person's values, with what this user typed beside them.
            current = GETTERS[kind](report=report, pk=pk)
            typed = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            panel, status = _panel(kind, current, report, editable=True, notice=exc.message, conflict=typed), exc.http_status
        except ReportLocked as exc:
            panel, status = _panel(kind, item, report, editable=False, notice=exc.message), exc.http_status
        except DomainError as exc:
            form_add_domain_error(form, exc)
            panel, status = _panel(kind, item, report, editable=True, form=form), 422
        else:
            if not request.htmx:
                messages.success(request, _("Saved."))
                return redirect(reverse("programme:subprogramme", args=[report.pk, number]) + f"#{kind}-{pk}")
            panel = _panel(kind, item, report, editable=True, saved=True)
    if request.htmx:
        context = {"panel": panel, "report": report, "shows_threads": review_rights(user=request.user, report=report).see}
        return render(request, f"programme/partials/_{kind}.html", context, status=status)
    return _render_entry(request, report, number, replace=panel, status=status)


def _record(kind: str, item, data: dict, by) -> None:
    version = data["version"]
    if kind == "deliverable":
        deliverable_actual_record(
            deliverable=item, prior_actual=data["prior_actual"], planned=data["planned"], explanation=data["explanation"],
            explanation_en=data["explanation_en"], version=version, by=by,
        )
    elif kind == "cell":
        measure_cell_record(cell=item, text=data["text"], text_en=data["text_en"], version=version, by=by)
    else:
        performance_paragraph_record(paragraph=item, text=data["text"], text_en=data["text_en"], version=version, by=by)
