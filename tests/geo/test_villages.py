"""Villages are kept by the communes: created, renamed and merged, keeping their history."""

import datetime

import pytest

from tests.conftest import BA_CHE, MUONG_PHANG, current_unit
from vungcao.common.errors import ApplicationError, PermissionDeniedError
from vungcao.geo import selectors
from vungcao.geo.models import AdministrativeUnit, CrosswalkLink, Level
from vungcao.geo.services import villages

pytestmark = pytest.mark.django_db


def test_a_commune_officer_adds_villages_numbered_under_the_commune(commune_officer) -> None:
    commune = current_unit(BA_CHE)
    first = villages.village_create(user=commune_officer, commune=commune, name="  Thôn  Làng Cổng ")
    second = villages.village_create(user=commune_officer, commune=commune, name="Thôn Khe Giấy")
    assert (first.code, first.name, first.level, first.path) == (
        "06970-001",
        "Thôn Làng Cổng",
        Level.VILLAGE,
        "current/22/06970/06970-001/",
    )
    assert second.code == "06970-002"
    assert selectors.unit_descendant_count(unit=current_unit("22"), level=Level.VILLAGE) == 2


def test_a_second_village_of_the_same_name_is_refused_whatever_the_diacritics(commune_officer) -> None:
    commune = current_unit(BA_CHE)
    villages.village_create(user=commune_officer, commune=commune, name="Thôn Làng Cổng")
    with pytest.raises(ApplicationError, match="Thôn Lang Cong"):
        villages.village_create(user=commune_officer, commune=commune, name="Thôn Lang Cong")
    assert commune.children.count() == 1


def test_a_commune_officer_cannot_add_villages_to_another_commune(commune_officer) -> None:
    with pytest.raises(PermissionDeniedError):
        villages.village_create(user=commune_officer, commune=current_unit(MUONG_PHANG), name="Bản Mới")
    assert not AdministrativeUnit.objects.filter(level=Level.VILLAGE).exists()


def test_rename_keeps_the_code(commune_officer) -> None:
    village = villages.village_create(user=commune_officer, commune=current_unit(BA_CHE), name="Thôn A")
    villages.village_rename(user=commune_officer, village=village, name="Thôn Nam Hả")
    village.refresh_from_db()
    assert (village.code, village.name, village.name_folded) == ("06970-001", "Thôn Nam Hả", "thon nam ha")


def test_merge_closes_the_merged_village_and_records_where_it_went(commune_officer) -> None:
    commune = current_unit(BA_CHE)
    kept = villages.village_create(user=commune_officer, commune=commune, name="Thôn A")
    merged = villages.village_create(user=commune_officer, commune=commune, name="Thôn B")
    villages.village_merge(user=commune_officer, villages=[merged], into=kept, on=datetime.date(2026, 1, 1))
    merged.refresh_from_db()
    assert merged.valid_to == datetime.date(2025, 12, 31)
    link = CrosswalkLink.objects.get(old_unit=merged)
    assert (link.new_unit, link.share, link.provenance) == (kept, 1, CrosswalkLink.Provenance.VILLAGE_CHANGE)
    with pytest.raises(ApplicationError):
        villages.village_merge(
            user=commune_officer, villages=[merged], into=kept, on=datetime.date(2026, 2, 1)
        )
    assert CrosswalkLink.objects.filter(old_unit=merged).count() == 1
