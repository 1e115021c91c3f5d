"""The review's summary forms, filled from the review pages' figures and downloaded as XLSX and PDF.

Ba Chẽ's reviews of 2023, 2024 and 2025 are approved (households A–H, tests.registry.conftest); in
2025 one household of Tiên Yên is assessed too, in a review not approved, so never counted."""

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import (
    BA_CHE,
    FORM_UNITS_OUT_OF_SCOPE,
    QUANG_NINH,
    TIEN_YEN,
    client_for,
    current_unit,
)
from tests.imports.helpers import preview_and_apply
from tests.registry.conftest import QuestionnaireRow, csv_text
from vungcao.accounts.models import Role
from vungcao.engine.report_forms import column_numbers
from vungcao.geo.services import villages
from vungcao.registry.models import ReviewCycle
from vungcao.registry.selectors import national, reviews
from vungcao.registry.selectors.report_forms import FormScope, form_definitions, report_form_fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(administrator, three_years, questionnaire_row: QuestionnaireRow) -> dict[int, ReviewCycle]:
    villages.village_create(user=administrator, commune=current_unit(TIEN_YEN), name="Thôn Một")
    row = questionnaire_row(
        "T1", "Vi Văn B", village=f"{TIEN_YEN}-001", deprived=("employment", "latrine", "telecom")
    )
    preview_and_apply("questionnaire", csv_text([row]), user=administrator)
    return three_years


def fill(user, identifier: str, unit_code: str | None, language: str = "vi"):
    unit = None if unit_code is None else current_unit(unit_code)
    return report_form_fill(user=user, identifier=identifier, scope=FormScope(2025, unit), language=language)


def test_every_shipped_form_loads_with_its_numbered_columns() -> None:
    forms = form_definitions()
    assert sorted(forms) == [
        "official-results",
        "poor-household-changes",
        "poor-household-deprivation-rates",
        "poor-household-deprivations",
    ]
    assert [forms[key].number for key in sorted(forms)] == ["1", "2", "5", "4"]
    assert column_numbers(forms["official-results"].leaves()) == [
        "1",
        "2",
        "3 = 2/1 × 100",
        "4",
        "5 = 4/1 × 100",
    ]
    assert column_numbers(forms["poor-household-changes"].leaves())[-1] == "9 = 1 − 2 − 3 − 4 + 5 + 6 + 7 + 8"


def test_the_official_results_equal_the_review_pages_for_a_commune_a_province_and_the_country(
    province_officer, analyst, reviewed
) -> None:
    """Given Ba Chẽ approved (6 assessed, 3 poor, 2 near-poor) and Tiên Yên not, then each form counts
    what the national figures count for the same unit, and only the approved commune."""
    figures = national.national_figures(user=analyst, year=2025, era="current")
    province_row = next(area for area in figures.by_province if area.code == QUANG_NINH)
    expected = [6, 3, 50.0, 2, 100 * 2 / 6]
    for user, unit, page in (
        (province_officer, BA_CHE, None),
        (province_officer, QUANG_NINH, province_row),
        (analyst, None, figures.total),
    ):
        form = fill(user, "official-results", unit)
        *_rows, (_order, label, totals, _level) = form.body()
        assert totals == expected, unit
        assert label == "Tổng cộng"
        if page is not None:
            assert [page.assessed, page.poor, page.poverty_rate, page.near_poor] == [6, 3, 50.0, 2]
    review = reviews.commune_review_get(user=province_officer, cycle=reviewed[2025], commune_code=BA_CHE)
    progress = reviews.commune_review_progress(review=review)
    assert (progress.by_status["poor"], progress.by_status["near_poor"]) == (3, 2)
    assert [row.label for row in fill(province_officer, "official-results", QUANG_NINH).rows] == [
        current_unit(BA_CHE).name
    ]
    assert [row.label for row in fill(analyst, "official-results", None).rows] == [
        current_unit(QUANG_NINH).name
    ]
    heading = fill(province_officer, "official-results", QUANG_NINH).heading
    assert "Chỉ tính các xã có kết quả rà soát đã được phê duyệt (1 xã)." in heading


def test_the_changes_form_counts_each_way_into_and_out_of_poverty(commune_officer, reviewed) -> None:
    """2024 → 2025 in Ba Chẽ: poor before B, C, H; B became near-poor, H was not reviewed again; A fell
    back, D (not poor in 2024) became poor for the first time: newly poor; so the poor after are A, C, D."""
    form = fill(commune_officer, "poor-household-changes", BA_CHE)
    (village,) = form.rows
    assert village.label == "Thôn Khe Giấy"
    *_rows, (_order, _label, totals, _level) = form.body()
    assert totals == [3, 1, 0, 1, 0, 1, 1, 0, 3]
    poor_now = fill(commune_officer, "official-results", BA_CHE).body()[-1][2][1]
    assert totals[-1] == poor_now  # the poor at the end are the official result's poor
    assert "So với kết quả rà soát năm 2024" in form.heading


