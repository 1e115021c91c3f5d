"""A province rewords its review's phone form: it downloads the cycle's workbook, changes texts in Excel and
uploads it back. Texts are taken and every commune's form changes version; any other change is refused by
row, and a hostile workbook is refused whole; nothing is kept from a refused upload."""

import io
import re
import zipfile

import pytest
from django.core.cache import cache
from django.utils import translation
from openpyxl import Workbook, load_workbook

from tests.conftest import BA_CHE, client_for
from vungcao.accounts.models import User
from vungcao.common import file_limits as limits
from vungcao.common.errors import ApplicationError, ImportRefusedError, PermissionDeniedError
from vungcao.field_capture import xforms
from vungcao.field_capture.models import FormWording
from vungcao.field_capture.services import wording
from vungcao.field_capture.xlsform import xlsform_workbook
from vungcao.registry.models import CommuneReview, ReviewCycle

pytestmark = pytest.mark.django_db

LABEL_VI = "label::Tiếng Việt (vi)"
INCOME_LABEL = "Thu nhập bình quân một người một tháng (đồng), theo lời chủ hộ"


def downloaded(cycle: ReviewCycle) -> bytes:
    """The workbook the page gives to download (``test_the_download_…``)."""
    return xlsform_workbook(xforms.cycle_xlsform(cycle=cycle, wording=xforms.cycle_wording(cycle)))


def edited(content: bytes, edit) -> io.BytesIO:
    """The workbook after ``edit(workbook)``, as Excel would save it."""
    book = load_workbook(io.BytesIO(content))
    edit(book)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def row_of(sheet, name: str) -> int:
    names = [cell.value for cell in sheet["B"]]
    return names.index(name) + 1


def column_of(sheet, header: str) -> int:
    return [cell.value for cell in sheet[1]].index(header) + 1


def set_cell(name: str, header: str, value: object):
    def edit(book) -> None:
        survey = book["survey"]
        survey.cell(row_of(survey, name), column_of(survey, header)).value = value

    return edit


def sheets(content: bytes) -> dict[str, list[list[object]]]:
    book = load_workbook(io.BytesIO(content))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book}


def upload(user: User, cycle: ReviewCycle, stream: io.BytesIO, filename: str = "bieu-mau.xlsx"):
    return wording.form_wording_upload(user=user, cycle=cycle, stream=stream, filename=filename)


def refused_problems(user: User, cycle: ReviewCycle, stream: io.BytesIO) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportRefusedError) as refused:
        upload(user, cycle, stream)
    assert refused.value.message == str(wording.REFUSED)
    return [(problem.row, problem.field, problem.reason) for problem in refused.value.report]


@pytest.fixture
def officer(province_officer: User) -> User:
    return province_officer


def test_the_workbook_as_downloaded_keeps_the_standards_wording(
    ba_che_review: CommuneReview, officer: User
) -> None:
    cycle = ba_che_review.cycle
    # When the province uploads the workbook it downloaded, unchanged
    kept = upload(officer, cycle, io.BytesIO(downloaded(cycle)))
    # Then there is no wording to keep
    assert kept is None
    assert not FormWording.objects.exists()


def test_a_reworded_label_is_taken_and_every_communes_form_gets_a_new_version(
    ba_che_review: CommuneReview, officer: User
) -> None:
    # Given Ba Chẽ's form as served before
    cache.clear()
    review = CommuneReview.objects.select_related("cycle", "commune").get(pk=ba_che_review.pk)
    before = xforms.review_xform(review)
    # When the province rewords the income question's Vietnamese label
    cycle = review.cycle
    kept = upload(
        officer,
        cycle,
        edited(downloaded(cycle), set_cell("income_per_capita_month", LABEL_VI, INCOME_LABEL)),
    )
    # Then that text alone is kept, with who uploaded it
    assert kept is not None
    assert kept.wording == {"survey": {"income_per_capita_month": {LABEL_VI: INCOME_LABEL}}}
    assert (kept.filename, kept.uploaded_by, kept.text_count) == ("bieu-mau.xlsx", officer, 1)
    # and Ba Chẽ's form asks it so, under a new version
    after = xforms.review_xform(review)
    assert after.version != before.version
    assert INCOME_LABEL in after.xml.decode()
    assert INCOME_LABEL not in before.xml.decode()
    # and the workbook downloaded now holds it, so the next rewording starts from it
    survey = load_workbook(io.BytesIO(downloaded(cycle)))["survey"]
    assert survey.cell(row_of(survey, "income_per_capita_month"), column_of(survey, LABEL_VI)).value == (
        INCOME_LABEL
    )


