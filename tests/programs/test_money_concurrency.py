"""Two money records at once on PostgreSQL: writes to one allocation's money run one after the other.

As in tests/registry/test_concurrency.py, the test holds the allocation locked in its own transaction,
as another request would, so that the writes it starts in threads meet at the same moment every time.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import transaction

from tests.conftest import BA_CHE, QUANG_NINH, ROW_LOCK_TESTS, TIEN_YEN, current_unit
from tests.programs.helpers import admin, money_totals_of, record
from tests.registry.test_concurrency import started, still_waiting
from vungcao.common.rollups import rollup_differences
from vungcao.geo.services.crosswalk import crosswalk_plan
from vungcao.programs.models import (
    Component,
    MoneyCarriedTotal,
    MoneyProvinceTotal,
    MoneyRecord,
    RecordKind,
    Work,
    WorkKind,
)
from vungcao.programs.rollups import PROVINCE_ROLLUPS
from vungcao.programs.services.money import DUPLICATE, EXCEEDS_UNSPENT, MoneyRecordRefused
from vungcao.programs.services.money_balance import DISBURSEMENT_EXCEEDS_ALLOCATION

pytestmark = ROW_LOCK_TESTS


@contextmanager
def allocation_held(allocation: MoneyRecord) -> Iterator[None]:
    with transaction.atomic():
        list(MoneyRecord.objects.select_for_update().filter(pk=allocation.pk))
        yield


def test_an_extension_waits_for_a_disbursement_of_its_allocation_and_is_decided_after_it(
    reference_data_loaded,
) -> None:
    """Given 500 million allocated, when a 300 million extension is entered while a 300 million
    disbursement of the same allocation is being recorded, then the extension waits for it and is
    refused on what is left after it (200 million), not on the 500 million it would have read before."""
    allocation = record(RecordKind.ALLOCATION, 2024, BA_CHE, 500_000_000)

    with allocation_held(allocation):
        record(RecordKind.DISBURSEMENT, 2024, BA_CHE, 300_000_000)
        thread, outcome = started(
            lambda: record(RecordKind.EXTENSION, 2024, BA_CHE, 300_000_000, to_year=2025, document_no="1/QĐ")
        )
        assert still_waiting(outcome)
    thread.join()

    assert isinstance(outcome.error, MoneyRecordRefused)
    assert outcome.error.errors == {
        "amount_vnd": str(EXCEEDS_UNSPENT).format(unspent="200.000.000", amount="300.000.000")
    }
    assert not MoneyRecord.objects.filter(kind=RecordKind.EXTENSION).exists()


def test_the_same_document_recorded_twice_at_once_is_recorded_once(reference_data_loaded) -> None:
    """Given an allocation, when the same disbursement decision is entered twice at the same moment, then
    one is recorded and the other told the document exists, never a server error."""
    allocation = record(RecordKind.ALLOCATION, 2024, BA_CHE, 500_000_000)

    with allocation_held(allocation):
        threads = [
            started(lambda: record(RecordKind.DISBURSEMENT, 2024, BA_CHE, 100_000_000, document_no="7/QĐ"))
            for _ in range(2)
        ]
        assert still_waiting(*(outcome for _thread, outcome in threads))
    for thread, _outcome in threads:
        thread.join()

    refused = [outcome.error for _thread, outcome in threads if outcome.error is not None]
    assert [getattr(error, "errors", error) for error in refused] == [{"document_no": str(DUPLICATE)}]
    assert MoneyRecord.objects.filter(kind=RecordKind.DISBURSEMENT).count() == 1


def test_a_plan_entered_while_the_same_plan_is_being_recorded_is_refused_as_a_duplicate(
    reference_data_loaded,
) -> None:
    """Given a plan being recorded (no allocation to lock yet), when the same document is entered again at
    that moment, then the second waits for the first and is refused as a duplicate by the database's
    unique constraint, never a server error."""
    with transaction.atomic():
        record(RecordKind.PLAN, 2025, BA_CHE, 900_000_000, document_no="12/QĐ")
        thread, outcome = started(
            lambda: record(RecordKind.PLAN, 2025, BA_CHE, 900_000_000, document_no="12/QĐ")
        )
        assert still_waiting(outcome)
    thread.join()

    assert isinstance(outcome.error, MoneyRecordRefused)
    assert outcome.error.errors == {"document_no": str(DUPLICATE)}
    assert MoneyRecord.objects.filter(kind=RecordKind.PLAN).count() == 1


def test_two_disbursements_at_once_cannot_together_pass_their_allocation(reference_data_loaded) -> None:
    """Given 500 million allocated from the state budget, when two 300 million disbursements are entered at
    the same moment, then one is recorded and the other waits for it and is refused on the 200 million left,
    never both."""
    allocation = record(RecordKind.ALLOCATION, 2024, BA_CHE, 500_000_000)

    with allocation_held(allocation):
        threads = [
            started(
                lambda number=number: record(
                    RecordKind.DISBURSEMENT, 2024, BA_CHE, 300_000_000, document_no=f"UNC-{number}"
                )
            )
            for number in range(2)
        ]
        assert still_waiting(*(outcome for _thread, outcome in threads))
    for thread, _outcome in threads:
        thread.join()

    refused = [outcome.error for _thread, outcome in threads if outcome.error is not None]
    assert [getattr(error, "errors", error) for error in refused] == [
        {
            "amount_vnd": str(DISBURSEMENT_EXCEEDS_ALLOCATION).format(
                year=2024, remaining="200.000.000", amount="300.000.000"
            )
        }
    ]
    assert list(
        MoneyRecord.objects.filter(kind=RecordKind.DISBURSEMENT).values_list("amount_vnd", flat=True)
    ) == [300_000_000]


def test_two_records_of_one_unit_at_once_are_summed_one_after_the_other(reference_data_loaded) -> None:
    """Given a plan of Ba Chẽ being recorded, when another plan of Ba Chẽ (another component) is entered
    at that moment, then its sum waits for the first and counts it: both are in the totals."""
    with transaction.atomic():
        record(RecordKind.PLAN, 2025, BA_CHE, 900_000_000)
        thread, outcome = started(
            lambda: record(RecordKind.PLAN, 2025, BA_CHE, 800_000_000, component="1719-DA1")
        )
        assert still_waiting(outcome)
    thread.join()

    assert outcome.error is None
    assert [(total[0], total[6]) for total in money_totals_of(BA_CHE)] == [
        ("1719-DA1", 800_000_000),
        ("1719-DA4-TDA1", 900_000_000),
    ]


def test_a_sum_in_progress_holds_up_no_other_write_referring_to_its_unit(reference_data_loaded) -> None:
    """Given a plan of Ba Chẽ being recorded (its sum holds Ba Chẽ locked to the end of its transaction),
    when a work of Ba Chẽ is saved meanwhile, then it is saved at once: the unit is locked without its
    key, so the check of the work's reference to Ba Chẽ, made at its commit, does not wait for the lock."""
    with transaction.atomic():
        record(RecordKind.PLAN, 2025, BA_CHE, 900_000_000)
        thread, outcome = started(
            lambda: Work.objects.create(
                component=Component.objects.get(code="1719-DA4-TDA1"),
                unit=current_unit(BA_CHE),
                kind=WorkKind.ROAD,
                name="Đường thôn Khe Tâm",
                investment_total_vnd=1_000_000_000,
            )
        )
        thread.join(timeout=30)
        assert outcome.done.is_set()
        assert outcome.error is None

    assert Work.objects.filter(unit__code=BA_CHE).count() == 1


