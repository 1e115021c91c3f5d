"""Writes to the administrative units: loading both eras, the crosswalk, attributes and villages."""

import csv
import datetime
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import IO

import vietnam_provinces
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import ApplicationError, ImportRefusedError, PermissionDeniedError
from vungcao.common.files import read_table
from vungcao.engine.crosswalk import CrosswalkRow, validate_crosswalk
from vungcao.engine.tabular import ValidationReport
from vungcao.engine.text import fold
from vungcao.geo.models import (
    LEVEL_DEPTH,
    REORGANISATION_DATE,
    AdministrativeUnit,
    CrosswalkLink,
    Era,
    Level,
    UnitAttribute,
)

PRE2025_SOURCE = "vietnam-provinces 0.6.0 (units before 1 July 2025)"
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
                for name, value in wanted.items():
                    setattr(unit, name, value)
                to_update.append(unit)
            else:
                unchanged += 1
        AdministrativeUnit.objects.bulk_create(to_create, batch_size=2000)
        if to_create and to_create[0].pk is None:  # databases that do not return ids from bulk inserts
            ids = dict(
                AdministrativeUnit.objects.filter(era=era, code__in=[u.code for u in to_create]).values_list(
                    "code", "pk"
                )
            )
            for unit in to_create:
                unit.pk = ids[unit.code]
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
    return LoadResult(created=created, updated=updated, unchanged=unchanged)


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
    result_provinces = _links_store(provinces, old, new, CrosswalkLink.Provenance.DERIVED_PROVINCE, source="")
    result_anchors = _links_store(
        [link for link in anchors if link.old_code not in officially_linked],
        old,
        new,
        CrosswalkLink.Provenance.DERIVED_ANCHOR,
        source="",
    )
    return LoadResult(
        created=result_provinces.created + result_anchors.created,
        updated=result_provinces.updated + result_anchors.updated,
        unchanged=result_provinces.unchanged + result_anchors.unchanged,
    )


def _links_store(
    rows: list[CrosswalkRow],
    old: Mapping[str, AdministrativeUnit],
    new: Mapping[str, AdministrativeUnit],
    provenance: str,
    *,
    source: str,
) -> LoadResult:
    """Make the links of the old units named in ``rows`` exactly ``rows``; report what changed."""
    old_ids = {old[row.old_code].pk for row in rows}
    current = {
        (link.old_unit_id, link.new_unit_id): link
        for link in CrosswalkLink.objects.filter(old_unit_id__in=old_ids)
    }
    wanted = {(old[row.old_code].pk, new[row.new_code].pk): row.share for row in rows}
    stale = [link.pk for key, link in current.items() if key not in wanted]
    CrosswalkLink.objects.filter(pk__in=stale).delete()
    to_create: list[CrosswalkLink] = []
    to_update: list[CrosswalkLink] = []
    unchanged = 0
    for (old_id, new_id), share in wanted.items():
        link = current.get((old_id, new_id))
        if link is None:
            to_create.append(
                CrosswalkLink(
                    old_unit_id=old_id, new_unit_id=new_id, share=share, provenance=provenance, source=source
                )
            )
        elif link.share != share or link.provenance != provenance or link.source != source:
            link.share, link.provenance, link.source = share, provenance, source
            to_update.append(link)
        else:
            unchanged += 1
    CrosswalkLink.objects.bulk_create(to_create, batch_size=2000)
    CrosswalkLink.objects.bulk_update(to_update, ["share", "provenance", "source"], batch_size=2000)
    return LoadResult(created=len(to_create), updated=len(to_update) + len(stale), unchanged=unchanged)


CROSSWALK_REFUSED = gettext_lazy(
    "The crosswalk file was refused: nothing was written. Fix every problem listed and import it again."
)


def crosswalk_import(
    *, user: User | None, stream: IO[bytes], filename: str, level: str = Level.COMMUNE
) -> LoadResult:
    """Import the official crosswalk (columns old_code, new_code, share); refuse the whole file on any error.

    For every old unit named in the file, its links become exactly the file's rows (replacing the
    derived anchor link); importing the same file again changes nothing.
    """
    if user is not None and not access.can_manage_reference_data(user):
        raise PermissionDeniedError(_("Only administrators may import the crosswalk."))
    if level not in (Level.COMMUNE, Level.PROVINCE):
        raise ApplicationError(_("A crosswalk links communes or provinces."))
    rows = read_table(stream, filename)
    old = {u.code: u for u in AdministrativeUnit.objects.filter(era=Era.PRE2025, is_official=True)}
    new = {u.code: u for u in AdministrativeUnit.objects.filter(era=Era.CURRENT, is_official=True)}
    links, report = validate_crosswalk(
        rows,
        old_levels={code: unit.level for code, unit in old.items()},
        new_levels={code: unit.level for code, unit in new.items()},
        level=level,
    )
    if not rows:
        report.add(1, "", "", _("The file has no data rows."))
    if not report.ok:
        raise ImportRefusedError(str(CROSSWALK_REFUSED), report)
    with transaction.atomic():
        return _links_store(links, old, new, CrosswalkLink.Provenance.OFFICIAL_IMPORT, source=filename)


