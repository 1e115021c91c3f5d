"""Alkire-Foster multidimensional poverty measures (H, A, M0) with contributions and decomposition.

Notation of Alkire & Foster (2011), "Counting and multidimensional poverty measurement", Journal of
Public Economics 95(7–8): 476–487. From a 0/1 deprivation matrix g⁰ (households × indicators) and
weights w (normalised here to sum to 1), the deprivation score is cᵢ = Σⱼ wⱼ g⁰ᵢⱼ; household i is
identified as poor when cᵢ ≥ k. Then

- H  (headcount ratio)          = q / n
- A  (intensity)                = Σ censored cᵢ / q
- M0 (adjusted headcount ratio) = H × A = Σ censored cᵢ / n
- censored headcount ratio of j = share of households that are poor and deprived in j
- contribution of j             = wⱼ × censored headcount of j / M0   (shares add up to 1)
- decomposition by subgroup s   : M0 = Σₛ (nₛ / n) M0ₛ; contribution of s = (nₛ / n) M0ₛ / M0.

Weights and the cut-off are exact fractions and scores are integers, so "exactly k" is never lost to
floating-point rounding (3 × 1/12 is exactly 1/4).

With up to 16 indicators the households are first counted by deprivation *pattern* (the bits of the
indicators they are deprived in), per subgroup: one pass of integer arithmetic over the households, and
the scores, identification and censoring are then worked out once per pattern instead of once per
household. The counts are the same integers either way.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import polars as pl

from vungcao.engine.poverty.classify import TableLike, as_polars
from vungcao.engine.poverty.standard import Standard
from vungcao.engine.tabular import TableValidationError, ValidationReport

CUTOFF_OUT_OF_RANGE = (
    "The poverty cut-off k must be above 0 and at most 1 (a share of the weighted indicators)."
)
WEIGHT_NOT_POSITIVE = "The weight of {indicator} must be a positive number."
WEIGHT_NOT_A_NUMBER = "The weight {text!r} is not a number or a fraction."
WEIGHTS_MALFORMED = "Weights are written indicator=weight, separated by commas."
NO_INDICATORS = "At least one indicator is needed."
NOT_ZERO_OR_ONE = "A deprivation must be 0 or 1."
MISSING_COLUMN = "The column is missing."
MISSING_VALUE = "A value is required."

SCORE = "__score__"
POOR = "__poor__"
POPULATION = "__population__"
POOR_COUNT = "__poor_count__"
CENSORED_SCORE = "__censored_score__"
CENSORED_PREFIX = "__censored__"
PATTERN = "__pattern__"
HOUSEHOLDS = "__households__"
PATTERN_TYPE = pl.UInt16
MAX_PATTERN_INDICATORS = 16
MAX_ROWS_PER_PROBLEM = 1000


def as_fraction(value: Fraction | int | float | str) -> Fraction:
    """A weight or cut-off written as 0.25, "1/3" or a Fraction, exactly."""
    try:
        return Fraction(str(value)) if not isinstance(value, Fraction) else value
    except (ValueError, ZeroDivisionError) as error:
        raise ValueError(WEIGHT_NOT_A_NUMBER.format(text=str(value))) from error


def parse_weights(text: str) -> dict[str, Fraction]:
    """``"employment=0.5,latrine=1/4"`` → {"employment": 1/2, "latrine": 1/4}."""
    weights = {}
    for item in text.split(","):
        name, separator, value = item.partition("=")
        if not separator or not name.strip():
            raise ValueError(WEIGHTS_MALFORMED)
        weights[name.strip()] = as_fraction(value.strip())
    return weights


def equal_weights(indicators: Sequence[str]) -> dict[str, Fraction]:
    return {indicator: Fraction(1, len(indicators)) for indicator in indicators}


def nested_weights(standard: Standard) -> dict[str, Fraction]:
    """Each dimension weighs the same; within a dimension each indicator weighs the same."""
    share = Fraction(1, len(standard.dimensions))
    weights = {}
    for dimension in standard.dimensions:
        members = standard.dimension_indicators(dimension.identifier)
        for indicator in members:
            weights[indicator.identifier] = share / len(members)
    return weights


@dataclass(frozen=True)
class Measures:
    """H, A and M0 with their parts, for the whole population or one subgroup."""

    population: int
    poor: int
    headcount_ratio: float
    intensity: float
    adjusted_headcount_ratio: float
    censored_headcount: dict[str, float]
    contribution: dict[str, float]
    dimension_contribution: dict[str, float]

    def as_dict(self) -> dict[str, Any]:
        measures: dict[str, Any] = {
            "population": self.population,
            "poor": self.poor,
            "H": self.headcount_ratio,
            "A": self.intensity,
            "M0": self.adjusted_headcount_ratio,
            "censored_headcount": self.censored_headcount,
            "contribution": self.contribution,
        }
        if self.dimension_contribution:
            measures["dimension_contribution"] = self.dimension_contribution
        return measures


@dataclass(frozen=True)
class GroupMeasures:
    """One subgroup's measures, its share of the population and its contribution to the overall M0."""

    measures: Measures
    population_share: float
    contribution_to_M0: float

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.measures.as_dict(),
            "population_share": self.population_share,
            "contribution_to_M0": self.contribution_to_M0,
        }


