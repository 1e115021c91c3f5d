"""Rollups: tables of counts kept exact in the same transaction as the records they count.

A national figure read from records costs work proportional to the country's households; read from a
rollup, to its units. A rollup is declared by the app that owns its records (``AppConfig.rollups()``):
its table, the scope each of its rows counts records of (a commune review), the grouped query over the
records that gives its rows, and the fields it groups by.

Every write that changes the records refreshes the rollup of the scopes it touched, after its writes and
in its transaction (:func:`rollups_refresh`): the scopes' rows are locked (``database.rows_lock``, in one
order, so two writers of one commune review recount one after the other and the second sees what the
first wrote), the rollup's rows of those scopes are deleted and counted again from the records by one
``INSERT … SELECT``. A refresh costs the scopes' records (a commune's households), never the country's;
a reader never counts records. A write rolled back takes its refresh with it.

``vungcao rollups --check`` counts every rollup again from its records and prints each difference (exit
status 1 when there is one); ``vungcao rollups --rebuild`` counts them all again, for a database loaded
by a path that bypasses the services (a bulk load, a restore of an older dump).
"""

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast

from django.apps import apps
from django.db import connection, models, transaction
from django.db.models import Aggregate, Count, F, Q, QuerySet

from vungcao.common import database
from vungcao.common.bulk import column_name

CHUNK = 1000
"""Scopes refreshed by one statement."""
COUNT_FIELD = "households"


def _households() -> dict[str, Aggregate]:
    return {COUNT_FIELD: Count("pk")}


@dataclass(frozen=True)
class Rollup:
    """A table of counts (or sums) of records, by scope and by ``keys``.

    ``table`` has a foreign key ``scope_field`` to the scope model, one field per key and one per
    measure; ``records`` gives the records counted, whose ``record_scope`` is the scope's primary key;
    ``keys`` maps each key field of the table to the record's path it is grouped by; ``measures`` maps
    each measure field to the aggregate of the records that fills it (by default ``households``, their
    number)."""

    name: str
    table: type[models.Model]
    scope_field: str
    records: Callable[[], QuerySet[Any]]
    record_scope: str
    keys: Mapping[str, str]
    measures: Mapping[str, Aggregate] = field(default_factory=_households)

    @property
    def scope_model(self) -> type[models.Model]:
        return cast(type[models.Model], self.table._meta.get_field(self.scope_field).related_model)

    @property
    def columns(self) -> tuple[str, ...]:
        """The table's fields, in the order of :meth:`counted`'s rows: the scope, the keys, the measures."""
        return (self.scope_field, *self.keys, *self.measures)

    @property
    def count_field(self) -> str:
        """The one measure of a rollup that counts records (what :func:`rollups_adjusted` adds to)."""
        (name,) = self.measures
        return name

    @property
    def attributes(self) -> tuple[str, ...]:
        """:attr:`columns` as the model's attributes (a foreign key's ``…_id``), which take the values of
        :meth:`counted`'s rows."""
        return tuple(
            cast("models.Field[Any, Any]", self.table._meta.get_field(name)).attname for name in self.columns
        )

    def counted(
        self, scope_ids: Sequence[Any] | None = None, *, matching: Q | None = None
    ) -> Iterable[tuple[Any, ...]]:
        """The rows of the rollup (scope, *keys, *measures) counted from the records (of ``scope_ids``
        only, and ``matching`` only, when given): here :meth:`grouped`'s."""
        return self.grouped(scope_ids, matching=matching)

    def grouped(self, scope_ids: Sequence[Any] | None = None, *, matching: Q | None = None) -> QuerySet[Any]:
        """:meth:`counted`'s rows as one grouped query of the records."""
        records = self.scoped(self.records(), scope_ids)
        if matching is not None:
            records = records.filter(matching)
        grouped: QuerySet[Any] = (
            records.order_by()
            .values_list(self.record_scope, *self.keys.values())
            .annotate(**{f"rollup_{name}": aggregate for name, aggregate in self.measures.items()})
        )
        return grouped

    def scoped(self, records: QuerySet[Any], scope_ids: Sequence[Any] | None) -> QuerySet[Any]:
        """``records`` of ``scope_ids`` only (all of them when None), each naming its scope in
        ``record_scope``: here a path of the records; a rollup whose records do not name their scope
        annotates it (``programs.rollups.ProvinceRollup``)."""
        if scope_ids is None:
            return records
        return records.filter(**{f"{self.record_scope}__in": list(scope_ids)})

    def insert_counted(self, scope_ids: Sequence[Any] | None) -> None:
        """Insert the rows counted from the records (of ``scope_ids`` only, when given) into the table, in
        the database: one ``INSERT … SELECT`` of :meth:`grouped`'s query, whose columns come in the table's order
        (:attr:`columns`). Rows are written in the order of their scope, so that a scope's rows lie
        together in the table (a province's reviews are read by the index on the scope: scattered rows
        cost a page each)."""
        select, params = self.grouped(scope_ids).order_by(self.record_scope).query.sql_with_params()
        table = connection.ops.quote_name(self.table._meta.db_table)
        names = ", ".join(column_name(self.table, name) for name in self.columns)
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {table} ({names}) {select}", params)

    def stored(self) -> QuerySet[Any]:
        """The rows of the rollup as stored, in :meth:`counted`'s order of fields."""
        return self.table._base_manager.order_by().values_list(*self.columns)


