"""The units and the crosswalk kept in memory by each process: read once per revision, read again after
any write to them (by the services or in the admin), never after a write that was rolled back."""

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import RequestFactory

from tests.conftest import BA_CHE, TIEN_YEN, current_unit
from tests.imports.helpers import preview_and_apply
from vungcao.geo.admin import AdministrativeUnitAdmin, CrosswalkLinkAdmin
from vungcao.geo.models import AdministrativeUnit, CrosswalkLink, Era, UnitTreeRevision
from vungcao.geo.selectors_tree import UnitTree, unit_tree
from vungcao.geo.services import units, villages

pytestmark = pytest.mark.django_db


def names(tree: UnitTree, path: str) -> list[str]:
    return [unit.name for unit in tree.subtrees([path])]


def links_of(tree: UnitTree, old_code: str) -> list[tuple[str, Decimal]]:
    return [(link.new.code, link.share) for link in tree.links if link.old.code == old_code]


def test_the_units_and_links_are_read_once_for_a_revision(django_assert_num_queries) -> None:
    first = unit_tree()
    with django_assert_num_queries(1):  # the stored revision
        again = unit_tree()

    assert again is first
    assert len(first.units) == AdministrativeUnit.objects.count()
    assert len(first.links) == CrosswalkLink.objects.count()
    assert first.paths == sorted(AdministrativeUnit.objects.values_list("path", flat=True))
    assert [(link.old.path, link.new.path) for link in first.links] == sorted(
        (link.old.path, link.new.path) for link in first.links
    )


def test_a_village_added_renamed_or_merged_is_in_the_units_read_next(commune_officer) -> None:
    commune = current_unit(BA_CHE)
    before = unit_tree()

    kept = villages.village_create(user=commune_officer, commune=commune, name="Thôn A")
    added = unit_tree()
    villages.village_rename(user=commune_officer, village=kept, name="Thôn Nà Làng")
    renamed = unit_tree()
    merged = villages.village_create(user=commune_officer, commune=commune, name="Thôn B")
    villages.village_merge(user=commune_officer, villages=[merged], into=kept, on=datetime.date(2026, 1, 1))
    after_merge = unit_tree()

    assert len({before.revision, added.revision, renamed.revision, after_merge.revision}) == 4
    assert names(before, commune.path) == ["Xã Ba Chẽ"]
    assert names(added, commune.path) == ["Xã Ba Chẽ", "Thôn A"]
    assert names(renamed, commune.path) == ["Xã Ba Chẽ", "Thôn Nà Làng"]
    assert links_of(after_merge, merged.code) == [(kept.code, Decimal(1))]


def test_an_imported_crosswalk_is_in_the_links_read_next() -> None:
    before = unit_tree()

    preview_and_apply("crosswalk", "old_code,new_code,share\n06976,06970,0.6\n06976,06862,0.4\n")

    assert links_of(before, "06976") != links_of(unit_tree(), "06976")
    assert sorted(links_of(unit_tree(), "06976")) == [(TIEN_YEN, Decimal("0.4")), (BA_CHE, Decimal("0.6"))]


def test_loading_the_same_official_units_again_keeps_the_revision() -> None:
    before = unit_tree()

    units.units_load(era=Era.CURRENT, records=units.current_unit_records())
    units.crosswalk_derive()

    assert unit_tree() is before


def test_a_unit_corrected_in_the_admin_is_read_again() -> None:
    """An administrator's change in the admin (a unit's name, a link added or deleted) renews the
    revision as the services do."""
    request = RequestFactory().post("/admin/")
    unit = current_unit(TIEN_YEN)
    link = CrosswalkLink.objects.filter(new_unit=unit).first()
    assert link is not None
    revisions = [unit_tree().revision]

    unit.name = "Xã Tiên Yên (sửa)"
    AdministrativeUnitAdmin(AdministrativeUnit, admin.site).save_model(request, unit, None, True)
    revisions.append(unit_tree().revision)
    CrosswalkLinkAdmin(CrosswalkLink, admin.site).delete_queryset(
        request, CrosswalkLink.objects.filter(pk=link.pk)
    )
    revisions.append(unit_tree().revision)

    assert len(set(revisions)) == 3
    assert names(unit_tree(), unit.path) == ["Xã Tiên Yên (sửa)"]
    unit.refresh_from_db()
    assert unit.name_folded == "xa tien yen (sua)"
    assert (link.old_unit_id, link.new_unit_id) not in {
        (item.old.pk, item.new.pk) for item in unit_tree().links
    }


def test_a_change_rolled_back_leaves_the_units_of_the_stored_revision(commune_officer) -> None:
    commune = current_unit(BA_CHE)
    before = unit_tree()

    with transaction.atomic():
        villages.village_create(user=commune_officer, commune=commune, name="Thôn A")
        inside = names(unit_tree(), commune.path)
        transaction.set_rollback(True)

    assert inside == ["Xã Ba Chẽ", "Thôn A"]
    assert unit_tree().revision == before.revision
    assert names(unit_tree(), commune.path) == ["Xã Ba Chẽ"]


def test_without_a_stored_revision_the_units_are_read_each_time() -> None:
    UnitTreeRevision.objects.all().delete()

    first, second = unit_tree(), unit_tree()

    assert first is not second
    assert (first.revision, first.paths) == (None, second.paths)
