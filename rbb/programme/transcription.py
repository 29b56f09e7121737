"""Convert a transcription of A/78/6 (Sect. 3) (the seed's JSON layout) into the interchange format.

Used once to write rbb/demo/dppa-2024.json (`python -m rbb.programme.transcription SEED.json`)
and by the tests, which compare what the app prints with the transcription itself. Nothing
reads the seeds at run time: the demo file is in the project.
"""

from __future__ import annotations

COLUMN_KEYS = {
    "prior_planned": "{y2}_planned",
    "prior_actual": "{y2}_actual",
    "previous_planned": "{y1}_planned",
    "planned": "{y0}_planned",
}
RESOURCE_KEYS = {
    "expenditure": "{y2}_expenditure",
    "appropriation": "{y1}_appropriation",
    "technical_adjustments": "change_technical_adjustments",
    "new_mandates": "change_new_expanded_mandates",
    "other_changes": "change_other",
}
TOTAL_LABELS = {"共计"}


def _nil(raw: str | None) -> str | None:
    return None if raw in (None, "—") else raw.replace(" ", "")


def columns(plan_year: int) -> dict[str, str]:
    years = {"y2": plan_year - 2, "y1": plan_year - 1, "y0": plan_year}
    return {column: key.format(**years) for column, key in COLUMN_KEYS.items()}


def _measure(node: dict) -> dict:
    rows = []
    for row in node.get("rows", []):
        cells = []
        for column in node["columns"]:
            texts = row.get(column["key"], [])
            cells.append({"year": column["year"], "kind": column["kind"], "text": "\n".join(texts), "text_en": ""})
        rows.append(cells)
    return {
        "number": node.get("table_number", ""),
        "presentation": node.get("presentation", "table"),
        "title": node.get("title_zh", ""),
        "title_en": "",
        "rows": rows,
    }


def _paragraphs(items, part="body") -> list[dict]:
    return [{"part": part, "number": p["paragraph"], "text": p["text_zh"], "text_en": p.get("text_en", "")} for p in items]


