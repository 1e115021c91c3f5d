"""The indicator catalogue: read from TOML, every problem reported together, extended by a province."""

from decimal import Decimal
from pathlib import Path

import pytest

from tests.engine.indicators.catalogues import CATALOGUE_TOML, small_catalogue
from vungcao.engine.indicators import catalogue as catalogue_module
from vungcao.engine.indicators import reasons
from vungcao.engine.indicators.catalogue import (
    CatalogueError,
    additional_indicator_problems,
    catalogue_from_text,
    indicator_problems,
    read_catalogue,
    shipped_catalogue,
)
from vungcao.engine.indicators.definitions import (
    ABOVE_MAXIMUM,
    BELOW_MINIMUM,
    FORMULA_OP_LABELS,
    FORMULA_OPS,
    NOT_ENTERABLE,
    Aggregation,
    AnnualChange,
    Difference,
    Direction,
    Indicator,
    IndicatorKind,
    MeasureUnit,
    Ratio,
    Total,
)
from vungcao.engine.text import Label

HEADER = 'version = "test"\n'


def indicator_table(code: str, **fields: str) -> str:
    """One ``[[indicator]]`` table, entered and summed unless ``fields`` say otherwise (TOML values)."""
    values = {
        "code": f'"{code}"',
        "name_vi": f'"{code} vi"',
        "name_en": f'"{code} en"',
        "unit": '"households"',
        "kind": '"entered"',
        "aggregation": '"sum"',
        "source_vi": '"Nguồn"',
        "source_en": '"Source"',
        **fields,
    }
    return "[[indicator]]\n" + "".join(f"{key} = {value}\n" for key, value in values.items() if value) + "\n"


def problems_of(text: str) -> list[tuple[str, str]]:
    with pytest.raises(CatalogueError) as raised:
        catalogue_from_text(text)
    return [(problem.code, problem.reason.en) for problem in raised.value.problems]


def entered(code: str, **changes: object) -> Indicator:
    fields: dict[str, object] = {
        "code": code,
        "name": Label(code, code),
        "unit": MeasureUnit.HOUSEHOLDS,
        "kind": IndicatorKind.ENTERED,
        "aggregation": Aggregation.SUM,
        "source": Label("Nguồn", "Source"),
        **changes,
    }
    return Indicator(**fields)  # type: ignore[arg-type]


def test_a_catalogue_is_read_with_its_values_exact_and_its_defaults() -> None:
    catalogue = small_catalogue()

    assert catalogue.version == "test-1"
    assert [indicator.code for indicator in catalogue] == [
        "households",
        "poor_households",
        "near_poor_households",
        "poverty_rate",
        "poverty_rate_change",
        "poor_and_near_poor",
        "non_poor_households",
        "reported_rate",
    ]
    poor = catalogue.get("poor_households")
    assert poor.name == Label("Số hộ nghèo", "Poor households")
    assert poor.source == Label("Nghị định 07/2021/NĐ-CP, Điều 3", "Decree 07/2021/NĐ-CP, Article 3")
    assert (poor.unit, poor.kind, poor.aggregation) == (
        MeasureUnit.HOUSEHOLDS,
        IndicatorKind.COMPUTED,
        Aggregation.SUM,
    )
    assert (poor.record, poor.record_filter, poor.entered_fallback) == (
        "review.poor",
        {"standard": "vn-2022-2025"},
        True,
    )
    assert poor.direction is Direction.LOWER_IS_BETTER
    assert poor.description is None
    assert poor.shown_decimals == 0
    rate = catalogue.get("poverty_rate")
    assert rate.formula == Ratio("poor_households", "households", Decimal(100))
    assert rate.description == Label("Số hộ nghèo chia cho tổng số hộ", "Poor households over all households")
    assert rate.shown_decimals == 2
    assert catalogue.get("poverty_rate_change").formula == AnnualChange("poverty_rate")
    assert catalogue.get("poor_and_near_poor").formula == Total(("poor_households", "near_poor_households"))
    assert catalogue.get("non_poor_households").formula == Difference("households", "poor_households")
    reported = catalogue.get("reported_rate")
    assert (reported.shown_decimals, reported.minimum, reported.maximum) == (1, Decimal(0), Decimal("100.0"))
    assert "households" in catalogue
    assert "nothing" not in catalogue
    assert len(catalogue) == 8


