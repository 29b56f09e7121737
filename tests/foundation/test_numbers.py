"""The UN print formats and exact rounding (domain.md §6), checked against printed figures."""

from decimal import Decimal

import pytest

from rbb.lib.numbers import (
    NumberError,
    format_count,
    format_dollars,
    format_number,
    format_percent,
    parse_decimal,
    percentage,
    round1,
)


@pytest.mark.parametrize(
    "value, printed",
    [
        (Decimal("30745.2"), "30 745.2"),
        (Decimal("-216.3"), "(216.3)"),
        (Decimal("-0.7"), "(0.7)"),
        (Decimal("39827.3"), "39 827.3"),
        (Decimal("144.5"), "144.5"),
        (Decimal("0"), "—"),
        (None, "—"),
        (Decimal("1234567.85"), "1 234 567.9"),
        (Decimal("730"), "730.0"),
        (Decimal("-911.0"), "(911.0)"),
    ],
)
def test_format_number(value, printed):
    assert format_number(value) == printed


@pytest.mark.parametrize(
    "value, sign, printed",
    [
        (Decimal("-8.9"), False, "(8.9)"),
        (Decimal("-8.9"), True, "(8.9%)"),
        (Decimal("90.1"), True, "90.1%"),
        (Decimal("0"), False, "—"),
        (None, False, "—"),
    ],
)
def test_format_percent(value, sign, printed):
    assert format_percent(value, sign=sign) == printed


def test_zero_ratio_prints_when_asked():
    assert format_number(Decimal("0"), zero_as_nil=False) == "0.0"


@pytest.mark.parametrize(
    "numerator, denominator, expected",
    [
        # UNMIK 2020/21 (A/76/525): 军事观察员 61.5 / 339.7, 本国工作人员 (911.0) / 10 273.9, 医疗 (55.7) / 62.0.
        (Decimal("61.5"), Decimal("339.7"), Decimal("18.1")),
        (Decimal("-911.0"), Decimal("10273.9"), Decimal("-8.9")),
        (Decimal("-55.7"), Decimal("62.0"), Decimal("-89.8")),
        (Decimal("144.5"), Decimal("39827.3"), Decimal("0.4")),
        (Decimal("1262"), Decimal("1300"), Decimal("97.1")),
        (Decimal("0"), Decimal("4"), Decimal("0.0")),
        (Decimal("1"), Decimal("0"), None),
        (None, Decimal("5"), None),
        # Half-up, not banker's rounding: 0.25 → 0.3 (bankers would give 0.2).
        (Decimal("1"), Decimal("400"), Decimal("0.3")),
    ],
)
def test_percentage(numerator, denominator, expected):
    assert percentage(numerator, denominator) == expected


def test_round_half_up():
    assert round1(Decimal("0.05")) == Decimal("0.1")
    assert round1(Decimal("-0.05")) == Decimal("-0.1")
    assert round1(Decimal("2.45")) == Decimal("2.5")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1 234", Decimal("1234")),
        ("1,234", Decimal("1234")),
        ("１２３４", Decimal("1234")),
        ("12.5%", Decimal("12.5")),
        ("(216.3)", Decimal("-216.3")),
        ("30\u00a0745.2", Decimal("30745.2")),
        ("-0", Decimal("0")),
        ("１，２３４．５", Decimal("1234.5")),
    ],
)
def test_parse_decimal_accepts_what_people_type(text, expected):
    assert parse_decimal(text) == expected


@pytest.mark.parametrize(
    "text, code",
    [("12.3.4", "invalid"), ("1e309", "invalid"), ("NaN", "invalid"), ("abc", "invalid"), ("", "empty"),
     ("1,23", "invalid"), ("99999999999999999", "too_large"), ("Infinity", "invalid")],
)
def test_parse_decimal_rejects_with_a_code(text, code):
    with pytest.raises(NumberError) as excinfo:
        parse_decimal(text)
    assert excinfo.value.code == code


def test_counts_and_dollars():
    assert format_count(Decimal("3514")) == "3 514"
    assert format_count(Decimal("0.55")) == "0.55"
    assert format_count(0) == "0"
    # Section V prints the unencumbered balance in full dollars: 144.5 thousand → 144 500.
    assert format_dollars(Decimal("144.5")) == "144 500"
    assert format_dollars(Decimal("126.5")) == "126 500"
