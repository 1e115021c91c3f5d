"""A duplicate identity number or household code is named only to a user who may see the household
holding it; a Ba Chẽ officer typing a number or code held in Điện Biên learns that it is taken, never
where, through the service, the page and the API, and nothing is written."""

import html
import re

import pytest
from django.utils import translation

from tests.conftest import MUONG_PHANG, QUANG_NINH, client_for, current_unit
from vungcao.common.errors import ApplicationError
from vungcao.geo.services import villages
from vungcao.registry.models import Household, HouseholdEvent, Member
from vungcao.registry.services.households import (
    CODE_TAKEN_ELSEWHERE,
    IDENTITY_TAKEN_ELSEWHERE,
    MemberData,
    household_create,
    household_split,
)

pytestmark = pytest.mark.django_db

DIEN_BIEN_IDENTITY = "011090000333"
DIEN_BIEN_CODE = "03325-001-0001"
BA_CHE_IDENTITY = "022080000222"
BA_CHE_CODE = "06970-001-0001"
# What the Điện Biên household would give away: its code, its village, commune and province.
DIEN_BIEN_NAMES = (DIEN_BIEN_CODE, "03325", "Mường Phăng", "Điện Biên", "333")


@pytest.fixture
def dien_bien_household(administrator) -> Household:
    village = villages.village_create(user=administrator, commune=current_unit(MUONG_PHANG), name="Bản Cang")
    return household_create(
        user=administrator,
        village=village,
        code=DIEN_BIEN_CODE,
        area="rural",
        members=[MemberData("Lò Văn Pánh", "male", 1990, "03", "head", identity_number=DIEN_BIEN_IDENTITY)],
    )


@pytest.fixture
def ba_che_household(commune_officer, ba_che_villages) -> Household:
    return household_create(
        user=commune_officer,
        village=ba_che_villages[0],
        code=BA_CHE_CODE,
        area="rural",
        members=[
            MemberData("Triệu Văn Pao", "male", 1955, "09", "head"),
            MemberData("Triệu Văn Sinh", "male", 1980, "09", "child", identity_number=BA_CHE_IDENTITY),
        ],
    )


def written() -> tuple[int, int, int]:
    return Household.objects.count(), Member.objects.count(), HouseholdEvent.objects.count()


def vietnamese(message: object) -> str:
    with translation.override("vi"):
        return str(message)


def names_nothing_out_of_scope(text: str) -> bool:
    """No trace of the Điện Biên household, apart from what the officer typed (echoed in the form)."""
    shown = re.sub(r'value="[^"]*"', "", text)
    return not any(name in shown for name in DIEN_BIEN_NAMES)


def create_in_ba_che(user, village, *, code: str = "06970-001-0100", identity_number: str = "") -> Household:
    return household_create(
        user=user,
        village=village,
        code=code,
        area="rural",
        members=[MemberData("Người Mới", "male", 1990, "09", "head", identity_number=identity_number)],
    )


# --- the service ----------------------------------------------------------------------------------------


def test_an_identity_number_held_in_another_province_is_refused_without_naming_it(
    commune_officer, ba_che_villages, dien_bien_household
) -> None:
    before = written()
    with translation.override("en"), pytest.raises(ApplicationError) as refused:
        create_in_ba_che(commune_officer, ba_che_villages[0], identity_number=DIEN_BIEN_IDENTITY)
    assert (
        refused.value.message == "This identity number is already registered elsewhere; contact the province."
    )
    assert names_nothing_out_of_scope(refused.value.message)
    assert written() == before


def test_a_household_code_used_in_another_province_is_refused_without_naming_it(
    commune_officer, ba_che_villages, dien_bien_household
) -> None:
    before = written()
    with translation.override("en"), pytest.raises(ApplicationError) as refused:
        create_in_ba_che(commune_officer, ba_che_villages[0], code=DIEN_BIEN_CODE)
    assert (
        refused.value.message == "This household code is already registered elsewhere; contact the province."
    )
    assert written() == before


def test_a_split_into_a_code_used_in_another_province_is_refused_without_naming_it(
    commune_officer, ba_che_household, dien_bien_household
) -> None:
    son = ba_che_household.members.get(full_name="Triệu Văn Sinh")
    before = written()
    with translation.override("en"), pytest.raises(ApplicationError) as refused:
        household_split(
            user=commune_officer,
            household=ba_che_household,
            member_ids=[son.pk],
            new_code=DIEN_BIEN_CODE,
            new_head_id=son.pk,
            on=ba_che_household.created_at.date(),
        )
    assert (
        refused.value.message == "This household code is already registered elsewhere; contact the province."
    )
    assert written() == before
    assert Member.objects.filter(left_on__isnull=False).count() == 0