@dataclass(frozen=True)
class AlkireFosterResult:
    overall: Measures
    weights: dict[str, Fraction]
    cutoff: Fraction
    groups: dict[str, GroupMeasures] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        result = {
            **self.overall.as_dict(),
            "k": str(self.cutoff),
            "weights": {name: str(weight) for name, weight in self.weights.items()},
        }
        if self.groups:
            result["groups"] = {name: group.as_dict() for name, group in self.groups.items()}
        return result


def _validate_matrix(frame: pl.DataFrame, columns: Mapping[str, str], by: str | None) -> pl.DataFrame:
    report = ValidationReport()
    for column in [*columns.values(), *([by] if by else [])]:
        if column not in frame.columns:
            report.add(0, column, "", MISSING_COLUMN)
    if not report.ok:
        raise TableValidationError(report)
    problems = []
    for column in columns.values():
        values = pl.col(column).cast(pl.Int64, strict=False)
        problems.append((column, MISSING_VALUE, pl.col(column).is_null()))
        problems.append(
            (column, NOT_ZERO_OR_ONE, pl.col(column).is_not_null() & ~values.is_in([0, 1]).fill_null(False))
        )
    # One pass counts every problem; rows are listed only for the problems that occur.
    counts = frame.select(mask.sum().alias(str(position)) for position, (_, _, mask) in enumerate(problems))
    numbered = frame.with_row_index("__row__", offset=1)
    for (column, reason, mask), count in zip(problems, counts.row(0), strict=True):
        if not count:
            continue
        listed = numbered.filter(mask).head(MAX_ROWS_PER_PROBLEM)
        for row, value in listed.select("__row__", pl.col(column).cast(pl.String)).rows():
            report.add(row, column, value, reason)
    if not report.ok:
        raise TableValidationError(report)
    return frame.with_columns(
        pl.col(column).cast(pl.Int64).cast(pl.Boolean)
        for column in columns.values()
        if frame.schema[column] != pl.Boolean
    )


@dataclass(frozen=True)
class Scoring:
    """Weights normalised to sum to 1, the cut-off, and both as whole numbers on a common ``scale``."""

    weights: dict[str, Fraction]
    cutoff: Fraction
    scale: int
    integer_weights: dict[str, int]
    threshold: int


def scoring(weights: Mapping[str, Fraction | float | str], cutoff: Fraction | float | str) -> Scoring:
    """Check and normalise the weights and the cut-off; integer weights make every score exact."""
    exact = {name: as_fraction(weight) for name, weight in weights.items()}
    if not exact:
        raise ValueError(NO_INDICATORS)
    for name, weight in exact.items():
        if weight <= 0:
            raise ValueError(WEIGHT_NOT_POSITIVE.format(indicator=name))
    total = sum(exact.values())
    normalised = {name: weight / total for name, weight in exact.items()}
    k = as_fraction(cutoff)
    if not 0 < k <= 1:
        raise ValueError(CUTOFF_OUT_OF_RANGE)
    # Integer scores: weight j is normalised[j] × scale, a whole number.
    scale = math.lcm(*(weight.denominator for weight in normalised.values()), k.denominator)
    return Scoring(
        weights=normalised,
        cutoff=k,
        scale=scale,
        integer_weights={name: int(weight * scale) for name, weight in normalised.items()},
        threshold=int(k * scale),
    )


