"""Read the numbered operative paragraphs of a resolution or report from its text.

The text is what a person copies out of the PDF of an official document: in the Chinese
edition each operative paragraph starts a line with its number (` 12. 请秘书长在下次…`), and
continues over lines broken at the page width, with blank lines between them. Page breaks
bring footnotes (after a `____` rule: ` 5 A/76/281(Part II)。`), links and section headings
(` 一 ` then ` 预算列报和财务管理`) between the lines of one paragraph. The parser drops those,
joins each paragraph's lines (no space between Chinese characters, one between Latin words)
and keeps the paragraph numbers in sequence, so a `2.` that happens to begin a broken line
inside a paragraph is not taken for paragraph 2.

Works for the English edition's layout too (`12. Requests the Secretary-General …`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# "请秘书长", "又请秘书长", "再次请秘书长", "还请秘书长" — and the English edition's wording.
SECRETARY_GENERAL_REQUEST = re.compile(r"请秘书长|[Rr]equests? the Secretary-General")

_START = re.compile(r"^\s*(\d{1,3})\.\s*(\S.*)$")
_RULE = re.compile(r"^\s*_{5,}\s*$")
_FOOTNOTE = re.compile(r"^\s*\d{1,3}\s+\S")
_LINK = re.compile(r"^\s*https?://\S+\s*$")
_SECTION_NUMBER = re.compile(r"^\s*[一二三四五六七八九十]+\s*$|^\s*[IVXL]+\.?\s*$")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
FOOTNOTE_MAX = 80  # a footnote line is a symbol or a short reference


@dataclass(frozen=True)
class ParsedParagraph:
    number: int
    text: str
    line: int  # where the paragraph starts in the pasted text, from 1

    @property
    def asks_secretary_general(self) -> bool:
        return bool(SECRETARY_GENERAL_REQUEST.search(self.text))


def _join(left: str, right: str) -> str:
    """Join two broken lines: Chinese runs straight on; Latin words and numbers keep a space."""
    if not left:
        return right
    if not right:
        return left
    if _CJK.match(left[-1]) or _CJK.match(right[0]):
        return left + right
    return f"{left} {right}"


def parse_operative_paragraphs(text: str) -> list[ParsedParagraph]:
    """Every numbered paragraph of the text, in order, with its joined text."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    found: list[list] = []  # [number, text, line]
    in_footnotes = False
    after_section_number = False
    for index, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        if _RULE.match(line):
            in_footnotes = True
            continue
        if _LINK.match(line):
            continue
        if in_footnotes:
            if _FOOTNOTE.match(raw) and len(line) <= FOOTNOTE_MAX and not _START.match(raw):
                continue
            in_footnotes = False
        if _SECTION_NUMBER.match(line):
            after_section_number = True
            continue
        start = _START.match(raw)
        expected = found[-1][0] + 1 if found else None
        if start and (expected is None or int(start.group(1)) == expected):
            found.append([int(start.group(1)), start.group(2).strip(), index])
            after_section_number = False
            continue
        if after_section_number:
            # The heading under a section number (预算列报和财务管理) is not part of a paragraph.
            after_section_number = False
            continue
        if found:
            found[-1][1] = _join(found[-1][1], line)
    return [ParsedParagraph(number=n, text=t, line=at) for n, t, at in found]


def secretary_general_requests(text: str) -> list[ParsedParagraph]:
    """The numbered paragraphs that ask something of the Secretary-General (请秘书长)."""
    return [p for p in parse_operative_paragraphs(text) if p.asks_secretary_general]
