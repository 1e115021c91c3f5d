"""Targets over the API: setting one, and progress towards each kind, as programme reports state it.

Given the poverty history of Tuyên Quang (entered under the former province before 2025 and under the
current one after), when a province officer sets targets and reads their progress, then the baseline,
latest value, average annual change, status, year reached and years ahead are the reports' arithmetic.
"""

import datetime
from collections.abc import Callable

import pytest
from django.utils import translation

from tests.conftest import QUANG_NINH, current_unit
from tests.indicators.helpers import HA_GIANG, TUYEN_QUANG, entered, get, post
from vungcao.accounts.models import Role, User
from vungcao.indicators.models import Objective, Plan, Target
from vungcao.indicators.selectors.figures import target_progress, targets_progress
from vungcao.indicators.services.groups import unit_group_create
from vungcao.indicators.services.targets import (
    TARGET_YEAR_NOT_AFTER_BASELINE,
    UNKNOWN_KIND,
    UNKNOWN_TARGET_UNIT,
    target_create,
)

pytestmark = pytest.mark.django_db

TARGETS = "/api/v1/targets"


@pytest.fixture
def officer(make_user: Callable[..., User]) -> User:
    return make_user("tuyenquang-officer", Role.PROVINCE_OFFICER, TUYEN_QUANG)


def history(era: str, rates: dict[int, int]) -> None:
    """Tuyên Quang's households (1,000 a year) and poor households giving ``rates`` per cent."""
    for year, rate in rates.items():
        entered("households", era, TUYEN_QUANG, year, 1000)
        entered("poor_households", era, TUYEN_QUANG, year, rate * 10)


def progress_of(user: User, body: dict[str, object]) -> dict[str, object]:
    created = post(user, TARGETS, body)
    assert created.status_code == 201, created.content
    response = get(user, f"{TARGETS}/{created.json()['id']}/progress")
    assert response.status_code == 200
    return {
        key: response.json()[key]
        for key in (
            "baseline_value",
            "latest_year",
            "latest_value",
            "average_annual_change",
            "status",
            "achieved_year",
            "years_ahead",
        )
    }


def test_an_annual_reduction_reached_two_years_ahead(officer: User) -> None:
    """Given a rate of 40% in 2015 falling to 24% in 2018, when the target is −3 points a year over
    2015–2020 (25% by 2020), then it was achieved in 2018, two years ahead, at −5.33 points a year."""
    history("pre2025", {2015: 40, 2016: 36, 2017: 31, 2018: 24})

    progress = progress_of(
        officer,
        {
            "indicator": "poverty_rate",
            "era": "pre2025",
            "unit_code": TUYEN_QUANG,
            "baseline_year": 2015,
            "target_year": 2020,
            "kind": "annual_change",
            "value": -3,
        },
    )

    assert progress == {
        "baseline_value": 40,
        "latest_year": 2018,
        "latest_value": 24,
        "average_annual_change": -5.33,
        "status": "achieved",
        "achieved_year": 2018,
        "years_ahead": 2,
    }


def test_a_level_on_the_straight_line_is_on_track(officer: User) -> None:
    """Given 20% in 2024 and 18% in 2025, when the target is at most 10% by 2030, then the rate is below
    the straight line from the baseline (18.33% in 2025): on track, not reached yet."""
    history("current", {2024: 20, 2025: 18})

    progress = progress_of(
        officer,
        {
            "indicator": "poverty_rate",
            "era": "current",
            "unit_code": TUYEN_QUANG,
            "baseline_year": 2024,
            "target_year": 2030,
            "kind": "at_most",
            "value": 10,
        },
    )

    assert progress == {
        "baseline_value": 20,
        "latest_year": 2025,
        "latest_value": 18,
        "average_annual_change": -2,
        "status": "on_track",
        "achieved_year": None,
        "years_ahead": None,
    }