def test_two_records_of_two_communes_of_one_province_at_once_are_both_in_its_sums(
    reference_data_loaded,
) -> None:
    """Given a plan of Ba Chẽ being recorded, when a plan of Tiên Yên (another commune of Quảng Ninh) is
    entered at that moment, then its province's sum waits for the first and counts it: the province's
    totals hold both, as a recount gives them."""
    with transaction.atomic():
        record(RecordKind.PLAN, 2025, BA_CHE, 900_000_000)
        thread, outcome = started(lambda: record(RecordKind.PLAN, 2025, TIEN_YEN, 800_000_000))
        assert still_waiting(outcome)
    thread.join()

    assert outcome.error is None
    province = MoneyProvinceTotal.objects.get(province=current_unit(QUANG_NINH))
    assert (province.amount_vnd, province.records) == (1_700_000_000, 2)
    assert [line for rollup in PROVINCE_ROLLUPS for line in rollup_differences(rollup)] == []


THANH_SON_SPLIT = [
    {"old_code": "06973", "new_code": BA_CHE, "share": "0.4"},
    {"old_code": "06973", "new_code": TIEN_YEN, "share": "0.6"},
]


def crosswalk_split() -> None:
    crosswalk_plan(user=admin(), rows=THANH_SON_SPLIT, source="test").write()


@pytest.fixture
def administrator(reference_data_loaded) -> None:
    """The administrator who writes, made before the transactions the tests hold open (another writer
    would wait for its creation otherwise)."""
    admin()


def carried() -> list[tuple[str, int]]:
    return sorted(MoneyCarriedTotal.objects.values_list("unit__code", "amount_vnd"))


def test_old_money_recorded_while_the_crosswalk_changes_is_carried_by_the_new_links(administrator) -> None:
    """Given the crosswalk being changed (old Thanh Sơn split between Ba Chẽ and Tiên Yên), when money of
    old Thanh Sơn is recorded at that moment, then it waits for the change and is carried by the new
    links, as a recount carries it."""
    with transaction.atomic():
        crosswalk_split()
        thread, outcome = started(lambda: record(RecordKind.ALLOCATION, 2022, "06973", 1_000, era="pre2025"))
        assert still_waiting(outcome)
    thread.join()

    assert outcome.error is None
    assert carried() == [(TIEN_YEN, 600), (BA_CHE, 400)]


def test_the_crosswalk_changed_while_old_money_is_recorded_carries_it_by_the_new_links(administrator) -> None:
    """Given money of old Thanh Sơn being recorded (carried by its old province's link), when the
    crosswalk is changed at that moment, then the change waits for it and carries it again."""
    with transaction.atomic():
        record(RecordKind.ALLOCATION, 2022, "06973", 1_000, era="pre2025")
        thread, outcome = started(crosswalk_split)
        assert still_waiting(outcome)
    thread.join()

    assert outcome.error is None
    assert carried() == [(TIEN_YEN, 600), (BA_CHE, 400)]
