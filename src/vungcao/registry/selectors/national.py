"""Poverty and near-poverty by province and by commune across the country, for one year (số liệu toàn quốc).

Figures count the assessments of the communes whose review of the year is approved; the communes still
open, submitted or returned are counted and named apart, never mixed into the rates. Rates are recomputed
from the summed counts (poor / assessed), never averaged.

Reviews are kept under the units from 1 July 2025. For the 63 provinces before that date, each commune's
counts are carried back across the crosswalk (``engine.crosswalk.reverse_links``): a commune formed from
communes of one former province is carried whole; one formed across former provinces is split in
proportion to the crosswalk shares; a commune with no crosswalk link cannot be placed and is counted
apart as "not linked". A former province's counts are shares of counts, added in the engine's 50-digit
arithmetic: exact, so that they do not depend on the order the communes come in.
"""

import functools
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, localcontext

from django.db.models import Count, F, Max, Q, QuerySet, Sum, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.engine import crosswalk
from vungcao.engine.indicators.figures import ARITHMETIC
from vungcao.geo import tree
from vungcao.geo.models import AdministrativeUnit, CrosswalkLink, Era, Level
from vungcao.registry.models import CommuneReview, DeprivationPatternCount, ReviewCycle, ReviewStatusCount
from vungcao.registry.reference import KINH


@dataclass(frozen=True)
class CommuneFigures:
    """A commune's review of the year: where it stands and its counts (whatever its state)."""

    code: str
    name: str
    province_code: str
    cycle_id: int
    state: str
    assessed: int
    poor: int
    near_poor: int

    @property
    def state_label(self) -> str:
        return str(CommuneReview.State(self.state).label)

    @property
    def is_approved(self) -> bool:
        return self.state == CommuneReview.State.APPROVED


def _rate(part: Decimal, whole: Decimal) -> float | None:
    return float(100 * part / whole) if whole else None


@dataclass
class AreaFigures:
    """A province's (or the country's) figures of the year from its approved communes.

    Counts are Decimal: a commune split across former provinces carries a share of its households."""

    code: str
    name: str
    assessed: Decimal = Decimal(0)
    poor: Decimal = Decimal(0)
    near_poor: Decimal = Decimal(0)
    communes: int = 0
    approved: int = 0
    pending: list[CommuneFigures] = field(default_factory=list)

    @property
    def poverty_rate(self) -> float | None:
        """Poor households, per cent of those assessed."""
        return _rate(self.poor, self.assessed)

    @property
    def near_poverty_rate(self) -> float | None:
        return _rate(self.near_poor, self.assessed)

    def add(self, commune: CommuneFigures, share: Decimal = Decimal(1)) -> None:
        self.communes += 1
        if not commune.is_approved:
            self.pending.append(commune)
            return
        self.approved += 1
        with localcontext(ARITHMETIC):  # a share of 28 digits times a count: exact in 50
            self.assessed += share * commune.assessed
            self.poor += share * commune.poor
            self.near_poor += share * commune.near_poor


def rollup_counts(*, minority_only: bool = False, through: str = "") -> dict[str, Coalesce]:
    """The counts of commune reviews' assessments — assessed, poor, near-poor — as every figure of the
    review reads them (with ``minority_only``, of households whose head belongs to an ethnic minority:
    every group but the Kinh): summed from the review's rollup (``registry.rollups``), never counted
    from the assessments. To annotate rows of the rollup (``ReviewCount``), or, ``through`` their
    relation (``review_counts``), commune reviews."""
    among = ~Q(**{f"{through}head_ethnic_group": KINH}) if minority_only else None

    def households(status: str | None = None) -> Coalesce:
        condition = among
        if status is not None:
            of_status = Q(**{f"{through}status": status})
            condition = of_status if condition is None else condition & of_status
        return Coalesce(Sum(f"{through}households", filter=condition), 0)

    return {"assessed": households(), "poor": households("poor"), "near_poor": households("near_poor")}


def review_counts(*, minority_only: bool = False) -> dict[str, Coalesce]:
    """:func:`rollup_counts` to annotate commune reviews with (through their rollup's rows)."""
    return rollup_counts(minority_only=minority_only, through="counts__")


def _approved_reviews(
    user: User, years: Iterable[int], within: AdministrativeUnit
) -> QuerySet[CommuneReview]:
    return access.restrict_by_unit(
        CommuneReview.objects.filter(state=CommuneReview.State.APPROVED, cycle__year__in=list(years)),
        user,
        "commune",
    ).filter(tree.in_subtree(within, "commune"))


def approved_communes(
    *, user: User, years: Iterable[int], within: AdministrativeUnit
) -> list[tuple[int, str]]:
    """(year, commune's path) of every approved commune review of ``years`` the user may see in
    ``within``'s subtree: whose results of a year stand."""
    return list(_approved_reviews(user, years, within).order_by().values_list("cycle__year", "commune__path"))


