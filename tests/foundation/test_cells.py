import pytest

from rbb.lib.cells import neutralise


@pytest.mark.parametrize("text", ["=cmd|' /C calc'!A0", "+HYPERLINK(\"http://x\")", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=", "-"])
def test_formula_triggers_are_prefixed(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["860", "-5", "+3.5", "-0.3", "不适用", "(216.3)", "a=b", "", None, 12, 1.5])
def test_plain_values_pass_unchanged(value):
    assert neutralise(value) == value
