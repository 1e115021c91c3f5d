"""Works, support and revolving funds over the API: 201 with the row, 422 naming every bad field with
nothing written, and scope on every endpoint (a Ba Chẽ officer is denied other communes' records)."""

import pytest
from django.forms import Field
from django.test import Client

from tests.conftest import BA_CHE, MUONG_PHANG, TIEN_YEN, client_for, current_unit
from tests.programs.helpers import admin, household, housing_missing
from vungcao.engine import money
from vungcao.programs import eligibility
from vungcao.programs.forms import activities as forms
from vungcao.programs.models import (
    Component,
    HouseholdStatus,
    HouseholdSupport,
    RevolvingHolding,
    RevolvingModel,
    Work,
)
from vungcao.programs.services import activities as services
from vungcao.programs.services import money as money_services
from vungcao.programs.services.refusals import REFUSED
from vungcao.registry.models import CommuneReview

pytestmark = pytest.mark.django_db
REQUIRED = str(Field.default_error_messages["required"])

WORK = {
    "unit_code": BA_CHE,
    "component": "1719-DA4-TDA1",
    "kind": "road",
    "name": "Đường thôn Khe Giấy",
    "investment_total_vnd": "4,5 tỷ",
    "output_quantity": 3.5,
    "output_unit": "km",
    "households": 120,
    "start_date": "2024-05-01",
    "planned_end_date": "2025-09-30",
    "status": "in_progress",
    "progress_percent": 70,
}


def post(client: Client, path: str, body: dict[str, object]):
    return client.post(path, body, content_type="application/json")


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def work_in(unit_code: str, name: str) -> Work:
    return services.work_create(
        user=admin(),
        component=Component.objects.get(code="1719-DA4-TDA1"),
        unit=current_unit(unit_code),
        kind="school",
        name=name,
        investment_total_vnd=1,
    )


def model_in(unit_code: str) -> RevolvingModel:
    return services.revolving_model_create(
        user=admin(),
        component=Component.objects.get(code="1719-DA3-TDA1"),
        unit=current_unit(unit_code),
        name="Bò sinh sản",
        item="1 bò cái",
    )


# --- works -------------------------------------------------------------------------------------------


def test_a_commune_officer_records_a_work_and_lists_it(commune_officer) -> None:
    client = client_for(commune_officer)
    response = post(client, "/api/v1/works", WORK)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body == {
        "id": body["id"],
        "unit_code": BA_CHE,
        "unit_name": "Xã Ba Chẽ",
        "component": "1719-DA4-TDA1",
        "kind": "road",
        "name": "Đường thôn Khe Giấy",
        "investment_total_vnd": 4_500_000_000,
        "output_quantity": 3.5,
        "output_unit": "km",
        "households": 120,
        "start_date": "2024-05-01",
        "planned_end_date": "2025-09-30",
        "status": "in_progress",
        "progress_percent": 70,
    }
    assert ids(client.get("/api/v1/works")) == [body["id"]]


