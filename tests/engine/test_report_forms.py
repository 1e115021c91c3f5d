"""Form definitions: read and checked, their header laid out, their totals recomputed (no database)."""

from decimal import Decimal
from typing import Any

import pytest

from vungcao.engine import report_forms
from vungcao.engine.report_forms import (
    FilledForm,
    FormDefinitionError,
    FormRow,
    HeaderCell,
    column_numbers,
    header_cells,
    places_of,
    read_form,
    read_frame,
)
from vungcao.engine.text import Label

TEXT = {"vi": "chữ", "en": "text"}
FRAME = read_frame(
    dict.fromkeys(("issuer_prefix", "national_issuer", "date_line"), TEXT)
    | {"motto": [TEXT], "preparer": [TEXT], "approver": [TEXT], "national_approver": [TEXT]}
    | {"lines": {"period": {"vi": "Năm {year}", "en": "Year {year}"}}}
)
MEASURES = {
    "results": frozenset(
        {"households", "poor", "deprived__{indicator}", "allocated__{source}", "disbursed__{source}"}
    )
}


def definition(columns: list[dict[str, Any]], **more: Any) -> dict[str, Any]:
    return {
        "number": "1",
        "source": "results",
        "provenance": "secondary",
        "title": {"vi": "BIỂU", "en": "FORM"},
        "unit_of_measure": TEXT,
        "legal_basis": TEXT,
        "rows": {
            "order": {"vi": "STT", "en": "No."},
            "unit": TEXT,
            "total": {"vi": "Tổng cộng", "en": "Total"},
        },
        "columns": columns,
        **more,
    }


HOUSEHOLDS = {
    "key": "households",
    "label": {"vi": "Số hộ", "en": "Households"},
    "kind": "count",
    "measure": "households",
}
POOR_GROUP = {
    "label": {"vi": "Hộ nghèo", "en": "Poor"},
    "columns": [
        {"key": "poor", "label": TEXT, "kind": "count", "measure": "poor"},
        {"key": "rate", "label": TEXT, "kind": "rate", "numerator": "poor", "denominator": "households"},
    ],
}


def form(*columns: dict[str, Any], **more: Any) -> report_forms.FormDefinition:
    return read_form("test", definition(list(columns), **more), frame=FRAME, measures=MEASURES)


def test_the_header_spans_groups_over_their_columns_and_numbers_them() -> None:
    cells, rows = header_cells(form(HOUSEHOLDS, POOR_GROUP), "vi")
    assert rows == 3
    assert cells == [
        HeaderCell(0, 0, 2, 1, "STT"),
        HeaderCell(0, 1, 2, 1, "chữ"),
        HeaderCell(0, 2, 2, 1, "Số hộ"),
        HeaderCell(0, 3, 1, 2, "Hộ nghèo"),
        HeaderCell(1, 3, 1, 1, "chữ"),
        HeaderCell(1, 4, 1, 1, "chữ"),
        HeaderCell(2, 0, 1, 1, "A"),
        HeaderCell(2, 1, 1, 1, "B"),
        HeaderCell(2, 2, 1, 1, "1"),
        HeaderCell(2, 3, 1, 1, "2"),
        HeaderCell(2, 4, 1, 1, "3 = 2/1 × 100"),
    ]


def test_a_rate_whose_parts_are_not_columns_is_numbered_without_its_formula() -> None:
    rate_only = {
        "key": "rate",
        "label": TEXT,
        "kind": "rate",
        "numerator": "poor",
        "denominator": "households",
    }
    assert column_numbers(form(HOUSEHOLDS, rate_only).leaves()) == ["1", "2"]


def test_the_total_row_adds_the_counts_and_recomputes_the_rates_from_them() -> None:
    """Given 1 poor of 2 and 1 poor of 8, the total's rate is 2/10 = 20%, not the mean of 50% and 12.5%."""
    filled = FilledForm(
        form(HOUSEHOLDS, POOR_GROUP),
        "vi",
        (),
        (),
        (),
        (
            FormRow("Thôn Một", {"households": 2, "poor": 1}),
            FormRow("Thôn Hai", {"households": 8, "poor": 1}),
        ),
    )
    assert filled.body() == [
        ("1", "Thôn Một", [2, 1, 50.0], 0),
        ("2", "Thôn Hai", [8, 1, 12.5], 0),
        ("", "Tổng cộng", [10, 2, 20.0], 0),
    ]


def test_a_sum_column_adds_and_takes_away_its_terms() -> None:
    after = {"key": "after", "label": TEXT, "kind": "sum", "terms": ["households", "-poor"]}
    definition_ = form(HOUSEHOLDS, {"key": "poor", "label": TEXT, "kind": "count", "measure": "poor"}, after)
    assert column_numbers(definition_.leaves()) == ["1", "2", "3 = 1 − 2"]
    filled = FilledForm(definition_, "vi", (), (), (), (FormRow("Xã", {"households": 10, "poor": 3}),))
    assert filled.body()[-1][2] == [10, 3, 7]


