"""Totals across levels and across the 2025 reorganisation, by source, component, month and child unit."""

import dataclasses
from fractions import Fraction

import pytest

from tests.conftest import BA_CHE, DIEN_BIEN, QUANG_NINH, TIEN_YEN
from tests.programs.helpers import record
from vungcao.common.rollups import rollup_differences, rollup_rebuild
from vungcao.engine.money import MoneyTotals
from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.geo.services import units
from vungcao.programs.models import Component, MoneyProvinceMonth, MoneyProvinceTotal
from vungcao.programs.rollups import MONEY_PROVINCE_TOTALS, PROVINCE_ROLLUPS
from vungcao.programs.selectors import money as money_selectors

pytestmark = pytest.mark.django_db


def scope(user, code: str, era: str = "current", **kwargs):
    return money_selectors.money_scope_get(
        user=user, era=era, unit_code=code, from_year=2021, to_year=2025, **kwargs
    )


def test_money_of_old_units_is_carried_into_the_new_units_by_share(analyst, thanh_son_split) -> None:
    # Given: 2022 allocations under old units: 1,000,000,001 dong to old Thanh Sơn, 500 to old Ba Chẽ
    # town (06970, kept its code: share 1), disbursements of 300,000,000 in Thanh Sơn
    record("allocation", 2022, "06973", 1_000_000_001, era="pre2025")
    record("allocation", 2022, "06970", 500, era="pre2025")
    record("disbursement", 2022, "06973", 300_000_000, era="pre2025")
    # When / Then: Ba Chẽ gets 40% of Thanh Sơn (rounded half-even to the dong) and all of its old self
    ba_che = money_selectors.money_summary(user=analyst, scope=scope(analyst, BA_CHE))
    assert (ba_che.allocated, ba_che.disbursed) == (400_000_000 + 500, 120_000_000)
    tien_yen = money_selectors.money_summary(user=analyst, scope=scope(analyst, TIEN_YEN))
    assert (tien_yen.allocated, tien_yen.disbursed) == (600_000_001, 180_000_000)
    # and the province, through the province link, carries the old province whole: amounts add up
    province = money_selectors.money_summary(user=analyst, scope=scope(analyst, QUANG_NINH))
    assert province.allocated == 1_000_000_501 == ba_che.allocated + tien_yen.allocated
    assert province.disbursement_rate == Fraction(300_000_000, 1_000_000_501)
    # The old era read on its own is not carried anywhere
    old = money_selectors.money_summary(user=analyst, scope=scope(analyst, "06973", era="pre2025"))
    assert old == MoneyTotals(allocated=1_000_000_001, disbursed=300_000_000, budget=1_000_000_001)


def test_a_ba_che_officer_sees_the_old_units_linked_to_ba_che_only(commune_officer, thanh_son_split) -> None:
    record("allocation", 2022, "06973", 1000, era="pre2025")
    ba_che = money_selectors.money_summary(user=commune_officer, scope=scope(commune_officer, BA_CHE))
    assert ba_che.allocated == 400


def test_breakdowns_by_source_component_month_and_child_unit(analyst) -> None:
    record("allocation", 2024, QUANG_NINH, 700, source="local_budget", component="1719-DA3-TDA1")
    record(
        "allocation",
        2024,
        BA_CHE,
        200,
        source="socialised",
        component="1719-DA4-TDA1",
        document_date="2024-05-10",
    )
    record(
        "disbursement",
        2024,
        BA_CHE,
        150,
        source="socialised",
        component="1719-DA4-TDA2",
        document_date="2024-06-10",
    )
    record("allocation", 2024, TIEN_YEN, 100, component="1719-DA4-TDA1", document_date="2024-05-20")
    province = scope(analyst, QUANG_NINH)
    assert money_selectors.money_by_source(user=analyst, scope=province) == {
        "local_budget": MoneyTotals(allocated=700, budget=700),
        "socialised": MoneyTotals(allocated=200, disbursed=150, non_budget=200),
        "central_investment": MoneyTotals(allocated=100, budget=100),
    }
    assert money_selectors.money_by_component(user=analyst, scope=province) == {
        "1719-DA3": MoneyTotals(allocated=700, budget=700),
        "1719-DA4": MoneyTotals(allocated=300, disbursed=150, budget=100, non_budget=200),
    }
    project_4 = scope(analyst, QUANG_NINH, component_code="1719-DA4")
    assert set(money_selectors.money_by_component(user=analyst, scope=project_4)) == {
        "1719-DA4-TDA1",
        "1719-DA4-TDA2",
    }
    for scope_ in (province, project_4):
        assert money_selectors.money_by_component_and_by_source(user=analyst, scope=scope_) == (
            money_selectors.money_by_component(user=analyst, scope=scope_),
            money_selectors.money_by_source(user=analyst, scope=scope_),
        )
    assert money_selectors.money_by_month(user=analyst, scope=province) == {
        (2024, 3): MoneyTotals(allocated=700, budget=700),
        (2024, 5): MoneyTotals(allocated=300, budget=100, non_budget=200),
        (2024, 6): MoneyTotals(disbursed=150),
    }
    assert money_selectors.money_by_child_unit(user=analyst, scope=province) == {
        None: MoneyTotals(allocated=700, budget=700),
        BA_CHE: MoneyTotals(allocated=200, disbursed=150, non_budget=200),
        TIEN_YEN: MoneyTotals(allocated=100, budget=100),
    }


