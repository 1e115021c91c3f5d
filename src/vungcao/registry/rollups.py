"""The review's rollups (``common.rollups``): a commune review's assessments counted by status and the
head's ethnic group, by status alone, by status and pattern of deprivations, and by the flows between the review and the
province's previous one.

Every write of assessments refreshes the rollups of the commune reviews it touched, in its transaction
(:func:`review_rollups_refresh`): an answer recorded (``services.assessments``), a questionnaire file or
a phone's submission applied (``services.questionnaire``; also the reviews of the other years of a
household whose head, and so whose ethnic group, changed). A review's state is not counted: the readers
join the review and keep the approved ones, so approving or re-opening a commune changes no count.

The flows of a review also count what its households were in the previous cycle, whether they were poor
before it, whether they are assessed in the next cycle, where they live now and whether they were
dissolved: a write that changes any of those for a household refreshes the flows of every review the
household was assessed in (:func:`review_rollups_refresh`'s ``households``). A write of one household (an
answer, a move, a merge) adjusts the rows by what the household counts in them after the write, less
before (:func:`household_rollups_adjusted`), instead of counting its reviews again.
"""

import itertools
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from vungcao.common import database
from vungcao.common.rollups import Rollup, rollups_adjusted, rollups_refresh
from vungcao.registry.models import (
    Assessment,
    DeprivationPatternCount,
    FlowCount,
    Household,
    NotReassessedCount,
    ReviewCount,
    ReviewCycle,
    ReviewStatusCount,
)

POOR = "poor"

REVIEW_COUNTS = Rollup(
    name="registry.review_counts",
    table=ReviewCount,
    scope_field="commune_review",
    records=Assessment.objects.all,
    record_scope="commune_review",
    keys={"status": "status", "head_ethnic_group": "household__head_ethnic_group"},
)
REVIEW_STATUS_COUNTS = Rollup(
    name="registry.review_status_counts",
    table=ReviewStatusCount,
    scope_field="commune_review",
    records=Assessment.objects.all,
    record_scope="commune_review",
    keys={"status": "status"},
)
DEPRIVATION_PATTERNS = Rollup(
    name="registry.deprivation_patterns",
    table=DeprivationPatternCount,
    scope_field="commune_review",
    records=Assessment.objects.all,
    record_scope="commune_review",
    keys={"status": "status", "standard_identifier": "standard_identifier", "deprived_mask": "deprived_mask"},
)


def _dissolved() -> ExpressionWrapper:  # type: ignore[type-arg]
    return ExpressionWrapper(Q(household__dissolved_on__isnull=False), output_field=BooleanField())


def _neighbour_years(cycles: type[ReviewCycle]) -> tuple[dict[int, int], dict[int, int]]:
    """The year of each review cycle's province's previous and next cycle (by the cycle's primary key): a
    few hundred cycles, read at once, so that the count finds a household's other assessments by the
    (household, year) index, not by a search of the cycles for each of its assessments."""
    previous: dict[int, int] = {}
    following: dict[int, int] = {}
    by_province: dict[int, list[tuple[int, int]]] = {}
    for pk, province, year in cycles.objects.order_by("year").values_list("pk", "province", "year"):
        by_province.setdefault(province, []).append((pk, year))
    for ordered in by_province.values():
        for (earlier, earlier_year), (later, later_year) in itertools.pairwise(ordered):
            previous[later], following[earlier] = earlier_year, later_year
    return previous, following


def _of_cycle(values: dict[int, int]) -> Case:
    """The value of each assessment's cycle in ``values`` (None for a cycle not in it)."""
    return Case(
        *(When(cycle=cycle, then=Value(value)) for cycle, value in values.items()),
        default=Value(None),
        output_field=IntegerField(),
    )


