"""The registry's demo data: synthetic, idempotent, classified by the engine, three review years."""

from collections import Counter, defaultdict

import pytest
from django.db.models import Count, Q

from tests.conftest import BA_CHE, DIEN_BIEN, MUONG_PHANG, QUANG_NINH
from vungcao.accounts.models import Role
from vungcao.registry import classification
from vungcao.registry.demo import demo_plan, registry_demo_ensure
from vungcao.registry.identity import reveal
from vungcao.registry.models import (
    Assessment,
    CommuneReview,
    Household,
    HouseholdEvent,
    Member,
    ReviewCycle,
    ReviewEvent,
)

pytestmark = pytest.mark.django_db

TINY = {"households_per_commune": 30, "communes_per_province": 2}
POOR = "poor"


@pytest.fixture
def demo(make_user) -> str:
    make_user("qn-officer", Role.PROVINCE_OFFICER, QUANG_NINH)
    make_user("db-officer", Role.PROVINCE_OFFICER, DIEN_BIEN)
    make_user("bache-officer", Role.COMMUNE_OFFICER, BA_CHE)
    return registry_demo_ensure(**TINY)


def _counts() -> tuple[int, ...]:
    return (
        Household.objects.count(),
        Member.objects.count(),
        HouseholdEvent.objects.count(),
        Assessment.objects.count(),
        ReviewCycle.objects.count(),
        CommuneReview.objects.count(),
        ReviewEvent.objects.count(),
    )


def test_given_the_demo_when_ensured_again_then_nothing_is_added_or_changed(demo) -> None:
    before = _counts()
    stamps = list(Assessment.objects.order_by("pk").values_list("pk", "status", "updated_at"))
    again = registry_demo_ensure(**TINY)
    assert "nothing added" in again
    assert _counts() == before
    assert list(Assessment.objects.order_by("pk").values_list("pk", "status", "updated_at")) == stamps


def test_given_a_seed_then_the_plan_is_the_same_every_time() -> None:
    first = demo_plan(seed=7, households_per_commune=20, communes_per_province=1)
    second = demo_plan(seed=7, households_per_commune=20, communes_per_province=1)
    other = demo_plan(seed=8, households_per_commune=20, communes_per_province=1)
    assert [(h.commune, h.number, h.members, h.answers) for h in first.households] == [
        (h.commune, h.number, h.members, h.answers) for h in second.households
    ]
    assert [h.answers for h in first.households] != [h.answers for h in other.households]


def test_given_the_demo_then_every_household_is_synthetic_with_exactly_one_current_head(demo) -> None:
    assert "synthetic households" in demo
    households = Household.objects.all()
    assert households.count() >= 4 * 25
    assert not households.filter(is_synthetic=False).exists()
    heads = households.annotate(
        heads=Count("members", filter=Q(members__relation_to_head="head", members__left_on__isnull=True))
    )
    open_households = heads.filter(dissolved_on__isnull=True)
    assert set(open_households.values_list("heads", flat=True)) == {1}
    assert {code[:2] for code in households.values_list("village__parent__parent__code", flat=True)} == {
        QUANG_NINH,
        DIEN_BIEN,
    }
    for household in households.filter(dissolved_on__isnull=True).prefetch_related("members")[:50]:
        head = next(m for m in household.members.all() if m.relation_to_head == "head" and not m.left_on)
        assert household.head_ethnic_group == head.ethnic_group


def test_given_the_demo_then_identity_numbers_are_twelve_digits_and_never_shared(demo) -> None:
    current = Member.objects.filter(left_on__isnull=True).exclude(identity_digest="")
    assert current.exists()
    digests = list(current.values_list("identity_digest", flat=True))
    assert len(digests) == len(set(digests))
    assert all(
        len(last) == 3 and last.isdigit() for last in current.values_list("identity_last_digits", flat=True)
    )
    assert all(len(reveal(e)) == 12 for e in current.values_list("identity_encrypted", flat=True)[:20])