def test_going_back_to_the_standards_wording_removes_the_provinces(
    ba_che_review: CommuneReview, officer: User
) -> None:
    cycle = ba_che_review.cycle
    upload(
        officer, cycle, edited(downloaded(cycle), set_cell("income_per_capita_month", LABEL_VI, INCOME_LABEL))
    )
    wording.form_wording_remove(user=officer, cycle=cycle)
    assert not FormWording.objects.exists()
    assert INCOME_LABEL.encode() not in downloaded(cycle)


def test_a_changed_constraint_is_refused_on_its_row_and_nothing_is_kept(
    ba_che_review: CommuneReview, officer: User
) -> None:
    cycle = ba_che_review.cycle
    content = downloaded(cycle)
    survey = load_workbook(io.BytesIO(content))["survey"]
    row = row_of(survey, "income_per_capita_month")
    constraint = survey.cell(row, column_of(survey, "constraint")).value
    # When the province loosens the income's bounds (and rewords its label in the same file)
    stream = edited(
        content,
        lambda book: (
            set_cell("income_per_capita_month", "constraint", ". >= 0")(book),
            set_cell("income_per_capita_month", LABEL_VI, INCOME_LABEL)(book),
        ),
    )
    # Then the constraint is a problem of its row, saying what it was, and nothing is kept
    assert refused_problems(officer, cycle, stream) == [
        (row, "survey · constraint", str(wording.NOT_WORDING).format(before=constraint))
    ]
    assert not FormWording.objects.exists()


def test_an_added_and_a_removed_row_are_refused_by_row(ba_che_review: CommuneReview, officer: User) -> None:
    cycle = ba_che_review.cycle
    content = downloaded(cycle)
    survey = load_workbook(io.BytesIO(content))["survey"]
    address, last = row_of(survey, "address"), survey.max_row

    def edit(book) -> None:
        sheet = book["survey"]
        sheet.cell(sheet.max_row + 1, column_of(sheet, "type")).value = "text"
        sheet.cell(sheet.max_row, column_of(sheet, "name")).value = "favourite_colour"
        sheet.delete_rows(row_of(sheet, "address"))

    problems = refused_problems(officer, cycle, edited(content, edit))
    assert problems == [
        (address, "survey · name", str(wording.REMOVED_ROW).format(name="address")),
        (last, "survey · name", str(wording.ADDED_ROW)),
    ]
    assert not FormWording.objects.exists()


def test_a_moved_choice_is_refused(ba_che_review: CommuneReview, officer: User) -> None:
    cycle = ba_che_review.cycle

    def edit(book) -> None:
        choices = book["choices"]
        first = [cell.value for cell in choices[2]]
        second = [cell.value for cell in choices[3]]
        for column, (one, other) in enumerate(zip(first, second, strict=True), start=1):
            choices.cell(2, column).value, choices.cell(3, column).value = other, one

    problems = refused_problems(officer, cycle, edited(downloaded(cycle), edit))
    assert problems == [(2, "choices · name", str(wording.MOVED_ROW))]


def test_a_label_that_breaks_the_form_is_refused_with_the_converters_message(
    ba_che_review: CommuneReview, officer: User
) -> None:
    cycle = ba_che_review.cycle
    stream = edited(
        downloaded(cycle), set_cell("income_per_capita_month", LABEL_VI, "Thu nhập ${no_such_question}")
    )
    with pytest.raises(ApplicationError) as refused:
        upload(officer, cycle, stream)
    assert refused.value.message.startswith(str(wording.NOT_VALID).format(message="")[:20])
    assert "no_such_question" in refused.value.message
    assert not FormWording.objects.exists()


def test_a_commune_officer_may_not_reword_the_form(
    ba_che_review: CommuneReview, officer: User, commune_officer: User
) -> None:
    cycle = ba_che_review.cycle
    stream = edited(downloaded(cycle), set_cell("income_per_capita_month", LABEL_VI, INCOME_LABEL))
    with pytest.raises(PermissionDeniedError) as refused:
        upload(commune_officer, cycle, stream)
    assert refused.value.message == str(wording.NOT_YOUR_PROVINCE)
    assert not FormWording.objects.exists()


# --- Hostile workbooks -------------------------------------------------------------------------------


def test_a_huge_file_is_refused_before_it_is_read(ba_che_review: CommuneReview, officer: User) -> None:
    stream = io.BytesIO(downloaded(ba_che_review.cycle) + b"\0" * wording.MAX_WORDING_BYTES)
    with pytest.raises(ApplicationError) as refused:
        upload(officer, ba_che_review.cycle, stream)
    assert refused.value.message == str(wording.TOO_LARGE).format(limit="1")
    assert not FormWording.objects.exists()


def test_a_sheet_reaching_the_last_cell_is_refused_before_calamine_builds_it(
    ba_che_review: CommuneReview, officer: User
) -> None:
    stream = edited(downloaded(ba_che_review.cycle), lambda book: book["survey"].cell(1048576, 16384, "x"))
    with pytest.raises(ApplicationError) as refused:
        upload(officer, ba_che_review.cycle, stream)
    assert refused.value.message.startswith(str(limits.SHEET_TOO_LARGE).split("{")[0])
    assert not FormWording.objects.exists()


