"""Form definitions: read and checked, their header laid out, their totals recomputed (no database)."""

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
    read_form,
    read_frame,
)
from vungcao.engine.text import Label

TEXT = {"vi": "chữ", "en": "text"}
FRAME = read_frame(
    dict.fromkeys(
        (
            "issuer_prefix",
            "national_issuer",
            "period",
            "compared_with",
            "covered",
            "approved_only",
            "date_line",
        ),
        TEXT,
    )
    | {"motto": [TEXT], "preparer": [TEXT], "approver": [TEXT], "national_approver": [TEXT]}
)
MEASURES = {"results": frozenset({"households", "poor", "deprived__{indicator}"})}


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
        ("1", "Thôn Một", [2, 1, 50.0]),
        ("2", "Thôn Hai", [8, 1, 12.5]),
        ("", "Tổng cộng", [10, 2, 20.0]),
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
        [("employment", Label("Việc làm", "Employment")), ("water", Label("Nước", "Water"))]
    )
    assert [(leaf.key, leaf.label.en, leaf.measure) for leaf in expanded.leaves()] == [
        ("d__employment", "Employment", "deprived__employment"),
        ("d__water", "Water", "deprived__water"),
    ]


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
            [{"label": TEXT, "each": "indicator", "columns": [HOUSEHOLDS, HOUSEHOLDS]}],
            {},
            report_forms.FORM_EACH_ONE_LEAF,
        ),
        (
            [HOUSEHOLDS],
            {"source": "money"},
            report_forms.FORM_UNKNOWN_SOURCE.format(source="money", known=["results"]),
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