@pytest.mark.parametrize(
    ("language", "count", "rate"), [("vi", "1.500.000", "30,5%"), ("en", "1,500,000", "30.5%")]
)
def test_values_are_written_in_the_reader_convention(language: str, count: str, rate: str) -> None:
    definition_ = form(HOUSEHOLDS, POOR_GROUP)
    filled = FilledForm(definition_, language, (), (), (), ())
    households, _poor, poverty_rate = definition_.leaves()
    assert filled.written(households, 1_500_000) == count
    assert filled.written(poverty_rate, 30.5) == rate
    assert filled.written(poverty_rate, None) == ""


def test_a_group_repeated_for_each_indicator_is_written_out_for_the_year_standard() -> None:
    each = {
        "label": TEXT,
        "each": "indicator",
        "columns": [
            {
                "key": "d__{indicator}",
                "label": {"vi": "{indicator}", "en": "{indicator}"},
                "kind": "count",
                "measure": "deprived__{indicator}",
            }
        ],
    }
    expanded = form(each).expanded(
        {"indicator": [("employment", Label("Việc làm", "Employment")), ("water", Label("Nước", "Water"))]}
    )
    assert [(leaf.key, leaf.label.en, leaf.measure) for leaf in expanded.leaves()] == [
        ("d__employment", "Employment", "deprived__employment"),
        ("d__water", "Water", "deprived__water"),
    ]


def test_amounts_are_written_in_millions_rounded_half_to_even_and_rows_under_rows_are_not_added_again() -> (
    None
):
    """Given a project of 2,500,000 dong allocated, 1,000,000 disbursed, and its sub-project holding all of
    it, and another project of 1,500,000 allocated: each figure is rounded from its own exact dong (2.5 → 2,
    1.5 → 2 million, half to even), the total from the exact 4,000,000 (4, not 2 + 2), its rate from the
    dong (25%), and the sub-project's row counts once, in its project."""
    capital = {
        "label": TEXT,
        "each": "source",
        "columns": [
            {"key": "a__{source}", "label": TEXT, "kind": "amount", "measure": "allocated__{source}"},
            {"key": "d__{source}", "label": TEXT, "kind": "amount", "measure": "disbursed__{source}"},
            {
                "key": "r__{source}",
                "label": {"vi": "Tỷ lệ", "en": "Rate"},
                "kind": "rate",
                "numerator": "disbursed__{source}",
                "denominator": "allocated__{source}",
            },
        ],
    }
    definition_ = form(capital, amounts_in="million_dong").expanded(
        {"source": [("budget", Label("Ngân sách", "Budget"))]}
    )
    (group,) = definition_.columns
    assert [(item.label.vi, len(item.columns)) for item in group.columns] == [("Ngân sách", 3)]  # type: ignore[union-attr]
    assert column_numbers(definition_.leaves()) == ["1", "2", "3 = 2/1 × 100"]
    one = {"allocated__budget": 2_500_000, "disbursed__budget": 1_000_000}
    filled = FilledForm(
        definition_,
        "vi",
        (),
        (),
        (),
        (
            FormRow("Dự án 1", one),
            FormRow("Tiểu dự án 1", one, level=1, order="1.1"),
            FormRow("Dự án 2", {"allocated__budget": 1_500_000}),
        ),
    )
    assert filled.body() == [
        ("1", "Dự án 1", [2, 1, 40.0], 0),
        ("1.1", "Tiểu dự án 1", [2, 1, 40.0], 1),
        ("2", "Dự án 2", [2, 0, 0.0], 0),
        ("", "Tổng cộng", [4, 1, 25.0], 0),
    ]
    assert definition_.paper == "A4"


