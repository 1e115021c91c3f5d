"""Entering indicator values over the API, and reading figures: the contract of both endpoints.

Given the real units of both eras, when officials send values, then each stored value comes back as
sent (a value sent again replaces it, naming who and when), and a refusal names every bad field with
nothing written. Figures are read for a unit and everything under it, across the crosswalk.
"""

from collections.abc import Callable

import pytest
from django.utils import translation

from tests.conftest import BA_CHE, QUANG_NINH, TIEN_YEN, current_unit
from tests.indicators.helpers import HA_GIANG, TUYEN_QUANG, entered, figures, get, post
from vungcao.accounts.models import Role, User
from vungcao.geo.services import villages
from vungcao.indicators.models import IndicatorValue
from vungcao.indicators.services import UNKNOWN_INDICATOR, UNKNOWN_UNIT

pytestmark = pytest.mark.django_db

VALUES = "/api/v1/indicator-values"


@pytest.fixture
def tuyen_quang_officer(make_user: Callable[..., User]) -> User:
    return make_user("tuyenquang-officer", Role.PROVINCE_OFFICER, TUYEN_QUANG)


def test_a_value_is_stored_and_sent_again_replaces_it(tuyen_quang_officer: User) -> None:
    """Given a province officer of the current Tuyên Quang, when they enter Hà Giang's poor households
    of 2020 (a former province now part of theirs) and then correct it, then one value is kept: the
    corrected one, entered by them."""
    body = {
        "indicator": "poor_households",
        "era": "pre2025",
        "unit_code": HA_GIANG,
        "year": 2020,
        "value": 42351,
    }

    first = post(tuyen_quang_officer, VALUES, body)
    second = post(tuyen_quang_officer, VALUES, {**body, "value": 42350, "note": "Quyết định 123/QĐ-UBND"})

    assert first.status_code == 201
    assert first.json()["value"] == 42351
    assert second.status_code == 201
    stored = second.json()
    assert {
        key: stored[key]
        for key in ("id", "indicator", "era", "unit_code", "year", "value", "note", "entered_by")
    } == {
        "id": first.json()["id"],
        "indicator": "poor_households",
        "era": "pre2025",
        "unit_code": HA_GIANG,
        "year": 2020,
        "value": 42350,
        "note": "Quyết định 123/QĐ-UBND",
        "entered_by": "tuyenquang-officer",
    }
    assert IndicatorValue.objects.count() == 1


