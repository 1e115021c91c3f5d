"""Plans and their objectives, through the services and the API: made, renamed, their years changed while
their targets still fit; objectives added at the end or at a place, renamed, moved and removed, their
positions always 1, 2, 3 …; every refusal names each bad field and writes nothing; another province's
plan is not found.

Given Quảng Ninh's province officer, when they make the action programme of Resolution 06-NQ/TU and its
objectives, then the plan reads back over the API with its objectives in order and their targets.
"""

from collections.abc import Callable

import pytest
from django.utils import translation

from tests.conftest import DIEN_BIEN, QUANG_NINH, current_unit
from tests.indicators.helpers import english, get, national_admin, post, refused
from vungcao.accounts.models import Role, User
from vungcao.common.bounds import NUL_CHARACTER, TOO_LONG
from vungcao.common.errors import NotFoundError, PermissionDeniedError
from vungcao.indicators.models import Objective, Plan, Target
from vungcao.indicators.services import REQUIRED
from vungcao.indicators.services.plans import (
    BAD_POSITION,
    DUPLICATE_OBJECTIVE,
    DUPLICATE_PLAN,
    MOST_OBJECTIVES,
    OBJECTIVE_HOLDS_TARGETS,
    PERIOD_REVERSED,
    TARGETS_OUTSIDE_PERIOD,
    TOO_MANY_OBJECTIVES,
    UNKNOWN_PLAN_UNIT,
    objective_create,
    objective_delete,
    objective_update,
    plan_create,
    plan_update,
)
from vungcao.indicators.services.targets import TARGET_OUTSIDE_PLAN, UNKNOWN_OBJECTIVE, target_create
from vungcao.programs.services.money import BAD_YEAR

pytestmark = pytest.mark.django_db

PLANS = "/api/v1/plans"
RESOLUTION_06 = {
    "name": "Chương trình hành động 06-NQ/TU",
    "unit_code": QUANG_NINH,
    "from_year": 2021,
    "to_year": 2025,
}


@pytest.fixture
def plan(province_officer: User) -> Plan:
    return plan_create(user=province_officer, values=RESOLUTION_06)


def names(plan: Plan) -> list[tuple[int, str]]:
    return list(plan.objectives.order_by("position").values_list("position", "name"))


def add(user: User, plan: Plan, *objectives: str) -> list[Objective]:
    return [objective_create(user=user, plan_id=plan.pk, values={"name": name}) for name in objectives]


def target(user: User, objective: Objective, target_year: int = 2025) -> Target:
    return target_create(
        user=user,
        values={
            "indicator": "poverty_rate",
            "unit_code": QUANG_NINH,
            "baseline_year": 2020,
            "target_year": target_year,
            "kind": "at_most",
            "value": 1,
            "objective": objective.pk,
        },
    )


# Plans -------------------------------------------------------------------------------------------------


def test_a_plan_is_made_for_a_unit_in_scope(province_officer: User) -> None:
    made = plan_create(user=province_officer, values={**RESOLUTION_06, "name": "  Chương trình 06  "})

    assert (made.name, made.unit, made.from_year, made.to_year) == (
        "Chương trình 06",
        current_unit(QUANG_NINH),
        2021,
        2025,
    )


def test_a_bad_plan_names_every_field_and_writes_nothing(province_officer: User) -> None:
    """Given a unit of another province, a name with a NUL character and years reversed, then each
    problem is named under its field and no plan is made."""
    problems = refused(
        lambda: plan_create(
            user=province_officer,
            values={"name": "Kế\x00hoạch", "unit_code": DIEN_BIEN, "from_year": "2030", "to_year": 2021},
        )
    )

    assert problems == {
        "unit_code": english(UNKNOWN_PLAN_UNIT),
        "name": english(NUL_CHARACTER),
        "to_year": english(PERIOD_REVERSED),
    }
    assert not Plan.objects.exists()


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({}, {"name": REQUIRED, "unit_code": REQUIRED, "from_year": REQUIRED, "to_year": REQUIRED}),
        ({"name": "x" * 301}, {"name": TOO_LONG}),
        ({"from_year": "1999"}, {"from_year": BAD_YEAR}),
        ({"to_year": 10**30}, {"to_year": BAD_YEAR}),
        ({"from_year": "=1+1"}, {"from_year": BAD_YEAR}),
        ({"era": "1975"}, {"era": "Unknown era; use current or pre2025."}),
    ],
)
def test_each_bad_field_of_a_plan_is_refused(
    province_officer: User, values: dict[str, object], expected: dict[str, object]
) -> None:
    asked = {**RESOLUTION_06, **values} if values else {}
    problems = refused(lambda: plan_create(user=province_officer, values=asked))

    assert {name: problems[name] for name in expected} == {
        name: english(message, length=300) for name, message in expected.items()
    }
    assert not Plan.objects.exists()


