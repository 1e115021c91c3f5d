"""Targets changed and removed, through the service and the API, by those who may set them.

Given Quảng Ninh's province officer's target (the poverty rate at most 10% by 2025 from 2019), when it is
changed, then every field is checked as when a target is set and the change is stored; a bad change names
every problem and changes nothing; a target of another province is not found, one the user may read but
not set is refused; a removed target is gone and nothing else with it.
"""

from collections.abc import Callable
from decimal import Decimal

import pytest

from tests.conftest import BA_CHE, DIEN_BIEN, QUANG_NINH
from tests.indicators.helpers import english, reading, refused
from vungcao.accounts.models import Role, User
from vungcao.common.errors import NotFoundError, PermissionDeniedError
from vungcao.engine.numbers import AMBIGUOUS_EN
from vungcao.indicators.models import Objective, Plan, Target
from vungcao.indicators.services import REQUIRED
from vungcao.indicators.services.groups import unit_group_create
from vungcao.indicators.services.plans import objective_create, plan_create
from vungcao.indicators.services.targets import (
    TARGET_OUTSIDE_PLAN,
    TARGET_YEAR_NOT_AFTER_BASELINE,
    UNKNOWN_KIND,
    UNKNOWN_OBJECTIVE,
    UNKNOWN_TARGET_UNIT,
    ZERO_ANNUAL_CHANGE,
    target_create,
    target_delete,
    target_update,
)

pytestmark = pytest.mark.django_db

TARGETS = "/api/v1/targets"
POVERTY_AT_MOST_10 = {
    "indicator": "poverty_rate",
    "era": "current",
    "unit_code": QUANG_NINH,
    "baseline_year": 2019,
    "target_year": 2025,
    "kind": "at_most",
    "value": 10,
}


@pytest.fixture
def target(province_officer: User) -> Target:
    return target_create(user=province_officer, values=POVERTY_AT_MOST_10)


@pytest.fixture
def dien_bien(make_user: Callable[..., User]) -> User:
    return make_user("dienbien-officer", Role.PROVINCE_OFFICER, DIEN_BIEN)


def stored(target: Target) -> tuple[object, ...]:
    """What a target says, as stored."""
    target = Target.objects.get(pk=target.pk)
    return (
        target.indicator,
        target.unit.code if target.unit else None,
        target.group_id,
        target.baseline_year,
        target.target_year,
        target.kind,
        target.value,
        target.objective_id,
    )


def test_a_target_is_changed_as_it_would_be_set(province_officer: User, target: Target) -> None:
    """When the target becomes an annual reduction of 1,5 points a year until 2030 (written as officials
    write it), then it is stored so, and who set it is kept."""
    changed = target_update(
        user=province_officer,
        target_id=target.pk,
        values={**POVERTY_AT_MOST_10, "target_year": "2030", "kind": "annual_change", "value": "-1,5"},
    )

    assert changed.pk == target.pk
    assert stored(target) == (
        "poverty_rate",
        QUANG_NINH,
        None,
        2019,
        2030,
        "annual_change",
        Decimal("-1.5"),
        None,
    )
    assert Target.objects.get().created_by == province_officer


def test_a_target_moves_to_a_group_and_under_an_objective(province_officer: User, target: Target) -> None:
    group = unit_group_create(user=province_officer, values={"name": "Xã khó khăn", "member_codes": [BA_CHE]})
    plan = plan_create(
        user=province_officer,
        values={"name": "Chương trình 06", "unit_code": QUANG_NINH, "from_year": 2021, "to_year": 2025},
    )
    objective = objective_create(user=province_officer, plan_id=plan.pk, values={"name": "Giảm nghèo"})

    target_update(
        user=province_officer,
        target_id=target.pk,
        values={**POVERTY_AT_MOST_10, "unit_code": "", "group": str(group.pk), "objective": objective.pk},
    )

    assert stored(target)[1:3] == (None, group.pk)
    assert stored(target)[-1] == objective.pk


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            {"unit_code": DIEN_BIEN, "target_year": 2019, "kind": "lower"},
            {
                "unit_code": english(UNKNOWN_TARGET_UNIT),
                "target_year": english(TARGET_YEAR_NOT_AFTER_BASELINE),
                "kind": english(UNKNOWN_KIND),
            },
        ),
        ({"kind": "annual_change", "value": "0"}, {"value": english(ZERO_ANNUAL_CHANGE)}),
        ({"value": "1.500"}, {"value": AMBIGUOUS_EN.en}),
        ({"objective": "999999"}, {"objective": english(UNKNOWN_OBJECTIVE)}),
    ],
)
def test_a_bad_change_names_every_problem_and_changes_nothing(
    province_officer: User, target: Target, values: dict[str, object], expected: dict[str, str]
) -> None:
    before = stored(target)

    problems = refused(
        lambda: target_update(
            user=province_officer, target_id=target.pk, values={**POVERTY_AT_MOST_10, **values}
        )
    )

    assert problems == expected
    assert stored(target) == before


