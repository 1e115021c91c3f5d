"""Money arithmetic in integer dong, without a database: parsing, totals, rates, leverage, extensions."""

from decimal import Decimal
from fractions import Fraction

import pytest

from vungcao.engine import money
from vungcao.engine.money import AmountError, AmountRow, MoneyTotals, parse_amount


@pytest.mark.parametrize(
    ("text", "dong"),
    [
        ("1500000000", 1_500_000_000),
        ("1.500.000.000", 1_500_000_000),
        ("1 500 000 000", 1_500_000_000),
        ("1.500.000.000 đ", 1_500_000_000),
        ("1.500.000.000 đồng", 1_500_000_000),
        ("1500000000 VND", 1_500_000_000),
        ("1,5 tỷ", 1_500_000_000),
        ("1,5 tỉ đồng", 1_500_000_000),
        ("1,5 TỶ", 1_500_000_000),
        ("250 triệu", 250_000_000),
        ("1 tỷ 250 triệu", 1_250_000_000),
        ("1 tỷ 250 triệu 500 nghìn", 1_250_500_000),
        ("2 tỷ 500", 2_000_000_500),
        ("1.250 tỷ", 1_250_000_000_000),
        ("0,000000001 tỷ", 1),
        ("1500000000.0", 1_500_000_000),
        # a mark written more than once only separates thousands; units and "k" as officials write them
        ("1,500,000,000", 1_500_000_000),
        ("1.5 tỷ", 1_500_000_000),
        ("2tr", 2_000_000),
        ("500k", 500_000),
        ("1 200 000", 1_200_000),
        ("0", 0),
        (1_500_000_000, 1_500_000_000),
    ],
)
def test_amounts_written_the_vietnamese_way_are_read_exactly(text: object, dong: int) -> None:
    assert parse_amount(text) == dong


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", money.AMOUNT_EMPTY),
        ("   ", money.AMOUNT_EMPTY),
        ("1,500", money.AMOUNT_AMBIGUOUS_SEPARATOR),
        # a single dot before other than three digits can only be a decimal mark (engine.numbers, rule 3)
        ("1.5", money.AMOUNT_NOT_WHOLE_DONG),
        ("1.500.000,5", money.AMOUNT_NOT_WHOLE_DONG),
        ("1.50.000", money.AMOUNT_AMBIGUOUS_SEPARATOR),
        ("1,0000000005 tỷ", money.AMOUNT_NOT_WHOLE_DONG),
        ("-5000", money.AMOUNT_NEGATIVE),
        (-5000, money.AMOUNT_NEGATIVE),
        ("năm trăm triệu", money.AMOUNT_NOT_A_NUMBER),
        ("1,5 tỷ USD", money.AMOUNT_NOT_A_NUMBER),
        ("250 triệu 1 tỷ", money.AMOUNT_UNITS_OUT_OF_ORDER),
        (1.5e9, money.AMOUNT_NOT_A_NUMBER),
        (True, money.AMOUNT_NOT_A_NUMBER),
    ],
)
def test_amounts_that_could_be_misread_are_refused_with_the_reason(text: object, reason: str) -> None:
    with pytest.raises(AmountError) as raised:
        parse_amount(text)
    assert raised.value.reason == reason


def test_dong_are_formatted_with_dot_thousands() -> None:
    assert [money.format_vnd(n) for n in (0, 999, 1000, 1_500_000_000, -25_000)] == [
        "0",
        "999",
        "1.000",
        "1.500.000.000",
        "-25.000",
    ]


def test_totals_split_allocations_by_source_kind_and_derive_every_rate() -> None:
    # Given: plan 10 bn, allocations 1.6 bn budget + 8.4 bn non-budget, 7.5 bn disbursed, 1 bn extended.
    rows = [
        AmountRow("plan", True, 10_000_000_000),
        AmountRow("allocation", True, 1_600_000_000),
        AmountRow("allocation", False, 8_400_000_000),
        AmountRow("disbursement", True, 1_000_000_000),
        AmountRow("disbursement", False, 6_500_000_000),
        AmountRow("extension", True, 1_000_000_000),
    ]
    # When
    totals = money.totals_from_rows(rows)
    # Then
    assert totals == MoneyTotals(
        planned=10_000_000_000,
        allocated=10_000_000_000,
        disbursed=7_500_000_000,
        extended=1_000_000_000,
        budget=1_600_000_000,
        non_budget=8_400_000_000,
    )
    assert totals.unspent == 2_500_000_000
    assert totals.disbursement_rate == Fraction(3, 4)
    assert totals.leverage == Fraction(21, 4)
    assert totals.budget_share == Fraction(4, 25)
    assert money.percent(totals.budget_share) == Decimal("16.0")
    assert money.rounded(totals.leverage) == Decimal("5.25")
    assert totals.as_dict() == {
        "planned": 10_000_000_000,
        "allocated": 10_000_000_000,
        "disbursed": 7_500_000_000,
        "extended": 1_000_000_000,
        "budget": 1_600_000_000,
        "non_budget": 8_400_000_000,
        "unspent": 2_500_000_000,
        "disbursement_rate": 0.75,
        "leverage": 5.25,
    }


