"""The household list as a spreadsheet: the rows the user filtered and may see, never identity numbers.

What officers typed (codes, addresses, names) is written as text, never as a formula (``sheet_row``)."""

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook

from vungcao.common.spreadsheets import sheet_row
from vungcao.registry.models import Household
from vungcao.registry.reference import ethnic_groups


def household_workbook(households: Iterable[Household], year: int | None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Households"))
    header = [
        _("Household code"),
        _("Village"),
        _("Commune"),
        _("Address"),
        _("Area"),
        _("Ethnic group of the head"),
    ]
    if year is not None:
        header += [_("Status {year}").format(year=year), _("Status {year}").format(year=year - 1)]
    sheet.append(sheet_row(sheet, header))
    groups = ethnic_groups()
    for household in households:
        group = groups.get(household.head_ethnic_group)
        row = [
            household.code,
            household.village.name,
            household.village.parent.name if household.village.parent else "",
            household.address,
            household.get_area_display(),
            group.name if group else household.head_ethnic_group,
        ]
        if year is not None:
            row += [
                getattr(household, "status", None) or "",
                getattr(household, "previous_status", None) or "",
            ]
        sheet.append(sheet_row(sheet, row))
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
