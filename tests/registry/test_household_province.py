"""A household holds the province its village lies in, which a province's household list reads from an
index in code order: set by every write of its village, followed when the official units move, checked
by ``vungcao database_check`` (every test that writes checks it too: ``tests/conftest.py``)."""

import dataclasses
import datetime

import pytest

from tests.conftest import BA_CHE, DIEN_BIEN, MUONG_PHANG, QUANG_NINH, current_unit
from vungcao.accounts import access
from vungcao.accounts.models import Role
from vungcao.geo import tree
from vungcao.geo.models import AdministrativeUnit, CrosswalkLink, Era, Level
from vungcao.geo.services import units, villages
from vungcao.registry.checks import households_in_their_villages_provinces
from vungcao.registry.models import Household
from vungcao.registry.selectors.households import HouseholdFilter, household_list
from vungcao.registry.services.households import household_move, household_split

pytestmark = pytest.mark.django_db
ON = datetime.date(2025, 9, 1)


def province_code(household: Household) -> str:
    household.refresh_from_db()
    return household.province.code


def listed(user, **filters) -> list[str]:
    return list(household_list(user=user, filters=HouseholdFilter(**filters)).values_list("code", flat=True))


def test_a_household_created_or_split_off_holds_its_villages_province(commune_officer, family) -> None:
    son = family.members.get(full_name="Triệu Văn Sinh")
    new = household_split(
        user=commune_officer, household=family, member_ids=[son.pk], new_code="06970-001-0002",
        new_head_id=son.pk, on=ON,
    )  # fmt: skip
    assert (province_code(family), province_code(new)) == (QUANG_NINH, QUANG_NINH)


def test_a_household_moved_to_another_province_leaves_the_first_provinces_list(
    administrator, make_user, family
) -> None:
    quang_ninh = make_user("qn", Role.PROVINCE_OFFICER, QUANG_NINH)
    dien_bien = make_user("db", Role.PROVINCE_OFFICER, DIEN_BIEN)
    assert (listed(quang_ninh), listed(dien_bien)) == (["06970-001-0001"], [])
    far = villages.village_create(user=administrator, commune=current_unit(MUONG_PHANG), name="Bản Mường")
    household_move(user=administrator, household=family, to_village=far, on=ON)
    assert province_code(family) == DIEN_BIEN
    assert (listed(quang_ninh), listed(dien_bien)) == ([], ["06970-001-0001"])
    assert listed(administrator, unit=current_unit(DIEN_BIEN)) == ["06970-001-0001"]
    assert listed(administrator, unit=current_unit(QUANG_NINH)) == []


def test_a_save_of_the_village_alone_saves_the_province(family) -> None:
    family.village = villages.village_create(
        user=family.events.get().recorded_by, commune=current_unit(BA_CHE), name="Thôn Mới"
    )
    family.save(update_fields=["village"])
    family.refresh_from_db()
    assert family.province_id == current_unit(QUANG_NINH).pk


def test_a_household_of_an_old_village_is_listed_in_the_province_its_commune_became(province_officer) -> None:
    """History lies under the units of the era before 1 July 2025, whose provinces are other units: the
    province's list reads the old province's households as well as its own."""
    old_commune = CrosswalkLink.objects.filter(new_unit=current_unit(BA_CHE)).first().old_unit
    old_village = AdministrativeUnit.objects.create(
        era=Era.PRE2025, code=f"{old_commune.code}-001", name="Thôn Cũ", name_folded="thon cu",
        division_type="thôn", level=Level.VILLAGE, parent=old_commune,
        path=f"{old_commune.path}{old_commune.code}-001/", depth=old_commune.depth + 1, is_official=False,
    )  # fmt: skip
    old = Household.objects.create(code="OLD-1", village=old_village, area="rural", head_ethnic_group="09")
    assert old.province.path == tree.province_of_path(old_commune.path) != current_unit(QUANG_NINH).path
    assert listed(province_officer) == ["OLD-1"]
    by_village = access.restrict_by_unit(Household.objects.order_by("code"), province_officer, "village")
    assert list(by_village.values_list("code", flat=True)) == ["OLD-1"]
    assert listed(province_officer, unit=old_commune) == ["OLD-1"]
    assert listed(province_officer, unit=current_unit(BA_CHE)) == []


def test_a_commune_the_official_list_moves_to_another_province_takes_its_villages_and_households(
    family,
) -> None:
    records = [
        dataclasses.replace(record, parent_code=DIEN_BIEN) if record.code == BA_CHE else record
        for record in units.current_unit_records()
    ]
    result = units.units_load(era=Era.CURRENT, records=records)
    assert result.updated == 1
    village = family.village
    village.refresh_from_db()
    assert village.path == f"{Era.CURRENT}/{DIEN_BIEN}/{BA_CHE}/{village.code}/"
    assert province_code(family) == DIEN_BIEN
    assert list(households_in_their_villages_provinces()) == []


def test_a_household_written_past_the_application_is_found_by_the_database_check(family) -> None:
    Household.objects.filter(pk=family.pk).update(province=current_unit(DIEN_BIEN))
    assert list(households_in_their_villages_provinces()) == [
        "1 households hold another province than their village's (e.g. 06970-001-0001): they were written "
        "past the application, which keeps a household's province with its village"
    ]
    Household.objects.filter(pk=family.pk).update(province=current_unit(QUANG_NINH))
