"""Money's rollup (``programs.rollups``): each unit's records summed by component, source, year and kind in
the transaction that writes them, and read by the dashboards in place of the records.

Every test of the suite also ends with the rollups equal to a sum of the records (``rollups_exact``);
these tests name each write path and check what the totals answer.
"""

import datetime
import io
from collections.abc import Callable

import pytest
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Q
from django.test import RequestFactory

from tests.conftest import BA_CHE, QUANG_NINH, TIEN_YEN, current_unit
from tests.imports.helpers import preview_and_apply
from tests.programs.helpers import admin as money_admin
from tests.programs.helpers import money_totals_of, record
from vungcao.common.rollups import rollups_adjusted
from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.programs.admin import MoneyRecordAdmin
from vungcao.programs.models import MoneyRecord, MoneyTotal, RecordKind
from vungcao.programs.rollups import MONEY_TOTALS
from vungcao.programs.selectors import alerts
from vungcao.programs.selectors import money as money_selectors
from vungcao.programs.services.money import MoneyRecordRefused

pytestmark = pytest.mark.django_db

SUB_PROJECT, OTHER_SUB_PROJECT = "1719-DA4-TDA1", "1719-DA1"
BUDGET, PEOPLE = "central_investment", "people_contribution"
FAR_FUTURE = datetime.date(2100, 12, 31)


def test_a_record_entered_is_in_its_units_totals_at_once() -> None:
    """Given an allocation and two disbursements of it entered, then Ba Chẽ's totals hold the allocation
    and the two disbursements summed, each with the number of records."""
    record(RecordKind.ALLOCATION, 2024, BA_CHE, 500_000_000)
    record(RecordKind.DISBURSEMENT, 2024, BA_CHE, 100_000_000, document_no="UNC-1")
    record(RecordKind.DISBURSEMENT, 2024, BA_CHE, "150 triệu", document_no="UNC-2")

    assert money_totals_of(BA_CHE) == [
        (SUB_PROJECT, BUDGET, 2024, "allocation", None, False, 500_000_000, 1),
        (SUB_PROJECT, BUDGET, 2024, "disbursement", None, False, 250_000_000, 2),
    ]


def test_a_refused_record_or_a_write_rolled_back_adds_nothing() -> None:
    """Given a disbursement with no allocation (refused) and a plan whose transaction rolls back, then no
    total is kept."""
    with pytest.raises(MoneyRecordRefused):
        record(RecordKind.DISBURSEMENT, 2024, BA_CHE, 100_000_000)
    with transaction.atomic():
        record(RecordKind.PLAN, 2024, BA_CHE, 100_000_000)
        transaction.set_rollback(True)  # the request failed after the record

    assert not MoneyTotal.objects.exists()


def test_an_extension_extended_again_is_summed_once_and_alerted() -> None:
    """Given 2023 capital extended into 2024, then again into 2025, then the first extension is kept as
    superseded: the totals count the 2025 extension alone, and the alert names the allocation extended
    twice, from the totals as from the records."""
    record(RecordKind.ALLOCATION, 2023, BA_CHE, 1_000_000_000)
    record(RecordKind.EXTENSION, 2023, BA_CHE, 400_000_000, to_year=2024, document_no="KD-1")
    record(RecordKind.EXTENSION, 2023, BA_CHE, 300_000_000, to_year=2025, document_no="KD-2")

    assert money_totals_of(BA_CHE) == [
        (SUB_PROJECT, BUDGET, 2023, "allocation", None, False, 1_000_000_000, 1),
        (SUB_PROJECT, BUDGET, 2023, "extension", 2024, True, 400_000_000, 1),
        (SUB_PROJECT, BUDGET, 2023, "extension", 2025, False, 300_000_000, 1),
    ]
    now = money_selectors.money_scope_get(
        user=money_admin(), era=Era.CURRENT, unit_code=QUANG_NINH, from_year=2021, to_year=2025
    )
    assert money_selectors.money_summary(user=money_admin(), scope=now).extended == 300_000_000
    (alert,) = alerts.extended_more_than_once(user=money_admin(), scope=now)
    assert (alert.unit_code, alert.year, alert.times, alert.last_to_year) == (BA_CHE, 2023, 2, 2025)


def _some_money() -> None:
    """Money of two communes and their province, two components and two sources, over three years,
    with an allocation extended twice and money kept under a pre-2025 commune."""
    steps = ((RecordKind.PLAN, 10, "KH", "01-10"), (RecordKind.ALLOCATION, 9, "GV", "02-20"))
    steps += ((RecordKind.DISBURSEMENT, 3, "GN-1", "04-10"), (RecordKind.DISBURSEMENT, 2, "GN-2", "09-20"))
    for code, amount in ((BA_CHE, 900_000_000), (TIEN_YEN, 600_000_000), (QUANG_NINH, 2_000_000_000)):
        for year in (2023, 2024, 2025):
            for component, source in ((SUB_PROJECT, BUDGET), (OTHER_SUB_PROJECT, PEOPLE)):
                for kind, tenths, number, day in steps:
                    record(
                        kind,
                        year,
                        code,
                        amount * tenths // 10,
                        component=component,
                        source=source,
                        document_no=f"{number}-{year}",
                        document_date=f"{year}-{day}",
                    )
    record(RecordKind.EXTENSION, 2023, BA_CHE, 200_000_000, to_year=2024, document_no="KD-1")
    record(RecordKind.EXTENSION, 2023, BA_CHE, 150_000_000, to_year=2025, document_no="KD-2")
    old_commune = AdministrativeUnit.objects.filter(era=Era.PRE2025, path__contains="/22/", level="commune")
    record(RecordKind.ALLOCATION, 2024, old_commune.order_by("code").first().code, 70_000_000, era="pre2025")


