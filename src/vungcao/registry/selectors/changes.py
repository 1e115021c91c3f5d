"""Flows between two approved reviews: who escaped poverty, fell into it, stayed, became near-poor,
fell back after escaping; new and dissolved households. Counted by village, commune, province and
ethnic group, and listed.

Only communes approved in both reviews are compared; the others are named as left out.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import ApplicationError
from vungcao.registry.models import Assessment, CommuneReview, Household, ReviewCycle

POOR, NEAR_POOR = "poor", "near_poor"
FLOWS = ("escaped", "fell_into", "stayed_poor", "became_near_poor", "fell_back", "new", "dissolved")
GROUPINGS = ("village", "commune", "province", "ethnic_group")


@dataclass
class Changes:
    earlier: ReviewCycle
    later: ReviewCycle
    totals: Counter[str] = field(default_factory=Counter)
    by_group: dict[str, dict[str, Counter[str]]] = field(default_factory=dict)
    households: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    left_out_communes: list[str] = field(default_factory=list)


def flows_of(before: str | None, after: str | None, poor_earlier: bool, dissolved: bool) -> list[str]:
    """The flows one household took between two reviews (a household can be in several)."""
    if before is None:
        return ["new"] if after is not None else []
    if after is None:
        return ["dissolved"] if dissolved else []
    flows = []
    if before == POOR and after != POOR:
        flows.append("escaped")
    if before != POOR and after == POOR:
        flows.append("fell_into")
        if poor_earlier:
            flows.append("fell_back")
    if before == POOR and after == POOR:
        flows.append("stayed_poor")
    if before != NEAR_POOR and after == NEAR_POOR:
        flows.append("became_near_poor")
    return flows


def _approved_communes(cycle: ReviewCycle) -> set[int]:
    return set(cycle.communes.filter(state=CommuneReview.State.APPROVED).values_list("commune_id", flat=True))


def changes_between(*, user: User, earlier: ReviewCycle, later: ReviewCycle) -> Changes:
    if earlier.province_id != later.province_id or earlier.year >= later.year:
        raise ApplicationError("Compare an earlier and a later review of the same province.")
    approved = _approved_communes(earlier) & _approved_communes(later)
    left_out = (
        _approved_communes(earlier)
        | _approved_communes(later)
        | set(later.communes.values_list("commune_id", flat=True))
    ) - approved
    changes = Changes(
        earlier,
        later,
        left_out_communes=sorted(
            later.communes.filter(commune_id__in=left_out).values_list("commune__name", flat=True)
        ),
    )

    # The households of both reviews are read with their assessments (not afterwards by primary key: a
    # million keys in one IN list is slow on PostgreSQL and more than SQLite accepts).
    households: dict[int, tuple[Any, ...]] = {}

    def statuses(cycle: ReviewCycle) -> dict[int, str]:
        rows = access.restrict_households(
            Assessment.objects.filter(cycle=cycle, commune_review__commune_id__in=approved),
            user,
            "household__village",
        ).values_list(
            "household_id",
            "status",
            "household__code",
            "household__village__code",
            "household__village__parent__code",
            "household__head_ethnic_group",
            "household__dissolved_on",
        )
        found = {}
        for pk, status, *household in rows.order_by():
            found[pk] = status
            households[pk] = tuple(household)
        return found

    before, after = statuses(earlier), statuses(later)
    poor_earlier = set(
        Assessment.objects.filter(
            cycle__province=earlier.province, cycle__year__lt=earlier.year, status=POOR
        ).values_list("household_id", flat=True)
    )
    province = earlier.province.code
    by_group: dict[str, dict[str, Counter[str]]] = {grouping: defaultdict(Counter) for grouping in GROUPINGS}
    in_code_order = sorted(households.items(), key=lambda item: str(item[1][0]))
    for pk, (_code, village, commune, ethnic_group, dissolved_on) in in_code_order:
        flows = flows_of(before.get(pk), after.get(pk), pk in poor_earlier, dissolved_on is not None)
        keys = {"village": village, "commune": commune, "province": province, "ethnic_group": ethnic_group}
        for flow in flows:
            changes.totals[flow] += 1
            changes.households[flow].append(pk)
            for grouping, key in keys.items():
                by_group[grouping][key][flow] += 1
    changes.by_group = {grouping: dict(groups) for grouping, groups in by_group.items()}
    return changes


def changed_households(*, user: User, changes: Changes, flow: str) -> QuerySet[Household]:
    return access.restrict_households(
        Household.objects.filter(pk__in=changes.households.get(flow, [])), user
    ).select_related("village", "village__parent")