def test_a_formula_is_refused_naming_its_cell(ba_che_review: CommuneReview, officer: User) -> None:
    content = downloaded(ba_che_review.cycle)
    survey = load_workbook(io.BytesIO(content))["survey"]
    cell = survey.cell(row_of(survey, "income_per_capita_month"), column_of(survey, LABEL_VI)).coordinate
    stream = edited(content, set_cell("income_per_capita_month", LABEL_VI, '=HYPERLINK("http://x","y")'))
    with pytest.raises(ApplicationError) as refused:
        upload(officer, ba_che_review.cycle, stream)
    assert refused.value.message == str(wording.FORMULA).format(cell=cell)
    assert not FormWording.objects.exists()


def with_part_text(stream: io.BytesIO, text: bytes, written: bytes) -> io.BytesIO:
    """The workbook with ``text`` written ``written`` in its XML, as openpyxl would not write it."""
    written_out = io.BytesIO()
    with zipfile.ZipFile(stream) as source, zipfile.ZipFile(written_out, "w") as target:
        for part in source.infolist():
            target.writestr(part, source.read(part).replace(text, written))
    written_out.seek(0)
    return written_out


def test_a_control_character_is_a_problem_of_its_row(ba_che_review: CommuneReview, officer: User) -> None:
    content = downloaded(ba_che_review.cycle)
    survey = load_workbook(io.BytesIO(content))["survey"]
    row = row_of(survey, "income_per_capita_month")
    # A bell character, as Excel escapes it in the workbook's XML
    stream = with_part_text(
        edited(content, set_cell("income_per_capita_month", LABEL_VI, "Thu nhập BELL")), b" BELL", b"_x0007_"
    )
    problems = refused_problems(officer, ba_che_review.cycle, stream)
    assert problems == [(row, f"survey · {LABEL_VI}", str(limits.CELL_CONTROL_CHARACTER).format(code=7))]
    assert not FormWording.objects.exists()


def test_a_workbook_without_the_forms_sheets_is_refused(ba_che_review: CommuneReview, officer: User) -> None:
    book = Workbook()
    book.active.title = "survey"
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    with pytest.raises(ApplicationError) as refused:
        upload(officer, ba_che_review.cycle, buffer)
    assert refused.value.message == str(wording.NO_SHEET).format(sheet="choices")


# --- The pages -----------------------------------------------------------------------------------------


def test_the_download_is_the_cycles_form_named_after_the_province(
    ba_che_review: CommuneReview, commune_officer: User
) -> None:
    cycle = ba_che_review.cycle
    response = client_for(commune_officer).get(f"/field-capture/cycles/{cycle.pk}/xlsform.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="vungcao-review-2025-22.xlsx"'
    assert sheets(response.content) == sheets(downloaded(cycle))
    assert sheets(response.content)["survey"][0][:2] == ["type", "name"]


def test_the_page_takes_a_reworded_form_from_a_province_officer(
    ba_che_review: CommuneReview, officer: User
) -> None:
    cycle = ba_che_review.cycle
    stream = edited(downloaded(cycle), set_cell("income_per_capita_month", LABEL_VI, INCOME_LABEL))
    stream.name = "bieu-mau.xlsx"
    client = client_for(officer)
    response = client.post(f"/field-capture/cycles/{cycle.pk}/xlsform/", {"file": stream}, follow=True)
    assert response.status_code == 200
    assert response.context["wording"].wording == {
        "survey": {"income_per_capita_month": {LABEL_VI: INCOME_LABEL}}
    }
    assert 'id="remove"' in response.content.decode()
    response = client.post(f"/field-capture/cycles/{cycle.pk}/xlsform/", {"action": "remove"}, follow=True)
    assert response.context["wording"] is None


def test_the_page_lists_the_problems_of_a_refused_form(ba_che_review: CommuneReview, officer: User) -> None:
    cycle = ba_che_review.cycle
    stream = edited(downloaded(cycle), set_cell("income_per_capita_month", "constraint", ". >= 0"))
    stream.name = "bieu-mau.xlsx"
    with translation.override("en"):
        response = client_for(officer).post(f"/field-capture/cycles/{cycle.pk}/xlsform/", {"file": stream})
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r'<table class="data" id="problems">.*survey · constraint', page, re.DOTALL)
    assert not FormWording.objects.exists()


def test_a_commune_officer_downloads_but_is_offered_no_upload(
    ba_che_review: CommuneReview, commune_officer: User
) -> None:
    response = client_for(commune_officer).get(f"/field-capture/cycles/{ba_che_review.cycle_id}/xlsform/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="download"' in page
    assert 'id="upload"' not in page
    assert BA_CHE not in page
