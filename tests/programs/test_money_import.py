"""Importing plans, allocations, disbursements and extensions: every error kind, nothing written, idempotent."""

import io

import pytest
from openpyxl import Workbook

from tests.conftest import MUONG_PHANG
from tests.imports.helpers import preview, preview_and_apply, problems
from vungcao.engine import money
from vungcao.imports.models import ImportBatch
from vungcao.programs.models import MoneyRecord
from vungcao.programs.services import money as money_services
from vungcao.programs.services import money_import

pytestmark = pytest.mark.django_db

HEADER = "kind,year,to_year,era,unit_code,component,source,amount_vnd,document_no,document_date\n"
GOOD = HEADER + (
    'plan,2024,,current,22,1719-DA4-TDA1,central_investment,"1.500.000.000",KH-1,01/02/2024\n'
    'allocation,2024,,current,22,1719-DA4-TDA1,central_investment,"1,2 tỷ",QĐ-2,2024-03-01\n'
    "disbursement,2024,,current,22,1719-DA4-TDA1,central_investment,250 triệu,UNC-3,2024-06-30\n"
    'extension,2024,2025,,22,1719-DA4-TDA1,central_investment,"950.000.000",KD-4,2024-12-31\n'
)


def stored() -> list[tuple[str, int, str, int]]:
    return sorted(MoneyRecord.objects.values_list("kind", "year", "unit__code", "amount_vnd"))


def test_a_clean_file_is_written_once_and_reimporting_it_changes_nothing(province_officer) -> None:
    batch = preview_and_apply("money_records", GOOD, user=province_officer)
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (4, 0, 0)
    assert stored() == [
        ("allocation", 2024, "22", 1_200_000_000),
        ("disbursement", 2024, "22", 250_000_000),
        ("extension", 2024, "22", 950_000_000),
        ("plan", 2024, "22", 1_500_000_000),
    ]
    again = preview("money_records", GOOD, user=province_officer)
    assert (again.status, again.created_count, again.updated_count, again.unchanged_count) == (
        ImportBatch.Status.READY,
        0,
        0,
        4,
    )


def test_a_changed_amount_of_a_known_document_is_an_update(province_officer) -> None:
    preview_and_apply("money_records", GOOD, user=province_officer)
    batch = preview_and_apply("money_records", GOOD.replace('"1,2 tỷ"', '"1,3 tỷ"'), user=province_officer)
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 1, 3)
    assert MoneyRecord.objects.get(kind="allocation").amount_vnd == 1_300_000_000


def test_every_error_kind_is_listed_by_row_column_value_and_reason_and_nothing_is_written(
    province_officer,
) -> None:
    content = HEADER + (
        "gift,2024,,current,22,1719-DA4-TDA1,central_investment,5,D-1,2024-01-01\n"
        "plan,24,,current,22,1719-DA4-TDA1,central_investment,5,D-2,2024-01-01\n"
        f"plan,2024,,current,{MUONG_PHANG},1719-DA4-TDA1,central_investment,5,D-3,2024-01-01\n"
        "plan,2024,,current,22,1719-DA77,central_investment,5,D-4,2024-01-01\n"
        "plan,2024,,current,22,1719-DA4-TDA1,lottery,5,D-5,2024-01-01\n"
        'plan,2024,,current,22,1719-DA4-TDA1,central_investment,"1,500",D-6,2024-01-01\n'
        "plan,2024,,current,22,1719-DA4-TDA1,central_investment,5,,2024-01-01\n"
        "plan,2024,,current,22,1719-DA4-TDA1,central_investment,5,D-8,soon\n"
        "plan,2024,,mars,22,1719-DA4-TDA1,central_investment,5,D-9,2024-01-01\n"
        "extension,2024,2023,current,22,1719-DA4-TDA1,central_investment,5,D-10,2024-01-01\n"
        "plan,2024,2025,current,22,1719-DA4-TDA1,central_investment,5,D-11,2024-01-01\n"
        "extension,2024,2025,current,22,1719-DA4-TDA1,central_investment,5,D-12,2024-01-01\n"
        "plan,2024,,current,22,1719-DA4-TDA1,central_investment,7,D-13,2024-01-01\n"
        "plan,2024,,current,22,1719-DA4-TDA1,central_investment,7,D-13,2024-01-01\n"
        'plan,2024,,current,22,1719-DA4-TDA1,central_investment,"1,0000000005 tỷ",D-15,2024-01-01\n'
    )
    batch = preview("money_records", content, user=province_officer)
    assert batch.status == ImportBatch.Status.REFUSED
    assert problems(batch) == [
        (2, "kind", "gift", money_services.unknown_kind()),
        (3, "year", "24", str(money_services.BAD_YEAR)),
        (4, "unit_code", MUONG_PHANG, str(money_services.UNKNOWN_UNIT)),
        (5, "component", "1719-DA77", str(money_services.UNKNOWN_COMPONENT)),
        (6, "source", "lottery", str(money_services.UNKNOWN_SOURCE)),
        (
            7,
            "amount_vnd",
            "1,500",
            str(money_services.AMOUNT_REASONS[money.AMOUNT_AMBIGUOUS_SEPARATOR]),
        ),
        (8, "document_no", "", str(money_services.REQUIRED)),
        (9, "document_date", "soon", str(money_services.BAD_DATE)),
        (10, "era", "mars", str(money_services.UNKNOWN_ERA)),
        (11, "to_year", "2023", str(money_services.TO_YEAR_NOT_LATER)),
        (12, "to_year", "2025", str(money_services.TO_YEAR_ONLY_FOR_EXTENSIONS)),
        (13, "amount_vnd", "5", str(money_services.EXCEEDS_UNSPENT).format(unspent="0", amount="5")),
        (15, "document_no", "D-13", str(money_import.LISTED_TWICE).format(row=14)),
        (
            16,
            "amount_vnd",
            "1,0000000005 tỷ",
            str(money_services.AMOUNT_REASONS[money.AMOUNT_NOT_WHOLE_DONG]),
        ),
    ]
    assert not MoneyRecord.objects.exists()


def test_an_xlsx_file_with_number_cells_is_read_exactly(province_officer) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER.strip().split(","))
    sheet.append(
        [
            "allocation",
            2024,
            None,
            "current",
            "22",
            "1719-DA1",
            "local_budget",
            1500000000,
            "QĐ-9",
            "2024-03-01",
        ]
    )
    content = io.BytesIO()
    workbook.save(content)
    preview_and_apply("money_records", content.getvalue(), filename="money.xlsx", user=province_officer)
    assert stored() == [("allocation", 2024, "22", 1_500_000_000)]


def test_an_analyst_may_not_import_money(analyst) -> None:
    from vungcao.common.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        preview("money_records", GOOD, user=analyst)
    assert not MoneyRecord.objects.exists()
