"""A former province's counts, carried back across the crosswalk as shares of its communes' counts, add up
to the same figures whatever order the communes come in (a database groups them in its own order)."""

import itertools
from decimal import Decimal
from fractions import Fraction

from vungcao.registry.models import CommuneReview
from vungcao.registry.selectors.national import AreaFigures, CommuneFigures

# Shares as the crosswalk's reverse links make them: quotients of 28 significant digits.
THIRD, TWO_SEVENTHS = Decimal(1) / Decimal(3), Decimal(2) / Decimal(7)
COMMUNES = [
    (THIRD, CommuneFigures("01", "Xã Một", "02", 1, CommuneReview.State.APPROVED, 12_345, 1_234, 99)),
    (TWO_SEVENTHS, CommuneFigures("02", "Xã Hai", "02", 1, CommuneReview.State.APPROVED, 987_654, 5, 7)),
    (THIRD, CommuneFigures("03", "Xã Ba", "02", 1, CommuneReview.State.APPROVED, 55_555, 555, 55)),
    (TWO_SEVENTHS, CommuneFigures("04", "Xã Bốn", "02", 1, CommuneReview.State.APPROVED, 31, 3, 1)),
]


def test_shares_of_counts_add_up_exactly_in_any_order() -> None:
    """Given four communes carried into a former province by shares of 1/3 and 2/7 (as 28-digit
    decimals), when they are added in each of their 24 orders, then the counts are the same each time and
    equal the exact sum of the shares times the counts (Python's default 28 digits gave two results)."""
    totals = set()
    for order in itertools.permutations(COMMUNES):
        area = AreaFigures("02", "Hà Giang")
        for share, commune in order:
            area.add(commune, share)
        totals.add((area.assessed, area.poor, area.near_poor))
    exact = sum(Fraction(share) * commune.assessed for share, commune in COMMUNES)
    ((assessed, _poor, _near_poor),) = totals
    assert Fraction(assessed) == exact
