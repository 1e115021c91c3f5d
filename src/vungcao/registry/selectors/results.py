"""Poverty and near-poverty rates of a cycle by commune and by ethnic group, and over the years.

Rates are recomputed from counts (poor / assessed), never averaged; every figure is a count of
assessments in the approved (or current) state of the cycle.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.registry.models import Assessment, ReviewCycle
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


def _assessments(*, user: User, cycles: QuerySet[ReviewCycle]) -> QuerySet[Assessment]:
    return access.restrict_households(Assessment.objects.filter(cycle__in=cycles), user, "household__village")


def _counted(rows: QuerySet[Assessment], *keys: str) -> list[tuple[Any, ...]]:
    """(*keys, assessed, poor, near-poor) for each combination of the ``keys``, in one grouped query."""
    return list(
        rows.order_by()
        .values_list(*keys)
        .annotate(
            assessed=Count("pk"),
            poor=Count("pk", filter=Q(status="poor")),
            near_poor=Count("pk", filter=Q(status="near_poor")),
        )
    )


def _cycle_counts(*, user: User, cycle: ReviewCycle) -> list[tuple[Any, ...]]:
    """(cycle id, commune id, ethnic group of the head, assessed, poor, near-poor) of the assessments
    the user may see in the province's cycles up to ``cycle``'s year: one grouped query whose few rows
    give every figure of the review dashboard (total, communes, ethnic groups, rates over the years).

    The dashboard (page and API) asks for several of them in one response: the rows are kept on that
    cycle object, for that user, so the assessments are scanned once per response instead of once per
    figure (six scans before); each request loads a fresh cycle object, so it counts afresh.
    """
    kept: dict[int | None, list[tuple[Any, ...]]] = cycle.__dict__.setdefault("_rate_counts_by_user", {})
    if user.pk not in kept:
        cycles = ReviewCycle.objects.filter(province=cycle.province_id, year__lte=cycle.year)
        kept[user.pk] = _counted(
            _assessments(user=user, cycles=cycles),
            "cycle",
            "commune_review__commune",
            "household__head_ethnic_group",
        )
    return kept[user.pk]


def _of_cycle(*, user: User, cycle: ReviewCycle) -> list[tuple[Any, ...]]:
    """(commune id, ethnic group, assessed, poor, near-poor) of ``cycle`` alone."""
    return [row[1:] for row in _cycle_counts(user=user, cycle=cycle) if row[0] == cycle.pk]


def _summed(rows: Iterable[tuple[Any, int, int, int]]) -> dict[Any, tuple[int, int, int]]:
    """(assessed, poor, near-poor) summed for each key of (key, assessed, poor, near-poor) rows."""
    sums: dict[Any, tuple[int, int, int]] = {}
    for key, assessed, poor, near_poor in rows:
        before = sums.get(key, (0, 0, 0))
        sums[key] = (before[0] + assessed, before[1] + poor, before[2] + near_poor)
    return sums


def rates_by_commune(*, user: User, cycle: ReviewCycle) -> list[Rate]:
    communes = {
        pk: (code, name)
        for pk, code, name in cycle.communes.values_list("commune_id", "commune__code", "commune__name")
    }
    counts = _summed((commune, *numbers) for commune, _, *numbers in _of_cycle(user=user, cycle=cycle))
    rates = [
        Rate(communes[commune][0], communes[commune][1], assessed, poor, near_poor)
        for commune, (assessed, poor, near_poor) in counts.items()
    ]
    return sorted(rates, key=lambda rate: rate.label)


def rates_by_ethnic_group(*, user: User, cycle: ReviewCycle) -> list[Rate]:
    groups = ethnic_groups()
    counts = _summed((group, *numbers) for _, group, *numbers in _of_cycle(user=user, cycle=cycle))
    rates = [
        Rate(code, groups[code].name if code in groups else code, assessed, poor, near_poor)
        for code, (assessed, poor, near_poor) in counts.items()
    ]
    return sorted(rates, key=lambda rate: -rate.assessed)


def rate_total(*, user: User, cycle: ReviewCycle) -> Rate:
    counts = _summed((None, *numbers) for _, _, *numbers in _of_cycle(user=user, cycle=cycle))
    assessed, poor, near_poor = counts.get(None, (0, 0, 0))
    return Rate(str(cycle.year), str(cycle.year), assessed, poor, near_poor)


def rates_over_years(*, user: User, cycle: ReviewCycle) -> list[Rate]:
    """The province's rates in every one of its cycles up to ``cycle``'s year, oldest first."""
    cycles = ReviewCycle.objects.filter(province=cycle.province_id, year__lte=cycle.year).order_by("year")
    counts = _summed(
        (cycle_id, *numbers) for cycle_id, _, _, *numbers in _cycle_counts(user=user, cycle=cycle)
    )
    return [
        Rate(str(year), str(year), *counts.get(pk, (0, 0, 0)))
        for pk, year in cycles.values_list("pk", "year")
    ]
