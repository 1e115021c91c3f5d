"""The money API as the issue writes its calls: records, summary, programmes and capital sources."""

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import BA_CHE, MUONG_PHANG, QUANG_NINH, TIEN_YEN, client_for
from tests.programs.helpers import record
from vungcao.engine import money
from vungcao.programs.models import MoneyRecord
from vungcao.programs.services import money as money_services

pytestmark = pytest.mark.django_db

ALLOCATION = {
    "kind": "allocation",
    "year": 2024,
    "era": "current",
    "unit_code": "22",
    "component": "1719-DA4-TDA1",
    "source": "central_investment",
    "amount_vnd": 1500000000,
    "document_no": "123/QĐ-UBND",
    "document_date": "2024-03-01",
}


def post(client: Client, body: dict[str, object]):
    return client.post("/api/v1/money/records", body, content_type="application/json")


def summary(client: Client, query: str) -> dict[str, object]:
    response = client.get(f"/api/v1/money/summary?{query}")
    assert response.status_code == 200, response.content
    return response.json()


def test_a_province_officer_records_an_allocation_and_gets_it_back(province_officer) -> None:
    # When
    response = post(client_for(province_officer), ALLOCATION)
    # Then
    assert response.status_code == 201
    body = response.json()
    assert body == {
        "id": body["id"],
        "kind": "allocation",
        "year": 2024,
        "to_year": None,
        "era": "current",
        "unit_code": "22",
        "unit_name": "Quảng Ninh",
        "component": "1719-DA4-TDA1",
        "source": "central_investment",
        "amount_vnd": 1500000000,
        "document_no": "123/QĐ-UBND",
        "document_date": "2024-03-01",
        "work": None,
        "alert": None,
    }
    assert MoneyRecord.objects.get().amount_vnd == 1_500_000_000


def test_every_bad_field_is_named_in_one_422_and_nothing_is_written(province_officer) -> None:
    body = {
        "kind": "gift",
        "year": "last year",
        "unit_code": "99999",
        "component": "1719-DA99",
        "source": "lottery",
        "amount_vnd": "1,500",
        "document_date": "31/02/2024",
    }
    response = post(client_for(province_officer), body)
    assert response.status_code == 422
    assert response.json() == {
        "detail": str(money_services.REFUSED),
        "errors": {
            "kind": money_services.unknown_kind(),
            "year": str(money_services.BAD_YEAR),
            "unit_code": str(money_services.UNKNOWN_UNIT),
            "component": str(money_services.UNKNOWN_COMPONENT),
            "source": str(money_services.UNKNOWN_SOURCE),
            "amount_vnd": str(money_services.AMOUNT_REASONS[money.AMOUNT_AMBIGUOUS_SEPARATOR]),
            "document_no": str(money_services.REQUIRED),
            "document_date": str(money_services.BAD_DATE),
        },
    }
    assert not MoneyRecord.objects.exists()


def test_amounts_as_vietnamese_users_write_them_are_stored_exactly(province_officer) -> None:
    response = post(client_for(province_officer), {**ALLOCATION, "amount_vnd": "1,5 tỷ"})
    assert (response.status_code, response.json()["amount_vnd"]) == (201, 1_500_000_000)


def test_the_same_document_twice_is_refused(province_officer) -> None:
    client = client_for(province_officer)
    assert post(client, ALLOCATION).status_code == 201
    response = post(client, ALLOCATION)
    assert (response.status_code, response.json()["errors"]) == (
        422,
        {"document_no": str(money_services.DUPLICATE)},
    )
    assert MoneyRecord.objects.count() == 1


