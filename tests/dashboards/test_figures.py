"""Poverty by province of both eras, exact on the small country: rates from summed counts, approved
communes only, the former provinces through the crosswalk."""

from decimal import Decimal

import pytest

from tests.conftest import BA_CHE, TIEN_YEN
from tests.dashboards.conftest import MINH_XUAN, YEAR
from vungcao.engine.money import MoneyTotals
from vungcao.geo.models import AdministrativeUnit, CrosswalkLink, Era
from vungcao.registry.selectors import national

pytestmark = pytest.mark.django_db


def _by_code(figures: national.NationalFigures) -> dict[str, national.AreaFigures]:
    return {area.code: area for area in figures.by_province}


def test_current_provinces_count_approved_communes_and_recompute_rates(small_country, analyst) -> None:
    figures = national.national_figures(user=analyst, year=YEAR, era=Era.CURRENT)
    assert len(figures.by_province) == 34
    provinces = _by_code(figures)
    tuyen_quang, quang_ninh = provinces["08"], provinces["22"]
    assert (tuyen_quang.assessed, tuyen_quang.poor, tuyen_quang.near_poor) == (9, 3, 4)
    assert (tuyen_quang.communes, tuyen_quang.approved) == (3, 3)
    assert tuyen_quang.poverty_rate == pytest.approx(100 * 3 / 9)
    assert tuyen_quang.near_poverty_rate == pytest.approx(100 * 4 / 9)
    # Tiên Yên is submitted, not approved: named, not counted.
    assert (quang_ninh.assessed, quang_ninh.poor, quang_ninh.communes, quang_ninh.approved) == (5, 1, 2, 1)
    assert [commune.code for commune in quang_ninh.pending] == [TIEN_YEN]
    # The country: 4 poor of 14 assessed (28.6%), not the mean of the provinces' rates (26.7%).
    assert (figures.total.assessed, figures.total.poor, figures.total.near_poor) == (14, 4, 4)
    assert figures.total.poverty_rate == pytest.approx(100 * 4 / 14)
    assert provinces["01"].poverty_rate is None
    assert figures.not_linked == []


def test_former_provinces_are_carried_back_through_the_crosswalk(small_country, analyst) -> None:
    figures = national.national_figures(user=analyst, year=YEAR, era=Era.PRE2025)
    assert len(figures.by_province) == 63
    provinces = _by_code(figures)
    ha_giang, tuyen_quang, quang_ninh = provinces["02"], provinces["08"], provinces["22"]
    # Hà Giang: ward 00691 whole (4, 1, 1) and a third of Minh Xuân (1, 0, 1).
    assert (ha_giang.assessed, ha_giang.poor, ha_giang.near_poor) == (5, 1, 2)
    assert ha_giang.poverty_rate == pytest.approx(20.0)
    assert ha_giang.near_poverty_rate == pytest.approx(40.0)
    # Tuyên Quang: Nông Tiến whole (2, 2, 0) and two thirds of Minh Xuân (2, 0, 2).
    assert (tuyen_quang.assessed, tuyen_quang.poor, tuyen_quang.near_poor) == (4, 2, 2)
    assert tuyen_quang.poverty_rate == pytest.approx(50.0)
    assert (quang_ninh.assessed, quang_ninh.poor, quang_ninh.pending[0].code) == (5, 1, TIEN_YEN)
    # Nothing lost or counted twice in the carrying.
    assert sum(area.assessed for area in figures.by_province) == figures.total.assessed == 14


def test_a_commune_without_a_crosswalk_link_is_named_not_placed(small_country, analyst) -> None:
    CrosswalkLink.objects.filter(new_unit__era=Era.CURRENT, new_unit__code=BA_CHE).delete()
    figures = national.national_figures(user=analyst, year=YEAR, era=Era.PRE2025)
    assert [commune.code for commune in figures.not_linked] == [BA_CHE]
    assert _by_code(figures)["22"].assessed == 0
    assert figures.total.assessed == 9


def test_a_former_province_lists_the_communes_carried_into_it_with_their_share(
    small_country, analyst
) -> None:
    ha_giang = AdministrativeUnit.objects.get(era=Era.PRE2025, code="02")
    rows = national.province_figures(user=analyst, year=YEAR, province=ha_giang)
    shares = {commune.code: share for commune, share in rows}
    assert shares.keys() == {"00691", MINH_XUAN}
    assert shares["00691"] == Decimal(1)
    assert float(shares[MINH_XUAN]) == pytest.approx(1 / 3)


def test_a_province_officer_counts_only_their_province(small_country, province_officer) -> None:
    figures = national.national_figures(user=province_officer, year=YEAR, era=Era.CURRENT)
    assert figures.total.assessed == 5
    assert {area.code for area in figures.by_province if area.communes} == {"22"}


def test_the_aggregate_viewer_sees_the_counts(small_country, viewer) -> None:
    assert national.national_figures(user=viewer, year=YEAR, era=Era.CURRENT).total.assessed == 14


def test_money_by_province_is_the_year_of_the_dashboard(small_country, analyst) -> None:
    from vungcao.dashboards import figures

    board = figures.national_board(user=analyst, era=Era.CURRENT, year=YEAR)
    money = {row.unit.code: row.money for row in board.rows}
    assert (money["22"].allocated, money["22"].disbursed) == (1_000_000_000, 400_000_000)
    assert money["22"].disbursement_rate is not None
    assert float(money["22"].disbursement_rate) == 0.4
    assert money["08"].allocated == 500_000_000
    assert money["01"] == MoneyTotals()
    assert board.money.allocated == 1_500_000_000
    assert {line.code: line.totals.allocated for line in board.by_source} == {
        "central_investment": 1_000_000_000,
        "socialised": 500_000_000,
    }