def test_the_deprivation_forms_count_the_poor_by_indicator_of_the_year_standard(
    province_officer, analyst, reviewed
) -> None:
    counts = fill(province_officer, "poor-household-deprivations", QUANG_NINH)
    leaves = counts.definition.leaves()
    assert len(leaves) == 14  # poor households, deprivations in all, the 12 indicators
    *_rows, (_order, _label, totals, _level) = counts.body()
    by_key = dict(zip([leaf.key for leaf in leaves], totals, strict=True))
    assert (by_key["poor"], by_key["deprivations"]) == (3, 9)
    assert (by_key["deprived__employment"], by_key["deprived__nutrition"], by_key["deprived__latrine"]) == (
        3,
        3,
        3,
    )
    assert by_key["deprived__telecom"] == 0  # Tiên Yên's household is deprived in it, but not approved
    assert leaves[2].label.vi == "Việc làm"
    # The commune's form counts its assessments by village; the province's and the country's, the review's
    # rollups by commune and province: the same totals.
    for user, unit in ((province_officer, BA_CHE), (analyst, None)):
        *_rows, (_order, _label, same, _level) = fill(user, "poor-household-deprivations", unit).body()
        assert same == totals, unit
    rates = fill(province_officer, "poor-household-deprivation-rates", QUANG_NINH, language="en")
    *_rows, (_order, _label, rate_totals, _level) = rates.body()
    assert rate_totals[:3] == [3, 100.0, 0.0]
    assert rates.definition.leaves()[1].label.en == "Employment"


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_pdf_holds_the_form_numbers_in_vietnamese_and_the_xlsx_typed_cells(
    province_officer, reviewed
) -> None:
    client = client_for(province_officer)
    pdf = client.get(f"/registry/report-forms/2025/{QUANG_NINH}/official-results.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert (
        pdf["Content-Disposition"] == f'attachment; filename="bieu-1-official-results-{QUANG_NINH}-2025.pdf"'
    )
    text = pdf_text(pdf.content)
    for expected in (
        "TỔNG HỢP KẾT QUẢ CHÍNH THỨC",
        "ỦY BAN NHÂN DÂN",
        "TỈNH QUẢNG NINH",
        "Tổng cộng",
        "50,0%",
        "33,3%",
        "3 = 2/1 × 100",
        "Người lập biểu",
        "CHỦ TỊCH",
    ):
        assert expected in text, expected
    xlsx = client.get(f"/registry/report-forms/2025/{QUANG_NINH}/official-results.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    total = next(row for row in sheet.iter_rows() if row[1].value == "Tổng cộng")
    assert [cell.value for cell in total[2:]] == [6, 3, 0.5, 2, pytest.approx(1 / 3)]
    assert [cell.number_format for cell in total[2:]] == ["#,##0", "#,##0", "0.0%", "#,##0", "0.0%"]
    # The header: "STT", "Đơn vị" and "Tổng số hộ dân cư" over two rows, each group over its two columns,
    # then the numbers row.
    header = {str(merged) for merged in sheet.merged_cells.ranges if "11" in str(merged)}
    assert header == {"A11:A12", "B11:B12", "C11:C12", "D11:E11", "F11:G11"}
    assert (sheet["D11"].value, sheet["D12"].value, sheet["E13"].value) == (
        "Hộ nghèo",
        "Số hộ",
        "3 = 2/1 × 100",
    )
    assert sheet.print_title_rows == "$11:$13"


def test_an_english_reader_gets_english_labels_and_numbers(province_officer, reviewed) -> None:
    client = client_for(province_officer)
    client.cookies["django_language"] = "en"
    response = client.get(
        f"/registry/report-forms/2025/{QUANG_NINH}/official-results.pdf", HTTP_ACCEPT_LANGUAGE="en"
    )
    text = pdf_text(response.content)
    assert "OFFICIAL RESULTS OF THE POOR AND NEAR-POOR HOUSEHOLD REVIEW" in text
    assert "Poor households" in text
    assert "50.0%" in text
    assert "33.3%" in text


@pytest.mark.parametrize(
    ("who", "unit"),
    FORM_UNITS_OUT_OF_SCOPE,
)
def test_a_form_out_of_scope_is_not_found(commune_officer, province_officer, reviewed, who, unit) -> None:
    user = commune_officer if who == "commune" else province_officer
    response = client_for(user).get(f"/registry/report-forms/2025/{unit}/official-results.xlsx")
    assert response.status_code == 404


def test_an_aggregate_viewer_downloads_the_forms_of_its_scope(make_user, reviewed) -> None:
    viewer = make_user("donor", Role.AGGREGATE_VIEWER, QUANG_NINH)
    client = client_for(viewer)
    for identifier in form_definitions():
        response = client.get(f"/registry/report-forms/2025/{QUANG_NINH}/{identifier}.pdf")
        assert response.status_code == 200, identifier
    changes = fill(viewer, "poor-household-changes", QUANG_NINH)
    assert changes.body()[-1][2][0] == 3  # counted for the viewer, who may not open a household


def test_the_dashboard_links_to_each_form_of_the_units_the_user_may_open(
    province_officer, analyst, commune_officer, reviewed
) -> None:
    page = client_for(province_officer).get(f"/registry/reviews/{reviewed[2025].pk}/").content.decode()
    assert f"/registry/report-forms/2025/{QUANG_NINH}/official-results.xlsx" in page
    assert f"/registry/report-forms/2025/{QUANG_NINH}/poor-household-changes.pdf" in page
    assert "/registry/report-forms/2025/country/" not in page
    national = client_for(analyst).get(f"/registry/reviews/{reviewed[2025].pk}/").content.decode()
    assert "/registry/report-forms/2025/country/poor-household-deprivations.pdf" in national
    commune = client_for(commune_officer).get(f"/registry/reviews/{reviewed[2025].pk}/{BA_CHE}/")
    assert f"/registry/report-forms/2025/{BA_CHE}/official-results.pdf" in commune.content.decode()
    assert f"/registry/report-forms/2025/{QUANG_NINH}/" not in commune.content.decode()
