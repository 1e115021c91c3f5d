"""API schemas of households, reviews, results and changes. Identity numbers are masked unless the
caller's role needs them; aggregate outputs never carry them."""

import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import StrictFloat

from vungcao.common.bounds import Day, Id, Year, column, text
from vungcao.engine.money import MAX_AMOUNT_VND
from vungcao.geo.schemas import UnitCode
from vungcao.registry.fields import api_choice
from vungcao.registry.models import Household, Member, ReviewCycle

HouseholdCode = Annotated[str, column(Household, "code", min_length=1)]
StandardIdentifier = Annotated[str, column(ReviewCycle, "standard_identifier")]
AnswerNumber = Annotated[int, Field(ge=-MAX_AMOUNT_VND, le=MAX_AMOUNT_VND)]
AnswerDecimal = Annotated[StrictFloat, Field(ge=-MAX_AMOUNT_VND, le=MAX_AMOUNT_VND, allow_inf_nan=False)]
"""An answer's number (an income in dong, a count, an area): within the money bound either way."""


class MemberOut(Schema):
    """Read from a ``MemberView``: the member and the identity number as the caller may see it."""

    id: int = Field(alias="member.pk")
    full_name: str = Field(alias="member.full_name")
    sex: str = Field(alias="member.sex")
    birth_year: int = Field(alias="member.birth_year")
    ethnic_group: str = Field(alias="member.ethnic_group")
    relation_to_head: str = Field(alias="member.relation_to_head")
    identity_number: str = Field(
        description="Masked (•••…123) unless the caller's role needs the whole number"
    )
    schooling: str = Field(alias="member.schooling")
    has_health_insurance: bool = Field(alias="member.has_health_insurance")
    has_disability: bool = Field(alias="member.has_disability")
    work: str = Field(alias="member.work")


class HouseholdOut(Schema):
    code: str
    village_code: str = Field(alias="village.code")
    commune_code: str = Field(alias="village.parent.code")
    address: str
    area: str
    head_ethnic_group: str
    dissolved_on: datetime.date | None
    is_synthetic: bool


class AssessmentOut(Schema):
    """Read from an ``AssessmentView``: the stored result, the deprived indicators and the explanation."""

    year: int = Field(alias="assessment.cycle.year")
    standard: str = Field(alias="assessment.standard_identifier")
    status: str = Field(alias="assessment.status")
    deprivation_count: int | None = Field(alias="assessment.deprivation_count")
    deprived: list[str]
    income_per_capita_month: int = Field(alias="assessment.income_per_capita_month")
    income_threshold: int | None = Field(alias="assessment.income_threshold")
    explanation: str
    answers: dict[str, object] = Field(alias="assessment.answers")


class HouseholdDetailOut(Schema):
    """Read from a ``HouseholdDetail``: the household, its current members and its status by year."""

    code: str = Field(alias="household.code")
    village_code: str = Field(alias="household.village.code")
    commune_code: str = Field(alias="household.village.parent.code")
    address: str = Field(alias="household.address")
    area: str = Field(alias="household.area")
    head_ethnic_group: str = Field(alias="household.head_ethnic_group")
    dissolved_on: datetime.date | None = Field(alias="household.dissolved_on")
    is_synthetic: bool = Field(alias="household.is_synthetic")
    members: list[MemberOut]
    assessments: list[AssessmentOut]


class MemberIn(Schema):
    """A member as the household form and the questionnaire read it (``registry.fields``); the household
    and member rules are checked by the service (``engine.households``)."""

    full_name: Annotated[str, column(Member, "full_name", min_length=1)]
    sex: api_choice("sex")  # type: ignore[valid-type]
    birth_year: Year
    ethnic_group: str = Field(pattern=r"^\d{2}$", description="Statistics office code, 01–54")
    relation_to_head: api_choice("relation_to_head")  # type: ignore[valid-type]
    identity_number: Annotated[str, text(20)] = Field(
        default="", description="12 digits (personal identity number) or 9 (old identity card)"
    )
    schooling: api_choice("schooling", blank=True) = ""  # type: ignore[valid-type]
    has_health_insurance: bool = False
    has_disability: bool = False
    work: api_choice("work", blank=True) = ""  # type: ignore[valid-type]


class HouseholdIn(Schema):
    code: HouseholdCode
    village_code: UnitCode
    area: api_choice("area")  # type: ignore[valid-type]
    address: Annotated[str, column(Household, "address")] = ""
    established_on: Day | None = None
    members: list[MemberIn] = Field(min_length=1, max_length=100)


class MoveIn(Schema):
    village_code: UnitCode
    on: Day


class SplitIn(Schema):
    member_ids: list[Id] = Field(min_length=1, max_length=100)
    new_code: HouseholdCode
    new_head_id: Id
    on: Day


class MergeIn(Schema):
    into_code: HouseholdCode
    on: Day


class ReviewCycleOut(Schema):
    id: int
    province_code: str = Field(alias="province.code")
    year: int
    standard: str = Field(alias="standard_identifier")


class ReviewCycleIn(Schema):
    province_code: UnitCode
    year: Year
    standard: StandardIdentifier | None = None


class CommuneReviewOut(Schema):
    commune_code: str = Field(alias="commune.code")
    commune_name: str = Field(alias="commune.name")
    state: str


class ReasonIn(Schema):
    reason: Annotated[str, text(2000)] = ""


class AnswersIn(Schema):
    answers: dict[
        Annotated[str, text(100)], Annotated[str, text(200)] | AnswerNumber | AnswerDecimal | bool | None
    ] = Field(max_length=200)


class RateOut(Schema):
    key: str
    label: str
    assessed: int
    poor: int
    near_poor: int
    poverty_rate: float | None
    near_poverty_rate: float | None


class ResultsOut(Schema):
    year: int
    final: bool
    total: RateOut
    by_commune: list[RateOut]
    by_ethnic_group: list[RateOut]


class ChangesOut(Schema):
    earlier_year: int
    later_year: int
    totals: dict[str, int]
    by_group: dict[str, dict[str, dict[str, int]]]
    names: dict[str, str] = Field(description="Names of the villages, communes and province, by code")
    left_out_communes: list[str]
