"""Numbers written as text in a table column, read by the one number parser (``engine.numbers``) so that
the standard's validation accepts exactly what an import's typing reads."""

from __future__ import annotations

import polars as pl

from vungcao.engine.numbers import NumberError, parse_number

LARGEST_INTEGER = 2**63 - 1
"""The largest ``Int64``: a larger number is no value of an integer column."""


def parsed_numbers(texts: pl.Series, *, whole: bool, target: pl.DataType) -> pl.Series:
    """Numbers written as text, read by the one number parser (``engine.numbers``: ``"1.500.000"``,
    ``"1,5 triệu"``); null where it refuses. Plain digits are cast at once; every other distinct text is
    parsed once."""
    digits = texts.str.contains(r"^-?[0-9]{1,18}$")
    plain = pl.select(pl.when(digits).then(texts.cast(target, strict=False))).to_series()
    unread = texts.filter(~digits.fill_null(True)).unique()
    if unread.is_empty():
        return plain
    parsed: dict[str, int | float | None] = {}
    for text in unread:
        try:
            number = parse_number(text, whole=whole, amount=True, negative=True, maximum=LARGEST_INTEGER)
        except NumberError:
            parsed[text] = None
        else:
            parsed[text] = int(number) if whole else float(number)
    return plain.fill_null(texts.replace_strict(parsed, default=None, return_dtype=target))