def test_every_problem_of_a_catalogue_is_reported_together_naming_its_indicator() -> None:
    text = HEADER + "".join(
        [
            indicator_table("Bad-Code"),
            indicator_table("twice"),
            indicator_table("twice"),
            indicator_table("area", unit='"acres"', direction='"up"'),
            indicator_table("kindless", kind='"typed"'),
            indicator_table("rate", kind='"derived"', aggregation='"sum"'),
            indicator_table("recomputed", aggregation='"recompute"'),
            indicator_table("counted", kind='"computed"'),
            indicator_table("fallback", entered_fallback="true", record='"review.poor"'),
            indicator_table("bounded", minimum="10", maximum="2.5"),
            indicator_table(
                "formulated", formula='{ op = "ratio", numerator = "twice", denominator = "twice" }'
            ),
            indicator_table("nameless", name_en="", extra='"x"'),
        ]
    )

    assert problems_of(text) == [
        ("area", "Indicator area: unit = 'acres' is not one of: " + ", ".join(MeasureUnit) + "."),
        ("area", "Indicator area: direction = 'up' is not one of: lower_is_better, higher_is_better."),
        ("kindless", "Indicator kindless: kind = 'typed' is not one of: entered, computed, derived."),
        ("nameless", "Indicator nameless: name_en is missing."),
        ("nameless", "Indicator nameless: there is no field extra."),
        ("Bad-Code", reasons.BAD_CODE.en.format(code="Bad-Code")),
        ("twice", "Indicator code twice is already used."),
        ("rate", "Indicator rate is derived but has no formula."),
        ("rate", reasons.DERIVED_NOT_RECOMPUTED.en.format(code="rate")),
        (
            "recomputed",
            'Indicator recomputed has no formula to recompute; its aggregation is "sum" or "none".',
        ),
        ("counted", "Indicator counted is computed from records but names no computation (record)."),
        (
            "fallback",
            "Indicator fallback is not computed from records, so it has no record or record_filter.",
        ),
        (
            "fallback",
            "Indicator fallback: only an indicator computed from records can have entered_fallback.",
        ),
        ("bounded", "Indicator bounded: the minimum 10 is above the maximum 2.5."),
        ("formulated", "Indicator formulated is not derived, so it cannot have a formula."),
    ]


def test_a_source_is_required_in_vietnamese_and_in_english() -> None:
    text = HEADER + "".join(
        [
            indicator_table("english_only", source_vi=""),
            indicator_table("vietnamese_only", source_en='"  "'),
            indicator_table("one_source", source_vi="", source_en="", source='"Nguồn"'),
        ]
    )

    with pytest.raises(CatalogueError) as raised:
        catalogue_from_text(text)

    assert [(problem.code, problem.reason) for problem in raised.value.problems] == [
        (
            "english_only",
            Label("Chỉ tiêu english_only: thiếu source_vi.", "Indicator english_only: source_vi is missing."),
        ),
        (
            "vietnamese_only",
            Label(
                "Chỉ tiêu vietnamese_only: thiếu source_en.",
                "Indicator vietnamese_only: source_en is missing.",
            ),
        ),
        (
            "one_source",
            Label("Chỉ tiêu one_source: thiếu source_vi.", "Indicator one_source: source_vi is missing."),
        ),
        (
            "one_source",
            Label("Chỉ tiêu one_source: thiếu source_en.", "Indicator one_source: source_en is missing."),
        ),
        (
            "one_source",
            Label(
                "Chỉ tiêu one_source: không có trường source.",
                "Indicator one_source: there is no field source.",
            ),
        ),
    ]


def test_every_shipped_indicator_cites_its_source_in_vietnamese() -> None:
    catalogue = shipped_catalogue()

    assert len(catalogue) == 91
    assert catalogue.get("poverty_rate").source == Label(
        "Nghị định số 07/2021/NĐ-CP ngày 27/01/2021 của Chính phủ, Điều 3 khoản 2; Thông tư số "
        "07/2021/TT-BLĐTBXH, biểu tổng hợp kết quả chính thức, cột 4 = 3/1 × 100 (cột theo nguồn thứ cấp)",
        "Decree 07/2021/NĐ-CP of 27 January 2021, Article 3.2; Circular 07/2021/TT-BLĐTBXH, summary of "
        "official results, column 4 = 3/1 × 100 (column from a secondary source)",
    )
    english_words = ("Decree", "Decision", "Resolution", "Circular", "Article", "not verified", "secondary")
    assert [
        (indicator.code, word)
        for indicator in catalogue
        for word in english_words
        if word in indicator.source.vi
    ] == []


