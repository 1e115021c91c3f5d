"""The registry's rows as the questionnaire import reads and writes them: in batches, by column, with
COPY on PostgreSQL, and the shapes planning keeps of stored households."""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.db import connection, models

Item = TypeVar("Item")
# Keys per query: under SQLite's limit on parameters (32,766 since 3.32), few queries for a large file.
BATCH = 10_000
# After writing this many households, refresh PostgreSQL's statistics of the registry's tables (as
# autovacuum would, later): with the tables' sizes unknown, the next plan of the file reads them whole.
ANALYZE_AFTER = 10_000


def batched(values: Sequence[Item], size: int = BATCH) -> Iterator[Sequence[Item]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def column_name(model: type[models.Model], name: str) -> str:
    return connection.ops.quote_name(str(cast("models.Field[Any, Any]", model._meta.get_field(name)).column))


@dataclass(frozen=True)
class StoredHousehold:
    """What planning needs of a stored household (read as values, not as model instances)."""

    pk: int
    village_id: int
    commune_id: int | None
    address: str
    area: str
    # The village as the preview names it: "name (code)".
    village: str = ""


@dataclass(frozen=True, slots=True)
class StoredMember:
    """A current member of a stored household: its primary key, the values the file's member is compared
    with (``MemberRow.key``, in the order of ``MEMBER_KEY_FIELDS``) and its identity number, encrypted
    (opened only for the few changes a preview shows)."""

    pk: int
    key: tuple[object, ...]
    identity_encrypted: str

    @property
    def full_name(self) -> str:
        return str(self.key[0])

    @property
    def birth_year(self) -> int:
        return int(cast("int", self.key[2]))

    @property
    def relation_to_head(self) -> str:
        return str(self.key[4])

    @property
    def identity_digest(self) -> str:
        return str(self.key[5])


# A stored assessment: its primary key, answers and income.
StoredAssessment = tuple[int, dict[str, object], int]

# The member's fields compared with the file, in the order of ``MemberRow.key``.
MEMBER_KEY_FIELDS = (
    "full_name",
    "sex",
    "birth_year",
    "ethnic_group",
    "relation_to_head",
    "identity_digest",
    "schooling",
    "has_health_insurance",
    "has_disability",
    "work",
)


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Insert rows of values ready for the database (dates and JSON adapted) into ``model``'s table, as
    ``bulk_create`` would but without building model instances: an import writes hundreds of thousands
    of rows, and the ORM's per-field work would be most of the time. COPY on PostgreSQL."""
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
