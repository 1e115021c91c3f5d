"""Hypothesis strategies for households valid under a standard, with its boundaries made likely."""

from __future__ import annotations

from typing import Any, Protocol

import polars as pl
from hypothesis import strategies as st
from sqlglot import exp

from vungcao.engine.poverty.reference import evaluate
from vungcao.engine.poverty.sql import Dialect, table
from vungcao.engine.poverty.standard import INCOME, InputField, Standard


def field_values(
    standard: Standard, input_field: InputField, *, subnormal: bool = True
) -> st.SearchStrategy[Any]:
    if input_field.name == INCOME:
        lines = [value for threshold in standard.thresholds for value in threshold.values.values()]
        boundaries = st.sampled_from([line + offset for line in lines for offset in (-1, 0, 1)])
        return st.one_of(boundaries, st.integers(0, 5_000_000))
    if input_field.type == "boolean":
        values: st.SearchStrategy[Any] = st.booleans()
    elif input_field.type == "category":
        values = st.sampled_from(sorted(input_field.allowed_values))
    elif input_field.type == "integer":
        low = int(input_field.minimum or 0)
        values = st.integers(low, min(int(input_field.maximum or 10), low + 6))
    else:
        values = st.one_of(
            st.sampled_from([0.0, 7.99, 8.0, 16.0, 24.0, 8.01]), st.floats(0, 120, allow_subnormal=subnormal)
        )
    return values if input_field.required else st.one_of(st.none(), values)


def households(standard: Standard, *, subnormal: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    """Valid households; ``subnormal=False`` leaves out numbers below 2.2e-308, which PostgreSQL refuses
    to divide into zero ("value out of range: underflow") where IEEE arithmetic gives 0."""
    strategy = st.fixed_dictionaries(
        {
            input_field.name: field_values(standard, input_field, subnormal=subnormal)
            for input_field in standard.all_fields
        }
    )
    return strategy.filter(
        lambda household: all(evaluate(check.holds, household) is not False for check in standard.checks)
    )


class Connection(Protocol):
    """A DB-API connection of sqlite3, DuckDB or psycopg."""

    def execute(self, query: str, /) -> Any: ...

    def cursor(self) -> Any: ...


SQL_TYPES = {
    pl.Int64: "bigint",
    pl.UInt32: "bigint",
    pl.Float64: "double",
    pl.Boolean: "boolean",
    pl.String: "text",
}


def database_table(connection: Connection, dialect: Dialect, name: str, frame: pl.DataFrame) -> None:
    """Create temporary table ``name`` holding ``frame`` with typed columns, in the dialect's own SQL."""
    columns = [
        exp.ColumnDef(this=exp.to_identifier(column, quoted=True), kind=exp.DataType.build(SQL_TYPES[dtype]))
        for column, dtype in frame.schema.items()
    ]
    created = exp.Create(
        this=exp.Schema(this=table(name), expressions=columns),
        kind="TABLE",
        properties=exp.Properties(expressions=[exp.TemporaryProperty()]),
    )
    connection.execute(created.sql(dialect=dialect))
    inserted = exp.insert(exp.values([tuple(exp.Placeholder() for _ in frame.columns)]), table(name))
    connection.cursor().executemany(inserted.sql(dialect=dialect), list(frame.iter_rows()))