ATTRIBUTE_VALUES: dict[str, frozenset[str]] = {
    UnitAttribute.Kind.ETHNIC_REGION: frozenset({"I", "II", "III"}),
    UnitAttribute.Kind.ESPECIALLY_DIFFICULT_VILLAGE: frozenset({"yes", "no"}),
    UnitAttribute.Kind.BORDER: frozenset({"yes", "no"}),
    UnitAttribute.Kind.ISLAND: frozenset({"yes", "no"}),
}
ATTRIBUTES_REFUSED = gettext_lazy(
    "The classification file was refused: nothing was written. Fix every problem listed and import it again."
)


def _parse_date(text: str) -> datetime.date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text.strip().split(" ")[0], pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def unit_attributes_import(*, user: User | None, stream: IO[bytes], filename: str) -> LoadResult:
    """Import commune/village classifications (code, kind, value, valid_from, valid_to, legal_basis).

    ``era`` may be given per row (``current`` when empty). The whole file is refused on any error.
    """
    if user is not None and not access.can_manage_reference_data(user):
        raise PermissionDeniedError(_("Only administrators may import commune classifications."))
    rows = read_table(stream, filename)
    report = ValidationReport()
    units = {
        (u.era, u.code): u
        for u in AdministrativeUnit.objects.filter(level__in=[Level.COMMUNE, Level.VILLAGE])
    }
    parsed: list[UnitAttribute] = []
    for number, row in enumerate(rows, start=2):
        era = (row.get("era") or Era.CURRENT).strip()
        code = (row.get("code") or "").strip()
        kind = (row.get("kind") or "").strip()
        value = (row.get("value") or "").strip()
        unit = units.get((era, code))
        if unit is None:
            report.add(
                number, "code", code, _("No commune or village of era {era} has this code.").format(era=era)
            )
        if kind not in ATTRIBUTE_VALUES:
            report.add(
                number,
                "kind",
                kind,
                _("Unknown kind; use one of: {kinds}.").format(kinds=", ".join(ATTRIBUTE_VALUES)),
            )
        elif value not in ATTRIBUTE_VALUES[kind]:
            report.add(
                number,
                "value",
                value,
                _("Not allowed for {kind}; use one of: {values}.").format(
                    kind=kind, values=", ".join(sorted(ATTRIBUTE_VALUES[kind]))
                ),
            )
        dates: dict[str, datetime.date | None] = {}
        for field_name in ("valid_from", "valid_to"):
            text = (row.get(field_name) or "").strip()
            if not text:
                dates[field_name] = None
                if field_name == "valid_from":
                    report.add(number, field_name, text, _("This column is required."))
                continue
            try:
                dates[field_name] = _parse_date(text)
            except ValueError:
                report.add(number, field_name, text, _("Not a date; write it as 2025-07-01 or 01/07/2025."))
        start, end = dates.get("valid_from"), dates.get("valid_to")
        if start and end and end < start:
            report.add(number, "valid_to", row.get("valid_to"), _("The period ends before it starts."))
        if report.ok and unit is not None and start is not None:
            parsed.append(
                UnitAttribute(
                    unit=unit,
                    kind=kind,
                    value=value,
                    valid_from=start,
                    valid_to=end,
                    legal_basis=(row.get("legal_basis") or "").strip(),
                )
            )
    if not rows:
        report.add(1, "", "", _("The file has no data rows."))
    if not report.ok:
        raise ImportRefusedError(str(ATTRIBUTES_REFUSED), report)
    created = updated = unchanged = 0
    with transaction.atomic():
        for attribute in parsed:
            stored, was_created = UnitAttribute.objects.get_or_create(
                unit=attribute.unit,
                kind=attribute.kind,
                valid_from=attribute.valid_from,
                defaults={
                    "value": attribute.value,
                    "valid_to": attribute.valid_to,
                    "legal_basis": attribute.legal_basis,
                },
            )
            if was_created:
                created += 1
            elif (stored.value, stored.valid_to, stored.legal_basis) != (
                attribute.value,
                attribute.valid_to,
                attribute.legal_basis,
            ):
                stored.value, stored.valid_to, stored.legal_basis = (
                    attribute.value,
                    attribute.valid_to,
                    attribute.legal_basis,
                )
                stored.save(update_fields=["value", "valid_to", "legal_basis", "updated_at"])
                updated += 1
            else:
                unchanged += 1
    return LoadResult(created=created, updated=updated, unchanged=unchanged)


