"""Completeness of the annual review: a commune has reported when its result stands submitted or
approved, on the day it last submitted it, with its households assessed of those registered; a province,
when every commune is approved, on the day of the last approval."""

import datetime

import pytest
from django.utils import timezone

from tests.conftest import BA_CHE, QUANG_NINH, TIEN_YEN, current_unit
from tests.indicators.helpers import national_admin
from vungcao.accounts.models import User
from vungcao.engine.indicators.completeness import ReportStatus
from vungcao.geo.services.villages import village_create
from vungcao.indicators.models import ReportingPeriod
from vungcao.indicators.selectors.completeness import period_completeness
from vungcao.registry.models import Assessment, CommuneReview, Household, ReviewCycle, ReviewEvent
from vungcao.registry.rollups import review_rollups_refresh

pytestmark = pytest.mark.django_db

DEADLINE = datetime.date(2025, 12, 14)


def step(review: CommuneReview, action: str, day: datetime.date, state: str) -> None:
    event = ReviewEvent.objects.create(commune_review=review, action=action)
    ReviewEvent.objects.filter(pk=event.pk).update(
        created_at=timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 15))
    )
    CommuneReview.objects.filter(pk=review.pk).update(state=state)


@pytest.fixture
def cycle() -> ReviewCycle:
    """Ba Chẽ: 3 households registered (one dissolved), 2 assessed, submitted on the deadline then
    approved; Tiên Yên: submitted after the deadline, returned, submitted again."""
    province = current_unit(QUANG_NINH)
    cycle = ReviewCycle.objects.create(province=province, year=2025, standard_identifier="vn-2022-2025")
    ba_che = CommuneReview.objects.create(cycle=cycle, commune=current_unit(BA_CHE))
    village = village_create(user=national_admin(), commune=current_unit(BA_CHE), name="Thôn Thử")
    households = [
        Household.objects.create(code=f"T-{number}", village=village, area="rural", head_ethnic_group="09")
        for number in range(4)
    ]
    Household.objects.filter(pk=households[3].pk).update(dissolved_on=datetime.date(2025, 1, 1))
    for household in households[:2]:
        Assessment.objects.create(
            cycle=cycle,
            year=2025,
            household=household,
            commune_review=ba_che,
            area="rural",
            income_per_capita_month=1_000_000,
        )
    review_rollups_refresh([ba_che.pk], households=[household.pk for household in households[:2]])
    step(ba_che, "submitted", DEADLINE, "submitted")
    step(ba_che, "approved", DEADLINE + datetime.timedelta(days=2), "approved")
    tien_yen = CommuneReview.objects.create(cycle=cycle, commune=current_unit(TIEN_YEN))
    step(tien_yen, "submitted", DEADLINE + datetime.timedelta(days=1), "submitted")
    step(tien_yen, "returned", DEADLINE + datetime.timedelta(days=3), "returned")
    return cycle


def test_communes_of_the_review_by_their_submission(cycle: ReviewCycle, province_officer: User) -> None:
    period = ReportingPeriod.objects.create(
        subject="review", year=2025, level="commune", era="current", owner=cycle.province, deadline=DEADLINE
    )

    found = period_completeness(user=province_officer, period=period, today=datetime.date(2026, 1, 5))

    rows = {row.unit.code: row for row in found.rows}
    assert rows[BA_CHE].status is ReportStatus.REPORTED
    assert rows[BA_CHE].reported_on == DEADLINE
    assert rows[BA_CHE].review is not None
    assert (rows[BA_CHE].review.assessed, rows[BA_CHE].review.registered) == (2, 3)
    assert rows[BA_CHE].review.state_label == "Đã phê duyệt"
    # Returned after a late submission: nothing stands submitted, so it is missing
    assert rows[TIEN_YEN].status is ReportStatus.MISSING
    # Resubmitted, it is late
    step(
        CommuneReview.objects.get(commune__code=TIEN_YEN), "submitted", datetime.date(2026, 1, 2), "submitted"
    )
    again = period_completeness(user=province_officer, period=period, today=datetime.date(2026, 1, 5))
    assert {row.unit.code: row.reported_on for row in again.of_status(ReportStatus.LATE)} == {
        TIEN_YEN: datetime.date(2026, 1, 2)
    }


def test_a_province_reports_when_its_last_commune_is_approved(cycle: ReviewCycle) -> None:
    period = ReportingPeriod.objects.create(
        subject="review", year=2025, level="province", era="current", deadline=datetime.date(2025, 12, 20)
    )
    today = datetime.date(2026, 1, 5)

    def status() -> ReportStatus:
        found = period_completeness(user=national_admin(), period=period, today=today)
        assert len(found.rows) == 34
        return {row.unit.code: row.status for row in found.rows}[QUANG_NINH]

    assert status() is ReportStatus.MISSING
    step(
        CommuneReview.objects.get(commune__code=TIEN_YEN), "approved", datetime.date(2025, 12, 19), "approved"
    )
    assert status() is ReportStatus.REPORTED
