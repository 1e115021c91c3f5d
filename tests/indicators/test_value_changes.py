"""Entered values corrected and removed, through the service, the API and the pages reached from a figure's
provenance.

Given Quảng Ninh's community-tourism households entered by its province officer, when a value is
corrected, then it is checked as when it was entered (numbers as officials write them, the indicator's
bounds, a year the records make) and stored, or refused with each problem by field and nothing changed;
a removed value no longer makes the figure; another province's value is not found.
"""

from collections.abc import Callable
from decimal import Decimal

import pytest

from tests.conftest import BA_CHE, DIEN_BIEN, QUANG_NINH, client_for, current_unit
from tests.indicators.helpers import english, entered, figures, reading, refused, review_whole
from tests.indicators.test_pages import field_errors
from tests.programs.helpers import household
from vungcao.accounts.models import Role, User
from vungcao.common.bounds import CONTROL_CHARACTER, TOO_LONG
from vungcao.common.errors import NotFoundError, PermissionDeniedError
from vungcao.engine.indicators.definitions import BELOW_MINIMUM
from vungcao.engine.numbers import AMBIGUOUS, AMBIGUOUS_EN
from vungcao.indicators.models import IndicatorValue
from vungcao.indicators.services import (
    HAS_RECORDS,
    indicator_value_delete,
    indicator_value_enter,
    indicator_value_update,
)
from vungcao.programs.services.money import REQUIRED

pytestmark = pytest.mark.django_db

VALUES = "/api/v1/indicator-values"


@pytest.fixture
def stored(province_officer: User) -> IndicatorValue:
    """Quảng Ninh's hardened roads to commune centres in 2024, as its officer entered them."""
    return indicator_value_enter(
        user=province_officer,
        values={
            "indicator": "communes_with_hardened_road",
            "unit_code": QUANG_NINH,
            "year": 2024,
            "value": 40,
        },
    )


def as_stored(value: IndicatorValue) -> tuple[object, ...]:
    return tuple(
        IndicatorValue.objects.filter(pk=value.pk)
        .values_list("indicator", "unit", "year", "value", "note")
        .get()
    )


def test_a_value_is_corrected_as_officials_write_numbers(
    stored: IndicatorValue, make_user: Callable[..., User]
) -> None:
    """Given the value entered by one officer, when another corrects it to "1.500" (Vietnamese: one
    thousand five hundred) with a note, then it is stored, its indicator, unit and year kept, and the
    corrector is who entered it last."""
    other = make_user("quangninh-2", Role.PROVINCE_OFFICER, QUANG_NINH)

    corrected = indicator_value_update(
        user=other, value_id=stored.pk, values={"value": "1.500", "note": "Báo cáo 12/BC-SGTVT"}
    )

    assert corrected.pk == stored.pk
    assert as_stored(stored) == (
        "communes_with_hardened_road",
        current_unit(QUANG_NINH).pk,
        2024,
        Decimal(1500),
        "Báo cáo 12/BC-SGTVT",
    )
    assert IndicatorValue.objects.get().entered_by == other


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({}, {"value": english(REQUIRED)}),
        ({"value": "1.500"}, {"value": AMBIGUOUS_EN.en}),  # read in English: a dot, the decimal mark
        ({"value": "-3"}, {"value": BELOW_MINIMUM.format(minimum=0).en}),
        ({"value": "3", "note": "x" * 501}, {"note": english(TOO_LONG, length=500)}),
        ({"value": "3", "note": "Báo cáo\x07"}, {"note": english(CONTROL_CHARACTER, code=7)}),
    ],
)
def test_a_bad_correction_is_refused_by_field_and_changes_nothing(
    province_officer: User, stored: IndicatorValue, values: dict[str, object], expected: dict[str, str]
) -> None:
    before = as_stored(stored)

    problems = refused(
        lambda: indicator_value_update(user=province_officer, value_id=stored.pk, values=values)
    )

    assert problems == expected
    assert as_stored(stored) == before


def test_a_year_the_records_make_is_not_corrected(province_officer: User) -> None:
    """Given Ba Chẽ's households entered for 2024 before its review was approved, when the review is
    approved, then the entered value can no longer be corrected: the records are the value (it can be
    removed)."""
    history = entered("households", "current", BA_CHE, 2024, 5)
    household("BC-1", BA_CHE, {2024: ("poor", set())})
    review_whole(QUANG_NINH)

    problems = refused(
        lambda: indicator_value_update(user=province_officer, value_id=history.pk, values={"value": "6"})
    )

    assert problems == {"value": english(HAS_RECORDS)}
    assert IndicatorValue.objects.get().value == 5
    indicator_value_delete(user=province_officer, value_id=history.pk)
    assert not IndicatorValue.objects.exists()


def test_a_removed_value_no_longer_makes_the_figure(province_officer: User, stored: IndicatorValue) -> None:
    assert [
        item["value"]
        for item in figures(
            province_officer, "communes_with_hardened_road", "current", QUANG_NINH, (2024, 2024)
        )
    ] == [40]

    indicator_value_delete(user=province_officer, value_id=stored.pk)

    (item,) = figures(province_officer, "communes_with_hardened_road", "current", QUANG_NINH, (2024, 2024))
    assert item["value"] is None


