"""The SQL backend: the same standard compiled to one SELECT that runs inside a database or on Spark.

The expression tree is compiled to a sqlglot syntax tree (never to text by hand), which sqlglot renders
in the dialect of the engine that runs it: ``sqlite``, ``duckdb``, ``postgres`` or ``spark``. The tree
uses only what they share (CASE, NULLIF, CAST AS DOUBLE, three-valued AND/OR/NOT), so the registry can
classify where its rows live and a Spark cluster over a Parquet snapshot. Deprivations are returned as
0/1 integers (SQLite has no boolean type); `classify_in_database` turns them into booleans.

Decimal literals are cast to DOUBLE: PostgreSQL, DuckDB and Spark read ``0.5`` as an exact decimal,
the other backends compute in binary floating point, and the results must be the same to the last bit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal, Protocol, TypeAlias

import pyarrow as pa
from sqlglot import exp

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

Dialect: TypeAlias = Literal["sqlite", "duckdb", "postgres", "spark"]
DIALECTS: tuple[Dialect, ...] = ("sqlite", "duckdb", "postgres", "spark")
THRESHOLD_PREFIX = "__threshold__"
DEPRIVATIONS = "deprivations"
COUNTED = "counted"
UNKNOWN_CONNECTION = "Cannot tell the SQL dialect of a {type} connection: pass dialect= explicitly."

_COMPARISONS: dict[str, type[exp.Binary]] = {
    "<": exp.LT,
    "<=": exp.LTE,
    ">": exp.GT,
    ">=": exp.GTE,
    "==": exp.EQ,
    "!=": exp.NEQ,
}
_ARITHMETIC: dict[str, type[exp.Binary]] = {"+": exp.Add, "-": exp.Sub, "*": exp.Mul}


class Connection(Protocol):
    """What sqlite3, DuckDB and psycopg connections have in common here."""

    def execute(self, query: str, /) -> Any: ...


def column(name: str) -> exp.Column:
    return exp.column(name, quoted=True)


def table(name: str) -> exp.Table:
    return exp.Table(this=exp.to_identifier(name, quoted=True))


def literal(value: LiteralValue) -> exp.Expression:
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int):
        return exp.Literal.number(value)
    if isinstance(value, float):
        return exp.cast(exp.Literal.number(repr(value)), exp.DataType.Type.DOUBLE)
    return exp.Literal.string(value)


def flag(condition: exp.Expr) -> exp.Case:
    """1 when ``condition`` is true, else 0 (false or missing)."""
    return exp.Case().when(condition, exp.Literal.number(1)).else_(exp.Literal.number(0))


def total(terms: Sequence[exp.Expression]) -> exp.Expression:
    """``a + b + …`` in parentheses (0 when there is nothing to add)."""
    if not terms:
        return exp.Literal.number(0)
    added = terms[0]
    for term in terms[1:]:
        added = exp.Add(this=added, expression=term)
    return exp.Paren(this=added)


def sql_expression(
    expression: Expression, reference: Callable[[str], exp.Expression] = column
) -> exp.Expression:
    """Compile an expression tree to a sqlglot expression (every compound part in parentheses)."""
    match expression:
        case FieldReference(name=name):
            return reference(name)
        case Constant(value=value):
            return literal(value)
        case Comparison(operator=operator, left=left, right=right):
            compared = _COMPARISONS[operator](
                this=sql_expression(left, reference), expression=sql_expression(right, reference)
            )
            return exp.Paren(this=compared)
        case Arithmetic(operator="/", left=left, right=right):
            numerator = exp.cast(sql_expression(left, reference), exp.DataType.Type.DOUBLE)
            denominator = exp.Nullif(this=sql_expression(right, reference), expression=exp.Literal.number(0))
            return exp.Paren(this=exp.Div(this=numerator, expression=denominator))
        case Arithmetic(operator=operator, left=left, right=right):
            calculated = _ARITHMETIC[operator](
                this=sql_expression(left, reference), expression=sql_expression(right, reference)
            )
            return exp.Paren(this=calculated)
        case Membership(operand=operand, values=values, negated=negated):
            member: exp.Expression = exp.In(
                this=sql_expression(operand, reference), expressions=[literal(value) for value in values]
            )
            return exp.Paren(this=exp.Not(this=member) if negated else member)
        case Conjunction(operands=operands):
            return exp.Paren(this=exp.and_(*(sql_expression(operand, reference) for operand in operands)))
        case Disjunction(operands=operands):
            return exp.Paren(this=exp.or_(*(sql_expression(operand, reference) for operand in operands)))
        case Negation(operand=operand):
            return exp.Paren(this=exp.Not(this=sql_expression(operand, reference)))
        case IsMissing(field=field):
            return exp.Paren(this=exp.Is(this=sql_expression(field, reference), expression=exp.Null()))


def classification_select(
    standard: Standard, source: str, recorded: Iterable[str] = (), keep: Sequence[str] = ()
) -> exp.Select:
    """One SELECT classifying every row of table ``source`` (validated answers) under ``standard``.

    ``recorded`` names the indicators whose ``deprived__<indicator>`` column the table holds; ``keep`` the
    columns to carry through (an identifier, the commune …).
    """
    recorded = set(recorded)
    carried = [column(name) for name in dict.fromkeys((*keep, AREA, INCOME))]
    deprivations = []
    for indicator in standard.indicators:
        if indicator.identifier in recorded or indicator.deprived_when is None:
            condition: exp.Expression = column(indicator.column)
        else:
            condition = sql_expression(indicator.deprived_when)
        deprivations.append(exp.alias_(flag(condition), indicator.column, quoted=True))
    thresholds = []
    for threshold in standard.thresholds:
        by_area = exp.Case(this=column(AREA))
        for area, value in threshold.values.items():
            by_area = by_area.when(literal(area), literal(value))
        thresholds.append(exp.alias_(by_area, THRESHOLD_PREFIX + threshold.name, quoted=True))
    flags = [column(indicator.column) for indicator in standard.indicators]
    threshold_names = {threshold.name for threshold in standard.thresholds}

    def rule_column(name: str) -> exp.Expression:
        return column(THRESHOLD_PREFIX + name if name in threshold_names else name)

    status = exp.Case()
    for rule in standard.statuses:
        status = status.when(sql_expression(rule.when, rule_column), literal(rule.status))
    counted = exp.select(exp.Star(), exp.alias_(total(flags), DEPRIVATION_COUNT, quoted=True)).from_(
        DEPRIVATIONS
    )
    return (
        exp.select(
            *carried,
            *flags,
            column(DEPRIVATION_COUNT),
            exp.alias_(column(THRESHOLD_PREFIX + standard.income_threshold), INCOME_THRESHOLD, quoted=True),
            exp.alias_(status, STATUS, quoted=True),
        )
        .from_(COUNTED)
        .with_(DEPRIVATIONS, as_=exp.select(*carried, *deprivations, *thresholds).from_(table(source)))
        .with_(COUNTED, as_=counted)
    )


def classification_query(
    standard: Standard,
    source: str,
    recorded: Iterable[str] = (),
    keep: Sequence[str] = (),
    *,
    dialect: Dialect = "sqlite",
    pretty: bool = False,
) -> str:
    """`classification_select` as SQL text in ``dialect``."""
    return classification_select(standard, source, recorded, keep).sql(dialect=dialect, pretty=pretty)


def dialect_of(connection: Connection) -> Dialect:
    """The dialect of a sqlite3, DuckDB or psycopg connection."""
    module = type(connection).__module__.split(".")[0].lstrip("_")
    dialects: dict[str, Dialect] = {"sqlite3": "sqlite", "duckdb": "duckdb", "psycopg": "postgres"}
    if module not in dialects:
        raise ValueError(UNKNOWN_CONNECTION.format(type=type(connection).__name__))
    return dialects[module]


def classify_in_database(
    connection: Connection,
    standard: Standard,
    source: str,
    recorded: Iterable[str] = (),
    keep: Sequence[str] = (),
    *,
    dialect: Dialect | None = None,
) -> pa.Table:
    """Run `classification_query` through a DB-API connection and return the rows as Arrow."""
    query = classification_query(standard, source, recorded, keep, dialect=dialect or dialect_of(connection))
    cursor = connection.execute(query)
    names = [description[0] for description in cursor.description]
    rows = cursor.fetchall()
    columns = {name: [row[position] for row in rows] for position, name in enumerate(names)}
    for indicator in standard.indicators:
        columns[indicator.column] = [bool(flag) for flag in columns[indicator.column]]
    return pa.table(columns)
