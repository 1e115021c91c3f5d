"""The same reporting period opened twice at once on PostgreSQL: one period, and a clear refusal for the
other official instead of a server error.

The test stores the period in its own transaction, uncommitted, as another official's request would, so
that the two openings started in threads find none yet and meet it at the unique constraint every time;
it then commits, and each is refused as a duplicate.
"""

from django.db import transaction
from django.utils import translation

from tests.conftest import PASSWORD, QUANG_NINH, ROW_LOCK_TESTS, current_unit
from tests.registry.test_concurrency import started, still_waiting
from vungcao.accounts import services as account_services
from vungcao.accounts.models import Role
from vungcao.indicators.models import ReportingPeriod
from vungcao.indicators.services import IndicatorEntryRefused
from vungcao.indicators.services.reporting_periods import DUPLICATE_PERIOD, reporting_period_create

pytestmark = ROW_LOCK_TESTS


def test_a_period_opened_twice_at_once_is_stored_once(units_loaded: None) -> None:
    officer = account_services.user_create(
        username="quangninh", password=PASSWORD, role=Role.PROVINCE_OFFICER, scope=current_unit(QUANG_NINH)
    )
    review = {"subject": "review", "year": 2026, "owner_code": QUANG_NINH}

    def open_review() -> object:
        with translation.override("en"):
            return reporting_period_create(user=officer, values=review)

    with transaction.atomic():
        reporting_period_create(user=officer, values=review)
        openings = [started(open_review) for _ in range(2)]
        assert still_waiting(*(outcome for _thread, outcome in openings))
    for thread, _outcome in openings:
        thread.join()

    refusals = [outcome.error for _thread, outcome in openings]
    assert all(isinstance(refused, IndicatorEntryRefused) for refused in refusals), refusals
    with translation.override("en"):
        assert [getattr(refused, "errors", None) for refused in refusals] == [
            {"year": str(DUPLICATE_PERIOD)}
        ] * 2
    assert ReportingPeriod.objects.count() == 1
