"""The follow-up section of the performance report (A/76/525 sect. 六), as narrative-table data.

Grouped by body (A. 大会, B. 行政和预算问题咨询委员会 …) and, within a body, by source
document (第 75/301 号决议, A/75/822/Add.11), each a two-column table: the decision or request
with its paragraph reference at its end, and the action taken. One query.
"""

from __future__ import annotations

from itertools import groupby

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from missions.models import Report, paragraphs
from rbb.narrative.structure import Cell, Column, Paragraph, Row, Section, Table

from .models import SourceDocument
from .selectors import assignment_list_for_report

TITLE_RESOLUTION = _(
    "Summary of follow-up action taken to implement the decisions and requests of the General Assembly in its "
    "resolution %(resolution)s, including the requests and recommendations of the Advisory Committee on "
    "Administrative and Budgetary Questions endorsed by the General Assembly"
)
TITLE = _(
    "Summary of follow-up action taken to implement the decisions and requests of the General Assembly and other "
    "bodies, including the requests and recommendations of the Advisory Committee on Administrative and Budgetary "
    "Questions endorsed by the General Assembly"
)
RESOLUTION = _("(resolution %(resolution)s)")
DECISION = _("Decision/request")
ACTION = _("Action taken to implement decision/request")
SHEET = _("Follow-up")
LETTERS = "ABCDEFGHIJ"


def _chinese() -> bool:
    return (get_language() or "en").lower().startswith("zh")


def _pick(chinese: str, english: str) -> str:
    return (chinese or english) if _chinese() else (english or chinese)


def request_paragraphs(request) -> tuple[str, ...]:
    """The request's paragraphs, the last ending with its reference: `…应对疫情(第 11 段)。`."""
    lines = paragraphs(_pick(request.text, request.text_en))
    reference = request.paragraph
    if not lines:
        return (f"({reference})",)
    last = lines[-1].rstrip()
    if _chinese():
        last = last.rstrip("。；;.") + f"({reference})。"
    else:
        last = last.rstrip(".;") + f" ({reference})."
    return (*lines[:-1], last)


def action_paragraphs(response) -> tuple[str, ...]:
    lines = paragraphs(_pick(response.action, response.action_en))
    return tuple(lines) or (str(response.get_status_display()),)


def followup_section(*, report: Report) -> Section | None:
    """Section 六 of the report, or None when no request is assigned to it."""
    assignments = assignment_list_for_report(report=report)
    if not assignments:
        return None
    resolutions = sorted({a.request.source.resolution_number for a in assignments
                          if a.request.source.body == SourceDocument.Body.GA and a.request.source.resolution_number})
    title = TITLE_RESOLUTION % {"resolution": resolutions[0]} if len(resolutions) == 1 else TITLE
    section = Section(key="followup", title=str(title), level=1)
    for letter, (body, of_body) in zip(LETTERS, groupby(assignments, key=lambda a: a.request.source.body)):
        section.blocks.append(Paragraph(f"{letter}. {SourceDocument.Body(body).label}", style="heading2"))
        for source, rows in groupby(of_body, key=lambda a: a.request.source):
            number = source.resolution_number
            caption = str(RESOLUTION % {"resolution": number}) if number else f"({source.symbol})"
            section.blocks.append(Paragraph(caption, style="heading3"))
            table = Table(
                key=f"followup-{source.symbol}", title=caption, sheet_name=f"{SHEET} {letter}{source.pk}"[:31],
                show_title=False, columns=[Column("request", 50), Column("action", 50)],
                header_rows=[[Cell(str(DECISION)), Cell(str(ACTION))]],
            )
            for assignment in rows:
                table.rows.append(Row(
                    key=assignment.request.paragraph,
                    cells=[Cell(paragraphs=request_paragraphs(assignment.request)),
                           Cell(paragraphs=action_paragraphs(assignment.response))],
                ))
            section.blocks.append(table)
    return section
