"""The money export is a report: each table headed by the unit's full name and the years, Vietnamese
headers (English for a reader who chose English) instead of column codes, amounts in whole dong with the
thousands format, rates as percentages, codes as text, and a totals row in which the disbursement rate
and the non-budget money per budget dong are recomputed from the summed amounts."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from tests.common.reports import Report, read_report
from tests.conftest import BA_CHE, QUANG_NINH, TIEN_YEN, client_for
from tests.exports.helpers import exported_file
from tests.imports.helpers import english
from tests.programs.helpers import record
from vungcao.common.report_workbooks import TOTAL

pytestmark = pytest.mark.django_db

YEAR_2024 = {"from_year": 2024, "to_year": 2024}
VIETNAMESE_HEADER = [
    "Mã",
    "Đơn vị",
    "Kế hoạch",
    "Vốn đã giao",
    "Vốn đã giải ngân",
    "Tỷ lệ giải ngân",
    "Chưa giải ngân",
    "Kéo dài sang các năm sau",
    "Ngân sách",
    "Ngoài ngân sách",
    "Vốn ngoài ngân sách huy động trên 1 đồng ngân sách",
]


@pytest.fixture
def quang_ninh_money() -> None:
    """Money kept at the province (budget), in Ba Chẽ (socialised, a quarter disbursed) and Tiên Yên."""
    record("allocation", 2024, QUANG_NINH, 1_600_000_000, document_date="2024-02-10")
    record("allocation", 2024, BA_CHE, 8_400_000_000, source="socialised", document_date="2024-03-10")
    record("disbursement", 2024, BA_CHE, 2_100_000_000, source="socialised", document_date="2024-09-10")
    record("allocation", 2024, TIEN_YEN, 500_000_000, document_date="2024-03-10")


def sheets(content: bytes) -> list[Report]:
    return [read_report(content, index) for index in range(3)]


def test_the_export_is_a_report_in_vietnamese(province_officer, quang_ninh_money) -> None:
    # When the province officer exports the money of 2024
    response = exported_file(client_for(province_officer), YEAR_2024, kind="money")
    assert response["Content-Disposition"] == 'attachment; filename="money-current-22-2024-2024.xlsx"'
    by_component, by_unit, by_source = sheets(response.content)
    # Then each table says what it is, for which unit and year, in Vietnamese
    with translation.override("vi"):
        titles = [gettext(f"Programme money by {table}") for table in ("component", "unit", "capital source")]
        unit_line = gettext("Unit: {unit}").format(unit="Tỉnh Quảng Ninh")
        period_line = gettext("Period: {period}").format(period=gettext("Year {year}").format(year=2024))
    assert [report.title for report in (by_component, by_unit, by_source)] == titles
    assert [report.sheet.title for report in (by_component, by_unit, by_source)] == [
        "Theo hợp phần",
        "Theo đơn vị",
        "Theo nguồn vốn",
    ]
    assert by_unit.lines[:2] == [unit_line, period_line]
    assert by_unit.header == VIETNAMESE_HEADER
    assert [report.header[1] for report in (by_component, by_source)] == ["Hợp phần", "Nguồn vốn"]
    # its amounts are whole dong, its rates percentages, its codes text
    assert [(row[0], row[3], row[4]) for row in by_unit.rows] == [
        (QUANG_NINH, 1_600_000_000, 0),
        (BA_CHE, 8_400_000_000, 2_100_000_000),
        (TIEN_YEN, 500_000_000, 0),
    ]
    ba_che = by_unit.cells(1)
    assert (ba_che[0].value, ba_che[0].data_type, ba_che[0].number_format) == (BA_CHE, "s", "@")
    assert (ba_che[3].value, ba_che[3].number_format) == (8_400_000_000, "#,##0")
    assert (ba_che[5].value, ba_che[5].number_format) == (0.25, "0.0%")
    assert ba_che[10].value is None  # no budget money in Ba Chẽ: no ratio, not a zero


def test_the_totals_row_recomputes_the_rates_from_the_sums(province_officer, quang_ninh_money) -> None:
    by_unit = sheets(exported_file(client_for(province_officer), YEAR_2024, kind="money").content)[1]
    totals = by_unit.totals
    assert totals is not None
    assert totals[0] == str(TOTAL)
    assert totals[2:5] == (0, 10_500_000_000, 2_100_000_000)
    # 2.1 / 10.5 = 20%, not the sum (25%) nor the mean (8.3%) of the lines' rates
    assert totals[5] == pytest.approx(0.2)
    assert totals[6] == 8_400_000_000
    assert totals[8:10] == (2_100_000_000, 8_400_000_000)
    # 8.4 non-budget for 2.1 budget: 4 dong per budget dong, where the lines hold 0, none and 0
    assert totals[10] == pytest.approx(4.0)
    assert [cell.number_format for cell in by_unit.totals_cells()[2:6]] == ["#,##0"] * 3 + ["0.0%"]


def test_a_reader_who_chose_english_gets_english_headers(commune_officer, quang_ninh_money) -> None:
    by_component, by_unit, by_source = sheets(
        exported_file(english(client_for(commune_officer)), YEAR_2024, kind="money").content
    )
    assert by_unit.title == "Programme money by unit"
    assert by_unit.lines[:2] == ["Unit: Xã Ba Chẽ, Tỉnh Quảng Ninh", "Period: Year 2024"]
    assert by_unit.header == [
        "Code",
        "Unit",
        "Planned",
        "Allocated",
        "Disbursed",
        "Disbursement rate",
        "Unspent",
        "Extended into later years",
        "Budget",
        "Non-budget",
        "Non-budget dong per budget dong",
    ]
    assert [report.sheet.title for report in (by_component, by_unit, by_source)] == [
        "By component",
        "By unit",
        "By capital source",
    ]
    assert by_source.column("Capital source") == ["Mobilised (socialised) capital"]


def test_no_table_is_headed_by_column_codes(province_officer, quang_ninh_money) -> None:
    for report in sheets(exported_file(client_for(province_officer), YEAR_2024, kind="money").content):
        assert not {"code", "name", "disbursement_rate", "non_budget", "leverage"} & set(report.header)
        assert not any("_" in header for header in report.header)


def test_the_component_and_date_chosen_are_said_in_the_heading(province_officer, quang_ninh_money) -> None:
    client = english(client_for(province_officer))
    query = {"from_year": 2021, "to_year": 2024, "component": "1719-DA4", "on": "2024-06-30"}
    response = exported_file(client, query, kind="money")
    by_unit = sheets(response.content)[1]
    assert by_unit.lines[1] == "Period: Years 2021–2024"
    assert by_unit.lines[2].startswith("Component: ")
    assert "Documents dated up to: 30/06/2024" in by_unit.lines
    # the disbursement of September is after the date: nothing disbursed yet
    assert by_unit.totals is not None
    assert by_unit.totals[4] == 0