def test_a_refusal_names_every_bad_field_and_writes_nothing(tuyen_quang_officer: User) -> None:
    """Given the officer, when they send an unknown indicator, a unit outside their province, a year
    out of range and a value that is not a number, then each field is named with its reason."""
    response = post(
        tuyen_quang_officer,
        VALUES,
        {
            "indicator": "no_such_thing",
            "era": "current",
            "unit_code": QUANG_NINH,
            "year": 1999,
            "value": "many",
        },
    )

    assert response.status_code == 422
    errors = response.json()["errors"]
    with translation.override("en"):  # the reader chose English
        assert errors["indicator"] == str(UNKNOWN_INDICATOR)
        assert errors["unit_code"] == str(UNKNOWN_UNIT)
    assert errors["year"] == "A year between 2000 and 2100 is required."
    assert set(errors) == {"indicator", "unit_code", "year", "value"}
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize(
    ("indicator", "value", "field", "reason"),
    [
        ("poverty_rate", 12, "indicator", "Indicator poverty_rate is computed, not entered."),
        ("money_allocated", 12, "indicator", "Indicator money_allocated is computed, not entered."),
        ("communes_with_hardened_road", -1, "value", "Below the minimum of 0."),
    ],
)
def test_derived_computed_and_out_of_range_values_are_refused(
    tuyen_quang_officer: User, indicator: str, value: int, field: str, reason: str
) -> None:
    response = post(
        tuyen_quang_officer,
        VALUES,
        {"indicator": indicator, "era": "current", "unit_code": TUYEN_QUANG, "year": 2024, "value": value},
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {field: reason}
    assert not IndicatorValue.objects.exists()


def test_analysts_may_not_enter_values(analyst: User) -> None:
    response = post(
        analyst,
        VALUES,
        {"indicator": "households", "era": "current", "unit_code": TUYEN_QUANG, "year": 2020, "value": 1},
    )

    assert response.status_code == 403
    assert not IndicatorValue.objects.exists()


def test_a_merged_province_history_reads_under_its_new_province(tuyen_quang_officer: User) -> None:
    """Given households and poor households entered for Hà Giang and Tuyên Quang before 2025 (2019 and
    2020; 2019 only for Tuyên Quang), when the current Tuyên Quang's poverty rate is read for 2019–2020,
    then 2019 is recomputed from the summed parts of both former provinces (never an average of their
    rates), and 2020 is refused naming the former province without data."""
    for code, households, poor in ((HA_GIANG, 200_000, 50_000), (TUYEN_QUANG, 100_000, 10_000)):
        entered("households", "pre2025", code, 2019, households)
        entered("poor_households", "pre2025", code, 2019, poor)
    entered("households", "pre2025", HA_GIANG, 2020, 210_000)
    entered("poor_households", "pre2025", HA_GIANG, 2020, 42_351)

    items = figures(tuyen_quang_officer, "poverty_rate", "current", TUYEN_QUANG, (2019, 2020))

    assert [(item["year"], item["value"]) for item in items] == [(2019, 20.0), (2020, None)]
    assert items[0]["provenance"] == {
        "units": 2,
        "eras": ["pre2025"],
        "years": [2019],
        "entered": 4,
        "records": 0,
    }
    assert items[1]["reason"] == (
        "Poor households: No data for 1 of the 2 former units that make up Tuyên Quang: Tỉnh Tuyên Quang."
    )


def test_a_rate_entered_without_its_parts_is_refused_where_it_would_be_combined(
    province_officer: User,
) -> None:
    """Given the mean income of poor households entered for Ba Chẽ and Tiên Yên (no parts to weigh it),
    when Quảng Ninh's is read, then Ba Chẽ's is shown and the province's is refused with the reason."""
    entered("income_per_capita_poor_households", "current", BA_CHE, 2025, 1_100_000)
    entered("income_per_capita_poor_households", "current", TIEN_YEN, 2025, 1_300_000)

    items = figures(
        province_officer,
        "income_per_capita_poor_households",
        "current",
        QUANG_NINH,
        (2025, 2025),
        children="true",
    )

    by_unit = {item["unit_code"]: (item["value"], item["reason"]) for item in items}
    assert by_unit[QUANG_NINH] == (
        None,
        "Entered for each unit without its parts; cannot be combined for Quảng Ninh.",
    )
    assert by_unit[BA_CHE] == (1_100_000, None)


def test_figures_of_a_unit_out_of_scope_are_not_found(province_officer: User) -> None:
    response = get(
        province_officer,
        VALUES,
        indicator="poverty_rate",
        era="current",
        unit_code=TUYEN_QUANG,
        from_year=2020,
        to_year=2020,
    )

    assert response.status_code == 404


def test_reasons_are_in_the_reader_language(province_officer: User) -> None:
    response = get(
        province_officer,
        VALUES,
        language="vi",
        indicator="households_on_national_grid",
        era="current",
        unit_code=BA_CHE,
        from_year=2025,
        to_year=2025,
    )

    assert response.json()["items"][0]["reason"] == "Không có số liệu của Xã Ba Chẽ năm 2025."


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ({"indicator": "no_such_thing", "from_year": 2020, "to_year": 2020}, UNKNOWN_INDICATOR),
        (
            {"indicator": "poverty_rate", "from_year": 2021, "to_year": 2020},
            "from_year must not be after to_year.",
        ),
        ({"indicator": "poverty_rate", "from_year": 1950, "to_year": 2020}, "At most 50 years at once."),
    ],
)
def test_figures_asked_wrongly_are_refused_with_the_reason(
    province_officer: User, query: dict[str, object], detail: object
) -> None:
    response = get(province_officer, VALUES, era="current", unit_code=QUANG_NINH, **query)

    assert response.status_code == 400
    with translation.override("en"):  # the reader chose English
        assert response.json() == {"detail": str(detail)}


def test_figures_read_after_a_village_is_added_or_renamed_count_and_name_it(
    province_officer: User, commune_officer: User
) -> None:
    """Given Ba Chẽ's figures read once (the units are then kept by the process), when its officer adds a
    village and its households with electricity are entered, then the next figures count them under Ba
    Chẽ and show the village; renamed, it is shown by its new name."""
    indicator = "households_with_electricity"
    [before] = figures(province_officer, indicator, "current", BA_CHE, (2025, 2025), children=True)
    village = villages.village_create(user=commune_officer, commune=current_unit(BA_CHE), name="Thôn Mới")
    entered(indicator, "current", village.code, 2025, 40)

    after = figures(province_officer, indicator, "current", BA_CHE, (2025, 2025), children=True)
    villages.village_rename(user=commune_officer, village=village, name="Thôn Đổi Tên")
    renamed = figures(province_officer, indicator, "current", BA_CHE, (2025, 2025), children=True)

    assert before["value"] is None
    assert [(item["unit_code"], item["unit_name"], item["value"]) for item in after] == [
        (BA_CHE, "Xã Ba Chẽ", 40),
        (village.code, "Thôn Mới", 40),
    ]
    assert [item["unit_name"] for item in renamed] == ["Xã Ba Chẽ", "Thôn Đổi Tên"]
