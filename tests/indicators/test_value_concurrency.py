"""The same value entered twice at once on PostgreSQL: one row, both entries answered.

The test holds an uncommitted row of the same indicator, unit and year in its own transaction, as
another request inserting it would, so that the two entries started in threads meet at the unique
constraint every time; it then rolls back, letting them through.
"""

import pytest
from django.db import connection, transaction

from tests.indicators.helpers import HA_GIANG, entered, national_admin
from tests.registry.test_concurrency import started, still_waiting
from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.indicators.models import IndicatorValue

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are PostgreSQL's; SQLite runs one write transaction at a time by design",
    ),
]


def test_the_same_value_entered_twice_at_once_is_stored_once(units_loaded: None) -> None:
    """Given an entry of Hà Giang's 2020 poor households being written, when the same value is entered
    twice at the same moment, then both wait for it and, once it is withdrawn, one row holds the value."""
    unit = AdministrativeUnit.objects.get(era=Era.PRE2025, code=HA_GIANG)

    with transaction.atomic():
        IndicatorValue.objects.create(
            indicator="poor_households", unit=unit, year=2020, value=1, entered_by=national_admin()
        )
        entries = [
            started(lambda: entered("poor_households", "pre2025", HA_GIANG, 2020, 42351)) for _ in range(2)
        ]
        assert still_waiting(*(outcome for _thread, outcome in entries))
        transaction.set_rollback(True)
    for thread, _outcome in entries:
        thread.join()

    assert [outcome.error for _thread, outcome in entries] == [None, None]
    assert list(IndicatorValue.objects.values_list("indicator", "unit__code", "year", "value")) == [
        ("poor_households", HA_GIANG, 2020, 42351)
    ]