def test_a_level_not_reached_by_its_year_is_behind(province_officer: User) -> None:
    """Given half of Quảng Ninh's communes with a hardened road in 2024 and three quarters in 2025 (the
    communes counted from the tree), when the target is at least 100% by 2025, then it is behind."""
    communes = current_unit(QUANG_NINH).children.count()
    entered("communes_with_hardened_road", "current", QUANG_NINH, 2024, communes // 2)
    entered("communes_with_hardened_road", "current", QUANG_NINH, 2025, communes * 3 // 4)

    progress = progress_of(
        province_officer,
        {
            "indicator": "communes_with_hardened_road_rate",
            "era": "current",
            "unit_code": QUANG_NINH,
            "baseline_year": 2024,
            "target_year": 2025,
            "kind": "at_least",
            "value": 100,
        },
    )

    assert progress["status"] == "behind"
    assert progress["latest_value"] == round(100 * (communes * 3 // 4) / communes, 2)
    assert progress["achieved_year"] is None


def test_without_a_baseline_there_is_no_data(officer: User) -> None:
    history("current", {2026: 15})

    progress = progress_of(
        officer,
        {
            "indicator": "poverty_rate",
            "era": "current",
            "unit_code": TUYEN_QUANG,
            "baseline_year": 2025,
            "target_year": 2030,
            "kind": "at_most",
            "value": 10,
        },
    )

    assert progress == {
        "baseline_value": None,
        "latest_year": None,
        "latest_value": None,
        "average_annual_change": None,
        "status": "no_data",
        "achieved_year": None,
        "years_ahead": None,
    }


def test_a_refused_target_names_every_bad_field_and_writes_nothing(officer: User) -> None:
    response = post(
        officer,
        TARGETS,
        {
            "indicator": "poverty_rate",
            "era": "current",
            "unit_code": QUANG_NINH,
            "baseline_year": 2025,
            "target_year": 2020,
            "kind": "lower",
            "value": -3,
        },
    )

    assert response.status_code == 422
    with translation.override("en"):  # the reader chose English
        assert response.json()["errors"] == {
            "unit_code": str(UNKNOWN_TARGET_UNIT),
            "target_year": str(TARGET_YEAR_NOT_AFTER_BASELINE),
            "kind": str(UNKNOWN_KIND),
        }
    assert not Target.objects.exists()


def test_progress_of_a_target_out_of_scope_is_not_found(officer: User, province_officer: User) -> None:
    created = post(
        province_officer,
        TARGETS,
        {
            "indicator": "poverty_rate",
            "unit_code": QUANG_NINH,
            "baseline_year": 2024,
            "target_year": 2030,
            "kind": "at_most",
            "value": 5,
        },
    )

    assert get(officer, f"{TARGETS}/{created.json()['id']}/progress").status_code == 404


def test_a_plan_holds_21_objectives_and_73_targets(province_officer: User) -> None:
    """Given Quảng Ninh's action programme (21 target groups), when 73 targets are set under them, then
    each belongs to its objective, in the plan's order."""
    plan = Plan.objects.create(
        name="Chương trình hành động 06-NQ/TU", unit=current_unit(QUANG_NINH), from_year=2021, to_year=2025
    )
    objectives = [
        Objective.objects.create(plan=plan, name=f"Nhóm mục tiêu {n}", position=n) for n in range(1, 22)
    ]

    for task in range(73):
        created = post(
            province_officer,
            TARGETS,
            {
                "indicator": "poverty_rate",
                "unit_code": QUANG_NINH,
                "baseline_year": 2021,
                "target_year": 2025,
                "kind": "at_most",
                "value": task % 10,
                "objective": objectives[task % 21].pk,
            },
        )
        assert created.status_code == 201

    assert [objective.targets.count() for objective in plan.objectives.all()] == [4] * 10 + [3] * 11


def test_many_targets_read_at_once_progress_as_each_read_alone(officer: User) -> None:
    """Given targets of two indicators, kinds and periods, of the province and of a group of its former
    provinces, when their progress is read at once (one resolver), then each is what it is alone."""
    history("pre2025", {2015: 40, 2016: 36, 2017: 31, 2018: 24})
    history("current", {2024: 20, 2025: 18})
    group = unit_group_create(
        user=officer,
        values={
            "owner_code": TUYEN_QUANG,
            "name": "Hà Giang cũ",
            "era": "pre2025",
            "member_codes": [HA_GIANG],
        },
    )
    targets = [
        target_create(user=officer, values=values)
        for values in (
            {
                "indicator": "poverty_rate",
                "era": "pre2025",
                "unit_code": TUYEN_QUANG,
                "baseline_year": 2015,
                "target_year": 2020,
                "kind": "annual_change",
                "value": -3,
            },
            {
                "indicator": "poverty_rate",
                "unit_code": TUYEN_QUANG,
                "baseline_year": 2024,
                "target_year": 2030,
                "kind": "at_most",
                "value": 10,
            },
            {
                "indicator": "households",
                "unit_code": TUYEN_QUANG,
                "baseline_year": 2024,
                "target_year": 2026,
                "kind": "at_least",
                "value": 1000,
            },
            {
                "indicator": "poverty_rate",
                "group": group.pk,
                "baseline_year": 2015,
                "target_year": 2020,
                "kind": "at_most",
                "value": 30,
            },
        )
    ]
    today = datetime.date(2026, 6, 1)

    together = targets_progress(user=officer, targets=targets, today=today)

    alone = [target_progress(user=officer, target=target, today=today) for target in targets]
    assert [one.progress for one in together] == [one.progress for one in alone]
    assert [one.progress.status for one in together] == ["achieved", "on_track", "achieved", "no_data"]
