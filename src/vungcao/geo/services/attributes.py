"""Commune and village classifications with their periods (ethnic region, especially difficult, border, island)."""

import datetime

from django.utils.translation import gettext as _

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import PermissionDeniedError
from vungcao.common.importing import ImportPlan, Rows, cell
from vungcao.engine.choices import YES_NO
from vungcao.geo.models import AdministrativeUnit, Era, Level, UnitAttribute

ATTRIBUTE_COLUMNS = ("era", "code", "kind", "value", "valid_from", "valid_to", "legal_basis")
YES_NO_VALUES = frozenset(YES_NO.codes)
ATTRIBUTE_VALUES: dict[str, frozenset[str]] = {
    UnitAttribute.Kind.ETHNIC_REGION: frozenset({"I", "II", "III"}),
    UnitAttribute.Kind.ESPECIALLY_DIFFICULT_VILLAGE: YES_NO_VALUES,
    UnitAttribute.Kind.BORDER: YES_NO_VALUES,
    UnitAttribute.Kind.ISLAND: YES_NO_VALUES,
}


def parse_date(text: str) -> datetime.date:
    """``2025-07-01`` or ``01/07/2025`` (a spreadsheet's date cell reads as ``2025-07-01 00:00:00``)."""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text.strip().split(" ")[0], pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def unit_attributes_plan(*, user: User, rows: Rows) -> ImportPlan:
    """Plan the classifications of a file (``era`` per row, ``current`` when empty)."""
    if not access.can_manage_reference_data(user):
        raise PermissionDeniedError(_("Only administrators may import commune classifications."))
    plan = ImportPlan()
    report = plan.report
    units = {
        (u.era, u.code): u
        for u in AdministrativeUnit.objects.filter(level__in=[Level.COMMUNE, Level.VILLAGE])
    }
    wanted: list[UnitAttribute] = []
    for number, row in enumerate(rows, start=2):
        era, code, kind, value = (
            cell(row, "era") or Era.CURRENT,
            cell(row, "code"),
            cell(row, "kind"),
            cell(row, "value"),
        )
        if ATTRIBUTE_VALUES.get(kind) == YES_NO_VALUES:
            value = YES_NO.get(value) or value  # có, không, x, ko … as every yes/no column reads them
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
            allowed = ", ".join(sorted(ATTRIBUTE_VALUES[kind]))
            report.add(
                number,
                "value",
                value,
                _("Not allowed for {kind}; use one of: {values}.").format(kind=kind, values=allowed),
            )
        dates: dict[str, datetime.date | None] = {"valid_from": None, "valid_to": None}
        for field_name in dates:
            text = cell(row, field_name)
            if not text:
                if field_name == "valid_from":
                    report.add(number, field_name, text, _("This column is required."))
                continue
            try:
                dates[field_name] = parse_date(text)
            except ValueError:
                report.add(number, field_name, text, _("Not a date; write it as 2025-07-01 or 01/07/2025."))
        start, end = dates["valid_from"], dates["valid_to"]
        if start and end and end < start:
            report.add(number, "valid_to", cell(row, "valid_to"), _("The period ends before it starts."))
        if unit is not None and start is not None:
            wanted.append(
                UnitAttribute(
                    unit=unit,
                    kind=kind,
                    value=value,
                    valid_from=start,
                    valid_to=end,
                    legal_basis=cell(row, "legal_basis"),
                )
            )
    if not report.ok:
        return plan
    existing = {
        (a.unit_id, a.kind, a.valid_from): a
        for a in UnitAttribute.objects.filter(unit__in=[attribute.unit for attribute in wanted])
    }
    to_create: list[UnitAttribute] = []
    to_update: list[UnitAttribute] = []
    for attribute in wanted:
        stored = existing.get((attribute.unit.pk, attribute.kind, attribute.valid_from))
        if stored is None:
            to_create.append(attribute)
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
            to_update.append(stored)
        else:
            plan.unchanged += 1

    def write() -> None:
        UnitAttribute.objects.bulk_create(to_create)
        UnitAttribute.objects.bulk_update(to_update, ["value", "valid_to", "legal_basis"])

    plan.created, plan.updated, plan.write = len(to_create), len(to_update), write
    return plan
