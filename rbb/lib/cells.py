"""Text cells written to CSV and spreadsheets, made safe from formula injection.

A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a
formula (`=cmd|' /C calc'!A0`, `+HYPERLINK(…)`). OWASP's advice is to prefix such a cell with a
single quote, which the spreadsheet shows as text. A plain number (`-5`, `+3.5`) cannot run and
is left as it is, so that figures stay figures. Every CSV the product writes passes its text
cells through `neutralise`; NDJSON and JSON stay exact.

An XLSX cell holds its type: a text cell is never run when the file is opened, but Excel and
LibreOffice would run it once someone edits it and presses Enter. There the spreadsheet's own
form of the `'` prefix is the cell's `quotePrefix` style (what Excel stores when one types
`'=1`): the text stays exact, as printed in the document, and stays text when edited. XLSX
writers set it on every cell `formula_like` says.
"""

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def formula_like(value) -> bool:
    """Whether a spreadsheet would read `value`, typed into a cell, as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(value)


def neutralise(value):
    """Return `value` with a leading `'` if a spreadsheet would read it as a formula."""
    if formula_like(value):
        return "'" + value
    return value