def declared_rollups() -> list[Rollup]:
    """Every rollup an app declares in ``AppConfig.rollups()``, in the apps' order."""
    found: list[Rollup] = []
    for config in apps.get_app_configs():
        declared: Callable[[], Iterable[Rollup]] | None = getattr(config, "rollups", None)
        if declared is not None:
            found.extend(declared())
    return found


def rollups_refresh(*refreshes: tuple[Iterable[Rollup], Iterable[Any]]) -> None:
    """Count each refresh's rollups again for its scopes, from the records as this transaction sees them:
    call it after the writes that changed the scopes' records, inside their transaction. Every scope's
    row is locked first, all at once in one order (a writer that waited sees the records the one before
    it committed)."""
    planned = [(list(rollups), sorted(set(scope_ids))) for rollups, scope_ids in refreshes]
    locked: dict[type[models.Model], set[Any]] = {}
    for rollups, ids in planned:
        for rollup in rollups:
            locked.setdefault(rollup.scope_model, set()).update(ids)
    if not any(locked.values()):
        return
    # Part of the caller's transaction (one is opened when there is none), without a savepoint: a
    # refresh runs after every answer saved. The scopes' rows are locked without their keys: another
    # transaction's rows that refer to a scope (a work of a unit) are checked against it when that
    # transaction commits, and need not wait for the refresh's transaction to end.
    with transaction.atomic(savepoint=False):
        for scope_model, scopes in locked.items():
            database.rows_lock(scope_model, scopes, no_key=True)
        for rollups, ids in planned:
            for rollup in rollups:
                for start in range(0, len(ids), CHUNK):
                    chunk = ids[start : start + CHUNK]
                    rollup.table._base_manager.filter(**{f"{rollup.scope_field}__in": chunk}).delete()
                    rollup.insert_counted(chunk)


def _contributions(rollups: Sequence[Rollup], matching: Q) -> list[Counter[tuple[Any, ...]]]:
    return [Counter({row[:-1]: row[-1] for row in rollup.counted(matching=matching)}) for rollup in rollups]


@contextmanager
def rollups_adjusted(rollups: Iterable[Rollup], matching: Q) -> Iterator[None]:
    """Adjust ``rollups`` by what the records ``matching`` count in them after the block, less what they
    counted before it: for a write of a few records (one household's answer, its move), whose scopes the
    caller has locked before entering (so nobody changes those records in between). Counted by the
    rollups' own grouped queries restricted to those records, so the rows end as a recount would leave
    them, at the cost of the few records instead of their scopes' (a commune's review of 18,000
    households took 0.5–1 s to recount after each answer)."""
    rollups = list(rollups)
    if any(len(rollup.measures) != 1 for rollup in rollups):
        raise ValueError("rollups_adjusted adds to a rollup's one count; recount a rollup of sums")
    before = _contributions(rollups, matching)
    yield
    after = _contributions(rollups, matching)
    with transaction.atomic(savepoint=False):
        for rollup, earlier, later in zip(rollups, before, after, strict=True):
            changes = Counter(later)
            changes.subtract(earlier)
            for key, change in changes.items():
                if change:
                    _row_adjust(rollup, key, change)


def _row_adjust(rollup: Rollup, key: tuple[Any, ...], change: int) -> None:
    """Add ``change`` to the count of the row of ``key`` (scope, *keys): a row made, changed or deleted."""
    fields = dict(zip(rollup.attributes[:-1], key, strict=True))
    row = rollup.table._base_manager.filter(**fields)
    count = F(rollup.count_field) + change
    if change < 0:
        # The row counted these records: it holds at least as many; one left at zero is deleted.
        row.filter(**{rollup.count_field: -change}).delete()
        row.update(**{rollup.count_field: count})
    elif not row.update(**{rollup.count_field: count}):
        rollup.table._base_manager.create(**fields, **{rollup.count_field: change})


def rollup_rebuild(rollup: Rollup) -> None:
    """Count the whole rollup again from its records, in one transaction (readers see the old counts
    until it commits)."""
    with transaction.atomic():
        rollup.table._base_manager.all().delete()
        rollup.insert_counted(None)


def rollup_differences(rollup: Rollup, *, most: int = 20) -> list[str]:
    """Each row where the stored rollup and a count from the records differ (at most ``most``, then how
    many more), one line each; empty when the rollup is exact."""
    measured = len(rollup.measures)
    stored = {row[:-measured]: row[-measured:] for row in rollup.stored()}
    counted = {row[:-measured]: row[-measured:] for row in rollup.counted()}
    keys = sorted(
        (key for key in stored.keys() | counted.keys() if stored.get(key) != counted.get(key)), key=str
    )
    names = ", ".join(rollup.columns[:-measured])
    none = (0,) * measured

    def shown(values: tuple[Any, ...]) -> str:
        return str(values[0]) if measured == 1 else ", ".join(map(str, values))

    lines = [
        f"{rollup.name} ({names}) = {key}: "
        f"{shown(stored.get(key, none))} stored, {shown(counted.get(key, none))} counted"
        for key in keys[:most]
    ]
    if len(keys) > most:
        lines.append(f"{rollup.name}: and {len(keys) - most} more differences")
    return lines