READS: dict[str, Callable[..., object]] = {
    "summary": money_selectors.money_summary,
    "by source": money_selectors.money_by_source,
    "by component": money_selectors.money_by_component,
    "by component and source": money_selectors.money_by_component_and_source,
    "by child unit": money_selectors.money_by_child_unit,
    "allocations extended twice": alerts.extended_more_than_once,
}


@pytest.mark.parametrize("read", READS.values(), ids=READS.keys())
@pytest.mark.parametrize("unit_code", ["", QUANG_NINH, BA_CHE])
def test_the_totals_answer_what_the_records_answer(read: Callable[..., object], unit_code: str) -> None:
    """Given money of two communes and their province (old-era money carried across the crosswalk
    included), then every figure of the country, the province and a commune read from the totals equals
    the figure read from the records (as of a date after every document)."""
    _some_money()
    user = money_admin()

    def scope(on_date: datetime.date | None) -> money_selectors.MoneyScope:
        return money_selectors.money_scope_get(
            user=user, era=Era.CURRENT, unit_code=unit_code, from_year=2021, to_year=2025, on_date=on_date
        )

    assert money_selectors.money_rows(user=user, scope=scope(None), fields=()).model is MoneyTotal
    assert money_selectors.money_rows(user=user, scope=scope(FAR_FUTURE), fields=()).model is MoneyRecord
    from_totals = read(user=user, scope=scope(None))
    assert from_totals
    assert from_totals == read(user=user, scope=scope(FAR_FUTURE))


HEADER = "kind,year,to_year,era,unit_code,component,source,amount_vnd,document_no,document_date\n"
FILE = HEADER + (
    f"allocation,2024,,current,{BA_CHE},{SUB_PROJECT},{BUDGET},1.000.000.000,GV-1,01/03/2024\n"
    f"disbursement,2024,,current,{BA_CHE},{SUB_PROJECT},{BUDGET},400.000.000,GN-1,01/06/2024\n"
    f"allocation,2024,,current,{TIEN_YEN},{SUB_PROJECT},{BUDGET},700.000.000,GV-2,01/03/2024\n"
)


def test_a_file_applied_and_applied_again_with_a_changed_amount_is_summed(province_officer) -> None:
    """Given a file of two communes' money applied, then applied again with a disbursement changed, then
    each commune's totals follow the file."""
    preview_and_apply("money_records", FILE, user=province_officer)
    assert money_totals_of(TIEN_YEN) == [
        (SUB_PROJECT, BUDGET, 2024, "allocation", None, False, 700_000_000, 1)
    ]

    preview_and_apply("money_records", FILE.replace("400.000.000", "650.000.000"), user=province_officer)

    assert money_totals_of(BA_CHE) == [
        (SUB_PROJECT, BUDGET, 2024, "allocation", None, False, 1_000_000_000, 1),
        (SUB_PROJECT, BUDGET, 2024, "disbursement", None, False, 650_000_000, 1),
    ]


ADMIN_REQUEST = RequestFactory().post("/admin/")


def records_admin() -> MoneyRecordAdmin:
    return MoneyRecordAdmin(MoneyRecord, admin.site)


def test_a_record_moved_changed_and_deleted_in_the_administration_is_summed_where_it_is() -> None:
    """Given a plan of Ba Chẽ moved to Tiên Yên with a new amount, a disbursement deleted and the rest
    deleted from the list, then each commune's totals follow every change."""
    plan = record(RecordKind.PLAN, 2024, BA_CHE, 300_000_000)
    record(RecordKind.ALLOCATION, 2024, BA_CHE, 200_000_000)
    disbursement = record(RecordKind.DISBURSEMENT, 2024, BA_CHE, 50_000_000)

    plan.unit, plan.amount_vnd = current_unit(TIEN_YEN), 350_000_000
    records_admin().save_model(ADMIN_REQUEST, plan, None, True)
    assert money_totals_of(TIEN_YEN) == [(SUB_PROJECT, BUDGET, 2024, "plan", None, False, 350_000_000, 1)]
    assert [total[3] for total in money_totals_of(BA_CHE)] == ["allocation", "disbursement"]

    records_admin().delete_model(ADMIN_REQUEST, disbursement)
    assert [total[3] for total in money_totals_of(BA_CHE)] == ["allocation"]

    records_admin().delete_queryset(ADMIN_REQUEST, MoneyRecord.objects.all())
    assert not MoneyTotal.objects.exists()


def test_the_command_finds_a_changed_total_and_rebuilds_it() -> None:
    """Given a total changed behind the services' back, then ``vungcao rollups --check`` names it with
    its amount and records as stored and as summed, and ``--rebuild`` sums it again."""
    record(RecordKind.ALLOCATION, 2024, BA_CHE, 500_000_000)
    MoneyTotal.objects.update(amount_vnd=1)
    output = io.StringIO()

    with pytest.raises(CommandError) as refused:
        call_command("rollups", check=True, stdout=output)

    assert refused.value.returncode == 1
    assert (
        f"{MONEY_TOTALS.name} (unit, component, source, year, kind, to_year, superseded) = "
        in output.getvalue()
    )
    assert "1, 1 stored, 500000000, 1 counted" in output.getvalue()
    call_command("rollups", rebuild=True, stdout=io.StringIO())
    assert money_totals_of(BA_CHE)[0][-2:] == (500_000_000, 1)


def test_sums_are_summed_again_never_adjusted() -> None:
    """A rollup of sums cannot be adjusted by the count of a few records: it is refused."""
    with pytest.raises(ValueError, match="recount"), rollups_adjusted([MONEY_TOTALS], Q()):
        pass
