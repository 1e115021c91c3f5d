"""Classify households under a standard: Arrow (or anything convertible) in, Arrow out.

The output keeps every input column and adds, per household, one ``deprived__<indicator>`` column per
indicator, ``deprivation_count``, ``income_threshold`` (the standard's income line for the household's
area) and ``status`` (one of the standard's statuses, e.g. ``poor``, ``near_poor``, ``average``,
``not_poor``). Invalid input raises `TableValidationError` carrying the full report, its reasons in the
``language`` asked for (``"vi"`` or ``"en"``, English unless told); nothing is returned.

Validation and classification are one pass: the screen of possible problems is collected together with
the classification, and only when it counts something is the exact report built (and the result dropped).
"""

from __future__ import annotations

from typing import Any, TypeAlias

import polars as pl
import pyarrow as pa

from vungcao.engine.poverty.catalogue import get_standard
from vungcao.engine.poverty.dataframe import classification_plan
from vungcao.engine.poverty.standard import Standard
from vungcao.engine.poverty.validation import (
    HouseholdsPlan,
    plan_households,
    prepare_households,
    screen_is_clean,
)
from vungcao.engine.tabular import TableValidationError

TableLike: TypeAlias = pa.Table | pa.RecordBatch | pl.DataFrame | pl.LazyFrame | Any
NOT_A_TABLE = "Cannot read households from an object of type {type}."


def as_polars(table: TableLike) -> pl.DataFrame:
    """Accept an Arrow table or batch, a Polars frame, a pandas frame or a mapping of columns."""
    if isinstance(table, pl.DataFrame):
        return table
    if isinstance(table, pl.LazyFrame):
        return table.collect()
    if isinstance(table, pa.Table | pa.RecordBatch):
        converted = pl.from_arrow(table)
        assert isinstance(converted, pl.DataFrame)
        return converted
    if type(table).__module__.startswith("pandas"):
        converted_pandas: pl.DataFrame = pl.from_pandas(table)
        return converted_pandas
    if isinstance(table, dict):
        return pl.DataFrame(table)
    raise TypeError(NOT_A_TABLE.format(type=type(table).__name__))


def resolve_standard(standard: Standard | str) -> Standard:
    return standard if isinstance(standard, Standard) else get_standard(standard)


def plan_classification(frame: pl.DataFrame, standard: Standard, *, language: str = "en") -> HouseholdsPlan:
    """The lazy validation plan of ``frame``; raises at once on problems of the table as a whole."""
    plan = plan_households(frame, standard, language=language)
    if not plan.report.ok:
        raise TableValidationError(plan.report)
    return plan


def raise_unless_valid(
    frame: pl.DataFrame, standard: Standard, screen: pl.DataFrame, *, language: str = "en"
) -> None:
    """After a pass: when the screen counted possible problems, build the exact report and refuse."""
    if screen_is_clean(screen):
        return
    prepared = prepare_households(frame, standard, language=language)
    if not prepared.report.ok:
        raise TableValidationError(prepared.report)


def classify_frame(table: TableLike, standard: Standard | str, *, language: str = "en") -> pl.DataFrame:
    """`classify`, returning a Polars frame (for callers that go on aggregating in Polars)."""
    resolved = resolve_standard(standard)
    frame = as_polars(table)
    plan = plan_classification(frame, resolved, language=language)
    classified = classification_plan(plan.typed, resolved, plan.recorded).with_columns(
        pl.col(name).cast(pl.String) for name in plan.categorical
    )
    result, screen = pl.collect_all([classified, plan.screen])
    raise_unless_valid(frame, resolved, screen, language=language)
    return result


def classify(table: TableLike, standard: Standard | str, *, language: str = "en") -> pa.Table:
    """Classify every household of ``table`` under ``standard`` (a `Standard` or its identifier); a
    refusal gives its reasons in ``language``."""
    return classify_frame(table, standard, language=language).to_arrow()
