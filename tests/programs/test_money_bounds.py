"""Money at its bound: 10¹⁵ dong a record, 10¹⁸ a kind nationwide, so no database SUM overflows 64 bits."""

import pytest
from django.db import IntegrityError, transaction

from tests.conftest import BA_CHE, QUANG_NINH, TIEN_YEN, client_for
from tests.programs.helpers import admin, record
from vungcao.engine import money
from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.programs.models import Component, MoneyRecord, RecordKind, Work
from vungcao.programs.services import money_import
from vungcao.programs.services.money import (
    AMOUNT_REASONS,
    LEDGER_FULL,
    MoneyRecordRefused,
    money_record_create,
)

pytestmark = pytest.mark.django_db

BOUND = money.MAX_AMOUNT_VND


@pytest.fixture
def two_records_at_the_bound() -> None:
    record("allocation", 2024, BA_CHE, BOUND)
    record("allocation", 2024, TIEN_YEN, BOUND)


def test_two_records_at_the_bound_sum_exactly_on_the_province_and_national_dashboards(
    administrator, province_officer, two_records_at_the_bound
) -> None:
    # given two allocations of a million tỷ each in Quảng Ninh
    # when the province's and the nation's dashboards and the API summary are read
    province = client_for(province_officer).get("/programs/?from_year=2024&to_year=2024")
    nation = client_for(administrator).get("/programs/?from_year=2024&to_year=2024")
    summary = client_for(administrator).get(
        f"/api/v1/money/summary?unit_code={QUANG_NINH}&from_year=2024&to_year=2024"
    )
    # then each shows the exact sum, two million tỷ
    assert (province.status_code, nation.status_code, summary.status_code) == (200, 200, 200)
    assert "2.000.000.000.000.000" in province.content.decode()
    assert "2.000.000.000.000.000" in nation.content.decode()
    assert summary.json()["allocated"] == 2 * BOUND


def test_a_record_that_would_take_a_kind_past_the_ledger_bound_is_refused_and_nothing_is_written(
    monkeypatch, two_records_at_the_bound
) -> None:
    # given a ledger bound of two records at the bound, already reached by allocations
    monkeypatch.setattr(money, "MAX_LEDGER_VND", 2 * BOUND)
    values = {
        "kind": "allocation",
        "year": 2025,
        "unit_code": BA_CHE,
        "component": "1719-DA4-TDA1",
        "source": "central_investment",
        "amount_vnd": 1,
        "document_no": "9/QĐ-UBND",
        "document_date": "2025-03-01",
    }
    # when one more dong is allocated
    with pytest.raises(MoneyRecordRefused) as refused:
        money_record_create(user=admin(), values=values)
    # then it is refused naming the amount, and nothing was written; other kinds are still free
    label = dict(RecordKind.choices)[RecordKind.ALLOCATION]
    assert refused.value.errors == {"amount_vnd": str(LEDGER_FULL).format(kind=label)}
    assert MoneyRecord.objects.count() == 2
    assert money_record_create(user=admin(), values={**values, "kind": "plan"}).amount_vnd == 1


def test_an_imported_row_above_the_bound_is_a_problem_on_its_amount_and_nothing_is_planned() -> None:
    row = {
        "kind": "allocation",
        "year": "2024",
        "to_year": "",
        "era": "current",
        "unit_code": BA_CHE,
        "component": "1719-DA4-TDA1",
        "source": "central_investment",
        "amount_vnd": "1.000.001 tỷ",
        "document_no": "1/QĐ-UBND",
        "document_date": "01/03/2024",
    }
    plan = money_import.money_records_plan(user=admin(), rows=[row])
    assert [(problem.row, problem.field, problem.value, problem.reason) for problem in plan.report] == [
        (2, "amount_vnd", "1.000.001 tỷ", str(AMOUNT_REASONS[money.AMOUNT_TOO_LARGE]))
    ]
    assert (plan.created, plan.updated) == (0, 0)


def test_the_database_itself_refuses_a_money_record_above_the_bound() -> None:
    record("allocation", 2024, BA_CHE, BOUND)
    with pytest.raises(IntegrityError), transaction.atomic():
        MoneyRecord.objects.update(amount_vnd=BOUND + 1)
    assert MoneyRecord.objects.get().amount_vnd == BOUND


def test_the_database_itself_refuses_a_work_above_the_bound() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Work.objects.create(
            unit=AdministrativeUnit.objects.get(era=Era.CURRENT, code=BA_CHE),
            component=Component.objects.get(code="1719-DA4-TDA1"),
            kind="road",
            name="Đường thôn",
            investment_total_vnd=BOUND + 1,
        )
    assert Work.objects.count() == 0
