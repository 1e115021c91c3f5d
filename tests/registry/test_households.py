"""A household moves, splits (a son's family becomes its own household) or merges, keeping its history."""

import datetime

import pytest

from tests.conftest import BA_CHE, MUONG_PHANG, current_unit
from vungcao.common.errors import ApplicationError, PermissionDeniedError
from vungcao.geo.services import villages
from vungcao.registry import identity
from vungcao.registry.models import Household, HouseholdEvent, Member
from vungcao.registry.services.households import (
    MemberData,
    household_create,
    household_merge,
    household_move,
    household_split,
)

pytestmark = pytest.mark.django_db
ON = datetime.date(2025, 9, 1)


def test_a_household_is_created_with_its_members_and_a_created_event(family) -> None:
    assert (family.head_ethnic_group, family.members.count()) == ("09", 4)
    assert list(family.events.values_list("kind", flat=True)) == [HouseholdEvent.Kind.CREATED]
    son = family.members.get(full_name="Triệu Văn Sinh")
    assert (son.identity_last_digits, identity.reveal(son.identity_encrypted)) == ("222", "022080000222")
    assert son.identity_digest == identity.identity_digest("022080000222")


def test_the_same_identity_number_cannot_belong_to_two_households(
    commune_officer, family, ba_che_villages
) -> None:
    with pytest.raises(ApplicationError, match="06970-001-0001"):
        household_create(
            user=commune_officer,
            village=ba_che_villages[1],
            code="06970-002-0001",
            area="rural",
            members=[MemberData("Người Khác", "male", 1990, "01", "head", identity_number="022080000222")],
        )
    assert not Household.objects.filter(code="06970-002-0001").exists()


def test_a_member_born_in_the_future_or_a_second_head_is_refused(commune_officer, ba_che_villages) -> None:
    for members in (
        [MemberData("A", "male", 2999, "01", "head")],
        [MemberData("A", "male", 1990, "01", "head"), MemberData("B", "female", 1991, "01", "head")],
    ):
        with pytest.raises(ApplicationError):
            household_create(
                user=commune_officer, village=ba_che_villages[0], code="X", area="rural", members=members
            )
    assert not Household.objects.exists()


def test_a_sons_family_splits_off_and_both_keep_their_history(commune_officer, family) -> None:
    son, wife, child = (
        family.members.get(full_name=name) for name in ("Triệu Văn Sinh", "Bàn Thị Mai", "Triệu Văn Tài")
    )
    new = household_split(
        user=commune_officer,
        household=family,
        member_ids=[son.pk, wife.pk, child.pk],
        new_code="06970-001-0002",
        new_head_id=son.pk,
        on=ON,
    )
    assert sorted(new.members.values_list("full_name", "relation_to_head")) == [
        ("Bàn Thị Mai", "other"),
        ("Triệu Văn Sinh", "head"),
        ("Triệu Văn Tài", "other"),
    ]
    assert list(family.members.filter(left_on__isnull=True).values_list("full_name", flat=True)) == [
        "Triệu Văn Pao"
    ]
    assert set(family.members.filter(left_on=ON).values_list("full_name", flat=True)) == {
        "Triệu Văn Sinh",
        "Bàn Thị Mai",
        "Triệu Văn Tài",
    }
    event = new.events.get(kind=HouseholdEvent.Kind.SPLIT_FROM)
    assert (event.other_household, event.happened_on) == (family, ON)


def test_a_split_must_leave_the_head_and_take_a_new_head(commune_officer, family) -> None:
    head = family.members.get(relation_to_head="head")
    son = family.members.get(full_name="Triệu Văn Sinh")
    with pytest.raises(ApplicationError):
        household_split(
            user=commune_officer,
            household=family,
            member_ids=[head.pk],
            new_code="N",
            new_head_id=head.pk,
            on=ON,
        )
    with pytest.raises(ApplicationError):
        household_split(
            user=commune_officer, household=family, member_ids=[son.pk], new_code="N", new_head_id=999, on=ON
        )
    assert Household.objects.count() == 1
    assert Member.objects.filter(left_on__isnull=False).count() == 0


def test_a_household_moves_between_villages_with_an_event(commune_officer, family, ba_che_villages) -> None:
    household_move(user=commune_officer, household=family, to_village=ba_che_villages[1], on=ON)
    family.refresh_from_db()
    event = family.events.get(kind=HouseholdEvent.Kind.MOVED)
    assert (family.village, event.from_village, event.to_village) == (
        ba_che_villages[1],
        ba_che_villages[0],
        ba_che_villages[1],
    )


def test_a_commune_officer_cannot_move_a_household_into_another_commune(
    commune_officer, family, administrator
) -> None:
    elsewhere = villages.village_create(
        user=administrator, commune=current_unit(MUONG_PHANG), name="Bản Che Căn"
    )
    with pytest.raises(PermissionDeniedError):
        household_move(user=commune_officer, household=family, to_village=elsewhere, on=ON)
    family.refresh_from_db()
    assert family.village.parent.code == BA_CHE


