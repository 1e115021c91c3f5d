"""Rows written and read in bulk, past the ORM's per-object work: in batches, by column, with COPY on
PostgreSQL (an import writes hundreds of thousands of rows; a rollup computed in Python, tens of
thousands)."""

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar, cast

from django.db import connection, models

Item = TypeVar("Item")
# Keys per query: under SQLite's limit on parameters (32,766 since 3.32), few queries for a large file.
BATCH = 10_000


def batched(values: Sequence[Item], size: int = BATCH) -> Iterator[Sequence[Item]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def column_name(model: type[models.Model], name: str) -> str:
    return connection.ops.quote_name(str(cast("models.Field[Any, Any]", model._meta.get_field(name)).column))


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Insert rows of values ready for the database (dates and JSON adapted) into ``model``'s table, as
    ``bulk_create`` would but without building model instances: an import writes hundreds of thousands
    of rows, and the ORM's per-field work would be most of the time. COPY on PostgreSQL; on SQLite,
    one statement run for each row, 5,000 rows at a time."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(column_name(model, column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The driver's own cursor: its errors are turned into Django's (IntegrityError) by hand.
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        for batch in batched(list(rows), 5000):
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", batch)  # type: ignore[arg-type]
