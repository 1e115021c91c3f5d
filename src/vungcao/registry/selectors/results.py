"""Poverty and near-poverty rates of a cycle by commune and by ethnic group, and over the years.

Rates are recomputed from counts (poor / assessed), never averaged; every figure is a count of
assessments in the approved (or current) state of the cycle.
"""

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


def _assessments(*, user: User, cycle: ReviewCycle) -> QuerySet[Assessment]:
    return access.restrict_households(Assessment.objects.filter(cycle=cycle), user, "household__village")


def _counted(rows: QuerySet[Assessment], key: str) -> list[tuple[Any, int, int, int]]:
    """(key, assessed, poor, near-poor) for each value of ``key``, in one grouped query."""
    return list(
        rows.order_by()
        .values_list(key)
        .annotate(
            assessed=Count("pk"),
            poor=Count("pk", filter=Q(status="poor")),
            near_poor=Count("pk", filter=Q(status="near_poor")),
        )
    )


def rates_by_commune(*, user: User, cycle: ReviewCycle) -> list[Rate]:
    communes = {
        pk: (code, name)
        for pk, code, name in cycle.communes.values_list("commune_id", "commune__code", "commune__name")
    }
    rates = [
        Rate(communes[commune][0], communes[commune][1], assessed, poor, near_poor)
        for commune, assessed, poor, near_poor in _counted(
            _assessments(user=user, cycle=cycle), "commune_review__commune"
        )
    ]
    return sorted(rates, key=lambda rate: rate.label)


def rates_by_ethnic_group(*, user: User, cycle: ReviewCycle) -> list[Rate]:
    groups = ethnic_groups()
    rates = [
        Rate(code, groups[code].name if code in groups else code, assessed, poor, near_poor)
        for code, assessed, poor, near_poor in _counted(
            _assessments(user=user, cycle=cycle), "household__head_ethnic_group"
        )
    ]
    return sorted(rates, key=lambda rate: -rate.assessed)


def rate_total(*, user: User, cycle: ReviewCycle) -> Rate:
    rows = _assessments(user=user, cycle=cycle).aggregate(
        assessed=Count("pk"),
        poor=Count("pk", filter=Q(status="poor")),
        near_poor=Count("pk", filter=Q(status="near_poor")),
    )
    return Rate(str(cycle.year), str(cycle.year), rows["assessed"], rows["poor"], rows["near_poor"])


def rates_over_years(*, user: User, cycle: ReviewCycle) -> list[Rate]:
    """The province's rates in every one of its cycles up to ``cycle``'s year, oldest first."""
    cycles = ReviewCycle.objects.filter(province=cycle.province, year__lte=cycle.year).order_by("year")
    return [rate_total(user=user, cycle=each) for each in cycles]
