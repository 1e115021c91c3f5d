"""Exact sums: records added as whole numbers or fractions, rounded once to the engine's 50 digits."""

from decimal import Decimal
from fractions import Fraction

from vungcao.engine.indicators.figures import ARITHMETIC, exact, exact_decimal


def test_whole_numbers_stay_whole_and_decimals_become_exact_fractions() -> None:
    assert exact(7) == 7
    assert isinstance(exact(7), int)
    assert exact(Decimal("0.3333333333333333333333333333")) == Fraction(3333333333333333333333333333, 10**28)
    assert exact(Fraction(5, 12)) == Fraction(5, 12)


def test_an_exact_sum_is_rounded_once_to_fifty_digits() -> None:
    """Given censored scores of 5/12 and 7/12 twice, their sum is 19/12 to 50 digits (1.58…3), a whole
    number exactly, and a finite decimal as it is."""
    total = sum((exact(Fraction(5, 12)), exact(Fraction(7, 12)), exact(Fraction(7, 12))), start=0)
    assert exact_decimal(total) == ARITHMETIC.divide(Decimal(19), Decimal(12))
    assert str(exact_decimal(total)) == "1.5833333333333333333333333333333333333333333333333"
    assert exact_decimal(Fraction(12, 4)) == Decimal(3)
    assert exact_decimal(exact(Decimal("12.50"))) == Decimal("12.5")
    assert exact_decimal(10**30) == Decimal(10**30)
