"""One permission decides the questionnaire upload page, its link and every row: a role whose rows would
all be refused is refused the page and never offered it."""

import pytest

from tests.conftest import BA_CHE, QUANG_NINH, client_for, current_unit
from tests.imports.helpers import upload
from tests.registry.conftest import QuestionnaireRow, csv_text
from vungcao.accounts import access
from vungcao.accounts.models import Role
from vungcao.imports.models import ImportBatch
from vungcao.imports.registry import importers

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(Role))
def test_the_page_and_the_rows_are_decided_by_one_permission(make_user, role) -> None:
    """For every role: may it import questionnaires exactly when it may enter the answers of a commune
    of its scope (the rows' check)?"""
    scopes = {Role.COMMUNE_OFFICER: BA_CHE, Role.PROVINCE_OFFICER: QUANG_NINH}
    user = make_user("someone", role, scopes.get(role))
    assert importers()["questionnaire"].may_import(user) == access.can_enter_answers(
        user, current_unit(BA_CHE)
    )


@pytest.mark.parametrize("role", [Role.MINISTRY_ANALYST, Role.AGGREGATE_VIEWER])
def test_a_role_refused_the_rows_is_refused_the_page_and_never_offered_it(
    make_user, ba_che_review, questionnaire_row: QuestionnaireRow, role
) -> None:
    client = client_for(make_user("reader", role))
    assert client.get("/imports/new/questionnaire/").status_code == 404
    assert "/imports/new/questionnaire/" not in client.get("/imports/").content.decode()
    page = client.get(f"/registry/reviews/{ba_che_review.cycle_id}/{BA_CHE}/").content.decode()
    assert "/imports/new/questionnaire/" not in page
    response = upload(client, "questionnaire", csv_text([questionnaire_row("H1", "Hoàng Văn A")]))
    assert response.status_code == 404
    assert not ImportBatch.objects.exists()


def test_the_commune_officer_is_offered_the_page(commune_officer, ba_che_review) -> None:
    client = client_for(commune_officer)
    assert client.get("/imports/new/questionnaire/").status_code == 200
    assert "/imports/new/questionnaire/" in client.get("/imports/").content.decode()
