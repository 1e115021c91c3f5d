"""The money dashboard's tables as a report (báo cáo vốn chương trình), written by the one report writer
(``common.report_workbooks``): by component, by unit and by capital source, one sheet each.

Each sheet is headed by the unit's full name, the years, the component and the date chosen; amounts are
whole dong; the disbursement rate and the non-budget money per budget dong are the line's own, and in
the totals row they are recomputed from the summed amounts, never summed. Names and codes that officers
typed (a province's own programme) come back as text, never as formulas."""

from django.utils.translation import gettext as _

from vungcao.accounts.models import User
from vungcao.common.report_workbooks import Column, Heading, Kind, ReportWorkbook, Total, exported_by
from vungcao.engine.money import MoneyTotals
from vungcao.geo.models import Era
from vungcao.geo.names import unit_full_name
from vungcao.programs.selectors.dashboard import Dashboard, Line
from vungcao.programs.selectors.money import MoneyScope


def money_columns(first_column: str) -> list[Column]:
    """The columns of a money table whose lines are named under ``first_column``, in the active language."""
    return [
        Column("code", _("Code"), Kind.CODE),
        Column("name", first_column, width=40),
        Column("planned", _("Planned"), Kind.AMOUNT, Total.SUM),
        Column("allocated", _("Allocated"), Kind.AMOUNT, Total.SUM),
        Column("disbursed", _("Disbursed"), Kind.AMOUNT, Total.SUM),
        Column("disbursement_rate", _("Disbursement rate"), Kind.PERCENT, rate_of=("disbursed", "allocated")),
        Column("unspent", _("Unspent"), Kind.AMOUNT, Total.SUM),
        Column("extended", _("Extended into later years"), Kind.AMOUNT, Total.SUM),
        Column("budget", _("Budget"), Kind.AMOUNT, Total.SUM),
        Column("non_budget", _("Non-budget"), Kind.AMOUNT, Total.SUM),
        Column(
            "leverage", _("Non-budget dong per budget dong"), Kind.RATIO, rate_of=("non_budget", "budget")
        ),
    ]


def _row(line: Line) -> list[object]:
    totals: MoneyTotals = line.totals
    return [
        line.code,
        line.name,
        totals.planned,
        totals.allocated,
        totals.disbursed,
        totals.disbursement_rate,
        totals.unspent,
        totals.extended,
        totals.budget,
        totals.non_budget,
        totals.leverage,
    ]


def money_period(scope: MoneyScope) -> str:
    if scope.from_year == scope.to_year:
        return _("Year {year}").format(year=scope.from_year)
    return _("Years {first}–{last}").format(first=scope.from_year, last=scope.to_year)


def _notes(scope: MoneyScope) -> tuple[str, ...]:
    notes = []
    if scope.unit.era != Era.CURRENT:
        notes.append(_("Administrative units: {era}").format(era=Era(scope.unit.era).label))
    if scope.component is not None:
        component = scope.component
        notes.append(
            _("Component: {numbering} — {name}").format(numbering=component.numbering, name=component.name)
        )
    if scope.on_date is not None:
        notes.append(_("Documents dated up to {date}").format(date=scope.on_date.strftime("%d/%m/%Y")))
    notes.append(_("Amounts in dong; rates in the totals row are recomputed from the summed amounts."))
    return tuple(notes)


def money_workbook(*, board: Dashboard, user: User) -> bytes:
    """The dashboard's three tables as one workbook, headed for ``user`` in the active language."""
    scope = board.scope
    unit = unit_full_name(scope.unit)
    workbook = ReportWorkbook()
    for sheet_name, title, first_column, lines in (
        (_("By component"), _("Programme money by component"), _("Component"), board.by_component),
        (_("By unit"), _("Programme money by unit"), _("Unit"), board.by_unit),
        (
            _("By capital source"),
            _("Programme money by capital source"),
            _("Capital source"),
            board.by_source,
        ),
    ):
        heading = Heading(
            title=title,
            unit=unit,
            period=money_period(scope),
            notes=_notes(scope),
            exported_by=exported_by(user),
        )
        sheet = workbook.add_sheet(name=sheet_name, heading=heading, columns=money_columns(first_column))
        for line in lines:
            sheet.append(_row(line))
    return workbook.content()
