"""The strict JSON reader every API body and imported file goes through (rbb.lib.strict_json)."""

import time

import pytest

from rbb.lib.strict_json import JSONInputError, loads


@pytest.mark.parametrize("data, code, words", [
    ('{"version": 1, "version": 7}', "duplicate_key", '"version"'),
    ('{"a": {"b": 1, "b": 1}}', "duplicate_key", '"b"'),
    ("[" * 100_000 + "]" * 100_000, "too_deep", "64 levels"),
    ('{"a": ' * 100_000 + "1" + "}" * 100_000, "too_deep", "64 levels"),
    ("1" * 5000, "number_too_long", "5000 digits"),
    ('{"n": -' + "9" * 31 + "}", "number_too_long", "31 digits"),
    ("[1e400]", "number_too_long", "1e400"),
    ("[NaN]", "parse_error", "NaN"),
    ("[-Infinity]", "parse_error", "Infinity"),
    ('{"a": 1', "parse_error", "line 1"),
    ('{"a": 1}'.encode("utf-16"), "encoding", "UTF-16"),
    ('{"a": 1}'.encode("utf-16-le"), "encoding", "UTF-16"),
    ('{"a": 1}'.encode("utf-32"), "encoding", "UTF-32"),
    (b'{"a": "\xff"}', "encoding", "0xff at position 7"),
    (b'{"a": "\xe4\xb8"}', "encoding", "UTF-8"),
])
def test_refusals_say_what_is_wrong(data, code, words):
    with pytest.raises(JSONInputError) as caught:
        loads(data)
    assert caught.value.code == code
    assert words in str(caught.value.message)


@pytest.mark.parametrize("data, value", [
    ('{"a": 1, "b": [1.5, "x", null, true]}', {"a": 1, "b": [1.5, "x", None, True]}),
    ('\ufeff{"科索沃": "不适用"}'.encode(), {"科索沃": "不适用"}),
    ('{"text": "[[[[{{{{"}', {"text": "[[[[{{{{"}),  # brackets in strings do not count
    ("[" * 64 + "]" * 64, None),
    ("9" * 30, int("9" * 30)),
])
def test_plain_json_reads_as_json(data, value):
    if value is None:
        assert loads(data) is not None
    else:
        assert loads(data) == value


def test_an_unterminated_string_full_of_escaped_quotes_is_scanned_in_linear_time():
    body = '"' + '\\"' * 200_000 + "[" * 100
    start = time.perf_counter()
    with pytest.raises(JSONInputError):
        loads(body)
    assert time.perf_counter() - start < 1
