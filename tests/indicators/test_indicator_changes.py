"""A province's own indicators changed and removed, through the service, the API and the pages of the
province's indicators, by those who define them.

Given Quảng Ninh's community-tourism households (entered) and their share of households (derived), when
its province officer changes or removes them, then names, unit, source and description change freely; the
kind and formula stay while values, targets or reporting periods use an indicator, and its bounds hold the
values entered for it; an indicator is removed only when nothing uses it, the refusal naming what does;
each refusal changes nothing.
"""

import datetime
import html
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation

from tests.conftest import BA_CHE, DIEN_BIEN, QUANG_NINH, client_for, current_unit
from tests.indicators.helpers import TOURISM, TOURISM_RATE, english, reading, refused
from tests.indicators.test_pages import field_errors
from vungcao.accounts.models import Role, User
from vungcao.common.errors import NotFoundError, PermissionDeniedError
from vungcao.engine.indicators.reasons import CYCLE
from vungcao.indicators.models import Indicator, IndicatorValue, ReportingPeriod, Target
from vungcao.indicators.services import indicator_value_enter
from vungcao.indicators.services.definitions import (
    FORMULA_IN_USE,
    IN_USE_FORMULAS,
    IN_USE_PERIODS,
    IN_USE_TARGETS,
    IN_USE_VALUES,
    INDICATOR_IN_USE,
    KIND_IN_USE,
    NOT_OWN_KIND,
    VALUES_BELOW,
    indicator_create,
    indicator_delete,
    indicator_update,
)
from vungcao.indicators.services.targets import target_create

pytestmark = pytest.mark.django_db

INDICATORS = "/api/v1/indicators"
CHANGE = {key: value for key, value in TOURISM.items() if key != "code"}


@pytest.fixture
def tourism(province_officer: User) -> Indicator:
    return indicator_create(user=province_officer, values=TOURISM)


@pytest.fixture
def tourism_rate(province_officer: User, tourism: Indicator) -> Indicator:
    return indicator_create(user=province_officer, values=TOURISM_RATE)


def enter(user: User, code: str, value: int) -> None:
    indicator_value_enter(
        user=user, values={"indicator": code, "unit_code": BA_CHE, "year": 2024, "value": value}
    )


def target(user: User, code: str) -> None:
    target_create(
        user=user,
        values={
            "indicator": code,
            "unit_code": QUANG_NINH,
            "baseline_year": 2024,
            "target_year": 2030,
            "kind": "at_least",
            "value": 10,
        },
    )


def as_stored(code: str) -> dict[str, Any]:
    return Indicator.objects.filter(code=code).values().get()


def test_names_unit_source_and_description_change_while_it_is_used(
    province_officer: User, tourism: Indicator
) -> None:
    enter(province_officer, tourism.code, 12)
    target(province_officer, tourism.code)

    changed = indicator_update(
        user=province_officer,
        code=tourism.code,
        values={
            **CHANGE,
            "code": "another_code",  # the code stays: it is not read
            "name_vi": "Số hộ kinh doanh du lịch cộng đồng",
            "unit": "people",
            "source": "Nghị quyết 06-NQ/TU (sửa đổi)",
            "description_en": "Counted by the district.",
            "minimum": "0",
            "maximum": "1.000.000",
        },
    )

    stored = as_stored(tourism.code)
    assert changed.pk == tourism.pk
    assert (stored["name_vi"], stored["unit"], stored["source"], stored["description_en"]) == (
        "Số hộ kinh doanh du lịch cộng đồng",
        "people",
        "Nghị quyết 06-NQ/TU (sửa đổi)",
        "Counted by the district.",
    )
    assert stored["maximum"] == 1_000_000
    assert stored["owner_id"] == current_unit(QUANG_NINH).pk
    assert not Indicator.objects.filter(code="another_code").exists()


def test_the_kind_stays_while_values_use_it(province_officer: User, tourism: Indicator) -> None:
    enter(province_officer, tourism.code, 12)
    before = as_stored(tourism.code)

    problems = refused(
        lambda: indicator_update(
            user=province_officer,
            code=tourism.code,
            values={
                **CHANGE,
                "kind": "derived",
                "aggregation": "recompute",
                "formula": {"op": "ratio", "numerator": "poor_households", "denominator": "households"},
            },
        )
    )

    uses = english(IN_USE_VALUES, count=1)
    assert problems == {
        "kind": english(KIND_IN_USE, uses=uses),
        "formula": english(FORMULA_IN_USE, uses=uses),
    }
    assert as_stored(tourism.code) == before


