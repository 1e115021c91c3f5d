"""Figures of indicators for a unit (and the units under it) over years, and progress towards targets.

Pages and the API ask here; the rules are the engine's (``engine.indicators.resolution`` and
``.targets``), over what ``values`` loads for the request.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.utils.translation import get_language, gettext_lazy

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import ApplicationError, NotFoundError
from vungcao.common.language import reader_language
from vungcao.engine.indicators import targets as engine_targets
from vungcao.engine.indicators.catalogue import Catalogue
from vungcao.engine.indicators.definitions import Indicator
from vungcao.engine.indicators.figures import ARITHMETIC, Figure, UnitRef, rounded
from vungcao.engine.indicators.resolution import Resolver, collector_paused
from vungcao.geo import selectors as geo_selectors
from vungcao.geo.models import AdministrativeUnit
from vungcao.indicators.models import Target, UnitGroup
from vungcao.indicators.selectors.catalogue import catalogue_for
from vungcao.indicators.selectors.kept import (
    EARLIER_AT_MOST,
    KeptByRevision,
    definitions_of,
    reading_revision,
)
from vungcao.indicators.selectors.values import (
    DatabaseValues,
    Earlier,
    Reading,
    Revisions,
    earlier_of,
    entered_revisions,
    group_ref,
    reading_for,
    reading_resolver,
    resolver_for,
    unit_ref,
)
from vungcao.programs.selectors.money import country

UNKNOWN_INDICATOR = gettext_lazy("No indicator with this code; see /api/v1/indicators.")
YEARS_REVERSED = gettext_lazy("from_year must not be after to_year.")
TOO_MANY_YEARS = gettext_lazy("At most {years} years at once.")
MOST_YEARS = 50


def figures_unit_get(*, user: User, era: str, unit_code: str) -> AdministrativeUnit:
    """The unit figures are asked for; without a code, the whole country for a national user. Not found
    for a unit out of the user's scope."""
    if not unit_code and access.is_national(user):
        return country(era=era)
    return geo_selectors.unit_get(user=user, era=era, code=unit_code)


@dataclass(frozen=True)
class UnitFigures:
    """One unit's figures, by (indicator, year)."""

    unit: UnitRef
    name: str
    figures: dict[tuple[str, int], Figure]


@dataclass(frozen=True)
class IndicatorFigures:
    catalogue: Catalogue
    years: list[int]
    # The unit asked first, then (when asked) the units directly under it.
    rows: list[UnitFigures]

    def reason(self, figure: Figure) -> str | None:
        """Why a figure has no value, in the reader's language; None when it has one."""
        return None if figure.reason is None else figure.reason.in_language(reader_language())


def indicator_figures(
    *,
    user: User,
    indicator_codes: Sequence[str],
    unit: AdministrativeUnit | None = None,
    group: UnitGroup | None = None,
    years: Sequence[int],
    children: bool = False,
) -> IndicatorFigures:
    """The figures of ``indicator_codes`` for ``unit`` (of its era; a unit the user may open, see
    :func:`figures_unit_get`) or for ``group`` (a group the user may see: its members' figures combined as
    a unit's children are, counts summed and rates recomputed from the summed parts) and, with
    ``children``, each unit directly under the unit, or each member of the group, in every year."""
    if group is not None:
        first, units, groups = group_ref(group), [], [group]
    else:
        assert unit is not None, "figures of a unit or of a group"
        first, units, groups = unit_ref(unit), [unit], []
    catalogue = catalogue_for(user=user)
    unknown = [code for code in indicator_codes if code not in catalogue]
    if unknown:
        raise ApplicationError(str(UNKNOWN_INDICATOR))
    with collector_paused():
        rows = _figure_rows(user, catalogue, indicator_codes, _Place(first, units, groups), years, children)
    return IndicatorFigures(catalogue, list(years), list(rows))


class _Place(NamedTuple):
    """What figures are asked for: a unit, or a group of units, as the resolver names it."""

    first: UnitRef
    units: list[AdministrativeUnit]
    groups: list[UnitGroup]


_kept_rows: KeptByRevision[list[UnitFigures]] = KeptByRevision()
_earlier: KeptByRevision[Earlier] = KeptByRevision(EARLIER_AT_MOST)


def _figure_rows(
    user: User,
    catalogue: Catalogue,
    indicator_codes: Sequence[str],
    place: _Place,
    years: Sequence[int],
    children: bool,
) -> list[UnitFigures]:
    """The rows of :func:`indicator_figures`: those kept at the revisions of what they are made of, or
    made now — from what was made of the same reading before, where the values and records it reads
    stay the same — and kept (where all they are made of has a revision: ``selectors.kept``). Records
    have no revision: a reading of computed indicators reads them every time, and makes again only the
    figures of the units whose records or values changed (``values.Earlier``). A group's figures are made
    every time (its members change without a revision)."""
    reading = reading_for(
        user=user,
        catalogue=catalogue,
        codes=indicator_codes,
        years=years,
        units=place.units,
        groups=place.groups,
    )
    asked = _Asked(indicator_codes, place.first, years, children)
    if reading.groups or reading.places.revision is None:
        rows, _resolver, _values = _made_rows(user, catalogue, reading, asked)
        return rows
    key = (tuple(indicator_codes), place.first, tuple(years), children, get_language())
    definitions = definitions_of(catalogue, indicator_codes)
    earlier_key = (reading.places.revision, definitions, key)
    revisions = entered_revisions(reading)

    def make() -> list[UnitFigures]:
        earlier = _earlier.peek(earlier_key)
        rows, resolver, values = _made_rows(user, catalogue, reading, asked, earlier, revisions)
        _earlier.put(earlier_key, earlier_of(resolver, values))
        return rows

    revision = reading_revision(
        catalogue=catalogue, reading=reading, revisions=revisions, definitions=definitions
    )
    return make() if revision is None else _kept_rows.get((revision, key), make)


