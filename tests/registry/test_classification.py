"""Classifying stored answers: the engine's reasons reach the reader in the reader's language."""

import pytest
from django.utils import translation

from tests.registry.conftest import INDICATORS, STANDARD, recorded
from vungcao.engine.poverty.validation import NOT_A_BOOLEAN, NOT_ALLOWED, NOT_AN_INTEGER
from vungcao.engine.tabular import ValidationReport
from vungcao.registry import classification

GOOD = {"area": "rural", "income_per_capita_month": "1200000", **recorded([])}
BAD = [
    GOOD,
    {**GOOD, "income_per_capita_month": "nhiều"},
    {**GOOD, "area": "mountain"},
    {**GOOD, f"deprived__{INDICATORS[0]}": "perhaps"},
]


def reasons(report: ValidationReport) -> list[tuple[int, str, str, str]]:
    return [(p.row, p.field, p.value, p.reason) for p in report]


def test_given_valid_answers_then_each_row_gets_its_result_and_no_report() -> None:
    # Given rural households under the rural poverty line, one deprived in nothing, one in everything
    deprived_in_all = {**GOOD, **recorded(INDICATORS)}
    results, report = classification.classify_rows(STANDARD, [GOOD, deprived_in_all])
    # Then the first is near poor, the second poor, and nothing is reported
    assert report.ok
    assert [(result.status, result.deprivation_count) for result in results] == [
        ("near_poor", 0),
        ("poor", len(INDICATORS)),
    ]


def test_given_a_vietnamese_reader_then_the_reasons_are_in_vietnamese() -> None:
    with translation.override("vi"):
        results, report = classification.classify_rows(STANDARD, BAD)
    assert results == []
    assert reasons(report) == [
        (2, "income_per_capita_month", "nhiều", NOT_AN_INTEGER.vi),
        (3, "area", "mountain", "Không thuộc các giá trị cho phép: rural, urban."),
        (
            4,
            f"deprived__{INDICATORS[0]}",
            "perhaps",
            NOT_A_BOOLEAN.vi,
        ),
    ]


def test_given_an_english_reader_then_the_reasons_are_in_english() -> None:
    with translation.override("en"):
        results, report = classification.classify_rows(STANDARD, BAD)
    assert results == []
    assert reasons(report) == [
        (2, "income_per_capita_month", "nhiều", NOT_AN_INTEGER.en),
        (3, "area", "mountain", NOT_ALLOWED.en.format(allowed="rural, urban")),
        (4, f"deprived__{INDICATORS[0]}", "perhaps", NOT_A_BOOLEAN.en),
    ]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_language_given_outright_wins_over_the_reader_language(language: str) -> None:
    with translation.override("en" if language == "vi" else "vi"):
        _results, report = classification.classify_rows(STANDARD, BAD[2:3], language=language)
    assert [problem.reason for problem in report] == [
        NOT_ALLOWED.in_language(language).format(allowed="rural, urban")
    ]
