"""The money file's unit code as Excel keeps it when typed into a cell not formatted as text (6970 for
06970), and its amounts as officials write them: both read by the same helpers as every other import."""

import io

import pytest
from openpyxl import Workbook

from tests.imports.helpers import preview_and_apply
from vungcao.programs.models import MoneyRecord

pytestmark = pytest.mark.django_db

HEADER = [
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
]


def test_a_unit_code_made_a_number_and_amounts_in_units_are_read(province_officer) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append(
        ["allocation", 2024, None, "current", 6970, "1719-DA1", "local_budget", "2tr", "QĐ-9", "2024-03-01"]
    )
    sheet.append(
        ["plan", 2024, None, "current", 22, "1719-DA1", "local_budget", "1.500.000 đ", "KH-9", "2024-02-01"]
    )
    content = io.BytesIO()
    workbook.save(content)
    preview_and_apply("money_records", content.getvalue(), filename="money.xlsx", user=province_officer)
    assert sorted(MoneyRecord.objects.values_list("kind", "unit__code", "amount_vnd")) == [
        ("allocation", "06970", 2_000_000),
        ("plan", "22", 1_500_000),
    ]
