"""Revolving-fund hand-overs, works behind schedule, repeated extensions; scope of the writes."""

import datetime
from fractions import Fraction

import pytest

from tests.conftest import BA_CHE, MUONG_PHANG, QUANG_NINH, TIEN_YEN, current_unit
from tests.programs.helpers import record
from vungcao.common.errors import PermissionDeniedError
from vungcao.programs.models import Component, RevolvingHolding, Work
from vungcao.programs.selectors import activities, alerts
from vungcao.programs.selectors import money as money_selectors
from vungcao.programs.services import activities as services

pytestmark = pytest.mark.django_db


def component(code: str) -> Component:
    return Component.objects.get(code=code)


def test_a_ba_che_officer_cannot_record_support_or_works_elsewhere(commune_officer) -> None:
    with pytest.raises(PermissionDeniedError):
        services.work_create(
            user=commune_officer,
            component=component("1719-DA4-TDA1"),
            unit=current_unit(TIEN_YEN),
            kind="road",
            name="Đường",
            investment_total_vnd=1,
        )
    assert not Work.objects.exists()


def test_overdue_hand_overs_of_a_revolving_model_are_listed(commune_officer, province_officer) -> None:
    # Given a cow passed from household A (due 2025-01-01, handed on) to B (due 2026-01-01, not yet)
    model = services.revolving_model_create(
        user=commune_officer,
        component=component("1719-DA3-TDA1"),
        unit=current_unit(BA_CHE),
        name="Bò sinh sản",
        item="1 bò cái",
    )
    services.revolving_handover_record(
        user=commune_officer,
        model=model,
        household_code="A",
        received_on=datetime.date(2024, 1, 1),
        due_on=datetime.date(2025, 1, 1),
    )
    second = services.revolving_handover_record(
        user=commune_officer,
        model=model,
        household_code="B",
        received_on=datetime.date(2024, 12, 20),
        due_on=datetime.date(2026, 1, 1),
    )
    assert RevolvingHolding.objects.get(household_code="A").handed_on == datetime.date(2024, 12, 20)
    # When / Then
    ba_che = current_unit(BA_CHE)
    assert (
        list(activities.revolving_overdue(user=commune_officer, unit=ba_che, on=datetime.date(2025, 12, 31)))
        == []
    )
    assert list(
        activities.revolving_overdue(user=commune_officer, unit=ba_che, on=datetime.date(2026, 1, 2))
    ) == [second]
    assert list(
        activities.revolving_overdue(
            user=province_officer, unit=current_unit(QUANG_NINH), on=datetime.date(2026, 1, 2)
        )
    ) == [second]


def test_works_behind_schedule_are_those_not_done_after_their_planned_end(province_officer) -> None:
    common = {
        "user": province_officer,
        "component": component("1719-DA4-TDA1"),
        "investment_total_vnd": 5_000_000_000,
    }
    late = services.work_create(
        **common,
        unit=current_unit(BA_CHE),
        kind="road",
        name="Đường Khe Giấy",
        planned_end_date=datetime.date(2025, 6, 30),
        status="in_progress",
        progress_percent=60,
    )
    services.work_create(
        **common,
        unit=current_unit(BA_CHE),
        kind="school",
        name="Trường",
        planned_end_date=datetime.date(2025, 6, 30),
        status="done",
        progress_percent=100,
    )
    services.work_create(
        **common,
        unit=current_unit(TIEN_YEN),
        kind="clinic",
        name="Trạm y tế",
        planned_end_date=datetime.date(2026, 6, 30),
    )
    assert list(
        activities.works_behind_schedule(
            user=province_officer, unit=current_unit(QUANG_NINH), on=datetime.date(2025, 12, 31)
        )
    ) == [late]


def test_alerts_list_low_disbursement_and_allocations_extended_more_than_once(province_officer) -> None:
    record("allocation", 2023, BA_CHE, 1000, component="1719-DA3-TDA1")
    record("disbursement", 2023, BA_CHE, 100, component="1719-DA3-TDA1")
    record("extension", 2023, BA_CHE, 900, component="1719-DA3-TDA1", to_year=2024)
    record("extension", 2023, BA_CHE, 500, component="1719-DA3-TDA1", to_year=2025)
    record("allocation", 2023, TIEN_YEN, 1000, component="1719-DA4-TDA1")
    record("disbursement", 2023, TIEN_YEN, 900, component="1719-DA4-TDA1")
    scope = money_selectors.money_scope_get(
        user=province_officer, era="current", unit_code=QUANG_NINH, from_year=2021, to_year=2025
    )
    low_units = alerts.low_disbursement_units(user=province_officer, scope=scope, threshold=Fraction(1, 2))
    assert [(item.key, item.totals.disbursement_rate) for item in low_units] == [(BA_CHE, Fraction(1, 10))]
    low_components = alerts.low_disbursement_components(
        user=province_officer, scope=scope, threshold=Fraction(1, 2)
    )
    assert [item.key for item in low_components] == ["1719-DA3"]
    repeated = alerts.extended_more_than_once(user=province_officer, scope=scope)
    assert [(r.unit_code, r.component, r.year, r.times, r.last_to_year) for r in repeated] == [
        (BA_CHE, "1719-DA3-TDA1", 2023, 2, 2025)
    ]
    assert MUONG_PHANG not in {item.key for item in low_units}
