"""What an allocation has left, and the rules decided on it: extensions, disbursements, the national ledger.

An allocation is identified by its origin (unit, component, source, budget year). Every write that is
decided on what an allocation has left locks the allocation's rows first (:func:`origins_lock`), so two
such writes at once run one after the other, the second seeing the first.
"""

from collections.abc import Mapping

from django.db.models import Sum
from django.utils.translation import gettext_lazy

from vungcao.common import database
from vungcao.engine import money
from vungcao.programs.models import MoneyProvinceTotal, MoneyRecord, RecordKind
from vungcao.programs.selectors.money_records import Balance, Origin, origins_condition

EXCEEDS_UNSPENT = gettext_lazy(
    "Only {unspent} dong of this allocation is unspent; {amount} cannot be extended."
)
LEDGER_FULL = gettext_lazy(
    "With this amount the {kind} records of the whole country would hold more than "
    "1.000.000.000.000.000.000 dong together; check the amounts."
)
DISBURSEMENT_WITHOUT_ALLOCATION = gettext_lazy(
    "No {year} allocation from this state-budget source is recorded for this unit and component. "
    "State-budget capital, advances included, is disbursed only within the capital allocated "
    "(Decree 99/2021/NĐ-CP): record the allocation first."
)
DISBURSEMENT_EXCEEDS_ALLOCATION = gettext_lazy(
    "Only {remaining} dong of the {year} allocation from this state-budget source is left to disburse; "
    "{amount} is more. State-budget capital, advances included, is disbursed only within the capital "
    "allocated (Decree 99/2021/NĐ-CP)."
)


def origins_lock(origins: set[Origin]) -> None:
    """Lock the allocations of these (unit, component, source, year) until the end of the transaction,
    in primary-key order: every write to an allocation's money takes the lock first, so two extensions
    or disbursements decided on what it has left run one after the other, the second seeing the first.
    Outside a transaction (an import's preview) nothing is locked."""
    if origins:
        allocations = MoneyRecord.objects.filter(origins_condition(origins), kind=RecordKind.ALLOCATION)
        database.rows_lock(MoneyRecord, allocations.values_list("pk", flat=True))


def extension_error(*, kind: str, amount: int, unspent: int) -> str | None:
    if kind != RecordKind.EXTENSION or not money.extension_exceeds_unspent(amount=amount, unspent=unspent):
        return None
    return str(EXCEEDS_UNSPENT).format(
        unspent=money.format_vnd(max(unspent, 0)), amount=money.format_vnd(amount)
    )


def disbursement_error(*, year: int, amount: int, before: Balance, is_budget: bool) -> str | None:
    """The refusal of a disbursement of ``amount`` against an allocation that had ``before`` (the rule is
    ``engine.money.disbursement_overrun``); None when it is recorded, with or without an alert."""
    overrun = money.disbursement_overrun(
        amount=amount, allocated=before.allocated, disbursed=before.disbursed, is_budget=is_budget
    )
    if overrun is None or not overrun.refused:
        return None
    if overrun.without_allocation:
        return str(DISBURSEMENT_WITHOUT_ALLOCATION).format(year=year)
    return str(DISBURSEMENT_EXCEEDS_ALLOCATION).format(
        year=year, remaining=money.format_vnd(max(overrun.remaining, 0)), amount=money.format_vnd(amount)
    )


def ledger_errors(added: Mapping[str, int]) -> dict[str, str]:
    """Refusals of ``added`` dong by kind that would take a kind's records past ``money.MAX_LEDGER_VND``
    nationwide, so that no SUM the dashboards ask of the database can overflow 64 bits. Read from the
    provinces' totals, which hold every record (superseded extensions included) in the fewest rows: a
    province's units' totals summed, as those sum an allocation's disbursements in one row."""
    kinds = [kind for kind, amount in added.items() if amount > 0]
    if not kinds:
        return {}
    recorded = dict(
        MoneyProvinceTotal.objects.filter(kind__in=kinds)
        .order_by()
        .values_list("kind")
        .annotate(total=Sum("amount_vnd"))
        .values_list("kind", "total")
    )
    labels = dict(RecordKind.choices)
    return {
        kind: str(LEDGER_FULL).format(kind=labels[kind])
        for kind in kinds
        if recorded.get(kind, 0) + added[kind] > money.MAX_LEDGER_VND
    }
