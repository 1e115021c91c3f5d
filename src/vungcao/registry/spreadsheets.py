"""The household list as a report (danh sách hộ gia đình): the rows the user filtered and may see, never
identity numbers, written by the one report writer (``common.report_workbooks``).

Each household is a row: its number in the list, its code (text: Excel keeps its leading zeros), village,
commune, address, area and the head's ethnic group by their names, and with a year its status that year
and the year before by their labels. The totals row counts the households and, under each status, those
assessed that year. What officers typed (codes, addresses, names) comes back as text, never as a formula."""

from collections.abc import Iterable
from typing import BinaryIO

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from vungcao.common.report_workbooks import Column, Heading, Kind, ReportWorkbook, Total
from vungcao.registry.forms import STATUS_CHOICES
from vungcao.registry.models import Household
from vungcao.registry.reference import ethnic_groups


def household_columns(year: int | None) -> list[Column]:
    """The list's columns, headed in the active language; with a year, the statuses of that year and
    the year before."""
    columns = [
        Column("number", pgettext("report column", "No."), Kind.INTEGER, width=7),
        Column("code", _("Household code"), Kind.CODE, Total.COUNT, width=18),
        Column("village", pgettext("report column", "Village"), width=22),
        Column("commune", pgettext("report column", "Commune"), width=22),
        Column("address", _("Address"), width=32),
        Column("area", _("Area"), width=12),
        Column("ethnic_group", _("Ethnic group of the head"), width=16),
    ]
    if year is not None:
        columns += [
            Column("status", _("Status {year}").format(year=year), total=Total.COUNT, width=18),
            Column("previous_status", _("Status {year}").format(year=year - 1), total=Total.COUNT, width=18),
        ]
    return columns


def household_workbook(
    households: Iterable[Household], *, heading: Heading, year: int | None, target: BinaryIO
) -> None:
    """The households as one report sheet, written to ``target`` (streamed: the list is never held in
    memory, row by row to a temporary file, then into the zip)."""
    workbook = ReportWorkbook()
    sheet = workbook.add_sheet(name=_("Households"), heading=heading, columns=household_columns(year))
    groups = ethnic_groups()
    statuses = {code: str(label) for code, label in STATUS_CHOICES if code}
    for number, household in enumerate(households, start=1):
        group = groups.get(household.head_ethnic_group)
        commune = household.village.parent
        row: list[object] = [
            number,
            household.code,
            household.village.name,
            commune.name if commune else "",
            household.address,
            household.get_area_display(),
            group.name if group else household.head_ethnic_group,
        ]
        if year is not None:
            status = getattr(household, "status", None)
            previous = getattr(household, "previous_status", None)
            row += [
                statuses.get(status, status) if status else None,
                statuses.get(previous, previous) if previous else None,
            ]
        sheet.append(row)
    workbook.save(target)
