"""Row locks taken in one order; and is this database complete? (``vungcao database_check``)

Every write that decides on rows it read first locks them with :func:`rows_lock`: alone (no joined
table), in primary-key order, in chunks. A lock that waited reads its row again, and PostgreSQL would
drop from the answer a row whose joined row changed meanwhile (a household moved to another village);
one global order means two writers never wait for each other in a circle.

``vungcao database_check`` runs after a restore (or at any time).

Three kinds of check, each giving a list of problems (empty when all is well):

* the schema: every migration the code knows is applied, and every table answers;
* each app's own readiness, declared by its ``AppConfig.database_checks()`` (the administrative units are
  all there; the identity numbers open with the configured key): an app knows what "complete" means for
  its tables, the command does not;
* a manifest: the number of rows of every table, written before a backup (``database_manifest``) and
  compared after the restore (``manifest_differences``).
"""

import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.apps import apps
from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Model, QuerySet

PrimaryKey = TypeVar("PrimaryKey", int, uuid.UUID)
# Primary keys locked by one statement: a file of 100,000 households is locked in a few statements.
LOCK_CHUNK = 10_000


def rows_lock(model: type[Model], pks: Iterable[PrimaryKey], *, no_key: bool = False) -> None:
    """Lock the rows of ``model`` with these primary keys (numbers or UUIDs) until the end of the
    transaction, alone and in primary-key order. ``pks`` is read only when rows are locked (pass a query
    or a generator).

    With ``no_key`` the rows are locked as PostgreSQL's ``FOR NO KEY UPDATE``: against every other lock
    of them but the key share a transaction holds on a row its new or changed rows refer to (so a writer
    of such rows does not wait for the lock, nor the lock for it).

    Outside a transaction nothing is locked: an import's preview runs the same planning code as its apply
    (which plans again inside the transaction that writes) and must not wait for anyone. SQLite takes the
    whole database's write lock for a transaction instead, and has no row locks."""
    if not connection.in_atomic_block or not connection.features.has_select_for_update:
        return
    ordered = sorted(set(pks))
    for start in range(0, len(ordered), LOCK_CHUNK):
        chunk = ordered[start : start + LOCK_CHUNK]
        locked = model._base_manager.select_for_update(no_key=no_key).filter(pk__in=chunk).order_by("pk")
        list(locked.values_list("pk", flat=True))


def stored_rows(rows: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """The rows of a ``values_list`` query as the database returns them, without the ORM's per-value
    conversion: for a large read of which a few values are used, each converted when it is
    (:func:`stored_value_reader`). On SQLite a decimal is read as an int or a float (converting 100,000 of
    them costs more than reading them)."""
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # a condition that matches nothing by itself (``pk__in=[]``): no query to ask
        return []
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def stored_value_reader(model: type[Model], field_name: str) -> Callable[[Any], Any]:
    """What the ORM makes of a value of ``model.field_name`` as the database returns it: the database's
    and the field's converters, as a query applies them to each row."""
    field = model._meta.get_field(field_name)
    column = field.get_col(model._meta.db_table)  # type: ignore[union-attr]
    converters = [*connection.ops.get_db_converters(column), *field.get_db_converters(connection)]  # type: ignore[union-attr]

    def read(value: Any) -> Any:
        for converter in converters:
            value = converter(value, column, connection)
        return value

    return read


# Tables whose rows come and go on their own (sessions expire, lockout records are reset): a difference
# in their counts says nothing about a backup.
TRANSIENT_TABLES = frozenset({"django_session", "axes_accessattempt", "axes_accessfailurelog"})


def _tables() -> list[type[Model]]:
    return sorted(
        (model for model in apps.get_models(include_auto_created=True) if model._meta.managed),
        key=lambda model: model._meta.db_table,
    )


def unapplied_migrations() -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def database_manifest() -> dict[str, int]:
    """The number of rows of every table the code knows, by table name (transient tables left out)."""
    return {
        model._meta.db_table: model._base_manager.count()
        for model in _tables()
        if model._meta.db_table not in TRANSIENT_TABLES
    }


def manifest_differences(expected: Mapping[str, int], found: Mapping[str, int]) -> list[str]:
    problems: list[str] = []
    for table in sorted(set(expected) | set(found)):
        if table not in found:
            problems.append(f"table {table}: in the manifest, not in this database")
        elif table not in expected:
            problems.append(f"table {table}: in this database, not in the manifest")
        elif expected[table] != found[table]:
            problems.append(f"table {table}: {found[table]} rows, the manifest says {expected[table]}")
    return problems


AppCheck = Callable[[], Iterable[str]]


def app_checks() -> list[tuple[str, AppCheck]]:
    """(app label, check) for every check an app declares in ``AppConfig.database_checks``."""
    found: list[tuple[str, AppCheck]] = []
    for config in apps.get_app_configs():
        declared: Callable[[], Iterable[AppCheck]] | None = getattr(config, "database_checks", None)
        if declared is not None:
            found.extend((config.label, check) for check in declared())
    return found


def database_problems() -> list[str]:
    """Every problem of the schema and of the apps' own checks; the apps' checks run only on a schema
    that is complete, since they read its tables."""
    pending = unapplied_migrations()
    if pending:
        return [f"migration not applied: {name}" for name in pending]
    problems: list[str] = []
    for label, check in app_checks():
        problems.extend(f"{label}: {problem}" for problem in check())
    return problems
