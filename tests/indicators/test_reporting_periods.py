"""Reporting periods over the API: opened with the calendar's deadline, refused with every bad field,
read in scope; and each unit's status in a period, by the deadline, as the user may see it.

Given Quảng Ninh's communes asked for their 2024 count of communes with a hardened road by the calendar's
deadline (25 January 2025), when some enter it on time, one late and the rest never, then each is
reported, late or missing, and the province officer sees every commune, a commune officer only theirs.
"""

import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone, translation

from tests.conftest import BA_CHE, DIEN_BIEN, QUANG_NINH, TIEN_YEN, current_unit
from tests.indicators.helpers import entered, get, national_admin, post
from vungcao.accounts.models import Role, User
from vungcao.engine.indicators.completeness import ReportStatus
from vungcao.geo.models import AdministrativeUnit, Era, Level
from vungcao.indicators.models import IndicatorValue, ReportingPeriod
from vungcao.indicators.selectors.completeness import period_completeness
from vungcao.indicators.services.reporting_periods import (
    DUPLICATE_PERIOD,
    NATIONAL_PERIODS_NOT_ALLOWED,
    NOT_ENTERED,
    UNKNOWN_OWNER,
)

pytestmark = pytest.mark.django_db

PERIODS = "/api/v1/reporting-periods"
ROAD = "communes_with_hardened_road"
DEADLINE = datetime.date(2025, 1, 25)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment of Vietnam's day ``day`` (the report date is the local day)."""
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, minute))


def reported(code: str, when: datetime.datetime, value: int = 1) -> None:
    entered(ROAD, "current", code, 2024, value)
    IndicatorValue.objects.filter(indicator=ROAD, unit__code=code, year=2024).update(created_at=when)


def road_period(user: User) -> dict[str, object]:
    response = post(user, PERIODS, {"indicator": ROAD, "year": 2024, "owner_code": QUANG_NINH})
    assert response.status_code == 201, response.content
    return response.json()


def test_a_period_takes_the_calendars_deadline_and_source(province_officer: User) -> None:
    period = road_period(province_officer)
    assert {key: period[key] for key in ("subject", "indicator", "year", "level", "era", "owner_code")} == {
        "subject": "indicator",
        "indicator": ROAD,
        "year": 2024,
        "level": "commune",
        "era": "current",
        "owner_code": QUANG_NINH,
    }
    assert period["deadline"] == "2025-01-25"
    assert str(period["source"]).startswith("Thông tư 01/2022/TT-UBDT")


def test_a_review_period_with_its_own_deadline(province_officer: User) -> None:
    response = post(
        province_officer,
        PERIODS,
        {
            "subject": "review",
            "year": 2025,
            "owner_code": QUANG_NINH,
            "deadline": "10/12/2025",
            "source": "KH 12",
        },
    )
    assert response.status_code == 201, response.content
    assert (response.json()["deadline"], response.json()["source"], response.json()["indicator"]) == (
        "2025-12-10",
        "KH 12",
        None,
    )


