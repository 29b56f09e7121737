"""Render the narrative tables as PDF: the HTML file laid out by WeasyPrint.

Chinese needs a CJK font installed where the PDF is made: Debian's fonts-noto-cjk gives
Noto Serif/Sans CJK SC, which the print CSS names first. WeasyPrint itself needs Pango
(libpango-1.0-0, libpangoft2-1.0-0).
"""

from __future__ import annotations

from typing import BinaryIO

from django.utils.translation import gettext as _

from rbb.exceptions import DomainError

from .render_html import document_html
from .structure import Document


class ExportUnavailable(DomainError):
    http_status = 503
    default_code = "export_unavailable"


def render_pdf(document: Document, stream: BinaryIO, *, progress=None) -> None:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: WeasyPrint installed but Pango missing
        raise ExportUnavailable(
            _("PDF export is not available on this server (WeasyPrint or its libraries are missing).")
        ) from exc
    html = document_html(document)
    if progress:
        progress(30)
    layout = HTML(string=html).render()
    if progress:
        progress(80)
    layout.write_pdf(stream)
    if progress:
        progress(100)
