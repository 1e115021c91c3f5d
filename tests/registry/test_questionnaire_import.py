"""The commune questionnaire file: preview, every error kind with nothing written, idempotent re-import."""

import pytest
from django.utils import translation

from tests.imports.helpers import preview, preview_and_apply, problems
from tests.registry.conftest import QuestionnaireRow, csv_text
from vungcao.common.errors import ImportRefusedError
from vungcao.imports import services
from vungcao.imports.models import ImportBatch
from vungcao.registry import identity
from vungcao.registry.models import Assessment, Household, Member

pytestmark = pytest.mark.django_db

DEPRIVED_3 = ("employment", "nutrition", "latrine")


def counts() -> tuple[int, int, int]:
    return Household.objects.count(), Member.objects.count(), Assessment.objects.count()


@pytest.fixture
def good_rows(questionnaire_row: QuestionnaireRow) -> list[dict[str, str]]:
    return [
        questionnaire_row("H1", "Hoàng Văn A", deprived=DEPRIVED_3, identity_number="022080001234"),
        questionnaire_row("H1", "Lý Thị B", deprived=DEPRIVED_3, relation="vợ/chồng", birth_year="1984"),
        questionnaire_row(
            "H2", "Đặng Văn C", village="06970-002", income=1_500_000, deprived=("employment",)
        ),
        questionnaire_row("H3", "Nguyễn Văn D", income=1_500_001, deprived=DEPRIVED_3, ethnic_group="Kinh"),
    ]


def test_given_a_clean_file_then_preview_counts_and_apply_classifies(
    commune_officer, ba_che_review, good_rows
) -> None:
    batch = preview("questionnaire", csv_text(good_rows), user=commune_officer)
    assert (batch.status, batch.created_count, batch.updated_count, batch.unchanged_count) == (
        "ready",
        3,
        0,
        0,
    )
    assert counts() == (0, 0, 0)
    preview_and_apply("questionnaire", csv_text(good_rows), user=commune_officer)
    statuses = dict(Assessment.objects.values_list("household__code", "status"))
    assert statuses == {"H1": "poor", "H2": "near_poor", "H3": "average"}
    assert counts() == (3, 4, 3)
    h1 = Household.objects.get(code="H1")
    assert (h1.village.code, h1.head_ethnic_group, h1.area) == ("06970-001", "09", "rural")
    assessment = Assessment.objects.get(household=h1)
    assert (assessment.deprivation_count, assessment.income_threshold, assessment.standard_identifier) == (
        3,
        1_500_000,
        "vn-2022-2025",
    )
    head = Member.objects.get(full_name="Hoàng Văn A")
    assert (head.identity_last_digits, identity.reveal(head.identity_encrypted), head.identity_digest) == (
        "234",
        "022080001234",
        identity.identity_digest("022080001234"),
    )


def test_importing_the_same_file_twice_changes_nothing(commune_officer, ba_che_review, good_rows) -> None:
    preview_and_apply("questionnaire", csv_text(good_rows), user=commune_officer)
    before = list(Assessment.objects.order_by("pk").values_list("pk", "status", "updated_at"))
    batch = preview_and_apply("questionnaire", csv_text(good_rows), user=commune_officer)
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 0, 3)
    assert list(Assessment.objects.order_by("pk").values_list("pk", "status", "updated_at")) == before
    assert counts() == (3, 4, 3)


def test_a_changed_answer_reclassifies_only_that_household(commune_officer, ba_che_review, good_rows) -> None:
    preview_and_apply("questionnaire", csv_text(good_rows), user=commune_officer)
    good_rows[2]["income_per_capita_month"] = "2500000"
    batch = preview_and_apply("questionnaire", csv_text(good_rows), user=commune_officer)
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 1, 2)
    assert Assessment.objects.get(household__code="H2").status == "not_poor"
    assert counts() == (3, 4, 3)


def test_every_kind_of_error_is_listed_and_nothing_is_written(
    commune_officer, ba_che_review, questionnaire_row: QuestionnaireRow
) -> None:
    rows = [
        questionnaire_row("H1", "A", identity_number="022080001234"),  # 2
        questionnaire_row("H1", "B", relation="con", income=999),  # 3: differs from the first row
        questionnaire_row("H2", "C", village="99999-001"),  # 4: unknown village
        questionnaire_row("H3", "D", identity_number="022080001234"),  # 5: same identity as row 2
        questionnaire_row("H4", "E", birth_year="2999"),  # 6: born in the future
        questionnaire_row("H5", "F", relation="con"),  # 7: no head
        questionnaire_row("H6", "G", ethnic_group="Martian"),  # 8: unknown ethnic group
        questionnaire_row("H7", "H", year="2031"),  # 9: no review open that year
        {**questionnaire_row("H8", "I"), "income_per_capita_month": "nhiều"},  # 10: income not a number
        {**questionnaire_row("H9", "J"), "deprived__latrine": "perhaps"},  # 11: not a yes/no
        {**questionnaire_row("H10", "K"), "area": "mountain"},  # 12: unknown area
    ]
    with translation.override("en"):
        batch = preview("questionnaire", csv_text(rows), user=commune_officer)
    assert batch.status == ImportBatch.Status.REFUSED
    found = {(row, column) for row, column, _value, _reason in problems(batch)}
    assert found == {
        (3, "income_per_capita_month"),
        (4, "village_code"),
        (5, "identity_number"),
        (6, "birth_year"),
        (7, "relation_to_head"),
        (8, "ethnic_group"),
        (9, "review_year"),
        (10, "income_per_capita_month"),
        (11, "deprived__latrine"),
        (12, "area"),
    }
    reasons = {(row, column): reason for row, column, _value, reason in problems(batch)}
    assert reasons[(6, "birth_year")] == "A member cannot be born in the future."
    assert reasons[(5, "identity_number")] == "The same identity number is on row 2, in household H1."
    assert counts() == (0, 0, 0)


