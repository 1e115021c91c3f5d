"""Plans, allocations, disbursements and extensions from a file: every row checked, written at once."""

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from vungcao.accounts.models import User
from vungcao.common.errors import ApplicationError
from vungcao.common.importing import ImportPlan, Rows, cell
from vungcao.geo.models import Era
from vungcao.programs.models import MoneyRecord, RecordKind
from vungcao.programs.rollups import money_totals_refresh
from vungcao.programs.selectors.money_records import Balance, balances
from vungcao.programs.services.money import CheckedRecord, Lookups, money_record_check, new_record
from vungcao.programs.services.money_balance import (
    disbursement_error,
    extension_error,
    ledger_errors,
    origins_lock,
)

LISTED_TWICE = gettext_lazy("The same record is listed in row {row}.")
RECORDED_MEANWHILE = gettext_lazy(
    "A record of this file was entered by someone else while the file was being applied; nothing was "
    "written. Preview the file again."
)
MONEY_COLUMNS = (
    "kind",
    "year",
    "to_year",
    "era",
    "unit_code",
    "component",
    "source",
    "amount_vnd",
    "document_no",
    "document_date",
    "work",
)
MONEY_LABELS = {
    "kind": gettext_lazy("Kind of record"),
    "year": gettext_lazy("Budget year"),
    "to_year": gettext_lazy("Extended to year"),
    "era": gettext_lazy("Era of the units"),
    "unit_code": gettext_lazy("Unit code"),
    "component": gettext_lazy("Component code"),
    "source": gettext_lazy("Capital source"),
    "amount_vnd": gettext_lazy("Amount (dong)"),
    "document_no": gettext_lazy("Document number"),
    "document_date": gettext_lazy("Document date"),
    "work": pgettext_lazy("a construction work", "Work"),
}
MONEY_EXAMPLE = (
    RecordKind.ALLOCATION.label,
    "2024",
    "",
    "current",
    "22",
    "1719-DA4-TDA1",
    "central_investment",
    "1.500.000.000",
    "123/QĐ-UBND",
    "01/03/2024",
    "",
)


def _existing(records: list[CheckedRecord]) -> dict[tuple[object, ...], MoneyRecord]:
    unit_ids = {record.unit.pk for record in records}
    years = {record.year for record in records}
    found = MoneyRecord.objects.filter(unit_id__in=unit_ids, year__in=years)
    return {
        (r.kind, r.year, r.to_year, r.unit_id, r.component_id, r.source_id, r.document_no): r for r in found
    }


def money_records_plan(*, user: User, rows: Rows) -> ImportPlan:
    """New records are created, a known document with a changed amount or date updated, the rest unchanged."""
    plan = ImportPlan()
    report = plan.report
    lookups = Lookups(user)
    lookups.preload_units({(cell(row, "era") or Era.CURRENT, cell(row, "unit_code")) for row in rows})
    checked: list[tuple[int, CheckedRecord]] = []
    first_row: dict[tuple[object, ...], int] = {}
    for number, row in enumerate(rows, start=2):
        record, errors = money_record_check(row, lookups)
        for name, reason in errors.items():
            report.add(number, name, cell(row, name), reason)
        if record is None:
            continue
        if record.key in first_row:
            report.add(
                number,
                "document_no",
                record.document_no,
                str(LISTED_TWICE).format(row=first_row[record.key]),
            )
            continue
        first_row[record.key] = number
        checked.append((number, record))
    # Applying plans again inside the transaction that writes: lock what the plan decides on first.
    origins_lock({record.origin for _number, record in checked})
    existing = _existing([record for _number, record in checked])
    # What each allocation will have once the file is written: its allocations and disbursements count.
    decided = {r.origin for _n, r in checked if r.kind in (RecordKind.EXTENSION, RecordKind.DISBURSEMENT)}
    after = balances(decided)
    disbursed_here: dict[tuple[int, int, int, int], tuple[int, int, CheckedRecord]] = {}
    for number, record in checked:
        if record.origin not in after:
            continue
        known = existing.get(record.key)
        change = record.amount_vnd - (known.amount_vnd if known else 0)
        after[record.origin] = after[record.origin].changed(record.kind, change)
        if record.kind == RecordKind.DISBURSEMENT:
            total = disbursed_here.get(record.origin, (0, 0, record))[1] + change
            disbursed_here[record.origin] = (number, total, record)
    for origin, (number, change, record) in disbursed_here.items():
        if change <= 0:
            continue
        final = after[origin]
        before = Balance(final.allocated, final.disbursed - change)
        problem = disbursement_error(
            year=record.year, amount=change, before=before, is_budget=record.source.is_budget
        )
        if problem:
            report.add(number, "amount_vnd", str(record.amount_vnd), problem)
    to_create: list[MoneyRecord] = []
    to_update: list[MoneyRecord] = []
    added: dict[str, int] = {}
    last_row: dict[str, int] = {}
    for number, record in checked:
        unspent = after[record.origin].unspent if record.origin in after else 0
        problem = extension_error(kind=record.kind, amount=record.amount_vnd, unspent=unspent)
        if problem:
            report.add(number, "amount_vnd", str(record.amount_vnd), problem)
        known = existing.get(record.key)
        added[record.kind] = (
            added.get(record.kind, 0) + record.amount_vnd - (known.amount_vnd if known else 0)
        )
        last_row[record.kind] = number
        if known is None:
            to_create.append(new_record(record))
        elif (known.amount_vnd, known.document_date, known.work) != (
            record.amount_vnd,
            record.document_date,
            record.work,
        ):
            known.amount_vnd, known.document_date = record.amount_vnd, record.document_date
            known.work = record.work
            known.updated_at = timezone.now()
            to_update.append(known)
        else:
            plan.unchanged += 1
    for kind, reason in ledger_errors(added).items():
        report.add(last_row[kind], "amount_vnd", "", reason)
    if not report.ok:
        return ImportPlan(report=report)

    def write() -> None:
        try:
            MoneyRecord.objects.bulk_create(to_create, batch_size=2000)
        except IntegrityError as error:  # a document of the file recorded by someone else meanwhile
            raise ApplicationError(str(RECORDED_MEANWHILE)) from error
        MoneyRecord.objects.bulk_update(
            to_update, ["amount_vnd", "document_date", "work", "updated_at"], batch_size=2000
        )
        money_totals_refresh(record.unit_id for record in (*to_create, *to_update))

    plan.created, plan.updated, plan.write = len(to_create), len(to_update), write
    return plan
