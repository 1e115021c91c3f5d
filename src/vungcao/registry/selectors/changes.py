"""Flows between two reviews: who escaped poverty, fell into it, stayed, became near-poor, fell back
after escaping; new and dissolved households. Counted by village, commune, province and ethnic group,
and listed.

A flow is a condition on a household's status in the later review (``status``), in the earlier one
(``previous_status``) and on whether it was poor in any review before the earlier one. The conditions
are SQL, so the counts are one grouped query and a flow's households one paginated query, at a
million households as at ten; the household list filters "change since last year" with the same
conditions.

Only communes approved in both reviews are compared; the others are named as left out. The same counts,
as the form of changes in poor households reads them (``FORM_FLOWS``), fill that form; a count is not
personal data, so the counts reach every role that counts figures in its scope, and the lists only the
roles that may open households.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, QuerySet

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import ApplicationError
from vungcao.geo import tree
from vungcao.geo.models import AdministrativeUnit
from vungcao.registry.models import Assessment, CommuneReview, Household, ReviewCycle

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


def flow_condition(flow: str, *, earlier_year: int) -> Q:
    """Households of ``flow`` among households annotated with ``status`` and ``previous_status``
    (the status of the review of ``earlier_year``). A household can be in several of ``FLOWS``, and in
    one of ``FORM_FLOWS``' ways in or out."""
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
        poor_earlier = Assessment.objects.filter(household=OuterRef("pk"), year__lt=earlier_year, status=POOR)
        return assessed_before & ~poor_before & poor_now & Q(Exists(poor_earlier))
    if flow == "new":
        return ~assessed_before & assessed_now
    if flow == "dissolved":
        return assessed_before & ~assessed_now & Q(dissolved_on__isnull=False)
    if flow in FORM_FLOWS:
        poor_or_near_poor = [POOR, NEAR_POOR]
        not_fallen_back = ~flow_condition("fell_back", earlier_year=earlier_year)
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
    # One grouped query: each flow counted by village and ethnic group, from which the communes, the
    # province and the ethnic groups are summed.
    counted = (
        _compared(user, changes, counting=True)
        .values(
            "village__code",
            "village__name",
            "village__parent__code",
            "village__parent__name",
            "head_ethnic_group",
        )
        .annotate(
            **{flow: Count("pk", filter=flow_condition(flow, earlier_year=earlier.year)) for flow in flows}
        )
        .order_by()
    )
    province = earlier.province.code
    changes.names[province] = earlier.province.name
    by_group: dict[str, dict[str, Counter[str]]] = {grouping: defaultdict(Counter) for grouping in GROUPINGS}
    for row in counted:
        keys = {
            "village": row["village__code"],
            "commune": row["village__parent__code"],
            "province": province,
            "ethnic_group": row["head_ethnic_group"],
        }
        changes.names[row["village__code"]] = row["village__name"]
        changes.names[row["village__parent__code"]] = row["village__parent__name"]
        counts = Counter({flow: row[flow] for flow in flows if row[flow]})
        changes.totals.update(counts)
        for grouping, key in keys.items():
            by_group[grouping][key].update(counts)
    changes.by_group = {
        grouping: {key: counts for key, counts in groups.items() if counts}
        for grouping, groups in by_group.items()
    }
    return changes


def changed_households(*, user: User, changes: Changes, flow: str) -> QuerySet[Household]:
    """The households of ``flow``, in code order."""
    return (
        _compared(user, changes)
        .filter(flow_condition(flow, earlier_year=changes.earlier.year))
        .select_related("village", "village__parent")
        .order_by("code")
    )


def flows_by_commune(
    *, user: User, years: Iterable[int], within: AdministrativeUnit
) -> list[tuple[int, str, str, int]]:
    """(year, commune's path, flow, households) between the review of year − 1 and the review of the
    year, for every commune under ``within`` approved in both (its province's reviews compared): what
    :func:`changes_between` counts for the province's page (0 for a compared commune without the flow).
    Flows are read from households' statuses: none for a user who may not see households, rather than
    counts of zero."""
    if not access.can_view_households(user):
        return []
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
