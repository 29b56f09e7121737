"""Differences between two texts and between two submissions, for reviewers.

Text is compared paragraph by paragraph first, then, inside a changed paragraph, token by
token: a Chinese character is a token of its own (Chinese has no spaces between words), a
run of other letters and digits is one token (`860`, `COVID-19` → `COVID`, `-`, `19`), and
so are a run of spaces and any other single character. Insertions print as <ins>, deletions
as <del>, everything escaped.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# CJK radicals and punctuation, kana, bopomofo, CJK ideographs (with extension A and the
# compatibility block) and the full-width forms (，；：（）％).
_CJK = "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3200-\u32ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+|\s+|.", re.S)

# Beyond this many tokens on either side a changed paragraph is shown as deleted and inserted
# whole: difflib is quadratic in the worst case, and no reviewer reads such a diff anyway.
MAX_TOKENS = 5000


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _matcher(a, b) -> difflib.SequenceMatcher:
    # autojunk would treat frequent characters (的, 和, spaces) as junk in long texts.
    return difflib.SequenceMatcher(None, a, b, autojunk=False)


def _wrap(tag: str, text: str) -> str:
    return f"<{tag}>{escape(text)}</{tag}>" if text else ""


def _token_diff(old: str, new: str) -> str:
    a, b = tokens(old), tokens(new)
    if len(a) > MAX_TOKENS or len(b) > MAX_TOKENS:
        return _wrap("del", old) + _wrap("ins", new)
    out = []
    for op, i1, i2, j1, j2 in _matcher(a, b).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
        else:
            out.append(_wrap("del", "".join(a[i1:i2])) + _wrap("ins", "".join(b[j1:j2])))
    return "".join(out)


def text_diff(old: str, new: str) -> SafeString:
    """HTML of `new` with what `old` had and `new` lacks in <del>, what `new` adds in <ins>."""
    old, new = old or "", new or ""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    out = []
    for op, i1, i2, j1, j2 in _matcher(a, b).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
        elif op == "delete":
            out.append(_wrap("del", "".join(a[i1:i2])))
        elif op == "insert":
            out.append(_wrap("ins", "".join(b[j1:j2])))
        else:
            out.append(_token_diff("".join(a[i1:i2]), "".join(b[j1:j2])))
    return mark_safe("".join(out))


@dataclass(frozen=True)
class FieldChange:
    name: str  # the snapshot field: actual, actual_narrative, completed_kind …
    old: str
    new: str
    label: str = ""  # the field's name as the page prints it

    @property
    def html(self) -> SafeString:
        return text_diff(self.old, self.new)


@dataclass
class ItemChange:
    """One item that differs between two submissions."""

    key: str
    kind: str
    label: str
    planned: str
    status: str  # "changed", "added" or "removed"
    fields: list[FieldChange] = field(default_factory=list)


def snapshot_diff(old_items: list[dict], new_items: list[dict]) -> list[ItemChange]:
    """Every item whose entered fields differ, in the newer document order; removed items last."""
    old_by_key = {item["key"]: item for item in old_items}
    new_keys = set()
    changes = []
    for item in new_items:
        new_keys.add(item["key"])
        before = old_by_key.get(item["key"])
        if before is None:
            fields = [FieldChange(name, "", value) for name, value in item["fields"].items() if value]
            changes.append(_change(item, "added", fields))
            continue
        fields = [
            FieldChange(name, before["fields"].get(name, ""), value)
            for name, value in item["fields"].items()
            if before["fields"].get(name, "") != value
        ]
        if fields:
            changes.append(_change(item, "changed", fields))
    for item in old_items:
        if item["key"] not in new_keys:
            fields = [FieldChange(name, value, "") for name, value in item["fields"].items() if value]
            changes.append(_change(item, "removed", fields))
    return changes


def _change(item: dict, status: str, fields: list[FieldChange]) -> ItemChange:
    return ItemChange(item["key"], item["kind"], item["label"], item.get("planned", ""), status, fields)
