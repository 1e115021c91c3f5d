"""The same indicator code, or the same group name, taken twice at once on PostgreSQL: one row, and the
other definition refused with its reason, never a server error.

The test holds an uncommitted row in its own transaction, as another request defining it would, so that
the definition started in a thread meets it at the unique constraint; it then commits that row.
"""

from collections.abc import Callable

import pytest
from django.db import connection, transaction
from django.utils import translation

from tests.conftest import BA_CHE, QUANG_NINH, current_unit
from tests.indicators.helpers import TOURISM
from tests.registry.test_concurrency import started, still_waiting
from vungcao.accounts.models import Role, User
from vungcao.engine.indicators.reasons import DUPLICATE_CODE
from vungcao.indicators.models import Indicator, UnitGroup
from vungcao.indicators.services import IndicatorEntryRefused
from vungcao.indicators.services.definitions import indicator_create
from vungcao.indicators.services.groups import DUPLICATE_GROUP, unit_group_create

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are PostgreSQL's; SQLite runs one write transaction at a time by design",
    ),
]


def refusal_when_taken_meanwhile(hold: Callable[[], object], define: Callable[[], object]) -> dict[str, str]:
    """The refusal of ``define`` (in Vietnamese, a thread's language), started while ``hold`` is written and
    not yet committed."""
    with transaction.atomic():
        hold()
        thread, outcome = started(define)
        assert still_waiting(outcome)
    thread.join()
    assert isinstance(outcome.error, IndicatorEntryRefused), outcome.error
    return outcome.error.errors


def test_a_code_taken_meanwhile_is_refused(units_loaded: None, make_user: Callable[..., User]) -> None:
    officer = make_user("quangninh", Role.PROVINCE_OFFICER, QUANG_NINH)
    province = current_unit(QUANG_NINH)

    errors = refusal_when_taken_meanwhile(
        lambda: Indicator.objects.create(
            **{key: value for key, value in TOURISM.items() if key != "minimum"}, owner=province
        ),
        lambda: indicator_create(user=officer, values=TOURISM),
    )

    assert errors == {"code": DUPLICATE_CODE.format(code=TOURISM["code"]).vi}
    assert Indicator.objects.count() == 1


def test_a_group_name_taken_meanwhile_is_refused(units_loaded: None, make_user: Callable[..., User]) -> None:
    officer = make_user("quangninh", Role.PROVINCE_OFFICER, QUANG_NINH)
    province = current_unit(QUANG_NINH)

    errors = refusal_when_taken_meanwhile(
        lambda: UnitGroup.objects.create(name="Xã khó khăn", owner=province, era="current"),
        lambda: unit_group_create(user=officer, values={"name": "Xã khó khăn", "member_codes": [BA_CHE]}),
    )

    with translation.override("vi"):
        assert errors == {"name": str(DUPLICATE_GROUP)}
    assert UnitGroup.objects.count() == 1
