"""Households, reviews, results and changes over the API, with the pages' validation and scope."""

from typing import Annotated, Literal, assert_never

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from vungcao.accounts import access
from vungcao.common.bounds import Id, Year, text
from vungcao.common.errors import NotFoundError, PermissionDeniedError
from vungcao.common.language import reader_language
from vungcao.common.pagination import BoundedLimitOffset
from vungcao.geo import selectors as geo_selectors
from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.geo.schemas import UnitCode
from vungcao.registry.models import CommuneReview, Household, PersonalDataRead, ReviewCycle
from vungcao.registry.schemas import (
    AnswersIn,
    ChangesOut,
    CommuneReviewOut,
    HouseholdCode,
    HouseholdDetailOut,
    HouseholdIn,
    HouseholdOut,
    MergeIn,
    MoveIn,
    ReasonIn,
    ResultsOut,
    ReviewCycleIn,
    ReviewCycleOut,
    SplitIn,
)
from vungcao.registry.selectors import changes, households, results, reviews
from vungcao.registry.selectors.households import HouseholdFilter
from vungcao.registry.services import assessments, personal_data_reads
from vungcao.registry.services import households as household_services
from vungcao.registry.services import reviews as review_services
from vungcao.registry.services.households import MemberData

router = Router(tags=["households and the poverty review"])

ReviewAction = Literal["submit", "recall", "approve", "return", "reopen"]


def _microdata(request: HttpRequest) -> None:
    if not access.can_view_households(access.request_user(request)):
        raise PermissionDeniedError("Your role sees aggregated figures only.")


class HouseholdQuery(Schema):
    unit: UnitCode | None = None
    year: Year | None = None
    status: Annotated[str, text(24)] | None = None
    ethnic_group: Annotated[str, text(2)] | None = None
    deprived: Annotated[str, text(100)] | None = None
    change: Annotated[str, text(24)] | None = None
    search: Annotated[str, text(100)] | None = None


class PagedHouseholdOut(Schema):
    """A page of the household list and the number of households the filter finds."""

    items: list[HouseholdOut]
    count: int


@router.get("/households", response=PagedHouseholdOut, summary="Households in the caller's scope")
def household_list(
    request: HttpRequest, query: Query[HouseholdQuery], pagination: Query[BoundedLimitOffset.Input]
) -> dict[str, object]:
    """Each page is recorded as a read of personal data: who asked, the filter (its search masked) and
    how many households the page holds."""
    # Paginated here rather than by ``@paginate``, so the page is read once and its size recorded.
    _microdata(request)
    user = access.request_user(request)
    unit = geo_selectors.unit_get(user=user, era=Era.CURRENT, code=query.unit) if query.unit else None
    filters = HouseholdFilter(
        unit=unit,
        year=query.year,
        status=query.status,
        ethnic_group=query.ethnic_group,
        deprived=query.deprived,
        change=query.change,
        search=query.search,
    )
    found = households.household_list(user=user, filters=filters)
    items = list(found[pagination.offset : pagination.offset + pagination.limit])
    personal_data_reads.households_read_record(
        request=request,
        user=user,
        kind=PersonalDataRead.Kind.API_LIST,
        count=len(items),
        filters=filters,
        offset=pagination.offset,
        limit=pagination.limit,
    )
    return {"items": items, "count": found.count()}


def _detail_recorded(request: HttpRequest, detail: households.HouseholdDetail) -> households.HouseholdDetail:
    """``detail``, recorded as read: every operation answering with a household's members calls this."""
    personal_data_reads.household_read_record(
        request=request,
        user=access.request_user(request),
        kind=PersonalDataRead.Kind.API_DETAIL,
        detail=detail,
    )
    return detail


@router.get(
    "/households/{code}", response=HouseholdDetailOut, summary="One household with members and status by year"
)
def household_detail(request: HttpRequest, code: HouseholdCode) -> households.HouseholdDetail:
    _microdata(request)
    return _detail_recorded(
        request,
        households.household_get(user=access.request_user(request), code=code, language=reader_language()),
    )


def _village(request: HttpRequest, code: str) -> AdministrativeUnit:
    return geo_selectors.unit_get(user=access.request_user(request), era=Era.CURRENT, code=code)


def _household(request: HttpRequest, code: str) -> Household:
    _microdata(request)
    return households.household_get(user=access.request_user(request), code=code).household


@router.post(
    "/households", response={201: HouseholdDetailOut}, summary="Register a household with its members"
)
def household_create(request: HttpRequest, payload: HouseholdIn) -> Status[households.HouseholdDetail]:
    _microdata(request)
    created = household_services.household_create(
        user=access.request_user(request),
        village=_village(request, payload.village_code),
        code=payload.code,
        area=payload.area,
        address=payload.address,
        established_on=payload.established_on,
        members=[MemberData(**member.dict()) for member in payload.members],
    )
    return Status(
        201,
        _detail_recorded(
            request, households.household_get(user=access.request_user(request), code=created.code)
        ),
    )


@router.post(
    "/households/{code}/move",
    response=HouseholdDetailOut,
    summary="Record a household's move to another village",
)
def household_move(request: HttpRequest, code: HouseholdCode, payload: MoveIn) -> households.HouseholdDetail:
    household_services.household_move(
        user=access.request_user(request),
        household=_household(request, code),
        to_village=_village(request, payload.village_code),
        on=payload.on,
    )
    return household_detail(request, code)


