"""What the indicator pages show: the catalogue in sections, formulas in words, a unit's scorecard, the
explorer's table and a figure's provenance.

Every figure comes from :mod:`.figures` (the engine's resolver over what the user may see); this module
only arranges it for reading: labels in the reader's language instead of codes, values rounded to the
indicator's decimals, the reason where a figure has none.
"""

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.language import reader_language
from vungcao.engine.indicators.catalogue import Catalogue
from vungcao.engine.indicators.definitions import (
    AnnualChange,
    Difference,
    Indicator,
    MeasureUnit,
    Origin,
    Ratio,
    Total,
)
from vungcao.engine.indicators.figures import Figure, UnitRef, shown_value
from vungcao.engine.indicators.targets import TargetKind
from vungcao.geo.models import AdministrativeUnit
from vungcao.indicators.models import Target, UnitGroup
from vungcao.indicators.selectors.catalogue import catalogue_with, own_indicators
from vungcao.indicators.selectors.entries import correctable_values
from vungcao.indicators.selectors.figures import TargetProgress, indicator_figures, targets_progress

FIRST_SHOWN_YEAR = 2015
"""Entered history goes back to 2015 (the 2016–2020 standard's baseline)."""
TREND_YEARS = 5


def this_year() -> int:
    return datetime.date.today().year


# The catalogue -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueEntry:
    indicator: Indicator
    owner: str  # the province that defined it; empty when shipped

    @property
    def code(self) -> str:
        return self.indicator.code


@dataclass(frozen=True)
class Section:
    """The indicators of one unit of measure, in the catalogue's order."""

    title: str
    entries: list[CatalogueEntry]


def catalogue_sections(*, user: User) -> tuple[Catalogue, list[Section]]:
    """The catalogue the user sees, grouped by unit of measure (households, per cent, dong …) in the
    order of :class:`MeasureUnit`."""
    own = own_indicators(user=user)
    owners = {row.code: row.owner.name for row in own}
    catalogue = catalogue_with(own)
    grouped: defaultdict[MeasureUnit, list[CatalogueEntry]] = defaultdict(list)
    for indicator in catalogue:
        grouped[indicator.unit].append(CatalogueEntry(indicator, owners.get(indicator.code, "")))
    language = reader_language()
    sections = [
        Section(unit.label.in_language(language), grouped[unit]) for unit in MeasureUnit if unit in grouped
    ]
    return catalogue, sections


def formula_in_words(indicator: Indicator, catalogue: Catalogue) -> str:
    """A derived indicator's formula as a reader writes it ("Số hộ nghèo ÷ Tổng số hộ dân cư × 100");
    empty for an entered or computed one."""
    language = reader_language()

    def name(code: str) -> str:
        return catalogue.get(code).name.in_language(language) if code in catalogue else code

    formula = indicator.formula
    if isinstance(formula, Ratio):
        words = f"{name(formula.numerator)} ÷ {name(formula.denominator)}"
        return words if formula.scale == 1 else f"{words} × {formula.scale.normalize():f}"
    if isinstance(formula, Total):
        return " + ".join(name(term) for term in formula.terms)
    if isinstance(formula, Difference):
        return f"{name(formula.minuend)} − {name(formula.subtrahend)}"
    if isinstance(formula, AnnualChange):
        return gettext("{name} of the year − {name} of the year before").format(name=name(formula.of))
    return ""


# Figures as shown ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """A figure as a page shows it: its value rounded to the indicator's decimals, or why it has none."""

    year: int
    value: Decimal | None
    reason: str


def shown(figure: Figure, indicator: Indicator) -> Cell:
    reason = figure.reason
    return Cell(
        figure.year,
        shown_value(figure, indicator=indicator),
        reason.in_language(reader_language()) if reason else "",
    )


# The scorecard ---------------------------------------------------------------------------------------------


@dataclass
class ScorecardRow:
    indicator: Indicator
    latest: Cell  # the last year with a value, or the last year with its reason
    trend: list[Cell]
    targets: list[TargetProgress] = field(default_factory=list)


@dataclass(frozen=True)
class ScorecardSection:
    """The indicators of one unit of measure: those with a figure in the years shown, and those without
    (each with its reason), which a page folds away."""

    title: str
    rows: list[ScorecardRow]
    without_figures: list[ScorecardRow]


@dataclass(frozen=True)
class Scorecard:
    years: list[int]
    sections: list[ScorecardSection]

    @property
    def targets(self) -> list[tuple[Indicator, TargetProgress]]:
        """Every target shown, with its indicator, in the catalogue's order."""
        return [
            (row.indicator, measured)
            for section in self.sections
            for row in (*section.rows, *section.without_figures)
            for measured in row.targets
        ]