def test_inside_the_scope_the_duplicate_names_the_household(
    commune_officer, make_user, ba_che_villages, ba_che_household
) -> None:
    province_officer = make_user("quangninh-officer", "province_officer", QUANG_NINH)
    for user in (commune_officer, province_officer):
        with translation.override("en"), pytest.raises(ApplicationError) as refused:
            create_in_ba_che(user, ba_che_villages[1], identity_number=BA_CHE_IDENTITY)
        assert refused.value.message == (
            f"Identity number ending 222 already belongs to a member of household {BA_CHE_CODE}."
        )
        with translation.override("en"), pytest.raises(ApplicationError) as refused:
            create_in_ba_che(user, ba_che_villages[1], code=BA_CHE_CODE)
        assert refused.value.message == f"The household code {BA_CHE_CODE} is already used."


def test_an_administrator_is_told_which_household_holds_the_number(
    administrator, ba_che_villages, dien_bien_household
) -> None:
    with translation.override("en"), pytest.raises(ApplicationError) as refused:
        create_in_ba_che(administrator, ba_che_villages[0], identity_number=DIEN_BIEN_IDENTITY)
    assert DIEN_BIEN_CODE in refused.value.message


# --- the page and the API -------------------------------------------------------------------------------


def page_post(client, *, code: str, identity_number: str):
    rows = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "30",
        "form-0-full_name": "Người Mới",
        "form-0-sex": "male",
        "form-0-birth_year": "1990",
        "form-0-ethnic_group": "09",
        "form-0-relation_to_head": "head",
        "form-0-identity_number": identity_number,
    }
    return client.post(
        "/registry/households/new/", {"village_code": "06970-001", "code": code, "area": "rural", **rows}
    )


def api_post(client, *, code: str, identity_number: str):
    member = {
        "full_name": "Người Mới",
        "sex": "male",
        "birth_year": 1990,
        "ethnic_group": "09",
        "relation_to_head": "head",
        "identity_number": identity_number,
    }
    return client.post(
        "/api/v1/households",
        data={"code": code, "village_code": "06970-001", "area": "rural", "members": [member]},
        content_type="application/json",
    )


CASES = [
    pytest.param(
        {"code": "06970-001-0100", "identity_number": DIEN_BIEN_IDENTITY}, IDENTITY_TAKEN_ELSEWHERE, id="id"
    ),
    pytest.param({"code": DIEN_BIEN_CODE, "identity_number": ""}, CODE_TAKEN_ELSEWHERE, id="code"),
]


@pytest.mark.parametrize(("typed", "message"), CASES)
def test_the_page_refuses_an_out_of_scope_duplicate_without_naming_it(
    commune_officer, ba_che_villages, dien_bien_household, typed, message
) -> None:
    before = written()
    response = page_post(client_for(commune_officer), **typed)
    page = response.content.decode()
    assert response.status_code == 200
    assert html.escape(vietnamese(message)) in page
    assert names_nothing_out_of_scope(page)
    assert written() == before


@pytest.mark.parametrize(("typed", "message"), CASES)
def test_the_api_refuses_an_out_of_scope_duplicate_without_naming_it(
    commune_officer, ba_che_villages, dien_bien_household, typed, message
) -> None:
    before = written()
    response = api_post(client_for(commune_officer), **typed)
    assert (response.status_code, response.json()) == (400, {"detail": vietnamese(message)})
    assert names_nothing_out_of_scope(response.content.decode())
    assert written() == before


def test_the_page_and_the_api_name_a_duplicate_inside_the_scope(commune_officer, ba_che_household) -> None:
    client = client_for(commune_officer)
    before = written()
    page = page_post(client, code="06970-001-0100", identity_number=BA_CHE_IDENTITY).content.decode()
    assert BA_CHE_CODE in page
    refused = api_post(client, code="06970-001-0100", identity_number=BA_CHE_IDENTITY)
    assert refused.status_code == 400
    assert BA_CHE_CODE in refused.json()["detail"]
    assert written() == before
