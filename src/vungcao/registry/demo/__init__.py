"""The registry's demo data: SYNTHETIC households of communes of Quảng Ninh and Điện Biên, with three
review years (2023 and 2024 approved, 2025 open), made by the project's own seeded generator.

``registry_demo_ensure()`` adds them once: when the seeded communes already hold synthetic households
it adds and changes nothing. The same seed gives the same households, members, answers and statuses
(only the encrypted form of identity numbers differs, as encryption is randomised).
"""

import time
from collections import Counter

from django.db import transaction

from vungcao.geo.models import AdministrativeUnit, Era, Level
from vungcao.registry import classification
from vungcao.registry.demo import answers, generate, profiles, reviews, write
from vungcao.registry.models import Household

DEFAULT_HOUSEHOLDS_PER_COMMUNE = 2000


def _communes(communes_per_province: int | None) -> list[str]:
    return [
        commune.code
        for province in profiles.PROVINCES
        for commune in (
            province.communes[:communes_per_province] if communes_per_province else province.communes
        )
    ]


def demo_plan(
    *, seed: int, households_per_commune: int, communes_per_province: int | None
) -> generate.DemoPlan:
    """The demo's households in memory, with their answers for every year (no database writes)."""
    divisions = dict(
        AdministrativeUnit.objects.filter(
            era=Era.CURRENT, level=Level.COMMUNE, code__in=_communes(communes_per_province)
        ).values_list("code", "division_type")
    )
    plan = generate.plan(
        seed=seed,
        households_per_commune=households_per_commune,
        communes_per_province=communes_per_province,
        divisions=divisions,
    )
    standards = {
        (province.code, year): classification.standard_for_province(year, province.code).identifier
        for province in profiles.PROVINCES
        for year in generate.YEARS
    }
    answers.fill(plan, standards, seed)
    return plan


@transaction.atomic
def _write(plan: generate.DemoPlan, seed: int) -> tuple[int, int, Counter[str]]:
    """Write the plan in one transaction: villages, households, members, their events, then the reviews."""
    by_commune = write.villages(plan)
    made = write.households(plan, by_commune)
    member_count = write.members(plan, made)
    write.household_events(plan, made)
    statuses = reviews.reviews(plan, made, seed)
    return len(made), member_count, statuses


def registry_demo_ensure(
    *,
    seed: int = 2025,
    households_per_commune: int = DEFAULT_HOUSEHOLDS_PER_COMMUNE,
    communes_per_province: int | None = None,
) -> str:
    """Add the demo's synthetic households and review years unless they are there; a one-line summary.

    ``households_per_commune`` is the mean size (communes vary around it); ``communes_per_province``
    keeps only the first communes of each province (tests use a tiny demo).
    """
    started = time.perf_counter()
    present = Household.objects.filter(
        is_synthetic=True, village__parent__code__in=_communes(communes_per_province)
    ).count()
    if present:
        return f"registry demo: {present:,} synthetic households already present; nothing added"
    plan = demo_plan(
        seed=seed, households_per_commune=households_per_commune, communes_per_province=communes_per_province
    )
    household_count, member_count, statuses = _write(plan, seed)
    provinces = ", ".join(
        f"{code}: {sum(h.province == code for h in plan.households):,}"
        for code in (province.code for province in profiles.PROVINCES)
    )
    assessed = sum(statuses.values())
    return (
        f"registry demo: {household_count:,} synthetic households ({provinces}) in "
        f"{len(plan.communes)} communes, {member_count:,} members, {assessed:,} assessments over "
        f"{len(generate.YEARS)} review years (2023, 2024 approved; 2025 open, submitted, returned, approved, re-opened) "
        f"in {time.perf_counter() - started:.1f} s"
    )
