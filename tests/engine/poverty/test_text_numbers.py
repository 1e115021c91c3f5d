"""A text column's numbers are read by the one number parser: the standard's validation accepts exactly
what the import's typing reads, and refuses what it refuses."""

import polars as pl

from vungcao.engine.poverty.text_numbers import parsed_numbers


def test_numbers_written_as_officials_write_them_are_read_and_the_rest_are_null() -> None:
    texts = pl.Series(
        ["1200000", "1.500.000", "1,5 triệu", "2tr", None, "1,500", "x", "1e308", "NaN", "-3", "9" * 50]
    )
    assert parsed_numbers(texts, whole=True, target=pl.Int64()).to_list() == [
        1_200_000,
        1_500_000,
        1_500_000,
        2_000_000,
        None,
        None,
        None,
        None,
        None,
        -3,
        None,
    ]


def test_decimals_take_the_comma_or_an_unambiguous_dot() -> None:
    texts = pl.Series(["32,5", "32.5", "1.500", "0,125", "inf"])
    assert parsed_numbers(texts, whole=False, target=pl.Float64()).to_list() == [
        32.5,
        32.5,
        1500.0,
        0.125,
        None,
    ]