@router.post(
    "/households/{code}/split",
    response={201: HouseholdDetailOut},
    summary="Split members off into a new household",
)
def household_split(
    request: HttpRequest, code: HouseholdCode, payload: SplitIn
) -> Status[households.HouseholdDetail]:
    new = household_services.household_split(
        user=access.request_user(request),
        household=_household(request, code),
        member_ids=payload.member_ids,
        new_code=payload.new_code,
        new_head_id=payload.new_head_id,
        on=payload.on,
    )
    return Status(201, household_detail(request, new.code))


@router.post(
    "/households/{code}/merge", response=HouseholdDetailOut, summary="Merge a household into another"
)
def household_merge(
    request: HttpRequest, code: HouseholdCode, payload: MergeIn
) -> households.HouseholdDetail:
    into = household_services.household_merge(
        user=access.request_user(request),
        household=_household(request, code),
        into=_household(request, payload.into_code),
        on=payload.on,
    )
    return household_detail(request, into.code)


@router.get("/review-cycles", response=list[ReviewCycleOut], summary="Review cycles in the caller's scope")
def review_cycle_list(request: HttpRequest) -> list[ReviewCycle]:
    return list(reviews.review_cycle_list(user=access.request_user(request)))


@router.post("/review-cycles", response={201: ReviewCycleOut}, summary="Open a province's review for a year")
def review_cycle_open(request: HttpRequest, payload: ReviewCycleIn) -> Status[ReviewCycle]:
    user = access.request_user(request)
    province = geo_selectors.unit_get(user=user, era=Era.CURRENT, code=payload.province_code)
    cycle = review_services.review_cycle_open(
        user=user, province=province, year=payload.year, standard_identifier=payload.standard
    )
    return Status(201, cycle)


@router.get(
    "/review-cycles/{cycle_id}/communes",
    response=list[CommuneReviewOut],
    summary="Communes of a review and their state",
)
def commune_review_list(request: HttpRequest, cycle_id: Id) -> list[CommuneReview]:
    user = access.request_user(request)
    cycle = reviews.review_cycle_get(user=user, cycle_id=cycle_id)
    return list(reviews.commune_review_list(user=user, cycle=cycle))


def _commune_review(request: HttpRequest, cycle_id: int, commune_code: str) -> CommuneReview:
    user = access.request_user(request)
    cycle = reviews.review_cycle_get(user=user, cycle_id=cycle_id)
    return reviews.commune_review_get(user=user, cycle=cycle, commune_code=commune_code)


@router.post(
    "/review-cycles/{cycle_id}/communes/{commune_code}/{action}",
    response=CommuneReviewOut,
    summary="Submit, recall, approve, return or re-open a commune's review",
)
def commune_review_action(
    request: HttpRequest, cycle_id: Id, commune_code: UnitCode, action: ReviewAction, payload: ReasonIn
) -> CommuneReview:
    user = access.request_user(request)
    review = _commune_review(request, cycle_id, commune_code)
    if action == "submit":
        return review_services.commune_review_submit(user=user, review=review)
    if action == "recall":
        return review_services.commune_review_recall(user=user, review=review, reason=payload.reason)
    if action == "approve":
        return review_services.commune_review_approve(user=user, review=review)
    if action == "return":
        return review_services.commune_review_return(user=user, review=review, reason=payload.reason)
    if action == "reopen":
        return review_services.commune_review_reopen(user=user, review=review, reason=payload.reason)
    assert_never(action)


@router.put(
    "/review-cycles/{cycle_id}/households/{code}/answers",
    response=HouseholdDetailOut,
    summary="Record a household's answers in an open review and classify it",
)
def household_answers(
    request: HttpRequest, cycle_id: Id, code: HouseholdCode, payload: AnswersIn
) -> households.HouseholdDetail:
    _microdata(request)
    user = access.request_user(request)
    household = households.household_get(user=user, code=code).household
    if household.village.parent is None:
        raise NotFoundError(code)
    review = _commune_review(request, cycle_id, household.village.parent.code)
    assessments.assessment_record(user=user, review=review, household=household, answers=payload.answers)
    return household_detail(request, code)


@router.get(
    "/review-cycles/{cycle_id}/results", response=ResultsOut, summary="Rates by commune and ethnic group"
)
def review_results(request: HttpRequest, cycle_id: Id) -> dict[str, object]:
    user = access.request_user(request)
    cycle = reviews.review_cycle_get(user=user, cycle_id=cycle_id)
    figures = results.review_results(user=user, cycle=cycle)
    return {
        "year": cycle.year,
        "final": reviews.cycle_states(cycle=cycle).is_final,
        "total": _rate(figures.total),
        "by_commune": [_rate(rate) for rate in figures.by_commune],
        "by_ethnic_group": [_rate(rate) for rate in figures.by_ethnic_group],
    }


def _rate(rate: results.Rate) -> dict[str, object]:
    return {
        "key": rate.key,
        "label": rate.label,
        "assessed": rate.assessed,
        "poor": rate.poor,
        "near_poor": rate.near_poor,
        "poverty_rate": rate.poverty_rate,
        "near_poverty_rate": rate.near_poverty_rate,
    }


@router.get("/changes", response=ChangesOut, summary="Flows between two approved reviews of a province")
def changes_between(request: HttpRequest, earlier: Id, later: Id) -> dict[str, object]:
    _microdata(request)
    user = access.request_user(request)
    found = changes.changes_between(
        user=user,
        earlier=reviews.review_cycle_get(user=user, cycle_id=earlier),
        later=reviews.review_cycle_get(user=user, cycle_id=later),
    )
    return {
        "earlier_year": found.earlier.year,
        "later_year": found.later.year,
        "totals": dict(found.totals),
        "by_group": {
            grouping: {key: dict(counts) for key, counts in groups.items()}
            for grouping, groups in found.by_group.items()
        },
        "names": found.names,
        "left_out_communes": found.left_out_communes,
    }
