"""The real units of both eras, loaded from vietnam-provinces 2025.x and the shipped 0.6.0 extract."""

import pytest
from django.db.models import Count, F

from vungcao.geo import selectors
from vungcao.geo.models import AdministrativeUnit, CrosswalkLink, Era, Level
from vungcao.geo.services import units

pytestmark = pytest.mark.django_db


def level_counts(era: str) -> dict[str, int]:
    rows = (
        AdministrativeUnit.objects.filter(era=era, is_official=True).values("level").annotate(n=Count("pk"))
    )
    return {row["level"]: row["n"] for row in rows}


def test_current_era_has_34_provinces_and_3321_communes() -> None:
    assert level_counts(Era.CURRENT) == {Level.PROVINCE: 34, Level.COMMUNE: 3321}


def test_era_before_2025_has_63_provinces_696_districts_10051_communes() -> None:
    assert level_counts(Era.PRE2025) == {Level.PROVINCE: 63, Level.DISTRICT: 696, Level.COMMUNE: 10051}


def test_codes_are_zero_padded_as_the_statistics_office_writes_them() -> None:
    lengths = {
        (level, len(code))
        for level, code in AdministrativeUnit.objects.filter(is_official=True).values_list("level", "code")
    }
    assert lengths == {(Level.PROVINCE, 2), (Level.DISTRICT, 3), (Level.COMMUNE, 5)}


def test_a_unit_knows_its_type_parent_path_and_validity() -> None:
    ba_che = AdministrativeUnit.objects.get(era=Era.CURRENT, code="06970")
    assert (ba_che.name, ba_che.division_type, ba_che.parent.code, ba_che.path) == (
        "Xã Ba Chẽ",
        "xã",
        "22",
        "current/22/06970/",
    )
    assert str(ba_che.valid_from) == "2025-07-01"
    old_district = AdministrativeUnit.objects.get(era=Era.PRE2025, code="001")
    assert (old_district.name, old_district.division_type, str(old_district.valid_to)) == (
        "Quận Ba Đình",
        "quận",
        "2025-06-30",
    )


def test_loading_again_changes_nothing() -> None:
    before = AdministrativeUnit.objects.count(), CrosswalkLink.objects.count()
    result = units.units_load(era=Era.CURRENT, records=units.current_unit_records())
    derived = units.crosswalk_derive()
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3355)
    assert (derived.created, derived.updated) == (0, 0)
    assert (AdministrativeUnit.objects.count(), CrosswalkLink.objects.count()) == before


def test_a_renamed_unit_is_updated_in_place() -> None:
    unit = AdministrativeUnit.objects.get(era=Era.CURRENT, code="22")
    AdministrativeUnit.objects.filter(pk=unit.pk).update(name="Old name", name_folded="old name")
    result = units.units_load(era=Era.CURRENT, records=units.current_unit_records())
    unit.refresh_from_db()
    assert (result.updated, unit.name, unit.name_folded) == (1, "Quảng Ninh", "quang ninh")


def test_old_ha_giang_province_became_part_of_the_new_tuyen_quang() -> None:
    link = CrosswalkLink.objects.get(old_unit__era=Era.PRE2025, old_unit__code="02")
    assert (link.new_unit.code, link.new_unit.name, link.share, link.provenance) == (
        "08",
        "Tuyên Quang",
        1,
        CrosswalkLink.Provenance.DERIVED_PROVINCE,
    )


def test_every_old_province_is_linked_and_its_shares_add_up_to_one() -> None:
    totals = {}
    for link in CrosswalkLink.objects.filter(old_unit__level=Level.PROVINCE).select_related("old_unit"):
        totals[link.old_unit.code] = totals.get(link.old_unit.code, 0) + link.share
    assert len(totals) == 63
    assert set(totals.values()) == {1}
    assert (
        CrosswalkLink.objects.filter(new_unit__level=Level.PROVINCE).values("new_unit").distinct().count()
        == 34
    )


def test_commune_anchor_links_are_derived_from_kept_codes() -> None:
    anchors = CrosswalkLink.objects.filter(provenance=CrosswalkLink.Provenance.DERIVED_ANCHOR)
    assert anchors.count() == 3310
    assert not anchors.exclude(old_unit__code=F("new_unit__code")).exists()


def test_descendants_are_one_prefix_query() -> None:
    quang_ninh = AdministrativeUnit.objects.get(era=Era.CURRENT, code="22")
    assert selectors.unit_descendant_count(unit=quang_ninh, level=Level.COMMUNE) == 54
    old_quang_ninh = AdministrativeUnit.objects.get(era=Era.PRE2025, code="22")
    assert selectors.unit_descendant_count(unit=old_quang_ninh, level=Level.DISTRICT) == 13
