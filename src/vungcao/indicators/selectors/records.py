"""The computations of the catalogue's ``record`` keys: what the system's own records say, per unit.

Each computation reads its records through the selector the pages use — the approved reviews as the
national review figures count them (``registry.selectors.national``), money as the money summary sums it
(``programs.selectors.money``, old units' records carried into the current ones by share), works and
support through ``programs.selectors.activities`` — so an indicator and the page beside it cannot
disagree. A table gives, for each unit path holding records and year, the value of the records kept at
that unit itself; ``values`` adds them up each unit's subtree.

Alkire-Foster's n, q and the sum of censored scores (``mpi.*``) are computed from the approved
assessments' deprivation masks grouped by pattern, scored exactly with ``engine.mpi.scoring`` (nested
weights of each assessment's standard, cut-off as a fraction). Tables hold exact numbers (whole, or
fractions: a sum of censored scores, a former province's share of a count), added in any order the
database returns its grouped rows to the same sum; ``values`` rounds each rolled-up sum once. Flows between two reviews
(``review.flow``) are counted by ``registry.selectors.changes`` for each province and year, as the
province's page counts them (households' statuses are read, so an aggregate-only viewer has none).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from functools import cache, cached_property
from typing import cast

from vungcao.accounts.models import User
from vungcao.engine import mpi
from vungcao.engine.indicators.definitions import Indicator
from vungcao.engine.indicators.figures import Exact, exact
from vungcao.engine.money import MoneyTotals
from vungcao.geo import tree
from vungcao.geo.models import REORGANISATION_DATE, AdministrativeUnit, Era, Level
from vungcao.geo.selectors_tree import TreeUnit
from vungcao.programs.selectors import activities
from vungcao.programs.selectors import money as money_selectors
from vungcao.registry import classification
from vungcao.registry.selectors import changes, national

RecordTable = dict[tuple[str, int], Exact]
"""(unit path, year) → the exact value of the records kept at that unit."""

MPI_MEASURES = {"mpi.households": 0, "mpi.poor": 1, "mpi.score_sum": 2}
NESTED = "nested"
REVIEW_COUNTS = {"review.assessed": 0, "review.poor": 1, "review.near_poor": 2}
MONEY_AMOUNTS = {
    "money.planned": "planned",
    "money.allocated": "allocated",
    "money.disbursed": "disbursed",
    "money.extended": "extended",
}
WORKS_MEASURES = {"works.completed_count": 0, "works.completed_output": 1, "works.completed_households": 2}
SUPPORT_MEASURES = frozenset({"support.households", "support.amount"})
UNIT_LEVELS = {"geo.communes": Level.COMMUNE, "geo.villages": Level.VILLAGE}
REVIEW_RECORDS = frozenset({*REVIEW_COUNTS, *MPI_MEASURES, "review.flow"})
"""The records of the annual review: a unit above communes holds them only where its review is whole."""
TRUE = "true"


ReviewRow = tuple[int, str, Exact, Exact, Exact]
WorksRow = tuple[str, int, str, str, int, Decimal, int]
SupportRow = tuple[str, int, str, str, int]
MoneyKey = tuple[str, int, str, bool]


class RecordTables:
    """The records of the units under ``roots`` in ``years``, each family read once (per root), for the
    ``indicators`` that will be asked."""

    def __init__(
        self,
        *,
        user: User,
        roots: Sequence[AdministrativeUnit],
        years: Sequence[int],
        units: Mapping[str, TreeUnit],
        carried_into: Mapping[str, frozenset[str]],
        indicators: Sequence[Indicator] = (),
    ) -> None:
        self.user = user
        self.roots = roots
        # Reviews are opened for current provinces only (``registry.services.reviews``), so assessments,
        # and the flows between them, lie under current communes: a former unit's subtree is not searched
        # (on SQLite each search of it read every assessment).
        self.review_roots = [root for root in roots if root.era == Era.CURRENT]
        self.years = sorted(years)
        self.units = units
        self.carried_into = carried_into
        self._whole: dict[tuple[str, int], bool] = {}
        self._reviews: dict[bool, list[ReviewRow]] = {}
        self._records = {indicator.record or "" for indicator in indicators}
        # The review's counts asked: of all households (False), of ethnic-minority ones (True); both asked
        # are read together.
        self._counts = {
            _minority_only(indicator) for indicator in indicators if indicator.record in REVIEW_COUNTS
        }
        self._both_counts = self._counts == {True, False}
        self._measures: dict[Fraction, tuple[RecordTable, RecordTable, RecordTable]] = {}

    def fetched(self) -> tuple[object, ...]:
        """Every record the tables of the ``indicators`` asked are made of, read now, as the database
        returned them: two readings of the same units, years and indicators whose records are equal make
        the same tables (``values.Earlier`` takes the tables, and the figures, made of the earlier one)."""
        records = self._records
        read: list[object] = []
        if records & REVIEW_RECORDS:
            read.append(self._approved)
        read += [self._review_rows(minority_only=minority_only) for minority_only in sorted(self._counts)]
        families = (
            (MONEY_AMOUNTS.keys(), "_money_totals"),
            (WORKS_MEASURES.keys(), "_works_rows"),
            (SUPPORT_MEASURES, "_support_rows"),
            (MPI_MEASURES.keys(), "_score_rows"),
            ({"review.flow"}, "_flow_rows"),
        )
        read += [getattr(self, family) for keys, family in families if records & set(keys)]
        return tuple(read)

    def table(self, indicator: Indicator) -> RecordTable | None:
        """The table of a computed indicator; None when its computation is not available."""
        record = indicator.record or ""
        conditions = dict(indicator.record_filter)
        if record in REVIEW_COUNTS:
            position = REVIEW_COUNTS[record]
            rows = self._review_rows(minority_only=_minority_only(indicator))
            return _table((path, year, counts[position]) for year, path, *counts in rows)
        if record in MONEY_AMOUNTS:
            return self._money(MONEY_AMOUNTS[record], conditions)
        if record in WORKS_MEASURES:
            position = WORKS_MEASURES[record]
            return _table(
                (path, year, cast(int | Decimal, measures[position] or 0))
                for path, year, kind, output_unit, *measures in self._works_rows
                if _matches(conditions, kind=kind, output_unit=output_unit)
            )
        if record in SUPPORT_MEASURES:
            supported = [row for row in self._support_rows if _matches(conditions, kind=row[2])]
            if record == "support.amount":
                return _table((path, year, amount) for path, year, _kind, _code, amount in supported)
            households = {(path, year, code) for path, year, _kind, code, _amount in supported}
            return _table((path, year, 1) for path, year, _code in households)
        if record in MPI_MEASURES and conditions.get("weights", NESTED) == NESTED:
            return self._alkire_foster(Fraction(conditions.get("cutoff", "1/3")))[MPI_MEASURES[record]]
        if record == "review.flow":
            flow = conditions.get("flow")
            return _table(
                (path, year, households) for year, path, kind, households in self._flow_rows if kind == flow
            )
        if record in UNIT_LEVELS:
            # A unit is counted in the years it exists at the year's end: a current commune from 2025, a
            # former one until 2024 (earlier years of a current unit come across the crosswalk).
            level = UNIT_LEVELS[record]
            return {
                (path, year): 1
                for path, unit in self.units.items()
                if unit.level == level
                for year in self.years
                if unit.exists_in(year)
            }
        return None

    def _review_rows(self, *, minority_only: bool) -> list[ReviewRow]:
        """The approved communes' counts, and each former province's share of them (reviews are kept
        under the current communes; a former province holds what the national figures of its era carry
        back to it, ``national.carried_back``)."""
        if minority_only not in self._reviews:
            if self._both_counts:
                both = [
                    row
                    for root in self.review_roots
                    for row in national.approved_commune_counts_and_minority(
                        user=self.user, years=self.years, within=root
                    )
                ]
                counted = {False: [row[:5] for row in both], True: [(*row[:2], *row[5:]) for row in both]}
            else:
                counted = {
                    minority_only: [
                        row
                        for root in self.review_roots
                        for row in national.approved_commune_counts(
                            user=self.user, years=self.years, within=root, minority_only=minority_only
                        )
                    ]
                }
            placed = national.carried_back(
                {_code(path) for rows in counted.values() for _year, path, *_counts in rows}
            )
            for kind, commune_rows in counted.items():
                rows: list[ReviewRow] = list(commune_rows)
                for year, path, assessed, poor, near_poor in commune_rows:
                    for province, share in placed.get(_code(path), []):
                        former = f"{Era.PRE2025}{tree.SEPARATOR}{province}{tree.SEPARATOR}"
                        part = Fraction(share)
                        rows.append((year, former, part * assessed, part * poor, part * near_poor))
                self._reviews[kind] = rows
        return self._reviews[minority_only]

    def review_whole(self, path: str, year: int, record: str) -> bool:
        """Whether the review records of ``year`` held at the unit of ``path`` (its own and its subtree's,
        or a former province's share) make its whole figure, so that they may stand as its datum: a
        commune's are its approved review; a current province's, when every one of its communes of the
        year (:meth:`_reviewed_in`) is approved; the whole country's, when every province's are whole; a
        former province's, when every current commune the crosswalk carries into it is approved. A
        partial count is never a unit's total: an official total entered for the unit stands instead, or
        the sum of its parts says which have none. A flow compares two reviews: both must be whole."""
        if record == "review.flow" and not self._review_whole(path, year - 1):
            return False
        return self._review_whole(path, year)

    def _review_whole(self, path: str, year: int) -> bool:
        whole = self._whole.get((path, year))
        if whole is None:
            whole = self._whole[(path, year)] = self._review_whole_of(path, year)
        return whole

    def _review_whole_of(self, path: str, year: int) -> bool:
        unit = self.units.get(path)
        if unit is not None and unit.level in (Level.COMMUNE, Level.VILLAGE):
            return True
        era = path.split(tree.SEPARATOR, 1)[0]
        if unit is None:  # the whole country of an era: every province of the year
            provinces = [province for province in self._provinces[era] if _reviewed_in(province, year)]
            return bool(provinces) and all(self._review_whole(province.path, year) for province in provinces)
        if unit.level != Level.PROVINCE:
            return False
        if era == Era.CURRENT:
            communes = [commune.path for commune in self._communes[path] if _reviewed_in(commune, year)]
        else:
            communes = [
                commune
                for commune in self.carried_into.get(path, ())
                if commune in self.units and _reviewed_in(self.units[commune], year)
            ]
        approved = self._approved.get(year, frozenset())
        return bool(communes) and approved.issuperset(communes)

    @cached_property
    def _approved(self) -> dict[int, frozenset[str]]:
        """By year, the paths of the approved communes (of the years asked and the year before, for
        flows)."""
        approved: defaultdict[int, set[str]] = defaultdict(set)
        years = [self.years[0] - 1, *self.years]
        for root in self.review_roots:
            for year, path in national.approved_communes(user=self.user, years=years, within=root):
                approved[year].add(path)
        return {year: frozenset(paths) for year, paths in approved.items()}

    @cached_property
    def _communes(self) -> defaultdict[str, list[TreeUnit]]:
        """The current communes, by their province's path (reviews are kept under current communes)."""
        communes: defaultdict[str, list[TreeUnit]] = defaultdict(list)
        for unit in self.units.values():
            if unit.era == Era.CURRENT and unit.level == Level.COMMUNE:
                communes[tree.province_of_path(unit.path)].append(unit)
        return communes

    @cached_property
    def _provinces(self) -> defaultdict[str, list[TreeUnit]]:
        """The provinces, by era."""
        provinces: defaultdict[str, list[TreeUnit]] = defaultdict(list)
        for unit in self.units.values():
            if unit.level == Level.PROVINCE:
                provinces[unit.era].append(unit)
        return provinces

    @cached_property
    def _money_totals(self) -> dict[MoneyKey, MoneyTotals]:
        """Totals by (path, year, source code, whether budget), as the money summary sums them."""
        totals: dict[MoneyKey, MoneyTotals] = {}
        for root in self.roots:
            scope = money_selectors.MoneyScope(root, self.years[0], self.years[-1])
            grouped = money_selectors.money_totals_by(
                user=self.user,
                scope=scope,
                fields=("year", "source__code"),
                key_of=lambda row, path: (path, row["year"], row["source__code"], row["source__is_budget"]),
                by_unit=True,
            )
            totals.update((cast(MoneyKey, key), value) for key, value in grouped.items())
        return totals

    def _money(self, amount: str, conditions: dict[str, str]) -> RecordTable:
        budget = conditions.get("is_budget")
        return _table(
            (path, year, getattr(totals, amount))
            for (path, year, source, is_budget), totals in self._money_totals.items()
            if _matches(conditions, source=source) and (budget is None or (budget == TRUE) == is_budget)
        )

    @cached_property
    def _score_rows(self) -> list[tuple[int, str, str, int, int]]:
        return [
            row
            for root in self.review_roots
            for row in national.approved_households_by_score(
                user=self.user,
                years=self.years,
                within=root,
                integer_weights=lambda standard: list(_weights(standard).integer_weights.values()),
            )
        ]

    def _alkire_foster(self, cutoff: Fraction) -> tuple[RecordTable, RecordTable, RecordTable]:
        """The tables of households, those poor and their summed censored scores at ``cutoff``, from the
        households of each commune and year by deprivation score (the database scores the patterns with
        the standard's whole-number weights). Added exactly, so the sums do not depend on the order of the
        rows: scores are whole numbers over their standard's scale, added by unit, year and scale, and each
        sum made a fraction once."""
        if cutoff not in self._measures:
            households_table: defaultdict[tuple[str, int], Exact] = defaultdict(int)
            poor_table: defaultdict[tuple[str, int], Exact] = defaultdict(int)
            scaled_scores: defaultdict[tuple[str, int, int], int] = defaultdict(int)
            for year, path, standard, score, households in self._score_rows:
                scale = _weights(standard).scale
                key = (path, year)
                households_table[key] += households
                poor_table[key] += 0
                if Fraction(score, scale) >= cutoff:
                    poor_table[key] += households
                    scaled_scores[(path, year, scale)] += households * score
            score_table: defaultdict[tuple[str, int], Exact] = defaultdict(int)
            for (path, year, scale), total in scaled_scores.items():
                score_table[(path, year)] += Fraction(total, scale)
            for key in households_table:
                score_table[key] += 0
            self._measures[cutoff] = (dict(households_table), dict(poor_table), dict(score_table))
        return self._measures[cutoff]

    @cached_property
    def _flow_rows(self) -> list[tuple[int, str, str, int]]:
        return [
            row
            for root in self.review_roots
            for row in changes.flows_by_commune(user=self.user, years=self.years, within=root)
        ]

    @cached_property
    def _works_rows(self) -> list[WorksRow]:
        return [
            row
            for root in self.roots
            for row in activities.completed_works_by_unit(user=self.user, unit=root, years=self.years)
        ]

    @cached_property
    def _support_rows(self) -> list[SupportRow]:
        return [
            row
            for root in self.roots
            for row in activities.support_by_household(user=self.user, unit=root, years=self.years)
        ]


def _minority_only(indicator: Indicator) -> bool:
    """Whether a count of the review's households is of those headed by an ethnic minority only."""
    return dict(indicator.record_filter).get("ethnic_minority") == TRUE


def _reviewed_in(unit: TreeUnit, year: int) -> bool:
    """Whether a unit is one of ``year``'s review: not ended before the year's end, nor begun after it —
    a unit of the 2025 reorganisation holds the reviews of the years before it too (reviews are kept under
    the current communes), so it counts as begun in them."""
    year_end = datetime.date(year, 12, 31)
    begun = unit.valid_from is None or unit.valid_from <= max(year_end, REORGANISATION_DATE)
    return begun and (unit.valid_to is None or unit.valid_to >= year_end)


@cache
def _weights(standard: str) -> mpi.Scoring:
    """The whole-number weights of a standard's indicators, in its order (the masks' bits), and their
    scale: the nested weights, each indicator's share of its dimension's."""
    rule = classification.standard(standard)
    weights = mpi.nested_weights(rule)
    return mpi.scoring(
        {indicator.identifier: weights[indicator.identifier] for indicator in rule.indicators}, 1
    )


def _code(path: str) -> str:
    """A unit's code: the last of its path."""
    return path.rstrip(tree.SEPARATOR).rsplit(tree.SEPARATOR, 1)[-1]


def _matches(conditions: Mapping[str, str], **values: str) -> bool:
    """Whether the values of a row meet the indicator's ``record_filter`` (a condition it does not name
    holds)."""
    return all(conditions.get(name, value) == value for name, value in values.items())


def _table(rows: Iterable[tuple[str, int, int | Decimal | Fraction]]) -> RecordTable:
    """The rows' values added exactly by unit path and year."""
    table: defaultdict[tuple[str, int], Exact] = defaultdict(int)
    for path, year, value in rows:
        table[(path, year)] += exact(value)
    return dict(table)