def test_a_commune_officer_cannot_import_into_another_commune(
    commune_officer, cycle_2025, administrator, questionnaire_row: QuestionnaireRow
) -> None:
    from tests.conftest import TIEN_YEN, current_unit
    from vungcao.geo.services import villages

    villages.village_create(user=administrator, commune=current_unit(TIEN_YEN), name="Thôn Một")
    batch = preview(
        "questionnaire",
        csv_text([questionnaire_row("X1", "A", village=f"{TIEN_YEN}-001")]),
        user=commune_officer,
    )
    assert [(row, column) for row, column, _v, _r in problems(batch)] == [(2, "village_code")]
    assert counts() == (0, 0, 0)


def test_answers_cannot_change_once_submitted(commune_officer, ba_che_review, good_rows) -> None:
    from vungcao.registry.services import reviews

    preview_and_apply("questionnaire", csv_text(good_rows), user=commune_officer)
    reviews.commune_review_submit(user=commune_officer, review=ba_che_review)
    good_rows[2]["income_per_capita_month"] = "2500000"
    batch = preview("questionnaire", csv_text(good_rows), user=commune_officer)
    assert {column for _row, column, _v, _r in problems(batch)} == {"review_year"}
    assert Assessment.objects.get(household__code="H2").status == "near_poor"


def test_a_file_refused_at_apply_writes_nothing_and_its_rows_are_emptied(
    commune_officer, ba_che_review, good_rows
) -> None:
    from vungcao.registry.services import reviews

    preview_and_apply("questionnaire", csv_text(good_rows), user=commune_officer)
    good_rows[2]["income_per_capita_month"] = "2500000"
    batch = preview("questionnaire", csv_text(good_rows), user=commune_officer)
    assert batch.rows
    reviews.commune_review_submit(user=commune_officer, review=ba_che_review)
    with pytest.raises(ImportRefusedError):
        services.import_apply(user=commune_officer, batch=batch)
    refused = ImportBatch.objects.get(pk=batch.pk)
    assert (refused.status, bytes(refused.rows)) == (ImportBatch.Status.REFUSED, b"")
    assert {column for _row, column, _v, _r in problems(refused)} == {"review_year"}
    assert Assessment.objects.get(household__code="H2").status == "near_poor"
    assert counts() == (3, 4, 3)


def test_an_identity_number_stored_in_another_household_is_refused_but_not_in_the_same(
    commune_officer, ba_che_review, good_rows, questionnaire_row: QuestionnaireRow
) -> None:
    preview_and_apply("questionnaire", csv_text(good_rows), user=commune_officer)
    moved = questionnaire_row("H4", "Hoàng Văn A", identity_number="0220 8000 1234")
    with translation.override("en"):
        batch = preview("questionnaire", csv_text([*good_rows, moved]), user=commune_officer)
    assert problems(batch) == [
        (6, "identity_number", "•••••••••234", "The same identity number is on row 2, in household H1."),
    ]
    with translation.override("en"):
        batch = preview("questionnaire", csv_text([moved]), user=commune_officer)
    assert problems(batch) == [
        (
            2,
            "identity_number",
            "•••••••••234",
            "This identity number already belongs to a member of household H1.",
        ),
    ]
    assert counts() == (3, 4, 3)


def test_an_income_beyond_any_amount_of_money_is_refused_by_row(
    commune_officer, ba_che_review, questionnaire_row: QuestionnaireRow
) -> None:
    """Given an income mistyped far beyond what any amount of money can be (or than the column holds),
    then the file is refused on that row, naming the maximum, and nothing is written."""
    rows = [questionnaire_row("H1", "Hoàng Văn A", income=10**16)]
    with translation.override("en"):
        batch = preview("questionnaire", csv_text(rows), user=commune_officer)
    assert problems(batch) == [
        (2, "income_per_capita_month", "10000000000000000", "Above the maximum of 1,000,000,000,000,000.")
    ]
    assert counts() == (0, 0, 0)


def test_identity_numbers_in_kept_problems_are_masked(
    commune_officer, ba_che_review, questionnaire_row: QuestionnaireRow
) -> None:
    """Problems are kept with the import's record after its rows are gone: a malformed number is masked
    (seven digits: too short to be a number whose zeros a spreadsheet dropped, nor letters)."""
    for number in ("2208123", "0220800012X"):
        rows = [questionnaire_row("H1", "Hoàng Văn A", identity_number=number)]
        batch = preview("questionnaire", csv_text(rows), user=commune_officer)
        assert [(column, value) for _row, column, value, _reason in problems(batch)] == [
            ("identity_number", "•••••••••" + number[-3:])
        ]
        assert number not in str(ImportBatch.objects.get(pk=batch.pk).problems)
