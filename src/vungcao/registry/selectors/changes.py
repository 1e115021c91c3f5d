"""Flows between two reviews: who escaped poverty, fell into it, stayed, became near-poor, fell back
after escaping; new and dissolved households. Counted by village, commune, province and ethnic group,
and listed.

A flow is a condition on a household's status in the later review (``status``), in the earlier one
(``previous_status``), on whether it was poor in any review before the earlier one and whether it was
dissolved. The conditions are SQL, over households (a flow's households, one paginated query; the
household list filters "change since last year" with them) or over the review's rollups of flows
(``registry.rollups``: households counted by both statuses, village and ethnic group, kept by the
writes), from which the counts between two consecutive reviews are read without counting households.
Two reviews with another between them are counted from the households.

Only communes approved in both reviews are compared; the others are named as left out. The same counts,
as the form of changes in poor households reads them (``FORM_FLOWS``), fill that form; a count is not
personal data, so the counts reach every role that counts figures in its scope, and the lists only the
roles that may open households.
"""

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Paginator
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common import database
from vungcao.common.errors import ApplicationError
from vungcao.geo import tree
from vungcao.geo.models import AdministrativeUnit
from vungcao.registry.models import (
    Assessment,
    CommuneReview,
    FlowCount,
    Household,
    NotReassessedCount,
    ReviewCycle,
)

POOR, NEAR_POOR = "poor", "near_poor"
FLOWS = ("escaped", "fell_into", "stayed_poor", "became_near_poor", "fell_back", "new", "dissolved")
GROUPINGS = ("village", "commune", "province", "ethnic_group")
# The counts of the form of changes in poor households (Tổng hợp diễn biến hộ nghèo): the poor of the
# earlier review, each way out of poverty and each way into it, so that the poor of the later review are
# poor_before − poor_to_near_poor − poor_to_not_poor − poor_not_reviewed + near_poor_to_poor + fell_back
# + new_poor + other_to_poor, each household in one way.
FORM_FLOWS = (
    "poor_before",
    "poor_to_near_poor",
    "poor_to_not_poor",
    "poor_not_reviewed",
    "near_poor_to_poor",
    "fell_back",
    "new_poor",
    "other_to_poor",
)


def flow_condition(flow: str, *, fell_back: Q, dissolved: Q) -> Q:
    """Rows of ``flow`` among rows annotated with ``status`` and ``previous_status`` (the household's
    status in the later and the earlier review, None when not assessed in it), where ``fell_back`` holds
    for a household poor in a review before the earlier one and ``dissolved`` for a dissolved household.
    A household can be in several of ``FLOWS``, and in one of ``FORM_FLOWS``' ways in or out."""
    poor_before = Q(previous_status=POOR)
    poor_now = Q(status=POOR)
    assessed_before = Q(previous_status__isnull=False)
    assessed_now = Q(status__isnull=False)
    if flow == "escaped":
        return poor_before & ~poor_now & assessed_now
    if flow == "fell_into":
        return assessed_before & ~poor_before & poor_now
    if flow == "stayed_poor":
        return poor_before & poor_now
    if flow == "became_near_poor":
        return assessed_before & ~Q(previous_status=NEAR_POOR) & Q(status=NEAR_POOR)
    if flow == "fell_back":
        return assessed_before & ~poor_before & poor_now & fell_back
    if flow == "new":
        return ~assessed_before & assessed_now
    if flow == "dissolved":
        return assessed_before & ~assessed_now & dissolved
    if flow in FORM_FLOWS:
        poor_or_near_poor = [POOR, NEAR_POOR]
        not_fallen_back = ~flow_condition("fell_back", fell_back=fell_back, dissolved=dissolved)
        return {
            "poor_before": poor_before,
            "poor_to_near_poor": poor_before & Q(status=NEAR_POOR),
            "poor_to_not_poor": poor_before & assessed_now & ~Q(status__in=poor_or_near_poor),
            "poor_not_reviewed": poor_before & ~assessed_now,
            "near_poor_to_poor": Q(previous_status=NEAR_POOR) & poor_now & not_fallen_back,
            # Newly poor (phát sinh mới): assessed before, neither poor nor near-poor, never poor; other
            # increases (tăng khác): not in the earlier review (a household formed or moved in since).
            "new_poor": assessed_before
            & ~Q(previous_status__in=poor_or_near_poor)
            & poor_now
            & not_fallen_back,
            "other_to_poor": ~assessed_before & poor_now,
        }[flow]
    raise ValueError(flow)


