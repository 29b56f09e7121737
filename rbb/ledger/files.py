"""Read requests from a file: a resolution's text, JSON or CSV (docs/ledger.md), or the C-34
summary table (paragraph + action, as transcribed from A/76/505/Add.1), which reads as responses.

Every error names its place (line, row or JSON path); one error and nothing is imported.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .models import Request, Response
from .parsing import parse_operative_paragraphs
from .services import RequestDraft, ResponseDraft

C34_STATUS = {
    "not_addressed_to_secretariat": Response.Status.NOT_ADDRESSED,
    "in_progress": Response.Status.IN_PROGRESS,
    "implemented_ongoing": Response.Status.IMPLEMENTED,
    "reported_constraint": Response.Status.IN_PROGRESS,
}
FIELDS = ("paragraph", "text", "text_en", "kind", "addressed_to")


@dataclass
class ReadResult:
    requests: list[RequestDraft] = field(default_factory=list)
    responses: list[ResponseDraft] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)  # the paragraph references found, in order
    errors: list[str] = field(default_factory=list)


def read_text(text: str, *, only_secretary_general: bool = True) -> ReadResult:
    result = ReadResult()
    chinese = any("\u3400" <= ch <= "\u9fff" for ch in text[:2000])
    for paragraph in parse_operative_paragraphs(text):
        if only_secretary_general and not paragraph.asks_secretary_general:
            continue
        reference = f"第 {paragraph.number} 段" if chinese else f"para. {paragraph.number}"
        result.requests.append(RequestDraft(paragraph=reference, text=paragraph.text if chinese else "",
                                            text_en="" if chinese else paragraph.text))
        result.numbers.append(str(paragraph.number))
    return result


def _check_row(row: dict, place: str, result: ReadResult) -> None:
    paragraph = str(row.get("paragraph") or "").strip()
    if not paragraph:
        result.errors.append(_("%(place)s: the paragraph reference is missing.") % {"place": place})
        return
    kind = row.get("kind") or Request.Kind.REQUEST
    addressed_to = row.get("addressed_to") or Request.AddressedTo.SECRETARIAT
    if kind not in Request.Kind.values:
        result.errors.append(_("%(place)s: kind must be one of %(values)s.") % {"place": place, "values": ", ".join(Request.Kind.values)})
        return
    if addressed_to not in Request.AddressedTo.values:
        result.errors.append(_("%(place)s: addressed_to must be one of %(values)s.") % {"place": place, "values": ", ".join(Request.AddressedTo.values)})
        return
    for name in ("text", "text_en"):
        if row.get(name) is not None and not isinstance(row.get(name), str):
            result.errors.append(_("%(place)s: %(field)s must be text.") % {"place": place, "field": name})
            return
    result.requests.append(RequestDraft(paragraph=paragraph, text=row.get("text") or "", text_en=row.get("text_en") or "",
                                        kind=kind, addressed_to=addressed_to))
    result.numbers.append(paragraph)


def read_json(content: str) -> ReadResult:
    result = ReadResult()
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        result.errors.append(_("Line %(line)s: not valid JSON (%(message)s).") % {"line": exc.lineno, "message": exc.msg})
        return result
    if isinstance(data, dict) and isinstance(data.get("rows"), list) and data["rows"] and "implementation_status_text_zh" in data["rows"][0]:
        return _read_c34(data["rows"])
    rows = data.get("requests") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        result.errors.append(_("$: expected a list of requests or {\"requests\": [...]}."))
        return result
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            result.errors.append(_("%(place)s: expected an object.") % {"place": f"$.requests[{index}]"})
            continue
        _check_row(row, f"$.requests[{index}]", result)
    return result


def _read_c34(rows: list) -> ReadResult:
    """The C-34 summary table: `A/75/19, para. 18` and the implementation text; the status as transcribed."""
    result = ReadResult()
    for index, row in enumerate(rows):
        place = f"$.rows[{index}]"
        paragraph = str(row.get("paragraph_reference") or "").strip() if isinstance(row, dict) else ""
        if not paragraph:
            result.errors.append(_("%(place)s: the paragraph reference is missing.") % {"place": place})
            continue
        status = row.get("status") or C34_STATUS.get(row.get("status_category_inferred") or "")
        if status not in Response.Status.values:
            result.errors.append(_("%(place)s: the status is missing or unknown.") % {"place": place})
            continue
        action = row.get("implementation_status_text_zh") or []
        action = "\n".join(action) if isinstance(action, list) else str(action)
        result.responses.append(ResponseDraft(paragraph=paragraph, action=action, status=status,
                                              text=row.get("recommendation_text_zh") or ""))
        result.numbers.append(paragraph)
    return result


def read_csv(content: str) -> ReadResult:
    result = ReadResult()
    reader = csv.DictReader(io.StringIO(content))
    missing = [name for name in ("paragraph",) if name not in (reader.fieldnames or [])]
    if missing:
        result.errors.append(_("Line 1: the header needs the column %(column)s.") % {"column": "paragraph"})
        return result
    for line, row in enumerate(reader, start=2):
        _check_row({k: (v or "") for k, v in row.items() if k in FIELDS}, _("line %(line)s") % {"line": line}, result)
    return result


def read_file(name: str, content: bytes, *, only_secretary_general: bool = True) -> ReadResult:
    """Read by the file's extension: .json, .csv, otherwise text."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ReadResult(errors=[_("The file is not UTF-8 text.")])
    lower = name.lower()
    if lower.endswith(".json"):
        return read_json(text)
    if lower.endswith(".csv"):
        return read_csv(text)
    return read_text(text, only_secretary_general=only_secretary_general)
