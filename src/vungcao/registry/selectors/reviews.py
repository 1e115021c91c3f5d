"""Review cycles and communes' reviews the user may see, with their progress."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import NotFoundError
from vungcao.geo.models import AdministrativeUnit
from vungcao.registry import classification
from vungcao.registry.models import CommuneReview, Household, ReviewCycle, ReviewEvent, ReviewStatusCount
from vungcao.registry.selectors.national import rollup_counts


def review_cycle_list(*, user: User) -> QuerySet[ReviewCycle]:
    """Cycles of the provinces the user works in (or above whose communes the user works)."""
    cycles = ReviewCycle.objects.select_related("province").order_by("province__code", "-year")
    return access.restrict_by_province(cycles, user, "province")


def indicator_choices(*, user: User, language: str) -> list[tuple[str, str]]:
    """The deprivation indicators of the standards of the user's review cycles, with their labels in
    ``language``, in the standards' order (an indicator shared by two standards is listed once)."""
    identifiers = review_cycle_list(user=user).values_list("standard_identifier", flat=True).distinct()
    choices: dict[str, str] = {}
    for identifier in sorted(identifiers):
        for indicator in classification.standard(identifier).indicators:
            choices.setdefault(indicator.identifier, indicator.label.in_language(language))
    return list(choices.items())


def review_cycle_get(*, user: User, cycle_id: int) -> ReviewCycle:
    cycle = review_cycle_list(user=user).filter(pk=cycle_id).first()
    if cycle is None:
        raise NotFoundError(f"review cycle {cycle_id}")
    return cycle


def commune_review_list(*, user: User, cycle: ReviewCycle) -> QuerySet[CommuneReview]:
    """The communes of a cycle the user may see, with how many households each has assessed."""
    return (
        access.restrict_by_unit(cycle.communes.all(), user, "commune")
        .select_related("commune")
        .annotate(**rollup_counts(through="status_counts__"))
        .order_by("commune__name_folded")
    )


def commune_review_get(*, user: User, cycle: ReviewCycle, commune_code: str) -> CommuneReview:
    review = (
        access.restrict_by_unit(cycle.communes.all(), user, "commune")
        .select_related("commune", "cycle", "cycle__province")
        .filter(commune__code=commune_code)
        .first()
    )
    if review is None:
        raise NotFoundError(f"commune review {cycle.pk}/{commune_code}")
    return review


@dataclass(frozen=True)
class ReviewProgress:
    households: int
    assessed: int
    by_status: dict[str, int]

    @property
    def remaining(self) -> int:
        return max(self.households - self.assessed, 0)

    @property
    def percent_assessed(self) -> float:
        return 100 * self.assessed / self.households if self.households else 0.0


def commune_review_progress(*, review: CommuneReview) -> ReviewProgress:
    households = Household.objects.filter(village__parent=review.commune, dissolved_on__isnull=True).count()
    by_status: dict[str, int] = dict(
        ReviewStatusCount.objects.filter(commune_review=review).values_list("status", "households")
    )
    return ReviewProgress(households=households, assessed=sum(by_status.values()), by_status=by_status)


def commune_review_unassessed(*, user: User, review: CommuneReview) -> QuerySet[Household]:
    """The commune's registered households (not dissolved) without answers in this review, the ones
    `commune_review_progress` counts as remaining, as the user may open them (none for aggregate
    viewers), by village and code."""
    households = Household.objects.filter(village__parent=review.commune, dissolved_on__isnull=True).exclude(
        assessments__commune_review=review
    )
    return (
        access.restrict_households(households, user)
        .select_related("village")
        .order_by("village__name_folded", "code")
    )


def commune_review_events(*, review: CommuneReview) -> QuerySet[ReviewEvent]:
    return review.events.select_related("user").order_by("-created_at", "-pk")


@dataclass(frozen=True)
class CycleStates:
    total: int
    by_state: dict[str, int]

    @property
    def is_final(self) -> bool:
        """A province's result is final when every one of its communes is approved."""
        return self.total > 0 and self.by_state.get(CommuneReview.State.APPROVED, 0) == self.total


def cycle_states(*, cycle: ReviewCycle) -> CycleStates:
    rows = cycle.communes.values_list("state").annotate(total=Count("pk"))
    by_state: dict[str, int] = dict(rows)
    return CycleStates(total=sum(by_state.values()), by_state=by_state)


@dataclass(frozen=True)
class CommuneReviewReport:
    """Where a commune stands in the review of a year, for completeness: its state, when it last
    submitted the result it stands on (None when it has not, or was returned or re-opened since), and its
    households assessed of those registered."""

    state: str
    submitted_at: datetime.datetime | None
    assessed: int
    registered: int

    @property
    def state_label(self) -> str:
        return str(CommuneReview.State(self.state).label)


REPORTED_STATES = (CommuneReview.State.SUBMITTED, CommuneReview.State.APPROVED)


def commune_review_reports(
    *, year: int, communes: Iterable[AdministrativeUnit]
) -> dict[int, CommuneReviewReport]:
    """By commune id, the reports of ``communes`` (units the caller's selector chose and scoped) in the
    review of ``year``; a commune without a review of that year is absent."""
    ids = [commune.pk for commune in communes]
    assessed = (
        ReviewStatusCount.objects.filter(commune_review=OuterRef("pk"))
        .order_by()
        .values("commune_review")
        .annotate(total=Sum("households"))
        .values("total")
    )
    reviews = CommuneReview.objects.filter(cycle__year=year, commune_id__in=ids).annotate(
        # a subquery: the events joined beside would add each count once per event
        assessed=Coalesce(Subquery(assessed), 0),
        submitted_at=Max("events__created_at", filter=Q(events__action=ReviewEvent.Action.SUBMITTED)),
    )
    registered = dict(
        Household.objects.filter(village__parent_id__in=ids, dissolved_on__isnull=True)
        .values_list("village__parent_id")
        .annotate(total=Count("pk"))
    )
    return {
        review.commune_id: CommuneReviewReport(
            review.state,
            review.submitted_at if review.state in REPORTED_STATES else None,
            review.assessed,
            registered.get(review.commune_id, 0),
        )
        for review in reviews
    }


def province_review_results(
    *, year: int, provinces: Iterable[AdministrativeUnit]
) -> dict[int, datetime.datetime | None]:
    """By province id, when the province's review of ``year`` became final (its last commune approved;
    None while a commune is not): the official result a province sends. A province without a review
    of that year is absent."""
    cycles = ReviewCycle.objects.filter(year=year, province__in=list(provinces)).annotate(
        communes_total=Count("communes", distinct=True),
        approved=Count("communes", filter=Q(communes__state=CommuneReview.State.APPROVED), distinct=True),
        approved_at=Max(
            "communes__events__created_at", filter=Q(communes__events__action=ReviewEvent.Action.APPROVED)
        ),
    )
    return {
        cycle.province_id: cycle.approved_at
        if cycle.communes_total and cycle.approved == cycle.communes_total
        else None
        for cycle in cycles
    }