def household_flow_condition(flow: str, *, earlier_year: int) -> Q:
    """Households of ``flow`` among households annotated with ``status`` and ``previous_status`` (the
    status of the review of ``earlier_year``)."""
    poor_earlier = Assessment.objects.filter(household=OuterRef("pk"), year__lt=earlier_year, status=POOR)
    return flow_condition(flow, fell_back=Q(Exists(poor_earlier)), dissolved=Q(dissolved_on__isnull=False))


def with_statuses(households: QuerySet[Household], *, later: Q, earlier: Q) -> QuerySet[Household]:
    """``households`` with ``status`` and ``previous_status``: of their assessment matching ``later``
    and ``earlier`` (conditions on ``assessments__…``, each matching at most one assessment a
    household), or None. Joined, not a subquery per household."""
    return households.annotate(
        later_assessment=FilteredRelation("assessments", condition=later),
        earlier_assessment=FilteredRelation("assessments", condition=earlier),
    ).annotate(status=F("later_assessment__status"), previous_status=F("earlier_assessment__status"))


@dataclass
class Changes:
    earlier: ReviewCycle
    later: ReviewCycle
    totals: Counter[str] = field(default_factory=Counter)
    by_group: dict[str, dict[str, Counter[str]]] = field(default_factory=dict)
    left_out_communes: list[str] = field(default_factory=list)
    # Names of the villages, communes and the province counted, by code.
    names: dict[str, str] = field(default_factory=dict)
    # The commune reviews compared (approved in both cycles), as listed by ``changed_households``.
    earlier_reviews: list[int] = field(default_factory=list)
    later_reviews: list[int] = field(default_factory=list)


def _approved_communes(cycle: ReviewCycle) -> set[int]:
    return set(cycle.communes.filter(state=CommuneReview.State.APPROVED).values_list("commune_id", flat=True))


def _compared(user: User, changes: Changes, *, counting: bool = False) -> QuerySet[Household]:
    """Households in scope assessed in one of the compared commune reviews, with both statuses: those
    the user may open, or (``counting``) those the user may count (an aggregate viewer counts them)."""
    restrict = access.restrict_for_figures if counting else access.restrict_households
    households = with_statuses(
        restrict(Household.objects.all(), user, "village"),
        later=Q(assessments__commune_review__in=changes.later_reviews),
        earlier=Q(assessments__commune_review__in=changes.earlier_reviews),
    )
    return households.filter(Q(status__isnull=False) | Q(previous_status__isnull=False))


GROUPED_BY = (
    "village__code",
    "village__name",
    "village__parent__code",
    "village__parent__name",
    "head_ethnic_group",
)


Counted = Iterable[tuple[Any, ...]]
"""Rows of ``GROUPED_BY`` then the count of each flow asked (None for none)."""


def _counted_from_households(user: User, changes: Changes, flows: Sequence[str]) -> Counted:
    """Each flow counted by village and ethnic group from the households, in one grouped query."""
    return database.stored_rows(
        _compared(user, changes, counting=True)
        .values_list(*GROUPED_BY)
        .annotate(
            **{
                flow: Count("pk", filter=household_flow_condition(flow, earlier_year=changes.earlier.year))
                for flow in flows
            }
        )
        .order_by()
    )


def _counted_from_rollups(user: User, changes: Changes, flows: Sequence[str]) -> Counted:
    """Each flow between two consecutive reviews counted by village and ethnic group from the review's
    rollups of flows, in two grouped queries: the households assessed in the later review (with their
    status in the earlier one), and those of the earlier review not assessed in the later one. A status
    in a commune review that is not compared (its commune not approved in both) counts as not assessed,
    as it does when counted from the households."""
    later, earlier = changes.later_reviews, changes.earlier_reviews
    conditions = {"fell_back": Q(fell_back=True), "dissolved": Q(dissolved=True)}
    # Named apart from the rollups' fields (``fell_back`` and ``dissolved`` are flows too).
    sums = {f"flow_{flow}": Sum("households", filter=flow_condition(flow, **conditions)) for flow in flows}
    assessed_later = (
        access.restrict_for_figures(FlowCount.objects.all(), user, "village")
        .filter(Q(commune_review__in=later) | Q(earlier_review__in=earlier))
        .annotate(
            status=Case(When(commune_review__in=later, then=F("review_status"))),
            previous_status=Case(When(earlier_review__in=earlier, then=F("previous_review_status"))),
        )
    )
    not_assessed_later = (
        access.restrict_for_figures(NotReassessedCount.objects.all(), user, "village")
        .filter(commune_review__in=earlier)
        .annotate(
            status=Value(None, output_field=CharField()),
            previous_status=F("review_status"),
            fell_back=Value(False),
        )
    )
    return itertools.chain.from_iterable(
        database.stored_rows(rows.values_list(*GROUPED_BY).annotate(**sums).order_by())
        for rows in (assessed_later, not_assessed_later)
    )