def approved_commune_counts(
    *, user: User, years: Iterable[int], within: AdministrativeUnit, minority_only: bool = False
) -> list[tuple[int, str, int, int, int]]:
    """(year, commune's path, assessed, poor, near-poor) of every approved commune review of ``years``
    the user may see in ``within``'s subtree, in one grouped query: the records the poverty indicators
    are computed from, counted as :func:`commune_figures` counts them."""
    return list(
        _approved_reviews(user, years, within)
        .order_by()
        .values_list("cycle__year", "commune__path")
        .annotate(**review_counts(minority_only=minority_only))
    )


def approved_commune_counts_and_minority(
    *, user: User, years: Iterable[int], within: AdministrativeUnit
) -> list[tuple[int, str, int, int, int, int, int, int]]:
    """The rows of :func:`approved_commune_counts`, each followed by the same counts of the ethnic-minority
    households, in one grouped query: the minority counts read each assessment's household anyway, so
    counting all of them on the way costs nothing."""
    minority = {f"minority_{name}": count for name, count in review_counts(minority_only=True).items()}
    return list(
        _approved_reviews(user, years, within)
        .order_by()
        .values_list("cycle__year", "commune__path")
        .annotate(**review_counts(), **minority)
    )


def _approved_patterns(
    user: User, years: Iterable[int], within: AdministrativeUnit
) -> QuerySet[DeprivationPatternCount]:
    return access.restrict_by_unit(
        DeprivationPatternCount.objects.filter(
            commune_review__state=CommuneReview.State.APPROVED, commune_review__cycle__year__in=list(years)
        ).exclude(standard_identifier=""),
        user,
        "commune_review__commune",
    ).filter(tree.in_subtree(within, "commune_review__commune"))


def _score(integer_weights: Sequence[int]) -> Combinable:
    """A pattern's deprivation score, in SQL: the integer weight of each indicator (bit i of the mask)
    the households of the pattern are deprived in, added."""
    terms = [
        Value(weight) * F("deprived_mask").bitrightshift(bit).bitand(1)
        for bit, weight in enumerate(integer_weights)
        if weight
    ]
    return functools.reduce(operator.add, terms, Value(0))


def approved_households_by_score(
    *,
    user: User,
    years: Iterable[int],
    within: AdministrativeUnit,
    integer_weights: Callable[[str], Sequence[int]],
) -> list[tuple[int, str, str, int, int]]:
    """(year, commune's path, standard, deprivation score, households) of the approved commune reviews of
    ``years`` the user may see in ``within``'s subtree: what Alkire-Foster's measures of the registry are
    computed from, at any cut-off. A score is the sum of the ``integer_weights`` of the standard's
    indicators (in the order of the masks' bits) a household is deprived in.

    The database scores the deprivation patterns of the review's rollup (``registry.rollups``) and adds
    their households by score: a province's tens of thousands of (commune, pattern) rows come back as a
    few hundred, exact whole numbers."""
    years = list(years)
    patterns = _approved_patterns(user, years, within)
    # Every assessment is classified under its cycle's standard (``services.assessments``,
    # ``services.questionnaire``): the standards are the approved cycles', read from the few reviews.
    standards = sorted(
        set(
            _approved_reviews(user, years, within)
            .order_by()
            .values_list("cycle__standard_identifier", flat=True)
        )
    )
    rows: list[tuple[int, str, str, int, int]] = []
    for standard in standards:
        grouped = (
            patterns.filter(standard_identifier=standard)
            .order_by()
            .annotate(score=_score(integer_weights(standard)))
            .values_list(
                "commune_review__cycle__year", "commune_review__commune__path", "standard_identifier", "score"
            )
            .annotate(counted=Sum("households"))
        )
        rows.extend(grouped)
    return rows


def review_years(*, user: User) -> list[int]:
    """The years with a review in a province the user works in (all for national users), latest first."""
    cycles = access.restrict_by_province(ReviewCycle.objects.all(), user, "province")
    return sorted(set(cycles.values_list("year", flat=True)), reverse=True)


def commune_figures(
    *, user: User, year: int, province: AdministrativeUnit | None = None
) -> list[CommuneFigures]:
    """Every commune review of ``year`` the user may see (in ``province`` of the current era when given),
    with its state and counts; by province, then name. The counts are summed by review from the rollup by
    status alone (grouped by the review's number, not by the commune's names), the reviews read beside
    them."""
    reviews = access.restrict_by_unit(CommuneReview.objects.filter(cycle__year=year), user, "commune")
    if province is not None:
        reviews = reviews.filter(cycle__province=province)
    counted = ReviewStatusCount.objects.filter(commune_review__in=reviews.values("pk")).order_by()
    counts = {
        review: (assessed, poor, near_poor)
        for review, assessed, poor, near_poor in counted.values_list("commune_review").annotate(
            **rollup_counts()
        )
    }
    rows = reviews.order_by("cycle__province__code", "commune__name_folded").values_list(
        "pk", "commune__code", "commune__name", "cycle__province__code", "cycle_id", "state"
    )
    return [
        CommuneFigures(code, name, province, cycle, state, *counts.get(pk, (0, 0, 0)))
        for pk, code, name, province, cycle, state in rows
    ]


