"""Importing indicator values from a file, checked row by row by the entry service.

Given a province officer of Quảng Ninh, when they import a year of values in which one row is bad, then
the preview names that row's problem and nothing is written; corrected, the file is applied and each
value stored once; applied again, every row is unchanged.
"""

import io
from collections.abc import Callable

import pytest
from django.utils import translation
from openpyxl import load_workbook

from tests.conftest import BA_CHE, DIEN_BIEN, QUANG_NINH, TIEN_YEN
from tests.imports.helpers import preview, preview_and_apply, problems
from tests.indicators.helpers import reading
from vungcao.accounts.models import Role, User
from vungcao.imports.models import ImportBatch
from vungcao.indicators.importers import LISTED_TWICE
from vungcao.indicators.models import IndicatorValue
from vungcao.indicators.services import UNKNOWN_UNIT

pytestmark = pytest.mark.django_db

HEADER = "indicator,era,unit_code,year,value,note\n"
GOOD = (
    f'income_per_capita_poor_households,current,{QUANG_NINH},2024,"1.250.000",Sở LĐTBXH\n'
    f"households,current,{BA_CHE},2020,812,\n"
    f"poor_households,current,{BA_CHE},2020,203,\n"
)


@pytest.fixture
def officer(make_user: Callable[..., User]) -> User:
    return make_user("quangninh", Role.PROVINCE_OFFICER, QUANG_NINH)


def test_a_bad_row_is_named_and_nothing_written(officer: User) -> None:
    """Given a row for Điện Biên (out of scope) and a row listed twice, then both are named by row and
    column, and no value of the file is stored."""
    content = (
        HEADER + GOOD + f"households,current,{DIEN_BIEN},2020,900,\nhouseholds,current,{BA_CHE},2020,812,\n"
    )
    with translation.override("en"):
        batch = preview("indicator_values", content, user=officer)
        assert batch.status == ImportBatch.Status.REFUSED
        assert problems(batch) == [
            (5, "unit_code", DIEN_BIEN, str(UNKNOWN_UNIT)),
            (6, "year", "2020", str(LISTED_TWICE).format(row=3)),
        ]
    assert not IndicatorValue.objects.exists()


def test_a_clean_file_is_applied_then_unchanged(officer: User) -> None:
    batch = preview_and_apply("indicator_values", HEADER + GOOD, user=officer)
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (3, 0, 0)
    stored = sorted(
        IndicatorValue.objects.values_list("indicator", "unit__code", "year", "value", "entered_by")
    )
    assert stored == [
        ("households", BA_CHE, 2020, 812, officer.pk),
        ("income_per_capita_poor_households", QUANG_NINH, 2024, 1250000, officer.pk),
        ("poor_households", BA_CHE, 2020, 203, officer.pk),
    ]
    changed = HEADER + GOOD.replace(",203,", ",210,") + f"households,current,{TIEN_YEN},2020,640,\n"
    again = preview_and_apply("indicator_values", changed, user=officer)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (1, 1, 2)
    assert IndicatorValue.objects.get(indicator="poor_households").value == 210


def test_a_unit_code_whose_leading_zero_was_dropped_is_restored(officer: User) -> None:
    batch = preview_and_apply(
        "indicator_values", HEADER + "households,current,6970,2020,812,\n", user=officer
    )
    assert batch.created_count == 1
    assert IndicatorValue.objects.get().unit.code == BA_CHE


def test_the_template_names_its_columns_by_label(officer: User) -> None:
    """Given the template of the import (in English here; Vietnamese once translated), then its header
    writes each column's label with its name, and the example row is a value as officials write it."""
    response = reading(officer, "en").get("/imports/template/indicator_values.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("Indicator code (indicator)", "Era of the unit (era)", "Unit code (unit_code)")
    assert rows[1][:5] == ("poor_households", "pre2025", "08", "2020", "42.351")
