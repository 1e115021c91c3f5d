"""Named groups of units renamed, their members changed and removed, through the service, the API and the
group's pages, by those who keep the groups of its province.

Given Quảng Ninh's group "Xã đặc biệt khó khăn" of Ba Chẽ and Tiên Yên, when its province officer renames
it or ticks its members again, then each change is checked as when the group was made (a name of its own,
members under the province, none inside another) and stored, or refused with nothing changed; a group for
which targets are set is not removed, and the refusal says how many.
"""

from collections.abc import Callable

import pytest

from tests.conftest import BA_CHE, DIEN_BIEN, MUONG_PHANG, QUANG_NINH, TIEN_YEN, client_for, current_unit
from tests.indicators.helpers import english, reading, refused
from tests.indicators.test_pages import field_errors
from vungcao.accounts.models import Role, User
from vungcao.common.errors import NotFoundError, PermissionDeniedError
from vungcao.geo.services import villages
from vungcao.indicators.models import Target, UnitGroup
from vungcao.indicators.services.groups import (
    DUPLICATE_GROUP,
    GROUP_HOLDS_TARGETS,
    MEMBERS_OVERLAP,
    UNKNOWN_MEMBERS,
    unit_group_create,
    unit_group_delete,
    unit_group_update,
)
from vungcao.indicators.services.targets import target_create
from vungcao.programs.services.money import REQUIRED

pytestmark = pytest.mark.django_db

GROUPS = "/api/v1/unit-groups"


@pytest.fixture
def group(province_officer: User) -> UnitGroup:
    return unit_group_create(
        user=province_officer, values={"name": "Xã đặc biệt khó khăn", "member_codes": [BA_CHE, TIEN_YEN]}
    )


def as_stored(group: UnitGroup) -> tuple[str, list[str]]:
    group = UnitGroup.objects.get(pk=group.pk)
    return group.name, sorted(group.members.values_list("code", flat=True))


def group_target(user: User, group: UnitGroup) -> Target:
    return target_create(
        user=user,
        values={
            "indicator": "poverty_rate",
            "group": group.pk,
            "baseline_year": 2024,
            "target_year": 2030,
            "kind": "at_most",
            "value": 5,
        },
    )


def test_a_group_is_renamed_and_its_members_changed(
    province_officer: User, group: UnitGroup, make_user: Callable[..., User]
) -> None:
    changed = unit_group_update(
        user=province_officer, group_id=group.pk, values={"name": "Xã khó khăn", "member_codes": [BA_CHE]}
    )

    assert changed.pk == group.pk
    assert as_stored(group) == ("Xã khó khăn", [BA_CHE])
    assert (changed.era, changed.owner) == ("current", current_unit(QUANG_NINH))
    # Its own name again is no duplicate
    unit_group_update(
        user=province_officer, group_id=group.pk, values={"name": "Xã khó khăn", "member_codes": [TIEN_YEN]}
    )
    assert as_stored(group) == ("Xã khó khăn", [TIEN_YEN])


def test_a_bad_change_is_refused_by_field_and_changes_nothing(
    province_officer: User, group: UnitGroup
) -> None:
    """Given another group named "Xã biên giới", a village of Ba Chẽ, then that name, the village with its
    commune and a commune of Điện Biên are each refused, and the group keeps its name and members."""
    unit_group_create(user=province_officer, values={"name": "Xã biên giới", "member_codes": [TIEN_YEN]})
    village = villages.village_create(
        user=province_officer, commune=current_unit(BA_CHE), name="Thôn Khe Giấy"
    )
    before = as_stored(group)

    def change(**values: object) -> dict[str, str]:
        asked = {"name": "Xã đặc biệt khó khăn", "member_codes": [BA_CHE], **values}
        return refused(lambda: unit_group_update(user=province_officer, group_id=group.pk, values=asked))

    assert change(name=" Xã biên giới ") == {"name": english(DUPLICATE_GROUP)}
    assert change(member_codes=[BA_CHE, village.code]) == {
        "member_codes": english(MEMBERS_OVERLAP, inner=village.name, outer=current_unit(BA_CHE).name)
    }
    assert change(member_codes=[BA_CHE, MUONG_PHANG]) == {
        "member_codes": english(UNKNOWN_MEMBERS, codes=MUONG_PHANG)
    }
    assert change(name="", member_codes=[]) == {
        "name": english(REQUIRED),
        "member_codes": "A group needs at least one member unit under its owner.",
    }
    assert as_stored(group) == before


def test_a_group_for_which_targets_are_set_is_not_removed(province_officer: User, group: UnitGroup) -> None:
    targets = [group_target(province_officer, group) for _ in range(2)]

    problems = refused(lambda: unit_group_delete(user=province_officer, group_id=group.pk))

    assert problems == {"group": english(GROUP_HOLDS_TARGETS, count=2)}
    assert UnitGroup.objects.filter(pk=group.pk).exists()
    Target.objects.filter(pk__in=[target.pk for target in targets]).delete()
    unit_group_delete(user=province_officer, group_id=group.pk)
    assert not UnitGroup.objects.exists()