def subprogramme_from_transcription(sp: dict, *, plan_year: int) -> dict:
    """One subprogramme of the transcription in the interchange format (docs/programme-interchange.md)."""
    keys = columns(plan_year)
    performance = sp["programme_performance_2022"]
    planned = []
    for result in sp["planned_results_2024"]["results"]:
        paragraphs = _paragraphs(result["paragraphs"])
        if result.get("lessons_learned_and_planned_change"):
            lessons = result["lessons_learned_and_planned_change"]
            paragraphs.append({"part": "lessons", "number": lessons["paragraph"], "text": lessons["text_zh"], "text_en": ""})
        if result.get("measure_intro"):
            intro = result["measure_intro"]
            paragraphs.append({"part": "measure_intro", "number": intro["paragraph"], "text": intro["text_zh"], "text_en": ""})
        attainment = result.get("target_attainment_2022") or {}
        planned.append({
            "number": result["result_number"],
            "title": result["title_zh"],
            "title_en": result.get("title_en", ""),
            "subheading": result.get("subheading_zh", ""),
            "subheading_en": "",
            "is_new": result["kind"].startswith("new"),
            "attainment": attainment.get("status"),
            "attainment_phrase": attainment.get("source_phrase_zh", ""),
            "paragraphs": paragraphs,
            "measure": _measure(result["performance_measure"]),
        })
    categories = []
    for category in sp["deliverables"]["categories"]:
        if category.get("present_in_table") is False:
            continue
        subcategories = []
        for sub in category["quantified_subcategories"]:
            subcategories.append({
                "name": sub["name_zh"],
                "name_en": sub.get("name_en", ""),
                "unit": sub["unit_zh"],
                "unit_en": sub.get("unit_en", ""),
                "printed_totals": {column: sub["totals"][key]["raw"] for column, key in keys.items()},
                "items": [
                    {
                        "number": item["number"],
                        "description": item["description_zh"],
                        "description_en": item.get("description_en", ""),
                        **{column: item["values"][key]["raw"] for column, key in keys.items()},
                        "explanation": "",
                        "explanation_en": "",
                    }
                    for item in sub["items"]
                ],
            })
        categories.append({
            "code": category["code"],
            "subcategories": subcategories,
            "narrative": [
                {"subcategory": n["subcategory_zh"], "subcategory_en": n.get("subcategory_en", ""), "text": n["text_zh"], "text_en": n.get("text_en", "")}
                for n in category["narrative_items"]
            ],
        })
    resources = sp["resources"]
    table = next(value for key, value in resources.items() if key.startswith("table_"))
    years = {"y2": plan_year - 2, "y1": plan_year - 1}
    financial = [
        {
            "label": row["label_zh"],
            "label_en": row.get("label_en", ""),
            **{name: _nil(row["cells"][key.format(**years)]["raw"]) for name, key in RESOURCE_KEYS.items()},
        }
        for row in table["financial_resources_by_main_category"]["rows"]
        if row["label_zh"] not in TOTAL_LABELS
    ]
    posts = [
        {
            "label": row["label_zh"],
            "label_en": row.get("label_en", ""),
            "expenditure": None,
            "appropriation": None if row[str(plan_year - 1)] is None else str(row[str(plan_year - 1)]),
            "technical_adjustments": _nil(row["changes"]["technical_adjustments"]),
            "new_mandates": _nil(row["changes"]["new_expanded_mandates"]),
            "other_changes": _nil(row["changes"]["other"]),
        }
        for row in table["post_resources_by_category"]["rows"]
        if row["label_zh"] not in TOTAL_LABELS
    ]
    figure = next((value for key, value in resources.items() if key.startswith("figure_")), {})
    mandates = sp["legislative_mandates"]
    return {
        "number": sp["number"],
        "title": sp["title_zh"],
        "title_en": sp.get("title_en", ""),
        "mandates": {
            "paragraph": mandates["paragraph"],
            "groups": [
                {
                    "body": group["body_zh"],
                    "body_en": group.get("body_en", ""),
                    "items": [{"symbol": i["symbol"], "title": i["title_zh"], "title_en": i.get("title_en", "")} for i in group["items"]],
                }
                for group in mandates["groups"]
            ],
        },
        "objective": {"paragraph": sp["objective"]["paragraph"], "text": sp["objective"]["text_zh"], "text_en": sp["objective"].get("text_en", "")},
        "strategy": {
            "paragraph": sp["strategy"]["paragraph"], "lead_in": sp["strategy"]["lead_in_zh"], "lead_in_en": "",
            "items": [{"label": i["label"], "text": i["text_zh"], "text_en": ""} for i in sp["strategy"]["items"]],
        },
        "expected_results": {
            "paragraph": sp["expected_results"]["paragraph"], "lead_in": sp["expected_results"]["lead_in_zh"], "lead_in_en": "",
            "items": [{"label": i["label"], "text": i["text_zh"], "text_en": ""} for i in sp["expected_results"]["items"]],
        },
        "performance": {
            "number": 0,
            "title": performance["title_zh"],
            "title_en": "",
            "subheading": performance["heading_zh"],
            "subheading_en": "",
            "is_new": False,
            "attainment": None,
            "attainment_phrase": "",
            "paragraphs": _paragraphs(performance["paragraphs"]),
            "measure": _measure(performance["performance_measure"]),
        },
        "planned_results": planned,
        "deliverables": {
            "paragraph": sp["deliverables"]["paragraph"],
            "intro": sp["deliverables"]["intro_zh"],
            "intro_en": "",
            "table_number": sp["deliverables"]["table_number"],
            "categories": categories,
        },
        "resources": {
            "table_number": table["table_number"],
            "paragraphs": [
                {"number": p["paragraph"], "heading": p.get("heading_zh", ""), "heading_en": "", "text": p["text_zh"], "text_en": ""}
                for p in resources["paragraphs"]
            ],
            "financial": financial,
            "posts": posts,
            "posts_by_grade": [{"grade": g["grade"], "count": g["count"]} for g in figure.get("by_grade_from_annex_I_org_chart", [])],
        },
    }
