"""The questionnaire's cells as officials write them: numbers the Vietnamese way, choices by label,
abbreviation or without diacritics, and codes whose leading zeros a spreadsheet dropped; what cannot be
read is refused with the allowed values in the reader's language, and nothing is written."""

import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from tests.imports.helpers import preview, preview_and_apply, problems
from tests.registry.conftest import QuestionnaireRow, csv_text
from vungcao.common.bounds import TOO_LONG
from vungcao.engine import households
from vungcao.engine.poverty.validation import NOT_AN_INTEGER
from vungcao.engine.tabular import shortened
from vungcao.imports.models import ImportBatch
from vungcao.registry import identity
from vungcao.registry.models import Assessment, Household, Member

pytestmark = pytest.mark.django_db


def workbook(rows: list[dict[str, object]]) -> bytes:
    """The rows as an official's workbook, each value in a cell of its Python type (numbers as numbers,
    as Excel stores a code typed into a cell not formatted as text)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    header = list(rows[0])
    sheet.append(header)
    for row in rows:
        sheet.append([row[column] for column in header])
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def counts() -> tuple[int, int, int]:
    return Household.objects.count(), Member.objects.count(), Assessment.objects.count()


@pytest.mark.parametrize(
    ("written", "income"),
    [
        ("1.500.000", 1_500_000),
        ("1 500 000", 1_500_000),
        ("1,5 triệu", 1_500_000),
        ("2tr", 2_000_000),
        ("500 nghìn", 500_000),
        ("1.200.000 đ", 1_200_000),
        ("386000", 386_000),
    ],
)
def test_an_income_written_as_officials_write_it_is_read(
    commune_officer, ba_che_review, questionnaire_row: QuestionnaireRow, written: str, income: int
) -> None:
    row: dict[str, object] = {**questionnaire_row("H1", "Hoàng Văn A"), "income_per_capita_month": written}
    preview_and_apply("questionnaire", workbook([row]), "file.xlsx", user=commune_officer)
    assert Assessment.objects.get().income_per_capita_month == income


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("1,500", NOT_AN_INTEGER.en),
        ("-5", "Below the minimum of 0."),
        ("1e308", NOT_AN_INTEGER.en),
        ("NaN", NOT_AN_INTEGER.en),
        ("=1+1", 'The cell begins with "="'),
        ("1\x07000", "control character"),
        ("9" * 10_000, NOT_AN_INTEGER.en),
    ],
)
def test_an_income_that_cannot_be_read_exactly_is_refused_and_nothing_is_written(
    commune_officer, ba_che_review, questionnaire_row: QuestionnaireRow, written: str, reason: str
) -> None:
    row = {**questionnaire_row("H1", "Hoàng Văn A"), "income_per_capita_month": written}
    # A comma needs a workbook (the helper's CSV does not quote); a formula or a control character a CSV.
    content, name = (workbook([row]), "file.xlsx") if "," in written else (csv_text([row]), "file.csv")
    with translation.override("en"):
        batch = preview("questionnaire", content, name, user=commune_officer)
    assert batch.status == ImportBatch.Status.REFUSED
    found = [(field, why) for _row, field, _value, why in problems(batch)]
    assert len(found) == 1, found
    [(field, problem_reason)] = found
    assert field == "income_per_capita_month"
    assert problem_reason.startswith(reason) or reason in problem_reason
    assert counts() == (0, 0, 0)


def test_choices_are_read_by_label_abbreviation_or_without_diacritics(
    commune_officer, ba_che_review, questionnaire_row: QuestionnaireRow
) -> None:
    head = {
        **questionnaire_row("H1", "Hoàng Văn A", area="NONG THON"),
        "sex": "Nam",
        "schooling": "THCS",
        "work": "làm ruộng",
        "health_insurance": "x",
        "disability": "ko",
    }
    spouse = {
        **questionnaire_row("H1", "Triệu Thị B", relation="vo", area="NONG THON"),
        "sex": "nu",
        "schooling": "tiểu học",
        "work": "Own business",
        "health_insurance": "c",
        "disability": "không",
    }
    preview_and_apply("questionnaire", workbook([head, spouse]), "file.xlsx", user=commune_officer)
    assert set(
        Member.objects.values_list(
            "relation_to_head", "sex", "schooling", "work", "has_health_insurance", "has_disability"
        )
    ) == {
        ("head", "male", "lower_secondary", "own_farm", True, False),
        ("spouse", "female", "primary", "own_business", True, False),
    }
    assert Household.objects.get().area == "rural"


def test_an_unknown_or_ambiguous_choice_is_refused_with_the_labels_in_the_readers_language(
    commune_officer, ba_che_review, questionnaire_row: QuestionnaireRow
) -> None:
    rows = [
        {
            **questionnaire_row("H1", "Hoàng Văn A"),
            "schooling": "university?",
            "work": "làm công",
            "sex": "y",
        },
    ]
    with translation.override("vi"):
        batch = preview("questionnaire", workbook(rows), "file.xlsx", user=commune_officer)
    found = {field: reason for _row, field, _value, reason in problems(batch)}
    assert found["schooling"].startswith(
        "Không thuộc các giá trị: Chưa đi học, Mầm non, Tiểu học, Trung học cơ sở"
    )
    assert found["work"] == (
        "Không rõ là giá trị nào trong: Làm công ăn lương, có hợp đồng lao động, "
        "Làm công ăn lương, không có hợp đồng lao động; ghi đầy đủ hơn."
    )
    assert found["sex"] == "Không thuộc các giá trị: Nam, Nữ."
    assert counts() == (0, 0, 0)


def test_yes_is_read_alike_in_every_yes_no_column_and_answer(
    commune_officer, ba_che_review, questionnaire_row: QuestionnaireRow
) -> None:
    """ "y" is yes in a member column and in a recorded answer alike (it was refused in one of them)."""
    row = {**questionnaire_row("H1", "Hoàng Văn A"), "health_insurance": "Y", "deprived__telecom": "y"}
    preview_and_apply("questionnaire", workbook([row]), "file.xlsx", user=commune_officer)
    assert Member.objects.get().has_health_insurance is True
    assert Assessment.objects.get().answers["deprived__telecom"] is True


def test_codes_a_spreadsheet_turned_into_numbers_get_their_leading_zeros_back(
    commune_officer, ba_che_review, questionnaire_row: QuestionnaireRow
) -> None:
    """Numeric cells 9 (ethnic group) and 22080001234 (identity number), as Excel keeps 09 and
    022080001234 typed into a cell not formatted as text, are read as 09 and 022080001234."""
    row: dict[str, object] = {
        **questionnaire_row("H1", "Hoàng Văn A"),
        "ethnic_group": 9,
        "identity_number": 22080001234,
        "birth_year": 1980,
        "income_per_capita_month": 1_200_000,
    }
    preview_and_apply("questionnaire", workbook([row]), "file.xlsx", user=commune_officer)
    member = Member.objects.get()
    assert member.ethnic_group == "09"
    assert member.identity_digest == identity.identity_digest("022080001234")


def test_an_identity_number_too_short_to_restore_is_refused_masked(
    commune_officer, ba_che_review, questionnaire_row: QuestionnaireRow
) -> None:
    row: dict[str, object] = {**questionnaire_row("H1", "Hoàng Văn A"), "identity_number": 2208123}
    with translation.override("en"):
        batch = preview("questionnaire", workbook([row]), "file.xlsx", user=commune_officer)
    assert problems(batch) == [
        (2, "identity_number", "•••••••••123", "An identity number has 9 or 12 digits; this one has 7.")
    ]
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize("text", ["=1+1", "1\x07980"])
def test_hostile_birth_years_are_refused_and_nothing_is_written(
    commune_officer, ba_che_review, questionnaire_row: QuestionnaireRow, text: str
) -> None:
    row = {**questionnaire_row("H1", "Hoàng Văn A"), "birth_year": text}
    batch = preview("questionnaire", csv_text([row]), user=commune_officer)
    assert batch.status == ImportBatch.Status.REFUSED
    assert counts() == (0, 0, 0)


def test_a_birth_year_in_the_future_is_refused_with_the_engines_reason(
    commune_officer, ba_che_review, questionnaire_row: QuestionnaireRow
) -> None:
    row = {**questionnaire_row("H1", "Hoàng Văn A"), "birth_year": "2.999"}
    with translation.override("vi"):
        batch = preview("questionnaire", workbook([row]), "file.xlsx", user=commune_officer)
    assert problems(batch) == [(2, "birth_year", "2.999", households.BORN_IN_FUTURE.vi)]


def test_texts_longer_than_their_columns_are_problems_of_their_rows_and_nothing_is_written(
    commune_officer, ba_che_review, questionnaire_row: QuestionnaireRow
) -> None:
    """A household code of 41 characters, an address of 256 and a member's name of 121 are refused on
    their rows, with the length they may have (PostgreSQL would refuse to store them: a server error
    before)."""
    code = "H" * 41
    long_code = questionnaire_row(code, "Hoàng Văn A")
    long_address = {**questionnaire_row("H2", "Hoàng Văn B"), "address": "Đ" * 256}
    long_name = questionnaire_row("H3", "Hoàng " + "A" * 115)  # 121 characters
    batch = preview("questionnaire", csv_text([long_code, long_address, long_name]), user=commune_officer)
    with translation.override("vi"):
        expected = [
            (2, "household_code", code, str(TOO_LONG).format(length=40)),
            (3, "address", shortened("Đ" * 256), str(TOO_LONG).format(length=255)),
            (4, "member_name", shortened(long_name["member_name"]), str(TOO_LONG).format(length=120)),
        ]
    assert batch.status == ImportBatch.Status.REFUSED
    assert problems(batch) == expected
    assert counts() == (0, 0, 0)


def test_texts_as_long_as_their_columns_are_stored(
    commune_officer, ba_che_review, questionnaire_row: QuestionnaireRow
) -> None:
    row = {**questionnaire_row("H" * 40, "Hoàng " + "A" * 114), "address": "Đ" * 255}
    preview_and_apply("questionnaire", csv_text([row]), user=commune_officer)
    household = Household.objects.get()
    assert (len(household.code), len(household.address), len(household.members.get().full_name)) == (
        40,
        255,
        120,
    )
