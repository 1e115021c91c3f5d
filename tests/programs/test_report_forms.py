"""The programme's implementation report (capital by component and source), filled from the money
dashboard's selectors and downloaded as XLSX and PDF.

Given, in dong: in 2024 Ba Chẽ has 2,000,000,000 planned, 1,500,000,000 allocated and 600,000,000 disbursed
of central investment for Sub-project 1 of Project 4; Quảng Ninh itself 700,000,000 of local budget
allocated for Sub-project 1 of Project 3, none disbursed; Tiên Yên 300,000,000 of mobilised capital
allocated and 250,000,000 disbursed for Project 4 itself (no sub-project); in 2022, old Ba Chẽ (pre-2025,
carried whole into the new Ba Chẽ) 250,000,000 of central recurrent capital allocated for Project 1;
Điện Biên 900,000,000 allocated; and 5,000,000,000 of another programme (poverty reduction) in Ba Chẽ,
never in NTP 1719's report."""

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import BA_CHE, DIEN_BIEN, FORM_UNITS_OUT_OF_SCOPE, QUANG_NINH, TIEN_YEN, client_for
from tests.programs.helpers import record
from vungcao.accounts.models import Role
from vungcao.engine.report_forms import column_numbers
from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.programs.models import Component, HouseholdSupport, Work
from vungcao.programs.selectors import dashboard as dashboard_selectors
from vungcao.programs.selectors import money as money_selectors
from vungcao.programs.selectors.report_forms import form_definitions, report_form_fill

pytestmark = pytest.mark.django_db
CAPITAL = "programme-capital"


@pytest.fixture
def money() -> None:
    record("plan", 2024, BA_CHE, 2_000_000_000)
    record("allocation", 2024, BA_CHE, 1_500_000_000)
    record("disbursement", 2024, BA_CHE, 600_000_000)
    record("allocation", 2024, QUANG_NINH, 700_000_000, component="1719-DA3-TDA1", source="local_budget")
    record("allocation", 2024, TIEN_YEN, 300_000_000, component="1719-DA4", source="socialised")
    record("disbursement", 2024, TIEN_YEN, 250_000_000, component="1719-DA4", source="socialised")
    record(
        "allocation",
        2022,
        BA_CHE,
        250_000_000,
        component="1719-DA1",
        source="central_recurrent",
        era="pre2025",
    )
    record("allocation", 2024, DIEN_BIEN, 900_000_000)
    record("allocation", 2024, BA_CHE, 5_000_000_000, component="GNBV-DA1")


def scope(user, code: str):
    return money_selectors.money_scope_get(
        user=user, era="current", unit_code=code, from_year=2021, to_year=2025, programme_code="1719"
    )


def fill(user, code: str, language: str = "vi"):
    return report_form_fill(user=user, identifier=CAPITAL, scope=scope(user, code), language=language)


def row_of(form, label_start: str):
    return next(row for row in form.rows if row.label.startswith(label_start))


def test_the_capital_form_loads_with_four_columns_for_each_source_and_their_total(money, analyst) -> None:
    assert sorted(form_definitions()) == [
        CAPITAL,
        "programme-support",
        "programme-targets",
        "programme-works",
    ]
    definition = fill(analyst, "").definition
    numbers = column_numbers(definition.leaves())
    assert len(numbers) == 4 + 6 * 4
    assert numbers[:8] == ["1", "2", "3", "4 = 3/2 × 100", "5", "6", "7", "8 = 7/6 × 100"]
    assert numbers[-1] == "28 = 27/26 × 100"
    by_source = definition.columns[1]
    assert [group.label.vi for group in by_source.columns] == [  # type: ignore[union-attr]
        "Ngân sách trung ương (vốn đầu tư phát triển)",
        "Ngân sách trung ương (vốn sự nghiệp)",
        "Ngân sách địa phương",
        "Vốn tín dụng chính sách",
        "Vốn huy động, xã hội hóa",
        "Đóng góp của người dân",
    ]
    assert definition.paper == "A3"


