"""The one number parser: numbers as Vietnamese officials write them, read exactly or refused with how
to write them; every number the formatter writes reads back."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vungcao.engine import numbers
from vungcao.engine.numbers import (
    NumberError,
    format_unambiguous_number,
    parse_integer,
    parse_number,
    parse_vnd,
)
from vungcao.engine.text import format_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("386000", 386000),
        ("1.500.000", 1_500_000),
        ("1 200 000", 1_200_000),
        ("1\u00a0200\u00a0000", 1_200_000),
        ("1.500", 1500),
        ("1,500,000", 1_500_000),
        ("1500000.0", 1_500_000),
        ("  42 ", 42),
        ("+7", 7),
        (2024, 2024),
    ],
)
def test_whole_numbers_are_read_as_officials_write_them(text: object, value: int) -> None:
    assert parse_integer(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,5", Decimal("1.5")),
        ("1.5", Decimal("1.5")),
        ("1.500,75", Decimal("1500.75")),
        ("1,500.75", Decimal("1500.75")),
        ("1 200 000,5", Decimal("1200000.5")),
        ("0,125", Decimal("0.125")),
        (2.5, Decimal("2.5")),
    ],
)
def test_decimals_take_a_comma_or_an_unambiguous_dot(text: object, value: Decimal) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "dong"),
    [
        ("1.500.000", 1_500_000),
        ("1 200 000", 1_200_000),
        ("1,5 triệu", 1_500_000),
        ("1,5 trieu", 1_500_000),
        ("2tr", 2_000_000),
        ("2 TR", 2_000_000),
        ("1,5 tỷ", 1_500_000_000),
        ("500 nghìn", 500_000),
        ("500 ngàn", 500_000),
        ("500k", 500_000),
        ("386000", 386_000),
        ("1.200.000 đ", 1_200_000),
        ("1.200.000đ", 1_200_000),
        ("1.200.000 VNĐ", 1_200_000),
        ("1 tỷ 250 triệu", 1_250_000_000),
        ("2 tỷ 500", 2_000_000_500),
    ],
)
def test_amounts_are_read_with_units_and_currency(text: str, dong: int) -> None:
    assert parse_vnd(text) == dong


@pytest.mark.parametrize(
    ("text", "code", "reason"),
    [
        ("", "empty", numbers.EMPTY),
        ("1,500", "ambiguous", numbers.AMBIGUOUS),
        ("12,500", "ambiguous", numbers.AMBIGUOUS),
        ("1.5.5", "groups", numbers.BAD_GROUPS),
        ("1 50 000", "groups", numbers.BAD_GROUPS),
        ("1,5", "not_whole", numbers.NOT_WHOLE),
        ("-3", "negative", numbers.NEGATIVE),
        ("1e308", "not_a_number", numbers.NOT_A_NUMBER),
        ("NaN", "not_a_number", numbers.NOT_A_NUMBER),
        ("inf", "not_a_number", numbers.NOT_A_NUMBER),
        ("=1+1", "not_a_number", numbers.NOT_A_NUMBER),
        ("1\x00000", "not_a_number", numbers.NOT_A_NUMBER),
        ("1\x1b[2J", "not_a_number", numbers.NOT_A_NUMBER),
        ("١٢٣", "not_a_number", numbers.NOT_A_NUMBER),
        ("1500.", "not_a_number", numbers.NOT_A_NUMBER),
        ("2tr", "not_a_number", numbers.NOT_A_NUMBER),  # units are for amounts only
        (True, "not_a_number", numbers.NOT_A_NUMBER),
        (float("nan"), "not_a_number", numbers.NOT_A_NUMBER),
    ],
)
def test_what_cannot_be_read_exactly_is_refused_with_the_reason(
    text: object, code: str, reason: numbers.Label
) -> None:
    with pytest.raises(NumberError) as raised:
        parse_integer(text)
    assert (raised.value.code, raised.value.reason) == (code, reason)


def test_an_ambiguous_number_says_how_to_write_it_in_the_readers_language() -> None:
    with pytest.raises(NumberError) as raised:
        parse_number("1,500")
    assert "1.500" in raised.value.message("vi")
    assert "1,5" in raised.value.message("vi")
    with pytest.raises(NumberError) as raised:
        parse_number("1.500", language="en")
    assert raised.value.reason == numbers.AMBIGUOUS_EN


@pytest.mark.parametrize("value", ["9" * 10_000, 10**10_000, 10**41], ids=["text", "int", "41 digits"])
def test_a_ten_thousand_digit_number_is_refused_before_it_is_converted(value: object) -> None:
    with pytest.raises(NumberError) as raised:
        parse_integer(value)
    assert raised.value.code == "too_large"
    assert "40" in raised.value.message("vi")


@pytest.mark.parametrize("value", [10**15 + 1, "1.000.000.000.000.001", 1e308])
def test_above_the_maximum_is_refused_with_the_maximum_written_out(value: object) -> None:
    with pytest.raises(NumberError) as raised:
        parse_number(value)
    assert raised.value.code == "too_large"
    assert raised.value.message("vi") == "Lớn hơn mức tối đa 1.000.000.000.000.000."


def test_too_many_decimals_are_refused() -> None:
    with pytest.raises(NumberError) as raised:
        parse_number("0,1234567", decimals=6)
    assert raised.value.message("en") == "More than 6 decimal digits."


def test_a_field_may_allow_negative_numbers() -> None:
    assert parse_number("-1.500", negative=True) == -1500


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1,0000000005 tỷ", "not_whole"),
        ("250 triệu 1 tỷ", "units"),
        ("năm trăm", "not_a_number"),
        ("5 kg", "not_a_number"),
    ],
)
def test_amounts_that_are_not_whole_dong_or_badly_written_are_refused(text: str, code: str) -> None:
    with pytest.raises(NumberError) as raised:
        parse_vnd(text)
    assert raised.value.code == code


@given(st.integers(min_value=0, max_value=numbers.DEFAULT_MAXIMUM), st.sampled_from(["vi", "en"]))
def test_every_whole_number_the_formatter_writes_reads_back(value: int, language: str) -> None:
    written = format_number(value, language)
    assert parse_integer(written, language=language) == value
    assert parse_vnd(written, language=language) == value


@given(
    st.decimals(min_value=0, max_value=10**12, places=6, allow_nan=False, allow_infinity=False),
    st.sampled_from(["vi", "en"]),
)
def test_every_decimal_the_formatter_writes_reads_back_unless_it_is_the_one_ambiguous_form(
    value: Decimal, language: str
) -> None:
    written = format_number(value, language)  # type: ignore[arg-type]  # the formatter writes Decimals exactly
    fraction = written.rpartition(",."[language == "en"])[2] if value != value.to_integral_value() else ""
    if len(fraction) == 3 and 1 <= value < 1000:
        # "1,125": a single mark before three digits, read 1125 by the other convention; refused (rule 3)
        with pytest.raises(NumberError):
            parse_number(written, language=language)
    else:
        assert parse_number(written, language=language) == value


@pytest.mark.parametrize(
    ("value", "language", "written"),
    [
        (32.125, "vi", "32,1250"),
        (32.125, "en", "32.1250"),
        (1234.125, "vi", "1.234,1250"),
        (Decimal("0.125"), "vi", "0,1250"),
        (32.5, "vi", "32,5"),
        (Decimal("12.3456"), "en", "12.3456"),
        (1_200_000, "vi", "1.200.000"),
        (1_200_000, "en", "1,200,000"),
    ],
)
def test_a_number_is_written_as_the_reader_writes_it_with_a_fourth_zero_after_three_decimals(
    value: float | Decimal, language: str, written: str
) -> None:
    assert format_unambiguous_number(value, language) == written


@given(
    st.one_of(
        st.integers(min_value=0, max_value=numbers.DEFAULT_MAXIMUM).map(Decimal),
        st.integers(1, 4).flatmap(
            lambda places: st.decimals(
                min_value=-(10**12), max_value=10**12, places=places, allow_nan=False, allow_infinity=False
            )
        ),
    ),
    st.sampled_from(["vi", "en"]),
)
def test_every_number_written_unambiguously_reads_back_the_same(value: Decimal, language: str) -> None:
    """Given a whole number up to the largest amount, or a number with one to four decimals (three
    among them), when it is written for a reader of either language, then the parser reads the same
    value back: as a Decimal, and as the float a form holds."""
    written = format_unambiguous_number(value, language)
    assert parse_number(written, negative=True, language=language) == value
    as_float = float(value)
    written = format_unambiguous_number(as_float, language)
    assert float(parse_number(written, negative=True, language=language)) == as_float
