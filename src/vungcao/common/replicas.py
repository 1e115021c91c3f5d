"""Read-only replicas of the database for the analytics reads (PostgreSQL's streaming replication).

``DATABASE_REPLICA_URLS`` names the replicas (``settings.DATABASE_REPLICAS`` holds their aliases). A read
goes to one of them only while :func:`replica_reads` is on (``accounts.middleware.ReplicaReadsMiddleware``
turns it on for the pages an analyst or a viewer reads, ``accounts.access.reads_replicas``) and only for
the records that figures are made of (``settings.REPLICA_APPS``: places, the registry, indicators,
programmes): accounts, sessions, imports, exports and the task queue are always read from the primary,
so that a login, a file's progress or an export is never read behind its write. Every write, and every
read inside a transaction of the primary (a read that locks, a read that decides a write), goes to the
primary. A replica lags the primary by the time its changes take to arrive (milliseconds, on a healthy
network): the pages read from it are figures, not a form just saved.
"""

import random
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

_reading_replicas: ContextVar[bool] = ContextVar("reading_replicas", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """While the block runs (in this thread or task), reads of figures may go to a replica."""
    token = _reading_replicas.set(True)
    try:
        yield
    finally:
        _reading_replicas.reset(token)


def replicas() -> tuple[str, ...]:
    """The aliases of the configured replicas (none unless ``DATABASE_REPLICA_URLS`` names some)."""
    return tuple(getattr(settings, "DATABASE_REPLICAS", ()))


class ReplicaRouter:
    """Django's database router: a read of a figure's records to a replica while :func:`replica_reads`
    is on, anything else to the primary (``None``: Django's default)."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        aliases = replicas()
        if not aliases or not _reading_replicas.get():
            return None
        if model._meta.app_label not in settings.REPLICA_APPS:
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None
        return random.choice(aliases)

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        return None

    def allow_relation(self, first: Model, second: Model, **hints: Any) -> bool | None:
        """The primary and its replicas hold the same rows: a unit read from a replica may be given to a
        record written to the primary."""
        same = {DEFAULT_DB_ALIAS, *replicas()}
        return True if {first._state.db, second._state.db} <= same else None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        """A replica is never migrated: it receives the primary's tables as they are."""
        return False if db in replicas() else None