def test_given_the_demo_then_every_status_is_the_engines_answer_to_the_stored_answers(demo) -> None:
    by_standard: dict[str, list[Assessment]] = defaultdict(list)
    for assessment in Assessment.objects.all():
        by_standard[assessment.standard_identifier].append(assessment)
    assert set(by_standard) == {"qn-2023-2025", "vn-2022-2025"}
    for identifier, assessments in by_standard.items():
        rows = [
            {"area": a.area, "income_per_capita_month": a.income_per_capita_month, **a.answers}
            for a in assessments
        ]
        results, report = classification.classify_rows(identifier, rows)
        assert report.ok
        assert [(r.status, r.deprivation_count, r.deprived_mask, r.income_threshold) for r in results] == [
            (a.status, a.deprivation_count, a.deprived_mask, a.income_threshold) for a in assessments
        ]
        assert {a.standard_digest for a in assessments} == {classification.standard_digest(identifier)}


def test_given_the_demo_then_2023_and_2024_are_approved_in_every_seeded_commune(demo) -> None:
    seeded = set(Household.objects.values_list("village__parent_id", flat=True))
    for year in (2023, 2024):
        reviews = CommuneReview.objects.filter(cycle__year=year)
        assert set(reviews.values_list("commune_id", flat=True)) == seeded
        assert set(reviews.values_list("state", flat=True)) == {"approved"}
        for review in reviews:
            actions = list(review.events.order_by("created_at", "pk").values_list("action", flat=True))
            assert actions == ["opened", "submitted", "approved"]
            assert review.events.get(action="approved").user.role == Role.PROVINCE_OFFICER
            assert review.events.get(action="approved").created_at.year == year
            living = Household.objects.filter(village__parent=review.commune, established_on__year__lte=year)
            assert review.assessments.count() == living.exclude(dissolved_on__year__lte=year).count()


def test_given_the_demo_then_2025_is_open_with_communes_open_submitted_and_one_returned(demo) -> None:
    reviews = CommuneReview.objects.filter(cycle__year=2025).select_related("commune")
    states = Counter(reviews.values_list("state", flat=True))
    assert states == {"open": 2, "submitted": 1, "returned": 1}
    returned = reviews.get(state="returned")
    event = returned.events.get(action="returned")
    assert event.reason.strip()
    assert [e.action for e in returned.events.order_by("created_at", "pk")] == [
        "opened",
        "submitted",
        "returned",
    ]
    for review in reviews.filter(commune__code__in=[BA_CHE, MUONG_PHANG]):
        assert review.state == "open"
        households = Household.objects.filter(
            village__parent=review.commune, dissolved_on__isnull=True
        ).count()
        assert 0 < review.assessments.count() < households
    for review in reviews.filter(state__in=["submitted", "returned"]):
        assert (
            review.assessments.count()
            == Household.objects.filter(village__parent=review.commune, dissolved_on__isnull=True).count()
        )


def test_given_the_demo_then_households_escape_fall_in_split_and_dissolve_between_years(demo) -> None:
    status = {
        (household, year): value
        for household, year, value in Assessment.objects.values_list("household_id", "cycle__year", "status")
    }
    flows: Counter[str] = Counter()
    for (household, year), value in status.items():
        if year != 2023 or (household, 2024) not in status:
            continue
        before, after = value == POOR, status[household, 2024] == POOR
        flows["escaped" if before and not after else "fell_in" if after and not before else "other"] += 1
    assert flows["escaped"] >= 1
    assert flows["fell_in"] >= 1
    split = HouseholdEvent.objects.filter(kind="split_from")
    assert split.exists()
    assert all(event.other_household_id for event in split)
    dissolved = Household.objects.filter(dissolved_on__isnull=False)
    assert dissolved.exists()
    assert HouseholdEvent.objects.filter(kind="dissolved").count() == dissolved.count()
    for household in dissolved:
        assert not Assessment.objects.filter(
            household=household, cycle__year__gte=household.dissolved_on.year
        ).exists()