def test_an_extension_needs_a_later_year_and_an_unspent_balance(province_officer) -> None:
    client = client_for(province_officer)
    post(client, ALLOCATION)
    post(client, {**ALLOCATION, "kind": "disbursement", "amount_vnd": 1_000_000_000, "document_no": "UNC-1"})
    extension = {**ALLOCATION, "kind": "extension", "to_year": 2025, "document_no": "45/QĐ-UBND"}
    too_much = post(client, {**extension, "amount_vnd": 600_000_000})
    assert (too_much.status_code, too_much.json()["errors"]) == (
        422,
        {
            "amount_vnd": str(money_services.EXCEEDS_UNSPENT).format(
                unspent="500.000.000", amount="600.000.000"
            )
        },
    )
    backwards = post(client, {**extension, "to_year": 2023, "amount_vnd": 100})
    assert backwards.json()["errors"] == {"to_year": str(money_services.TO_YEAR_NOT_LATER)}
    missing = post(client, {**extension, "to_year": None})
    assert missing.json()["errors"] == {"to_year": str(money_services.REQUIRED)}
    assert MoneyRecord.objects.filter(kind="extension").count() == 0
    assert post(client, {**extension, "amount_vnd": 500_000_000}).status_code == 201


@pytest.mark.parametrize("unit_code", [QUANG_NINH, TIEN_YEN, MUONG_PHANG])
def test_a_ba_che_officer_cannot_record_money_of_another_unit(commune_officer, unit_code: str) -> None:
    response = post(client_for(commune_officer), {**ALLOCATION, "unit_code": unit_code})
    assert (response.status_code, response.json()["errors"]) == (
        422,
        {"unit_code": str(money_services.UNKNOWN_UNIT)},
    )
    assert post(client_for(commune_officer), {**ALLOCATION, "unit_code": BA_CHE}).status_code == 201
    assert list(MoneyRecord.objects.values_list("unit__code", flat=True)) == [BA_CHE]


def test_an_analyst_may_read_but_not_record(analyst) -> None:
    response = post(client_for(analyst), ALLOCATION)
    assert response.status_code == 403
    assert not MoneyRecord.objects.exists()


def test_the_summary_covers_the_unit_and_everything_under_it(province_officer) -> None:
    # Given: Quảng Ninh plans 10 bn; allocations 1.6 bn budget at the province and 8.4 bn non-budget
    # in Ba Chẽ; disbursements 1.2 bn + 6.3 bn; one allocation of Tiên Yên in 2020 (outside the years)
    record("plan", 2024, QUANG_NINH, 10_000_000_000)
    record("allocation", 2024, QUANG_NINH, 1_600_000_000, source="central_investment")
    record("allocation", 2024, BA_CHE, 8_400_000_000, source="socialised")
    record("disbursement", 2024, QUANG_NINH, 1_200_000_000)
    record("disbursement", 2024, BA_CHE, 6_300_000_000, source="socialised")
    record("allocation", 2020, TIEN_YEN, 999)
    client = client_for(province_officer)
    # When / Then: the province
    assert summary(client, "era=current&unit_code=22&from_year=2021&to_year=2025") == {
        "era": "current",
        "unit_code": "22",
        "from_year": 2021,
        "to_year": 2025,
        "component": None,
        "planned": 10_000_000_000,
        "allocated": 10_000_000_000,
        "disbursed": 7_500_000_000,
        "extended": 0,
        "unspent": 2_500_000_000,
        "budget": 1_600_000_000,
        "non_budget": 8_400_000_000,
        "disbursement_rate": 0.75,
        "leverage": 5.25,
    }
    # and the commune alone
    commune = summary(client, "era=current&unit_code=06970&from_year=2021&to_year=2025")
    assert (commune["allocated"], commune["disbursed"], commune["budget"], commune["leverage"]) == (
        8_400_000_000,
        6_300_000_000,
        0,
        None,
    )
    assert commune["disbursement_rate"] == 0.75


def test_rates_are_null_when_nothing_was_allocated(province_officer) -> None:
    body = summary(client_for(province_officer), "unit_code=22&from_year=2021&to_year=2025")
    assert (body["allocated"], body["disbursement_rate"], body["leverage"]) == (0, None, None)


