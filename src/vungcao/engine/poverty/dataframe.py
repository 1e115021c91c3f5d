"""The in-process backend: a standard's expressions compiled to Polars, run on Arrow data.

Polars was chosen by measurement (benchmarks/README.md): one lazy query computes every deprivation,
the count, the thresholds of the household's area and the status in a single parallel pass.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from vungcao.engine.poverty.expression import (
    Arithmetic,
    Comparison,
    Conjunction,
    Constant,
    Disjunction,
    Expression,
    FieldReference,
    IsMissing,
    Membership,
    Negation,
)
from vungcao.engine.poverty.standard import (
    AREA,
    DEPRIVATION_COUNT,
    INCOME_THRESHOLD,
    STATUS,
    Standard,
)

THRESHOLD_PREFIX = "__threshold__"


def polars_expression(expression: Expression, column: Callable[[str], pl.Expr] = pl.col) -> pl.Expr:
    """Compile an expression tree to a Polars expression (null-propagating, Kleene logic)."""
    match expression:
        case FieldReference(name=name):
            return column(name)
        case Constant(value=value):
            return pl.lit(value)
        case Comparison(operator=operator, left=left, right=right):
            return _compare(operator, polars_expression(left, column), polars_expression(right, column))
        case Arithmetic(operator=operator, left=left, right=right):
            return _calculate(operator, polars_expression(left, column), polars_expression(right, column))
        case Membership(operand=operand, values=values, negated=negated):
            compiled = polars_expression(operand, column)
            equalities = [compiled == pl.lit(value) for value in values]
            matched = pl.any_horizontal(equalities) if equalities else pl.lit(False)
            return ~matched if negated else matched
        case Conjunction(operands=operands):
            return pl.all_horizontal([polars_expression(operand, column) for operand in operands])
        case Disjunction(operands=operands):
            return pl.any_horizontal([polars_expression(operand, column) for operand in operands])
        case Negation(operand=operand):
            return ~polars_expression(operand, column)
        case IsMissing(field=field):
            return polars_expression(field, column).is_null()


def _compare(operator: str, left: pl.Expr, right: pl.Expr) -> pl.Expr:
    match operator:
        case "<":
            return left < right
        case "<=":
            return left <= right
        case ">":
            return left > right
        case ">=":
            return left >= right
        case "==":
            return left == right
        case _:
            return left != right


def _calculate(operator: str, left: pl.Expr, right: pl.Expr) -> pl.Expr:
    match operator:
        case "+":
            return left + right
        case "-":
            return left - right
        case "*":
            return left * right
        case _:
            # Division by zero is a missing value, as in SQL.
            return left.cast(pl.Float64) / pl.when(right != 0).then(right.cast(pl.Float64))


def threshold_expression(standard: Standard, name: str) -> pl.Expr:
    """The value of threshold ``name`` for each household's area (missing for an unknown area).

    Equality tests rather than a lookup table, so a categorical ``area`` is compared by its codes.
    """
    value: pl.Expr = pl.lit(None, dtype=pl.Int64)
    for area, amount in reversed(list(standard.threshold(name).values.items())):
        value = pl.when(pl.col(AREA) == pl.lit(area)).then(pl.lit(amount, dtype=pl.Int64)).otherwise(value)
    return value


def count_expression(columns: list[str]) -> pl.Expr:
    """How many of the boolean ``columns`` are true (missing counts as false), as a small integer.

    A chain of additions of 0/1 is much faster in Polars than summing casts horizontally.
    """
    counted = [
        pl.when(pl.col(column)).then(pl.lit(1, dtype=pl.UInt16)).otherwise(pl.lit(0, dtype=pl.UInt16))
        for column in columns
    ]
    total: pl.Expr = pl.lit(0, dtype=pl.UInt16)
    for term in counted:
        total = total + term
    return total


def classification_plan(frame: pl.LazyFrame, standard: Standard, recorded: frozenset[str]) -> pl.LazyFrame:
    """Add deprivations, count, income threshold and status to validated households.

    ``recorded`` names the indicators whose ``deprived__<indicator>`` column the input already holds;
    those are read as they are, every other indicator is computed from its rule.
    """
    deprivations = [
        pl.col(indicator.column).fill_null(False)
        if indicator.identifier in recorded or indicator.deprived_when is None
        else polars_expression(indicator.deprived_when).fill_null(False).alias(indicator.column)
        for indicator in standard.indicators
    ]
    thresholds = [
        threshold_expression(standard, threshold.name).alias(THRESHOLD_PREFIX + threshold.name)
        for threshold in standard.thresholds
    ]
    count = count_expression([indicator.column for indicator in standard.indicators]).cast(pl.Int64)

    def rule_column(name: str) -> pl.Expr:
        if any(threshold.name == name for threshold in standard.thresholds):
            return pl.col(THRESHOLD_PREFIX + name)
        return pl.col(name)

    categories = pl.Enum([rule.status for rule in standard.statuses])
    # The last rule is "true" (checked when the standard is read); earlier rules take precedence.
    *earlier, last = standard.statuses
    # Literals of the Enum type: the status is built from its codes, never from per-household strings.
    status: pl.Expr = pl.lit(last.status, dtype=categories)
    for rule in reversed(earlier):
        matched = polars_expression(rule.when, rule_column).fill_null(False)
        status = pl.when(matched).then(pl.lit(rule.status, dtype=categories)).otherwise(status)
    temporary = [THRESHOLD_PREFIX + threshold.name for threshold in standard.thresholds]
    return (
        frame.with_columns(*deprivations, *thresholds)
        .with_columns(count.alias(DEPRIVATION_COUNT))
        .with_columns(
            pl.col(THRESHOLD_PREFIX + standard.income_threshold).alias(INCOME_THRESHOLD),
            status.alias(STATUS),
        )
        .drop(temporary)
    )