VILLAGE_TYPES = ("thôn", "bản", "tổ dân phố", "ấp", "buôn", "làng", "khu phố")


def _village_check(user: User, commune: AdministrativeUnit) -> None:
    if commune.level != Level.COMMUNE or commune.era != Era.CURRENT:
        raise ApplicationError(_("Villages belong to a commune of the current era."))
    if not access.can_edit_villages(user, commune):
        raise PermissionDeniedError(_("You may not change the villages of this commune."))


def _village_name_check(commune: AdministrativeUnit, name: str, *, exclude_pk: int | None = None) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ApplicationError(_("A village needs a name."))
    clash = AdministrativeUnit.objects.filter(
        parent=commune, name_folded=fold(cleaned), valid_to__isnull=True
    )
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ApplicationError(_("This commune already has a village named {name}.").format(name=cleaned))
    return cleaned


@transaction.atomic
def village_create(
    *,
    user: User,
    commune: AdministrativeUnit,
    name: str,
    division_type: str = "thôn",
    valid_from: datetime.date | None = None,
) -> AdministrativeUnit:
    """Add a village (thôn, bản, tổ dân phố …) to a commune; its code is the commune's code and a number."""
    _village_check(user, commune)
    cleaned = _village_name_check(commune, name)
    if division_type not in VILLAGE_TYPES:
        raise ApplicationError(_("Unknown village type {kind}.").format(kind=division_type))
    AdministrativeUnit.objects.select_for_update().filter(pk=commune.pk).first()
    prefix = f"{commune.code}-"
    highest = AdministrativeUnit.objects.filter(parent=commune, code__startswith=prefix).aggregate(
        Max("code")
    )["code__max"]
    number = int(highest.removeprefix(prefix)) + 1 if highest else 1
    code = f"{prefix}{number:03d}"
    return AdministrativeUnit.objects.create(
        era=commune.era,
        code=code,
        name=cleaned,
        name_folded=fold(cleaned),
        division_type=division_type,
        level=Level.VILLAGE,
        parent=commune,
        path=f"{commune.path}{code}/",
        depth=commune.depth + 1,
        is_official=False,
        valid_from=valid_from,
    )


def village_rename(*, user: User, village: AdministrativeUnit, name: str) -> AdministrativeUnit:
    if village.level != Level.VILLAGE or village.parent is None:
        raise ApplicationError(_("Only villages can be renamed here."))
    _village_check(user, village.parent)
    village.name = _village_name_check(village.parent, name, exclude_pk=village.pk)
    village.name_folded = fold(village.name)
    village.save(update_fields=["name", "name_folded", "updated_at"])
    return village


@transaction.atomic
def village_merge(
    *, user: User, villages: list[AdministrativeUnit], into: AdministrativeUnit, on: datetime.date
) -> AdministrativeUnit:
    """Merge villages into another village of the same commune from date ``on``; the merged ones close
    the day before and the crosswalk records where they went, so their history stays countable."""
    if into.level != Level.VILLAGE or into.parent is None:
        raise ApplicationError(_("Villages can only be merged into a village."))
    _village_check(user, into.parent)
    merged = [village for village in villages if village.pk != into.pk]
    if not merged:
        raise ApplicationError(_("Choose at least one other village to merge."))
    for village in merged:
        if village.level != Level.VILLAGE or village.parent_id != into.parent_id:
            raise ApplicationError(_("Only villages of the same commune can be merged."))
        if village.valid_to is not None:
            raise ApplicationError(_("Village {name} was already closed.").format(name=village.name))
    for village in merged:
        village.valid_to = on - datetime.timedelta(days=1)
        village.save(update_fields=["valid_to", "updated_at"])
        CrosswalkLink.objects.create(
            old_unit=village,
            new_unit=into,
            share=Decimal(1),
            provenance=CrosswalkLink.Provenance.VILLAGE_CHANGE,
            source=_("Merged into {name} on {date}").format(name=into.name, date=on.isoformat()),
        )
    return into
