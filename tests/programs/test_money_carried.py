"""Money kept under the units before 1 July 2025, carried across the crosswalk into the current units as
it is kept (``programs.MoneyCarriedTotal`` and ``MoneyCarriedMonth``): total by total, carried again after
every write of the old units' money, of the crosswalk and of the units' places; as of a date, carried from
the records at the same grain."""

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import RequestFactory

from tests.conftest import BA_CHE, DIEN_BIEN, QUANG_NINH, TIEN_YEN
from tests.imports.helpers import preview_and_apply
from tests.programs.helpers import admin as administrator
from tests.programs.helpers import record
from vungcao.common.rollups import rollup_differences, rollup_rebuild
from vungcao.engine.money import MoneyTotals
from vungcao.geo.admin import CrosswalkLinkAdmin
from vungcao.geo.models import AdministrativeUnit, CrosswalkLink, Era, Level
from vungcao.geo.services import units
from vungcao.geo.services.crosswalk import crosswalk_plan
from vungcao.programs.models import MoneyCarriedTotal
from vungcao.programs.rollups import MONEY_CARRIED_TOTALS
from vungcao.programs.selectors import money as money_selectors

pytestmark = pytest.mark.django_db

THANH_SON = "06973"  # an old commune of Quảng Ninh that no current commune kept the code of
END_OF_2025 = datetime.date(2025, 12, 31)


def scope(user, code: str, **kwargs) -> money_selectors.MoneyScope:
    return money_selectors.money_scope_get(
        user=user, era=Era.CURRENT, unit_code=code, from_year=2021, to_year=2025, **kwargs
    )


def allocated(user, code: str, **kwargs) -> int:
    return money_selectors.money_summary(user=user, scope=scope(user, code, **kwargs)).allocated


def country() -> money_selectors.MoneyScope:
    return money_selectors.MoneyScope(money_selectors.country(era=Era.CURRENT), 2021, 2025)


def a_dien_bien_commune() -> AdministrativeUnit:
    commune = AdministrativeUnit.objects.filter(
        era=Era.CURRENT, path__startswith=f"{Era.CURRENT}/{DIEN_BIEN}/", level=Level.COMMUNE
    ).first()
    assert commune is not None
    return commune


def test_each_total_is_carried_on_its_own_and_the_breakdowns_add_up_to_the_sum(
    analyst, thanh_son_split
) -> None:
    # Given: one dong allocated to old Thanh Sơn in 2022 for each of two components (40% went into Ba
    # Chẽ, 60% into Tiên Yên)
    record("allocation", 2022, THANH_SON, 1, era=Era.PRE2025)
    record("allocation", 2022, THANH_SON, 1, era=Era.PRE2025, component="1719-DA1")
    # When / Then: each total is carried by share and rounded half-even on its own (0.4 → 0, 0.6 → 1)
    for code, carried in ((BA_CHE, 0), (TIEN_YEN, 2), (QUANG_NINH, 2)):
        summary = money_selectors.money_summary(user=analyst, scope=scope(analyst, code))
        assert summary.allocated == carried
        # so that the money by component adds up to it
        by_component = money_selectors.money_by_component(user=analyst, scope=scope(analyst, code))
        assert sum(by_component.values(), MoneyTotals()) == summary
        # and as of a date it is carried from the records at the same grain: the same money
        as_of = money_selectors.money_summary(user=analyst, scope=scope(analyst, code, on_date=END_OF_2025))
        assert as_of == summary
    # The country's months, kept by province, are its provinces' months carried from the records
    by_month = money_selectors.money_by_month(user=analyst, scope=country())
    assert by_month == money_selectors.money_by_month(user=analyst, scope=scope(analyst, QUANG_NINH))
    assert by_month == {(2022, 3): MoneyTotals(allocated=2, budget=2)}


