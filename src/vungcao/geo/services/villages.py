"""Villages (thôn, bản, tổ dân phố …): kept by communes, created, renamed, merged and imported."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import ApplicationError, PermissionDeniedError
from vungcao.common.importing import ImportPlan, Rows, cell
from vungcao.engine.text import fold
from vungcao.geo.models import AdministrativeUnit, CrosswalkLink, Era, Level
from vungcao.geo.services.revision import unit_tree_changed

VILLAGE_TYPES = ("thôn", "bản", "tổ dân phố", "ấp", "buôn", "làng", "khu phố")
VILLAGE_COLUMNS = ("commune_code", "name", "type")


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


def _next_village_number(commune: AdministrativeUnit) -> int:
    prefix = f"{commune.code}-"
    highest = AdministrativeUnit.objects.filter(parent=commune, code__startswith=prefix).aggregate(
        Max("code")
    )["code__max"]
    return int(highest.removeprefix(prefix)) + 1 if highest else 1


def _new_village(
    commune: AdministrativeUnit, number: int, name: str, division_type: str
) -> AdministrativeUnit:
    code = f"{commune.code}-{number:03d}"
    return AdministrativeUnit(
        era=commune.era,
        code=code,
        name=name,
        name_folded=fold(name),
        division_type=division_type,
        level=Level.VILLAGE,
        parent=commune,
        path=f"{commune.path}{code}/",
        depth=commune.depth + 1,
        is_official=False,
    )


@transaction.atomic
def village_create(
    *, user: User, commune: AdministrativeUnit, name: str, division_type: str = "thôn"
) -> AdministrativeUnit:
    """Add a village to a commune; its code is the commune's code and a number (``06970-001``)."""
    _village_check(user, commune)
    cleaned = _village_name_check(commune, name)
    if division_type not in VILLAGE_TYPES:
        raise ApplicationError(_("Unknown village type {kind}.").format(kind=division_type))
    AdministrativeUnit.objects.select_for_update().filter(pk=commune.pk).first()
    village = _new_village(commune, _next_village_number(commune), cleaned, division_type)
    village.save()
    unit_tree_changed()
    return village


@transaction.atomic
def village_rename(*, user: User, village: AdministrativeUnit, name: str) -> AdministrativeUnit:
    if village.level != Level.VILLAGE or village.parent is None:
        raise ApplicationError(_("Only villages can be renamed here."))
    _village_check(user, village.parent)
    village.name = _village_name_check(village.parent, name, exclude_pk=village.pk)
    village.name_folded = fold(village.name)
    village.save(update_fields=["name", "name_folded", "updated_at"])
    unit_tree_changed()
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
            source=f"merged into {into.code} on {on.isoformat()}",
        )
    unit_tree_changed()
    return into


def villages_plan(*, user: User, rows: Rows) -> ImportPlan:
    """Villages from a file (commune_code, name, type): new names are added, known names left as they are."""
    plan = ImportPlan()
    report = plan.report
    communes = {
        unit.code: unit
        for unit in AdministrativeUnit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE, is_official=True)
    }
    open_villages = set(
        AdministrativeUnit.objects.filter(level=Level.VILLAGE, valid_to__isnull=True).values_list(
            "parent__code", "name_folded"
        )
    )
    seen: dict[tuple[str, str], int] = {}
    wanted: list[tuple[AdministrativeUnit, str, str]] = []
    for number, row in enumerate(rows, start=2):
        code, name, kind = (
            cell(row, "commune_code"),
            " ".join(cell(row, "name").split()),
            cell(row, "type") or "thôn",
        )
        commune = communes.get(code)
        if commune is None or not access.can_edit_villages(user, commune):
            report.add(number, "commune_code", code, _("No commune with this code that you may change."))
        if not name:
            report.add(number, "name", name, _("A village needs a name."))
        if kind not in VILLAGE_TYPES:
            report.add(
                number,
                "type",
                kind,
                _("Unknown village type; use one of: {types}.").format(types=", ".join(VILLAGE_TYPES)),
            )
        key = (code, fold(name))
        if name and key in seen:
            report.add(
                number, "name", name, _("The same village is listed in row {row}.").format(row=seen[key])
            )
        seen.setdefault(key, number)
        if commune is not None and name and key not in open_villages:
            wanted.append((commune, name, kind))
        elif commune is not None and name:
            plan.unchanged += 1
    if not report.ok:
        return ImportPlan(report=report)

    def write() -> None:
        numbers: dict[int, int] = {}
        villages = []
        for commune, name, kind in wanted:
            numbers[commune.pk] = numbers.get(commune.pk) or _next_village_number(commune)
            villages.append(_new_village(commune, numbers[commune.pk], name, kind))
            numbers[commune.pk] += 1
        AdministrativeUnit.objects.bulk_create(villages, batch_size=2000)
        if villages:
            unit_tree_changed()

    plan.created, plan.write = len(wanted), write
    return plan
