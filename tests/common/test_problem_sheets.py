"""The problems of a refused file as a report: which file, which import, which unit, who and when; the
headers in the reader's language, each column as the template heads it, the problems counted; every value
copied from the file comes back as text, never as a formula."""

import datetime

import pytest
from django.utils import translation
from django.utils.translation import gettext

from tests.common.hostile import CONTROLS, CONTROLS_KEPT, FORMULAS, LONG, formula_free_texts
from tests.common.reports import read_report
from tests.conftest import BA_CHE, MUONG_PHANG, client_for
from tests.imports.helpers import english, uploaded
from vungcao.accounts.models import User
from vungcao.common.importing import Importer
from vungcao.common.report_workbooks import TOTAL
from vungcao.engine.tabular import ValidationProblem
from vungcao.imports.models import ImportBatch
from vungcao.imports.problem_sheets import problems_workbook

VILLAGES = f"commune_code,name,type\n{MUONG_PHANG},Bản X,bản\n{BA_CHE},,thôn\n".encode()
UPLOADED_AT = datetime.datetime(2026, 3, 9, 1, 5, tzinfo=datetime.UTC)


def refused_batch(problems: list[ValidationProblem], *, kept: int | None = None) -> ImportBatch:
    return ImportBatch(
        kind="households",
        filename="ho-gia-dinh.csv",
        created_at=UPLOADED_AT,
        row_count=1_500,
        problem_count=len(problems),
        problems=[problem.as_dict() for problem in problems[:kept]],
    )


IMPORTER = Importer(
    kind="households",
    label="Hộ gia đình",
    columns=("household_code", "address"),
    example=("06970-001-0001", "Khe Giấy"),
    plan=lambda *args: None,
    may_import=lambda user: True,
    labels={"household_code": "Mã hộ"},
)


def test_every_value_of_a_hostile_file_comes_back_as_text() -> None:
    # Given problems whose values (and reasons quoting them) are what a hostile file held
    values = [*FORMULAS, CONTROLS, LONG]
    problems = [
        ValidationProblem(row, "address", value, f"{value} is not an address")
        for row, value in enumerate(values, start=2)
    ]
    # When the sheet is written, Then it opens with no formula and every value as it was
    content = problems_workbook(
        batch=refused_batch(problems), importer=IMPORTER, problems=problems, user=User(username="bache")
    )
    formula_free_texts(content)
    report = read_report(content)
    read_back = [value.replace("\r", "\n") for value in FORMULAS] + [CONTROLS_KEPT, LONG]
    assert [row[2] for row in report.rows] == read_back
    assert [row[3] for row in report.rows] == [f"{value} is not an address" for value in read_back]
    assert [row[0] for row in report.rows] == list(range(2, 2 + len(values)))


def test_the_sheet_says_which_file_and_heads_each_column_as_the_template_does() -> None:
    problems = [
        ValidationProblem(2, "household_code", "6970-001-0001", "Không có thôn này."),
        ValidationProblem(3, "address", "", "Thiếu địa chỉ."),
        ValidationProblem(4, "", "", "Dòng trùng dòng 2."),
    ]
    batch = refused_batch(problems * 2, kept=3)
    with translation.override("vi"):
        content = problems_workbook(
            batch=batch, importer=IMPORTER, problems=problems, user=User(username="analyst")
        )
        report = read_report(content)
        assert report.title == gettext("Problems found in the file {name}").format(name="ho-gia-dinh.csv")
        assert report.lines == [
            gettext("Unit: {unit}").format(unit=gettext("Whole country")),
            gettext("Import: {kind}").format(kind="Hộ gia đình"),
            gettext("Uploaded on {date}, {rows} rows read.").format(date="09/03/2026 08:05", rows="1.500"),
            gettext(
                "Only the first {kept} problems by row are listed: {omitted} more were found but not kept."
            ).format(kept=3, omitted=3),
            report.lines[-1],
        ]
    assert report.header == ["Dòng", "Cột", "Giá trị", "Lỗi"]
    assert [row[1] for row in report.rows] == ["Mã hộ (household_code)", "address", None]
    assert report.totals == (str(TOTAL), None, None, 3)
    assert report.sheet.freeze_panes == f"A{report.header_row + 1}"


@pytest.mark.django_db
def test_the_uploader_downloads_the_problems_in_their_language(commune_officer) -> None:
    # Given a village list with two problems, uploaded by the Ba Chẽ officer who reads Vietnamese
    client = client_for(commune_officer)
    batch = uploaded(client, "villages", VILLAGES, "thon.csv")
    report = read_report(client.get(f"/imports/{batch.pk}/problems.xlsx").content)
    with translation.override("vi"):
        assert report.lines[0] == gettext("Unit: {unit}").format(unit="Xã Ba Chẽ, Tỉnh Quảng Ninh")
    assert report.header == ["Dòng", "Cột", "Giá trị", "Lỗi"]
    assert [row[:3] for row in report.rows] == [
        (2, "Mã xã (commune_code)", MUONG_PHANG),
        (3, "Tên thôn (name)", None),
    ]
    assert report.totals == (str(TOTAL), None, None, 2)
    # and the same file read in English
    report = read_report(english(client).get(f"/imports/{batch.pk}/problems.xlsx").content)
    assert report.title == "Problems found in the file thon.csv"
    assert report.header == ["Row", "Column", "Value", "Problem"]
    assert report.totals is not None
    assert report.totals[0] == "Total"


@pytest.mark.django_db
def test_a_file_name_with_quotes_and_diacritics_is_a_safe_download_name(commune_officer) -> None:
    client = client_for(commune_officer)
    batch = uploaded(client, "villages", VILLAGES, 'danh sách "thôn".csv')
    response = client.get(f"/imports/{batch.pk}/problems.xlsx")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''problems-danh%20s%C3%A1ch%20%22th%C3%B4n%22.csv.xlsx"
    )
