"""The demo's money story: Quảng Ninh's leverage about 5 (with money of 2022 kept under an old commune),
Điện Biên's plan extended twice; idempotent."""

from decimal import Decimal
from fractions import Fraction

import pytest

from tests.programs.helpers import admin
from vungcao.engine import money
from vungcao.programs.demo import money_demo_ensure
from vungcao.programs.models import HouseholdSupport, MoneyRecord
from vungcao.programs.selectors import alerts, money_records
from vungcao.programs.selectors import money as money_selectors
from vungcao.registry.demo import registry_demo_ensure

pytestmark = pytest.mark.django_db


def test_the_demo_tells_its_story_and_a_second_run_adds_nothing() -> None:
    first = money_demo_ensure()
    count = MoneyRecord.objects.count()
    assert money_demo_ensure() == (
        "demo programme money (illustrative, marked [minh họa]): 0 rows added; no housing support: no "
        "synthetic household of Mường Phăng (03325) is poor or near-poor with a housing deprivation in "
        "the registry demo"
    )
    assert not HouseholdSupport.objects.exists()
    assert first != money_demo_ensure()
    assert MoneyRecord.objects.count() == count
    user = admin()
    quang_ninh = money_selectors.money_scope_get(
        user=user, era="current", unit_code="22", from_year=2021, to_year=2025
    )
    totals = money_selectors.money_summary(user=user, scope=quang_ninh)
    assert money.percent(totals.budget_share) == Decimal("16.1")
    assert str(money.rounded(totals.leverage)) == "5.22"
    # with the road of 2022 recorded under old Thanh Sơn, carried into Quảng Ninh by its old province
    thanh_son = money_selectors.money_scope_get(
        user=user, era="pre2025", unit_code="06973", from_year=2021, to_year=2025
    )
    assert money_selectors.money_summary(user=user, scope=thanh_son).allocated == 2_000_000_000
    by_year = money_selectors.money_totals_by(
        user=user, scope=quang_ninh, fields=("year",), key_of=lambda row, _path: row["year"]
    )
    assert by_year[2022].allocated == (180 + 950 + 24 + 120) * 1_000_000_000 + 2_000_000_000
    dien_bien = money_selectors.money_scope_get(
        user=user, era="current", unit_code="11", from_year=2021, to_year=2025
    )
    repeated = alerts.extended_more_than_once(user=user, scope=dien_bien)
    assert [(item.unit_code, item.year, item.times, item.last_to_year) for item in repeated] == [
        ("03325", 2023, 2, 2025)
    ]
    assert money_selectors.money_summary(user=user, scope=dien_bien).extended == 1_000_000_000
    assert Fraction(1) > (money_selectors.money_summary(user=user, scope=dien_bien).disbursement_rate or 0)


def test_the_housing_support_goes_to_an_eligible_synthetic_household_of_muong_phang() -> None:
    # Given the registry demo (one commune per province: Ba Chẽ and Mường Phăng) and a legacy demo row
    registry_demo_ensure(households_per_commune=30, communes_per_province=1)
    money_demo_ensure()
    # When the demo is ensured again
    again = money_demo_ensure()
    # Then one housing support, linked to a poor or near-poor Mường Phăng household with a housing
    # deprivation recorded in its latest review up to 2024
    support = HouseholdSupport.objects.select_related("household__village__parent").get()
    assert again.endswith(
        f"0 rows added; housing support to synthetic household {support.household_code} of Mường Phăng (03325)"
    )
    assert support.household is not None
    assert (support.household.is_synthetic, support.household.village.parent.code) == (True, "03325")
    assert (support.kind, support.year, support.status_year) == ("housing", 2024, 2024)
    assert support.recorded_status in {"poor", "near_poor"}
    assert {"housing_quality", "housing_area"} & set(support.recorded_deprivations)
    assert support.household.assessments.get(cycle__year=2024).status == support.recorded_status


def test_the_demo_reaches_every_state_of_the_money_records_pages() -> None:
    # Given the demo's money
    money_demo_ensure()
    user = admin()
    rows = money_records.money_record_list(user=user, filters=money_records.RecordFilter())
    # Then a plan is extended, disbursements pay for works, and contributions past their allocation are alerted
    assert rows.filter(kind="extension", unit__code="06970", to_year=2025).exists()
    assert set(rows.filter(kind="disbursement").exclude(work=None).values_list("unit__code", flat=True)) == {
        "03325",
        "06970",
    }
    overdrawn = money_records.money_record_list(
        user=user, filters=money_records.RecordFilter(overdrawn_only=True)
    )
    assert {(r.unit.code, r.source.code, r.year) for r in overdrawn} == {
        ("03325", "people_contribution", 2025),
        ("06970", "people_contribution", 2025),
    }
    assert all(money_records.record_alert(r) for r in overdrawn)
