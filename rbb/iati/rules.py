"""What an IATI registry checks beyond the XSD: the IATI Standard rulesets' conditions this
product's activities must meet to be published (docs/api.md, "IATI", lists them).

`publication_problems(xml)` reads a built iati-activities document and returns one line per
broken condition, naming the activity. The API serves a document "for publication" only when
the list is empty; a preview (`?preview=true`) is served anyway, the problems in an XML comment.
The conditions are those of the IATI Standard ruleset (IATI-Rulesets, rulesets/standard.json,
2.03) that apply to what is written here:

1. `iati-identifier` starts with the `reporting-org/@ref` (startsWith).
2. `reporting-org/@ref` is a registered organisation identifier, not the product's placeholder
   (`XX-…`: XX is no registration agency) nor empty.
3. Each activity has a `recipient-country` or a `recipient-region` (atLeastOne); their
   percentages add up to 100 (sum).
4. Each activity has a `sector` (atLeastOne); a code of vocabulary 1 has 5 digits, of
   vocabulary 2 three (regex); the percentages of one vocabulary add up to 100 (sum); a
   reporting organisation's vocabulary (98, 99) says where it is published (vocabulary-uri).
5. Actual start (type 2) and actual end (type 4) dates are not in the future (dateNow); an
   activity in implementation or later has an actual start, a completed one (status 3 or 4)
   an actual end; each start is before its end (dateOrder), planned and actual.
6. Each result's indicator period starts before it ends (dateOrder).
7. A period with several targets or several actuals tells each apart by `dimension`s: every
   one of them carries one, and no two carry the same set (unique).
8. A qualitative indicator (measure 5) carries no `value` on its baselines, targets or actuals;
   a quantitative one's baselines have a value and a year.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

PLACEHOLDER_PREFIX = "XX-"


def placeholder_ref(ref: str) -> bool:
    return not ref.strip() or ref.strip().upper().startswith(PLACEHOLDER_PREFIX)


def publication_problems(xml: bytes, *, today: date | None = None) -> list[str]:
    today = today or timezone.localdate()
    root = etree.fromstring(xml)
    problems: list[str] = []
    for activity in root.iter("iati-activity"):
        identifier = activity.findtext("iati-identifier", "").strip()
        say = problems.append

        ref = activity.find("reporting-org").get("ref", "")
        if not identifier.startswith(ref):
            say(_("%(activity)s: the identifier does not start with the reporting organisation's ref “%(ref)s”.") % {"activity": identifier, "ref": ref})
        if placeholder_ref(ref):
            say(_("%(activity)s: the reporting organisation's ref “%(ref)s” is a placeholder: set IATI_REPORTING_ORG_REF "
                  "to the publisher's registered IATI organisation identifier.") % {"activity": identifier, "ref": ref})

        places = activity.findall("recipient-country") + activity.findall("recipient-region")
        if not places:
            say(_("%(activity)s: no recipient-country or recipient-region (set the entity's IATI recipient in the admin).") % {"activity": identifier})
        elif _percent_sum(places) != 100:
            say(_("%(activity)s: the recipients' percentages do not add up to 100.") % {"activity": identifier})

        sectors = activity.findall("sector")
        if not sectors:
            say(_("%(activity)s: no sector (set the entity's IATI sector in the admin).") % {"activity": identifier})
        by_vocabulary: dict[str, list] = {}
        for sector in sectors:
            vocabulary, code = sector.get("vocabulary", "1"), sector.get("code", "")
            by_vocabulary.setdefault(vocabulary, []).append(sector)
            digits = {"1": 5, "2": 3}.get(vocabulary)
            if digits and not re.fullmatch(rf"[0-9]{{{digits}}}", code):
                say(_("%(activity)s: sector code “%(code)s” of vocabulary %(vocabulary)s does not have %(digits)s digits.")
                    % {"activity": identifier, "code": code, "vocabulary": vocabulary, "digits": digits})
            if vocabulary in ("98", "99") and not sector.get("vocabulary-uri"):
                say(_("%(activity)s: sector vocabulary %(vocabulary)s needs a vocabulary-uri.") % {"activity": identifier, "vocabulary": vocabulary})
        for vocabulary, group in by_vocabulary.items():
            if _percent_sum(group) != 100:
                say(_("%(activity)s: the percentages of sector vocabulary %(vocabulary)s do not add up to 100.")
                    % {"activity": identifier, "vocabulary": vocabulary})

        dates = {node.get("type"): date.fromisoformat(node.get("iso-date")) for node in activity.findall("activity-date")}
        for kind in ("2", "4"):  # actual start, actual end
            if kind in dates and dates[kind] > today:
                say(_("%(activity)s: the activity-date of type %(type)s (%(date)s) is in the future.")
                    % {"activity": identifier, "type": kind, "date": dates[kind]})
        status = activity.find("activity-status").get("code")
        if status in ("2", "3", "4") and "2" not in dates:
            say(_("%(activity)s: an activity in implementation or completed needs an actual start date.") % {"activity": identifier})
        if status in ("3", "4") and "4" not in dates:
            say(_("%(activity)s: a completed activity needs an actual end date.") % {"activity": identifier})
        for start, end in (("1", "3"), ("2", "4")):
            if start in dates and end in dates and dates[start] > dates[end]:
                say(_("%(activity)s: activity-date type %(start)s is after type %(end)s.") % {"activity": identifier, "start": start, "end": end})

        for number, indicator in enumerate(activity.iter("indicator"), start=1):
            where = f"{identifier} / {number} {_title(indicator)}"
            qualitative = indicator.get("measure") == "5"
            for period in indicator.findall("period"):
                start = date.fromisoformat(period.find("period-start").get("iso-date"))
                end = date.fromisoformat(period.find("period-end").get("iso-date"))
                if start > end:
                    say(_("%(indicator)s: the period starts after it ends.") % {"indicator": where})
                for kind in ("target", "actual"):
                    nodes = period.findall(kind)
                    if len(nodes) > 1:
                        keys = [frozenset((d.get("name"), d.get("value")) for d in node.findall("dimension")) for node in nodes]
                        if not all(keys) or len(set(keys)) != len(keys):
                            say(_("%(indicator)s: several %(element)s elements in one period are not told apart by dimensions.")
                                % {"indicator": where, "element": kind})
            for node in indicator.iter("baseline", "target", "actual"):
                if qualitative and node.get("value") is not None:
                    say(_("%(indicator)s: a qualitative indicator's %(element)s has a value.") % {"indicator": where, "element": node.tag})
            if not qualitative:
                for baseline in indicator.findall("baseline"):
                    if baseline.get("value") is None or not baseline.get("year"):
                        say(_("%(indicator)s: a baseline needs a value and a year.") % {"indicator": where})
    return problems


def _percent_sum(nodes) -> Decimal:
    return sum((Decimal(node.get("percentage", "100")) for node in nodes), Decimal(0))


def _title(indicator) -> str:
    return " ".join((indicator.findtext("title/narrative") or "").split())[:60]
