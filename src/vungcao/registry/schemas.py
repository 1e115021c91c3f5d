"""API schemas of households, reviews, results and changes. Identity numbers are masked unless the
caller's role needs them; aggregate outputs never carry them."""

import datetime
from typing import Literal

from ninja import Field, Schema


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
    full_name: str = Field(min_length=1, max_length=120)
    sex: Literal["male", "female"]
    birth_year: int = Field(ge=1900)
    ethnic_group: str = Field(pattern=r"^\d{2}$", description="Statistics office code, 01–54")
    relation_to_head: Literal["head", "spouse", "child", "parent", "grandchild", "sibling", "other"]
    identity_number: str = ""
    schooling: Literal[
        "", "none", "preschool", "primary", "lower_secondary", "upper_secondary", "vocational", "higher"
    ] = ""
    has_health_insurance: bool = False
    has_disability: bool = False
    work: Literal[
        "",
        "wage_with_contract",
        "wage_without_contract",
        "own_farm",
        "own_business",
        "unemployed",
        "student",
        "not_working",
    ] = ""


class HouseholdIn(Schema):
    code: str = Field(min_length=1, max_length=40)
    village_code: str
    area: Literal["rural", "urban"]
    address: str = ""
    established_on: datetime.date | None = None
    members: list[MemberIn] = Field(min_length=1)


class MoveIn(Schema):
    village_code: str
    on: datetime.date


class SplitIn(Schema):
    member_ids: list[int] = Field(min_length=1)
    new_code: str = Field(min_length=1, max_length=40)
    new_head_id: int
    on: datetime.date


class MergeIn(Schema):
    into_code: str
    on: datetime.date


class ReviewCycleOut(Schema):
    id: int
    province_code: str = Field(alias="province.code")
    year: int
    standard: str = Field(alias="standard_identifier")


class ReviewCycleIn(Schema):
    province_code: str
    year: int
    standard: str | None = None


class CommuneReviewOut(Schema):
    commune_code: str = Field(alias="commune.code")
    commune_name: str = Field(alias="commune.name")
    state: str


class ReasonIn(Schema):
    reason: str = ""


class AnswersIn(Schema):
    answers: dict[str, str | int | float | bool | None]


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
