"""The money dashboard, its XLSX export and the programme list, with scope on every page."""

import pytest

from tests.common.charts import chart_descriptions, series_of
from tests.common.reports import read_report
from tests.conftest import BA_CHE, MUONG_PHANG, QUANG_NINH, TIEN_YEN, client_for
from tests.exports.helpers import export_started, exported_file
from tests.imports.helpers import english
from tests.programs.helpers import record
from vungcao.exports.models import Export

pytestmark = pytest.mark.django_db


@pytest.fixture
def quang_ninh_money() -> None:
    record("allocation", 2024, QUANG_NINH, 1_600_000_000, document_date="2024-02-10")
    record("allocation", 2024, BA_CHE, 8_400_000_000, source="socialised", document_date="2024-03-10")
    record("disbursement", 2024, BA_CHE, 2_000_000_000, source="socialised", document_date="2024-09-10")
    record("allocation", 2024, TIEN_YEN, 500_000_000, document_date="2024-03-10")


def test_the_province_dashboard_shows_totals_rates_charts_and_tables(
    province_officer, quang_ninh_money
) -> None:
    response = english(client_for(province_officer)).get("/programs/?from_year=2024&to_year=2024")
    assert response.status_code == 200
    html = response.content.decode()
    assert "10.500.000.000" in html  # allocated
    assert 'id="leverage">4.00<' in html or 'id="leverage">4,00<' in html
    # Three charts drawn by the browser from their figures, in billions of dong, each with its table
    by_month, by_source, by_component = chart_descriptions(html)
    assert [chart["title"] for chart in (by_month, by_source, by_component)] == [
        "Allocation and disbursement by month of the document",
        "By capital source",
        "By component",
    ]
    assert series_of(by_month) == {
        "Allocated": {"02/2024": 1.6, "03/2024": 8.9, "09/2024": 0.0},
        "Disbursed": {"02/2024": 0.0, "03/2024": 0.0, "09/2024": 2.0},
    }
    assert by_source["unit"] == "billion VND"
    assert html.count('<details class="chart-data">') == 3
    assert "Xã Ba Chẽ" in html
    assert "Xã Tiên Yên" in html
    # Units and components keep their official codes beside their names; a capital source is named only
    assert f"<code>{BA_CHE}</code>" in html
    assert "<code>1719-DA4</code>" in html
    assert "<code>socialised</code>" not in html
    assert "<code>central_investment</code>" not in html


def test_the_export_holds_the_tables_in_whole_dong(province_officer, quang_ninh_money) -> None:
    response = exported_file(client_for(province_officer), {"from_year": 2024, "to_year": 2024}, kind="money")
    assert response["Content-Disposition"] == 'attachment; filename="money-current-22-2024-2024.xlsx"'
    by_unit = read_report(response.content, 1)
    assert by_unit.header[:5] == ["Mã", "Đơn vị", "Kế hoạch", "Vốn đã giao", "Vốn đã giải ngân"]
    assert sorted((row[0], row[3], row[4]) for row in by_unit.rows) == [
        (TIEN_YEN, 500_000_000, 0),
        (BA_CHE, 8_400_000_000, 2_000_000_000),
        (QUANG_NINH, 1_600_000_000, 0),
    ]


@pytest.mark.parametrize("unit", [QUANG_NINH, TIEN_YEN, MUONG_PHANG])
def test_a_ba_che_officer_is_denied_other_units_on_the_page_and_its_export(
    commune_officer, quang_ninh_money, unit
) -> None:
    client = client_for(commune_officer)
    assert client.get(f"/programs/?unit={unit}").status_code == 404
    # and asking to export another unit's money is refused at once, nothing queued
    assert export_started(client, {"unit": unit}, kind="money").status_code == 404
    assert not Export.objects.exists()


def test_a_ba_che_officer_sees_ba_che_only(commune_officer, quang_ninh_money) -> None:
    client = client_for(commune_officer)
    html = client.get("/programs/?from_year=2024&to_year=2024").content.decode()
    assert "8.400.000.000" in html
    assert "10.500.000.000" not in html
    assert "1.600.000.000" not in html
    by_unit = read_report(
        exported_file(client, {"from_year": 2024, "to_year": 2024}, kind="money").content, 1
    )
    assert [row[0] for row in by_unit.rows] == [BA_CHE]


def test_the_programme_list_shows_the_trees(commune_officer) -> None:
    html = client_for(commune_officer).get("/programs/programmes/").content.decode()
    assert "1719-DA10-TDA3" in html
    assert "NTM-ND11" in html
    assert "GNBV-DA7" in html


def test_pages_need_a_login(client) -> None:
    assert client.get("/programs/").status_code == 302
