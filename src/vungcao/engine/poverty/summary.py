"""Classify and aggregate in one pass, without a per-household table: counts and rates of every status
per group, and Alkire-Foster measures, at national scale.

The households are validated, classified under the standard (the same compiled rules as `classify`) and
counted in a single Polars pass: households per group and status, and households per deprivation
pattern for Alkire-Foster (`vungcao.engine.mpi`). Nothing per household is kept, so 27 million
households take the memory of their input columns. Invalid input raises `TableValidationError` with
exactly the report `classify` gives.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import polars as pl

from vungcao.engine.mpi import (
    MAX_PATTERN_INDICATORS,
    AlkireFosterResult,
    Scoring,
    alkire_foster,
    alkire_foster_of_patterns,
    nested_weights,
    pattern_counts,
    scoring,
)
from vungcao.engine.poverty.classify import (
    TableLike,
    as_polars,
    plan_classification,
    raise_unless_valid,
    resolve_standard,
)
from vungcao.engine.poverty.dataframe import classification_plan
from vungcao.engine.poverty.standard import STATUS, Standard

HOUSEHOLDS = "households"
RATE_SUFFIX = "_rate"
COUNT = "__count__"
UNKNOWN_INDICATORS = "Weights name {names}, which standard {standard} does not have."


@dataclass(frozen=True)
class PovertySummary:
    """Households by status for the whole table and per group, and Alkire-Foster when asked.

    ``groups[column]`` has one row per value of ``column``, sorted: the value, ``households``, one count
    column per status of the standard (``poor``, ``near_poor``, …) and one ``<status>_rate`` column (the
    count over the households of the group).
    """

    standard: str
    statuses: tuple[str, ...]
    totals: dict[str, int]
    groups: dict[str, pl.DataFrame]
    alkire_foster: AlkireFosterResult | None = None


def summarise(
    table: TableLike,
    standard: Standard | str,
    by: Sequence[str] = (),
    *,
    cutoff: Fraction | float | str | None = None,
    weights: Mapping[str, Fraction | float | str] | None = None,
    alkire_foster_by: str | None = None,
) -> PovertySummary:
    """Classify every household of ``table`` under ``standard`` and count them by status, overall and per
    column of ``by``; with ``cutoff``, Alkire-Foster measures too (the standard's nested weights unless
    ``weights`` are given), decomposed by ``alkire_foster_by`` when given."""
    resolved = resolve_standard(standard)
    frame = as_polars(table)
    plan = plan_classification(frame, resolved)
    classified = classification_plan(plan.typed, resolved, plan.recorded)
    keys = list(dict.fromkeys(by))
    queries = [plan.screen, classified.group_by([*keys, STATUS]).agg(pl.len().alias(COUNT))]
    scores = summary_scoring(resolved, cutoff, weights)
    if scores is not None:
        deprivations = [resolved.indicator(name).column for name in scores.weights]
        if len(deprivations) <= MAX_PATTERN_INDICATORS:
            queries.append(pattern_counts(classified, deprivations, alkire_foster_by))
        else:
            queries.append(
                classified.select(*deprivations, *([alkire_foster_by] if alkire_foster_by else []))
            )
    screen, counts, *deprived = pl.collect_all(queries)
    raise_unless_valid(frame, resolved, screen)
    return summary_of_counts(
        resolved, keys, counts, deprived[0] if deprived else None, scores, alkire_foster_by
    )


def summary_scoring(
    standard: Standard,
    cutoff: Fraction | float | str | None,
    weights: Mapping[str, Fraction | float | str] | None,
) -> Scoring | None:
    """The Alkire-Foster scoring asked for (none without a ``cutoff``), refused when ``weights`` name an
    indicator the standard does not have."""
    if cutoff is None:
        return None
    scores = scoring(weights or nested_weights(standard), cutoff)
    unknown = sorted(set(scores.weights) - {indicator.identifier for indicator in standard.indicators})
    if unknown:
        raise ValueError(UNKNOWN_INDICATORS.format(names=", ".join(unknown), standard=standard.identifier))
    return scores


def summary_of_counts(
    standard: Standard,
    keys: Sequence[str],
    counts: pl.DataFrame,
    deprived: pl.DataFrame | None,
    scores: Scoring | None,
    alkire_foster_by: str | None,
) -> PovertySummary:
    """The summary from households counted per ``keys`` and status (column `COUNT`) and, with ``scores``,
    ``deprived``: the `pattern_counts` (or, past 16 indicators, the deprivation columns) of the
    households; whichever engine counted them."""
    statuses = tuple(rule.status for rule in standard.statuses)
    totals = {
        HOUSEHOLDS: int(counts[COUNT].sum()),
        **{status: int(counts.filter(pl.col(STATUS) == status)[COUNT].sum()) for status in statuses},
    }
    groups = {column: _by_status(counts, column, statuses) for column in keys}
    measures = None
    if scores is not None:
        assert deprived is not None
        dimensions = {name: standard.indicator(name).dimension for name in scores.weights}
        if len(scores.weights) <= MAX_PATTERN_INDICATORS:
            measures = alkire_foster_of_patterns(deprived, scores, dimensions=dimensions, by=alkire_foster_by)
        else:
            measures = alkire_foster(
                deprived,
                scores.cutoff,
                scores.weights,
                columns={indicator.identifier: indicator.column for indicator in standard.indicators},
                dimensions=dimensions,
                by=alkire_foster_by,
            )
    return PovertySummary(standard.identifier, statuses, totals, groups, measures)


def _by_status(counts: pl.DataFrame, column: str, statuses: tuple[str, ...]) -> pl.DataFrame:
    """Households per value of ``column``: all of them, per status, and the rate of each status."""
    per_status = [pl.col(COUNT).filter(pl.col(STATUS) == status).sum().alias(status) for status in statuses]
    return (
        counts.group_by(column)
        .agg(pl.col(COUNT).sum().alias(HOUSEHOLDS), *per_status)
        .with_columns(
            (pl.col(status) / pl.col(HOUSEHOLDS)).alias(status + RATE_SUFFIX) for status in statuses
        )
        .sort(column)
    )
