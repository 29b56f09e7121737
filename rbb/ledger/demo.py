"""The ledger's demo data (seed_demo): UNMIK 2020/21's sect. 六, requests of A/RES/76/274 and the
C-34 summary rows of A/76/505/Add.1. Read from rbb/demo/ only; safe to run again."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.db import transaction

from missions.models import Report

from .models import Assignment, Request, Response, SourceDocument
from .parsing import secretary_general_requests

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"
FOLLOWUP_FILE = "unmik-2020-21-followup.json"
CROSS_CUTTING_FILE = "a-res-76-274-cross-cutting.zh.txt"
C34_FILE = "a-76-505-addendum-c34-recommendations.json"
# A handful of A/RES/76/274's "请秘书长" paragraphs that a mission answers in its next report.
CROSS_CUTTING_PARAGRAPHS = (12, 15, 17, 33, 40, 81)
CROSS_CUTTING_DUE = datetime.date(2022, 9, 30)
# The transcription's inferred categories (see its status_vocabulary_inferred) as ledger statuses.
C34_STATUS = {
    "not_addressed_to_secretariat": Response.Status.NOT_ADDRESSED,
    "in_progress": Response.Status.IN_PROGRESS,
    "implemented_ongoing": Response.Status.IMPLEMENTED,
    "reported_constraint": Response.Status.IN_PROGRESS,
}


def _read(name: str):
    return (DEMO_DIR / name).read_text(encoding="utf-8")


def _source(symbol: str, body: str, **fields) -> SourceDocument:
    source, _created = SourceDocument.objects.update_or_create(symbol=symbol, defaults={"body": body, **fields})
    return source


def _request(source, paragraph: str, order: int, **fields) -> Request:
    request, _created = Request.objects.update_or_create(source=source, paragraph=paragraph, defaults={"order": order, **fields})
    return request


def _answer(request, report: Report, *, action: str = "", status: str = Response.Status.NOT_STARTED, due=None) -> None:
    """Assign and answer, unless the report is locked (then it is left as it is)."""
    if report.is_locked:
        return
    assignment, _created = Assignment.objects.get_or_create(request=request, report=report, defaults={"due_date": due})
    Response.objects.update_or_create(assignment=assignment, defaults={"action": action, "status": status})


def _report(code: str, period: str) -> Report | None:
    return Report.objects.filter(mission__code=code, period__label=period).first()


@transaction.atomic
def ledger_demo_load() -> list[str]:
    """Load the demo ledger; returns what was loaded, one line each."""
    loaded = []
    data = json.loads(_read(FOLLOWUP_FILE))
    unmik = _report(data["report"]["entity"], data["report"]["period"])
    if unmik is not None:
        for document in data["sources"]:
            source = _source(document["symbol"], document["body"], date=datetime.date.fromisoformat(document["date"]),
                             title=document["title"], title_en=document["title_en"])
            for order, row in enumerate(document["requests"], start=1):
                request = _request(source, row["paragraph"], order * 10, text=row["text"], kind=row["kind"])
                _answer(request, unmik, action="\n".join(row["action"]), status=row["status"])
        loaded.append(f"UNMIK 2020/21: {sum(len(d['requests']) for d in data['sources'])}")

    # A/RES/76/274 (30 June 2022) is answered in the 2021/22 reports; UNMIK's exists once the
    # demo has rolled UNMIK forward. The support account answers it in its 2020/21 demo report.
    source = _source("A/RES/76/274", SourceDocument.Body.GA, date=datetime.date(2022, 6, 30), title="76/274. 共有问题",
                     title_en="76/274. Cross-cutting issues")
    paragraphs = {p.number: p for p in secretary_general_requests(_read(CROSS_CUTTING_FILE))}
    targets = [r for r in (_report("UNMIK", "2021/22"), _report("SUPPORT", "2020/21")) if r is not None]
    for number in CROSS_CUTTING_PARAGRAPHS:
        request = _request(source, f"第 {number} 段", number * 10, text=paragraphs[number].text)
        for report in targets:
            _answer(request, report, due=CROSS_CUTTING_DUE)
    loaded.append(f"A/RES/76/274: {len(CROSS_CUTTING_PARAGRAPHS)} × {len(targets)}")

    c34 = json.loads(_read(C34_FILE))
    support = _report("SUPPORT", "2020/21")
    if support is not None:
        source = _source("A/75/19", SourceDocument.Body.C34, date=datetime.date(2021, 3, 1),
                         title="维持和平行动特别委员会的报告", title_en="Report of the Special Committee on Peacekeeping Operations")
        for order, row in enumerate(c34["rows"], start=1):
            request = _request(source, row["paragraph_reference"], order * 10, text=row.get("recommendation_text_zh") or "",
                               kind=Request.Kind.RECOMMENDATION)
            _answer(request, support, action="\n".join(row["implementation_status_text_zh"]),
                    status=C34_STATUS[row["status_category_inferred"]])
        loaded.append(f"C-34 (A/75/19): {len(c34['rows'])}")
    return loaded
