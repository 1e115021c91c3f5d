"""Every unit of both eras and every crosswalk link, kept in memory by each process, by revision.

A national figure reads the whole tree: ~17,500 units (63 former provinces, ~700 districts and ~10,000
former communes; 34 provinces, 3,321 communes and their villages) and ~13,000 crosswalk links, which took
a fifth of a second to read and arrange on every request. They change seldom (the official lists of a
release, the official crosswalk, a commune's villages), and every write to them gives them a new revision
(``geo.services.revision.unit_tree_changed``): a process reads them once per revision, and each request
reads only the stored revision token (one row). Without a revision row (a database written around the
services) nothing is kept.

The tree is not narrowed to a user: callers keep what the user may see with ``accounts.access``
(:func:`~vungcao.accounts.access.restrict_subtrees`).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from vungcao.geo import tree
from vungcao.geo.models import AdministrativeUnit, CrosswalkLink, UnitTreeRevision


@dataclass(frozen=True, slots=True)
class TreeUnit:
    """A unit as the tree holds it."""

    pk: int
    path: str
    era: str
    code: str
    name: str
    level: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None

    def exists_in(self, year: int) -> bool:
        """Whether the unit is counted in ``year``'s annual figures: it exists on the year's last day, as
        the year's review and reports find it (a former commune until 2024, a commune of the 2025
        reorganisation from 2025)."""
        last_day = datetime.date(year, 12, 31)
        return (self.valid_from is None or self.valid_from <= last_day) and (
            self.valid_to is None or self.valid_to >= last_day
        )


@dataclass(frozen=True, slots=True)
class TreeLink:
    """``share`` of ``old`` became part of ``new``."""

    old: TreeUnit
    new: TreeUnit
    share: Decimal


class UnitTree:
    """The units, in path order (code point by code point), and the crosswalk links, by the old unit's
    path then the new one's, as of one revision."""

    def __init__(self, revision: str | None, units: list[TreeUnit], links: list[TreeLink]) -> None:
        self.revision = revision
        self.units = units
        self.paths = [unit.path for unit in units]
        self.links = links

    def subtrees(self, paths: Iterable[str]) -> list[TreeUnit]:
        """The units lying in the subtrees of ``paths`` (each unit once), in path order."""
        return [unit for part in tree.subtree_slices(self.paths, paths) for unit in self.units[part]]

    def links_touching(self, units: Iterable[TreeUnit]) -> list[TreeLink]:
        """The links whose old or new unit is one of ``units``, in order."""
        keys = {unit.pk for unit in units}
        return [link for link in self.links if link.old.pk in keys or link.new.pk in keys]


def unit_tree() -> UnitTree:
    """The units and links as stored now: those this process read at the stored revision, or read now."""
    revision = UnitTreeRevision.objects.filter(pk=1).values_list("token", flat=True).first()
    return _read(None) if revision is None else _kept(revision)


@lru_cache(maxsize=1)
def _kept(revision: str) -> UnitTree:
    return _read(revision)


def _read(revision: str | None) -> UnitTree:
    rows = AdministrativeUnit.objects.values_list(
        "pk", "path", "era", "code", "name", "level", "valid_from", "valid_to"
    )
    units = sorted((TreeUnit(*row) for row in rows), key=lambda unit: unit.path)
    by_pk = {unit.pk: unit for unit in units}
    links = [
        TreeLink(by_pk[old], by_pk[new], share)
        for old, new, share in CrosswalkLink.objects.order_by().values_list(
            "old_unit_id", "new_unit_id", "share"
        )
    ]
    links.sort(key=lambda link: (link.old.path, link.new.path))
    return UnitTree(revision, units, links)
