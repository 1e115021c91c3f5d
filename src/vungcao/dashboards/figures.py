"""What the national and provincial dashboards show, read through the registry's and programmes' selectors.

Every figure goes through the selectors, which scope by ``accounts.access``; this module only joins
poverty (registry) and money (programmes) by province or commune and picks the measure a map colours.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vungcao.accounts.models import User
from vungcao.engine.money import MoneyTotals
from vungcao.geo.models import AdministrativeUnit, Era, Level
from vungcao.programs.selectors import dashboard as money_dashboard
from vungcao.programs.selectors import money as money_selectors
from vungcao.registry.selectors import national as poverty_selectors


@dataclass(frozen=True)
class Measure:
    """A figure a map can be coloured by, as a percentage (None: no figure)."""

    key: str
    label: str | Promise
    description: str | Promise
    of_poverty: Callable[[poverty_selectors.AreaFigures], float | None]
    of_money: Callable[[MoneyTotals], float | None]


def _disbursement(totals: MoneyTotals) -> float | None:
    rate = totals.disbursement_rate
    return None if rate is None else float(rate) * 100


def _none(_figures: object) -> None:
    return None


MEASURES = {
    measure.key: measure
    for measure in (
        Measure(
            "poverty",
            _("Poverty rate"),
            # xgettext:no-python-format
            _("Poverty rate (poor households, % of those assessed)"),
            lambda figures: figures.poverty_rate,
            _none,
        ),
        Measure(
            "near_poverty",
            _("Near-poverty rate"),
            # xgettext:no-python-format
            _("Near-poverty rate (near-poor households, % of those assessed)"),
            lambda figures: figures.near_poverty_rate,
            _none,
        ),
        Measure(
            "disbursement",
            _("Disbursement rate"),
            # xgettext:no-python-format
            _("Disbursement rate (disbursed, % of allocated)"),
            _none,
            _disbursement,
        ),
    )
}


@dataclass(frozen=True)
class Row:
    """A province's (or commune's) line: its poverty figures and its money of the year."""

    unit: AdministrativeUnit
    poverty: poverty_selectors.AreaFigures
    money: MoneyTotals
    share: Decimal = Decimal(1)
    commune: poverty_selectors.CommuneFigures | None = None

    def value(self, measure: Measure) -> float | None:
        return (
            measure.of_poverty(self.poverty)
            if measure.key != "disbursement"
            else measure.of_money(self.money)
        )


def _money_scope(unit: AdministrativeUnit, year: int) -> money_selectors.MoneyScope:
    return money_selectors.MoneyScope(unit, year, year)


@dataclass(frozen=True)
class NationalBoard:
    era: str
    year: int
    rows: list[Row]
    total: poverty_selectors.AreaFigures
    not_linked: list[poverty_selectors.CommuneFigures]
    money: MoneyTotals
    by_source: list[money_dashboard.Line]
    over_years: list[tuple[int, poverty_selectors.AreaFigures]]


def national_board(*, user: User, era: str, year: int) -> NationalBoard:
    """Every province of ``era``: its approved poverty figures of ``year`` and its money of ``year``."""
    figures = poverty_selectors.national_figures(user=user, year=year, era=era)
    scope = _money_scope(money_selectors.country(era=era), year)
    by_province = money_selectors.money_by_child_unit(user=user, scope=scope)
    provinces = {unit.code: unit for unit in AdministrativeUnit.objects.filter(era=era, level=Level.PROVINCE)}
    rows = [
        Row(provinces[area.code], area, by_province.get(area.code, MoneyTotals()))
        for area in figures.by_province
    ]
    by_year = poverty_selectors.approved_totals_by_year(user=user)
    return NationalBoard(
        era=era,
        year=year,
        rows=rows,
        total=figures.total,
        not_linked=figures.not_linked,
        money=sum(by_province.values(), MoneyTotals()),
        by_source=money_dashboard.source_lines(money_selectors.money_by_source(user=user, scope=scope)),
        over_years=sorted(by_year.items()),
    )


@dataclass(frozen=True)
class ProvinceBoard:
    province: AdministrativeUnit
    year: int
    rows: list[Row]
    total: poverty_selectors.AreaFigures
    money: MoneyTotals
    by_source: list[money_dashboard.Line]


def province_board(*, user: User, province: AdministrativeUnit, year: int) -> ProvinceBoard:
    """The communes counted in ``province`` (either era) in ``year``, with their state, counts and money."""
    communes = poverty_selectors.province_figures(user=user, year=year, province=province)
    units = {
        unit.code: unit
        for unit in AdministrativeUnit.objects.filter(
            era=Era.CURRENT, level=Level.COMMUNE, code__in=[commune.code for commune, _share in communes]
        )
    }
    scope = _money_scope(province, year)
    by_commune = (
        money_selectors.money_by_child_unit(user=user, scope=scope) if province.era == Era.CURRENT else {}
    )
    total = poverty_selectors.AreaFigures(province.code, province.name)
    rows = []
    for commune, share in communes:
        area = poverty_selectors.AreaFigures(commune.code, commune.name)
        area.add(commune)
        total.add(commune, share)
        rows.append(
            Row(units[commune.code], area, by_commune.get(commune.code, MoneyTotals()), share, commune)
        )
    return ProvinceBoard(
        province=province,
        year=year,
        rows=rows,
        total=total,
        money=money_selectors.money_summary(user=user, scope=scope),
        by_source=money_dashboard.source_lines(money_selectors.money_by_source(user=user, scope=scope)),
    )


def default_year(*, user: User) -> int:
    """The latest year with an approved commune the user may see; else the latest review year; else today's."""
    approved = poverty_selectors.latest_approved_year(user=user)
    if approved is not None:
        return approved
    years = poverty_selectors.review_years(user=user)
    return years[0] if years else datetime.date.today().year
