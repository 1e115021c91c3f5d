"""Money of the programmes in integer Vietnamese dong: parsing, totals, rates, leverage, extensions.

Amounts are Python ``int`` (dong); a float never touches them. Rates (disbursement rate, leverage,
budget share) are exact :class:`~fractions.Fraction` values recomputed from summed amounts, never
averaged; ``None`` where the denominator is zero.

Parsing accepts what Vietnamese officials write, exactly or not at all:

* whole dong: ``"1500000000"``, ``"1.500.000.000"`` (dot thousands), ``"1 500 000 000"``, with an
  optional ``đ``, ``đồng`` or ``VND``;
* a number of tỷ (10⁹), triệu (10⁶) or nghìn/ngàn (10³) with a decimal comma: ``"1,5 tỷ"``,
  ``"250 triệu"``, ``"1 tỷ 250 triệu"``.

Anything else — a lone comma or dot that could be a decimal mark (``"1,500"``, ``"1.5"``), a result that
is not a whole number of dong, a negative amount, an amount above :data:`MAX_AMOUNT_VND` — is refused with
a reason the user can act on.

Bounds. One amount is at most :data:`MAX_AMOUNT_VND` = 10¹⁵ dong (a million tỷ): about half of the whole
state budget of a year, far above any programme's plan (Programme 1719's central budget for 2021–2025 is
about 1.4 × 10¹⁴), so no real record is refused. The database columns are signed 64-bit integers
(``bigint`` on PostgreSQL, ``INTEGER`` on SQLite), whose largest value is 2⁶³ − 1 ≈ 9.22 × 10¹⁸; SQLite's SUM
of them fails past it ("integer overflow"; PostgreSQL sums them as ``numeric`` and would show quintillions).
So the money records of the whole country together are also bounded: at most :data:`MAX_LEDGER_VND` = 10¹⁸ dong of each kind, nine times
below the overflow, so any sum the dashboards ask of the database — of a kind, over any units, years,
components and sources — fits in 64 bits, even if a few records are written at once past the check.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

from vungcao.engine import numbers
from vungcao.engine.text import format_number

AMOUNT_EMPTY = "the amount is empty"
AMOUNT_NOT_A_NUMBER = (
    "not an amount in dong; write it as 1500000000, 1.500.000.000, or with a unit as 1,5 tỷ or 250 triệu"
)
AMOUNT_AMBIGUOUS_SEPARATOR = (
    "ambiguous: in Vietnamese a comma is a decimal mark and a dot separates thousands; "
    "write whole dong as 1.500.000.000 or use a unit as 1,5 tỷ"
)
AMOUNT_NOT_WHOLE_DONG = "this is not a whole number of dong"
AMOUNT_NEGATIVE = "an amount cannot be negative"
AMOUNT_UNITS_OUT_OF_ORDER = "write the units from the largest down, each once: 1 tỷ 250 triệu"
AMOUNT_TOO_LARGE = "more than 1.000.000.000.000.000 dong (a million tỷ), the most one record may hold"

SIGNED_64_BIT_MAX = 2**63 - 1
"""The largest value of a ``bigint`` column (PostgreSQL) or an ``INTEGER`` (SQLite), and of SQLite's SUM
(PostgreSQL sums ``bigint`` as ``numeric``, which does not overflow)."""
MAX_AMOUNT_VND = 10**15
"""The most one amount (a money record, a work's investment, a support) may hold: a million tỷ."""
MAX_LEDGER_VND = 10**18
"""The most the money records of one kind may hold together, nationwide: 1,000 times the record bound and
9.2 times below :data:`SIGNED_64_BIT_MAX`, so a database SUM over any of them cannot overflow."""


class AmountError(ValueError):
    """An amount refused; ``reason`` is one of the ``AMOUNT_*`` messages."""

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(f"{text!r}: {reason}")
        self.text = text
        self.reason = reason


def parse_amount(value: object) -> int:
    """Whole dong from a cell or a field, exactly; raise :class:`AmountError` with the reason otherwise.
    Read by the one number parser, :func:`vungcao.engine.numbers.parse_vnd` (its rules are this module's)."""
    if isinstance(value, bool | float):  # a typed cell's float is no exact amount of dong
        raise AmountError(repr(value) if isinstance(value, float) else str(value), AMOUNT_NOT_A_NUMBER)
    try:
        return numbers.parse_vnd(value, maximum=MAX_AMOUNT_VND)
    except numbers.NumberError as error:
        reasons = {
            "empty": AMOUNT_EMPTY,
            "ambiguous": AMOUNT_AMBIGUOUS_SEPARATOR,
            "groups": AMOUNT_AMBIGUOUS_SEPARATOR,
            "not_whole": AMOUNT_NOT_WHOLE_DONG,
            "decimals": AMOUNT_NOT_WHOLE_DONG,
            "negative": AMOUNT_NEGATIVE,
            "too_large": AMOUNT_TOO_LARGE,
            "units": AMOUNT_UNITS_OUT_OF_ORDER,
        }
        raise AmountError(error.text, reasons.get(error.code, AMOUNT_NOT_A_NUMBER)) from error


def format_vnd(amount: int) -> str:
    """``1500000000`` → ``"1.500.000.000"``, as Vietnamese documents write dong."""
    return format_number(amount, "vi")


def ratio(numerator: int, denominator: int) -> Fraction | None:
    """``numerator / denominator`` exactly; None when the denominator is zero."""
    if denominator == 0:
        return None
    return Fraction(numerator, denominator)


def as_float(value: Fraction | None) -> float | None:
    """A rate for JSON: the nearest double, or None."""
    return None if value is None else float(value)


def rounded(value: Fraction | None, places: int = 2) -> Decimal | None:
    """A ratio (e.g. leverage) rounded half-even to ``places`` decimals, for display."""
    if value is None:
        return None
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)