def test_a_bad_period_is_refused_naming_every_field_and_nothing_is_written(province_officer: User) -> None:
    response = post(
        province_officer,
        PERIODS,
        {"indicator": "poverty_rate", "year": 1999, "owner_code": DIEN_BIEN, "deadline": "tomorrow"},
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    with translation.override("en"):  # the reader chose English
        assert errors["indicator"] == str(NOT_ENTERED)
        assert errors["owner_code"] == str(UNKNOWN_OWNER)
    assert errors["year"] == "A year between 2000 and 2100 is required."
    assert errors["deadline"] == "Not a date; write it as 2024-03-01 or 01/03/2024."
    national = post(province_officer, PERIODS, {"indicator": ROAD, "year": 2024, "level": "province"})
    with translation.override("en"):  # the reader chose English
        assert national.json()["errors"] == {"level": str(NATIONAL_PERIODS_NOT_ALLOWED)}
    road_period(province_officer)
    again = post(province_officer, PERIODS, {"indicator": ROAD, "year": 2024, "owner_code": QUANG_NINH})
    with translation.override("en"):  # the reader chose English
        assert again.json()["errors"] == {"year": str(DUPLICATE_PERIOD)}
    assert ReportingPeriod.objects.count() == 1


def test_a_commune_officer_may_not_open_a_period(commune_officer: User) -> None:
    response = post(commune_officer, PERIODS, {"indicator": ROAD, "year": 2024, "owner_code": QUANG_NINH})
    assert response.status_code == 403
    assert not ReportingPeriod.objects.exists()


def test_periods_are_read_in_scope(province_officer: User, make_user: Callable[..., User]) -> None:
    road_period(province_officer)
    national = post(national_admin(), PERIODS, {"indicator": ROAD, "year": 2024, "level": "province"})
    assert national.status_code == 201, national.content
    dien_bien = make_user("dienbien-officer", Role.PROVINCE_OFFICER, DIEN_BIEN)

    def owners(user: User) -> list[str | None]:
        return [item["owner_code"] for item in get(user, PERIODS).json()["items"]]

    assert owners(province_officer) == [QUANG_NINH, None]
    assert owners(dien_bien) == [None]


def test_each_commune_is_reported_late_or_missing_by_the_deadline(
    province_officer: User, commune_officer: User
) -> None:
    period = ReportingPeriod.objects.get(pk=road_period(province_officer)["id"])
    reported(BA_CHE, at(DEADLINE, 23, 30))  # on the deadline's day, late in the evening: on time
    reported(TIEN_YEN, at(DEADLINE + datetime.timedelta(days=1), 0, 10))  # ten minutes past midnight: late

    found = period_completeness(user=province_officer, period=period, today=datetime.date(2025, 2, 1))

    communes = AdministrativeUnit.objects.filter(
        era=Era.CURRENT, level=Level.COMMUNE, path__startswith="current/22/"
    )
    statuses = {row.unit.code: row.status for row in found.rows}
    assert len(statuses) == communes.count() == 54
    assert statuses[BA_CHE] is ReportStatus.REPORTED
    assert statuses[TIEN_YEN] is ReportStatus.LATE
    assert found.counts == {
        ReportStatus.REPORTED: 1,
        ReportStatus.LATE: 1,
        ReportStatus.MISSING: 52,
        ReportStatus.NOT_DUE: 0,
    }
    late = found.of_status(ReportStatus.LATE)[0]
    assert (late.reported_on, late.value) == (DEADLINE + datetime.timedelta(days=1), 1)
    # Before the deadline has passed, a commune without a value is not yet due
    early = period_completeness(user=province_officer, period=period, today=DEADLINE)
    assert early.counts[ReportStatus.NOT_DUE] == 52
    # A commune officer sees their own commune only
    own = period_completeness(user=commune_officer, period=period, today=datetime.date(2025, 2, 1))
    assert [(row.unit.code, row.status) for row in own.rows] == [(BA_CHE, ReportStatus.REPORTED)]


def test_the_completeness_api_and_page(province_officer: User) -> None:
    period_id = road_period(province_officer)["id"]
    reported(BA_CHE, at(DEADLINE, 9))

    response = get(province_officer, f"{PERIODS}/{period_id}/completeness")

    assert response.status_code == 200
    body = response.json()
    assert body["counts"]["reported"] == 1
    assert body["counts"]["missing"] == 53
    assert {
        "unit_code": BA_CHE,
        "unit_name": current_unit(BA_CHE).name,
        "status": "reported",
    }.items() <= next(unit for unit in body["units"] if unit["unit_code"] == BA_CHE).items()
    page = get(province_officer, "/indicators/completeness/", language="vi", period=period_id)
    assert page.status_code == 200
    text = page.content.decode()
    assert "25/01/2025" in text
    assert "chưa báo cáo, đã quá hạn" in text
    listing = get(province_officer, "/indicators/completeness/", language="vi")
    assert f"?period={period_id}" in listing.content.decode()
    assert get(province_officer, "/indicators/completeness/", period="99999").status_code == 404


def test_another_provinces_period_is_not_found(
    province_officer: User, make_user: Callable[..., User]
) -> None:
    period_id = road_period(province_officer)["id"]
    dien_bien = make_user("dienbien-officer", Role.PROVINCE_OFFICER, DIEN_BIEN)

    assert get(dien_bien, f"{PERIODS}/{period_id}/completeness").status_code == 404
    assert get(dien_bien, "/indicators/completeness/", period=period_id).status_code == 404


def test_a_deadline_out_of_range_is_refused(province_officer: User) -> None:
    response = post(
        province_officer,
        PERIODS,
        {"indicator": ROAD, "year": 2024, "owner_code": QUANG_NINH, "deadline": "01/01/1800"},
    )
    assert response.json()["errors"] == {"deadline": "A date between 01/01/1900 and 31/12/2100 is required."}
    assert not ReportingPeriod.objects.exists()