@pytest.mark.parametrize(("who", "code"), [("commune", BA_CHE), ("province", QUANG_NINH), ("national", "")])
def test_the_form_equals_the_money_dashboard_for_a_commune_a_province_and_the_country(
    money, commune_officer, province_officer, analyst, who, code
) -> None:
    user = {"commune": commune_officer, "province": province_officer, "national": analyst}[who]
    form = fill(user, code)
    board = dashboard_selectors.money_dashboard(
        user=user, scope=scope(user, code), threshold=0, on=__import__("datetime").date(2026, 1, 1)
    )
    totals = form.totals()
    assert (totals["planned"], totals["allocated"], totals["disbursed"]) == (
        board.totals.planned,
        board.totals.allocated,
        board.totals.disbursed,
    )
    projects = {row.order: row for row in form.rows if row.level == 0}
    for line in board.by_component:
        project = next(
            row for row in projects.values() if row.label.startswith(line.name.split(" — ")[0] + ":")
        )
        assert (project.measures["allocated"], project.measures["disbursed"]) == (
            line.totals.allocated,
            line.totals.disbursed,
        ), line.code
    for line in board.by_source:
        assert totals[f"allocated__{line.code}"] == line.totals.allocated, line.code
        assert totals[f"disbursed__{line.code}"] == line.totals.disbursed, line.code


def test_the_rows_are_the_projects_with_their_sub_projects_and_the_total_recomputes_the_rates(
    money, province_officer
) -> None:
    """Quảng Ninh: Project 1 250 (carried from old Ba Chẽ), Project 3 700 allocated, none disbursed (0%),
    Project 4 1,800 allocated, 850 disbursed (47.2%: 1,500 + 600 of Sub-project 1, 300 + 250 of the
    project itself): the total's rate is 850 / 2,750 = 30.9%, not a mean of the projects' rates."""
    form = fill(province_officer, QUANG_NINH)
    body = form.body()
    orders = [row.order for row in body]
    assert orders[:8] == ["1", "2", "3", "3.1", "3.2", "4", "4.1", "4.2"]
    assert orders[-1] == ""
    project_4 = next(row for row in body if row.order == "4")
    assert project_4.label.startswith("Dự án 4: Đầu tư cơ sở hạ tầng thiết yếu")
    assert project_4.values[:4] == [2_000, 1_800, 850, pytest.approx(100 * 850 / 1_800)]
    sub_project = next(row for row in body if row.order == "4.1")
    assert (sub_project.level, sub_project.values[:4]) == (1, [2_000, 1_500, 600, 40.0])
    total = body[-1]
    assert total.label == "Tổng cộng"
    assert total.values[:4] == [2_000, 2_750, 850, pytest.approx(100 * 850 / 2_750)]
    assert total.values[4:8] == [2_000, 1_500, 600, 40.0]  # central investment
    assert total.values[8:12] == [0, 250, 0, 0.0]  # central recurrent: Project 1, carried
    heading = form.heading
    assert heading[:3] == (
        "Chương trình mục tiêu quốc gia phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số và miền "
        "núi giai đoạn 2021-2030",
        "Từ năm 2021 đến năm 2025",
        "Địa bàn: Tỉnh Quảng Ninh",
    )
    assert form.issuer == ("ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NINH")


def test_the_country_form_is_issued_by_the_ministry_in_charge_of_the_programme(money, analyst) -> None:
    form = fill(analyst, "")
    assert form.issuer == ("BỘ DÂN TỘC VÀ TÔN GIÁO",)
    assert "Địa bàn: TOÀN QUỐC" in form.heading
    assert form.totals()["allocated"] == 1_500_000_000 + 700_000_000 + 300_000_000 + 250_000_000 + 900_000_000


def url(code: str, output: str, years: str = "2021-2025", programme: str = "1719") -> str:
    return f"/programs/report-forms/{programme}/current/{code}/{years}/{CAPITAL}.{output}"


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


