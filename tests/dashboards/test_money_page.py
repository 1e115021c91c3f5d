"""The money page opens on the whole country for national users, with the provinces listed."""

import pytest

from tests.conftest import QUANG_NINH, client_for
from tests.dashboards.conftest import YEAR

pytestmark = pytest.mark.django_db


def test_the_money_page_opens_on_the_whole_country_for_a_national_user(small_country, analyst) -> None:
    response = client_for(analyst).get(f"/programs/?from_year={YEAR}&to_year={YEAR}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "1.500.000.000" in html  # allocated in the country
    assert 'id="by-unit"' in html
    assert "Quảng Ninh" in html
    assert "Tuyên Quang" in html
    assert f"unit={QUANG_NINH}" in html  # each province opens its own page


def test_a_province_of_the_national_view_opens_with_a_way_back(small_country, analyst) -> None:
    html = (
        client_for(analyst)
        .get(f"/programs/?unit={QUANG_NINH}&from_year={YEAR}&to_year={YEAR}")
        .content.decode()
    )
    assert 'id="whole-country"' in html
    assert "1.000.000.000" in html


def test_a_province_officer_still_opens_on_their_province(small_country, province_officer) -> None:
    response = client_for(province_officer).get(f"/programs/?from_year={YEAR}&to_year={YEAR}")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="whole-country"' not in html
    assert "Tuyên Quang" not in html


def test_the_country_in_the_former_era_answers(analyst) -> None:
    assert client_for(analyst).get("/programs/?era=pre2025").status_code == 200