def test_the_formula_stays_while_a_target_uses_it_and_changes_when_nothing_does(
    province_officer: User, tourism_rate: Indicator
) -> None:
    other_formula = {**TOURISM_RATE["formula"], "scale": "1000"}
    values = {
        **{key: value for key, value in TOURISM_RATE.items() if key != "code"},
        "formula": other_formula,
    }
    target(province_officer, tourism_rate.code)

    problems = refused(lambda: indicator_update(user=province_officer, code=tourism_rate.code, values=values))

    assert problems == {"formula": english(FORMULA_IN_USE, uses=english(IN_USE_TARGETS, count=1))}
    assert as_stored(tourism_rate.code)["formula"]["scale"] == 100
    Target.objects.all().delete()
    indicator_update(user=province_officer, code=tourism_rate.code, values=values)
    assert as_stored(tourism_rate.code)["formula"]["scale"] == 1000


def test_bounds_hold_the_values_entered(province_officer: User, tourism: Indicator) -> None:
    for value in (5, 8):
        indicator_value_enter(
            user=province_officer,
            values={"indicator": tourism.code, "unit_code": BA_CHE, "year": 2020 + value, "value": value},
        )

    problems = refused(
        lambda: indicator_update(user=province_officer, code=tourism.code, values={**CHANGE, "minimum": "10"})
    )

    assert problems == {"minimum": english(VALUES_BELOW, count=2, value="5")}
    assert as_stored(tourism.code)["minimum"] == 0


def test_a_change_that_would_make_a_formula_read_itself_is_refused(
    province_officer: User, tourism: Indicator, tourism_rate: Indicator
) -> None:
    """Given the share reading the households, when the households are made derived from the share, then
    the two formulas would read each other: refused (the catalogue's rule)."""
    problems = refused(
        lambda: indicator_update(
            user=province_officer,
            code=tourism.code,
            values={
                **CHANGE,
                "kind": "derived",
                "aggregation": "recompute",
                "formula": {"op": "sum", "terms": [tourism_rate.code, "households"]},
            },
        )
    )

    assert list(problems) == ["formula"]
    assert problems["formula"].startswith(CYCLE.en.split("{")[0])
    assert as_stored(tourism.code)["kind"] == "entered"


def test_an_indicator_is_removed_only_when_nothing_uses_it(
    province_officer: User, tourism: Indicator, tourism_rate: Indicator
) -> None:
    enter(province_officer, tourism.code, 12)
    target(province_officer, tourism.code)
    ReportingPeriod.objects.create(
        subject="indicator",
        indicator=tourism.code,
        year=2024,
        level="commune",
        era="current",
        owner=current_unit(QUANG_NINH),
        deadline=datetime.date(2025, 1, 15),
    )

    problems = refused(lambda: indicator_delete(user=province_officer, code=tourism.code))

    uses = "; ".join(
        [
            english(IN_USE_VALUES, count=1),
            english(IN_USE_TARGETS, count=1),
            english(IN_USE_PERIODS, count=1),
            english(IN_USE_FORMULAS, names=f"{TOURISM_RATE['name_en']} ({tourism_rate.code})"),
        ]
    )
    assert problems == {"indicator": english(INDICATOR_IN_USE, uses=uses)}
    assert Indicator.objects.count() == 2
    indicator_delete(user=province_officer, code=tourism_rate.code)  # nothing uses the share
    assert list(Indicator.objects.values_list("code", flat=True)) == [tourism.code]


def test_another_provinces_indicator_is_not_found_and_a_reader_may_not_change_it(
    tourism: Indicator, make_user: Callable[..., User], commune_officer: User
) -> None:
    dien_bien = make_user("dienbien-officer", Role.PROVINCE_OFFICER, DIEN_BIEN)
    for code in (tourism.code, "poverty_rate", "no_such_code"):
        with pytest.raises(NotFoundError):
            indicator_update(user=dien_bien, code=code, values=CHANGE)
        with pytest.raises(NotFoundError):
            indicator_delete(user=dien_bien, code=code)
    # Quảng Ninh's commune officer reads the province's indicators but does not define them
    with pytest.raises(PermissionDeniedError):
        indicator_update(user=commune_officer, code=tourism.code, values=CHANGE)
    with pytest.raises(PermissionDeniedError):
        indicator_delete(user=commune_officer, code=tourism.code)
    assert as_stored(tourism.code)["name_vi"] == TOURISM["name_vi"]


# Over the API ------------------------------------------------------------------------------------------


