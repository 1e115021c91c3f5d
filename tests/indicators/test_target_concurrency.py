"""One target changed by two officials at once on PostgreSQL, or changed while it is removed or while its
plan's years are narrowed, or set for a group, or a value entered for a province's own indicator, while the
group or the indicator is removed: each write reads what the one before it stored, and is refused with its
reason, never a server error or a row left without what it refers to.

The test holds the row another request would hold (the target's, or its plan's) in its own transaction, so
that the writes started in threads meet it every time: they wait for it, then each takes the row in turn.
"""

from collections.abc import Callable

import pytest
from django.db import transaction
from django.utils import translation

from tests.conftest import BA_CHE, PASSWORD, QUANG_NINH, ROW_LOCK_TESTS, TIEN_YEN, current_unit
from tests.indicators.helpers import TOURISM
from tests.registry.test_concurrency import started, still_waiting
from vungcao.accounts import services as account_services
from vungcao.accounts.models import Role, User
from vungcao.common.errors import NotFoundError
from vungcao.indicators.models import Indicator, IndicatorValue, Target, UnitGroup
from vungcao.indicators.services import UNKNOWN_INDICATOR, IndicatorEntryRefused, indicator_value_enter
from vungcao.indicators.services.definitions import indicator_create
from vungcao.indicators.services.groups import unit_group_create
from vungcao.indicators.services.plans import objective_create, plan_create, plan_update
from vungcao.indicators.services.targets import (
    TARGET_OUTSIDE_PLAN,
    UNKNOWN_GROUP,
    target_create,
    target_update,
)

pytestmark = ROW_LOCK_TESTS

TARGET = {
    "indicator": "poverty_rate",
    "unit_code": QUANG_NINH,
    "baseline_year": 2020,
    "target_year": 2025,
    "kind": "at_most",
    "value": 10,
}


@pytest.fixture
def officers(units_loaded: None) -> list[User]:
    """Two officers of Quảng Ninh."""
    return [
        account_services.user_create(
            username=f"quangninh-{n}",
            password=PASSWORD,
            role=Role.PROVINCE_OFFICER,
            scope=current_unit(QUANG_NINH),
        )
        for n in (1, 2)
    ]


def fields(target_id: int) -> tuple[object, ...]:
    return tuple(
        Target.objects.filter(pk=target_id).values_list("target_year", "kind", "value", "objective_id").get()
    )


def waiting_while(hold: Callable[[], object], *writes: Callable[[], object]) -> list[object]:
    """The outcome (result or error) of each of ``writes``, started while ``hold`` holds its rows in a
    transaction; each is checked to wait for it."""
    with transaction.atomic():
        hold()
        started_writes = [started(write) for write in writes]
        assert still_waiting(*(outcome for _thread, outcome in started_writes))
    for thread, _outcome in started_writes:
        thread.join()
    return [outcome.error or outcome.value for _thread, outcome in started_writes]


def test_two_changes_of_one_target_at_once_both_succeed_one_after_the_other(officers: list[User]) -> None:
    """Given a target at most 10% by 2025, when two officers change it at the same moment (one to 8% by 2028,
    the other to two points less a year until 2030), then both succeed, and the target is the one of them
    made last, whole."""
    target = target_create(user=officers[0], values=TARGET)
    asked = [
        (officers[0], {**TARGET, "target_year": 2028, "value": 8}),
        (officers[1], {**TARGET, "target_year": 2030, "kind": "annual_change", "value": -2}),
    ]

    outcomes = waiting_while(
        lambda: Target.objects.select_for_update().get(pk=target.pk),
        *(
            lambda user=user, values=values: target_update(user=user, target_id=target.pk, values=values)
            for user, values in asked
        ),
    )

    assert [type(outcome) for outcome in outcomes] == [Target, Target]
    assert fields(target.pk) in {(2028, "at_most", 8, None), (2030, "annual_change", -2, None)}
    assert Target.objects.count() == 1


