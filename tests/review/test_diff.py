"""rbb.review.diff: text diffs at word level, and at character level for Chinese; snapshot diffs."""

from rbb.review.diff import MAX_TOKENS, snapshot_diff, text_diff, tokens


class TestTokens:
    def test_chinese_characters_are_tokens_of_their_own(self):
        assert tokens("记录了860项") == ["记", "录", "了", "860", "项"]

    def test_latin_words_numbers_and_spaces_stay_whole(self):
        assert tokens("owing to COVID-19, 12.5%") == ["owing", " ", "to", " ", "COVID", "-", "19", ",", " ", "12", ".", "5", "%"]

    def test_full_width_punctuation_is_a_token(self):
        assert tokens("高于计划，原因是") == ["高", "于", "计", "划", "，", "原", "因", "是"]


class TestTextDiff:
    def test_an_unchanged_text_has_no_marks(self):
        assert text_diff("不变", "不变") == "不变"

    def test_a_changed_chinese_figure_is_marked_alone(self):
        html = text_diff("记录了 574 项决定", "记录了 860 项决定")
        assert html == "记录了 <del>574</del><ins>860</ins> 项决定"

    def test_inserted_chinese_characters_are_marked_at_character_level(self):
        assert text_diff("高于计划", "明显高于计划") == "<ins>明显</ins>高于计划"

    def test_english_words_are_marked_whole(self):
        assert text_diff("lower than planned", "higher than planned") == "<del>lower</del><ins>higher</ins> than planned"

    def test_a_new_paragraph_is_inserted_whole(self):
        assert text_diff("第一段", "第一段\n第二段") == "第一段<ins>\n第二段</ins>"

    def test_a_removed_paragraph_is_deleted_whole(self):
        assert text_diff("一\n二\n三", "一\n三") == "一\n<del>二\n</del>三"

    def test_text_is_escaped(self):
        html = text_diff("<b>a</b>", "<b>b</b>")
        assert "<b>" not in html and "&lt;b&gt;" in html and "<del>a</del><ins>b</ins>" in html

    def test_empty_to_text_is_an_insertion(self):
        assert text_diff("", "新") == "<ins>新</ins>"

    def test_a_huge_paragraph_is_replaced_whole_instead_of_diffed(self):
        old, new = "字" * (MAX_TOKENS + 1), "文" * (MAX_TOKENS + 1)
        assert text_diff(old, new) == f"<del>{old}</del><ins>{new}</ins>"


def item(key, **fields):
    return {"key": key, "kind": "indicator", "label": key, "planned": "p", "fields": {"actual": "", "actual_narrative": "", **fields}}


class TestSnapshotDiff:
    def test_only_items_whose_fields_differ_are_listed_with_only_those_fields(self):
        old = [item("a", actual="1", actual_narrative="x"), item("b", actual="2")]
        new = [item("a", actual="1", actual_narrative="y"), item("b", actual="2")]
        (change,) = snapshot_diff(old, new)
        assert (change.key, change.status) == ("a", "changed")
        assert [(f.name, f.old, f.new) for f in change.fields] == [("actual_narrative", "x", "y")]

    def test_items_are_matched_by_key_not_by_position(self):
        old = [item("a", actual="1"), item("b", actual="2")]
        new = [item("b", actual="2"), item("a", actual="1")]
        assert snapshot_diff(old, new) == []

    def test_added_and_removed_items(self):
        changes = snapshot_diff([item("gone", actual="5")], [item("new", actual="7")])
        assert [(c.key, c.status, [(f.old, f.new) for f in c.fields]) for c in changes] == [
            ("new", "added", [("", "7")]), ("gone", "removed", [("5", "")]),
        ]