def test_a_bad_formula_is_reported_part_by_part() -> None:
    text = HEADER + "".join(
        [
            indicator_table(
                "ratio",
                kind='"derived"',
                aggregation='"recompute"',
                formula='{ op = "ratio", scale = -1, by = 2 }',
            ),
            indicator_table(
                "summed", kind='"derived"', aggregation='"recompute"', formula='{ op = "sum", terms = [] }'
            ),
            indicator_table("power", kind='"derived"', aggregation='"recompute"', formula='{ op = "power" }'),
            indicator_table("bare", kind='"derived"', aggregation='"recompute"', formula='"a / b"'),
        ]
    )

    assert problems_of(text) == [
        ("ratio", "Indicator ratio: there is no field formula.by."),
        ("ratio", "Indicator ratio: the ratio formula needs numerator (an indicator's code)."),
        ("ratio", "Indicator ratio: the ratio formula needs denominator (an indicator's code)."),
        ("ratio", "Indicator ratio: the ratio's scale must be a positive number."),
        ("summed", "Indicator summed: a sum formula needs at least one indicator (terms)."),
        (
            "power",
            "Indicator power: the formula's op 'power' is not one of: ratio, sum, difference, annual_change.",
        ),
        ("bare", reasons.BAD_FORMULA.en.format(code="bare")),
    ]


def test_a_formula_reading_an_unknown_indicator_or_itself_is_refused() -> None:
    derived = {"kind": '"derived"', "aggregation": '"recompute"', "unit": '"percent"'}
    text = HEADER + "".join(
        [
            indicator_table("count"),
            indicator_table(
                "share", **derived, formula='{ op = "ratio", numerator = "count", denominator = "ghost" }'
            ),
            indicator_table("first", **derived, formula='{ op = "sum", terms = ["count", "second"] }'),
            indicator_table(
                "second", **derived, formula='{ op = "difference", minuend = "first", subtrahend = "count" }'
            ),
            indicator_table("trend", **derived, formula='{ op = "annual_change", of = "trend" }'),
        ]
    )

    assert problems_of(text) == [
        ("share", "The formula of indicator share reads ghost, which is not in the catalogue."),
        ("first", "The formula of indicator first reads itself: first → second → first."),
        ("trend", "The formula of indicator trend reads itself: trend → trend."),
    ]


def test_a_formula_reading_an_unreadable_indicator_is_not_said_to_read_an_unknown_one() -> None:
    text = HEADER + "".join(
        [
            indicator_table("count", unit='"acres"'),
            indicator_table(
                "twice",
                kind='"derived"',
                aggregation='"recompute"',
                formula='{ op = "sum", terms = ["count", "count"] }',
            ),
        ]
    )

    assert problems_of(text) == [
        ("count", "Indicator count: unit = 'acres' is not one of: " + ", ".join(MeasureUnit) + "."),
    ]


def test_a_file_that_is_not_toml_or_has_no_version_is_refused() -> None:
    assert problems_of("version = ")[0][1].startswith("The catalogue is not valid TOML: ")
    assert problems_of(indicator_table("count")) == [("", "The catalogue has no version.")]
    assert problems_of(HEADER + "indicator = [1]") == [
        ("", "Each indicator is an [[indicator]] table of fields.")
    ]


def test_a_province_indicator_is_checked_against_the_catalogue_it_joins() -> None:
    catalogue = small_catalogue()
    own = Indicator(
        code="hygienic_water_rate",
        name=Label("Tỷ lệ hộ dùng nước hợp vệ sinh", "Households using hygienic water"),
        unit=MeasureUnit.PERCENT,
        kind=IndicatorKind.DERIVED,
        aggregation=Aggregation.RECOMPUTE,
        source=Label("Nghị quyết 06-NQ/TU", "Resolution 06-NQ/TU"),
        formula=Ratio("hygienic_water_households", "households", Decimal(100)),
    )

    assert [problem.reason.en for problem in additional_indicator_problems(own, catalogue=catalogue)] == [
        "The formula of indicator hygienic_water_rate reads hygienic_water_households, which is not in the "
        "catalogue."
    ]
    clash = entered("households")
    assert [problem.reason.vi for problem in additional_indicator_problems(clash, catalogue=catalogue)] == [
        "Mã chỉ tiêu households đã được dùng cho một chỉ tiêu khác."
    ]
    water = entered("hygienic_water_households", minimum=Decimal(0))
    assert additional_indicator_problems(water, catalogue=catalogue) == ()

    extended = catalogue.with_indicators([water, own])

    assert [indicator.code for indicator in extended][-2:] == [
        "hygienic_water_households",
        "hygienic_water_rate",
    ]
    assert len(catalogue) == 8
    with pytest.raises(CatalogueError, match="reads hygienic_water_households"):
        catalogue.with_indicators([own])