def test_rates_are_none_where_the_denominator_is_zero() -> None:
    totals = MoneyTotals(planned=5)
    assert (totals.disbursement_rate, totals.leverage, totals.budget_share) == (None, None, None)
    assert totals.as_dict()["disbursement_rate"] is None
    assert money.percent(None) is None


def test_rates_of_a_sum_are_recomputed_from_the_summed_amounts_not_averaged() -> None:
    # Given two communes at 100% and 10% disbursement of very different allocations
    first = MoneyTotals(allocated=100, disbursed=100)
    second = MoneyTotals(allocated=900, disbursed=90)
    # When added
    both = first + second
    # Then the rate is 190/1000, not the mean 55%
    assert both.disbursement_rate == Fraction(19, 100)


def test_amounts_carried_across_a_crosswalk_are_rounded_half_even_to_the_dong() -> None:
    assert money.carry_amount(1_000_000_001, Decimal("0.5")) == 500_000_000
    assert money.carry_amount(1_000_000_003, Decimal("0.5")) == 500_000_002
    assert money.carry_amount(7, Decimal(1)) == 7
    assert MoneyTotals(allocated=1000, budget=1000).scaled(Decimal("0.25")) == MoneyTotals(
        allocated=250, budget=250
    )


def test_an_extension_must_go_forward_and_not_exceed_the_unspent_balance() -> None:
    assert money.extension_problems(year=2023, to_year=2024, amount=300, unspent=300) == []
    assert money.extension_problems(year=2023, to_year=2023, amount=301, unspent=300) == [
        money.EXTENSION_NOT_LATER,
        money.EXTENSION_EXCEEDS_UNSPENT.format(unspent="300", amount="301"),
    ]


def test_an_allocation_extended_twice_is_counted_twice() -> None:
    decisions = [
        money.ExtensionDecision(("11", "1719-DA3"), 2023, 2024, 500),
        money.ExtensionDecision(("11", "1719-DA3"), 2023, 2025, 200),
        money.ExtensionDecision(("11", "1719-DA3"), 2024, 2025, 100),
    ]
    assert money.times_extended(decisions) == {("11", "1719-DA3", 2023): 2, ("11", "1719-DA3", 2024): 1}


@pytest.mark.parametrize(
    "text",
    [
        "1.000.000.000.000.000",
        "1000000 tỷ",
        10**15,
    ],
)
def test_an_amount_at_the_bound_of_a_million_ty_is_read(text: object) -> None:
    assert parse_amount(text) == money.MAX_AMOUNT_VND == 10**15


@pytest.mark.parametrize(
    "text",
    [
        "1.000.000.000.000.001",
        "1000000 tỷ 1",
        10**15 + 1,
        2**63,
        "9" * 30,
        "9" * 5000,
        "1" + "0" * 5000 + " tỷ",
    ],
)
def test_an_amount_above_a_million_ty_is_refused_before_it_reaches_a_64_bit_column(text: object) -> None:
    with pytest.raises(AmountError) as raised:
        parse_amount(text)
    assert raised.value.reason == money.AMOUNT_TOO_LARGE


def test_the_ledger_bound_keeps_every_database_sum_within_a_signed_64_bit_integer() -> None:
    # given every record of one kind at the bound, up to the ledger's total
    records_at_the_bound = money.MAX_LEDGER_VND // money.MAX_AMOUNT_VND
    # then their sum, and nine times it, still fits in a signed 64-bit integer
    assert records_at_the_bound == 1000
    assert records_at_the_bound * money.MAX_AMOUNT_VND * 9 < money.SIGNED_64_BIT_MAX == 2**63 - 1


def test_a_disbursement_within_what_its_allocation_has_left_fits() -> None:
    assert money.disbursement_overrun(amount=300, allocated=500, disbursed=200, is_budget=True) is None


def test_a_state_budget_disbursement_past_its_allocation_is_refused_with_what_was_left() -> None:
    overrun = money.disbursement_overrun(amount=301, allocated=500, disbursed=200, is_budget=True)
    assert overrun == money.AllocationOverrun(allocated=500, remaining=300, excess=1, refused=True)
    assert not overrun.without_allocation


def test_a_disbursement_with_no_allocation_is_refused_from_the_budget_and_alerted_otherwise() -> None:
    budget = money.disbursement_overrun(amount=10, allocated=0, disbursed=0, is_budget=True)
    mobilised = money.disbursement_overrun(amount=10, allocated=0, disbursed=0, is_budget=False)
    assert budget is not None
    assert budget.refused
    assert budget.without_allocation
    assert mobilised == money.AllocationOverrun(allocated=0, remaining=0, excess=10, refused=False)


def test_an_allocation_already_overdrawn_counts_its_whole_excess() -> None:
    overrun = money.disbursement_overrun(amount=5, allocated=100, disbursed=120, is_budget=False)
    assert overrun == money.AllocationOverrun(allocated=100, remaining=-20, excess=25, refused=False)
    assert money.overdrawn_by(allocated=100, disbursed=125) == 25
    assert money.overdrawn_by(allocated=100, disbursed=100) == 0