def test_every_bad_field_of_a_work_is_named_and_nothing_written(commune_officer) -> None:
    body = {
        "unit_code": BA_CHE,
        "component": "1719-DA99",
        "kind": "castle",
        "investment_total_vnd": "1,500",
        "start_date": "31/02/2024",
    }
    response = post(client_for(commune_officer), "/api/v1/works", body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert sorted(errors) == ["component", "investment_total_vnd", "kind", "name", "start_date"]
    assert errors["component"] == str(forms.UNKNOWN_COMPONENT)
    assert errors["investment_total_vnd"] == str(
        money_services.AMOUNT_REASONS[money.AMOUNT_AMBIGUOUS_SEPARATOR]
    )
    assert errors["name"] == REQUIRED
    # the service's own rules are named the same way
    rules = post(
        client_for(commune_officer),
        "/api/v1/works",
        {**WORK, "status": "done", "progress_percent": 70, "planned_end_date": "2024-01-01"},
    )
    assert (rules.status_code, rules.json()["detail"], rules.json()["errors"]) == (
        422,
        str(REFUSED),
        {
            "progress_percent": str(services.DONE_NOT_COMPLETE),
            "planned_end_date": str(services.END_BEFORE_START),
        },
    )
    assert not Work.objects.exists()


@pytest.mark.parametrize("unit_code", [TIEN_YEN, MUONG_PHANG])
def test_a_ba_che_officer_is_denied_the_works_of_other_communes(commune_officer, unit_code) -> None:
    ours, theirs = work_in(BA_CHE, "Trường Ba Chẽ"), work_in(unit_code, "Trường khác")
    client = client_for(commune_officer)
    assert ids(client.get("/api/v1/works")) == [ours.pk]
    assert client.get(f"/api/v1/works?unit_code={unit_code}").status_code == 404
    response = post(client, "/api/v1/works", {**WORK, "unit_code": unit_code})
    assert (response.status_code, response.json()["errors"]) == (422, {"unit_code": str(forms.UNKNOWN_UNIT)})
    assert list(Work.objects.order_by("pk")) == [ours, theirs]


def test_an_analyst_may_read_works_but_not_record_them(analyst) -> None:
    work_in(BA_CHE, "Trường")
    client = client_for(analyst)
    assert len(ids(client.get("/api/v1/works"))) == 1
    assert post(client, "/api/v1/works", WORK).status_code == 403
    assert Work.objects.count() == 1


# --- support -----------------------------------------------------------------------------------------


def support_body(code: str, **extra: object) -> dict[str, object]:
    return {
        "household_code": code,
        "component": "GNBV-DA5",
        "year": 2024,
        "kind": "housing",
        "amount_vnd": "40 triệu",
        **extra,
    }


def test_housing_support_to_an_eligible_household_is_recorded_and_listed(commune_officer) -> None:
    household("BC-0001", BA_CHE, {2024: ("near_poor", {"housing_area"})})
    client = client_for(commune_officer)
    response = post(client, "/api/v1/support", support_body("BC-0001"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert {key: body[key] for key in body if key not in {"id", "unit_code", "unit_name"}} == {
        "household_code": "BC-0001",
        "linked_to_registry": True,
        "component": "GNBV-DA5",
        "year": 2024,
        "kind": "housing",
        "amount_vnd": 40_000_000,
        "quantity": 0.0,
        "description": "",
        "recorded_status": "near_poor",
        "status_year": 2024,
        "recorded_deprivations": ["housing_area"],
    }
    assert ids(client.get("/api/v1/support")) == [body["id"]]


def test_eligibility_reads_the_latest_approved_review_not_one_under_way(commune_officer) -> None:
    household("BC-0003", BA_CHE, {2023: ("near_poor", {"housing_area"}), 2024: ("not_poor", set())})
    CommuneReview.objects.filter(cycle__year=2024).update(state=CommuneReview.State.SUBMITTED)
    response = post(client_for(commune_officer), "/api/v1/support", support_body("BC-0003"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["recorded_status"], body["status_year"]) == ("near_poor", 2023)


def test_a_refusal_for_eligibility_gives_every_reason_and_writes_nothing(commune_officer) -> None:
    household("BC-0002", BA_CHE, {2024: ("not_poor", {"latrine"})})
    response = post(client_for(commune_officer), "/api/v1/support", support_body("BC-0002"))
    reasons = [
        str(eligibility.NOT_POOR_OR_NEAR_POOR).format(status=HouseholdStatus.NOT_POOR.label),
        housing_missing(),
    ]
    assert response.status_code == 422
    assert response.json() == {
        "detail": str(REFUSED),
        "errors": {"household_code": " ".join(reasons)},
        "reasons": reasons,
    }
    assert not HouseholdSupport.objects.exists()


def test_bad_fields_of_support_are_named(commune_officer) -> None:
    response = post(
        client_for(commune_officer),
        "/api/v1/support",
        {
            "household_code": "NOPE",
            "component": "GNBV-DA5",
            "year": "last",
            "kind": "gold",
            "amount_vnd": "-5",
        },
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert sorted(errors) == ["amount_vnd", "household_code", "kind", "year"]
    assert errors["household_code"] == str(forms.UNKNOWN_HOUSEHOLD)
    assert not HouseholdSupport.objects.exists()


def test_a_ba_che_officer_is_denied_the_support_of_other_communes(commune_officer, province_officer) -> None:
    household("BC-0003", BA_CHE, {2024: ("poor", {"housing_quality"})})
    household("TY-0003", TIEN_YEN, {2024: ("poor", {"housing_quality"})})
    province = client_for(province_officer)
    theirs = post(province, "/api/v1/support", support_body("TY-0003")).json()["id"]
    ours = post(province, "/api/v1/support", support_body("BC-0003")).json()["id"]
    client = client_for(commune_officer)
    assert ids(client.get("/api/v1/support")) == [ours]
    assert client.get(f"/api/v1/support?unit_code={TIEN_YEN}").status_code == 404
    response = post(client, "/api/v1/support", support_body("TY-0003", kind="seedlings"))
    assert (response.status_code, response.json()["errors"]) == (
        422,
        {"household_code": str(forms.UNKNOWN_HOUSEHOLD)},
    )
    assert sorted(HouseholdSupport.objects.values_list("pk", flat=True)) == sorted([ours, theirs])


def test_an_aggregate_viewer_sees_no_support(make_user, commune_officer) -> None:
    household("BC-0004", BA_CHE, {2024: ("poor", {"housing_quality"})})
    assert post(client_for(commune_officer), "/api/v1/support", support_body("BC-0004")).status_code == 201
    viewer = make_user("viewer", "aggregate_viewer")
    assert ids(client_for(viewer).get("/api/v1/support")) == []


# --- revolving funds ---------------------------------------------------------------------------------


def test_a_revolving_model_is_started_handed_over_and_listed_with_overdue_turns(commune_officer) -> None:
    client = client_for(commune_officer)
    created = post(
        client,
        "/api/v1/revolving-funds",
        {"unit_code": BA_CHE, "component": "1719-DA3-TDA1", "name": "Bò sinh sản", "item": "1 bò cái"},
    )
    assert created.status_code == 201, created.content
    model_id = created.json()["id"]
    path = f"/api/v1/revolving-funds/{model_id}/handovers"
    first = post(client, path, {"household_code": "A", "received_on": "2024-01-01", "due_on": "2025-01-01"})
    assert first.status_code == 201
    second = post(client, path, {"household_code": "B", "received_on": "2024-12-20", "due_on": "2025-06-01"})
    assert second.json() == {
        "sequence": 2,
        "household_code": "B",
        "received_on": "2024-12-20",
        "due_on": "2025-06-01",
        "handed_on": None,
        "is_overdue": False,
    }
    listed = client.get("/api/v1/revolving-funds?on=2025-07-01").json()["items"]
    assert [(h["household_code"], h["handed_on"], h["is_overdue"]) for h in listed[0]["holdings"]] == [
        ("A", "2024-12-20", False),
        ("B", None, True),
    ]


def test_a_bad_hand_over_is_named_and_nothing_written(commune_officer) -> None:
    model = model_in(BA_CHE)
    response = post(
        client_for(commune_officer),
        f"/api/v1/revolving-funds/{model.pk}/handovers",
        {"household_code": "", "received_on": "2025-01-01", "due_on": "2024-01-01"},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"household_code": REQUIRED}
    response = post(
        client_for(commune_officer),
        f"/api/v1/revolving-funds/{model.pk}/handovers",
        {"household_code": "A", "received_on": "2025-01-01", "due_on": "2024-01-01"},
    )
    assert response.json()["errors"] == {"due_on": str(services.DUE_BEFORE_RECEIVED)}
    assert not RevolvingHolding.objects.exists()


def test_a_ba_che_officer_is_denied_the_revolving_funds_of_other_communes(commune_officer) -> None:
    ours, theirs = model_in(BA_CHE), model_in(TIEN_YEN)
    client = client_for(commune_officer)
    assert ids(client.get("/api/v1/revolving-funds")) == [ours.pk]
    assert client.get(f"/api/v1/revolving-funds?unit_code={TIEN_YEN}").status_code == 404
    body = {"unit_code": TIEN_YEN, "component": "1719-DA3-TDA1", "name": "Dê", "item": "2 dê"}
    response = post(client, "/api/v1/revolving-funds", body)
    assert (response.status_code, response.json()["errors"]) == (422, {"unit_code": str(forms.UNKNOWN_UNIT)})
    handover = {"household_code": "X", "received_on": "2025-01-01", "due_on": "2026-01-01"}
    assert post(client, f"/api/v1/revolving-funds/{theirs.pk}/handovers", handover).status_code == 404
    assert RevolvingModel.objects.count() == 2
    assert not RevolvingHolding.objects.exists()


def test_entry_endpoints_need_a_login(client) -> None:
    for path in ("/api/v1/works", "/api/v1/support", "/api/v1/revolving-funds"):
        assert client.get(path).status_code == 401
        assert post(client, path, {}).status_code == 401