def test_a_plan_of_the_same_name_and_years_is_refused(province_officer: User, plan: Plan) -> None:
    assert refused(lambda: plan_create(user=province_officer, values=RESOLUTION_06)) == {
        "name": english(DUPLICATE_PLAN)
    }
    # The same name over the next period is another plan
    plan_create(user=province_officer, values={**RESOLUTION_06, "from_year": 2026, "to_year": 2030})
    assert Plan.objects.count() == 2


def test_who_may_make_a_plan(commune_officer: User, analyst: User) -> None:
    for user in (commune_officer, analyst):
        with pytest.raises(PermissionDeniedError):
            plan_create(user=user, values=RESOLUTION_06)
    assert plan_create(user=national_admin(), values=RESOLUTION_06).unit.code == QUANG_NINH


def test_a_plan_is_renamed_and_its_years_changed_while_its_targets_fit(
    province_officer: User, plan: Plan
) -> None:
    """Given targets due in 2024 and 2025, when the plan is narrowed to 2022–2024, then the last year is
    refused naming 2025 and nothing changes; widened to 2020–2030 and renamed, it is stored."""
    first, second = add(province_officer, plan, "Giảm nghèo", "Hạ tầng")
    target(province_officer, first, 2024)
    target(province_officer, second, 2025)

    def years(from_year: int, to_year: int) -> dict[str, str]:
        values = {"name": plan.name, "from_year": from_year, "to_year": to_year}
        return refused(lambda: plan_update(user=province_officer, plan_id=plan.pk, values=values))

    assert years(2022, 2024) == {"to_year": english(TARGETS_OUTSIDE_PERIOD, years="2025")}
    assert years(2025, 2026) == {"from_year": english(TARGETS_OUTSIDE_PERIOD, years="2024")}
    plan.refresh_from_db()
    assert (plan.from_year, plan.to_year) == (2021, 2025)

    plan_update(
        user=province_officer,
        plan_id=plan.pk,
        values={"name": "Chương trình 06 (sửa đổi)", "from_year": 2020, "to_year": 2030},
    )
    plan.refresh_from_db()
    assert (plan.name, plan.from_year, plan.to_year) == ("Chương trình 06 (sửa đổi)", 2020, 2030)


def test_another_provinces_plan_is_not_found(plan: Plan, make_user: Callable[..., User]) -> None:
    dien_bien = make_user("dienbien-officer", Role.PROVINCE_OFFICER, DIEN_BIEN)
    for work in (
        lambda: plan_update(user=dien_bien, plan_id=plan.pk, values={**RESOLUTION_06, "name": "x"}),
        lambda: objective_create(user=dien_bien, plan_id=plan.pk, values={"name": "x"}),
    ):
        with pytest.raises(NotFoundError):
            work()
    assert not Objective.objects.exists()
    assert Plan.objects.get().name == RESOLUTION_06["name"]


# Objectives --------------------------------------------------------------------------------------------


