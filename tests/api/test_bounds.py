"""Out of range over the API is a 422 naming the field and writes nothing, never a server error."""

import pytest
from django.test import Client

from tests.conftest import BA_CHE, client_for
from vungcao.common.bounds import MAX_OFFSET
from vungcao.engine import money
from vungcao.programs.models import MoneyRecord, Work
from vungcao.programs.services.money import AMOUNT_REASONS
from vungcao.registry.models import Household

pytestmark = pytest.mark.django_db

LISTS = ["/api/v1/units", "/api/v1/crosswalk", "/api/v1/households", "/api/v1/works", "/api/v1/support"]
BEYOND_64_BITS = 2**64 + 1


def _issues(response) -> set[tuple[str, ...]]:
    """The fields named by a validation 422, without the union branch pydantic adds (``int``, ``str``)."""
    return {tuple(str(part) for part in issue["loc"][:3]) for issue in response.json()["detail"]}


@pytest.fixture
def admin_api(administrator) -> Client:
    return client_for(administrator)


@pytest.mark.parametrize("path", [*LISTS, "/api/v1/revolving-funds"])
@pytest.mark.parametrize("offset", [MAX_OFFSET + 1, 10**30])
def test_a_huge_offset_on_a_list_is_a_422_naming_offset(admin_api: Client, path: str, offset: int) -> None:
    response = admin_api.get(path, {"offset": offset})
    assert response.status_code == 422
    assert _issues(response) == {("query", "offset")}


@pytest.mark.parametrize("path", LISTS)
def test_an_offset_at_the_bound_is_an_empty_page(admin_api: Client, path: str) -> None:
    response = admin_api.get(path, {"offset": MAX_OFFSET})
    assert response.status_code == 200
    assert response.json()["items"] == []


@pytest.mark.parametrize(
    ("path", "field"),
    [
        (f"/api/v1/review-cycles/{BEYOND_64_BITS}/communes", ("path", "cycle_id")),
        (f"/api/v1/review-cycles/{BEYOND_64_BITS}/results", ("path", "cycle_id")),
        (f"/api/v1/changes?earlier={BEYOND_64_BITS}&later=1", ("query", "earlier")),
        (f"/api/v1/households?year={BEYOND_64_BITS}", ("query", "year")),
        (
            "/api/v1/money/summary?unit_code=22&from_year=2024&to_year=99999999999999999999",
            ("query", "to_year"),
        ),
    ],
)
def test_an_integer_beyond_64_bits_in_a_path_or_query_is_a_422_naming_it(
    admin_api: Client, path: str, field: tuple[str, ...]
) -> None:
    response = admin_api.get(path)
    assert response.status_code == 422
    assert _issues(response) == {field}


def test_a_handover_to_a_model_id_beyond_64_bits_is_a_422_naming_it(admin_api: Client) -> None:
    response = admin_api.post(
        f"/api/v1/revolving-funds/{BEYOND_64_BITS}/handovers", {}, content_type="application/json"
    )
    assert response.status_code == 422
    assert _issues(response) == {("path", "model_id")}


@pytest.mark.parametrize("amount", [BEYOND_64_BITS, 10**15 + 1, "1.000.000.000.000.001", "9" * 40])
def test_a_money_amount_above_a_million_ty_is_refused_naming_amount_and_nothing_is_written(
    admin_api: Client, amount: object
) -> None:
    # given an allocation that is right in every field but its amount
    values = {
        "kind": "allocation",
        "year": 2024,
        "unit_code": BA_CHE,
        "component": "1719-DA4-TDA1",
        "source": "central_investment",
        "amount_vnd": amount,
        "document_no": "1/QĐ-UBND",
        "document_date": "2024-03-01",
    }
    # when it is recorded over the API
    response = admin_api.post(
        "/api/v1/money/records", values, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    # then it is a 422 naming the amount, and nothing was written
    assert response.status_code == 422
    assert response.json()["errors"] == {"amount_vnd": str(AMOUNT_REASONS[money.AMOUNT_TOO_LARGE])}
    assert MoneyRecord.objects.count() == 0


def test_a_work_with_counts_beyond_their_columns_is_refused_naming_each_and_nothing_is_written(
    admin_api: Client,
) -> None:
    response = admin_api.post(
        "/api/v1/works",
        {
            "unit_code": BA_CHE,
            "component": "1719-DA4-TDA1",
            "kind": "road",
            "name": "Đường thôn Khe Giấy",
            "investment_total_vnd": BEYOND_64_BITS,
            "households": BEYOND_64_BITS,
            "progress_percent": 101,
            "start_date": "0001-01-01",
        },
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    assert sorted(response.json()["errors"]) == [
        "households",
        "investment_total_vnd",
        "progress_percent",
        "start_date",
    ]
    assert Work.objects.count() == 0


def _household(**overrides: object) -> dict[str, object]:
    return {
        "code": "KG-001",
        "village_code": BA_CHE,
        "area": "rural",
        "members": [
            {
                "full_name": "Lý Văn Sáng",
                "sex": "male",
                "birth_year": 1980,
                "ethnic_group": "09",
                "relation_to_head": "head",
            }
        ],
        **overrides,
    }


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"address": "x" * 256}, ("body", "payload", "address")),
        ({"code": "H" * 41}, ("body", "payload", "code")),
        ({"established_on": "1800-01-01"}, ("body", "payload", "established_on")),
        ({"address": "Thôn\x00Khe Giấy"}, ("body", "payload", "address")),
    ],
)
def test_a_household_with_a_field_beyond_its_column_is_a_422_naming_it_and_nothing_is_written(
    admin_api: Client, overrides: dict[str, object], field: tuple[str, ...]
) -> None:
    response = admin_api.post("/api/v1/households", _household(**overrides), content_type="application/json")
    assert response.status_code == 422
    assert _issues(response) == {field}
    assert Household.objects.count() == 0


def test_a_search_holding_a_nul_character_is_a_422_not_a_database_error(admin_api: Client) -> None:
    response = admin_api.get("/api/v1/units", {"search": "Ba\x00Chẽ"})
    assert response.status_code == 422
    assert _issues(response) == {("query", "search")}


def test_every_operation_documents_the_errors_it_may_answer(admin_api: Client) -> None:
    document = admin_api.get("/api/v1/openapi.json").json()
    undocumented = [
        (method, path, status)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        for status in ("400", "401", "403", "404", "422")
        if status not in operation["responses"]
    ]
    assert undocumented == []
