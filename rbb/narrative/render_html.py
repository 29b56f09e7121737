"""Render the narrative tables as one self-contained HTML file (also the PDF's source)."""

from __future__ import annotations

from typing import BinaryIO

from django.template.loader import render_to_string
from django.utils import translation

from .structure import Document


def document_html(document: Document) -> str:
    """The whole document with its print CSS inline, so it opens, prints and pastes anywhere."""
    with translation.override(document.language):
        return render_to_string("rbb/narrative/document.html", {"document": document})


def render_html(document: Document, stream: BinaryIO, *, progress=None) -> None:
    stream.write(document_html(document).encode("utf-8"))
    if progress:
        progress(100)
