"""Users of every role for the user-management tests, in Quảng Ninh and Điện Biên."""

from collections.abc import Callable

import pytest

from tests.conftest import DIEN_BIEN, MUONG_PHANG, QUANG_NINH
from vungcao.accounts.models import Role, User, UserChange


@pytest.fixture
def province_administrator(make_user: Callable[..., User]) -> User:
    return make_user("qn-admin", Role.ADMINISTRATOR, QUANG_NINH)


@pytest.fixture
def viewer(make_user: Callable[..., User]) -> User:
    return make_user("donor-viewer", Role.AGGREGATE_VIEWER)


@pytest.fixture
def elsewhere(make_user: Callable[..., User]) -> dict[str, User]:
    """Officers of Điện Biên, out of reach of Quảng Ninh's administrator."""
    return {
        "province": make_user("dienbien-officer", Role.PROVINCE_OFFICER, DIEN_BIEN),
        "commune": make_user("muongphang-officer", Role.COMMUNE_OFFICER, MUONG_PHANG),
        "administrator": make_user("db-admin", Role.ADMINISTRATOR, DIEN_BIEN),
    }


@pytest.fixture
def roles(
    administrator: User,
    province_administrator: User,
    province_officer: User,
    commune_officer: User,
    analyst: User,
    viewer: User,
) -> dict[str, User]:
    """One user of each kind, by the name the matrices use."""
    return {
        "national_admin": administrator,
        "province_admin": province_administrator,
        "province_officer": province_officer,
        "commune_officer": commune_officer,
        "analyst": analyst,
        "viewer": viewer,
    }


def changes_of(user: User) -> list[tuple[str, str, str, str]]:
    """(action, old, new, actor) of every change recorded for ``user``, oldest first."""
    return [
        (change.action, change.old_value, change.new_value, change.actor.username)
        for change in UserChange.objects.filter(user=user).select_related("actor").order_by("pk")
    ]
