"""The cells the document must hold, read straight from the project's demo JSON.

Written independently of rbb.narrative: the printed layout is spelled out here from the
performance report (A/76/525), so a renderer that drops, reorders or reformats a cell fails.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext

HEADING = "heading"
SUPERSCRIPT_LETTERS = "ᵃᵇᶜᵈᵉᶠᵍ"


def _zh(language: str) -> bool:
    return language.startswith("zh")


def planned_indicator_cell(indicator: dict, language: str) -> str:
    """`1.1.1 statement(2018/19：574；2019/20：754；2020/21：290)` (Chinese punctuation, no space)."""
    with translation.override(language):
        not_applicable = gettext("not applicable")
    colon, separator = ("：", "；") if _zh(language) else (": ", "; ")
    figures = [*indicator["baselines"], indicator["target"]]
    series = "(" + separator.join(
        f"{f['period']}{colon}{not_applicable if f['value'] in ('不适用', 'N/A') else f['value']}" for f in figures
    ) + ")"
    gap = "" if _zh(language) else " "
    return f"{indicator['number']} {indicator['statement']}{gap}{series}"


def actual_indicator_cell(indicator: dict) -> str:
    """The narrative paragraphs (or the bare actual), then the variance explanation."""
    paragraphs = list(indicator["actual_narrative"]) or ([indicator["actual"]] if indicator["actual"] else [])
    if indicator["variance_explanation"]:
        paragraphs.append(indicator["variance_explanation"])
    return "\n".join(paragraphs)


def completed_cell(output: dict, language: str) -> str:
    kind, value = output["completed"]["kind"], output["completed"]["value"]
    if kind in ("number", "numbers"):
        return value
    if kind == "blank":
        return ""
    with translation.override(language):
        return gettext("Yes") if kind == "yes" else gettext("No")


def mission_framework(data: dict, language: str) -> list[dict]:
    """Per expected accomplishment: its indicator rows and its output rows (with heading rows)."""
    accomplishments = []
    for unit in data["units"]:
        for ea in unit["expected_accomplishments"]:
            outputs, heading = [], None
            for output in ea["outputs"]:
                if output["heading"] and output["heading"] != heading:
                    outputs.append((HEADING, output["heading"]))
                heading = output["heading"]
                outputs.append((output["planned_text"], completed_cell(output, language), "\n".join(output["remarks"])))
            accomplishments.append({
                "number": ea["number"],
                "indicators": [
                    (planned_indicator_cell(i, language), actual_indicator_cell(i)) for i in ea["indicators"]
                ],
                "outputs": outputs,
            })
    return accomplishments


def _printed(measure: dict | None) -> str:
    return "—" if measure is None else measure["printed"]


def financial_rows(resources: dict, table: str) -> list[tuple]:
    """Rows of the summary or detailed financial table: class, (1), (2), (3), (4) as printed."""
    keys = ("apportionment", "expenditure", "variance_amount", "variance_percent")
    return [(row["class"], *(_printed(row[k]) for k in keys)) for row in resources[table]["rows"]]


def incumbency_rows(resources: dict) -> list[tuple]:
    rows = []
    for row in resources["human_resources_incumbency"]["rows"]:
        if row["kind"] == "group_header":
            rows.append((HEADING, row["class"]))
        else:
            rows.append((row["class"], *(_printed(row[k]) for k in ("authorized", "actual_average", "vacancy_rate_percent"))))
    return rows


def _total_label(row: dict, language: str) -> str:
    """`共计` is the product's label for a closing row (translated), not a class of the data."""
    if row["kind"] != "total":
        return row["class"]
    with translation.override(language):
        return gettext("Total")


def redeployment_rows(resources: dict, language: str) -> list[tuple]:
    keys = ("original_apportionment", "redeployment", "revised_apportionment")
    return [(_total_label(row, language), *(_printed(row[k]) for k in keys)) for row in resources["redeployment"]["rows"]]


def revenue_rows(resources: dict, table: str, column: str, language: str) -> list[tuple]:
    return [(_total_label(row, language), _printed(row[column])) for row in resources[table]["rows"]]


def variance_entries(resources: dict) -> list[tuple]:
    """(class, amount, percentage with %, paragraphs) of each analysed class."""
    return [
        (e["class"], e["amount"]["printed"], e["percentage"]["printed"], [p["text"] for p in e["paragraphs"]])
        for e in resources["variance_analysis"]["entries"]
    ]


def strip_note_markers(text: str) -> str:
    return text.rstrip(SUPERSCRIPT_LETTERS)