def test_objectives_are_added_at_the_end_or_at_a_place(province_officer: User, plan: Plan) -> None:
    add(province_officer, plan, "Kinh tế", "Xã hội")
    objective_create(user=province_officer, plan_id=plan.pk, values={"name": "Hạ tầng", "position": "2"})
    objective_create(user=province_officer, plan_id=plan.pk, values={"name": "Quốc phòng", "position": 1})

    assert names(plan) == [(1, "Quốc phòng"), (2, "Kinh tế"), (3, "Hạ tầng"), (4, "Xã hội")]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"name": ""}, {"name": REQUIRED}),
        ({"name": "Kinh tế"}, {"name": DUPLICATE_OBJECTIVE}),
        ({"name": "KINH TẾ"}, {"name": DUPLICATE_OBJECTIVE}),
        ({"name": "x" * 501}, {"name": TOO_LONG}),
        ({"name": "Mới", "position": 4}, {"position": BAD_POSITION}),
        ({"name": "Mới", "position": "0"}, {"position": BAD_POSITION}),
        ({"name": "Mới", "position": "-1"}, {"position": BAD_POSITION}),
        ({"name": "Mới", "position": "1e9"}, {"position": BAD_POSITION}),
        ({"name": "Mới", "position": "=A1"}, {"position": BAD_POSITION}),
    ],
)
def test_a_bad_objective_is_refused_and_nothing_moves(
    province_officer: User, plan: Plan, values: dict[str, object], expected: dict[str, object]
) -> None:
    add(province_officer, plan, "Kinh tế", "Xã hội")

    problems = refused(lambda: objective_create(user=province_officer, plan_id=plan.pk, values=values))

    assert problems == {name: english(message, length=500, last=3) for name, message in expected.items()}
    assert names(plan) == [(1, "Kinh tế"), (2, "Xã hội")]


def test_a_plan_holds_a_bounded_number_of_objectives(province_officer: User, plan: Plan) -> None:
    Objective.objects.bulk_create(
        Objective(plan=plan, name=f"Nhóm {n}", position=n) for n in range(1, MOST_OBJECTIVES + 1)
    )

    problems = refused(lambda: objective_create(user=province_officer, plan_id=plan.pk, values={"name": "x"}))

    assert problems == {"plan": english(TOO_MANY_OBJECTIVES, most=MOST_OBJECTIVES)}
    assert plan.objectives.count() == MOST_OBJECTIVES


def test_objectives_are_moved_and_renamed(province_officer: User, plan: Plan) -> None:
    first, _second, third, _fourth = add(province_officer, plan, "Một", "Hai", "Ba", "Bốn")

    objective_update(user=province_officer, objective_id=third.pk, values={"position": 1})
    assert names(plan) == [(1, "Ba"), (2, "Một"), (3, "Hai"), (4, "Bốn")]
    objective_update(user=province_officer, objective_id=third.pk, values={"position": "4"})
    assert names(plan) == [(1, "Một"), (2, "Hai"), (3, "Bốn"), (4, "Ba")]
    objective_update(
        user=province_officer, objective_id=first.pk, values={"name": "Một (mới)", "position": 2}
    )
    assert names(plan) == [(1, "Hai"), (2, "Một (mới)"), (3, "Bốn"), (4, "Ba")]
    # Its own name again is no duplicate
    objective_update(user=province_officer, objective_id=first.pk, values={"name": "Một (mới)"})


def test_a_bad_change_of_an_objective_changes_nothing(province_officer: User, plan: Plan) -> None:
    first, _second = add(province_officer, plan, "Một", "Hai")

    problems = refused(
        lambda: objective_update(
            user=province_officer, objective_id=first.pk, values={"name": "hai", "position": 3}
        )
    )

    assert problems == {"name": english(DUPLICATE_OBJECTIVE), "position": english(BAD_POSITION, last=2)}
    problems = refused(
        lambda: objective_update(user=province_officer, objective_id=first.pk, values={"name": " "})
    )
    assert problems == {"name": english(REQUIRED)}
    assert names(plan) == [(1, "Một"), (2, "Hai")]


def test_only_an_objective_without_targets_is_removed(province_officer: User, plan: Plan) -> None:
    first, second, third = add(province_officer, plan, "Một", "Hai", "Ba")
    target(province_officer, second)

    assert refused(lambda: objective_delete(user=province_officer, objective_id=second.pk)) == {
        "objective": english(OBJECTIVE_HOLDS_TARGETS)
    }
    objective_delete(user=province_officer, objective_id=first.pk)

    assert names(plan) == [(1, "Hai"), (2, "Ba")]
    assert third.pk in plan.objectives.values_list("pk", flat=True)


def test_objectives_of_another_province_are_not_found(
    province_officer: User, plan: Plan, make_user: Callable[..., User]
) -> None:
    (objective,) = add(province_officer, plan, "Một")
    dien_bien = make_user("dienbien-officer", Role.PROVINCE_OFFICER, DIEN_BIEN)

    for work in (
        lambda: objective_update(user=dien_bien, objective_id=objective.pk, values={"name": "x"}),
        lambda: objective_delete(user=dien_bien, objective_id=objective.pk),
        lambda: objective_update(user=dien_bien, objective_id=10**18, values={"name": "x"}),
    ):
        with pytest.raises(NotFoundError):
            work()
    assert names(plan) == [(1, "Một")]


