"""Bad input gives a report (row, field, value, reason) and no output."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest

from tests.commands.test_poverty_command import HOUSEHOLDS
from vungcao.engine.poverty import classify, get_standard, validation
from vungcao.engine.poverty.standard import standard_from_mapping
from vungcao.engine.poverty.summary import summarise
from vungcao.engine.poverty.validation import (
    ABOVE_MAXIMUM,
    MAX_ROWS_PER_PROBLEM,
    MISSING_COLUMN,
    MISSING_VALUE,
    NOT_A_BOOLEAN,
    NOT_ALLOWED,
    NOT_AN_INTEGER,
    prepare_households,
)
from vungcao.engine.tabular import MAX_PROBLEMS, TableValidationError, ValidationProblem


def problems(
    table: dict[str, list[str | None]], identifier: str = "vn-2022-2025", language: str = "en"
) -> list[tuple[int, str, str, str]]:
    with pytest.raises(TableValidationError) as error:
        classify(pl.DataFrame(table), identifier, language=language)
    return [(problem.row, problem.field, problem.value, problem.reason) for problem in error.value.report]


def test_wrong_values_are_listed_by_row_field_and_reason() -> None:
    bad: dict[str, Any] = {
        **HOUSEHOLDS,
        "members_total": ["4", "three", "2"],
        "main_structures_non_durable": ["0", "4", "0"],
        "uses_hygienic_latrine": ["maybe", "không", "1"],
        "members_age6plus_without_health_insurance": ["1", None, "0"],
    }
    assert problems(bad) == [
        (1, "uses_hygienic_latrine", "maybe", NOT_A_BOOLEAN.en),
        (2, "main_structures_non_durable", "4", ABOVE_MAXIMUM.en.format(maximum=3)),
        (2, "members_age6plus_without_health_insurance", "", MISSING_VALUE.en),
        (2, "members_total", "three", NOT_AN_INTEGER.en),
    ]


def test_in_vietnamese_every_reason_is_in_vietnamese() -> None:
    # Given wrong values of every kind, a standard's check that fails, and an unknown area
    bad: dict[str, Any] = {
        **HOUSEHOLDS,
        "area": ["rural", "mountain", "rural"],
        "members_total": ["4", "three", "1"],
        "main_structures_non_durable": ["0", "4", "0"],
        "uses_hygienic_latrine": ["maybe", "không", "1"],
        "members_age6plus_without_health_insurance": ["1", None, "0"],
        "income_per_capita_month": ["-5", "1000000", "1000000"],
        "housing_floor_area_m2": ["30", "20.5", "4999"],
    }
    # When they are classified for a Vietnamese reader
    # Then every reason is written in Vietnamese
    assert problems(bad, language="vi") == [
        (1, "income_per_capita_month", "-5", "Nhỏ hơn mức tối thiểu 0."),
        (
            1,
            "uses_hygienic_latrine",
            "maybe",
            validation.NOT_A_BOOLEAN.vi,
        ),
        (2, "area", "mountain", "Không thuộc các giá trị cho phép: rural, urban."),
        (2, "main_structures_non_durable", "4", "Lớn hơn mức tối đa 3."),
        (2, "members_age6plus_without_health_insurance", "", "Bắt buộc phải có giá trị."),
        (2, "members_total", "three", validation.NOT_AN_INTEGER.vi),
    ]
    # And the check of the standard too, once the values themselves are valid
    one_person = {
        **HOUSEHOLDS,
        "members_total": ["4", "3", "1"],
        "housing_floor_area_m2": ["30", "20.5", "4999"],
    }
    assert problems(one_person, language="vi") == [
        (
            3,
            "housing_floor_area_m2, members_total",
            "4999.0 / 1",
            "Diện tích nhà ở bình quân đầu người trên 500 m² là không hợp lệ.",
        )
    ]


def test_in_vietnamese_a_missing_column_and_a_column_of_the_wrong_type_are_named_in_vietnamese() -> None:
    without = {name: values for name, values in HOUSEHOLDS.items() if name != "dependants"}
    assert problems(without, language="vi") == [(0, "dependants", "", "Thiếu cột này.")]
    table = pl.DataFrame(HOUSEHOLDS).with_columns(pl.lit(date(2025, 1, 1)).alias("dependants"))
    with pytest.raises(TableValidationError) as error:
        classify(table, "vn-2022-2025", language="vi")
    assert [(p.row, p.field, p.value, p.reason) for p in error.value.report] == [
        (0, "dependants", "Date", "Cột có kiểu dữ liệu Date, không phù hợp với trường này.")
    ]


def test_more_rows_than_are_listed_are_counted_in_the_reader_language() -> None:
    # Given more households with the same problem than a report lists
    count = MAX_ROWS_PER_PROBLEM + 2
    table = {name: values[:1] * count for name, values in HOUSEHOLDS.items()}
    table["members_total"] = ["three"] * count
    standard = get_standard("vn-2022-2025")
    for language, expected in (
        ("vi", f"Tổng cộng có {count} dòng mắc lỗi này; chỉ liệt kê 1000 dòng đầu tiên."),
        ("en", f"{count} rows in all have this problem; the first 1000 are listed."),
    ):
        # When they are validated
        report = prepare_households(pl.DataFrame(table), standard, language=language).report
        # Then the rows past the limit are summed up in one line, in the reader's language, listed first;
        # the report keeps its first MAX_PROBLEMS problems and counts every one
        listed = [p for p in report if p.field == "members_total"]
        assert len(report) == MAX_ROWS_PER_PROBLEM + 1
        assert len(listed) == min(MAX_ROWS_PER_PROBLEM + 1, MAX_PROBLEMS)
        assert listed[0] == ValidationProblem(0, "members_total", "", expected)


def test_a_missing_column_is_reported_once() -> None:
    without = {name: values for name, values in HOUSEHOLDS.items() if name != "dependants"}
    assert problems(without) == [(0, "dependants", "", MISSING_COLUMN.en)]


def test_a_floor_area_of_ten_thousand_square_metres_per_person_is_refused() -> None:
    one_person = {
        **HOUSEHOLDS,
        "members_total": ["4", "3", "1"],
        "housing_floor_area_m2": ["30", "20.5", "4999"],
    }
    # Given a floor area within its own range (0–5,000 m²) but 4,999 m² for one person
    # Then the standard's check on the area per person refuses the row
    assert problems(one_person) == [
        (
            3,
            "housing_floor_area_m2, members_total",
            "4999.0 / 1",
            "A floor area of more than 500 m² per person is not valid.",
        )
    ]
    assert problems({**one_person, "housing_floor_area_m2": ["30", "20.5", "10000"]}) == [
        (3, "housing_floor_area_m2", "10000", ABOVE_MAXIMUM.en.format(maximum="5,000"))
    ]


def test_a_percentage_of_140_is_refused_by_a_deployment_standard() -> None:
    data = {
        "identifier": "test-percent",
        "income_threshold": "line",
        "name": {"vi": "thử", "en": "test"},
        "legal_basis": {"vi": "thử", "en": "test"},
        "periods": [{"first_year": 2030, "last_year": 2030, "legal_clause": "test"}],
        "thresholds": {
            "line": {
                "label": {"vi": "chuẩn", "en": "line"},
                "values": {"rural": 10, "urban": 20},
                "legal_clause": "test",
            }
        },
        "fields": [
            {
                "name": "dependency_percent",
                "type": "number",
                "minimum": 0,
                "maximum": 100,
                "label": {"vi": "tỷ lệ", "en": "share"},
            }
        ],
        "dimensions": [{"identifier": "employment", "label": {"vi": "việc làm", "en": "employment"}}],
        "indicators": [
            {
                "identifier": "dependants",
                "dimension": "employment",
                "label": {"vi": "a", "en": "a"},
                "definition": {"vi": "a", "en": "a"},
                "deprived_when": "dependency_percent > 50",
                "legal_clause": "test",
                "verification": "verified",
            }
        ],
        "statuses": [
            {
                "status": "other",
                "label": {"vi": "khác", "en": "other"},
                "when": "true",
                "legal_clause": "test",
                "explanation": {"vi": "", "en": ""},
            }
        ],
    }
    standard = standard_from_mapping(data)
    table = pl.DataFrame(
        {"area": ["rural", "rural"], "income_per_capita_month": [1, 2], "dependency_percent": [40.0, 140.0]}
    )
    with pytest.raises(TableValidationError) as error:
        classify(table, standard)
    assert [(p.row, p.field, p.value, p.reason) for p in error.value.report] == [
        (2, "dependency_percent", "140.0", ABOVE_MAXIMUM.en.format(maximum=100))
    ]


def test_unknown_area_lists_the_allowed_values() -> None:
    assert problems({**HOUSEHOLDS, "area": ["rural", "mountain", "rural"]}) == [
        (2, "area", "mountain", NOT_ALLOWED.en.format(allowed="rural, urban"))
    ]


@pytest.mark.parametrize(
    "areas",
    [
        ["rural", "mountain", "rural"],
        ["rural", " urban", None],
        ["", "urban", "rural"],
    ],
)
def test_categorical_input_and_the_one_pass_summary_give_the_same_report(areas: list[str | None]) -> None:
    # Given areas that are unknown, padded, blank or missing, as text
    answers: dict[str, Any] = {**HOUSEHOLDS, "area": areas}
    expected = problems(answers)
    assert expected
    # When the same answers arrive as a categorical column, or go to the one-pass summary
    table = pl.DataFrame(answers).with_columns(pl.col("area").cast(pl.Categorical))
    for run in (
        lambda: classify(table, "vn-2022-2025"),
        lambda: summarise(table, "vn-2022-2025", ["household_id"], cutoff="1/3"),
    ):
        with pytest.raises(TableValidationError) as error:
            run()
        # Then the report is exactly the one for text answers, and nothing is returned
        assert [(p.row, p.field, p.value, p.reason) for p in error.value.report] == expected


def test_the_one_pass_summary_refuses_what_classify_refuses() -> None:
    bad: dict[str, Any] = {
        **HOUSEHOLDS,
        "members_total": ["4", "three", "1"],
        "housing_floor_area_m2": ["30", "20.5", "4999"],
    }
    with pytest.raises(TableValidationError) as error:
        summarise(pl.DataFrame(bad), "vn-2022-2025", ["area"])
    assert [(p.row, p.field, p.value, p.reason) for p in error.value.report] == problems(bad)
    one_person: dict[str, Any] = {
        **HOUSEHOLDS,
        "members_total": ["4", "3", "1"],
        "housing_floor_area_m2": ["30", "20.5", "4999"],
    }
    with pytest.raises(TableValidationError) as error:
        summarise(pl.DataFrame(one_person), "vn-2022-2025", ["area"])
    assert [(p.row, p.field, p.value, p.reason) for p in error.value.report] == problems(one_person)


def test_valid_households_are_summarised_without_a_report() -> None:
    summary = summarise(pl.DataFrame(HOUSEHOLDS), "vn-2022-2025", ["area"], cutoff="1/3")
    assert summary.totals == {"households": 3, "poor": 1, "near_poor": 1, "average": 1, "not_poor": 0}
    assert summary.groups["area"].select("area", "households", "poor").rows() == [
        ("rural", 2, 1),
        ("urban", 1, 0),
    ]
