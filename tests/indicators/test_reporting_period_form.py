"""Opening a reporting period from the completeness page: the form for those who may, what is asked in
words, the calendar's deadline shown and filled in (again when what is asked or the year changes), each
problem under its field, a duplicate refused, nothing written when refused.

Given Quảng Ninh's province officer on the list of periods, when they open the 2025 review and then the
2025 values of communes with a hardened road, then each is stored with the calendar's deadline and its
source, and the period's page opens.
"""

import datetime
import html
from collections.abc import Callable

import pytest
from django.utils import translation

from tests.conftest import DIEN_BIEN, QUANG_NINH, client_for
from tests.indicators.helpers import national_admin, reading
from tests.indicators.test_pages import field_errors
from vungcao.accounts.models import User
from vungcao.engine.indicators.calendar import ReportingLevel, ReportSubject, default_deadline
from vungcao.indicators.models import ReportingPeriod
from vungcao.indicators.selectors.pages import this_year
from vungcao.indicators.services import REQUIRED
from vungcao.indicators.services.reporting_periods import DUPLICATE_PERIOD, NOT_ENTERED, UNKNOWN_OWNER

pytestmark = pytest.mark.django_db

LIST = "/indicators/completeness/"
NEW = "/indicators/completeness/new/"
DEADLINE = "/indicators/completeness/deadline/"
ROAD = "communes_with_hardened_road"


def opened(**fields: str) -> dict[str, str]:
    return {"asked": "review", "year": "2025", "owner_code": QUANG_NINH, "era": "current", **fields}


def test_the_form_is_offered_to_those_who_open_periods(
    province_officer: User, commune_officer: User, analyst: User
) -> None:
    body = html.unescape(reading(province_officer, "vi").get(LIST).content.decode())

    year = this_year()
    deadline, source = default_deadline(subject=ReportSubject.REVIEW, level=ReportingLevel.COMMUNE, year=year)
    assert 'id="period-form"' in body
    assert f'value="{deadline:%d/%m/%Y}"' in body  # the calendar's deadline of the review, this year
    assert source.vi in body
    assert f'value="{QUANG_NINH}"' in body
    assert "Rà soát hộ nghèo, hộ cận nghèo hằng năm" in body
    assert f'value="indicator:{ROAD}">Số xã có đường ô tô đến trung tâm xã được rải nhựa hoặc bê tông' in body
    assert 'value="indicator:poverty_rate"' not in body  # computed, never reported
    assert 'name="level"' not in body  # a province officer's communes report; not a choice
    for user in (commune_officer, analyst):
        assert 'id="period-form"' not in client_for(user).get(LIST).content.decode()
        assert client_for(user).post(NEW, opened()).status_code == 403
    assert not ReportingPeriod.objects.exists()


def test_a_period_is_opened_with_the_calendars_deadline_and_source(province_officer: User) -> None:
    client = reading(province_officer, "vi")
    deadline, source = default_deadline(
        subject=ReportSubject.INDICATOR, level=ReportingLevel.COMMUNE, year=2025
    )

    response = client.post(NEW, opened(asked=f"indicator:{ROAD}", deadline=f"{deadline:%d/%m/%Y}"))

    period = ReportingPeriod.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?period={period.pk}"
    assert (period.subject, period.indicator, period.year, period.owner.code, period.level) == (
        "indicator",
        ROAD,
        2025,
        QUANG_NINH,
        "commune",
    )
    assert (period.deadline, period.source) == (datetime.date(2026, 1, 25), source.vi)
    assert client.get(response["Location"]).status_code == 200


def test_a_deadline_of_its_own_keeps_the_document_named(province_officer: User) -> None:
    reading(province_officer, "vi").post(NEW, opened(deadline="10/12/2025", source="Kế hoạch 12/KH-UBND"))

    period = ReportingPeriod.objects.get()
    assert (period.subject, period.deadline, period.source) == (
        "review",
        datetime.date(2025, 12, 10),
        "Kế hoạch 12/KH-UBND",
    )


def test_a_refused_period_shows_each_problem_under_its_field(province_officer: User) -> None:
    """Given a computed indicator, another province, a year out of range and a date that is none, then each
    is named under its field and nothing is written."""
    body = (
        reading(province_officer, "en")
        .post(
            NEW,
            opened(asked="indicator:poverty_rate", owner_code=DIEN_BIEN, year="1999", deadline="=NOW()"),
        )
        .content.decode()
    )

    with translation.override("en"):
        assert field_errors(body) == {
            "asked": str(NOT_ENTERED),
            "owner_code": str(UNKNOWN_OWNER),
            "year": "A year between 2000 and 2100 is required.",
            "deadline": "Not a date; write it as 2024-03-01 or 01/03/2024.",
        }
    assert 'id="periods"' in body  # the list is still there above the form
    assert not ReportingPeriod.objects.exists()


def test_nothing_asked_is_refused(province_officer: User) -> None:
    body = reading(province_officer, "en").post(NEW, opened(asked="", year="")).content.decode()

    with translation.override("en"):
        assert field_errors(body) == {"asked": str(REQUIRED), "year": str(REQUIRED)}
    assert not ReportingPeriod.objects.exists()


def test_a_duplicate_period_is_refused_with_a_clear_message(province_officer: User) -> None:
    client = reading(province_officer, "en")
    client.post(NEW, opened())

    body = client.post(NEW, opened(deadline="01/12/2025")).content.decode()

    with translation.override("en"):
        assert field_errors(body) == {"year": str(DUPLICATE_PERIOD)}
    assert ReportingPeriod.objects.count() == 1


def test_a_national_administrator_chooses_who_reports(make_user: Callable[..., User]) -> None:
    client = reading(national_admin(), "vi")
    assert 'name="level"' in client.get(LIST).content.decode()

    response = client.post(NEW, opened(level="province", owner_code="", year="2025"))

    assert response.status_code == 302
    period = ReportingPeriod.objects.get()
    assert (period.level, period.owner, period.deadline) == ("province", None, datetime.date(2025, 12, 20))


def test_the_deadline_follows_what_is_asked_and_the_year(
    province_officer: User, commune_officer: User
) -> None:
    client = reading(province_officer, "vi")

    review = client.get(DEADLINE, {"asked": "review", "year": "2027"}).content.decode()
    road = client.get(DEADLINE, {"asked": f"indicator:{ROAD}", "year": "2027"}).content.decode()
    unknown = client.get(DEADLINE, {"asked": "=1+1", "year": "năm"}).content.decode()

    assert 'id="deadline-field"' in review
    assert 'value="14/12/2027"' in review
    assert 'value="25/01/2028"' in road
    assert "Thông tư 01/2022/TT-UBDT" in html.unescape(road)
    assert 'id="deadline-field"' in unknown
    assert 'name="deadline"' in unknown
    assert client_for(commune_officer).get(DEADLINE).status_code == 403
    # The boxes that change it ask for it again
    page = client.get(LIST).content.decode()
    assert page.count('hx-get="/indicators/completeness/deadline/"') == 2  # what is asked, and the year
