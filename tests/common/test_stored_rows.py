"""Rows read as the database returns them, each value converted when used exactly as the ORM would."""

from decimal import Decimal

import pytest

from tests.conftest import BA_CHE
from tests.indicators.helpers import entered
from vungcao.common.database import stored_rows, stored_value_reader
from vungcao.indicators.models import IndicatorValue

pytestmark = pytest.mark.django_db


def test_a_stored_decimal_read_later_is_the_value_the_orm_reads() -> None:
    for year, value in enumerate(["12.5", "0", "3", "12345678901234.1234", "0.0001", "99.9999"], start=2015):
        entered("households_with_electricity", "current", BA_CHE, year, value)
    rows = IndicatorValue.objects.order_by("year").values_list("year", "value")
    read = stored_value_reader(IndicatorValue, "value")

    stored = [(year, read(value)) for year, value in stored_rows(rows)]

    assert [(year, str(value)) for year, value in stored] == [(year, str(value)) for year, value in rows]
    assert stored[0] == (2015, Decimal("12.5000"))


def test_a_query_that_matches_nothing_by_itself_reads_no_rows() -> None:
    """A condition on an empty list is no query at all: no rows, as the ORM reads it, never an error."""
    rows = IndicatorValue.objects.filter(pk__in=[]).values_list("year", "value")
    assert stored_rows(rows) == list(rows) == []