def test_a_target_of_an_objective_falls_due_within_its_plan(province_officer: User, plan: Plan) -> None:
    (objective,) = add(province_officer, plan, "Một")

    problems = refused(lambda: target(province_officer, objective, 2030))

    assert problems == {"target_year": english(TARGET_OUTSIDE_PLAN, first=2021, last=2025)}
    assert not Target.objects.exists()


def test_a_target_names_an_objective_of_its_own_units_plans(
    province_officer: User, plan: Plan, make_user: Callable[..., User]
) -> None:
    """Given an objective of Điện Biên's plan, then a Quảng Ninh target cannot be put under it."""
    admin = national_admin()
    other = plan_create(user=admin, values={**RESOLUTION_06, "unit_code": DIEN_BIEN})
    (elsewhere,) = add(admin, other, "Một")

    assert refused(lambda: target(province_officer, elsewhere)) == {"objective": english(UNKNOWN_OBJECTIVE)}


# Over the API ------------------------------------------------------------------------------------------


def test_a_plan_and_its_objectives_over_the_api(province_officer: User, commune_officer: User) -> None:
    made = post(province_officer, PLANS, RESOLUTION_06)
    assert made.status_code == 201, made.content
    plan_id = made.json()["id"]
    added = [
        post(province_officer, f"{PLANS}/{plan_id}/objectives", body)
        for body in ({"name": "Kinh tế"}, {"name": "Văn hóa"}, {"name": "Xã hội", "position": 2})
    ]
    assert [response.status_code for response in added] == [201, 201, 201]
    assert added[2].json() == {"id": added[2].json()["id"], "name": "Xã hội", "position": 2, "targets": []}
    held = target(province_officer, Objective.objects.get(name="Kinh tế"))

    listed = get(province_officer, PLANS).json()["items"]

    assert listed == [
        {
            "id": plan_id,
            "name": RESOLUTION_06["name"],
            "era": "current",
            "unit_code": QUANG_NINH,
            "unit_name": "Quảng Ninh",
            "from_year": 2021,
            "to_year": 2025,
            "objectives": [
                {"id": added[0].json()["id"], "name": "Kinh tế", "position": 1, "targets": [held.pk]},
                {"id": added[2].json()["id"], "name": "Xã hội", "position": 2, "targets": []},
                {"id": added[1].json()["id"], "name": "Văn hóa", "position": 3, "targets": []},
            ],
        }
    ]
    # A commune officer sees the plans of their commune only (none), and may not make one
    assert get(commune_officer, PLANS).json()["items"] == []
    assert post(commune_officer, PLANS, RESOLUTION_06).status_code == 403


def test_refusals_over_the_api_write_nothing(
    province_officer: User, plan: Plan, make_user: Callable[..., User]
) -> None:
    bad = post(province_officer, PLANS, {"name": "", "unit_code": DIEN_BIEN, "from_year": "năm sau"})
    assert bad.status_code == 422
    with translation.override("en"):
        assert bad.json()["errors"] == {
            "name": str(REQUIRED),
            "unit_code": str(UNKNOWN_PLAN_UNIT),
            "from_year": str(BAD_YEAR),
            "to_year": str(REQUIRED),
        }
    objective = post(province_officer, f"{PLANS}/{plan.pk}/objectives", {"name": "x", "position": 2})
    assert objective.status_code == 422
    assert objective.json()["errors"] == {"position": english(BAD_POSITION, last=1)}
    dien_bien = make_user("dienbien-officer", Role.PROVINCE_OFFICER, DIEN_BIEN)
    assert post(dien_bien, f"{PLANS}/{plan.pk}/objectives", {"name": "x"}).status_code == 404
    assert post(dien_bien, f"{PLANS}/{10**18}/objectives", {"name": "x"}).status_code == 404
    assert get(dien_bien, PLANS).json()["items"] == []
    assert Plan.objects.count() == 1
    assert not Objective.objects.exists()
