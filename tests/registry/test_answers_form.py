"""Correcting a household's answers: the form shows every saved answer, and saving it unchanged
changes nothing."""

import pytest
from django.utils import translation

from tests.conftest import client_for
from tests.imports.helpers import preview_and_apply
from tests.registry.conftest import QuestionnaireRow, csv_text
from vungcao.registry.forms import NumberField
from vungcao.registry.models import Assessment

pytestmark = pytest.mark.django_db

ANSWERS = {
    "area": "rural",
    "income_per_capita_month": "1200000",
    "members_total": "4",
    "members_working_age_unemployed": "1",
    "members_wage_job_without_contract": "0",
    "dependants": "2",
    "children_under16_malnourished": "",
    "members_age6plus_without_health_insurance": "0",
    "members_16_30_without_required_education": "",
    "children_3_15_not_in_age_appropriate_school": "0",
    "main_structures_non_durable": "1",
    "housing_floor_area_m2": "32.5",
    "has_clean_water_source": "false",
    "uses_hygienic_latrine": "true",
    "deprived__telecom": "false",
    "deprived__information_access": "true",
}


def test_every_saved_answer_is_shown_and_saving_it_unchanged_keeps_it(
    commune_officer, ba_che_review, questionnaire_row: QuestionnaireRow
) -> None:
    preview_and_apply(
        "questionnaire", csv_text([questionnaire_row("H1", "Hoàng Văn A")]), user=commune_officer
    )
    url = f"/registry/households/H1/answers/{ba_che_review.cycle_id}/"
    client = client_for(commune_officer)
    # Given answers saved through the form, yes and no among them
    assert client.post(url, ANSWERS).status_code == 302
    saved = Assessment.objects.get(household__code="H1")
    # When the officer opens the form again
    form = client.get(url).context["form"]
    # Then every answer is shown as it was saved, each yes/no question with its choice selected
    shown = {name: form[name].value() for name in form.fields}
    # (numbers as the reader writes them, which read back the same)
    as_shown = {**ANSWERS, "income_per_capita_month": "1.200.000", "housing_floor_area_m2": "32,5"}
    assert {name: "" if value is None else str(value) for name, value in shown.items()} == as_shown
    for name in (
        "has_clean_water_source",
        "uses_hygienic_latrine",
        "deprived__telecom",
        "deprived__information_access",
    ):
        assert f'<option value="{ANSWERS[name]}" selected>' in str(form[name]), name
    # When it is sent back as it was shown, then it is accepted and nothing changes
    assert client.post(url, as_shown).status_code == 302
    again = Assessment.objects.get(household__code="H1")
    assert (again.answers, again.status, again.income_per_capita_month) == (
        saved.answers,
        saved.status,
        saved.income_per_capita_month,
    )


def test_yes_means_the_household_meets_it_and_the_stored_meaning_is_kept(
    commune_officer, ba_che_review, questionnaire_row: QuestionnaireRow
) -> None:
    """Given the recorded indicators asked as "does the household meet it?", when the officer answers
    "yes" for telecom and "no" for information access, then the stored answers keep their meaning
    (telecom not deprived, information access deprived) and the status counts the deprivation."""
    preview_and_apply(
        "questionnaire", csv_text([questionnaire_row("H1", "Hoàng Văn A")]), user=commune_officer
    )
    url = f"/registry/households/H1/answers/{ba_che_review.cycle_id}/"
    client = client_for(commune_officer)
    page = client.get(url).content.decode()
    assert "Hộ đáp ứng chỉ số sử dụng dịch vụ viễn thông (không thiếu hụt)" in page
    assert "Hộ thiếu hụt chỉ số" not in page
    assert (
        client.post(
            url, {**ANSWERS, "deprived__telecom": "true", "deprived__information_access": "false"}
        ).status_code
        == 302
    )
    saved = Assessment.objects.get(household__code="H1")
    assert (saved.answers["deprived__telecom"], saved.answers["deprived__information_access"]) == (
        False,
        True,
    )
    form = client.get(url).context["form"]
    assert (form["deprived__telecom"].value(), form["deprived__information_access"].value()) == (
        "true",
        "false",
    )


def test_the_household_page_shows_answers_as_questions_and_amounts_as_officials_write_them(
    commune_officer, ba_che_review, questionnaire_row: QuestionnaireRow
) -> None:
    preview_and_apply(
        "questionnaire",
        csv_text([questionnaire_row("H1", "Hoàng Văn A", income=386_000)]),
        user=commune_officer,
    )
    page = client_for(commune_officer).get("/registry/households/H1/").content.decode()
    assert "386.000" in page
    assert "1.500.000" in page
    assert "386000" not in page
    assert "1500000" not in page
    assert "<code>deprived__" not in page
    assert "vn-2022-2025" not in page
    assert "Hộ đáp ứng chỉ số sử dụng dịch vụ viễn thông (không thiếu hụt)" in page
    assert "điểm b khoản 2 Điều 3 Nghị định số 07/2021/NĐ-CP" in page
    assert "Decree" not in page


def test_a_role_that_only_reads_is_neither_offered_nor_shown_the_answers_form(
    analyst, commune_officer, ba_che_review, questionnaire_row: QuestionnaireRow
) -> None:
    """Given an open review, when the ministry analyst opens a household, then no "enter the answers"
    link is shown and the form's address answers "not found"; the commune officer has both."""
    preview_and_apply(
        "questionnaire", csv_text([questionnaire_row("H1", "Hoàng Văn A")]), user=commune_officer
    )
    url = f"/registry/households/H1/answers/{ba_che_review.cycle_id}/"
    reader = client_for(analyst)
    assert reader.get("/registry/households/H1/").status_code == 200
    assert url not in reader.get("/registry/households/H1/").content.decode()
    before = Assessment.objects.get(household__code="H1").answers
    assert reader.get(url).status_code == 404
    assert reader.post(url, {**ANSWERS, "members_total": "9"}).status_code == 404
    assert Assessment.objects.get(household__code="H1").answers == before
    officer = client_for(commune_officer)
    assert url in officer.get("/registry/households/H1/").content.decode()
    assert officer.get(url).status_code == 200


@pytest.mark.parametrize(
    ("language", "stored", "shown"),
    [("vi", 1.125, "1,1250"), ("en", 1.125, "1.1250"), ("vi", 1200000, "1.200.000"), ("en", 32.5, "32.5")],
)
def test_a_saved_number_is_shown_as_the_reader_writes_it_and_reads_back_the_same(
    language: str, stored: float, shown: str
) -> None:
    field = NumberField(whole=isinstance(stored, int))
    with translation.override(language):
        assert field.prepare_value(stored) == shown
        assert field.clean(shown) == stored