def test_a_target_removed_while_it_is_changed_is_not_stored_again(officers: list[User]) -> None:
    """Given a target being removed, when another officer changes it at the same moment, then the change
    waits for the removal and finds no target: the target is not stored again."""
    target = target_create(user=officers[0], values=TARGET)

    def removing() -> None:
        Target.objects.select_for_update().get(pk=target.pk).delete()

    (outcome,) = waiting_while(
        removing,
        lambda: target_update(user=officers[1], target_id=target.pk, values={**TARGET, "value": 8}),
    )

    assert isinstance(outcome, NotFoundError)
    assert not Target.objects.exists()


def test_a_target_moved_while_its_plan_is_narrowed_is_refused_by_the_plans_new_years(
    officers: list[User],
) -> None:
    """Given a plan 2021–2030 holding a target due in 2025, when one officer narrows the plan to 2021–2025
    while another moves the target to 2028, then the move waits for the plan and is refused by its new
    years: the plan's years still hold its target's."""
    plan = plan_create(
        user=officers[0],
        values={"name": "Chương trình 06", "unit_code": QUANG_NINH, "from_year": 2021, "to_year": 2030},
    )
    objective = objective_create(user=officers[0], plan_id=plan.pk, values={"name": "Giảm nghèo"})
    target = target_create(user=officers[0], values={**TARGET, "objective": objective.pk})

    (outcome,) = waiting_while(
        lambda: plan_update(
            user=officers[0], plan_id=plan.pk, values={"name": plan.name, "from_year": 2021, "to_year": 2025}
        ),
        lambda: target_update(
            user=officers[1],
            target_id=target.pk,
            values={**TARGET, "target_year": 2028, "objective": objective.pk},
        ),
    )

    assert isinstance(outcome, IndicatorEntryRefused), outcome
    with translation.override("vi"):  # the thread's language
        assert outcome.errors == {"target_year": str(TARGET_OUTSIDE_PLAN).format(first=2021, last=2025)}
    assert fields(target.pk) == (2025, "at_most", 10, objective.pk)


def test_a_target_set_for_a_group_being_removed_is_refused_as_for_no_group(officers: list[User]) -> None:
    """Given a group being removed (its row locked, its targets counted: none), when another officer sets a
    target for it at the same moment, then the target waits for the removal and is refused: no such group."""
    group = unit_group_create(
        user=officers[0], values={"name": "Xã đặc biệt khó khăn", "member_codes": [BA_CHE, TIEN_YEN]}
    )

    def removing() -> None:
        UnitGroup.objects.select_for_update().get(pk=group.pk).delete()

    (outcome,) = waiting_while(
        removing,
        lambda: target_create(user=officers[1], values={**TARGET, "unit_code": "", "group": str(group.pk)}),
    )

    assert isinstance(outcome, IndicatorEntryRefused)
    assert outcome.errors == {"group": str(UNKNOWN_GROUP)}
    assert not Target.objects.exists()


def test_a_value_entered_for_a_province_indicator_being_removed_is_refused_as_unknown(
    officers: list[User],
) -> None:
    """Given a province's own indicator being removed (nothing uses it yet), when another officer enters a
    value of it at the same moment, then the entry waits for the removal and is refused: no value is left
    without its indicator."""
    indicator_create(user=officers[0], values=TOURISM)

    def removing() -> None:
        Indicator.objects.select_for_update().get(code=TOURISM["code"]).delete()

    (outcome,) = waiting_while(
        removing,
        lambda: indicator_value_enter(
            user=officers[1],
            values={
                "indicator": TOURISM["code"],
                "era": "current",
                "unit_code": BA_CHE,
                "year": 2025,
                "value": "12",
            },
        ),
    )

    assert isinstance(outcome, IndicatorEntryRefused)
    assert outcome.errors["indicator"] == str(UNKNOWN_INDICATOR)
    assert not IndicatorValue.objects.exists()