def test_an_indicator_built_from_a_row_is_held_to_the_same_rules() -> None:
    row = entered("Xã-1", kind=IndicatorKind.COMPUTED, decimals=20, minimum=Decimal(5), maximum=Decimal(1))

    assert [problem.reason.en for problem in indicator_problems(row)] == [
        reasons.BAD_CODE.en.format(code="Xã-1"),
        "Indicator Xã-1: decimals must be a whole number from 0 to 12.",
        "Indicator Xã-1 is computed from records but names no computation (record).",
        "Indicator Xã-1: the minimum 5 is above the maximum 1.",
    ]


def test_an_entered_value_is_checked_against_the_indicator_bounds_and_kind() -> None:
    catalogue = small_catalogue()
    reported = catalogue.get("reported_rate")

    assert reported.entry_problem(Decimal("12.5")) is None
    assert reported.entry_problem(Decimal(-1)) == BELOW_MINIMUM.format(minimum=Decimal(0))
    assert reported.entry_problem(Decimal("100.5")) == Label(
        "Lớn hơn mức tối đa 100.0.", "Above the maximum of 100.0."
    )
    assert ABOVE_MAXIMUM.en == "Above the maximum of {maximum}."
    assert catalogue.get("poor_households").entry_problem(Decimal(42351)) is None
    assert catalogue.get("poverty_rate").entry_problem(Decimal(10)) == NOT_ENTERABLE.format(
        code="poverty_rate"
    )
    assert catalogue.get("poverty_rate").entry_problem(Decimal(10)) == Label(
        "Chỉ tiêu poverty_rate được tính, không nhập.", "Indicator poverty_rate is computed, not entered."
    )


def test_every_choice_has_a_label_in_both_languages() -> None:
    assert MeasureUnit.VND_PER_PERSON_MONTH.label == Label("đồng/người/tháng", "VND per person per month")
    assert IndicatorKind.DERIVED.label.en == "derived by a formula"
    assert Aggregation.NONE.label.vi == "không tổng hợp được"
    assert Direction.HIGHER_IS_BETTER.label.en == "higher is better"
    assert all(unit.label.vi and unit.label.en for unit in MeasureUnit)


def test_a_catalogue_is_read_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.toml"
    path.write_text(CATALOGUE_TOML, encoding="utf-8")

    assert len(read_catalogue(path)) == 8


@pytest.mark.skipif(
    not (Path(catalogue_module.__file__).parent / catalogue_module.CATALOGUE_FILE).exists(),
    reason="the shipped catalogue is written by its own change",
)
def test_the_shipped_catalogue_is_valid_and_read_once() -> None:
    shipped = shipped_catalogue()

    assert shipped is shipped_catalogue()
    assert {"households", "poor_households", "poverty_rate"} <= {indicator.code for indicator in shipped}


def test_each_problem_names_the_field_it_is_about() -> None:
    """Given an indicator whose unit, decimals and formula break the rules, then each problem says which
    key of its table it concerns, so that a form shows it under that field."""
    text = HEADER + indicator_table(
        "rate",
        unit='"parsecs"',
        decimals="20.5",
        kind='"derived"',
        aggregation='"recompute"',
        formula='{ op = "ratio", numerator = "households", scale = 0 }',
    )
    with pytest.raises(CatalogueError) as raised:
        catalogue_from_text(text)

    assert [problem.about for problem in raised.value.problems] == [
        "unit",
        "decimals",
        "formula.denominator",
        "formula.scale",
    ]
    rules = entered("self_sum", kind=IndicatorKind.DERIVED, formula=Total(("self_sum",)), minimum=Decimal(2))
    assert [(problem.about, problem.reason.en) for problem in indicator_problems(rules)] == [
        (
            "aggregation",
            'Indicator self_sum is derived, so it must be recomputed from its parts (aggregation = "recompute").',
        ),
    ]
    assert [
        problem.about for problem in additional_indicator_problems(rules, catalogue=small_catalogue())
    ] == [
        "aggregation",
        "formula",
    ]


def test_every_formula_op_is_named_in_words() -> None:
    assert set(FORMULA_OP_LABELS) == set(FORMULA_OPS)
    assert all(label.vi and label.en and label.vi != label.en for label in FORMULA_OP_LABELS.values())
