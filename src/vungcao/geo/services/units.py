"""Loading the official units of both eras and deriving the crosswalk that follows from their codes."""

import csv
import datetime
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path

import vietnam_provinces
from django.db import transaction

from vungcao.engine.crosswalk import CrosswalkRow
from vungcao.engine.text import fold
from vungcao.geo import tree
from vungcao.geo.models import (
    LEVEL_DEPTH,
    REORGANISATION_DATE,
    AdministrativeUnit,
    CrosswalkLink,
    Era,
    Level,
)
from vungcao.geo.services.crosswalk import links_plan
from vungcao.geo.services.revision import unit_tree_changed
from vungcao.geo.signals import units_moved

PRE2025_VALID_TO = REORGANISATION_DATE - datetime.timedelta(days=1)


@dataclass(frozen=True)
class UnitRecord:
    """One unit as a source lists it, before it is stored."""

    code: str
    level: str
    division_type: str
    name: str
    parent_code: str


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


def current_unit_records() -> list[UnitRecord]:
    """The 34 provinces and 3,321 communes from 1 July 2025, from the installed vietnam-provinces."""
    data_file = Path(vietnam_provinces.__file__).parent / "data" / "nested-divisions.json"
    records: list[UnitRecord] = []
    for province in json.loads(data_file.read_text(encoding="utf-8")):
        province_code = f"{province['code']:02d}"
        records.append(
            UnitRecord(province_code, Level.PROVINCE, province["division_type"], province["name"], "")
        )
        records.extend(
            UnitRecord(
                f"{ward['code']:05d}", Level.COMMUNE, ward["division_type"], ward["name"], province_code
            )
            for ward in province["wards"]
        )
    return records


def pre2025_unit_records() -> list[UnitRecord]:
    """The 63 provinces, 696 districts and 10,051 communes before 1 July 2025 (the shipped CSV)."""
    text = resources.files("vungcao.geo").joinpath("data/units-pre2025.csv").read_text(encoding="utf-8")
    return [UnitRecord(**row) for row in csv.DictReader(text.splitlines())]


@transaction.atomic
def units_load(*, era: str, records: Iterable[UnitRecord]) -> LoadResult:
    """Create or update the official units of one era, level by level; running it again changes nothing."""
    valid_from, valid_to = (REORGANISATION_DATE, None) if era == Era.CURRENT else (None, PRE2025_VALID_TO)
    by_level: dict[str, list[UnitRecord]] = defaultdict(list)
    for record in records:
        by_level[record.level].append(record)
    existing = {unit.code: unit for unit in AdministrativeUnit.objects.filter(era=era, is_official=True)}
    created = updated = unchanged = 0
    moved: dict[str, str] = {}  # the units moved under another parent: their new paths by their old ones
    for level, depth in sorted(LEVEL_DEPTH[Era(era)].items(), key=lambda item: item[1]):
        to_create: list[AdministrativeUnit] = []
        to_update: list[AdministrativeUnit] = []
        for record in by_level.get(level, []):
            parent = existing[record.parent_code] if record.parent_code else None
            path = (parent.path if parent else f"{era}/") + record.code + "/"
            wanted = {
                "name": record.name,
                "name_folded": fold(record.name),
                "division_type": record.division_type,
                "level": level,
                "parent": parent,
                "path": path,
                "depth": depth,
                "valid_from": valid_from,
                "valid_to": valid_to,
            }
            unit = existing.get(record.code)
            if unit is None:
                unit = AdministrativeUnit(era=era, code=record.code, is_official=True, **wanted)
                to_create.append(unit)
                existing[record.code] = unit
            elif any(getattr(unit, name) != value for name, value in wanted.items()):
                if unit.path != path:
                    moved[unit.path] = path
                for name, value in wanted.items():
                    setattr(unit, name, value)
                to_update.append(unit)
            else:
                unchanged += 1
        # Both supported databases (SQLite ≥ 3.35, PostgreSQL) return the new ids from a bulk insert.
        AdministrativeUnit.objects.bulk_create(to_create, batch_size=2000)
        AdministrativeUnit.objects.bulk_update(
            to_update,
            [
                "name",
                "name_folded",
                "division_type",
                "level",
                "parent",
                "path",
                "depth",
                "valid_from",
                "valid_to",
            ],
            batch_size=2000,
        )
        created += len(to_create)
        updated += len(to_update)
    if moved:
        _units_under_moved(moved)
        units_moved.send(sender=AdministrativeUnit, paths=[moved[path] for path in tree.outermost(moved)])
    if created or updated:
        unit_tree_changed()
    return LoadResult(created=created, updated=updated, unchanged=unchanged)


def _units_under_moved(moved: dict[str, str]) -> None:
    """The units the sources do not list (the villages a commune made) move with the official unit they
    lie under: their paths begin with its new path."""
    for old_path in tree.outermost(moved):
        new_path = moved[old_path]
        under = list(AdministrativeUnit.objects.filter(tree.in_subtrees([old_path]), is_official=False))
        for unit in under:
            unit.path = new_path + unit.path.removeprefix(old_path)
        AdministrativeUnit.objects.bulk_update(under, ["path"], batch_size=2000)


@transaction.atomic
def crosswalk_derive() -> LoadResult:
    """Derive the links that follow from the codes: provinces, and each commune's code-keeping "anchor".

    Every new commune keeps the code of one of its old constituents. That old commune is linked to
    it (marked as derived, share 1), and each old province to the new province where its communes'
    codes went, with the share of its code-keeping communes that went there. Links imported from
    the official crosswalk are never overwritten.
    """
    old = {
        unit.code: unit
        for unit in AdministrativeUnit.objects.filter(
            era=Era.PRE2025, level__in=[Level.PROVINCE, Level.COMMUNE]
        )
    }
    new = {
        unit.code: unit
        for unit in AdministrativeUnit.objects.filter(
            era=Era.CURRENT, level__in=[Level.PROVINCE, Level.COMMUNE]
        )
    }
    anchors: list[CrosswalkRow] = []
    province_counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for code, new_unit in new.items():
        old_unit = old.get(code)
        if new_unit.level != Level.COMMUNE or old_unit is None or old_unit.level != Level.COMMUNE:
            continue
        anchors.append(CrosswalkRow(code, code, Decimal(1)))
        province_counts[old_unit.ancestor_codes[0]][new_unit.ancestor_codes[0]] += 1
    provinces = [
        CrosswalkRow(old_code, new_code, Decimal(count) / Decimal(sum(targets.values())))
        for old_code, targets in province_counts.items()
        for new_code, count in targets.items()
    ]
    officially_linked = set(
        CrosswalkLink.objects.filter(provenance=CrosswalkLink.Provenance.OFFICIAL_IMPORT).values_list(
            "old_unit__code", flat=True
        )
    )
    plans = [
        links_plan(provinces, old, new, CrosswalkLink.Provenance.DERIVED_PROVINCE, source=""),
        links_plan(
            [link for link in anchors if link.old_code not in officially_linked],
            old,
            new,
            CrosswalkLink.Provenance.DERIVED_ANCHOR,
            source="",
        ),
    ]
    for plan in plans:
        plan.write()
    return LoadResult(
        created=sum(plan.created for plan in plans),
        updated=sum(plan.updated for plan in plans),
        unchanged=sum(plan.unchanged for plan in plans),
    )
