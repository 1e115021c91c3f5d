"""The aggregate-only viewer follows revolving funds (turns, dates, overdue hand-overs) on every page,
endpoint and export without ever seeing which household holds the item; officers still see it."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from tests.conftest import BA_CHE, QUANG_NINH, client_for, current_unit
from tests.exports.helpers import exported_file
from tests.programs.helpers import admin, record
from vungcao.programs.models import Component, RevolvingHolding
from vungcao.programs.services import activities as services

pytestmark = pytest.mark.django_db

HANDED_ON, HOLDING = "06970-001-0001", "06970-001-0002"
CODES = (HANDED_ON, HOLDING)

PAGES = [
    "/programs/revolving-funds/",
    f"/programs/revolving-funds/?unit={BA_CHE}",
    f"/programs/?unit={QUANG_NINH}&from_year=2024&to_year=2025",
    f"/programs/?unit={BA_CHE}&from_year=2024&to_year=2025",
    "/programs/support/",
    "/api/v1/revolving-funds",
    f"/api/v1/revolving-funds?unit_code={BA_CHE}&on=2025-07-01",
    "/api/v1/support",
]
EXPORTS = [{"unit": unit, "from_year": 2024, "to_year": 2025} for unit in (QUANG_NINH, BA_CHE)]


@pytest.fixture
def cow_passed_on() -> RevolvingHolding:
    """A cow passed from one Ba Chẽ household to another, whose turn is long overdue."""
    model = services.revolving_model_create(
        user=admin(),
        component=Component.objects.get(code="1719-DA3-TDA1"),
        unit=current_unit(BA_CHE),
        name="Bò sinh sản",
        item="1 bò cái",
    )
    for code, received_on, due_on in (
        (HANDED_ON, datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)),
        (HOLDING, datetime.date(2024, 12, 20), datetime.date(2025, 6, 1)),
    ):
        holding = services.revolving_handover_record(
            user=admin(), model=model, household_code=code, received_on=received_on, due_on=due_on
        )
    record("allocation", 2024, BA_CHE, 50_000_000, component="1719-DA3-TDA1")
    return holding


def test_the_aggregate_viewer_sees_the_turns_but_no_household_code_anywhere(make_user, cow_passed_on) -> None:
    client = client_for(make_user("viewer", "aggregate_viewer"))
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        assert not any(code in response.content.decode() for code in CODES), path
    for query in EXPORTS:
        response = exported_file(client, query, kind="money")
        assert response.status_code == 200, query
        cells = [
            str(value)
            for sheet in load_workbook(io.BytesIO(response.content)).worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
        ]
        assert not any(code in cell for cell in cells for code in CODES), path
    # the turns themselves are still there, overdue marked, with no household named
    listed = client.get("/api/v1/revolving-funds?on=2025-07-01").json()["items"]
    assert [(h["sequence"], h["household_code"], h["is_overdue"]) for h in listed[0]["holdings"]] == [
        (1, "", False),
        (2, "", True),
    ]
    dashboard = client.get(f"/programs/?unit={BA_CHE}&from_year=2024&to_year=2025").content.decode()
    assert 'id="overdue-holdings"' in dashboard


def test_the_aggregate_viewer_cannot_record_a_hand_over_and_learns_nothing(make_user, cow_passed_on) -> None:
    client = client_for(make_user("viewer", "aggregate_viewer"))
    response = client.post(
        f"/api/v1/revolving-funds/{cow_passed_on.model_id}/handovers",
        {"household_code": "06970-001-0003", "received_on": "2025-07-01", "due_on": "2026-07-01"},
        content_type="application/json",
    )
    assert response.status_code in {403, 404}
    assert not any(code in response.content.decode() for code in CODES)
    assert RevolvingHolding.objects.count() == 2


@pytest.mark.parametrize("role", ["commune_officer", "province_officer"])
def test_officers_still_see_who_holds_the_item(request, role, cow_passed_on) -> None:
    client = client_for(request.getfixturevalue(role))
    page = client.get("/programs/revolving-funds/").content.decode()
    assert HANDED_ON in page
    assert HOLDING in page
    listed = client.get("/api/v1/revolving-funds").json()["items"]
    assert [h["household_code"] for h in listed[0]["holdings"]] == [HANDED_ON, HOLDING]
    dashboard = client.get(f"/programs/?unit={BA_CHE}&from_year=2024&to_year=2025").content.decode()
    assert HOLDING in dashboard