def scorecard(
    *,
    user: User,
    unit: AdministrativeUnit | None = None,
    group: UnitGroup | None = None,
    to_year: int | None = None,
) -> Scorecard:
    """Every indicator of ``unit`` (a unit the user may open) or of ``group`` (a group the user may see:
    its members combined) with its latest value since 2015, its last years and the progress of its
    targets, grouped as the catalogue is."""
    last = to_year or this_year()
    years = list(range(min(FIRST_SHOWN_YEAR, last), last + 1))
    catalogue, sections = catalogue_sections(user=user)
    codes = [indicator.code for indicator in catalogue]
    found = indicator_figures(user=user, indicator_codes=codes, unit=unit, group=group, years=years)
    figures = found.rows[0].figures
    targets = defaultdict(list)
    set_for = Target.objects.filter(group=group) if group is not None else Target.objects.filter(unit=unit)
    set_targets = access.restrict_targets(set_for, user).select_related("unit", "group")
    for measured in targets_progress(user=user, targets=list(set_targets.prefetch_related("group__members"))):
        targets[measured.target.indicator].append(measured)
    rows = []
    for section in sections:
        section_rows = []
        for entry in section.entries:
            indicator = entry.indicator
            cells = [shown(figures[(indicator.code, year)], indicator) for year in years]
            valued = [one for one in cells if one.value is not None]
            section_rows.append(
                ScorecardRow(
                    indicator,
                    valued[-1] if valued else cells[-1],
                    cells[-TREND_YEARS:],
                    targets.get(indicator.code, []),
                )
            )
        rows.append(
            ScorecardSection(
                section.title,
                [row for row in section_rows if row.latest.value is not None],
                [row for row in section_rows if row.latest.value is None],
            )
        )
    return Scorecard(years, rows)


# The explorer ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExplorerRow:
    unit: UnitRef
    name: str
    cells: list[Cell]


@dataclass(frozen=True)
class Exploration:
    indicator: Indicator
    unit: AdministrativeUnit
    years: list[int]
    rows: list[ExplorerRow]  # the unit first, then each unit directly under it


def exploration(
    *, user: User, indicator_code: str, unit: AdministrativeUnit, years: Sequence[int]
) -> Exploration:
    """One indicator for ``unit`` and the units directly under it, in every year."""
    found = indicator_figures(
        user=user, indicator_codes=[indicator_code], unit=unit, years=years, children=True
    )
    indicator = found.catalogue.get(indicator_code)
    rows = [
        ExplorerRow(
            row.unit, row.name, [shown(row.figures[(indicator_code, year)], indicator) for year in years]
        )
        for row in found.rows
    ]
    return Exploration(indicator, unit, list(years), rows)


def charted(rows: Sequence[ExplorerRow], most: int) -> list[ExplorerRow]:
    """The rows a chart draws: the unit asked, then the first units under it that have a figure, ``most``
    in all (a province's fifty communes would make a chart nobody can read)."""
    return [
        rows[0],
        *[row for row in rows[1:] if any(one.value is not None for one in row.cells)][: most - 1],
    ]


@dataclass(frozen=True)
class Source:
    """One datum a figure was made of, for reading: the unit's name, year, value, share and origin; an
    entered one with the id of its ``IndicatorValue`` when the reader may correct it."""

    indicator: str
    unit: str
    era: str
    year: int
    value: Decimal
    share: Decimal
    entered: bool
    correctable: int | None = None


ENTRY_REFERENCE = "value:"
"""How the resolver's loader (``selectors.values``) names an entered datum: ``value:<id>``."""


def _entry_id(reference: str | None) -> int | None:
    """The id of the entered value a datum's ``reference`` names; None for any other datum."""
    if reference is None or not reference.startswith(ENTRY_REFERENCE):
        return None
    entry = reference.removeprefix(ENTRY_REFERENCE)
    return int(entry) if entry.isdigit() else None


@dataclass(frozen=True)
class Provenance:
    cell: Cell
    sources: list[Source]


def provenance(*, user: User, indicator_code: str, unit: AdministrativeUnit, year: int) -> Provenance:
    """Where the figure of ``indicator_code`` for ``unit`` in ``year`` came from: each datum, by unit
    (named as the user may see it), year and origin."""
    found = indicator_figures(user=user, indicator_codes=[indicator_code], unit=unit, years=[year])
    figure = found.rows[0].figures[(indicator_code, year)]
    pairs = {(one.unit.era, one.unit.code) for one in figure.contributions}
    names = {
        (era, code): name
        for era, code, name in access.restrict_units(
            AdministrativeUnit.objects.filter(code__in={code for _era, code in pairs}), user
        ).values_list("era", "code", "name")
    }
    catalogue = found.catalogue
    language = reader_language()
    correctable = correctable_values(
        user=user, value_ids=filter(None, (_entry_id(one.reference) for one in figure.contributions))
    )
    sources = [
        Source(
            catalogue.get(one.indicator).name.in_language(language)
            if one.indicator in catalogue
            else one.indicator,
            names.get((one.unit.era, one.unit.code), one.unit.code),
            one.unit.era,
            one.year,
            one.value,
            one.share,
            one.origin is Origin.ENTERED,
            entry if (entry := _entry_id(one.reference)) in correctable else None,
        )
        for one in sorted(figure.contributions, key=lambda one: (one.indicator, one.unit, one.year))
    ]
    return Provenance(shown(figure, catalogue.get(indicator_code)), sources)


# A target's path ---------------------------------------------------------------------------------------------


def target_line(measured: TargetProgress, years: Sequence[int]) -> list[float | None]:
    """The straight path from the baseline value to the target in each of ``years`` (None outside the
    target's period), as the on-track rule reads it; only the target year's level without a baseline."""
    target, baseline = measured.target, measured.progress.baseline_value
    span = target.target_year - target.baseline_year
    if target.kind == TargetKind.ANNUAL_CHANGE:
        goal = None if baseline is None else baseline + target.value * span
    else:
        goal = target.value
    line: list[float | None] = []
    for year in years:
        if goal is None or not target.baseline_year <= year <= target.target_year:
            line.append(None)
        elif baseline is None:
            line.append(float(goal) if year == target.target_year else None)
        else:
            line.append(float(baseline + (goal - baseline) * (year - target.baseline_year) / span))
    return line
