"""The money dashboard's tables as a report (báo cáo vốn chương trình), written by the one report writer
(``common.report_workbooks``): by component, by unit and by capital source, one sheet each.

Each sheet is headed by the unit's full name, the years, the component and the date chosen; amounts are
whole dong; the disbursement rate and the non-budget money per budget dong are the line's own, and in
the totals row they are recomputed from the summed amounts, never summed. Names and codes that officers
typed (a province's own programme) come back as text, never as formulas.

The report is written by a background task (``exports``): ``money_report_parameters`` records the
dashboard's query when the user asks, ``money_report_workbook`` writes the report from it when the task
runs, as that user may then see the money."""

import datetime
from collections.abc import Mapping
from fractions import Fraction
from typing import BinaryIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vungcao.accounts.models import User
from vungcao.common.errors import ApplicationError, NotFoundError
from vungcao.common.report_workbooks import Column, Heading, Kind, ReportWorkbook, Total, exported_by
from vungcao.engine.money import MoneyTotals
from vungcao.geo.models import Era
from vungcao.geo.names import unit_full_name
from vungcao.programs.forms import DashboardForm
from vungcao.programs.selectors import dashboard as dashboard_selectors
from vungcao.programs.selectors import money as money_selectors
from vungcao.programs.selectors.dashboard import Dashboard, Line
from vungcao.programs.selectors.money import MoneyScope

UNIT_OUT_OF_SCOPE = gettext_lazy(
    "The unit chosen is no longer within your scope: nothing was exported. Choose it again and export once "
    "more."
)


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


def _choices(scope: MoneyScope) -> list[tuple[str, str]]:
    """The choices beyond the unit and the years, as label and value: the era when not the current one,
    the component, the date of the documents."""
    choices = []
    if scope.unit.era != Era.CURRENT:
        choices.append((_("Administrative units"), str(Era(scope.unit.era).label)))
    if scope.component is not None:
        choices.append((_("Component"), f"{scope.component.numbering} — {scope.component.name}"))
    if scope.on_date is not None:
        choices.append((_("Documents dated up to"), scope.on_date.strftime("%d/%m/%Y")))
    return choices


def _notes(scope: MoneyScope) -> tuple[str, ...]:
    return (
        *(f"{label}: {value}" for label, value in _choices(scope)),
        _("Amounts in dong; rates in the totals row are recomputed from the summed amounts."),
    )


def money_report_choices(*, user: User, parameters: Mapping[str, object]) -> list[tuple[str, str]]:
    """The recorded choices of a report in words, for its export's page: the unit by its full name, the
    years, and the other choices. A unit that has left the user's scope is named by its code."""
    try:
        scope = _scope(user, DashboardForm(dict(parameters)).defaults())
    except ApplicationError:  # NotFoundError too
        return [(_("Unit"), str(parameters.get("unit") or ""))]
    return [(_("Unit"), unit_full_name(scope.unit)), (_("Period"), money_period(scope)), *_choices(scope)]


def _scope(user: User, params: Mapping[str, object]) -> MoneyScope:
    return money_selectors.money_scope_get(
        user=user,
        era=str(params["era"]),
        unit_code=str(params["unit"]) or dashboard_selectors.default_unit_code(user=user),
        from_year=int(str(params["from_year"])),
        to_year=int(str(params["to_year"])),
        component_code=str(params["component"]) if params["component"] else None,
        on_date=params["on"],  # type: ignore[arg-type]
    )


def money_board(*, user: User, form: DashboardForm) -> Dashboard:
    """The money dashboard the form asks for (its defaults where a field is empty or wrong), as ``user``
    may see it: NotFoundError for a unit outside their scope, ApplicationError for a wrong choice."""
    params = form.defaults()
    scope = _scope(user, params)
    on = scope.on_date or datetime.date.today()
    threshold = Fraction(int(str(params["threshold"])), 100)
    return dashboard_selectors.money_dashboard(user=user, scope=scope, threshold=threshold, on=on)


def money_report_parameters(*, user: User, form: DashboardForm) -> dict[str, object]:
    """The dashboard's choices as an export records them, checked as the page checks them (the same
    refusals) but not yet summed: the report is written from these when its task runs."""
    params = form.defaults()
    scope = _scope(user, params)
    return {
        "era": scope.unit.era,
        "unit": scope.unit.code,
        "from_year": scope.from_year,
        "to_year": scope.to_year,
        "component": scope.component.code if scope.component else "",
        "threshold": params["threshold"],
        "on": scope.on_date.isoformat() if scope.on_date else "",
    }


def money_report_workbook(*, user: User, parameters: Mapping[str, object], target: BinaryIO) -> int:
    """The report of the recorded choices, as ``user`` may see the money now, written to ``target``; the
    number of lines its three tables hold. ApplicationError if the unit has left the user's scope
    meanwhile."""
    try:
        board = money_board(user=user, form=DashboardForm(dict(parameters)))
    except NotFoundError as error:
        raise ApplicationError(str(UNIT_OUT_OF_SCOPE)) from error
    lines = len(board.by_component) + len(board.by_unit) + len(board.by_source)
    money_workbook(board=board, user=user, target=target)
    return lines


def money_workbook(*, board: Dashboard, user: User, target: BinaryIO) -> None:
    """The dashboard's three tables as one workbook written to ``target``, headed for ``user`` in the
    active language."""
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
    workbook.save(target)
