"""Everything the money dashboard and its export show for one scope, read through the other selectors."""

import datetime
from dataclasses import dataclass
from fractions import Fraction

from vungcao.accounts.models import User
from vungcao.engine.money import MoneyTotals
from vungcao.geo.models import AdministrativeUnit
from vungcao.programs.models import CapitalSource, Component, RevolvingHolding, Work
from vungcao.programs.selectors import activities, alerts
from vungcao.programs.selectors import money as money_selectors
from vungcao.programs.selectors.money import MoneyScope


@dataclass(frozen=True)
class Line:
    """One table row: what it is (code and name) and its totals."""

    code: str
    name: str
    totals: MoneyTotals


@dataclass(frozen=True)
class Dashboard:
    scope: MoneyScope
    totals: MoneyTotals
    by_component: list[Line]
    by_source: list[Line]
    by_unit: list[Line]
    by_month: dict[object, MoneyTotals]
    low_components: list[Line]
    low_units: list[Line]
    repeated_extensions: list[alerts.RepeatedExtension]
    late_works: list[Work]
    overdue_holdings: list[RevolvingHolding]


def _component_lines(groups: dict[object, MoneyTotals]) -> list[Line]:
    codes = {str(key) for key in groups if key is not None}
    components = {c.code: c for c in Component.objects.filter(code__in=codes)}
    return [
        Line(
            code,
            f"{components[code].numbering} — {components[code].name}" if code in components else code,
            groups[code],
        )
        for code in sorted(codes, key=lambda code: components[code].path if code in components else code)
    ]


def _unit_lines(scope: MoneyScope, groups: dict[object, MoneyTotals]) -> list[Line]:
    codes = [str(key) for key in groups if key is not None]
    children = (
        AdministrativeUnit.objects.filter(era=scope.unit.era, parent__isnull=True)
        if scope.is_country
        else AdministrativeUnit.objects.filter(parent=scope.unit)
    )
    names = dict(children.filter(code__in=codes).values_list("code", "name"))
    lines = [
        Line(code, names.get(code, code), groups[code])
        for code in sorted(codes, key=lambda c: names.get(c, c))
    ]
    if None in groups and not scope.is_country:
        lines.insert(0, Line(scope.unit.code, scope.unit.name, groups[None]))
    return lines


def source_lines(by_source: dict[object, MoneyTotals]) -> list[Line]:
    """Totals by capital source as table rows, in the sources' order."""
    sources = {source.code: source for source in CapitalSource.objects.all()}
    return [
        Line(code, sources[code].name, by_source[code])
        for code in sorted(by_source, key=lambda c: sources[str(c)].position)
        if isinstance(code, str)
    ]


def money_dashboard(*, user: User, scope: MoneyScope, threshold: Fraction, on: datetime.date) -> Dashboard:
    by_component, by_source = money_selectors.money_by_component_and_by_source(user=user, scope=scope)
    by_unit = money_selectors.money_by_child_unit(user=user, scope=scope)
    component_lines = _component_lines(by_component)
    unit_lines = _unit_lines(scope, by_unit)
    low_components = {item.key for item in alerts.below_threshold(by_component, threshold)}
    low_units = {item.key for item in alerts.below_threshold(by_unit, threshold)}
    totals = sum((line.totals for line in unit_lines), MoneyTotals())
    return Dashboard(
        scope=scope,
        totals=totals,
        by_component=component_lines,
        by_source=source_lines(by_source),
        by_unit=unit_lines,
        by_month=money_selectors.money_by_month(user=user, scope=scope),
        low_components=sorted(
            (line for line in component_lines if line.code in low_components),
            key=lambda line: line.totals.disbursement_rate or 0,
        ),
        low_units=sorted(
            (line for line in unit_lines if line.code in low_units),
            key=lambda line: line.totals.disbursement_rate or 0,
        ),
        repeated_extensions=alerts.extended_more_than_once(user=user, scope=scope),
        late_works=list(activities.works_behind_schedule(user=user, unit=scope.unit, on=on)),
        overdue_holdings=list(activities.revolving_overdue(user=user, unit=scope.unit, on=on)),
    )


def default_unit_code(*, user: User) -> str:
    """The unit a dashboard opens on: the user's scope, or the whole country (no code) for national users."""
    if user.scope is not None:
        return user.scope.code
    return ""