def test_a_change_keeps_the_target_within_its_objectives_plan(province_officer: User, target: Target) -> None:
    plan = plan_create(
        user=province_officer,
        values={"name": "Chương trình 06", "unit_code": QUANG_NINH, "from_year": 2021, "to_year": 2025},
    )
    objective = objective_create(user=province_officer, plan_id=plan.pk, values={"name": "Giảm nghèo"})
    target_update(
        user=province_officer, target_id=target.pk, values={**POVERTY_AT_MOST_10, "objective": objective.pk}
    )

    problems = refused(
        lambda: target_update(
            user=province_officer,
            target_id=target.pk,
            values={**POVERTY_AT_MOST_10, "target_year": 2030, "objective": objective.pk},
        )
    )

    assert problems == {"target_year": english(TARGET_OUTSIDE_PLAN, first=2021, last=2025)}
    assert stored(target)[4] == 2025


def test_another_provinces_target_is_not_found(target: Target, dien_bien: User) -> None:
    """Whether it exists or not: the same answer for a target of another province and for no target."""
    for target_id in (target.pk, 10**18):
        with pytest.raises(NotFoundError):
            target_update(user=dien_bien, target_id=target_id, values=POVERTY_AT_MOST_10)
        with pytest.raises(NotFoundError):
            target_delete(user=dien_bien, target_id=target_id)
    assert Target.objects.count() == 1


def test_who_reads_a_target_but_does_not_set_it_may_not_change_it(
    province_officer: User, commune_officer: User, analyst: User
) -> None:
    """Given a target of Ba Chẽ, which its commune officer and the ministry's analyst read, then neither may
    change or remove it."""
    target = target_create(user=province_officer, values={**POVERTY_AT_MOST_10, "unit_code": BA_CHE})

    for user in (commune_officer, analyst):
        with pytest.raises(PermissionDeniedError):
            target_update(user=user, target_id=target.pk, values={**POVERTY_AT_MOST_10, "unit_code": BA_CHE})
        with pytest.raises(PermissionDeniedError):
            target_delete(user=user, target_id=target.pk)
    assert stored(target)[1] == BA_CHE


def test_a_removed_target_is_gone_and_nothing_else(province_officer: User, target: Target) -> None:
    plan = plan_create(
        user=province_officer,
        values={"name": "Chương trình 06", "unit_code": QUANG_NINH, "from_year": 2021, "to_year": 2025},
    )
    objective = objective_create(user=province_officer, plan_id=plan.pk, values={"name": "Giảm nghèo"})
    held = target_create(user=province_officer, values={**POVERTY_AT_MOST_10, "objective": objective.pk})

    target_delete(user=province_officer, target_id=held.pk)

    assert list(Target.objects.values_list("pk", flat=True)) == [target.pk]
    assert Objective.objects.get() == objective
    assert Plan.objects.get() == plan


# Over the API ------------------------------------------------------------------------------------------


def test_a_target_is_changed_and_removed_over_the_api(province_officer: User, target: Target) -> None:
    client = reading(province_officer)

    changed = client.put(
        f"{TARGETS}/{target.pk}",
        {**POVERTY_AT_MOST_10, "value": "8,5"},
        content_type="application/json",
    )

    assert changed.status_code == 200, changed.content
    assert changed.json() == {
        "id": target.pk,
        "indicator": "poverty_rate",
        "era": "current",
        "unit_code": QUANG_NINH,
        "group": None,
        "baseline_year": 2019,
        "target_year": 2025,
        "kind": "at_most",
        "value": 8.5,
    }
    removed = client.delete(f"{TARGETS}/{target.pk}")
    assert (removed.status_code, removed.content) == (204, b"")
    assert not Target.objects.exists()
    assert client.delete(f"{TARGETS}/{target.pk}").status_code == 404


def test_refusals_over_the_api_change_nothing(
    province_officer: User, target: Target, dien_bien: User, commune_officer: User
) -> None:
    before = stored(target)

    bad = reading(province_officer).put(
        f"{TARGETS}/{target.pk}",
        {**POVERTY_AT_MOST_10, "baseline_year": 2025, "kind": ""},
        content_type="application/json",
    )

    assert bad.status_code == 422
    assert bad.json()["errors"] == {
        "target_year": english(TARGET_YEAR_NOT_AFTER_BASELINE),
        "kind": english(REQUIRED),
    }
    for user, status in ((dien_bien, 404), (commune_officer, 404)):
        client = reading(user)
        put = client.put(f"{TARGETS}/{target.pk}", POVERTY_AT_MOST_10, content_type="application/json")
        assert (put.status_code, client.delete(f"{TARGETS}/{target.pk}").status_code) == (status, status)
    assert stored(target) == before
