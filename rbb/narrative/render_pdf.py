"""Render the narrative tables as PDF with Typst (the `typst` package embeds the compiler).

The document structure (rbb.narrative.structure) goes to Typst as JSON, and one template,
typst/narrative.typ, lays it out: text is data, never markup, so nothing a user typed can
change the layout. Typst lays out the 623-output support-account report in well under a
second where WeasyPrint took 7–15 s (docs/benchmarks.md), repeats table headers on every page,
keeps a short row on one page (no cell left alone at the foot of a page), splits long rows
cleanly, hyphenates English by its patterns and embeds the CJK fonts it uses.
"""

from __future__ import annotations

import json
import threading
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

from rbb.exceptions import DomainError

from rbb.trends.charts import chart_render

from .structure import Chart, Document, Table

TEMPLATE = Path(__file__).with_name("typst") / "narrative.typ"
# A row whose longest cell is at most this many characters is kept on one page.
UNBREAKABLE_ROW_CHARS = 400


class ExportUnavailable(DomainError):
    http_status = 503
    default_code = "export_unavailable"


def _table_data(table: Table) -> dict:
    data = table.as_dict()
    data["show_title"] = table.show_title
    for row, source in zip(data["rows"], table.rows):
        row["breakable"] = max((len(cell.text) for cell in source.cells), default=0) > UNBREAKABLE_ROW_CHARS
    return data


def typst_data(document: Document, files: dict | None = None) -> dict:
    """The document as the template reads it: Document.as_dict() plus layout hints.

    A trend chart is drawn as SVG (cached by content) into `files`, which Typst reads beside
    the template; its block names the file.
    """
    data = document.as_dict()
    for section, source in zip(data["sections"], document.sections):
        blocks = []
        for block in source.blocks:
            if isinstance(block, Table):
                blocks.append(_table_data(block))
            elif isinstance(block, Chart):
                item = block.as_dict()
                if files is not None:
                    item["image"] = f"{block.key}.svg"
                    files[item["image"]] = chart_render(block.series, file_format="svg", language=document.language)
                blocks.append(item)
            else:
                blocks.append(block.as_dict())
        section["blocks"] = blocks
    return data


@lru_cache(maxsize=1)
def _template() -> bytes:
    return TEMPLATE.read_bytes()


def document_pdf(document: Document) -> bytes:
    try:
        import typst
    except ImportError as exc:
        raise ExportUnavailable(_("PDF export is not available on this server (the typst package is missing).")) from exc
    files = {"main.typ": _template()}
    files["data.json"] = json.dumps(typst_data(document, files), ensure_ascii=False).encode("utf-8")
    with _compiler_lock:
        return _compiler(typst).compile(input=files, format="pdf")


_compiler_lock = threading.Lock()


@lru_cache(maxsize=1)
def _compiler(typst):
    """One compiler per process: it keeps the fonts it has read and its layout caches, so a
    second document compiles in a third of the time. Only the project's font folders: scanning
    every system font costs more than the layout."""
    return typst.Compiler(font_paths=list(settings.NARRATIVE_FONT_PATHS), ignore_system_fonts=True)


def render_pdf(document: Document, stream: BinaryIO, *, progress=None) -> None:
    if progress:
        progress(30)
    pdf = document_pdf(document)
    if progress:
        progress(90)
    stream.write(pdf)
    if progress:
        progress(100)