def assessments_with_previous(
    assessments: type[Assessment] = Assessment, cycles: type[ReviewCycle] = ReviewCycle
) -> QuerySet[Assessment]:
    """Assessments with the commune review and status of their household's assessment in the province's
    previous review cycle (none when it was not assessed there), and whether the household was poor in
    any review before that cycle. (The models are given to the migration that counted the first rows.)"""
    previous_years, _following = _neighbour_years(cycles)
    # Its assessment of that cycle's year, by the (household, year) index: of another province's review
    # when it moved across provinces, which a reader comparing this province's reviews counts as not
    # assessed (``selectors.changes``).
    previous = assessments.objects.filter(
        household=OuterRef("household"), year=OuterRef("previous_year")
    ).order_by()
    return assessments.objects.annotate(
        previous_year=_of_cycle(previous_years),
    ).annotate(
        previous_review=Subquery(previous.values("commune_review")[:1]),
        previous_status=Subquery(previous.values("status")[:1]),
        poor_before_previous=Exists(
            assessments.objects.filter(
                household=OuterRef("household"), year__lt=OuterRef("previous_year"), status=POOR
            ).order_by()
        ),
        household_dissolved=_dissolved(),
    )


def assessments_not_reassessed(
    assessments: type[Assessment] = Assessment, cycles: type[ReviewCycle] = ReviewCycle
) -> QuerySet[Assessment]:
    """Assessments whose household has no assessment in the year of the province's next review cycle
    (every one of the latest cycle's): one in another province's review that year is counted by that
    review's flows, with this one as its previous (:func:`assessments_with_previous`)."""
    _previous, next_years = _neighbour_years(cycles)
    return (
        assessments.objects.annotate(next_year=_of_cycle(next_years))
        .exclude(
            Exists(
                assessments.objects.filter(
                    household=OuterRef("household"), year=OuterRef("next_year")
                ).order_by()
            )
        )
        .annotate(household_dissolved=_dissolved())
    )


FLOW_KEYS = {
    "earlier_review": "previous_review",
    "village": "household__village",
    "head_ethnic_group": "household__head_ethnic_group",
    "review_status": "status",
    "previous_review_status": "previous_status",
    "fell_back": "poor_before_previous",
    "dissolved": "household_dissolved",
}
NOT_REASSESSED_KEYS = {
    "village": "household__village",
    "head_ethnic_group": "household__head_ethnic_group",
    "review_status": "status",
    "dissolved": "household_dissolved",
}
FLOWS = Rollup(
    name="registry.flows",
    table=FlowCount,
    scope_field="commune_review",
    records=assessments_with_previous,
    record_scope="commune_review",
    keys=FLOW_KEYS,
)
NOT_REASSESSED = Rollup(
    name="registry.not_reassessed",
    table=NotReassessedCount,
    scope_field="commune_review",
    records=assessments_not_reassessed,
    record_scope="commune_review",
    keys=NOT_REASSESSED_KEYS,
)
REVIEW_ROLLUPS = (REVIEW_COUNTS, REVIEW_STATUS_COUNTS, DEPRIVATION_PATTERNS)
FLOW_ROLLUPS = (FLOWS, NOT_REASSESSED)
REGISTRY_ROLLUPS = (*REVIEW_ROLLUPS, *FLOW_ROLLUPS)


def reviews_of_households(household_ids: Collection[int]) -> set[int]:
    """The commune reviews in which these households were assessed, every year."""
    return set(
        Assessment.objects.filter(household__in=list(household_ids))
        .values_list("commune_review", flat=True)
        .distinct()
    )


def review_rollups_refresh(review_ids: Iterable[int], *, households: Collection[int]) -> None:
    """Count the review's rollups of these commune reviews again, after their assessments of
    ``households`` changed, in the same transaction; and the flows of every review those households were
    assessed in (their previous and next statuses changed)."""
    reviews = set(review_ids)
    rollups_refresh((REVIEW_ROLLUPS, reviews), (FLOW_ROLLUPS, reviews | reviews_of_households(households)))


@contextmanager
def household_rollups_adjusted(household_ids: Collection[int]) -> Iterator[None]:
    """Every rollup of the registry adjusted by what these households' assessments count in it after the
    block, less before (``common.rollups.rollups_adjusted``): for a write of one or two households (an
    answer, a move, a merge), with the reviews of their assessments locked first. The households are
    locked next, in the order every writer takes (reviews, then households): another write of them — a
    move beside a first answer in a review they were not assessed in yet — waits, so nothing changes
    what they count between the two counts."""
    ids = sorted(household_ids)
    database.rows_lock(Household, ids)
    with rollups_adjusted(REGISTRY_ROLLUPS, Q(household__in=ids)):
        yield
