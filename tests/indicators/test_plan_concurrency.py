"""Two officials adding an objective to the same plan at once on PostgreSQL: both succeed, at distinct
positions.

The test holds the plan's row locked in its own transaction, as another request changing the plan
would, so that the two additions started in threads meet at the same moment every time: both wait for
it, then each takes the plan in turn and reads the positions the other left.
"""

from django.db import transaction

from tests.conftest import PASSWORD, QUANG_NINH, ROW_LOCK_TESTS, current_unit
from tests.registry.test_concurrency import started, still_waiting
from vungcao.accounts import services as account_services
from vungcao.accounts.models import Role
from vungcao.indicators.models import Plan
from vungcao.indicators.services.plans import objective_create, plan_create

pytestmark = ROW_LOCK_TESTS


def test_two_officials_adding_an_objective_at_once_both_succeed(units_loaded: None) -> None:
    """Given Quảng Ninh's plan with one objective, when two officers each add one at the same moment (one
    at the end, one at the top), then both are stored and the plan's positions are 1, 2, 3."""
    officers = [
        account_services.user_create(
            username=f"quangninh-{n}",
            password=PASSWORD,
            role=Role.PROVINCE_OFFICER,
            scope=current_unit(QUANG_NINH),
        )
        for n in (1, 2)
    ]
    plan = plan_create(
        user=officers[0],
        values={"name": "Chương trình 06", "unit_code": QUANG_NINH, "from_year": 2021, "to_year": 2025},
    )
    objective_create(user=officers[0], plan_id=plan.pk, values={"name": "Kinh tế"})
    asked = [(officers[0], {"name": "Xã hội"}), (officers[1], {"name": "Hạ tầng", "position": 1})]

    with transaction.atomic():
        Plan.objects.select_for_update().get(pk=plan.pk)
        additions = [
            started(
                lambda user=user, values=values: objective_create(user=user, plan_id=plan.pk, values=values)
            )
            for user, values in asked
        ]
        assert still_waiting(*(outcome for _thread, outcome in additions))
    for thread, _outcome in additions:
        thread.join()

    assert [outcome.error for _thread, outcome in additions] == [None, None]
    stored = list(plan.objectives.order_by("position").values_list("position", "name"))
    assert [position for position, _name in stored] == [1, 2, 3]
    assert stored[0] == (1, "Hạ tầng")
    assert {name for _position, name in stored} == {"Kinh tế", "Xã hội", "Hạ tầng"}