@pytest.mark.parametrize(
    ("columns", "more", "message"),
    [
        (
            [{"key": "x", "label": TEXT, "kind": "count", "measure": "persons"}],
            {},
            report_forms.FORM_UNKNOWN_MEASURE.format(key="x", measure="persons", source="results"),
        ),
        ([HOUSEHOLDS, HOUSEHOLDS], {}, report_forms.FORM_KEY_REPEATED.format(key="households")),
        (
            [{"key": "x", "label": TEXT, "kind": "average", "measure": "poor"}],
            {},
            report_forms.FORM_UNKNOWN_KIND.format(key="x", kind="average"),
        ),
        (
            [{"key": "x", "label": TEXT, "kind": "rate", "numerator": "poor"}],
            {},
            report_forms.FORM_MISSING_FIELD.format(where="column 'x'", field="denominator"),
        ),
        ([{"label": TEXT, "columns": []}], {}, report_forms.FORM_EMPTY_GROUP.format(label="chữ")),
        (
            [{"label": TEXT, "each": "indicator", "columns": [POOR_GROUP]}],
            {},
            report_forms.FORM_EACH_LEAVES.format(each="indicator"),
        ),
        (
            [HOUSEHOLDS],
            {"source": "money"},
            report_forms.FORM_UNKNOWN_SOURCE.format(source="money", known=["results"]),
        ),
        (
            [HOUSEHOLDS],
            {"amounts_in": "billion_dong"},
            report_forms.FORM_UNKNOWN_AMOUNTS_IN.format(amounts_in="billion_dong"),
        ),
        (
            [HOUSEHOLDS],
            {"provenance": "rumour"},
            report_forms.FORM_UNKNOWN_PROVENANCE.format(provenance="rumour"),
        ),
        ([HOUSEHOLDS], {"title": "BIỂU"}, report_forms.FORM_NOT_LANGUAGES.format(where="form test")),
    ],
)
def test_a_bad_definition_is_refused_with_its_reason(
    columns: list[dict[str, Any]], more: dict[str, Any], message: str
) -> None:
    with pytest.raises(FormDefinitionError) as refused:
        form(*columns, **more)
    assert str(refused.value) == message


def written_columns() -> list[dict[str, Any]]:
    return [
        {"key": "unit", "label": TEXT, "kind": "text", "measure": "unit"},
        {"key": "year", "label": TEXT, "kind": "year", "measure": "year"},
        {"key": "value", "label": TEXT, "kind": "figure", "measure": "value"},
        {"key": "share", "label": TEXT, "kind": "percent", "measure": "share"},
    ]


TARGET_MEASURES = {"targets": frozenset({"unit", "year", "value", "share"})}
TARGET_ROWS = {
    "order": {"vi": "STT", "en": "No."},
    "unit": {"vi": "Chỉ tiêu", "en": "Indicator"},
    "empty": {"vi": "Không có mục tiêu.", "en": "No target."},
}


def targets_form(**more: Any) -> report_forms.FormDefinition:
    data = definition(written_columns(), source="targets", rows=TARGET_ROWS, **more)
    return read_form("targets", data, frame=FRAME, measures=TARGET_MEASURES)


def test_words_years_and_figures_are_written_as_their_page_shows_them_and_never_totalled() -> None:
    """A figure keeps the places it carries (12,50 and 3, as the page rounded them), a year is no number
    of thousands (2024, not 2.024), a percent its one place; a form without a total label has no total
    row, and its columns no formula."""
    form_ = targets_form(labels={"other": {"vi": "Mục tiêu khác", "en": "Other targets"}})
    assert form_.total_label is None
    assert form_.labels["other"] == Label("Mục tiêu khác", "Other targets")
    assert column_numbers(form_.leaves()) == ["1", "2", "3", "4"]
    assert not any(leaf.totalled for leaf in form_.leaves())
    shown = {"unit": "%", "year": 2024, "value": Decimal("1234.50"), "share": Decimal("53.3")}
    rows = (
        FormRow("Giảm nghèo", {}, order="I", heading=True),
        FormRow("Tỷ lệ hộ nghèo", {}, level=1, order="1", shown=shown),
        FormRow("Số hộ", {}, level=1, order="2", shown={"unit": "hộ", "value": Decimal(3)}),
    )
    filled = FilledForm(form_, "vi", (), (), (), rows)
    body = filled.body()
    assert body == [
        ("I", "Giảm nghèo", [], 0),
        ("1", "Tỷ lệ hộ nghèo", ["%", 2024, Decimal("1234.50"), Decimal("53.3")], 1),
        ("2", "Số hộ", ["hộ", None, Decimal(3), None], 1),
    ]
    unit, year, value, share = form_.leaves()
    assert [
        filled.written(leaf, item) for leaf, item in zip(form_.leaves(), body[1].values, strict=True)
    ] == [
        "%",
        "2024",
        "1.234,50",
        "53,3%",
    ]
    assert [filled.written(year, None), filled.written(value, Decimal(3)), filled.written(share, None)] == [
        "",
        "3",
        "",
    ]
    english = FilledForm(form_, "en", (), (), (), rows)
    assert english.written(value, Decimal("1234.50")) == "1,234.50"
    assert english.written(unit, "households") == "households"


def test_a_form_without_rows_says_so_across_the_table() -> None:
    assert FilledForm(targets_form(), "vi", (), (), (), ()).body() == [("", "Không có mục tiêu.", [], 0)]
    assert FilledForm(targets_form(), "en", (), (), (), ()).body() == [("", "No target.", [], 0)]


def test_the_places_a_figure_carries() -> None:
    assert [places_of(Decimal("12.50")), places_of(Decimal(3)), places_of(Decimal("1E+3")), places_of(7)] == [
        2,
        0,
        0,
        0,
    ]
