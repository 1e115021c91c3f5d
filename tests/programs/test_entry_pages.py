"""The entry pages of works, support and revolving funds: list and create, errors under the fields,
reasons when support is refused, scope on every page; the admin lists every model."""

import pytest

from tests.conftest import BA_CHE, TIEN_YEN, client_for, current_unit
from tests.programs.helpers import admin, household, housing_missing
from vungcao.accounts.models import Role
from vungcao.programs.models import Component, HouseholdSupport, RevolvingHolding, RevolvingModel, Work
from vungcao.programs.services import activities as services

pytestmark = pytest.mark.django_db

WORK = {
    "unit_code": BA_CHE,
    "component": "1719-DA4-TDA1",
    "kind": "school",
    "name": "Trường mầm non Đồn Đạc",
    "investment_total_vnd": "2.500.000.000",
    "output_quantity": "6",
    "output_unit": "phòng học",
    "status": "planned",
}


def test_a_commune_officer_records_a_work_on_the_page_and_sees_it_listed(commune_officer) -> None:
    client = client_for(commune_officer)
    response = client.post("/programs/works/", WORK)
    assert (response.status_code, response["Location"]) == (302, "/programs/works/")
    work = Work.objects.get()
    assert (work.investment_total_vnd, work.unit.code) == (2_500_000_000, BA_CHE)
    html = client.get("/programs/works/").content.decode()
    assert "Trường mầm non Đồn Đạc" in html
    assert "2.500.000.000" in html


def test_errors_show_under_their_fields_and_nothing_is_written(commune_officer) -> None:
    response = client_for(commune_officer).post(
        "/programs/works/", {**WORK, "unit_code": TIEN_YEN, "investment_total_vnd": "1,500"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-unit_code"' in html
    assert 'id="error-investment_total_vnd"' in html
    assert not Work.objects.exists()


def test_a_refused_support_shows_the_reason(commune_officer) -> None:
    household("BC-0001", BA_CHE, {2024: ("poor", {"latrine"})})
    body = {"household_code": "BC-0001", "component": "GNBV-DA5", "year": 2024, "kind": "housing"}
    response = client_for(commune_officer).post("/programs/support/", body)
    html = response.content.decode()
    reason = housing_missing()
    assert 'id="error-household_code"' in html
    assert reason in html
    assert not HouseholdSupport.objects.exists()
    household("BC-0002", BA_CHE, {2024: ("poor", {"housing_quality"})})
    response = client_for(commune_officer).post("/programs/support/", {**body, "household_code": "BC-0002"})
    assert response.status_code == 302
    assert (
        "/registry/households/BC-0002/"
        in client_for(commune_officer).get("/programs/support/").content.decode()
    )


def test_a_revolving_model_is_started_and_handed_over_on_the_page(commune_officer) -> None:
    client = client_for(commune_officer)
    body = {
        "unit_code": BA_CHE,
        "component": "1719-DA3-TDA1",
        "name": "Lợn nái quay vòng",
        "item": "1 lợn nái",
    }
    assert client.post("/programs/revolving-funds/", body).status_code == 302
    model = RevolvingModel.objects.get()
    handover = {"household_code": "BC-0009", "received_on": "2024-01-10", "due_on": "2024-12-31"}
    assert client.post(f"/programs/revolving-funds/{model.pk}/handover/", handover).status_code == 302
    assert RevolvingHolding.objects.get().household_code == "BC-0009"
    html = client.get("/programs/revolving-funds/").content.decode()
    assert "Lợn nái quay vòng" in html
    assert "BC-0009" in html


def test_a_ba_che_officer_is_denied_other_communes_on_every_entry_page(commune_officer) -> None:
    theirs = services.work_create(
        user=admin(),
        component=Component.objects.get(code="1719-DA4-TDA1"),
        unit=current_unit(TIEN_YEN),
        kind="road",
        name="Đường Tiên Yên",
        investment_total_vnd=1,
    )
    model = services.revolving_model_create(
        user=admin(),
        component=theirs.component,
        unit=current_unit(TIEN_YEN),
        name="Bò Tiên Yên",
        item="1 bò",
    )
    client = client_for(commune_officer)
    for path in ("/programs/works/", "/programs/support/", "/programs/revolving-funds/"):
        assert client.get(f"{path}?unit={TIEN_YEN}").status_code == 404
    assert "Đường Tiên Yên" not in client.get("/programs/works/").content.decode()
    assert "Bò Tiên Yên" not in client.get("/programs/revolving-funds/").content.decode()
    handover = {"household_code": "X", "received_on": "2024-01-10", "due_on": "2024-12-31"}
    assert client.post(f"/programs/revolving-funds/{model.pk}/handover/", handover).status_code == 404
    assert not RevolvingHolding.objects.exists()


def test_an_analyst_sees_the_lists_without_forms_and_may_not_post(analyst) -> None:
    client = client_for(analyst)
    html = client.get("/programs/works/").content.decode()
    assert 'id="work-form"' not in html
    assert client.post("/programs/works/", WORK).status_code == 403
    assert not Work.objects.exists()


@pytest.mark.parametrize(
    "model",
    [
        "programme",
        "component",
        "capitalsource",
        "moneyrecord",
        "work",
        "householdsupport",
        "revolvingmodel",
        "revolvingholding",
    ],
)
def test_the_admin_lists_every_model(make_user, model: str) -> None:
    superuser = make_user("root", Role.ADMINISTRATOR)
    superuser.is_staff = superuser.is_superuser = True
    superuser.save()
    assert client_for(superuser).get(f"/admin/programs/{model}/").status_code == 200
