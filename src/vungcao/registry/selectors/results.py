"""Poverty and near-poverty rates of a cycle by commune and by ethnic group, and over the years.

Rates are recomputed from counts (poor / assessed), never averaged; every figure is a count of
assessments in the approved (or current) state of the cycle. The dashboard reads them from the review's
rollups (``registry.rollups``: each commune review's households by status and ethnic group, kept by the
writes), so a province's figures cost its communes, not its households; a commune's figures are those of
the households assessed in its review.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Aggregate, Count, F, Q, QuerySet, Sum
from django.db.models.lookups import GreaterThan

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.engine.text import fold
from vungcao.registry.models import Assessment, CommuneReview, ReviewCount, ReviewCycle
from vungcao.registry.reference import ethnic_groups


@dataclass(frozen=True)
class Rate:
    key: str
    label: str
    assessed: int
    poor: int
    near_poor: int

    @property
    def poverty_rate(self) -> float | None:
        return 100 * self.poor / self.assessed if self.assessed else None

    @property
    def near_poverty_rate(self) -> float | None:
        return 100 * self.near_poor / self.assessed if self.assessed else None


def approved_assessments(*, user: User, year: int) -> QuerySet[Assessment]:
    """The assessments of ``year`` in the communes whose review is approved, as the user may count them:
    what the national figures and the review's official forms count."""
    return access.restrict_for_figures(
        Assessment.objects.filter(year=year, commune_review__state=CommuneReview.State.APPROVED),
        user,
        "household__village",
    )


Counting = Callable[[Q | None], Aggregate]
"""How the households meeting a condition are counted: assessments counted, or a rollup's households
summed."""


def assessments_counted(condition: Q | None) -> Aggregate:
    """The assessments meeting ``condition``."""
    return Count("pk", filter=condition)


def households_summed(condition: Q | None) -> Aggregate:
    """The ``households`` of a rollup's rows meeting ``condition``."""
    return Sum("households", filter=condition, default=0)


def deprived_in(mask: str, bit: int) -> Q:
    """The deprivation mask ``mask`` (a field) holds ``bit``: tested as "> 0", not "= bit" (the same for
    one bit), since PostgreSQL guesses that an equality on an expression keeps one row in 200 (and sorted
    a province's million households to find a page of fifty), and a third for an inequality."""
    return Q(GreaterThan(F(mask).bitand(bit), 0))


def _counted(
    rows: QuerySet[Any], keys: Sequence[str], households: Counting, **more: Aggregate
) -> list[tuple[Any, ...]]:
    return list(
        rows.order_by()
        .values_list(*keys)
        .annotate(
            assessed=households(None),
            poor=households(Q(status="poor")),
            near_poor=households(Q(status="near_poor")),
            **more,
        )
    )


def counted(rows: QuerySet[Assessment], *keys: str, **more: Aggregate) -> list[tuple[Any, ...]]:
    """(*keys, assessed, poor, near-poor, *more) for each combination of the ``keys``, in one grouped
    query: every count of assessments by status is this one (the review's forms), or of a rollup's
    households (:func:`counted_in_rollup`)."""
    return _counted(rows, keys, assessments_counted, **more)


def counted_in_rollup(rows: QuerySet[Any], *keys: str, **more: Aggregate) -> list[tuple[Any, ...]]:
    """(*keys, assessed, poor, near-poor, *more) of the rows of a rollup with a ``status`` and the number
    of ``households``, as :func:`counted` counts them from the assessments."""
    return _counted(rows, keys, households_summed, **more)


def _cycle_counts(*, user: User, cycle: ReviewCycle) -> list[tuple[Any, ...]]:
    """(cycle id, commune id, ethnic group of the head, assessed, poor, near-poor) of the commune reviews
    the user may count in the province's cycles up to ``cycle``'s year: one grouped query of the review's
    rollups whose few rows give every figure of the review dashboard (total, communes, ethnic groups,
    rates over the years)."""
    cycles = ReviewCycle.objects.filter(province=cycle.province_id, year__lte=cycle.year)
    counts = access.restrict_for_figures(
        ReviewCount.objects.filter(commune_review__cycle__in=cycles), user, "commune_review__commune"
    )
    return counted_in_rollup(counts, "commune_review__cycle", "commune_review__commune", "head_ethnic_group")


def _summed(rows: Iterable[tuple[Any, int, int, int]]) -> dict[Any, tuple[int, int, int]]:
    """(assessed, poor, near-poor) summed for each key of (key, assessed, poor, near-poor) rows."""
    sums: dict[Any, tuple[int, int, int]] = {}
    for key, assessed, poor, near_poor in rows:
        before = sums.get(key, (0, 0, 0))
        sums[key] = (before[0] + assessed, before[1] + poor, before[2] + near_poor)
    return sums


@dataclass(frozen=True)
class ReviewResults:
    """Every figure of a cycle's dashboard (page and API), as the user may see them."""

    total: Rate
    by_commune: list[Rate]
    by_ethnic_group: list[Rate]
    # The province's rates in every one of its cycles up to this cycle's year, oldest first.
    over_years: list[Rate]


def review_results(*, user: User, cycle: ReviewCycle) -> ReviewResults:
    """The cycle's rates in total, by commune and by ethnic group, and over the years, from one query of
    the review's rollups (a count of the assessments took 1–2 s a province at a million households)."""
    rows = _cycle_counts(user=user, cycle=cycle)
    of_cycle = [row[1:] for row in rows if row[0] == cycle.pk]
    communes = {
        pk: (code, name)
        for pk, code, name in cycle.communes.values_list("commune_id", "commune__code", "commune__name")
    }
    by_commune = [
        Rate(communes[commune][0], communes[commune][1], assessed, poor, near_poor)
        for commune, (assessed, poor, near_poor) in _summed(
            (commune, *numbers) for commune, _, *numbers in of_cycle
        ).items()
    ]
    groups = ethnic_groups()
    by_ethnic_group = [
        Rate(code, groups[code].name if code in groups else code, assessed, poor, near_poor)
        for code, (assessed, poor, near_poor) in _summed(
            (group, *numbers) for _, group, *numbers in of_cycle
        ).items()
    ]
    total = _summed((None, *numbers) for _, _, *numbers in of_cycle).get(None, (0, 0, 0))
    by_cycle = _summed((cycle_id, *numbers) for cycle_id, _, _, *numbers in rows)
    cycles = ReviewCycle.objects.filter(province=cycle.province_id, year__lte=cycle.year).order_by("year")
    return ReviewResults(
        total=Rate(str(cycle.year), str(cycle.year), *total),
        by_commune=sorted(by_commune, key=lambda rate: fold(rate.label)),
        by_ethnic_group=sorted(by_ethnic_group, key=lambda rate: -rate.assessed),
        over_years=[
            Rate(str(year), str(year), *by_cycle.get(pk, (0, 0, 0)))
            for pk, year in cycles.values_list("pk", "year")
        ],
    )
