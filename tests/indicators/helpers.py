"""Requests to the indicators API as a user, and values entered through the service."""

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from tests.conftest import client_for
from vungcao.accounts.models import Role, User
from vungcao.geo.models import AdministrativeUnit, Era, Level
from vungcao.indicators.models import IndicatorValue
from vungcao.indicators.services import IndicatorEntryRefused, indicator_value_enter
from vungcao.registry.models import CommuneReview, ReviewCycle

TUYEN_QUANG, HA_GIANG = "08", "02"
"""Hà Giang (02) and Tuyên Quang (08) before 1 July 2025 became Tuyên Quang (08), each whole (share 1)."""


def reading(user: User, language: str = "en") -> Client:
    """A client of ``user`` who chose ``language`` (the language cookie; Vietnamese by default)."""
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def post(user: User, path: str, body: dict[str, Any], language: str = "en") -> Any:
    return reading(user, language).post(path, json.dumps(body), content_type="application/json")


def get(user: User, path: str, language: str = "en", **query: Any) -> Any:
    return reading(user, language).get(path, query)


def refused(work: Callable[[], object]) -> dict[str, str]:
    """The problems of a refused write, as an English reader reads them."""
    with translation.override("en"), pytest.raises(IndicatorEntryRefused) as caught:
        work()
    return caught.value.errors


def english(message: object, **values: object) -> str:
    """A message as an English reader reads it, its ``values`` filled in."""
    with translation.override("en"):
        return str(message).format(**values)


def national_admin() -> User:
    user, _created = User.objects.get_or_create(
        username="indicator-admin", defaults={"role": Role.ADMINISTRATOR}
    )
    return user


def entered(
    indicator: str, era: str, unit_code: str, year: int, value: int | str | Decimal
) -> IndicatorValue:
    return indicator_value_enter(
        user=national_admin(),
        values={
            "indicator": indicator,
            "era": era,
            "unit_code": unit_code,
            "year": year,
            "value": str(value),
        },
    )


def figures(user: User, indicator: str, era: str, unit_code: str, years: tuple[int, int], **more: Any) -> Any:
    response = get(
        user,
        "/api/v1/indicator-values",
        indicator=indicator,
        era=era,
        unit_code=unit_code,
        from_year=years[0],
        to_year=years[1],
        **more,
    )
    assert response.status_code == 200, response.content
    return response.json()["items"]


# A province's own indicators, as Quảng Ninh defines them.
TOURISM: dict[str, Any] = {
    "code": "qn_tourism_households",
    "name_vi": "Số hộ làm du lịch cộng đồng",
    "name_en": "Households in community tourism",
    "unit": "households",
    "kind": "entered",
    "aggregation": "sum",
    "source": "Nghị quyết 06-NQ/TU của Tỉnh ủy Quảng Ninh",
    "minimum": 0,
}
TOURISM_RATE: dict[str, Any] = {
    **TOURISM,
    "code": "qn_tourism_households_rate",
    "name_vi": "Tỷ lệ hộ làm du lịch cộng đồng",
    "name_en": "Share of households in community tourism",
    "unit": "percent",
    "kind": "derived",
    "aggregation": "recompute",
    "formula": {
        "op": "ratio",
        "numerator": "qn_tourism_households",
        "denominator": "households",
        "scale": 100,
    },
}


def review_whole(province_code: str) -> None:
    """Every commune of the current province approved in each of its review cycles (those with no
    household assessed, with none): its reviews are whole, so its records make its figures."""
    province = AdministrativeUnit.objects.get(era=Era.CURRENT, code=province_code)
    communes = AdministrativeUnit.objects.filter(parent=province, level=Level.COMMUNE)
    for cycle in ReviewCycle.objects.filter(province=province):
        for commune in communes:
            CommuneReview.objects.get_or_create(
                cycle=cycle, commune=commune, defaults={"state": CommuneReview.State.APPROVED}
            )