def test_another_provinces_value_is_not_found_and_a_reader_may_not_correct(
    stored: IndicatorValue, make_user: Callable[..., User], analyst: User, commune_officer: User
) -> None:
    dien_bien = make_user("dienbien-officer", Role.PROVINCE_OFFICER, DIEN_BIEN)
    for user in (dien_bien, commune_officer):  # the province's value is outside a commune's scope
        for value_id in (stored.pk, 10**18):
            with pytest.raises(NotFoundError):
                indicator_value_update(user=user, value_id=value_id, values={"value": "1"})
            with pytest.raises(NotFoundError):
                indicator_value_delete(user=user, value_id=value_id)
    with pytest.raises(PermissionDeniedError):
        indicator_value_update(user=analyst, value_id=stored.pk, values={"value": "1"})
    with pytest.raises(PermissionDeniedError):
        indicator_value_delete(user=analyst, value_id=stored.pk)
    assert as_stored(stored)[3] == 40


# Over the API ------------------------------------------------------------------------------------------


def test_a_value_is_corrected_and_removed_over_the_api(
    province_officer: User, stored: IndicatorValue
) -> None:
    client = reading(province_officer)

    corrected = client.put(f"{VALUES}/{stored.pk}", {"value": "1,500.5"}, content_type="application/json")

    assert corrected.status_code == 200, corrected.content
    body = corrected.json()
    assert {key: body[key] for key in ("id", "indicator", "era", "unit_code", "year", "value", "note")} == {
        "id": stored.pk,
        "indicator": "communes_with_hardened_road",
        "era": "current",
        "unit_code": QUANG_NINH,
        "year": 2024,
        "value": 1500.5,
        "note": "",
    }
    refusal = client.put(f"{VALUES}/{stored.pk}", {"value": "nhiều"}, content_type="application/json")
    assert refusal.status_code == 422
    assert list(refusal.json()["errors"]) == ["value"]
    assert as_stored(stored)[3] == Decimal("1500.5")
    removed = client.delete(f"{VALUES}/{stored.pk}")
    assert (removed.status_code, removed.content) == (204, b"")
    assert client.delete(f"{VALUES}/{stored.pk}").status_code == 404
    assert not IndicatorValue.objects.exists()


# Pages -------------------------------------------------------------------------------------------------


def test_the_provenance_of_a_figure_links_each_value_its_reader_may_correct(
    province_officer: User, analyst: User, stored: IndicatorValue
) -> None:
    query = {"indicator": "communes_with_hardened_road", "era": "current", "unit": QUANG_NINH, "year": 2024}

    body = client_for(province_officer).get("/indicators/explore/provenance/", query).content.decode()
    analyst_body = client_for(analyst).get("/indicators/explore/provenance/", query).content.decode()

    assert f'href="/indicators/values/{stored.pk}/change/"' in body
    assert "/indicators/values/" not in analyst_body


def test_the_correction_page_shows_the_value_as_officials_write_it_and_stores_it(
    province_officer: User, stored: IndicatorValue
) -> None:
    client = reading(province_officer, "vi")
    IndicatorValue.objects.filter(pk=stored.pk).update(value=Decimal("1500000.5"))

    body = client.get(f"/indicators/values/{stored.pk}/change/").content.decode()

    assert 'name="value" value="1.500.000,5"' in body
    assert "Quảng Ninh" in body
    assert f'href="/indicators/values/{stored.pk}/delete/"' in body
    refused_body = client.post(f"/indicators/values/{stored.pk}/change/", {"value": "1,500"}).content.decode()
    assert field_errors(refused_body)["value"] == AMBIGUOUS.vi
    assert as_stored(stored)[3] == Decimal("1500000.5")
    response = client.post(f"/indicators/values/{stored.pk}/change/", {"value": "42", "note": "Sửa"})
    assert response["Location"] == f"/indicators/units/current/{QUANG_NINH}/"
    assert as_stored(stored)[3:] == (42, "Sửa")


def test_a_removal_is_confirmed_first(province_officer: User, stored: IndicatorValue) -> None:
    client = reading(province_officer, "vi")

    confirmation = client.get(f"/indicators/values/{stored.pk}/delete/").content.decode()

    assert 'id="confirm-removal"' in confirmation
    assert IndicatorValue.objects.exists()
    response = client.post(f"/indicators/values/{stored.pk}/delete/")
    assert response["Location"] == f"/indicators/units/current/{QUANG_NINH}/"
    assert not IndicatorValue.objects.exists()


def test_a_value_of_three_decimals_is_shown_as_it_reads_back(province_officer: User) -> None:
    """Given a share of communes entered as 22,125 (three decimals: "22,125" alone would read as ambiguous), then the
    correction form shows 22,1250, and sent back unchanged it stores the same value."""
    stored = indicator_value_enter(
        user=province_officer,
        values={
            "indicator": "communes_with_hardened_road",
            "unit_code": BA_CHE,
            "year": 2015,
            "value": "22,1250",
        },
    )
    client = reading(province_officer, "vi")

    body = client.get(f"/indicators/values/{stored.pk}/change/").content.decode()
    response = client.post(f"/indicators/values/{stored.pk}/change/", {"value": "22,1250"})

    assert 'name="value" value="22,1250"' in body
    assert response.status_code == 302
    assert as_stored(stored)[3] == Decimal("22.125")
