"""The catalogue over the API, a province's own indicators and named groups of units.

Given the shipped catalogue, when a province officer adds the province's own indicators, then they are
checked by the catalogue's rules (every problem named), listed for that province and national users
only, and entered like any other; a named group of units adds up its members.
"""

from collections.abc import Callable

import pytest
from django.utils import translation

from tests.conftest import BA_CHE, DIEN_BIEN, TIEN_YEN
from tests.indicators.helpers import TOURISM, TOURISM_RATE, entered, get, post
from vungcao.accounts.models import Role, User
from vungcao.common.errors import PermissionDeniedError
from vungcao.engine.indicators.catalogue import shipped_catalogue
from vungcao.indicators.models import Indicator
from vungcao.indicators.services import IndicatorEntryRefused
from vungcao.indicators.services.definitions import NOT_OWN_KIND, indicator_create
from vungcao.indicators.services.groups import unit_group_create

pytestmark = pytest.mark.django_db


def codes(user: User) -> list[str]:
    response = get(user, "/api/v1/indicators", limit=1000)
    assert response.status_code == 200
    return [item["code"] for item in response.json()["items"]]


def test_the_catalogue_lists_what_the_issue_names(commune_officer: User) -> None:
    response = get(commune_officer, "/api/v1/indicators", limit=1000)

    items = {item["code"]: item for item in response.json()["items"]}
    assert response.json()["count"] == len(shipped_catalogue())
    assert {key: items["poverty_rate"][key] for key in ("code", "name", "unit", "kind", "aggregation")} == {
        "code": "poverty_rate",
        "name": shipped_catalogue().get("poverty_rate").name.en,
        "unit": "percent",
        "kind": "derived",
        "aggregation": "recompute",
    }
    assert items["poverty_rate"]["source"] == shipped_catalogue().get("poverty_rate").source.en
    assert items["poverty_rate"]["formula"] == {"op": "ratio", "reads": ["poor_households", "households"]}
    assert items["poverty_rate_annual_change"]["formula"] == {
        "op": "annual_change",
        "reads": ["poverty_rate"],
    }
    assert items["poor_households"]["kind"] == "computed"
    assert items["poor_households"]["accepts_entries"] is True


def test_a_province_indicator_is_seen_in_its_province_and_entered_like_any(
    province_officer: User, analyst: User, make_user: Callable[..., User]
) -> None:
    other = make_user("dienbien-officer", Role.PROVINCE_OFFICER, DIEN_BIEN)
    indicator_create(user=province_officer, values=TOURISM)
    indicator_create(user=province_officer, values=TOURISM_RATE)
    entered("qn_tourism_households", "current", BA_CHE, 2025, 30)
    entered("qn_tourism_households", "current", TIEN_YEN, 2025, 10)
    entered("households", "current", BA_CHE, 2025, 100)
    entered("households", "current", TIEN_YEN, 2025, 300)

    response = get(
        province_officer,
        "/api/v1/indicator-values",
        indicator="qn_tourism_households_rate",
        era="current",
        unit_code=BA_CHE,
        from_year=2025,
        to_year=2025,
    )

    assert "qn_tourism_households_rate" in codes(province_officer)
    for language in ("vi", "en"):
        listed = get(province_officer, "/api/v1/indicators", language, limit=1000).json()["items"]
        sources = {item["code"]: item["source"] for item in listed}
        assert sources["qn_tourism_households"] == TOURISM["source"], language
        assert sources["poverty_rate"] == shipped_catalogue().get("poverty_rate").source.in_language(language)
    assert "qn_tourism_households_rate" in codes(analyst)
    assert "qn_tourism_households_rate" not in codes(other)
    assert response.json()["items"][0]["value"] == 30.0


def test_a_province_indicator_breaking_the_rules_is_refused_with_every_problem(
    province_officer: User,
) -> None:
    indicator_create(user=province_officer, values=TOURISM)
    clash = {
        **TOURISM_RATE,
        "code": "qn_tourism_households",
        "formula": {"op": "ratio", "numerator": "nothing", "denominator": "households"},
    }

    with translation.override("en"), pytest.raises(IndicatorEntryRefused) as refused:
        indicator_create(user=province_officer, values=clash)
    with pytest.raises(IndicatorEntryRefused) as computed:
        indicator_create(user=province_officer, values={**TOURISM, "code": "qn_x", "kind": "computed"})

    assert refused.value.errors == {
        "code": "Indicator code qn_tourism_households is already used.",
        "formula": "The formula of indicator qn_tourism_households reads nothing, which is not in the catalogue.",
    }
    assert computed.value.errors["kind"] == str(NOT_OWN_KIND)
    assert Indicator.objects.count() == 1


def test_only_the_province_officers_define_its_indicators(commune_officer: User) -> None:
    with pytest.raises(PermissionDeniedError):
        indicator_create(user=commune_officer, values=TOURISM)

    assert not Indicator.objects.exists()


def test_a_group_of_units_adds_up_its_members_for_a_target(province_officer: User) -> None:
    """Given households entered for Ba Chẽ and Tiên Yên, when a group of both has an at-least target,
    then its progress reads the members' sum."""
    group = unit_group_create(
        user=province_officer,
        values={"name": "Xã đặc biệt khó khăn", "era": "current", "member_codes": [BA_CHE, TIEN_YEN]},
    )
    for year, (ba_che, tien_yen) in {2024: (100, 200), 2025: (150, 260)}.items():
        entered("households_on_national_grid", "current", BA_CHE, year, ba_che)
        entered("households_on_national_grid", "current", TIEN_YEN, year, tien_yen)

    created = post(
        province_officer,
        "/api/v1/targets",
        {
            "indicator": "households_on_national_grid",
            "group": group.pk,
            "baseline_year": 2024,
            "target_year": 2030,
            "kind": "at_least",
            "value": 400,
        },
    )
    progress = get(province_officer, f"/api/v1/targets/{created.json()['id']}/progress").json()

    assert (
        progress["baseline_value"],
        progress["latest_value"],
        progress["achieved_year"],
        progress["status"],
    ) == (
        300,
        410,
        2025,
        "achieved",
    )
    assert progress["years_ahead"] == 5
