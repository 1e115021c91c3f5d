"""How the shipped standards speak to officials: every yes/no question means the same by "yes" (the
household has, meets or does it, never "is deprived"), a stored answer is shown as the answer to that
question, and the rule that decided is cited in the reader's language."""

from __future__ import annotations

import pytest

from vungcao.engine.poverty import explain_household
from vungcao.engine.poverty.catalogue import default_catalogue
from vungcao.engine.poverty.explain import answer_text, answers_shown
from vungcao.engine.poverty.expression import referenced_names
from vungcao.engine.poverty.reference import evaluate
from vungcao.engine.poverty.standard import InputField, Standard

STANDARDS = list(default_catalogue())
IDS = [standard.identifier for standard in STANDARDS]


def yes_no_questions(standard: Standard) -> list[InputField]:
    return [input_field for input_field in standard.all_fields if input_field.type == "boolean"]


def deprived_by(standard: Standard, question: InputField, answer: bool) -> dict[str, bool]:
    """The indicators the question decides, and whether the answer (to the question as asked) makes
    the household deprived in each."""
    stored = question.stored_from_answer(answer)
    decided: dict[str, bool] = {}
    for indicator in standard.indicators:
        if indicator.column == question.name:
            decided[indicator.identifier] = stored
        elif indicator.deprived_when is not None and referenced_names(indicator.deprived_when) == {
            question.name
        }:
            decided[indicator.identifier] = bool(evaluate(indicator.deprived_when, {question.name: stored}))
    return decided


@pytest.mark.parametrize("standard", STANDARDS, ids=IDS)
def test_every_yes_no_question_means_yes_the_household_has_it(standard: Standard) -> None:
    """Given each yes/no question a form asks, answering "yes" leaves the household deprived in none of
    the indicators it decides and "no" deprives it in all of them."""
    questions = yes_no_questions(standard)
    assert questions, standard.identifier
    for question in questions:
        yes, no = deprived_by(standard, question, True), deprived_by(standard, question, False)
        assert yes, f"{standard.identifier}: {question.name} decides no indicator"
        assert not any(yes.values()), (standard.identifier, question.name, question.asked)
        assert all(no.values()), (standard.identifier, question.name, question.asked)
        assert "thiếu hụt chỉ số" not in question.asked.vi.replace("(không thiếu hụt)", "")
        assert " is deprived" not in question.asked.en.replace("(is not deprived in it)", "")


def test_a_recorded_deprivation_is_shown_as_the_answer_to_the_question_as_asked() -> None:
    standard = default_catalogue().get("vn-2022-2025")
    telecom = standard.field("deprived__telecom")
    assert telecom.asked.vi == "Hộ đáp ứng chỉ số sử dụng dịch vụ viễn thông (không thiếu hụt)"
    # Stored "deprived" (True): the household does not meet it: "Không".
    assert (answer_text(telecom, True, "vi"), answer_text(telecom, False, "vi")) == ("Không", "Có")
    water = standard.field("has_clean_water_source")
    assert (answer_text(water, True, "vi"), answer_text(water, False, "en")) == ("Có", "No")


def test_answers_are_shown_with_their_questions_numbers_and_units_in_the_readers_language() -> None:
    standard = default_catalogue().get("vn-2022-2025")
    shown = dict(
        answers_shown(
            {
                "area": "rural",
                "income_per_capita_month": 1_386_000,
                "housing_floor_area_m2": 32.5,
                "members_total": 4,
            },
            standard,
            "vi",
        )
    )
    assert shown["Thu nhập bình quân đầu người một tháng"] == "1.386.000 đồng/người/tháng"
    assert shown["Diện tích nhà ở của hộ"] == "32,5 m²"
    assert "khu vực nông thôn" in shown.values()
    assert shown["Hộ tiếp cận được nguồn nước sạch trong sinh hoạt"] == "—"


@pytest.mark.parametrize("standard", STANDARDS, ids=IDS)
def test_the_explanation_cites_the_rule_in_the_readers_language(standard: Standard) -> None:
    """Every status rule has its citation in Vietnamese: no English legal words in a Vietnamese
    explanation."""
    for rule in standard.statuses:
        assert rule.citation is not None, (standard.identifier, rule.status)
        for english in ("Decree", "Decision", "Article", "Resolution", "article", "reported"):
            assert english not in rule.citation.vi, (standard.identifier, rule.status)


def test_the_vietnamese_explanation_cites_the_decree_in_vietnamese() -> None:
    standard = default_catalogue().get("vn-2022-2025")
    household = {"area": "rural", "income_per_capita_month": 1_200_000}
    household.update(
        {indicator.column: position < 3 for position, indicator in enumerate(standard.indicators)}
    )
    vietnamese = explain_household(household, standard, "vi")
    assert vietnamese.endswith("điểm a khoản 2 Điều 3 Nghị định số 07/2021/NĐ-CP.")
    assert "1.200.000" in vietnamese
    assert "1.500.000" in vietnamese
    assert explain_household(household, standard, "en").endswith("Decree 07/2021/ND-CP Article 3.2(a).")
