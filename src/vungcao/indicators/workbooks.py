"""The explorer's table as a report workbook (``common.report_workbooks``): one row per unit, one column
per year, numbers typed, headers in the reader's language; a figure without a value is an empty cell
and its reason is listed under the table's heading."""

from django.utils.translation import gettext as _

from vungcao.accounts.models import User
from vungcao.common.language import reader_language
from vungcao.common.report_workbooks import Column, Heading, Kind, ReportWorkbook, exported_by
from vungcao.engine.indicators.definitions import MeasureUnit
from vungcao.geo.names import unit_full_name
from vungcao.indicators.selectors.pages import Exploration

WHOLE_UNITS = frozenset({MeasureUnit.VND, MeasureUnit.VND_PER_PERSON_MONTH})


def exploration_workbook(found: Exploration, *, user: User) -> bytes:
    """One sheet: the explorer's rows (the unit, then the units under it) by year."""
    language = reader_language()
    indicator = found.indicator
    if indicator.unit in WHOLE_UNITS:
        kind = Kind.AMOUNT
    elif indicator.shown_decimals == 0:
        kind = Kind.INTEGER
    else:
        kind = Kind.RATIO
    asked = found.rows[0]
    notes = [
        _("Indicator: {name} ({unit})").format(
            name=indicator.name.in_language(language), unit=indicator.unit.label.in_language(language)
        ),
        _("An empty cell has no figure; the explorer says why."),
        *(f"{asked.name} {cell.year}: {cell.reason}" for cell in asked.cells if cell.reason),
    ]
    heading = Heading(
        title=indicator.name.in_language(language),
        unit=unit_full_name(found.unit) if found.unit.pk else _("Whole country"),
        period=f"{found.years[0]}–{found.years[-1]}",
        notes=tuple(notes),
        exported_by=exported_by(user),
    )
    columns = [
        Column("code", _("Code"), Kind.CODE),
        Column("unit", _("Unit")),
        *(Column(str(year), str(year), kind) for year in found.years),
    ]
    workbook = ReportWorkbook()
    sheet = workbook.add_sheet(
        name=indicator.name.in_language(language), heading=heading, columns=columns, totals=False
    )
    for row in found.rows:
        sheet.append([row.unit.code, row.name, *(cell.value for cell in row.cells)])
    return workbook.content()
