"""Text cells written to CSV and spreadsheets, made safe from formula injection.

A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a
formula (`=cmd|' /C calc'!A0`, `+HYPERLINK(…)`). OWASP's advice is to prefix such a cell with a
single quote, which the spreadsheet shows as text. A plain number (`-5`, `+3.5`) cannot run and
is left as it is, so that figures stay figures. Every CSV and XLSX the product writes passes its
text cells through `neutralise`; NDJSON and JSON stay exact.
"""

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def neutralise(value):
    """Return `value` with a leading `'` if a spreadsheet would read it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value
