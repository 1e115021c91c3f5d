"""Households the user may see, filtered as the household list offers; one household with its history; a
commune's roster."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import NotFoundError
from vungcao.engine.poverty.explain import answers_shown, explain_household
from vungcao.geo import tree
from vungcao.geo.models import AdministrativeUnit, Level
from vungcao.registry import classification, identity
from vungcao.registry.models import Assessment, Household, HouseholdEvent, Member, ReviewCycle
from vungcao.registry.selectors.changes import FLOWS, household_flow_condition, with_statuses
from vungcao.registry.selectors.results import deprived_in


@dataclass(frozen=True)
class HouseholdFilter:
    unit: AdministrativeUnit | None = None
    year: int | None = None
    status: str | None = None
    ethnic_group: str | None = None
    deprived: str | None = None
    change: str | None = None
    search: str | None = None
    include_dissolved: bool = False


# The flows of ``changes`` a household can take from last year to the year shown.
CHANGES = tuple(flow for flow in FLOWS if flow != "dissolved")


def household_list(*, user: User, filters: HouseholdFilter) -> QuerySet[Household]:
    """Households in scope, with ``status`` (in ``filters.year``) and ``previous_status`` (the year before)."""
    households = access.restrict_households(
        Household.objects.all(), user, province_field="province"
    ).select_related("village", "village__parent")
    if not filters.include_dissolved:
        households = households.filter(dissolved_on__isnull=True)
    if filters.unit is not None and filters.unit.level == Level.PROVINCE:
        # The province kept with each household: its households in code order from the index on (province,
        # code), not found among the country's (docs/design/rollups.md).
        households = households.filter(province=filters.unit)
    elif filters.unit is not None:
        households = households.filter(tree.in_subtree(filters.unit, "village"))
    if filters.ethnic_group:
        households = households.filter(head_ethnic_group=filters.ethnic_group)
    if filters.search and filters.search.strip():
        text = filters.search.strip()
        households = households.filter(
            Q(code__icontains=text) | Q(address__icontains=text) | Q(members__full_name__icontains=text)
        ).distinct()
    if filters.year is None:
        return households.order_by("code")
    households = with_statuses(
        households,
        later=Q(assessments__year=filters.year),
        earlier=Q(assessments__year=filters.year - 1),
    )
    if filters.status:
        households = households.filter(Q(status=filters.status))  # an annotation of with_statuses
    if filters.deprived:
        households = households.filter(_deprived_in(filters.year, filters.deprived))
    if filters.change and filters.change in CHANGES:
        households = households.filter(
            household_flow_condition(filters.change, earlier_year=filters.year - 1)
        )
    return households.order_by("code")


def _deprived_in(year: int, indicator: str) -> Q:
    """Deprived in ``indicator`` in ``year``, on the year's assessment joined by ``with_statuses``: the
    bit of the indicator in each cycle's own standard."""
    cycles_by_bit: dict[int, list[int]] = defaultdict(list)
    for cycle in ReviewCycle.objects.filter(year=year):
        identifiers = [
            item.identifier for item in classification.standard(cycle.standard_identifier).indicators
        ]
        if indicator in identifiers:
            cycles_by_bit[1 << identifiers.index(indicator)].append(cycle.pk)
    condition = Q(pk__in=[])
    for bit, cycles in cycles_by_bit.items():
        condition |= Q(later_assessment__cycle__in=cycles) & deprived_in(
            "later_assessment__deprived_mask", bit
        )
    return condition


@dataclass(frozen=True)
class MemberView:
    member: Member
    identity_number: str


@dataclass(frozen=True)
class AssessmentView:
    assessment: Assessment
    deprived: list[str]
    explanation: str
    status_label: str
    deprived_labels: list[str]
    # The standard's name, and every answer as (question, answer) in the reader's language.
    standard_name: str = ""
    answers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class HouseholdDetail:
    household: Household
    members: list[MemberView]
    former_members: list[MemberView]
    assessments: list[AssessmentView]
    events: list[HouseholdEvent]


def household_get(*, user: User, code: str, language: str = "vi") -> HouseholdDetail:
    """One household in scope, with members (identity numbers masked unless the role needs them),
    its answers and status by year with the explanation, and its history."""
    household = (
        access.restrict_households(Household.objects.select_related("village", "village__parent"), user)
        .filter(code=code)
        .first()
    )
    if household is None:
        raise NotFoundError(f"household {code}")
    reveal = access.can_see_identity_numbers(user)
    views = [
        MemberView(
            member,
            identity.reveal(member.identity_encrypted)
            if reveal
            else identity.masked(member.identity_last_digits),
        )
        for member in household.members.order_by("left_on", "pk")
    ]
    return HouseholdDetail(
        household=household,
        members=[view for view in views if view.member.left_on is None],
        former_members=[view for view in views if view.member.left_on is not None],
        assessments=[
            assessment_view(assessment, language)
            for assessment in household.assessments.select_related("cycle").order_by("-cycle__year")
        ],
        events=list(household.events.select_related("other_household", "from_village", "to_village")),
    )


def assessment_view(assessment: Assessment, language: str) -> AssessmentView:
    identifier = assessment.standard_identifier or assessment.cycle.standard_identifier
    answers = {
        "area": assessment.area,
        "income_per_capita_month": assessment.income_per_capita_month,
        **assessment.answers,
    }
    rule = classification.standard(identifier)
    explanation = explain_household(answers, rule, language) if assessment.status else ""
    deprived = classification.deprived_indicators(identifier, assessment.deprived_mask)
    return AssessmentView(
        assessment=assessment,
        deprived=deprived,
        explanation=explanation,
        status_label=rule.status_label(assessment.status).in_language(language) if assessment.status else "",
        deprived_labels=[rule.indicator(name).label.in_language(language) for name in deprived],
        standard_name=rule.name.in_language(language),
        answers=tuple(answers_shown(answers, rule, language)),
    )


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """A household as the commune's roster names it (danh sách hộ): never its members' identity numbers,
    years of birth, answers or status."""

    code: str
    village_code: str
    head_name: str  # the current member who is the head; empty when none
    area: str


def household_roster(*, user: User, commune: AdministrativeUnit) -> list[RosterEntry]:
    """The current households of the commune's current villages that the user may see, by code, read in
    one query whatever their number."""
    head_name = (
        Member.objects.filter(
            household=OuterRef("pk"), left_on__isnull=True, relation_to_head=Member.Relation.HEAD
        )
        .order_by("pk")
        .values("full_name")[:1]
    )
    households = access.restrict_households(Household.objects.all(), user).filter(
        village__parent=commune, village__valid_to__isnull=True, dissolved_on__isnull=True
    )
    rows = (
        households.annotate(head_name=Subquery(head_name))
        .order_by("code")
        .values_list("code", "village__code", "head_name", "area")
    )
    return [RosterEntry(code, village_code, head or "", area) for code, village_code, head, area in rows]