class _Asked(NamedTuple):
    codes: Sequence[str]
    first: UnitRef
    years: Sequence[int]
    children: bool


def _made_rows(
    user: User,
    catalogue: Catalogue,
    reading: Reading,
    asked: _Asked,
    earlier: Earlier | None = None,
    revisions: Revisions | None = None,
) -> tuple[list[UnitFigures], Resolver, DatabaseValues]:
    """The rows of :func:`indicator_figures`, and the resolver and values they were made with. Called with
    the garbage collector paused: the resolver's figures (100,000 for a national pivot) are freed when the
    request lets go of them, before it runs again, so it never goes over them."""
    resolver, values = reading_resolver(
        user=user, catalogue=catalogue, reading=reading, earlier=earlier, revisions=revisions
    )
    refs = [asked.first]
    if asked.children:
        refs += resolver.tree.children(refs[0])
    figures = {code: resolver.pivot(indicator=code, units=refs, years=asked.years) for code in asked.codes}
    rows = [
        UnitFigures(
            ref,
            resolver.tree.name(ref) or ref.code,
            {(code, year): figures[code][ref, year] for code in asked.codes for year in asked.years},
        )
        for ref in refs
    ]
    return rows, resolver, values


def years_between(from_year: int, to_year: int) -> list[int]:
    """The years from ``from_year`` to ``to_year``; refused reversed, or more than :data:`MOST_YEARS`."""
    if from_year > to_year:
        raise ApplicationError(str(YEARS_REVERSED))
    if to_year - from_year >= MOST_YEARS:
        raise ApplicationError(str(TOO_MANY_YEARS).format(years=MOST_YEARS))
    return list(range(from_year, to_year + 1))


def target_get(*, user: User, target_id: int) -> Target:
    target = (
        access.restrict_targets(Target.objects.select_related("unit", "group"), user)
        .filter(pk=target_id)
        .first()
    )
    if target is None:
        raise NotFoundError(f"target {target_id}")
    return target


SHARE_PLACES = 1  # the share of a target achieved, in per cent: 62,5%


@dataclass(frozen=True)
class TargetProgress:
    """Progress towards a target, and its figures as every page and form shows them: rounded half up
    to the indicator's decimals (the share achieved, in per cent, to one place)."""

    target: Target
    progress: engine_targets.Progress
    decimals: int
    indicator: Indicator

    def _shown(self, value: Decimal | None) -> Decimal | None:
        return None if value is None else rounded(value, self.decimals)

    @property
    def baseline_shown(self) -> Decimal | None:
        return self._shown(self.progress.baseline_value)

    @property
    def latest_shown(self) -> Decimal | None:
        return self._shown(self.progress.latest_value)

    @property
    def average_change_shown(self) -> Decimal | None:
        return self._shown(self.progress.average_annual_change)

    @property
    def share_percent(self) -> Decimal | None:
        share = self.progress.share_achieved
        return None if share is None else rounded(ARITHMETIC.multiply(share, 100), SHARE_PLACES)


def target_progress(*, user: User, target: Target, today: datetime.date | None = None) -> TargetProgress:
    """Progress towards ``target`` as of ``today``'s year, on the figures the user may see."""
    return targets_progress(user=user, targets=[target], today=today)[0]


def _target_ref(target: Target) -> UnitRef:
    """The unit or group of units a target is set for, as the resolver names it."""
    if target.unit is not None:
        return unit_ref(target.unit)
    assert target.group is not None
    return group_ref(target.group)


def targets_progress(
    *, user: User, targets: Sequence[Target], today: datetime.date | None = None
) -> list[TargetProgress]:
    """Progress towards each of ``targets`` as of ``today``'s year, on the figures the user may see: one
    resolver reads them all (their units, groups, indicators and years loaded at once), so a plan of
    seventy targets costs the queries of one. Give the groups' members prefetched."""
    if not targets:
        return []
    current_year = (today or datetime.date.today()).year
    catalogue = catalogue_for(user=user)
    units = list({target.unit.pk: target.unit for target in targets if target.unit is not None}.values())
    groups = list({target.group.pk: target.group for target in targets if target.group is not None}.values())
    years = range(
        min(target.baseline_year for target in targets),
        max(current_year, *(target.target_year for target in targets)) + 1,
    )
    resolver, _values = resolver_for(
        user=user,
        catalogue=catalogue,
        codes={target.indicator for target in targets},
        years=years,
        units=units,
        groups=groups,
    )
    measured = []
    for target in targets:
        ref = _target_ref(target)
        target_years = range(target.baseline_year, max(target.target_year, current_year) + 1)
        figures = resolver.series(indicator=target.indicator, unit=ref, years=target_years)
        series = {year: figure.value for year, figure in figures.items()}
        indicator = catalogue.get(target.indicator)
        engine_target = engine_targets.Target(
            engine_targets.TargetKind(target.kind), target.baseline_year, target.target_year, target.value
        )
        measured.append(
            TargetProgress(
                target,
                engine_targets.progress(engine_target, series, current_year=current_year),
                indicator.shown_decimals,
                indicator,
            )
        )
    return measured