def test_an_indicator_is_changed_and_removed_over_the_api(province_officer: User, tourism: Indicator) -> None:
    client = reading(province_officer)

    changed = client.put(
        f"{INDICATORS}/{tourism.code}",
        {**CHANGE, "name_en": "Tourism households"},
        content_type="application/json",
    )
    refusal = client.put(
        f"{INDICATORS}/{tourism.code}", {**CHANGE, "kind": "computed"}, content_type="application/json"
    )

    assert changed.status_code == 200, changed.content
    assert (changed.json()["code"], changed.json()["name_en"], changed.json()["owner"]) == (
        tourism.code,
        "Tourism households",
        QUANG_NINH,
    )
    assert refusal.status_code == 422
    assert refusal.json()["errors"]["kind"] == english(NOT_OWN_KIND)
    assert as_stored(tourism.code)["kind"] == "entered"
    removed = client.delete(f"{INDICATORS}/{tourism.code}")
    assert (removed.status_code, removed.content) == (204, b"")
    assert client.delete(f"{INDICATORS}/{tourism.code}").status_code == 404
    assert (
        client.put(f"{INDICATORS}/poverty_rate", CHANGE, content_type="application/json").status_code == 404
    )


def test_a_used_indicator_is_not_removed_over_the_api(province_officer: User, tourism: Indicator) -> None:
    enter(province_officer, tourism.code, 12)

    response = reading(province_officer).delete(f"{INDICATORS}/{tourism.code}")

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "indicator": english(INDICATOR_IN_USE, uses=english(IN_USE_VALUES, count=1))
    }
    assert Indicator.objects.exists()


# Pages -------------------------------------------------------------------------------------------------


def test_the_list_offers_change_and_removal_to_who_defines(
    province_officer: User, commune_officer: User, tourism: Indicator
) -> None:
    body = client_for(province_officer).get("/indicators/province/").content.decode()
    commune_body = client_for(commune_officer).get("/indicators/province/").content.decode()

    assert f'href="/indicators/province/{tourism.code}/change/"' in body
    assert f'href="/indicators/province/{tourism.code}/delete/"' in body
    assert tourism.code in commune_body
    assert "/change/" not in commune_body
    assert client_for(commune_officer).get(f"/indicators/province/{tourism.code}/change/").status_code == 403


def test_the_change_form_shows_the_indicator_as_stored_and_stores_a_change(
    province_officer: User, tourism_rate: Indicator
) -> None:
    client = reading(province_officer, "vi")
    url = f"/indicators/province/{tourism_rate.code}/change/"

    body = client.get(url).content.decode()

    assert 'name="code"' not in body
    assert f'value="{TOURISM_RATE["name_vi"]}"' in body
    assert f'<option value="{TOURISM["code"]}" selected>' in body  # the numerator
    assert 'name="formula_scale" value="100"' in body
    form = {
        **{key: value for key, value in TOURISM_RATE.items() if key not in ("code", "formula", "minimum")},
        "name_en": "Share of tourism households",
        "formula_op": "ratio",
        "formula_numerator": TOURISM["code"],
        "formula_denominator": "households",
        "formula_scale": "100",
    }
    response = client.post(url, form)
    assert response.status_code == 302, field_errors(response.content.decode())
    assert response["Location"] == f"/indicators/catalogue/{tourism_rate.code}/"
    assert as_stored(tourism_rate.code)["name_en"] == "Share of tourism households"
    refusal = client.post(url, {**form, "name_vi": "", "formula_scale": "-1"}).content.decode()
    assert set(field_errors(refusal)) == {"name_vi", "formula_scale"}
    assert as_stored(tourism_rate.code)["name_vi"] == TOURISM_RATE["name_vi"]


def test_a_removal_is_confirmed_and_refused_while_used(province_officer: User, tourism: Indicator) -> None:
    enter(province_officer, tourism.code, 12)
    client = reading(province_officer, "vi")
    url = f"/indicators/province/{tourism.code}/delete/"

    confirmation = client.get(url).content.decode()
    with translation.override("vi"):
        refusal = str(INDICATOR_IN_USE).format(uses=str(IN_USE_VALUES).format(count=1))
    held = client.post(url, follow=True).content.decode()

    assert 'id="confirm-removal"' in confirmation
    assert TOURISM["name_vi"] in confirmation
    assert "Quảng Ninh" in confirmation
    assert Indicator.objects.exists()
    assert f'<li class="error">{html.escape(refusal)}</li>' in held
    IndicatorValue.objects.all().delete()
    assert client.post(url)["Location"] == "/indicators/province/"
    assert not Indicator.objects.exists()