def test_the_component_filter_covers_the_component_and_its_sub_projects(province_officer) -> None:
    record("allocation", 2024, QUANG_NINH, 100, component="1719-DA4-TDA1")
    record("allocation", 2024, QUANG_NINH, 20, component="1719-DA4-TDA2")
    record("allocation", 2024, QUANG_NINH, 3, component="1719-DA3-TDA1")
    client = client_for(province_officer)
    query = "unit_code=22&from_year=2024&to_year=2024&component="
    assert summary(client, query + "1719-DA4")["allocated"] == 120
    assert summary(client, query + "1719-DA4-TDA2")["allocated"] == 20
    assert client.get(f"/api/v1/money/summary?{query}NOPE").status_code == 400


def test_an_allocation_extended_twice_counts_its_latest_extension_once(province_officer) -> None:
    # Given 2023 capital of 1 bn, 400 m disbursed, 600 m extended into 2024, of which 250 m into 2025
    record("allocation", 2023, QUANG_NINH, 1_000_000_000)
    record("disbursement", 2023, QUANG_NINH, 400_000_000)
    record("extension", 2023, QUANG_NINH, 600_000_000, to_year=2024)
    record("disbursement", 2023, QUANG_NINH, 350_000_000, document_no="UNC-2024", document_date="2024-06-01")
    record("extension", 2023, QUANG_NINH, 250_000_000, to_year=2025, document_date="2024-12-20")
    client = client_for(province_officer)
    body = summary(client, "unit_code=22&from_year=2023&to_year=2023")
    assert (body["allocated"], body["disbursed"], body["unspent"], body["extended"]) == (
        1_000_000_000,
        750_000_000,
        250_000_000,
        250_000_000,
    )
    # At the end of 2023 only the first extension had been decided
    at_2023 = summary(client, "unit_code=22&from_year=2023&to_year=2023&on_date=2023-12-31")
    assert (at_2023["disbursed"], at_2023["extended"]) == (400_000_000, 600_000_000)


@pytest.mark.parametrize(
    "query",
    ["unit_code=22&from_year=2021&to_year=2025", f"unit_code={MUONG_PHANG}&from_year=2021&to_year=2025"],
)
def test_a_ba_che_officer_is_denied_the_summary_of_other_units(commune_officer, query: str) -> None:
    record("allocation", 2024, QUANG_NINH, 5)
    assert client_for(commune_officer).get(f"/api/v1/money/summary?{query}").status_code == 404


def test_programmes_list_ntp_1719_with_its_ten_projects_and_sub_projects(commune_officer) -> None:
    body = client_for(commune_officer).get("/api/v1/programmes").json()
    assert [item["code"] for item in body["items"]] == ["1719", "GNBV", "NTM"]
    ntp = body["items"][0]
    assert [component["code"] for component in ntp["components"]] == [f"1719-DA{n}" for n in range(1, 11)]
    project_4 = ntp["components"][3]
    assert project_4["numbering"] == "Dự án 4"
    assert [(c["code"], c["components"]) for c in project_4["components"]] == [
        ("1719-DA4-TDA1", []),
        ("1719-DA4-TDA2", []),
    ]
    assert [len(c["components"]) for c in ntp["components"]] == [0, 0, 2, 2, 4, 0, 0, 0, 2, 3]
    assert [len(item["components"]) for item in body["items"][1:]] == [7, 11]


def test_capital_sources_say_which_are_state_budget(commune_officer) -> None:
    body = client_for(commune_officer).get("/api/v1/capital-sources").json()
    assert [(item["code"], item["is_budget"]) for item in body["items"]] == [
        ("central_investment", True),
        ("central_recurrent", True),
        ("local_budget", True),
        ("policy_credit", False),
        ("socialised", False),
        ("people_contribution", False),
    ]


def test_names_follow_the_language(commune_officer) -> None:
    # The language is the one the user chose (the language cookie), Vietnamese by default
    client = client_for(commune_officer)
    vi = client.get("/api/v1/capital-sources", HTTP_ACCEPT_LANGUAGE="en").json()["items"][0]["name"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = client.get("/api/v1/capital-sources").json()["items"][0]["name"]
    assert (vi, en) == ("Ngân sách trung ương (vốn đầu tư phát triển)", "Central budget (investment)")