def pattern_expression(columns: Sequence[str]) -> pl.Expr:
    """The deprivation pattern of each household: bit j set when column j is true (missing: not set).

    At most `MAX_PATTERN_INDICATORS` columns. Additions of 0 or 2^j, which Polars runs much faster than
    a horizontal sum of casts.
    """
    if len(columns) > MAX_PATTERN_INDICATORS:
        raise ValueError(f"A pattern holds at most {MAX_PATTERN_INDICATORS} indicators.")
    pattern: pl.Expr = pl.lit(0, dtype=PATTERN_TYPE)
    for bit, column in enumerate(columns):
        set_bit = pl.lit(1 << bit, dtype=PATTERN_TYPE)
        pattern = pattern + pl.when(pl.col(column)).then(set_bit).otherwise(pl.lit(0, dtype=PATTERN_TYPE))
    return pattern


def pattern_counts(frame: pl.LazyFrame, columns: Sequence[str], by: str | None = None) -> pl.LazyFrame:
    """Households per deprivation pattern (column `PATTERN`, count `HOUSEHOLDS`), per ``by`` when given."""
    keys = [*([pl.col(by)] if by else []), pattern_expression(columns).alias(PATTERN)]
    return frame.group_by(keys).agg(pl.len().alias(HOUSEHOLDS))


def alkire_foster_of_patterns(
    counts: pl.DataFrame,
    scores: Scoring,
    *,
    dimensions: Mapping[str, str] | None = None,
    by: str | None = None,
) -> AlkireFosterResult:
    """Alkire-Foster measures from `pattern_counts` over the indicators of ``scores`` (bit j: the j-th)."""
    names = list(scores.weights)
    deprived = {name: (pl.col(PATTERN) & (1 << bit)) != 0 for bit, name in enumerate(names)}
    score = pl.lit(0, dtype=pl.Int64)
    for name in names:
        score = score + pl.when(deprived[name]).then(scores.integer_weights[name]).otherwise(0)
    households = pl.col(HOUSEHOLDS).cast(pl.Int64)
    poor_households = pl.when(pl.col(POOR)).then(households).otherwise(0)
    aggregates = [
        households.sum().alias(POPULATION),
        poor_households.sum().alias(POOR_COUNT),
        (poor_households * pl.col(SCORE)).sum().alias(CENSORED_SCORE),
        *[
            pl.when(deprived[name]).then(poor_households).otherwise(0).sum().alias(CENSORED_PREFIX + name)
            for name in names
        ],
    ]
    scored = (
        counts.lazy()
        .with_columns(score.alias(SCORE))
        .with_columns((pl.col(SCORE) >= scores.threshold).alias(POOR))
    )
    overall_row = scored.select(aggregates).collect().row(0, named=True)
    return _result(overall_row, _group_rows(scored, aggregates, by), scores, dimensions)


def _group_rows(scored: pl.LazyFrame, aggregates: list[pl.Expr], by: str | None) -> dict[str, dict[str, Any]]:
    """The aggregates of each subgroup, keyed by the group's value as text, in the order of ``by``."""
    if by is None:
        return {}
    grouped = scored.group_by(by).agg(aggregates).sort(by).collect()
    return {str(row[by]): row for row in grouped.iter_rows(named=True)}


def _result(
    overall_row: Mapping[str, Any],
    group_rows: Mapping[str, Mapping[str, Any]],
    scores: Scoring,
    dimensions: Mapping[str, str] | None,
) -> AlkireFosterResult:
    overall = _measures(overall_row, scores.weights, scores.scale, dimensions)
    result_groups = {}
    for group, row in group_rows.items():
        measures = _measures(row, scores.weights, scores.scale, dimensions)
        share = measures.population / overall.population
        weighted = share * measures.adjusted_headcount_ratio
        result_groups[group] = GroupMeasures(
            measures=measures,
            population_share=share,
            contribution_to_M0=weighted / overall.adjusted_headcount_ratio
            if overall.adjusted_headcount_ratio
            else 0.0,
        )
    return AlkireFosterResult(
        overall=overall, weights=scores.weights, cutoff=scores.cutoff, groups=result_groups
    )


