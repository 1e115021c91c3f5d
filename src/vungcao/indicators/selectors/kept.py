"""Figures kept by each process until what they are made of changes.

A national pivot of an indicator entered by former commune makes some 100,000 figures from 100,000
entered values (~0.5 s) on every request, while the values change a few times a day. Every write of
entered values gives their indicator a new revision token (``indicators.services.revisions``) in its
transaction, as every write to the units gives the tree one (``geo.services.revision``): the figures a
request made are kept under the revisions they were made at, and a request finding the same stored
revisions takes them instead of making them again. A write rolled back leaves the stored revisions, and
the figures kept under them stand. After a write, the figures are made again from what the last request
of the same reading made (``values.Earlier``): only those the changed values reach are made anew, and
only the values written since are read, where the log of each indicator's last writes
(``IndicatorValueChange``, written with the revision) holds them.

Only figures made of revisioned inputs alone are kept: entered indicators (and the indicators derived
from them) over a tree with a revision. Records (computed indicators: the registry's rollups, money,
works) have no revision: they are read on every request, and the figures made again only for the units
whose records changed since the same reading before (``values.Earlier``). Groups of units have no
revision: their figures are made on every request. The key holds what the user may see (the
visible subtrees, ``accounts.access.restrict_subtrees``): two users share figures only where they see the
same units, so a kept figure never shows a value outside its reader's scope. It holds the reader's
language too (the whole country's name, in reasons and rows, is the reader's).
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Generic, NamedTuple, TypeVar

from vungcao.engine.indicators.catalogue import Catalogue
from vungcao.engine.indicators.definitions import IndicatorKind
from vungcao.indicators.selectors.values import Reading, Revisions

KEPT_AT_MOST = 8
"""Sets of figures each process keeps (a national pivot's rows are some tens of megabytes)."""
EARLIER_AT_MOST = 2
"""Readings whose values and figures each process keeps, to make their figures again after a write
(``values.Earlier``): with its rows, a national pivot of an indicator entered by former commune keeps
~90 MB (``benchmarks/README.md``)."""

Kept = TypeVar("Kept")


class Revision(NamedTuple):
    """The revisions of what figures are made of."""

    places: Hashable
    """The places' (``values.Places.revision``)."""
    values: tuple[tuple[str, str], ...]
    """Each base indicator's code and the revision of its entered values."""
    definitions: tuple[Hashable, ...]
    """The definitions of the indicators read (:func:`definitions_of`)."""


def reading_revision(
    *,
    catalogue: Catalogue,
    reading: Reading,
    revisions: Revisions,
    definitions: tuple[Hashable, ...],
) -> Revision | None:
    """Everything the figures over ``reading`` are made of, as revisions: the places' (the tree's revision,
    the roots, the visible subtrees), each base indicator's values' (``revisions``, as
    ``values.entered_revisions`` read them) and the ``definitions`` of the indicators read
    (:func:`definitions_of`). None when some part has no revision: a computed indicator (records), a
    group, a tree or an entered indicator without a stored revision."""
    if reading.groups or reading.places.revision is None:
        return None
    if any(catalogue.get(code).kind is not IndicatorKind.ENTERED for code in reading.wanted):
        return None
    if revisions.keys() != reading.wanted.keys():
        return None
    tokens = tuple(sorted((code, token) for code, (_number, token) in revisions.items()))
    return Revision(reading.places.revision, tokens, definitions)


def definitions_of(catalogue: Catalogue, codes: Iterable[str]) -> tuple[Hashable, ...]:
    """What the figures of ``codes`` take from the catalogue: each indicator read's kind, aggregation,
    formula, records and name (a missing part's reason names it), ``codes`` and the indicators their
    formulas read."""
    pending, seen = list(codes), set()
    while pending:
        code = pending.pop()
        if code not in seen:
            seen.add(code)
            formula = catalogue.get(code).formula
            pending += () if formula is None else formula.references
    return tuple(
        (
            code,
            indicator.name,
            indicator.kind,
            indicator.aggregation,
            indicator.formula,
            indicator.record,
            tuple(sorted(indicator.record_filter.items())),
        )
        for code in sorted(seen)
        for indicator in [catalogue.get(code)]
    )


class KeptByRevision(Generic[Kept]):
    """What was made for a key, the :data:`KEPT_AT_MOST` keys used last, shared by a process's threads
    (what is kept is never changed)."""

    def __init__(self, at_most: int = KEPT_AT_MOST) -> None:
        self._kept: OrderedDict[Hashable, Kept] = OrderedDict()
        self._at_most = at_most
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], Kept]) -> Kept:
        """What is kept for ``key``, or what ``make`` makes, kept."""
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
                return kept
        made = make()  # outside the lock: another request may make it too, the same
        self.put(key, made)
        return made

    def peek(self, key: Hashable) -> Kept | None:
        """What is kept for ``key``, if anything."""
        with self._lock:
            return self._kept.get(key)

    def put(self, key: Hashable, kept: Kept) -> None:
        """Keep ``kept`` for ``key``."""
        with self._lock:
            self._kept[key] = kept
            self._kept.move_to_end(key)
            while len(self._kept) > self._at_most:
                self._kept.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