def changes_between(
    *, user: User, earlier: ReviewCycle, later: ReviewCycle, flows: Sequence[str] = FLOWS
) -> Changes:
    """The ``flows`` between two reviews of a province, counted by each of ``GROUPINGS``."""
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
        earlier_reviews=list(earlier.communes.filter(commune_id__in=approved).values_list("pk", flat=True)),
        later_reviews=list(later.communes.filter(commune_id__in=approved).values_list("pk", flat=True)),
    )
    if ReviewCycle.objects.filter(
        province=later.province_id, year__gt=earlier.year, year__lt=later.year
    ).exists():
        counted = _counted_from_households(user, changes, flows)
    else:
        counted = _counted_from_rollups(user, changes, flows)
    province = earlier.province.code
    changes.names[province] = earlier.province.name
    by_group: dict[str, dict[str, Counter[str]]] = {grouping: defaultdict(Counter) for grouping in GROUPINGS}
    by_village, by_commune = by_group["village"], by_group["commune"]
    by_province, by_ethnic_group = by_group["province"][province], by_group["ethnic_group"]
    for village, village_name, commune, commune_name, ethnic_group, *households in counted:
        changes.names[village] = village_name
        changes.names[commune] = commune_name
        counts = [(flow, count) for flow, count in zip(flows, households, strict=True) if count]
        if not counts:
            continue
        for counter in (
            changes.totals,
            by_village[village],
            by_commune[commune],
            by_province,
            by_ethnic_group[ethnic_group],
        ):
            for flow, count in counts:
                counter[flow] += count
    changes.by_group = {
        grouping: {key: counts for key, counts in groups.items() if counts}
        for grouping, groups in by_group.items()
    }
    return changes


def changed_households(*, user: User, changes: Changes, flow: str) -> QuerySet[Household]:
    """The households of ``flow``, in code order."""
    return (
        _compared(user, changes)
        .filter(household_flow_condition(flow, earlier_year=changes.earlier.year))
        .select_related("village", "village__parent")
        .order_by("code")
    )


def flows_by_commune(
    *, user: User, years: Iterable[int], within: AdministrativeUnit
) -> list[tuple[int, str, str, int]]:
    """(year, commune's path, flow, households) between the review of year − 1 and the review of the
    year, for every commune under ``within`` approved in both (its province's reviews compared): what
    :func:`changes_between` counts for the province's page (0 for a compared commune without the flow).
    Counts, not households: an aggregate-only viewer counts them too, as the summary forms do."""
    wanted = set(years)
    cycles = ReviewCycle.objects.filter(
        tree.in_subtree(within, "province") | Q(province__path=tree.province_path(within)),
        year__in=wanted | {year - 1 for year in wanted},
    ).select_related("province")
    by_key = {(cycle.province_id, cycle.year): cycle for cycle in cycles}
    rows = []
    for (province, year), later in by_key.items():
        earlier = by_key.get((province, year - 1))
        if year not in wanted or earlier is None:
            continue
        changes = changes_between(user=user, earlier=earlier, later=later)
        compared = CommuneReview.objects.filter(
            tree.in_subtree(within, "commune"), pk__in=changes.later_reviews
        ).values_list("commune__code", "commune__path")
        counted = changes.by_group.get("commune", {})
        rows += [
            (year, path, flow, counted.get(code, Counter())[flow])
            for code, path in compared
            for flow in FLOWS
        ]
    return rows


def changed_households_pages(
    *, user: User, changes: Changes, flow: str, per_page: int
) -> Paginator[Household]:
    """The households of ``flow`` in pages of ``per_page``, numbered without counting them again: a flow
    counted for a user who may open households (the caller checks it) counts exactly the households
    listed (``tests/registry/test_changes.py``), and at a province's million households the count of
    the list was most of a page's time."""
    pages = Paginator(changed_households(user=user, changes=changes, flow=flow), per_page)
    pages.count = changes.totals[flow]
    return pages