def alkire_foster(
    matrix: TableLike,
    cutoff: Fraction | float | str,
    weights: Mapping[str, Fraction | float | str] | None = None,
    *,
    indicators: Sequence[str] | None = None,
    columns: Mapping[str, str] | None = None,
    dimensions: Mapping[str, str] | None = None,
    by: str | None = None,
) -> AlkireFosterResult:
    """Alkire-Foster measures of a deprivation matrix.

    ``weights`` (any positive numbers, normalised to sum to 1) or ``indicators`` (equal weights) name the
    indicators; ``columns`` maps an indicator to its column when the names differ (``deprived__<id>``);
    ``dimensions`` maps an indicator to its dimension for contributions by dimension; ``by`` names a
    column to decompose by.
    """
    if weights is None:
        weights = equal_weights(list(indicators or ()))
    scores = scoring(weights, cutoff)
    column_of = {name: (columns or {}).get(name, name) for name in scores.weights}
    frame = _validate_matrix(as_polars(matrix), column_of, by)
    if len(column_of) <= MAX_PATTERN_INDICATORS:
        counts = pattern_counts(frame.lazy(), list(column_of.values()), by).collect()
        return alkire_foster_of_patterns(counts, scores, dimensions=dimensions, by=by)
    score = pl.sum_horizontal(
        [pl.col(column_of[name]).cast(pl.Int64) * scores.integer_weights[name] for name in scores.weights]
    )
    aggregates = [
        pl.len().alias(POPULATION),
        pl.col(POOR).sum().alias(POOR_COUNT),
        pl.when(pl.col(POOR)).then(pl.col(SCORE)).otherwise(0).sum().alias(CENSORED_SCORE),
        *[
            (pl.col(column_of[name]) & pl.col(POOR)).sum().alias(CENSORED_PREFIX + name)
            for name in scores.weights
        ],
    ]
    scored = (
        frame.lazy()
        .with_columns(score.alias(SCORE))
        .with_columns((pl.col(SCORE) >= scores.threshold).alias(POOR))
    )
    overall_row = scored.select(aggregates).collect().row(0, named=True)
    return _result(overall_row, _group_rows(scored, aggregates, by), scores, dimensions)


def _measures(
    row: Mapping[str, Any], weights: Mapping[str, Fraction], scale: int, dimensions: Mapping[str, str] | None
) -> Measures:
    population = int(row[POPULATION])
    poor = int(row[POOR_COUNT])
    censored_score = int(row[CENSORED_SCORE])
    adjusted = Fraction(censored_score, population * scale) if population else Fraction(0)
    censored = {
        name: Fraction(int(row[CENSORED_PREFIX + name]), population) if population else Fraction(0)
        for name in weights
    }
    contribution = {
        name: float(weights[name] * censored[name] / adjusted) if adjusted else 0.0 for name in weights
    }
    by_dimension: dict[str, float] = {}
    if dimensions:
        for name, share in contribution.items():
            by_dimension[dimensions[name]] = by_dimension.get(dimensions[name], 0.0) + share
    return Measures(
        population=population,
        poor=poor,
        headcount_ratio=float(Fraction(poor, population)) if population else 0.0,
        intensity=float(Fraction(censored_score, poor * scale)) if poor else 0.0,
        adjusted_headcount_ratio=float(adjusted),
        censored_headcount={name: float(value) for name, value in censored.items()},
        contribution=contribution,
        dimension_contribution=by_dimension,
    )


def standard_alkire_foster(
    classified: TableLike,
    standard: Standard,
    cutoff: Fraction | float | str,
    weights: Mapping[str, Fraction | float | str] | None = None,
    by: str | None = None,
) -> AlkireFosterResult:
    """Alkire-Foster on a table classified under ``standard`` (its ``deprived__<indicator>`` columns),
    with the standard's nested weights unless ``weights`` are given."""
    return alkire_foster(
        classified,
        cutoff,
        weights or nested_weights(standard),
        columns={indicator.identifier: indicator.column for indicator in standard.indicators},
        dimensions={indicator.identifier: indicator.dimension for indicator in standard.indicators},
        by=by,
    )
