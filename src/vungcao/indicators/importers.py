"""The files the indicators app imports: values of indicators per unit and year (XLSX or CSV).

Each row is checked by the very service the entry form and the API call (``indicator_value_enter``),
run in a savepoint that is rolled back, so a file can never be held to other rules than a typed value;
applying writes each row through it again, and then gives the indicators written a new revision once. A value entered again for the same indicator, unit and year
replaces the stored one (the file says it changed) or leaves it (the same value and note).
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.importing import Importer, ImportPlan, Rows, cell
from vungcao.engine import codes
from vungcao.geo.models import Era
from vungcao.indicators.models import IndicatorValue
from vungcao.indicators.services import IndicatorEntryRefused, indicator_value_enter, indicator_value_write
from vungcao.indicators.services.revisions import changed_value, indicator_values_changed

VALUE_COLUMNS = ("indicator", "era", "unit_code", "year", "value", "note")
VALUE_LABELS = {
    "indicator": _("Indicator code"),
    "era": _("Era of the unit"),
    "unit_code": _("Unit code"),
    "year": _("Year"),
    "value": _("Value"),
    "note": _("Note or source"),
}
VALUE_EXAMPLE = ("poor_households", "pre2025", "08", "2020", "42.351", "Báo cáo rà soát năm 2020")
LISTED_TWICE = _("The same indicator, unit and year is listed in row {row}.")


class _Checked(Exception):
    """Raised inside the savepoint of a row's check, so that nothing of it stays written."""


Key = tuple[str, str, str, str]  # indicator, era, unit code, year as written


def _values(row: dict[str, str]) -> dict[str, object]:
    values: dict[str, object] = {column: cell(row, column) for column in VALUE_COLUMNS if cell(row, column)}
    return values | {"era": cell(row, "era") or Era.CURRENT}


def _known(key: Key) -> IndicatorValue | None:
    indicator, era, unit_code, year = key
    if not year.isdigit() or len(year) > 4:
        return None
    return IndicatorValue.objects.filter(
        indicator=indicator, unit__era=era, unit__code=unit_code, year=int(year)
    ).first()


def _checked(user: User, values: dict[str, object]) -> tuple[IndicatorValue | None, dict[str, str]]:
    """The value the row would store, or the problems by column; nothing written either way."""
    try:
        with transaction.atomic():
            raise _Checked(indicator_value_enter(user=user, values=values))
    except IndicatorEntryRefused as refused:
        return None, refused.errors
    except _Checked as checked:
        return checked.args[0], {}


def indicator_values_plan(*, user: User, rows: Rows) -> ImportPlan:
    """Each row checked by the entry service; new values created, changed ones updated, the rest left."""
    plan = ImportPlan()
    first_row: dict[Key, int] = {}
    to_write: list[dict[str, object]] = []
    for number, row in enumerate(rows, start=2):
        values = _values(row)
        key = (cell(row, "indicator"), str(values["era"]), cell(row, "unit_code"), cell(row, "year"))
        if key in first_row:
            plan.report.add(number, "year", cell(row, "year"), str(LISTED_TWICE).format(row=first_row[key]))
            continue
        first_row[key] = number
        known = _known(key)
        stored, errors = _checked(user, values)
        for column, reason in errors.items():
            plan.report.add(number, column, cell(row, column), reason)
        if stored is None:
            continue
        if known is not None and (known.value, known.note) == (stored.value, stored.note):
            plan.unchanged += 1
            continue
        plan.created += known is None
        plan.updated += known is not None
        to_write.append(values)
    if not plan.report.ok:
        return ImportPlan(report=plan.report)

    def write() -> None:
        written = [indicator_value_write(user=user, values=values) for values in to_write]
        indicator_values_changed(changed=[changed_value(stored) for stored in written])

    plan.write = write
    return plan


IMPORTERS = (
    Importer(
        kind="indicator_values",
        label=_("Indicator values per unit and year"),
        columns=VALUE_COLUMNS,
        example=VALUE_EXAMPLE,
        plan=lambda user, rows, _source: indicator_values_plan(user=user, rows=rows),
        may_import=access.can_enter_indicator_values_somewhere,
        optional=frozenset({"era", "note"}),
        code_columns={"unit_code": codes.UNIT},
        labels=VALUE_LABELS,
        instructions=(
            _(
                "One row per indicator, unit and year. The indicator is its code, as the indicator catalogue "
                "(Indicators menu) shows it; only indicators that are entered, or computed ones for a year "
                "without records, take values."
            ),
            _(
                "Era: current for the units from 1 July 2025, pre2025 for those before (history back to "
                "2015 is entered under the former units); left empty, current."
            ),
            _(
                "Values as you write them: 42.351 households, 22,29 per cent. A value already stored is replaced."
            ),
        ),
    ),
)