def test_merging_dissolves_one_household_into_another(commune_officer, family, ba_che_villages) -> None:
    other = household_create(
        user=commune_officer,
        village=ba_che_villages[1],
        code="06970-002-0001",
        area="rural",
        members=[MemberData("Lý Thị Hoa", "female", 1940, "09", "head")],
    )
    household_merge(user=commune_officer, household=other, into=family, on=ON)
    other.refresh_from_db()
    assert other.dissolved_on == ON
    assert family.members.filter(left_on__isnull=True).count() == 5
    assert other.events.get(kind=HouseholdEvent.Kind.MERGED_INTO).other_household == family
    with pytest.raises(ApplicationError):
        household_merge(user=commune_officer, household=other, into=family, on=ON)


def test_the_pages_split_move_and_merge(commune_officer, family, ba_che_villages) -> None:
    from tests.conftest import client_for

    client = client_for(commune_officer)
    son = family.members.get(full_name="Triệu Văn Sinh")
    wife = family.members.get(full_name="Bàn Thị Mai")
    response = client.post(
        f"/registry/households/{family.code}/split/",
        {"members": [son.pk, wife.pk], "new_head": son.pk, "new_code": "06970-001-0002", "on": "2025-09-01"},
    )
    assert response["Location"] == "/registry/households/06970-001-0002/"
    client.post(
        "/registry/households/06970-001-0002/move/", {"village_code": "06970-002", "on": "2025-10-01"}
    )
    assert Household.objects.get(code="06970-001-0002").village == ba_che_villages[1]
    client.post("/registry/households/06970-001-0002/merge/", {"into_code": family.code, "on": "2025-11-01"})
    assert Household.objects.get(code="06970-001-0002").dissolved_on == datetime.date(2025, 11, 1)


def test_a_household_is_registered_through_the_page(commune_officer, ba_che_villages) -> None:
    from tests.conftest import client_for

    rows = {
        "form-TOTAL_FORMS": "6",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "30",
    }
    member = {
        "full_name": "Lò Văn Hặc",
        "sex": "male",
        "birth_year": "1970",
        "ethnic_group": "03",
        "relation_to_head": "head",
    }
    rows.update({f"form-0-{name}": value for name, value in member.items()})
    response = client_for(commune_officer).post(
        "/registry/households/new/",
        {"village_code": "06970-001", "code": "06970-001-0100", "area": "rural", **rows},
    )
    assert response["Location"] == "/registry/households/06970-001-0100/"
    assert Household.objects.get(code="06970-001-0100").head_ethnic_group == "03"


def test_only_the_roles_that_register_households_are_offered_the_form(commune_officer, analyst) -> None:
    from tests.conftest import client_for

    officer, reader = client_for(commune_officer), client_for(analyst)
    assert b"/registry/households/new/" in officer.get("/registry/households/").content
    assert officer.get("/registry/households/new/").status_code == 200
    assert b"/registry/households/new/" not in reader.get("/registry/households/").content
    assert reader.get("/registry/households/new/").status_code == 403
    assert reader.post("/registry/households/new/", {"code": "X"}).status_code == 403


def test_the_api_registers_moves_splits_and_merges_and_denies_other_communes(
    commune_officer, family, ba_che_villages, administrator
) -> None:
    from tests.conftest import client_for

    client = client_for(commune_officer)
    created = client.post(
        "/api/v1/households",
        data={
            "code": "06970-002-0001",
            "village_code": "06970-002",
            "area": "rural",
            "members": [
                {
                    "full_name": "Lý A Pao",
                    "sex": "male",
                    "birth_year": 1990,
                    "ethnic_group": "08",
                    "relation_to_head": "head",
                }
            ],
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["members"][0]["full_name"] == "Lý A Pao"
    bad = client.post(
        "/api/v1/households",
        data={"code": "X", "village_code": "06970-002", "area": "mountain", "members": []},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert {tuple(error["loc"][-1:]) for error in bad.json()["detail"]} == {("area",), ("members",)}
    son = family.members.get(full_name="Triệu Văn Sinh")
    split = client.post(
        f"/api/v1/households/{family.code}/split",
        data={
            "member_ids": [son.pk],
            "new_code": "06970-001-0003",
            "new_head_id": son.pk,
            "on": "2025-09-01",
        },
        content_type="application/json",
    )
    assert (split.status_code, split.json()["code"]) == (201, "06970-001-0003")
    moved = client.post(
        "/api/v1/households/06970-001-0003/move",
        data={"village_code": "06970-002", "on": "2025-10-01"},
        content_type="application/json",
    )
    assert moved.json()["village_code"] == "06970-002"
    elsewhere = villages.village_create(
        user=administrator, commune=current_unit(MUONG_PHANG), name="Bản Cang"
    )
    denied = client.post(
        "/api/v1/households/06970-001-0003/move",
        data={"village_code": elsewhere.code, "on": "2025-10-01"},
        content_type="application/json",
    )
    assert denied.status_code == 404
    assert Household.objects.get(code="06970-001-0003").village.code == "06970-002"
