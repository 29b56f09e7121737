"""The parser of numbered operative paragraphs, on the text of A/RES/76/274 as copied from its PDF."""

import re
from pathlib import Path

from rbb.ledger.parsing import parse_operative_paragraphs, secretary_general_requests

TEXT = (Path(__file__).resolve().parents[2] / "rbb" / "demo" / "a-res-76-274-cross-cutting.zh.txt").read_text(encoding="utf-8")

# Counted by hand in the resolution: 101 operative paragraphs, 66 of which ask the
# Secretary-General (请秘书长, 又请/再次请/还请秘书长); 52 asks the missions (请各特派团), not him.
OPERATIVE = 101
ASKING = (1, 5, 8, 12, 13, 15, 17, 18, 19, 20, 22, 23, 24, 26, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 44, 45,
          47, 48, 49, 50, 51, 54, 55, 56, 57, 58, 59, 60, 63, 64, 66, 67, 68, 69, 70, 73, 74, 75, 77, 79, 81, 82, 83, 84,
          86, 89, 90, 91, 93, 94, 96, 99, 100, 101)


def _raw_paragraphs() -> dict[int, str]:
    """The text between the line starting ` N. ` and the one starting ` N+1. `, without the parser."""
    lines = TEXT.split("\n")
    starts = {}
    expected = 1
    for index, line in enumerate(lines):
        if re.match(rf"^\s*{expected}\.\s", line):
            starts[expected] = index
            expected += 1
    bounds = sorted(starts.items())
    return {n: "".join("".join(lines[a:b]).split()) for (n, a), (_m, b) in zip(bounds, bounds[1:] + [(0, len(lines))])}


def test_it_finds_every_numbered_paragraph_in_order():
    paragraphs = parse_operative_paragraphs(TEXT)
    assert [p.number for p in paragraphs] == list(range(1, OPERATIVE + 1))
    assert paragraphs[11].text.startswith("请秘书长在下次概览报告中进一步报告 COVID-19")


def test_it_finds_every_paragraph_asking_the_secretary_general():
    found = secretary_general_requests(TEXT)
    assert len(found) == len(ASKING) == 66
    assert tuple(p.number for p in found) == ASKING
    # The count agrees with the text itself, read without the parser.
    raw = _raw_paragraphs()
    assert len(raw) == OPERATIVE
    assert tuple(n for n, text in raw.items() if "请秘书长" in text) == ASKING


def test_footnotes_links_and_section_headings_stay_out_of_the_paragraphs():
    paragraphs = {p.number: p.text for p in parse_operative_paragraphs(TEXT)}
    assert "A/76/281" not in paragraphs[10]  # footnote 5 sits inside paragraph 10 on the page
    assert paragraphs[10].endswith("支持国家当局应对COVID-19；")
    assert "预算列报和财务管理" not in paragraphs[12]  # heading 一 follows paragraph 12
    assert "https://" not in paragraphs[73]


def test_english_layout():
    text = "1. Reaffirms its resolutions;\n\n2. Requests the Secretary-General to report\nin the next report;\n3. Notes with concern"
    found = secretary_general_requests(text)
    assert [(p.number, p.text) for p in found] == [(2, "Requests the Secretary-General to report in the next report;")]
