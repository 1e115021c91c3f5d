"""The SQL backend: the same standard compiled to one SELECT that runs inside a database.

The generated SQL uses only what SQLite, DuckDB and PostgreSQL share (CASE, NULLIF, CAST AS DOUBLE
PRECISION, three-valued AND/OR/NOT), so the registry can classify where its rows live. Deprivations are
returned as 0/1 integers (SQLite has no boolean type); `classify_in_database` turns them into booleans.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

import pyarrow as pa

from vungcao.engine.poverty.expression import (
    Arithmetic,
    Comparison,
    Conjunction,
    Constant,
    Disjunction,
    Expression,
    FieldReference,
    IsMissing,
    LiteralValue,
    Membership,
    Negation,
)
from vungcao.engine.poverty.standard import (
    AREA,
    DEPRIVATION_COUNT,
    INCOME,
    INCOME_THRESHOLD,
    STATUS,
    Standard,
)

THRESHOLD_PREFIX = "__threshold__"


class Connection(Protocol):
    """What sqlite3 and DuckDB connections (and psycopg ones) have in common here."""

    def execute(self, query: str, /) -> Any: ...


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: LiteralValue) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + value.replace("'", "''") + "'"


def sql_expression(expression: Expression, column: Callable[[str], str] = quote_identifier) -> str:
    """Compile an expression tree to SQL text."""
    match expression:
        case FieldReference(name=name):
            return column(name)
        case Constant(value=value):
            return quote_literal(value)
        case Comparison(operator=operator, left=left, right=right):
            sql_operator = "=" if operator == "==" else "<>" if operator == "!=" else operator
            return f"({sql_expression(left, column)} {sql_operator} {sql_expression(right, column)})"
        case Arithmetic(operator="/", left=left, right=right):
            numerator = sql_expression(left, column)
            return f"(CAST({numerator} AS DOUBLE PRECISION) / NULLIF({sql_expression(right, column)}, 0))"
        case Arithmetic(operator=operator, left=left, right=right):
            return f"({sql_expression(left, column)} {operator} {sql_expression(right, column)})"
        case Membership(operand=operand, values=values, negated=negated):
            listed = ", ".join(quote_literal(value) for value in values)
            return f"({sql_expression(operand, column)} {'NOT IN' if negated else 'IN'} ({listed}))"
        case Conjunction(operands=operands):
            return "(" + " AND ".join(sql_expression(operand, column) for operand in operands) + ")"
        case Disjunction(operands=operands):
            return "(" + " OR ".join(sql_expression(operand, column) for operand in operands) + ")"
        case Negation(operand=operand):
            return f"(NOT {sql_expression(operand, column)})"
        case IsMissing(field=field):
            return f"({sql_expression(field, column)} IS NULL)"


def _as_flag(condition: str) -> str:
    return f"CASE WHEN {condition} THEN 1 ELSE 0 END"


def classification_query(
    standard: Standard, source: str, recorded: Iterable[str] = (), keep: Sequence[str] = ()
) -> str:
    """One SELECT classifying every row of table ``source`` (validated answers) under ``standard``.

    ``recorded`` names the indicators whose ``deprived__<indicator>`` column the table holds; ``keep`` the
    columns to carry through (an identifier, the commune …).
    """
    recorded = set(recorded)
    carried = [quote_identifier(name) for name in (*keep, AREA, INCOME)]
    deprivations = []
    for indicator in standard.indicators:
        if indicator.identifier in recorded or indicator.deprived_when is None:
            condition = quote_identifier(indicator.column)
        else:
            condition = sql_expression(indicator.deprived_when)
        deprivations.append(f"{_as_flag(condition)} AS {quote_identifier(indicator.column)}")
    thresholds = []
    for threshold in standard.thresholds:
        cases = " ".join(
            f"WHEN {quote_literal(area)} THEN {value}" for area, value in threshold.values.items()
        )
        thresholds.append(
            f"CASE {quote_identifier(AREA)} {cases} END AS {quote_identifier(THRESHOLD_PREFIX + threshold.name)}"
        )
    flags = [quote_identifier(indicator.column) for indicator in standard.indicators]
    threshold_names = {threshold.name for threshold in standard.thresholds}

    def rule_column(name: str) -> str:
        return quote_identifier(THRESHOLD_PREFIX + name if name in threshold_names else name)

    statuses = " ".join(
        f"WHEN {sql_expression(rule.when, rule_column)} THEN {quote_literal(rule.status)}"
        for rule in standard.statuses
    )
    outputs = [
        *carried,
        *flags,
        quote_identifier(DEPRIVATION_COUNT),
        f"{quote_identifier(THRESHOLD_PREFIX + standard.income_threshold)} AS {quote_identifier(INCOME_THRESHOLD)}",
        f"CASE {statuses} END AS {quote_identifier(STATUS)}",
    ]
    return (
        "WITH deprivations AS (\n"
        f"  SELECT {', '.join([*carried, *deprivations, *thresholds])}\n"
        f"  FROM {quote_identifier(source)}\n"
        "), counted AS (\n"
        f"  SELECT *, ({' + '.join(flags)}) AS {quote_identifier(DEPRIVATION_COUNT)} FROM deprivations\n"
        ")\n"
        f"SELECT {', '.join(outputs)}\nFROM counted"
    )


def classify_in_database(
    connection: Connection,
    standard: Standard,
    source: str,
    recorded: Iterable[str] = (),
    keep: Sequence[str] = (),
) -> pa.Table:
    """Run `classification_query` through a DB-API connection and return the rows as Arrow."""
    cursor = connection.execute(classification_query(standard, source, recorded, keep))
    names = [description[0] for description in cursor.description]
    rows = cursor.fetchall()
    columns = {name: [row[position] for row in rows] for position, name in enumerate(names)}
    for indicator in standard.indicators:
        columns[indicator.column] = [bool(flag) for flag in columns[indicator.column]]
    return pa.table(columns)