def latest_approved_year(*, user: User) -> int | None:
    """The latest year with an approved commune review the user may see (None without any): the year a
    dashboard opens on, found without counting a household."""
    reviews = access.restrict_by_unit(
        CommuneReview.objects.filter(state=CommuneReview.State.APPROVED), user, "commune"
    )
    latest: int | None = reviews.aggregate(latest=Max("cycle__year"))["latest"]
    return latest


def approved_totals_by_year(*, user: User) -> dict[int, AreaFigures]:
    """The country's figures (as the user may see it) in every review year, from its approved communes,
    in two grouped queries; the years without an approved commune are left out."""
    reviews = access.restrict_by_unit(
        CommuneReview.objects.filter(state=CommuneReview.State.APPROVED), user, "commune"
    )
    # The communes are counted apart from the sums, which are made of the rollup's rows alone (counted
    # beside them, over a review's every status, they were counted distinct: a sort).
    communes = dict(reviews.order_by().values_list("cycle__year").annotate(communes=Count("pk")))
    counted = ReviewStatusCount.objects.filter(commune_review__in=reviews.values("pk")).order_by()
    sums = {
        year: (assessed, poor, near_poor)
        for year, assessed, poor, near_poor in counted.values_list("commune_review__cycle__year").annotate(
            **rollup_counts()
        )
    }
    figures = {}
    for year, approved in communes.items():
        assessed, poor, near_poor = sums.get(year, (0, 0, 0))
        figures[year] = AreaFigures(
            str(year),
            str(year),
            Decimal(assessed),
            Decimal(poor),
            Decimal(near_poor),
            communes=approved,
            approved=approved,
        )
    return figures


def _provinces(era: str) -> dict[str, AdministrativeUnit]:
    units = AdministrativeUnit.objects.filter(era=era, level=Level.PROVINCE).order_by("code")
    return {unit.code: unit for unit in units}


@dataclass(frozen=True)
class NationalFigures:
    """The country's figures of a year in one era: by province (every province of the era, in code
    order), the total, and the communes that could not be placed in the era."""

    era: str
    year: int
    by_province: list[AreaFigures]
    total: AreaFigures
    not_linked: list[CommuneFigures]


def _province_of(path: str) -> str:
    return path.strip("/").split("/")[1]


def carried_back(codes: Iterable[str]) -> dict[str, list[tuple[str, Decimal]]]:
    """For each current commune (by code), the former provinces it is carried into and the share of each."""
    codes = set(codes)
    links = CrosswalkLink.objects.filter(
        new_unit__era=Era.CURRENT, new_unit__code__in=codes, old_unit__era=Era.PRE2025
    ).values_list("old_unit__path", "new_unit__code", "share")
    province_of_old = {}
    rows = []
    for old_path, new_code, share in links:
        province_of_old[old_path] = _province_of(old_path)
        rows.append(crosswalk.CrosswalkRow(old_path, new_code, share))
    shares: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    with localcontext(ARITHMETIC):
        for row in crosswalk.reverse_links(rows):
            shares[row.old_code][province_of_old[row.new_code]] += row.share
    return {code: sorted(by_province.items()) for code, by_province in shares.items()}


def national_figures(*, user: User, year: int, era: str) -> NationalFigures:
    """Poverty and near-poverty of ``year`` by province of ``era``, from the approved communes the user
    may see."""
    provinces = _provinces(era)
    by_code = {code: AreaFigures(code, unit.name) for code, unit in provinces.items()}
    total = AreaFigures("", "")
    communes = commune_figures(user=user, year=year)
    not_linked = []
    if era == Era.CURRENT:
        placed = {commune.code: [(commune.province_code, Decimal(1))] for commune in communes}
    else:
        placed = carried_back(commune.code for commune in communes)
    for commune in communes:
        targets = placed.get(commune.code)
        if not targets:
            not_linked.append(commune)
            continue
        total.add(commune)
        for province_code, share in targets:
            if province_code in by_code:
                by_code[province_code].add(commune, share)
    return NationalFigures(era, year, list(by_code.values()), total, not_linked)


def province_figures(
    *, user: User, year: int, province: AdministrativeUnit
) -> list[tuple[CommuneFigures, Decimal]]:
    """The communes of ``year`` counted in ``province`` (of either era), each with the share carried into
    it (1 for the communes of a current province)."""
    if province.era == Era.CURRENT:
        return [(commune, Decimal(1)) for commune in commune_figures(user=user, year=year, province=province)]
    communes = commune_figures(user=user, year=year)
    placed = carried_back(commune.code for commune in communes)
    return [
        (commune, share)
        for commune in communes
        for province_code, share in placed.get(commune.code, [])
        if province_code == province.code
    ]
