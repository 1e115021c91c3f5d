"""The units and crosswalk API, as the issue writes its calls, with session and token authentication."""

import pytest
from django.test import Client

from tests.conftest import client_for
from vungcao.accounts import services as account_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(analyst) -> Client:
    return client_for(analyst)


def test_current_provinces_answer_with_count_34_and_paginated_items(api: Client) -> None:
    response = api.get("/api/v1/units?era=current&level=province")
    body = response.json()
    assert (response.status_code, response["Content-Type"], body["count"]) == (
        200,
        "application/json; charset=utf-8",
        34,
    )
    assert len(body["items"]) == 34
    assert body["items"][0] == {
        "era": "current",
        "code": "01",
        "name": "Thành phố Hà Nội",
        "level": "province",
        "division_type": "thành phố trung ương",
        "parent_code": None,
        "is_official": True,
        "valid_from": "2025-07-01",
        "valid_to": None,
    }


def test_communes_before_2025_count_10051_and_pages_hold_the_limit(api: Client) -> None:
    body = api.get("/api/v1/units?era=pre2025&level=commune&limit=100&offset=200").json()
    assert body["count"] == 10051
    assert len(body["items"]) == 100


def test_old_ha_giang_maps_to_new_tuyen_quang(api: Client) -> None:
    body = api.get("/api/v1/crosswalk?era=pre2025&code=02").json()
    assert [(item["old_code"], item["new_code"], item["share"]) for item in body["items"]] == [
        ("02", "08", 1.0)
    ]


def test_the_crosswalk_read_from_the_new_side_lists_what_formed_a_unit(api: Client) -> None:
    body = api.get("/api/v1/crosswalk?era=current&code=08").json()
    assert sorted(item["old_code"] for item in body["items"]) == ["02", "08"]


@pytest.mark.parametrize("query", ["lao cai", "Lào Cai", "LAO CAI", "lào  cai"])
def test_search_finds_lao_cai_with_or_without_diacritics(api: Client, query: str) -> None:
    body = api.get("/api/v1/units", {"search": query, "level": "province"}).json()
    assert sorted((item["era"], item["name"]) for item in body["items"]) == [
        ("current", "Lào Cai"),
        ("pre2025", "Tỉnh Lào Cai"),
    ]


def test_children_of_a_parent(api: Client) -> None:
    body = api.get("/api/v1/units?era=current&parent=22&limit=100").json()
    assert body["count"] == 54
    assert {item["parent_code"] for item in body["items"]} == {"22"}


def test_one_unit_with_ancestors_children_and_lineage(api: Client) -> None:
    body = api.get("/api/v1/units/pre2025/00688").json()
    assert [ancestor["code"] for ancestor in body["ancestors"]] == ["02", "024"]
    assert body["children"] == []
    province = api.get("/api/v1/units/current/08").json()
    assert len(province["children"]) == 124
    assert sorted(link["unit"]["code"] for link in province["predecessors"]) == ["02", "08"]


def test_bad_filters_are_refused_with_422(api: Client) -> None:
    response = api.get("/api/v1/units?era=1990")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "era"]


def test_a_script_authenticates_with_a_bearer_token(analyst) -> None:
    _token, secret = account_services.api_token_create(user=analyst, name="nightly export")
    response = Client().get("/api/v1/units?era=current&level=province", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert (response.status_code, response.json()["count"]) == (200, 34)


def test_a_revoked_or_wrong_token_is_refused(analyst) -> None:
    token, secret = account_services.api_token_create(user=analyst, name="old script")
    account_services.api_token_revoke(user=analyst, token_id=token.pk)
    for value in (secret, "vc_not-a-token"):
        assert Client().get("/api/v1/units", HTTP_AUTHORIZATION=f"Bearer {value}").status_code == 401


def test_the_openapi_document_and_docs_page_are_served(api: Client) -> None:
    document = api.get("/api/v1/openapi.json").json()
    assert {"/api/v1/units", "/api/v1/units/{era}/{code}", "/api/v1/crosswalk"} <= set(document["paths"])
    assert api.get("/api/v1/docs").status_code == 200