def country(from_year: int = 2021, to_year: int = 2025) -> money_selectors.MoneyScope:
    return money_selectors.MoneyScope(money_selectors.country(era=Era.CURRENT), from_year, to_year)


def unit_by_unit(user, scope_: money_selectors.MoneyScope, key_of) -> dict[object, MoneyTotals]:
    """The scope's totals grouped by ``key_of``, summed from every unit's totals (never a province's)."""
    return money_selectors.money_totals_by(
        user=user, scope=scope_, fields=("source__code", "component__path"), key_of=key_of, by_unit=True
    )


def test_the_country_sums_its_provinces_totals_as_its_units_give_them(analyst, thanh_son_split) -> None:
    # Given: money of two current provinces, at a province and at communes, and old-era money carried
    dien_bien_commune = AdministrativeUnit.objects.filter(
        era=Era.CURRENT, path__startswith=f"{Era.CURRENT}/{DIEN_BIEN}/", level="commune"
    ).first()
    record("allocation", 2024, QUANG_NINH, 700, source="local_budget", component="1719-DA3-TDA1")
    record("allocation", 2024, BA_CHE, 200, source="socialised")
    record("disbursement", 2024, BA_CHE, 150, source="socialised", component="1719-DA4-TDA2")
    record("allocation", 2025, dien_bien_commune.code, 1_000)
    record("allocation", 2025, DIEN_BIEN, 500)
    record("disbursement", 2025, DIEN_BIEN, 400)
    record("allocation", 2022, "06973", 1_000_000_001, era="pre2025")
    # When: the country is read from its provinces' totals; Then: each province's line is its own figure
    by_province = money_selectors.money_by_child_unit(user=analyst, scope=country())
    assert by_province == {
        code: money_selectors.money_summary(user=analyst, scope=scope(analyst, code))
        for code in (QUANG_NINH, DIEN_BIEN)
    }
    assert by_province[QUANG_NINH].allocated == 700 + 200 + 1_000_000_001
    # and each breakdown is what the units' own totals give, old-era money carried the same way
    assert money_selectors.money_by_source(user=analyst, scope=country()) == unit_by_unit(
        analyst, country(), lambda row, _path: row["source__code"]
    )
    assert money_selectors.money_by_component(user=analyst, scope=country()) == unit_by_unit(
        analyst, country(), lambda row, _path: row["component__path"].split("/")[0]
    )
    # and the dashboard's two side by side from one grouping are each of them
    assert money_selectors.money_by_component_and_by_source(user=analyst, scope=country()) == (
        money_selectors.money_by_component(user=analyst, scope=country()),
        money_selectors.money_by_source(user=analyst, scope=country()),
    )
    # and by month of the document, from the provinces' months, as the units' records give them
    by_month = money_selectors.money_by_month(user=analyst, scope=country())
    assert by_month == money_selectors.money_totals_by(
        user=analyst,
        scope=country(),
        fields=money_selectors.MONTH_FIELDS,
        key_of=lambda row, _path: divmod(row["document_month"], 100),
        by_unit=True,
    )
    assert sum(by_month.values(), MoneyTotals()).allocated == 700 + 200 + 1_000 + 500 + 1_000_000_001
    # a component's months are read from its records
    project_4 = money_selectors.MoneyScope(
        money_selectors.country(era=Era.CURRENT), 2021, 2025, component=Component.objects.get(code="1719-DA4")
    )
    assert sum(money_selectors.money_by_month(user=analyst, scope=project_4).values(), MoneyTotals()) == (
        money_selectors.money_summary(user=analyst, scope=project_4)
    )
    # a year and a component of the country are the provinces' rows of that year and component
    assert money_selectors.money_by_child_unit(user=analyst, scope=country(2025, 2025)) == {
        DIEN_BIEN: MoneyTotals(allocated=1_500, disbursed=400, budget=1_500)
    }
    # and the country before 1 July 2025 is its old provinces' own money
    old_country = money_selectors.MoneyScope(money_selectors.country(era=Era.PRE2025), 2021, 2025)
    assert money_selectors.money_by_child_unit(user=analyst, scope=old_country) == {
        QUANG_NINH: MoneyTotals(allocated=1_000_000_001, budget=1_000_000_001)
    }


def test_money_of_a_commune_moved_to_another_province_is_summed_in_its_new_province(analyst) -> None:
    record("allocation", 2024, BA_CHE, 200)
    records = [
        dataclasses.replace(unit, parent_code=DIEN_BIEN) if unit.code == BA_CHE else unit
        for unit in units.current_unit_records()
    ]
    units.units_load(era=Era.CURRENT, records=records)
    assert money_selectors.money_by_child_unit(user=analyst, scope=country()) == {
        DIEN_BIEN: MoneyTotals(allocated=200, budget=200)
    }
    assert [line for rollup in PROVINCE_ROLLUPS for line in rollup_differences(rollup)] == []
    assert MoneyProvinceMonth.objects.get().province.code == DIEN_BIEN


def test_a_province_total_written_past_the_application_is_reported(analyst) -> None:
    record("allocation", 2024, BA_CHE, 200)
    MoneyProvinceTotal.objects.update(amount_vnd=250)
    (difference,) = rollup_differences(MONEY_PROVINCE_TOTALS)
    assert difference.startswith("programs.money_province_totals (province, component, source, year, kind,")
    assert difference.endswith(": 250, 1 stored, 200, 1 counted")
    rollup_rebuild(MONEY_PROVINCE_TOTALS)
    assert rollup_differences(MONEY_PROVINCE_TOTALS) == []