def test_the_pdf_holds_the_figures_in_vietnamese_and_the_xlsx_typed_cells(money, province_officer) -> None:
    client = client_for(province_officer)
    pdf = client.get(url(QUANG_NINH, "pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == (
        f'attachment; filename="bao-cao-1-{CAPITAL}-1719-{QUANG_NINH}-2021-2025.pdf"'
    )
    text = pdf_text(pdf.content)
    for expected in (
        "TÌNH HÌNH THỰC HIỆN VỐN CHƯƠNG TRÌNH",
        "TỈNH QUẢNG NINH",
        "Đơn vị tính: triệu đồng, %",
        "Tổng cộng 2.000 2.750 850 30,9% 2.000 1.500 600 40,0% 0 250 0 0,0%",
        "4.1 Tiểu dự án 1",
        "47,2%",
        "4 = 3/2 × 100",
        "Người lập biểu",
    ):
        assert expected in text, expected
    xlsx = client.get(url(QUANG_NINH, "xlsx"))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    total = next(row for row in sheet.iter_rows() if row[1].value == "Tổng cộng")
    assert [cell.value for cell in total[2:6]] == [2_000, 2_750, 850, pytest.approx(850 / 2_750)]
    assert [cell.number_format for cell in total[2:6]] == ["#,##0", "#,##0", "#,##0", "0.0%"]
    sub_project = next(row for row in sheet.iter_rows() if row[0].value == "4.1")
    assert sub_project[1].alignment.indent == 2
    assert sheet.page_setup.paperSize == 8  # A3


def test_one_year_and_an_english_reader(money, province_officer) -> None:
    client = client_for(province_officer)
    client.cookies["django_language"] = "en"
    response = client.get(url(QUANG_NINH, "pdf", years="2024-2024"), HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Disposition"].endswith(f'-{QUANG_NINH}-2024.pdf"')
    text = pdf_text(response.content)
    for expected in (
        "PROGRAMME CAPITAL: PLAN, ALLOCATION AND DISBURSEMENT",
        "Year 2024",
        "Unit: million dong, %",
        "Central budget (investment)",
        "Project 4: Essential infrastructure",
        "Total 2,000 2,500 850 34.0%",  # the 2022 money of Project 1 is outside 2024
    ):
        assert expected in text, expected


@pytest.mark.parametrize(
    ("who", "code"),
    FORM_UNITS_OUT_OF_SCOPE,
)
def test_a_report_out_of_scope_is_not_found(money, commune_officer, province_officer, who, code) -> None:
    user = commune_officer if who == "commune" else province_officer
    assert client_for(user).get(url(code, "xlsx")).status_code == 404


def test_an_unknown_programme_form_or_file_is_not_found(money, province_officer) -> None:
    client = client_for(province_officer)
    assert client.get(url(QUANG_NINH, "pdf", programme="NOPE")).status_code == 404
    assert client.get(url(QUANG_NINH, "csv")).status_code == 404
    assert client.get(url(QUANG_NINH, "pdf", years="2025-2021")).status_code == 404


def test_an_aggregate_viewer_downloads_the_report_of_its_scope(money, make_user) -> None:
    viewer = make_user("donor", Role.AGGREGATE_VIEWER, QUANG_NINH)
    assert client_for(viewer).get(url(QUANG_NINH, "pdf")).status_code == 200


def test_the_dashboard_links_to_the_report_of_its_unit_and_years(money, province_officer, analyst) -> None:
    page = client_for(province_officer).get(f"/programs/?unit={QUANG_NINH}&from_year=2022&to_year=2024")
    content = page.content.decode()
    assert f"/programs/report-forms/1719/current/{QUANG_NINH}/2022-2024/{CAPITAL}.xlsx" in content
    assert f"/programs/report-forms/1719/current/{QUANG_NINH}/2022-2024/{CAPITAL}.pdf" in content
    assert "Báo cáo thực hiện theo biểu mẫu" in content
    assert "Tình hình thực hiện vốn chương trình" in content
    national = client_for(analyst).get("/programs/?unit=&from_year=2021&to_year=2025").content.decode()
    assert f"/programs/report-forms/1719/current/country/2021-2025/{CAPITAL}.pdf" in national
    assert f"/programs/report-forms/GNBV/current/country/2021-2025/{CAPITAL}.pdf" in national


def test_the_works_form_counts_works_by_kind_status_and_output(province_officer) -> None:
    """Given in Quảng Ninh two roads in km (one done, 12.5 km, one in progress, 3 km), a suspended
    school (classrooms) and a road of poverty reduction (not NTP 1719): the roads' row counts 2 works,
    1 done (50%), 12,5 km done and 3 in progress; the total row adds works but leaves the outputs,
    which are in different units, empty."""
    component = Component.objects.get(code="1719-DA4-TDA1")
    for kind, status, output, unit, code in (
        ("road", "done", "12.5", "km", BA_CHE),
        ("road", "in_progress", "3", "km", TIEN_YEN),
        ("school", "suspended", "4", "phòng học", BA_CHE),
    ):
        Work.objects.create(
            component=component,
            unit=AdministrativeUnit.objects.get(era=Era.CURRENT, code=code),
            kind=kind,
            name=f"{kind} {status}",
            investment_total_vnd=1_000_000_000,
            output_quantity=output,
            output_unit=unit,
            households=10,
            status=status,
        )
    Work.objects.create(
        component=Component.objects.get(code="GNBV-DA1"),
        unit=AdministrativeUnit.objects.get(era=Era.CURRENT, code=BA_CHE),
        kind="road",
        name="other programme",
        investment_total_vnd=9,
        output_unit="km",
    )
    form = report_form_fill(
        user=province_officer,
        identifier="programme-works",
        scope=scope(province_officer, QUANG_NINH),
        language="vi",
    )
    assert form.body() == [
        ("1", "Đường giao thông (km)", [2, 1, 1, 0, 50.0, 12.5, 3.0, 2_000, 20], 0),
        ("2", "Trường học (phòng học)", [1, 0, 0, 1, 0.0, 0.0, 0.0, 1_000, 10], 0),
        ("", "Tổng cộng", [3, 1, 1, 1, pytest.approx(100 / 3), None, None, 3_000, 30], 0),
    ]
    text = pdf_text(
        client_for(province_officer).get(url(QUANG_NINH, "pdf").replace(CAPITAL, "programme-works")).content
    )
    assert "Đường giao thông (km) 2 1 1 0 50,0% 12,5 3 2.000 20" in text


def test_the_support_form_counts_households_by_kind_and_recorded_status(money, make_user) -> None:
    """Given in Ba Chẽ two households given breeding animals in 2024 (one poor, one near-poor, 3,000,000
    and 2,000,000 dong) and one poor household given housing in 2020 (outside the years): an aggregate
    viewer, who may open no household, counts them."""
    component = Component.objects.get(code="1719-DA3-TDA1")
    village = AdministrativeUnit.objects.get(era=Era.CURRENT, code=BA_CHE)
    for code, kind, year, status, amount in (
        ("H1", "breeding_animals", 2024, "poor", 3_000_000),
        ("H2", "breeding_animals", 2024, "near_poor", 2_000_000),
        ("H1", "housing", 2020, "poor", 40_000_000),
    ):
        HouseholdSupport.objects.create(
            unit=village,
            household_code=code,
            component=component,
            year=year,
            kind=kind,
            amount_vnd=amount,
            recorded_status=status,
        )
    viewer = make_user("donor", Role.AGGREGATE_VIEWER, QUANG_NINH)
    form = report_form_fill(
        user=viewer, identifier="programme-support", scope=scope(viewer, QUANG_NINH), language="en"
    )
    body = {row.label: row.values for row in form.body()}
    assert body["Breeding animals"] == [2, 1, 1, 0, 50.0, 5]
    assert body["Housing support"] == [0, 0, 0, 0, None, 0]
    assert body["Total"] == [2, 1, 1, 0, 50.0, 5]
