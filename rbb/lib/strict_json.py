"""One strict JSON reader for everything the product takes in: API bodies and imported files.

Python's `json.loads` accepts what a careful reader should not:
- a key given twice in one object, keeping the last (`{"version": 1, "version": 7}` would
  pass a version check with 7): refused, naming the key;
- `NaN`, `Infinity` and numbers too large for a float (`1e400` becomes infinity): refused;
- an integer of thousands of digits: Python refuses it past 4 300 digits with an error that
  is not a JSON error, after spending time on it; refused here before converting;
- deep nesting: 100 000 `[` exhaust the parser's recursion (RecursionError). The depth is
  measured first, by a scan without recursion, and refused past MAX_DEPTH.
Bytes are decoded as UTF-8 (a UTF-8 byte-order mark is allowed); UTF-16/32 and invalid UTF-8
are refused with a sentence saying what to do.

Every refusal is a JSONInputError with a translated `message` and a stable `code`.
"""

from __future__ import annotations

import json
import math
import re

from django.utils.translation import gettext_lazy as _

MAX_DEPTH = 64  # the interchange format nests about 8 deep; API bodies 2
MAX_INT_DIGITS = 30  # ids, versions and orders; figures travel as strings

# A JSON string (escapes included; an unterminated one runs to the end) or a bracket: what the
# depth scan looks at. Possessive, so that a string never closed costs one pass, not one per quote.
_TOKENS = re.compile(r'"(?:[^"\\]++|\\.)*+(?:"|\\?\Z)|[\[\]{}]', re.DOTALL)
_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"),
)


class JSONInputError(ValueError):
    def __init__(self, message, code: str):
        self.message = message
        self.code = code
        super().__init__(str(message))


def refuse_utf16(data: bytes) -> None:
    """Refuse UTF-16 and UTF-32 text (with or without a byte-order mark), which no importer reads."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            raise JSONInputError(_("Not UTF-8: the text is encoded as %(encoding)s. Save or send it as UTF-8.") % {"encoding": name}, "encoding")
    if len(data) >= 2 and (data[0] == 0 or data[1] == 0):  # UTF-16 without a byte-order mark
        raise JSONInputError(_("Not UTF-8: the text looks like UTF-16. Save or send it as UTF-8."), "encoding")


def decode_utf8(data: bytes | str) -> str:
    """The text of `data`, which must be UTF-8 (a byte-order mark is dropped)."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    refuse_utf16(data)
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise JSONInputError(
            _("Not valid UTF-8: byte %(byte)s at position %(position)s. Save or send it as UTF-8.")
            % {"byte": f"0x{data[exc.start]:02x}", "position": exc.start},
            "encoding",
        ) from None


def check_depth(text: str, *, max_depth: int = MAX_DEPTH) -> None:
    """Refuse nesting deeper than max_depth, without recursion (strings are skipped)."""
    if text.count("[") + text.count("{") <= max_depth:
        return
    depth = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > max_depth:
                raise JSONInputError(
                    _("The JSON is nested more than %(depth)s levels deep (at position %(position)s).")
                    % {"depth": max_depth, "position": match.start()},
                    "too_deep",
                )
        elif token in "]}":
            depth -= 1


def _pairs(pairs: list[tuple[str, object]]) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen = set()
        for key, _value in pairs:
            if key in seen:
                raise JSONInputError(_('The key "%(key)s" appears twice in one object.') % {"key": key}, "duplicate_key")
            seen.add(key)
    return result


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise JSONInputError(
            _("A number has %(digits)s digits; at most %(limit)s are allowed.") % {"digits": len(text.lstrip("-")), "limit": MAX_INT_DIGITS},
            "number_too_long",
        )
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JSONInputError(_("The number %(number)s is too large.") % {"number": text[:40]}, "number_too_long")
    return value


def _constant(name: str):
    raise JSONInputError(_("%(name)s is not valid JSON.") % {"name": name}, "parse_error")


def _exact(parse_float):
    def parse(text: str):
        _float(text)  # finite and of a sane length, as any number
        return parse_float(text)

    return parse


def loads(data: bytes | str, *, max_depth: int = MAX_DEPTH, parse_float=None):
    """Parse strict JSON (see the module docstring); raise JSONInputError with a clear message.

    `parse_float` (such as Decimal) reads numbers with a fraction or exponent exactly.
    """
    text = decode_utf8(data)
    check_depth(text, max_depth=max_depth)
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_int=_int, parse_float=_exact(parse_float) if parse_float else _float,
                          parse_constant=_constant)
    except JSONInputError:
        raise
    except json.JSONDecodeError as exc:
        raise JSONInputError(
            _("The JSON is not valid: %(problem)s (line %(line)s, column %(column)s).")
            % {"problem": exc.msg, "line": exc.lineno, "column": exc.colno},
            "parse_error",
        ) from None
    except (ValueError, RecursionError) as exc:  # anything the depth scan did not foresee
        raise JSONInputError(_("The JSON is not valid: %(problem)s.") % {"problem": exc}, "parse_error") from None
