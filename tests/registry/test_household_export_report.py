"""The household export is a report an official can hand on: a title, the unit by its full name, the
year, the filter in words, who exported it and when; Vietnamese headers and labels (English for a reader
who chose English), never codes; codes as text; the households and each year's assessed households
counted in the totals row."""

import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext

from tests.common.reports import Report, read_report
from tests.conftest import BA_CHE, client_for
from tests.exports.helpers import download, exported, exported_file
from tests.imports.helpers import english, preview_and_apply
from tests.registry.conftest import QuestionnaireRow, csv_text
from vungcao.common.report_workbooks import TOTAL
from vungcao.registry.models import Assessment

pytestmark = pytest.mark.django_db

CODES = ["06970-001-0001", "06970-001-0002", "06970-001-0003"]
# The codes a cell must never show instead of a label.
CODE_VALUES = {"rural", "urban", "poor", "near_poor", "not_poor", "average", "02"}


@pytest.fixture
def assessed(commune_officer, ba_che_review, questionnaire_row: QuestionnaireRow) -> dict[str, str]:
    """Three households of Ba Chẽ (heads of the Tày group) assessed in 2025: their statuses by code."""
    rows = [
        questionnaire_row(
            CODES[0], "Hoàng Văn A", income=900_000, deprived=("employment", "housing_area", "water_source")
        ),
        questionnaire_row(CODES[1], "Hoàng Văn B", income=1_200_000),
        questionnaire_row(CODES[2], "Hoàng Văn C", income=9_000_000, area="thành thị"),
    ]
    for row in rows:
        row["ethnic_group"] = "02"
    preview_and_apply("questionnaire", csv_text(rows), user=commune_officer)
    return dict(Assessment.objects.values_list("household__code", "status"))


def downloaded(client, query: dict[str, object]) -> Report:
    response = exported_file(client, query)
    assert response.status_code == 200
    return read_report(response.content)


def test_the_export_is_a_report_in_vietnamese(commune_officer, assessed) -> None:
    # Given three households assessed in 2025, when the commune officer exports the year's list
    report = downloaded(client_for(commune_officer), {"unit": BA_CHE, "year": 2025})
    # Then the file says what it is, where, when and by whom
    with translation.override("vi"):
        assert report.title == gettext("List of households")
        assert report.lines[:2] == [
            gettext("Unit: {unit}").format(unit="Xã Ba Chẽ, Tỉnh Quảng Ninh"),
            gettext("Period: {period}").format(period=gettext("Year {year}").format(year=2025)),
        ]
        assert report.lines[-1].startswith(gettext("Exported on {date} by {user}").split("{date}")[0])
        assert report.lines[-1].endswith(f"{commune_officer.username}")
        number, village, commune = (pgettext("report column", word) for word in ("No.", "Village", "Commune"))
        poor, near_poor, not_poor = (gettext(word) for word in ("Poor", "Near-poor", "Not poor"))
    # its headers are Vietnamese, its values labels
    assert report.header == [
        number,
        "Mã hộ",
        village,
        commune,
        "Địa chỉ",
        "Khu vực",
        "Dân tộc của chủ hộ",
        "Tình trạng năm 2025",
        "Tình trạng năm 2024",
    ]
    labels = {"poor": poor, "near_poor": near_poor, "not_poor": not_poor}
    assert [row[:3] for row in report.rows] == [
        (1, CODES[0], "Thôn Khe Giấy"),
        (2, CODES[1], "Thôn Khe Giấy"),
        (3, CODES[2], "Thôn Khe Giấy"),
    ]
    assert report.column("Khu vực") == ["Nông thôn", "Nông thôn", "Thành thị"]
    assert report.column("Dân tộc của chủ hộ") == ["Tày", "Tày", "Tày"]
    assert report.column("Tình trạng năm 2025") == [labels[assessed[code]] for code in CODES]
    assert {assessed[code] for code in CODES} == {"poor", "near_poor", "not_poor"}
    assert not {value for row in report.rows for value in row} & CODE_VALUES
    # and the totals row counts the households, and those assessed each year
    assert report.totals == (str(TOTAL), 3, None, None, None, None, None, 3, 0)
    # a code is text, in the text format: Excel keeps its leading zero
    code = report.cells(0)[1]
    assert (code.value, code.data_type, code.number_format) == (CODES[0], "s", "@")


def test_a_reader_who_chose_english_gets_the_report_in_english(commune_officer, assessed) -> None:
    report = downloaded(english(client_for(commune_officer)), {"unit": BA_CHE, "year": 2025})
    assert report.title == "List of households"
    assert report.lines[:2] == ["Unit: Xã Ba Chẽ, Tỉnh Quảng Ninh", "Period: Year 2025"]
    assert report.header == [
        "No.",
        "Household code",
        "Village",
        "Commune",
        "Address",
        "Area",
        "Ethnic group of the head",
        "Status 2025",
        "Status 2024",
    ]
    assert report.column("Area") == ["Rural", "Rural", "Urban"]
    assert report.column("Ethnic group of the head") == ["Tay", "Tay", "Tay"]
    labels = {"poor": "Poor", "near_poor": "Near-poor", "not_poor": "Not poor"}
    assert report.column("Status 2025") == [labels[assessed[code]] for code in CODES]
    assert report.totals is not None
    assert report.totals[0] == "Total"


def test_the_filter_is_written_in_words_in_the_file_and_on_the_export_page(commune_officer, assessed) -> None:
    client = english(client_for(commune_officer))
    near_poor = next(code for code, status in assessed.items() if status == "near_poor")
    query = {"unit": BA_CHE, "year": 2025, "status": "near_poor", "ethnic_group": "02", "change": "new"}
    export = exported(client, query)
    report = read_report(download(client, export).content)
    # The file holds the near-poor household, and says which filter chose it, in words
    assert report.column("Household code") == [near_poor]
    assert report.lines[2:5] == [
        "Status: Near-poor",
        "Ethnic group of the head: Tay",
        "Change since last year: New this year",
    ]
    # and the export's page names the filter as the file does, never by its codes
    with translation.override("en"):
        page = client.get(f"/exports/{export.pk}/").content.decode()
    for words in ("Xã Ba Chẽ, Tỉnh Quảng Ninh", "Near-poor", "Tay", "New this year"):
        assert words in page
    assert "near_poor" not in page.split('id="filters"')[1].split("</dl>")[0]


def test_a_list_without_a_year_or_unit_covers_the_users_scope_as_registered_today(
    province_officer, analyst, assessed
) -> None:
    # Given no year: the list has no status columns, and its period is the day it was written
    report = downloaded(english(client_for(province_officer)), {})
    assert report.lines[0] == "Unit: Tỉnh Quảng Ninh"
    assert report.lines[1].startswith("Period: Households registered on ")
    assert report.header[-1] == "Ethnic group of the head"
    assert report.totals == ("Total", 3, None, None, None, None, None)
    # A national user's list covers the whole country
    assert downloaded(english(client_for(analyst)), {}).lines[0] == "Unit: Whole country"