def percent(value: Fraction | None, places: int = 1) -> Decimal | None:
    """A rate as a percentage rounded half-even to ``places`` decimals, for display."""
    return None if value is None else rounded(value * 100, places)


@dataclass(frozen=True)
class MoneyTotals:
    """Summed amounts over a scope (units × components × years); every rate is derived from them.

    ``budget`` and ``non_budget`` split the *allocated* amount by the kind of its capital source.
    ``extended`` is the unspent allocation carried into a later year by the latest extension decision.
    """

    planned: int = 0
    allocated: int = 0
    disbursed: int = 0
    extended: int = 0
    budget: int = 0
    non_budget: int = 0

    def __add__(self, other: MoneyTotals) -> MoneyTotals:
        return MoneyTotals(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @property
    def unspent(self) -> int:
        """Allocated but not (yet) disbursed."""
        return self.allocated - self.disbursed

    @property
    def disbursement_rate(self) -> Fraction | None:
        return ratio(self.disbursed, self.allocated)

    @property
    def leverage(self) -> Fraction | None:
        """Non-budget money mobilised per budget dong."""
        return ratio(self.non_budget, self.budget)

    @property
    def budget_share(self) -> Fraction | None:
        return ratio(self.budget, self.budget + self.non_budget)

    def scaled(self, share: Decimal) -> MoneyTotals:
        """These totals carried across a crosswalk link of ``share``, rounded half-even to the dong."""
        return MoneyTotals(*(carry_amount(getattr(self, f.name), share) for f in fields(self)))

    def as_dict(self) -> dict[str, int | float | None]:
        return {
            "planned": self.planned,
            "allocated": self.allocated,
            "disbursed": self.disbursed,
            "extended": self.extended,
            "budget": self.budget,
            "non_budget": self.non_budget,
            "unspent": self.unspent,
            "disbursement_rate": as_float(self.disbursement_rate),
            "leverage": as_float(self.leverage),
        }


def carry_amount(amount: int, share: Decimal) -> int:
    """``amount × share`` rounded half-even to the dong (a share of 1 carries the amount exactly)."""
    if share == 1:
        return amount
    return int((Decimal(amount) * share).to_integral_value(rounding=ROUND_HALF_EVEN))


@dataclass(frozen=True)
class AmountRow:
    """One aggregated row as the database returns it: kind of record, source kind, summed amount."""

    kind: str
    is_budget: bool
    amount: int


def totals_from_rows(rows: Iterable[AmountRow]) -> MoneyTotals:
    """Fold rows of (kind, is_budget, amount) into totals; allocations are split by source kind."""
    sums = {"plan": 0, "allocation": 0, "disbursement": 0, "extension": 0}
    budget = non_budget = 0
    for row in rows:
        sums[row.kind] += row.amount
        if row.kind == "allocation":
            if row.is_budget:
                budget += row.amount
            else:
                non_budget += row.amount
    return MoneyTotals(
        planned=sums["plan"],
        allocated=sums["allocation"],
        disbursed=sums["disbursement"],
        extended=sums["extension"],
        budget=budget,
        non_budget=non_budget,
    )


@dataclass(frozen=True)
class ExtensionDecision:
    """Unspent allocation of ``year`` carried into ``to_year`` (kéo dài) by one decision."""

    key: tuple[object, ...]
    year: int
    to_year: int
    amount: int


EXTENSION_NOT_LATER = "an extension carries money into a later year: to_year must be after year"
EXTENSION_EXCEEDS_UNSPENT = "only {unspent} dong of this allocation is unspent; {amount} cannot be extended"


def extension_exceeds_unspent(*, amount: int, unspent: int) -> bool:
    """Whether an extension (kéo dài) would carry more than the allocation has left unspent: refused."""
    return amount > unspent


def extension_problems(*, year: int, to_year: int, amount: int, unspent: int) -> list[str]:
    """Why an extension cannot be recorded (empty when it can)."""
    problems = []
    if to_year <= year:
        problems.append(EXTENSION_NOT_LATER)
    if extension_exceeds_unspent(amount=amount, unspent=unspent):
        problems.append(
            EXTENSION_EXCEEDS_UNSPENT.format(unspent=format_vnd(max(unspent, 0)), amount=format_vnd(amount))
        )
    return problems


def times_extended(decisions: Iterable[ExtensionDecision]) -> dict[tuple[object, ...], int]:
    """How many times the allocation of each (key, year) was extended; more than once is an alert."""
    counts: dict[tuple[object, ...], int] = {}
    for decision in decisions:
        origin = (*decision.key, decision.year)
        counts[origin] = counts.get(origin, 0) + 1
    return counts


@dataclass(frozen=True)
class AllocationOverrun:
    """A disbursement that takes its allocation's disbursements past what was allocated (or with none).

    ``remaining`` is what the allocation had left before it (negative when already overdrawn);
    ``excess`` how far past the allocation the disbursements go with it; ``refused`` says whether the rule
    refuses it (state budget) or lets it be stored with an alert (non-budget sources).
    """

    allocated: int
    remaining: int
    excess: int
    refused: bool

    @property
    def without_allocation(self) -> bool:
        return self.allocated == 0


def disbursement_overrun(
    *, amount: int, allocated: int, disbursed: int, is_budget: bool
) -> AllocationOverrun | None:
    """Whether a disbursement of ``amount`` fits the allocation of its unit, component, source and budget
    year (``allocated``, of which ``disbursed`` was already paid out); None when it fits.

    The rule (giải ngân vượt kế hoạch vốn được giao), one place for the page, the API and the import:

    * **State-budget sources are refused** past the allocation, and when nothing is allocated. State-budget
      capital is paid out only within the annual capital plan allocated to the project or task: Law on
      Public Investment 2019 (39/2019/QH14), Articles 67–68, kept by the Law on Public Investment 2024
      (58/2024/QH15); Decree 99/2021/NĐ-CP on the management, payment and settlement of projects using
      public investment capital, which has the State Treasury pay, advances (tạm ứng) included, within the
      annual capital plan (Articles 8 and 10: an advance does not exceed the plan allocated for the year);
      Law on the State Budget 2015, Article 12 (spending within the estimate allocated) for recurrent
      (sự nghiệp) capital, which Decree 27/2022/NĐ-CP as amended by Decree 38/2023/NĐ-CP keeps for the
      national target programmes. Capital of a previous year that was extended (kéo dài) is still paid
      within that year's allocation: it is recorded under its own budget year, so an extension never
      adds room beyond the allocation.
    * **Non-budget sources are stored with an alert**: policy credit (lent by the Vietnam Bank for Social
      Policies under its own rules), mobilised capital and people's contributions are outside the State
      Treasury's payment control, and what households or enterprises actually put in often exceeds what
      was planned; the record stands, and every page showing it or its allocation says it is overdrawn so
      that the figures are checked.

    The article numbers are as the texts are commonly cited; the full texts could not be read offline.
    """
    remaining = allocated - disbursed
    if amount <= remaining:
        return None
    return AllocationOverrun(
        allocated=allocated,
        remaining=remaining,
        excess=amount - remaining,
        refused=is_budget,
    )


def overdrawn_by(*, allocated: int, disbursed: int) -> int:
    """How far the disbursements of an allocation go past it (0 when within): the alert on stored records."""
    return max(disbursed - allocated, 0)
