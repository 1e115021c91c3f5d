"""The demo's money story: Quảng Ninh's leverage about 5, Điện Biên's plan extended twice; idempotent."""

from fractions import Fraction

import pytest

from tests.programs.helpers import admin
from vungcao.engine import money
from vungcao.programs.demo import money_demo_ensure
from vungcao.programs.models import MoneyRecord
from vungcao.programs.selectors import alerts
from vungcao.programs.selectors import money as money_selectors

pytestmark = pytest.mark.django_db


def test_the_demo_tells_its_story_and_a_second_run_adds_nothing() -> None:
    first = money_demo_ensure()
    count = MoneyRecord.objects.count()
    assert money_demo_ensure() == "demo programme money (illustrative, marked [minh họa]): 0 rows added"
    assert first != money_demo_ensure()
    assert MoneyRecord.objects.count() == count
    user = admin()
    quang_ninh = money_selectors.money_scope_get(
        user=user, era="current", unit_code="22", from_year=2021, to_year=2025
    )
    totals = money_selectors.money_summary(user=user, scope=quang_ninh)
    assert money.percent(totals.budget_share) == 16
    assert str(money.rounded(totals.leverage)) == "5.23"
    dien_bien = money_selectors.money_scope_get(
        user=user, era="current", unit_code="11", from_year=2021, to_year=2025
    )
    repeated = alerts.extended_more_than_once(user=user, scope=dien_bien)
    assert [(item.unit_code, item.year, item.times, item.last_to_year) for item in repeated] == [
        ("03325", 2023, 2, 2025)
    ]
    assert money_selectors.money_summary(user=user, scope=dien_bien).extended == 1_000_000_000
    assert Fraction(1) > (money_selectors.money_summary(user=user, scope=dien_bien).disbursement_rate or 0)