def test_another_provinces_group_is_not_found_and_a_reader_may_not_change_it(
    group: UnitGroup, make_user: Callable[..., User], commune_officer: User, analyst: User
) -> None:
    dien_bien = make_user("dienbien-officer", Role.PROVINCE_OFFICER, DIEN_BIEN)
    values = {"name": "x", "member_codes": [BA_CHE]}
    for user in (dien_bien, commune_officer):
        for group_id in (group.pk, 10**18):
            with pytest.raises(NotFoundError):
                unit_group_update(user=user, group_id=group_id, values=values)
            with pytest.raises(NotFoundError):
                unit_group_delete(user=user, group_id=group_id)
    with pytest.raises(PermissionDeniedError):
        unit_group_update(user=analyst, group_id=group.pk, values=values)
    with pytest.raises(PermissionDeniedError):
        unit_group_delete(user=analyst, group_id=group.pk)
    assert as_stored(group) == ("Xã đặc biệt khó khăn", sorted([BA_CHE, TIEN_YEN]))


# Over the API ------------------------------------------------------------------------------------------


def test_a_group_is_changed_and_removed_over_the_api(province_officer: User, group: UnitGroup) -> None:
    client = reading(province_officer)
    target = group_target(province_officer, group)

    changed = client.put(
        f"{GROUPS}/{group.pk}",
        {"name": "Xã khó khăn", "member_codes": [TIEN_YEN], "era": "pre2025"},
        content_type="application/json",
    )
    held = client.delete(f"{GROUPS}/{group.pk}")

    assert changed.status_code == 200, changed.content
    assert changed.json() == {
        "id": group.pk,
        "name": "Xã khó khăn",
        "era": "current",
        "owner_code": QUANG_NINH,
        "owner_name": "Quảng Ninh",
        "member_codes": [TIEN_YEN],
    }
    assert held.status_code == 422
    assert held.json()["errors"] == {"group": english(GROUP_HOLDS_TARGETS, count=1)}
    target.delete()
    removed = client.delete(f"{GROUPS}/{group.pk}")
    assert (removed.status_code, removed.content) == (204, b"")
    assert not UnitGroup.objects.exists()


def test_a_refused_change_over_the_api_changes_nothing(
    province_officer: User, group: UnitGroup, make_user: Callable[..., User]
) -> None:
    bad = reading(province_officer).put(
        f"{GROUPS}/{group.pk}", {"name": "", "member_codes": [BA_CHE]}, content_type="application/json"
    )
    dien_bien = reading(make_user("dienbien-officer", Role.PROVINCE_OFFICER, DIEN_BIEN))

    assert bad.status_code == 422
    assert bad.json()["errors"] == {"name": english(REQUIRED)}
    assert (
        dien_bien.put(f"{GROUPS}/{group.pk}", {"name": "x"}, content_type="application/json").status_code
        == 404
    )
    assert dien_bien.delete(f"{GROUPS}/{group.pk}").status_code == 404
    assert as_stored(group) == ("Xã đặc biệt khó khăn", sorted([BA_CHE, TIEN_YEN]))


# Pages -------------------------------------------------------------------------------------------------


def test_the_group_page_offers_its_change_and_removal_to_who_keeps_it(
    province_officer: User, analyst: User, group: UnitGroup
) -> None:
    body = client_for(province_officer).get(f"/indicators/groups/{group.pk}/").content.decode()
    analyst_body = client_for(analyst).get(f"/indicators/groups/{group.pk}/").content.decode()

    assert f'href="/indicators/groups/{group.pk}/change/"' in body
    assert f'href="/indicators/groups/{group.pk}/delete/"' in body
    assert "/change/" not in analyst_body
    assert client_for(analyst).get(f"/indicators/groups/{group.pk}/change/").status_code == 403


def test_the_change_page_ticks_the_members_a_group_holds_and_stores_a_change(
    province_officer: User, administrator: User
) -> None:
    """Given a group holding a village (given through the API, never offered as a tick), then the change
    page offers it, ticked, and a change that keeps it keeps it."""
    village = villages.village_create(
        user=administrator, commune=current_unit(TIEN_YEN), name="Thôn Khe Giấy"
    )
    group = unit_group_create(
        user=province_officer, values={"name": "Thôn khó khăn", "member_codes": [BA_CHE, village.code]}
    )
    client = reading(province_officer, "vi")

    body = client.get(f"/indicators/groups/{group.pk}/change/").content.decode()

    assert f'value="{village.code}" checked' in body
    assert f'value="{BA_CHE}" checked' in body
    assert f'value="{TIEN_YEN}">' in body
    response = client.post(
        f"/indicators/groups/{group.pk}/change/",
        {"name": "Thôn và xã", "member_codes": [village.code, BA_CHE]},
    )
    assert response["Location"] == f"/indicators/groups/{group.pk}/"
    assert as_stored(group) == ("Thôn và xã", sorted([BA_CHE, village.code]))
    refusal = client.post(f"/indicators/groups/{group.pk}/change/", {"name": "", "member_codes": [BA_CHE]})
    assert "name" in field_errors(refusal.content.decode())
    assert as_stored(group)[0] == "Thôn và xã"


def test_a_removal_is_confirmed_and_refused_while_targets_are_set(
    province_officer: User, group: UnitGroup
) -> None:
    target = group_target(province_officer, group)
    client = reading(province_officer, "vi")

    confirmation = client.get(f"/indicators/groups/{group.pk}/delete/").content.decode()
    held = client.post(f"/indicators/groups/{group.pk}/delete/", follow=True)

    assert 'id="confirm-removal"' in confirmation
    assert "Ba Chẽ" in confirmation
    assert held.redirect_chain[-1][0] == f"/indicators/groups/{group.pk}/"
    assert UnitGroup.objects.filter(pk=group.pk).exists()
    target.delete()
    removed = client.post(f"/indicators/groups/{group.pk}/delete/")
    assert removed["Location"] == "/indicators/groups/"
    assert not UnitGroup.objects.exists()
