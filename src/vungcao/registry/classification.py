"""The bridge from stored answers to the poverty engine: classify rows, stamp the rule version."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import polars as pl

from vungcao.common.language import reader_language
from vungcao.engine.poverty import Standard, classify_frame, get_standard, standard_for
from vungcao.engine.poverty.catalogue import default_catalogue
from vungcao.engine.poverty.standard import AREA, INCOME
from vungcao.engine.poverty.validation import known_fields
from vungcao.engine.tabular import TableValidationError, ValidationReport

AnswerValue = str | int | float | bool | None


@dataclass(frozen=True)
class Result:
    status: str
    deprivation_count: int
    deprived_mask: int
    income_threshold: int


@cache
def standard(identifier: str) -> Standard:
    return get_standard(identifier)


def indicator_labels(language: str) -> dict[str, str]:
    """Every deprivation indicator of the shipped standards, by identifier, named in ``language`` (a
    record that kept the identifiers, such as a support's recorded deprivations, is shown by name)."""
    return {
        indicator.identifier: indicator.label.in_language(language)
        for rule in default_catalogue()
        for indicator in rule.indicators
    }


def standard_digest(identifier: str) -> str:
    """The rule version stamped on every result: the digest of the standard's data file, which changes
    with its rules and never with the code (``engine.poverty.standard.content_version``)."""
    return standard(identifier).version


def standard_for_province(year: int, province_code: str) -> Standard:
    return standard_for(year, int(province_code))


def answer_fields(identifier: str) -> list[str]:
    """The answers the questionnaire asks, beyond area and income: the standard's own fields, then the
    reviewer's yes/no record for each indicator the standard has no rule for."""
    return [field.name for field in standard(identifier).all_fields if field.name not in (AREA, INCOME)]


def known_answer_columns(identifier: str) -> dict[str, str]:
    """Every answer column the standard reads, with its type: its fields, and for every indicator the
    reviewer's recorded yes/no (``deprived__<indicator>``), which is used instead of the rule when given."""
    return {
        name: field.type
        for name, field in known_fields(standard(identifier)).items()
        if name not in (AREA, INCOME)
    }


def deprived_indicators(identifier: str, mask: int) -> list[str]:
    return [
        indicator.identifier
        for position, indicator in enumerate(standard(identifier).indicators)
        if mask >> position & 1
    ]


def classify_rows(
    identifier: str, rows: Sequence[Mapping[str, AnswerValue]], *, language: str | None = None
) -> tuple[list[Result], ValidationReport]:
    """Classify households given as answer mappings (with ``area`` and ``income_per_capita_month``).

    Returns one result per row in order, or no results and the report of every invalid answer (its
    row is the position in ``rows``, counting from 1), its reasons in ``language`` (``"vi"`` or
    ``"en"``; the reader's language when not given).
    """
    if not rows:
        return [], ValidationReport()
    rule = standard(identifier)
    columns = list(dict.fromkeys(column for row in rows for column in row))
    frame = pl.DataFrame(
        {column: [row.get(column) for row in rows] for column in columns},
        schema_overrides={
            column: pl.String
            for column in columns
            if all(isinstance(row.get(column), str | None) for row in rows)
        },
        strict=False,
    )
    try:
        classified = classify_frame(frame, rule, language=reader_language() if language is None else language)
    except TableValidationError as refused:
        return [], refused.report
    deprived_columns = [indicator.column for indicator in rule.indicators]
    masks = classified.select(
        pl.sum_horizontal(
            [
                pl.col(column).cast(pl.Int64) * (1 << position)
                for position, column in enumerate(deprived_columns)
            ]
        ).alias("mask")
    )["mask"]
    return [
        Result(status, count, mask, threshold)
        for status, count, mask, threshold in zip(
            classified["status"],
            classified["deprivation_count"],
            masks,
            classified["income_threshold"],
            strict=True,
        )
    ], ValidationReport()