def test_an_old_unit_is_carried_by_its_own_links_not_by_its_old_provinces(analyst) -> None:
    # Given: old Thanh Sơn, of old Quảng Ninh, linked (for the test) to a commune of Điện Biên only
    commune = a_dien_bien_commune()
    rows = [{"old_code": THANH_SON, "new_code": commune.code, "share": "1"}]
    crosswalk_plan(user=administrator(), rows=rows, source="test").write()
    record("allocation", 2022, THANH_SON, 1_000, era=Era.PRE2025)
    # Then: its money is Điện Biên's, not also Quảng Ninh's through the link of its old province
    for on_date in (None, END_OF_2025):
        assert allocated(analyst, commune.code, on_date=on_date) == 1_000
        assert allocated(analyst, DIEN_BIEN, on_date=on_date) == 1_000
        assert allocated(analyst, QUANG_NINH, on_date=on_date) == 0
    assert money_selectors.money_by_child_unit(user=analyst, scope=country()) == {
        DIEN_BIEN: MoneyTotals(allocated=1_000, budget=1_000)
    }


def test_the_crosswalk_imported_again_carries_the_old_money_again(analyst) -> None:
    # Given: money of old Thanh Sơn, which no link names: carried with its old province into Quảng Ninh
    record("allocation", 2022, THANH_SON, 1_000, era=Era.PRE2025)
    assert (allocated(analyst, QUANG_NINH), allocated(analyst, BA_CHE)) == (1_000, 0)
    # When: the official crosswalk splits it between Ba Chẽ and Tiên Yên
    preview_and_apply(
        "crosswalk", f"old_code,new_code,share\n{THANH_SON},{BA_CHE},0.4\n{THANH_SON},{TIEN_YEN},60%\n"
    )
    # Then: each commune holds its share, the province the whole
    assert (allocated(analyst, BA_CHE), allocated(analyst, TIEN_YEN), allocated(analyst, QUANG_NINH)) == (
        400,
        600,
        1_000,
    )
    assert sorted(MoneyCarriedTotal.objects.values_list("unit__code", "amount_vnd")) == [
        (TIEN_YEN, 600),
        (BA_CHE, 400),
    ]


def test_a_link_changed_in_the_administration_carries_the_old_money_again(analyst, thanh_son_split) -> None:
    record("allocation", 2022, THANH_SON, 1_000, era=Era.PRE2025)
    links = CrosswalkLinkAdmin(CrosswalkLink, admin.site)
    request = RequestFactory().post("/admin/")
    to_tien_yen = CrosswalkLink.objects.get(old_unit__code=THANH_SON, new_unit__code=TIEN_YEN)

    to_tien_yen.share = Decimal("0.5")
    links.save_model(request, to_tien_yen, None, True)
    assert (allocated(analyst, BA_CHE), allocated(analyst, TIEN_YEN)) == (400, 500)

    links.delete_model(request, CrosswalkLink.objects.get(old_unit__code=THANH_SON, new_unit__code=BA_CHE))
    assert (allocated(analyst, BA_CHE), allocated(analyst, TIEN_YEN)) == (0, 500)

    links.delete_queryset(request, CrosswalkLink.objects.filter(old_unit__code=THANH_SON))
    assert not MoneyCarriedTotal.objects.filter(unit__code=TIEN_YEN).exists()


def test_money_carried_into_a_commune_moved_to_another_province_moves_with_it(
    analyst, thanh_son_split
) -> None:
    record("allocation", 2022, THANH_SON, 1_000, era=Era.PRE2025)
    records = [
        dataclasses.replace(unit, parent_code=DIEN_BIEN) if unit.code == BA_CHE else unit
        for unit in units.current_unit_records()
    ]
    units.units_load(era=Era.CURRENT, records=records)
    assert money_selectors.money_by_child_unit(user=analyst, scope=country()) == {
        DIEN_BIEN: MoneyTotals(allocated=400, budget=400),
        QUANG_NINH: MoneyTotals(allocated=600, budget=600),
    }


def test_a_carried_total_written_past_the_application_is_reported_and_rebuilt(thanh_son_split) -> None:
    record("allocation", 2022, THANH_SON, 1_000, era=Era.PRE2025)
    MoneyCarriedTotal.objects.filter(unit__code=BA_CHE).update(amount_vnd=1)
    (difference,) = rollup_differences(MONEY_CARRIED_TOTALS)
    assert difference.startswith(f"{MONEY_CARRIED_TOTALS.name} (old_unit, unit, province, component,")
    assert difference.endswith(": 1, 1 stored, 400, 1 counted")
    rollup_rebuild(MONEY_CARRIED_TOTALS)
    assert rollup_differences(MONEY_CARRIED_TOTALS) == []
